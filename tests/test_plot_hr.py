"""The HR figure: one lean WebGL trace, row ids in customdata, brighter up, colourings."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from sedviz import columns as C
from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY
from sedviz.plots.hr import (
    CLASS_COLOURS,
    HEIGHT,
    UNKNOWN_COLOUR,
    browser_spec,
    compute_axis_range,
    compute_colour_codes,
    drawable_frame,
    plot_hr,
)
from sedviz.plots.theme import font_size
from sedviz.views.hr import COLOURINGS, hr_frame


@pytest.fixture(scope="module")
def frame(small_catalog: pd.DataFrame) -> pd.DataFrame:
    preds = pd.DataFrame(
        {
            PREDICTED_CLASS: small_catalog[C.SP_CLASS].to_numpy(),
            PREDICTED_PROBABILITY: np.linspace(0.2, 1.0, len(small_catalog)),
        },
        index=small_catalog.index,
    )
    return hr_frame(small_catalog, preds)


@pytest.mark.parametrize("colouring", list(COLOURINGS))
def test_one_webgl_trace_with_row_ids(frame: pd.DataFrame, colouring: str) -> None:
    fig = plot_hr(frame, colouring)
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert isinstance(trace, go.Scattergl)
    drawn = drawable_frame(frame)
    assert np.asarray(trace.customdata).shape == (len(drawn), 3)
    assert np.asarray(trace.customdata).dtype == np.int32
    assert np.asarray(trace.customdata)[:, 0].tolist() == drawn["row"].tolist()
    assert "HIP %{customdata[1]}" in trace.hovertemplate
    assert "predicted %{hovertext}" in trace.hovertemplate


def test_brighter_up_and_hot_left(frame: pd.DataFrame) -> None:
    cmd = plot_hr(frame, "catalogued")
    low, high = cmd.layout.yaxis.range
    assert low > high  # absolute magnitude: bright (small) at the top
    fits = frame.assign(log_teff=np.float32(3.7), log_lum=np.float32(0.0))
    tl = plot_hr(fits, "catalogued", axes="teff_lum")
    assert tl.layout.xaxis.range[0] > tl.layout.xaxis.range[1]


def test_discrete_colours_follow_class_order(frame: pd.DataFrame) -> None:
    codes, labels = compute_colour_codes(frame.head(5), "catalogued", C.SP_CLASS)
    assert labels == ("O", "B", "A", "F", "G", "K", "M", "unknown")
    assert codes.dtype == np.uint8
    assert [labels[c] for c in codes] == frame["catalogued"].head(5).replace("", "unknown").tolist()
    fig = plot_hr(frame, "catalogued")
    drawn = drawable_frame(frame)["catalogued"].replace("", "unknown")
    expected = [CLASS_COLOURS.get(label, UNKNOWN_COLOUR) for label in drawn]
    assert list(fig.data[0].marker.color) == expected  # one colour per star, no colour scale
    assert fig.data[0].marker.colorscale is None
    legend = fig.layout.annotations[0].text
    positions = [legend.index(f"</span> {label}") for label in labels]
    assert positions == sorted(positions)  # the legend names the classes in order


def test_probability_colouring_is_per_star(frame: pd.DataFrame) -> None:
    colours = plot_hr(frame, "probability").data[0].marker.color
    assert len(colours) == len(drawable_frame(frame))
    assert all(c.startswith("rgb(") for c in colours)  # no "#": see CLASS_COLOURS
    assert len(set(colours)) > 3  # probabilities 0.2-1.0 spread over the scale


@pytest.mark.slow
def test_figure_json_is_lean(catalog: pd.DataFrame) -> None:
    """The whole catalogue: a few MB, not tens; customdata as short plain rows."""
    fig = plot_hr(hr_frame(catalog), "catalogued")
    text = json.dumps(browser_spec(fig), separators=(",", ":"))
    assert len(text) < 5e6
    data = json.loads(text)["data"][0]
    assert data["customdata"][0] == np.asarray(fig.data[0].customdata)[0].tolist()


def test_browser_spec_has_only_plain_arrays(frame: pd.DataFrame) -> None:
    """NumPy arrays in the figure (cheap to copy), plain lists in the browser's copy."""
    fig = plot_hr(frame, "probability")
    assert isinstance(fig.data[0].customdata, np.ndarray)
    spec = browser_spec(fig)
    trace = spec["data"][0]
    assert "bdata" not in json.dumps(spec)
    assert trace["customdata"] == np.asarray(fig.data[0].customdata).tolist()
    assert trace["marker"]["color"] == list(fig.data[0].marker.color)
    assert spec["layout"]["height"] == fig.layout.height


@pytest.mark.parametrize("colouring", list(COLOURINGS))
def test_star_colours_carry_no_hash(frame: pd.DataFrame, colouring: str) -> None:
    """Streamlit searches the figure's JSON for "#0000NN" placeholders; a "#" per star slows it."""
    text = json.dumps(browser_spec(plot_hr(frame, colouring)))
    assert text.count("#") < 10 < len(drawable_frame(frame))


@pytest.mark.parametrize("colouring", list(COLOURINGS))
def test_figure_is_drawn_once_by_streamlit(frame: pd.DataFrame, colouring: str) -> None:
    """What lets Plotly skip the second, identical draw of Streamlit's chart component.

    Streamlit hands Plotly a JSON copy of the figure, at the element's height,
    right after the first draw. Plotly redraws unless the height is the same, the
    per-point arrays it compares are plain arrays (a typed array is decoded anew,
    so it always differs), ``datarevision`` is unchanged and the layout holds no
    template object.
    """
    spec = browser_spec(plot_hr(frame, colouring))
    trace, layout = spec["data"][0], spec["layout"]
    for values in (trace["x"], trace["y"], trace["marker"]["color"], trace["text"]):
        assert isinstance(values, list)
    assert all(isinstance(row, list) for row in trace["customdata"])
    assert not layout.get("template")
    assert layout["height"] == HEIGHT  # the height the page gives the chart
    assert layout["datarevision"]
    again = browser_spec(plot_hr(frame, colouring))["layout"]
    assert again["datarevision"] == layout["datarevision"]
    other = "probability" if colouring != "probability" else "catalogued"
    changed = browser_spec(plot_hr(frame, other))["layout"]
    assert changed["datarevision"] != layout["datarevision"]


def test_good_only_and_selected_marker(frame: pd.DataFrame) -> None:
    good = plot_hr(frame, "catalogued", good_only=True)
    assert len(good.data[0].x) == int(drawable_frame(frame, good_only=True).shape[0])
    row = int(drawable_frame(frame)["row"].iloc[0])
    marked = plot_hr(frame, "catalogued", selected_row=row, presentation=True)
    # the colour legend, and the arrow to the selected star
    assert len(marked.layout.annotations) == 2 and len(marked.data) == 1
    assert marked.layout.annotations[1].showarrow
    assert marked.layout.font.size == font_size(presentation=True)


def test_unknown_colouring_is_refused(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="unknown colouring"):
        plot_hr(frame, "rainbow")


def test_coordinates_are_rounded_for_short_echoes(frame: pd.DataFrame) -> None:
    x = np.asarray(plot_hr(frame, "catalogued").data[0].x, dtype=np.float64)
    assert np.allclose(x, np.round(x, 2))
    assert all(len(repr(float(v))) <= 6 for v in x[:200])
    assert np.allclose(x, drawable_frame(frame)["bp_rp"], atol=0.005 + 1e-6)


def test_hover_without_model_has_no_prediction(small_catalog: pd.DataFrame) -> None:
    trace = plot_hr(hr_frame(small_catalog), "catalogued").data[0]
    assert "predicted" not in trace.hovertemplate and trace.hovertext is None
    assert set(np.asarray(trace.customdata)[:, 2]) == {0}


def test_axis_range_ignores_a_few_outliers() -> None:
    values = np.r_[np.linspace(0, 1, 10000), 50.0]
    low, high = compute_axis_range(values)
    assert low < 0 and high < 2
    assert compute_axis_range(np.array([np.nan])) is None
