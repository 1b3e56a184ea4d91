"""The figure addresses of serve.py (sedviz.ui.figure_route): what a browser fetches, and how."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from starlette.requests import Request
from starlette.responses import Response

from sedviz.ui import figure_route
from sedviz.ui.frozen import FrozenFigure


@pytest.fixture(autouse=True)
def empty_registry() -> Iterator[None]:
    """Nothing published, and whether the process serves the routes as it was afterwards
    (``routes()`` marks it served: the other tests draw the HR chart as app.py does)."""
    served = figure_route._PUBLISHED.served
    figure_route.forget_all()
    yield
    figure_route.forget_all()
    figure_route._PUBLISHED.served = served


def get(path: str, gzip_ok: bool = True) -> Response:
    """Answer a GET of *path* as serve.py's routes would."""
    for route in figure_route.routes():
        match, child = route.matches({"type": "http", "path": path, "method": "GET"})
        if match.name == "FULL":
            headers = [(b"accept-encoding", b"gzip, deflate")] if gzip_ok else []
            scope = {"type": "http", "method": "GET", "path": path, "headers": headers, **child}
            endpoint = route.endpoint  # type: ignore[attr-defined]
            return asyncio.run(endpoint(Request(scope)))  # type: ignore[no-any-return]
    raise AssertionError(f"no route for {path}")


def body_of(answer: Response) -> bytes:
    raw = bytes(answer.body)
    return gzip.decompress(raw) if answer.headers.get("content-encoding") == "gzip" else raw


def test_a_published_figure_is_served_by_its_address_gzipped_and_kept_for_good() -> None:
    body = b'{"data": [], "layout": {"title": {"text": "HR"}}}'
    url = figure_route.publish(body)
    assert url == f"/sedviz/figure/{figure_route.digest_of(body)}.json"
    answer = get(url)
    assert answer.status_code == 200 and answer.media_type == "application/json"
    assert answer.headers["content-encoding"] == "gzip" and body_of(answer) == body
    assert "immutable" in answer.headers["cache-control"]
    assert answer.headers["vary"] == "Accept-Encoding"
    plain = get(url, gzip_ok=False)
    assert "content-encoding" not in plain.headers and bytes(plain.body) == body


def test_an_unknown_address_is_a_404_that_says_to_reload() -> None:
    answer = get("/sedviz/figure/0123456789abcdef01234567.json")
    assert answer.status_code == 404
    assert "reload the page" in json.loads(bytes(answer.body))["error"]


def test_plotly_js_is_the_installed_packages_own() -> None:
    answer = get(figure_route.PLOTLY_JS_URL)
    assert answer.status_code == 200 and answer.media_type == "text/javascript"
    assert body_of(answer) == figure_route.PLOTLY_JS_PATH.read_bytes()


def test_serving_the_routes_is_what_switches_the_hr_chart_to_addresses() -> None:
    figure_route._PUBLISHED.served = False
    assert not figure_route.is_served()
    figure_route.routes()
    assert figure_route.is_served()


def test_the_oldest_figures_are_dropped_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figure_route, "MAX_FIGURES", 3)
    urls = [figure_route.publish(f'{{"n": {i}}}'.encode()) for i in range(4)]
    figure_route.publish(b'{"n": 1}')  # used again: the most recent now
    figure_route.publish(b'{"n": 4}')
    found = [get(url).status_code for url in urls]
    assert found == [404, 200, 404, 200]


def test_a_value_is_serialised_once_under_its_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    subset = {"x": [0.5], "y": [4.0], "color": ["red"], "rows": [7], "digest": "abc"}
    url = figure_route.publish_value(subset, "abc")
    assert json.loads(body_of(get(url))) == subset
    monkeypatch.setattr(figure_route.orjson, "dumps", lambda *a, **k: pytest.fail("dumped again"))
    assert figure_route.publish_value(subset, "abc") == url


def test_a_frozen_figure_publishes_what_plotly_would_send_and_a_derived_one_its_own() -> None:
    fig = go.Figure(go.Scattergl(x=list(range(1500)), y=[1.0] * 1500, name="stars −"))
    frozen = FrozenFigure(fig)
    sent = json.loads(pio.to_json(frozen, validate=False))
    assert json.loads(frozen.json_bytes()) == sent
    assert frozen.json_digest() == figure_route.digest_of(frozen.json_bytes())
    assert frozen.json_bytes() is frozen.json_bytes()  # encoded once
    derived = frozen.derive({**frozen.to_dict(), "layout": {"title": {"text": "other"}}})
    assert derived.json_digest() != frozen.json_digest()
    assert json.loads(derived.json_bytes())["layout"] == {"title": {"text": "other"}}
