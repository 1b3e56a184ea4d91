"""The lean dark template and frozen figures: same look, same content, less work per run."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sedviz.classifier.explain import SHAP_BASE, SHAP_CLASS
from sedviz.plots import explain as P
from sedviz.plots.theme import DARK, DARK_LAYOUT
from sedviz.ui.frozen import freeze


def test_dark_template_is_registered_and_copies_plotly_dark_layout() -> None:
    assert DARK in pio.templates
    ours = pio.templates[DARK].to_plotly_json()
    reference = pio.templates["plotly_dark"].layout.to_plotly_json()
    for key, value in DARK_LAYOUT.items():
        assert reference[key] == value, key
    # No per-trace defaults: that is what made plotly_dark heavy.
    assert not ours.get("data")


def test_dark_template_is_much_smaller_than_plotly_dark() -> None:
    lean = len(pio.to_json(go.Figure(layout={"template": DARK})))
    full = len(pio.to_json(go.Figure(layout={"template": "plotly_dark"})))
    assert lean * 3 < full


def test_explain_figures_use_the_dark_template() -> None:
    frame = pd.DataFrame(
        {"feature": ["bp_rp", "abs_g"], "label": ["BP−RP", "M_G"], "mean_abs_shap": [1.0, 0.5]}
    )
    fig = P.plot_importance(frame)
    assert fig.layout.template.layout.font.color == DARK_LAYOUT["font"]["color"]  # type: ignore[index]


def test_frozen_figure_keeps_content_and_serialises_once() -> None:
    fig = go.Figure(go.Scatter(x=[1.0, 2.0], y=[3.0, 4.0], name="stars"))
    fig.update_layout(template=DARK, title="t")
    frozen = freeze(fig)
    assert frozen.to_dict() == json.loads(fig.to_json())
    assert frozen.to_dict() is frozen.to_dict()  # computed once, not per call
    assert frozen.data[0].name == "stars"
    assert frozen.layout.title.text == "t"


def test_frozen_figure_is_what_streamlit_serialises() -> None:
    fig = go.Figure(go.Bar(x=[1, 2], y=[SHAP_CLASS, SHAP_BASE]))
    frozen = freeze(fig)
    assert json.loads(pio.to_json(frozen.to_dict(), validate=False)) == frozen.to_dict()


def test_frozen_long_lists_are_serialised_once() -> None:
    """Per-star lists become one pre-serialised JSON fragment (no per-star objects to keep)."""
    n = 5000
    spec = {
        "data": [
            {"type": "scattergl", "x": [0.5] * n, "customdata": [[i, 2 * i] for i in range(n)]}
        ],
        "layout": {"height": 300},
    }
    frozen = freeze(go.Figure(), spec)
    trace = frozen.to_dict()["data"][0]
    assert not isinstance(trace["x"], list) and not isinstance(trace["customdata"], list)
    assert json.loads(pio.to_json(frozen, validate=False)) == spec


def test_frozen_figure_without_template_exports_html() -> None:
    """The HR figure carries no template (layout.template None): its HTML export must work."""
    fig = go.Figure(go.Scattergl(x=[1.0, 2.0], y=[3.0, 4.0], name="stars"))
    fig.update_layout(template=None)
    frozen = freeze(fig, {"data": [{"type": "scattergl", "x": [1.0] * 2000, "y": [2.0] * 2000}],
                          "layout": {"template": None, "height": 300}})  # fmt: skip
    assert "template" not in frozen.to_dict()["layout"]
    html = frozen.to_html(include_plotlyjs=False, full_html=False)
    assert '"type":"scattergl"' in html and '"height":300' in html
