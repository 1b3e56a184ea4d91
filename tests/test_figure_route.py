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
from sedviz.ui.frozen import FrozenFigure, digest_of


@pytest.fixture(autouse=True)
def empty_registry() -> Iterator[None]:
    """Nothing published, and whether the process serves the routes as it was afterwards
    (``routes()`` marks it served: the other tests draw the HR chart as app.py does)."""
    served = figure_route._PUBLISHED.served
    figure_route.forget_all()
    yield
    figure_route.forget_all()
    figure_route._PUBLISHED.served = served


def get(path: str, gzip_ok: bool = True, accept: str = "gzip, deflate, br") -> Response:
    """Answer a GET of *path* as serve.py's routes would."""
    for route in figure_route.routes():
        match, child = route.matches({"type": "http", "path": path, "method": "GET"})
        if match.name == "FULL":
            headers = [(b"accept-encoding", accept.encode())] if gzip_ok else []
            scope = {"type": "http", "method": "GET", "path": path, "headers": headers, **child}
            endpoint = route.endpoint  # type: ignore[attr-defined]
            return asyncio.run(endpoint(Request(scope)))  # type: ignore[no-any-return]
    raise AssertionError(f"no route for {path}")


def body_of(answer: Response) -> bytes:
    raw = bytes(answer.body)
    return gzip.decompress(raw) if answer.headers.get("content-encoding") == "gzip" else raw


def test_a_published_figure_is_served_by_its_address_gzipped_and_kept_for_good() -> None:
    fig = FrozenFigure(go.Figure(go.Scattergl(x=[1.0, 2.0], y=[3.0, 4.0]), {"title": "HR"}))
    body = fig.json_bytes()
    url = figure_route.publish_figure(fig)
    assert url == f"/sedviz/figure/{digest_of(body)}.json"
    answer = get(url)
    assert answer.status_code == 200 and answer.media_type == "application/json"
    assert answer.headers["content-encoding"] == "gzip" and body_of(answer) == body
    assert "immutable" in answer.headers["cache-control"]
    assert answer.headers["vary"] == "Accept-Encoding"
    plain = get(url, gzip_ok=False)
    assert "content-encoding" not in plain.headers and bytes(plain.body) == body
    refused = get(url, accept="gzip;q=0, identity")
    assert "content-encoding" not in refused.headers and bytes(refused.body) == body
    assert get(url, accept="deflate, gzip;q=0.5").headers["content-encoding"] == "gzip"


def test_an_unknown_address_is_a_404_that_says_to_reload() -> None:
    answer = get("/sedviz/figure/0123456789abcdef01234567.json")
    assert answer.status_code == 404
    assert "reload the page" in json.loads(bytes(answer.body))["error"]
    assert answer.headers["cache-control"] == "no-store"


def test_plotly_js_is_the_installed_packages_own() -> None:
    answer = get(figure_route.PLOTLY_JS_URL)
    assert answer.status_code == 200 and answer.media_type == "text/javascript"
    assert body_of(answer) == figure_route.PLOTLY_JS_PATH.read_bytes()


def test_serving_the_routes_is_what_switches_the_hr_chart_to_addresses() -> None:
    figure_route._PUBLISHED.served = False
    assert not figure_route.is_served()
    figure_route.routes()
    assert figure_route.is_served()


def test_the_least_recently_published_go_first_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(figure_route, "MAX_FIGURES", 3)
    urls = [figure_route.publish_value({"n": i}, f"d{i}") for i in range(4)]
    figure_route.publish_value({"n": 1}, "d1")  # used again: the most recent now
    figure_route.publish_value({"n": 4}, "d4")
    found = [get(url).status_code for url in urls]
    assert found == [404, 200, 404, 200]


def test_gzipped_copies_count_towards_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    noise = [float(i) * 1.000_001 for i in range(20_000)]  # ~0.4 MB of JSON, gzips to ~0.1 MB
    first = figure_route.publish_value(noise[:10_000], "first")
    second = figure_route.publish_value(noise[10_000:], "second")
    plain = sum(len(bytes(get(url, gzip_ok=False).body)) for url in (first, second))
    monkeypatch.setattr(figure_route, "MAX_BYTES", plain + 1_000)
    get(first)  # its gzipped copy is kept too: over the limit, the older body goes
    assert get(first).status_code == 404 and get(second).status_code == 200


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
    assert frozen.json_digest() == digest_of(frozen.json_bytes())
    assert frozen.json_bytes() is frozen.json_bytes()  # encoded once
    derived = frozen.derive({**frozen.to_dict(), "layout": {"title": {"text": "other"}}})
    assert derived.json_digest() != frozen.json_digest()
    assert json.loads(derived.json_bytes())["layout"] == {"title": {"text": "other"}}
