"""Behaviour of the Stars, HR diagram, SED and Explain pages under AppTest.

Models come from a tiny private registry (5 rounds); the archive is patched at
the UI layer's one seam (``sedviz.ui.cache.query_cone``). Chart selections are
fed as the browser sends them: a widget state with the chart's element id and
a JSON ``{"selection": ...}`` string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sedviz import columns as C
from sedviz.archive import ArchiveUnavailableError
from tests.retrain_helpers import build_tiny_registry

pytestmark = pytest.mark.slow  # drives every dashboard page under AppTest with the whole catalogue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def models_root(tmp_path_factory: pytest.TempPathFactory, catalog: pd.DataFrame) -> Path:
    return build_tiny_registry(tmp_path_factory.mktemp("models"), catalog)


def _fresh_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def models(models_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SEDVIZ_MODELS_DIR", str(models_root))
    _fresh_caches()
    yield models_root
    _fresh_caches()


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SEDVIZ_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("SEDVIZ_SHIPPED_MODELS_DIR", str(tmp_path))  # no shipped defaults either
    _fresh_caches()
    yield tmp_path
    _fresh_caches()


def open_page(page: str, query: dict[str, str] | None = None, **state: Any) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in state.items():
        at.session_state[f"sedviz.{key}"] = value
    at.run()  # app.py reads the link once per session, on its first run
    assert not at.exception, at.exception
    if page != "stars":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


#: Session keys a chart selection sets (sedviz.ui.state): star, subset, its label, notices,
#: and that the chart itself made the click.
SELECTION_STATE = ("sedviz.selected_star", "sedviz.subset_ids", "sedviz.subset_label",
                   "sedviz.subset_region", "sedviz.notices",
                   "sedviz.hr_clicked")  # fmt: skip


def _select_script(selection: dict[str, object]) -> None:
    """What the HR chart's on_select callback does with a Plotly selection event."""
    from sedviz.ui.widgets import apply_hr_selection

    apply_hr_selection(selection)


def select_on_chart(at: AppTest, selection: dict[str, Any]) -> None:
    """Apply a Plotly selection of the HR chart to *at*'s session, then rerun its page.

    AppTest cannot send a chart selection event; the event's handler is run in a
    script of its own on the same session state (the browser tests send real ones).
    """
    event = {"points": [], "point_indices": [], "box": [], "lasso": [], **selection}
    handler = AppTest.from_function(_select_script, kwargs={"selection": event})
    handler.run(timeout=120)  # the default star set: the embedded catalogue, as in *at*
    assert not handler.exception, handler.exception
    for key in SELECTION_STATE:
        if key in handler.session_state:
            at.session_state[key] = handler.session_state[key]
    at.run()
    assert not at.exception, at.exception


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def star_with_parallax(catalog: pd.DataFrame, n: int = 0) -> tuple[int, int]:
    """Return (row, source_id) of the n-th catalogue star drawable on the HR diagram."""
    ok = catalog[(catalog[C.PARALLAX] > 0) & (catalog[C.SP_CLASS] != "")]
    row = int(catalog.index.get_loc(ok.index[n]))
    return row, int(catalog[C.SOURCE_ID].iloc[row])


def test_hr_click_selects_star_and_shows_its_sed(models: Path, catalog: pd.DataFrame) -> None:
    at = open_page("hr_diagram")
    row, source_id = star_with_parallax(catalog, 10)
    select_on_chart(at, {"points": [{"customdata": {"0": row, "1": 1}, "point_index": 5}]})
    assert at.session_state["sedviz.selected_star"] == source_id
    assert len(at.get("plotly_chart")) == 2  # HR + the linked SED panel
    assert at.query_params["star"] in (str(source_id), [str(source_id)])


def test_hr_box_makes_subset_and_empty_box_warns(models: Path, catalog: pd.DataFrame) -> None:
    at = open_page("hr_diagram")
    rows = [star_with_parallax(catalog, i)[0] for i in range(25)]
    box = [{"xref": "x", "yref": "y", "x": [0, 1], "y": [0, 5]}]
    select_on_chart(at, {"points": [{"customdata": [r, 0, 0, 0]} for r in rows], "box": box})
    assert len(at.session_state["sedviz.subset_ids"]) == 25
    assert "25" in [m.value for m in at.metric]
    select_on_chart(at, {"points": [], "box": box})
    assert at.session_state["sedviz.subset_ids"] == ()
    assert any("holds no star" in w for w in texts(at, "warning"))


def _hr_spec(at: AppTest) -> dict[str, Any]:
    return dict(json.loads(at.get("plotly_chart")[0].proto.spec))


def test_hr_draws_the_subset_and_marks_the_star(models: Path, catalog: pd.DataFrame) -> None:
    """The subset and the selected star come from the state: after a page change, in a link."""
    stars = [star_with_parallax(catalog, i) for i in range(30)]
    ids = tuple(source_id for _, source_id in stars)
    at = open_page("hr_diagram", selected_star=ids[0], subset_ids=ids)
    spec = _hr_spec(at)
    assert spec["data"][-1]["name"] == "chosen subset" and len(spec["data"][-1]["x"]) == 30
    marked = [d["selectedpoints"] for d in spec["data"] if d.get("selectedpoints")]
    assert marked and len(marked[0]) == 1


def _marked_rows(spec: dict[str, Any]) -> list[int]:
    """Table rows of the points the HR figure marks as selected (the browser rings them)."""
    return [
        trace["customdata"][i][0] for trace in spec["data"] for i in trace.get("selectedpoints", [])
    ]


def test_hr_click_sends_the_same_chart_and_the_star_comes_back(
    models: Path, catalog: pd.DataFrame
) -> None:
    """A click on the chart sends the chart unchanged (a changed one is a new chart element in
    the browser: every point drawn again); the browser marks and rings the star itself. After
    a page change the figure marks the new star, and the browser rings it."""
    (row_a, id_a), (row_b, id_b) = star_with_parallax(catalog, 3), star_with_parallax(catalog, 40)
    at = open_page("hr_diagram", selected_star=id_a)
    before = at.get("plotly_chart")[0].proto
    assert _marked_rows(json.loads(before.spec)) == [row_a]
    assert any("sedviz-ring" in html.proto.body for html in at.html)  # the ring's script
    select_on_chart(at, {"points": [{"customdata": {"0": row_b, "1": 1}, "point_index": 5}]})
    assert at.session_state["sedviz.selected_star"] == id_b
    after = at.get("plotly_chart")[0].proto
    assert after.id == before.id and after.spec == before.spec
    at.switch_page("pages/sed.py").run()
    at.switch_page("pages/hr_diagram.py").run()
    spec = _hr_spec(at)
    assert _marked_rows(spec) == [row_b]
    assert spec["layout"]["meta"]["ring"]["diameter_px"] > 0


@pytest.fixture
def served() -> Iterator[None]:
    """The app as serve.py serves it: the HR chart is sedviz's component, fed by address."""
    from sedviz.ui import figure_route

    before = figure_route._PUBLISHED.served
    figure_route._PUBLISHED.served = True
    figure_route.forget_all()
    yield
    figure_route._PUBLISHED.served = before
    figure_route.forget_all()


def _chart_data(at: AppTest) -> dict[str, Any]:
    """The data the HR chart component was sent on the last run."""
    (chart,) = at.get("bidi_component")
    return dict(json.loads(chart.proto.json or chart.proto.mixed.json))


def _fetched(url: str) -> Any:
    """What a browser gets from *url* (sedviz.ui.figure_route)."""
    from sedviz.ui import figure_route

    body = figure_route._PUBLISHED.get(url.removeprefix("/sedviz/figure/").removesuffix(".json"))
    assert body is not None, url
    return json.loads(body)


def test_served_hr_chart_is_sent_addresses_and_sends_rows_back(
    models: Path, catalog: pd.DataFrame, served: None
) -> None:
    """Under serve.py the HR page sends the figure's address, not its 5 MB; a box sends its
    rows back, and the subset is published and laid over by the browser; a click's run
    names the star it selected, as the browser shows it."""
    at = open_page("hr_diagram")
    assert not at.get("plotly_chart")  # no star yet: no SED panel, and the HR chart is not one
    data = _chart_data(at)
    assert len(json.dumps(data)) < 1_000 and data["subset"] is None and data["selected"] is None
    spec = _fetched(data["figure"])
    assert sum(len(t["x"]) for t in spec["data"]) > 100_000  # every star, fetched once
    assert spec["data"][-1]["name"] == "chosen subset" and spec["layout"]["meta"]["ring"]
    rows = [star_with_parallax(catalog, i)[0] for i in range(25)]
    select_on_chart(at, {"rows": rows, "box": [{"x": [0, 1], "y": [0, 5]}]})
    assert len(at.session_state["sedviz.subset_ids"]) == 25
    assert at.session_state["sedviz.subset_region"].startswith("box:cmd:0,1,0,5")
    data = _chart_data(at)
    subset = _fetched(data["subset"])
    assert sorted(subset["rows"]) == sorted(rows) and len(subset["x"]) == 25
    assert data["figure"] == _chart_data(open_page("hr_diagram"))["figure"]  # shared by sessions
    row, source_id = star_with_parallax(catalog, 40)
    select_on_chart(at, {"rows": [row]})
    assert at.session_state["sedviz.selected_star"] == source_id
    # The star itself, at once: the browser, which selected it, then has nothing to redraw.
    trace, point = _chart_data(at)["selected"]
    assert spec["data"][trace]["customdata"][point][0] == row
    at.run()
    assert _chart_data(at)["selected"] == [trace, point]


def test_hr_choices_stick_and_change_the_figure(models: Path) -> None:
    """Colour, classes, axes and names: each change is kept in the session state."""
    at = open_page("hr_diagram")
    for colouring in ("catalogued", "probability", "agreement", "predicted"):
        at.selectbox(key="hr.colour").set_value(colouring).run()
        assert at.session_state["sedviz.colouring"] == colouring
        assert at.selectbox(key="hr.colour").value == colouring
    at.radio(key="hr.axes").set_value("bv_mv").run()
    assert at.session_state["sedviz.hr_axes"] == "bv_mv"
    assert "M<sub>V</sub>" in _hr_spec(at)["data"][0]["hovertemplate"]
    at.toggle(key="hr.names").set_value(True).run()
    texts_on_plot = {a["text"] for a in _hr_spec(at)["layout"]["annotations"]}
    assert {"Sirius", "Vega"} <= texts_on_plot
    at.radio(key="classes").set_value("lum_class").run()
    assert at.session_state["sedviz.target"] == "lum_class"
    at.switch_page("pages/explain.py").run()
    assert at.radio(key="classes").value == "lum_class"  # the same choice on Explain


def test_start_up_warming_builds_the_figures_the_hr_page_draws(
    models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After warming, opening the HR page and changing its colouring builds no figure."""
    from sedviz.ui import cache

    cache.warm_shared_caches()
    built: list[str] = []
    plot_hr = cache.plot_hr
    monkeypatch.setattr(cache, "plot_hr", lambda *a, **k: built.append(a[1]) or plot_hr(*a, **k))
    at = open_page("hr_diagram")
    for colouring in ("catalogued", "probability", "agreement", "predicted"):
        at.selectbox(key="hr.colour").set_value(colouring).run()
    at.radio(key="classes").set_value("lum_class").run()
    assert not at.exception, at.exception
    assert built == []


def test_hr_without_model_colours_by_catalogue(no_models: Path) -> None:
    at = open_page("hr_diagram")
    assert any("No spectral class model yet" in i for i in texts(at, "info"))
    assert any("catalogued class" in w for w in texts(at, "warning"))
    assert len(at.get("plotly_chart")) == 1


def test_sed_page_finds_star_and_reports_unknown(models: Path, catalog: pd.DataFrame) -> None:
    at = open_page("sed")
    assert any("No star selected" in i for i in texts(at, "info"))
    at.text_input(key="sed.query").input("HIP 999999").run()
    assert any("No star matching" in w for w in texts(at, "warning"))
    at.text_input(key="sed.query").input("DROP TABLE'; --").run()
    assert any("unknown star name" in w for w in texts(at, "warning"))  # a name, not refused
    hip = int(catalog[C.HIP].iloc[100])
    at.text_input(key="sed.query").input(f"HIP {hip}").run()
    assert not at.exception
    assert texts(at, "subheader")[0] == f"HIP {hip}"
    assert any(t.startswith("Predicted spectral class") for t in texts(at, "markdown"))
    assert len(at.get("plotly_chart")) == 1

    at.text_input(key="sed.query").input("Betelguese").run()  # a typo: close names offered
    assert any("did you mean Betelgeuse?" in w for w in texts(at, "warning"))


def test_link_with_bad_star_and_unknown_star(no_models: Path) -> None:
    at = open_page("stars", {"star": "not-a-number", "colour": "agreement"})
    assert any("not a Gaia DR3 id" in w for w in texts(at, "warning"))
    assert at.session_state["sedviz.colouring"] == "agreement"
    at = open_page("sed", {"star": "123"})
    assert any("not in the current star set" in w for w in texts(at, "warning"))


def test_explain_page_for_star_and_subset(models: Path, catalog: pd.DataFrame) -> None:
    row, source_id = star_with_parallax(catalog, 3)
    at = open_page("explain", selected_star=source_id)
    # The reason in words (sedviz.classifier.explain.reason_in_words), not a feature code.
    reasons = [m for m in texts(at, "markdown") if "is typical of" in m or "No single" in m]
    assert reasons and "bp_rp" not in reasons[0]
    assert len(at.get("plotly_chart")) >= 4  # waterfall, probabilities, importance, beeswarm
    at = open_page("explain", subset_ids=(), subset_label="box on the HR diagram")
    assert any("No explained star" in w for w in texts(at, "warning"))


def test_explain_without_model(no_models: Path) -> None:
    at = open_page("explain")
    assert any("No spectral class model yet" in i for i in texts(at, "info"))


def test_stars_page_failed_query_keeps_app_working(
    models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**kwargs: Any) -> None:
        raise ArchiveUnavailableError("the Gaia archive did not answer (timeout)")

    monkeypatch.setattr("sedviz.ui.cache.query_cone", fail)
    at = open_page("stars")
    at.segmented_control(key="stars.source").set_value("cone").run()
    search = [b for b in at.button if "Search" in str(b.label)]
    search[0].click().run()
    assert not at.exception, at.exception
    assert any("did not answer" in e for e in texts(at, "error")), texts(at, "error")
    assert any("embedded catalogue" in m for m in texts(at, "markdown"))  # old set kept
    at.switch_page("pages/hr_diagram.py").run()
    assert not at.exception


def test_sed_page_overlays_chosen_templates(models: Path, catalog: pd.DataFrame) -> None:
    hip = int(catalog[C.HIP].iloc[100])
    at = open_page("sed")
    at.text_input(key="sed.query").input(f"HIP {hip}").run()
    at.multiselect[0].select("G0V").select("M0V").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace.get("name", "") for trace in spec["data"]]
    chosen = [n for n in names if "chosen" in n]
    assert len(chosen) == 2 and all(n.startswith("template (not measured)") for n in chosen)


def test_gallery_button_selects_the_star_and_opens_its_sed(
    models: Path, catalog: pd.DataFrame
) -> None:
    at = open_page("stars")
    vega = next(b for b in at.button if b.label == "Vega")
    vega.click().run()
    assert not at.exception, at.exception
    hip_of = dict(zip(catalog[C.SOURCE_ID], catalog[C.HIP], strict=True))
    assert hip_of[at.session_state["sedviz.selected_star"]] == 91262
    # AppTest does not follow st.switch_page (the browser test does): open the SED page.
    at.switch_page("pages/sed.py").run()
    assert not at.exception, at.exception
    headings = [str(h.value) for kind in (at.title, at.header, at.subheader) for h in kind]
    assert any(h.startswith("Vega") for h in headings), headings
