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
    CONFIDENCE_COLOURS,
    HEIGHT,
    UNKNOWN_COLOUR,
    browser_spec,
    compute_axis_range,
    compute_colour_codes,
    drawable_frame,
    locate_row,
    marker_size,
    plot_hr,
    ring_style,
)
from sedviz.plots.theme import font_size
from sedviz.views.hr import COLOURINGS, hr_frame


@pytest.fixture(scope="module")
def gaia_catalog(small_catalog: pd.DataFrame) -> pd.DataFrame:
    """The sample's stars with a Gaia counterpart (all drawn as measured)."""
    return small_catalog[small_catalog[C.SOURCE_ID] > 0].reset_index(drop=True)


@pytest.fixture(scope="module")
def frame(gaia_catalog: pd.DataFrame) -> pd.DataFrame:
    preds = pd.DataFrame(
        {
            PREDICTED_CLASS: gaia_catalog[C.SP_CLASS].to_numpy(),
            PREDICTED_PROBABILITY: np.linspace(0.2, 1.0, len(gaia_catalog)),
        },
        index=gaia_catalog.index,
    )
    return hr_frame(gaia_catalog, preds)


@pytest.mark.parametrize("colouring", list(COLOURINGS))
def test_one_webgl_trace_with_row_ids(frame: pd.DataFrame, colouring: str) -> None:
    fig = plot_hr(frame, colouring)
    # the stars, then the (empty) trace that rings the user's subset
    assert [t.uid for t in fig.data] == ["stars", "choice"] and len(fig.data[1].x) == 0
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
    assert set(colours) <= set(CONFIDENCE_COLOURS)  # names: no "#", no rgb() to parse
    assert len(set(colours)) > 3  # probabilities 0.2-1.0 spread over the scale
    probability = drawable_frame(frame)["probability"].to_numpy()
    order = np.argsort(probability, kind="stable")
    ranks = [CONFIDENCE_COLOURS.index(c) for c in np.asarray(colours)[order]]
    assert ranks == sorted(ranks)  # a higher probability never gets an earlier colour


def test_confidence_colours_get_lighter_and_are_named() -> None:
    from PIL import ImageColor  # Pillow: a Streamlit dependency; CSS colour names

    # Relative luminance (WCAG) rises along the scale: the order reads without colour vision.
    def luminance(name: str) -> float:
        c = np.asarray(ImageColor.getrgb(name)[:3]) / 255.0  # ValueError if not a CSS name
        linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    values = [luminance(name) for name in CONFIDENCE_COLOURS]
    assert values == sorted(values)


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


def test_good_only_and_presentation(frame: pd.DataFrame) -> None:
    good = plot_hr(frame, "catalogued", good_only=True)
    assert len(good.data[0].x) == int(drawable_frame(frame, good_only=True).shape[0])
    big = plot_hr(frame, "catalogued", presentation=True)
    assert big.layout.font.size == font_size(presentation=True)
    assert big.data[0].marker.size > plot_hr(frame, "catalogued").data[0].marker.size


def test_small_sets_get_larger_markers(frame: pd.DataFrame) -> None:
    assert marker_size(26) >= 8 > marker_size(1500) > marker_size(100_000) == 3
    cluster = plot_hr(frame.iloc[:26], "catalogued")
    assert cluster.data[0].marker.size == marker_size(len(drawable_frame(frame.iloc[:26])))
    assert cluster.data[0].marker.size >= 8


def test_no_dimming_on_selection(frame: pd.DataFrame) -> None:
    trace = plot_hr(frame, "catalogued").data[0]
    assert trace.unselected.marker.opacity == trace.marker.opacity


def test_stars_without_gaia_are_estimated_and_drawn_open(small_catalog: pd.DataFrame) -> None:
    """The sample's real stars without a Gaia counterpart (source_id = -hip)."""
    no_gaia = small_catalog[C.SOURCE_ID] < 0
    assert no_gaia.sum() >= 5
    frame = hr_frame(small_catalog)
    assert frame.loc[frame["estimated"], C.SOURCE_ID].lt(0).all() and frame["estimated"].any()
    fig = plot_hr(frame, "catalogued")
    assert [t.uid for t in fig.data] == ["stars", "estimated", "choice"]
    est = fig.data[1]
    assert est.marker.symbol == "circle-open" and "estimated" in est.name
    assert "estimated from V and V−I" in est.hovertemplate and "≈" in est.hovertemplate
    assert len(est.x) == len(drawable_frame(frame)[lambda f: f["estimated"]])
    # The classical axes place them without any estimate: one measured trace.
    bv = plot_hr(frame, "catalogued", axes="bv_mv")
    assert [t.uid for t in bv.data] == ["stars", "choice"]
    assert len(bv.data[0].x) == len(drawable_frame(frame, "bv_mv"))
    assert "M<sub>V</sub>" in bv.data[0].hovertemplate
    assert bv.layout.yaxis.range[0] > bv.layout.yaxis.range[1]  # brighter up


def test_estimate_is_close_to_gaia_where_both_exist(small_catalog: pd.DataFrame) -> None:
    from sedviz.catalog.johnson_gaia import estimate_bp_rp, estimate_g_mag

    t = small_catalog
    v_i = t[C.V_I].to_numpy(float)
    g = estimate_g_mag(t[C.V_MAG].to_numpy(float), v_i)
    bp_rp = estimate_bp_rp(v_i)
    ok = np.isfinite(g) & np.isfinite(t[C.G_MAG].to_numpy(float))
    assert ok.sum() > 100
    assert np.median(np.abs(g[ok] - t[C.G_MAG].to_numpy(float)[ok])) < 0.05
    measured = (t[C.BP_MAG] - t[C.RP_MAG]).to_numpy(float)
    assert np.median(np.abs(bp_rp[ok] - measured[ok])) < 0.08
    assert np.isnan(estimate_bp_rp(np.array([4.0]))[0])  # outside the validity range


def test_hover_names_stars_without_hip_never_hip_0(gaia_catalog: pd.DataFrame) -> None:
    table = gaia_catalog.copy()
    table.loc[table.index[:5], C.HIP] = np.nan
    trace = plot_hr(hr_frame(table), "catalogued").data[0]
    assert "HIP %{customdata[1]}" not in trace.hovertemplate
    names = [row[1] for row in trace.customdata]
    assert "HIP 0" not in names and any(str(n).startswith("Gaia DR3 ") for n in names)
    assert all(isinstance(row[0], int | np.integer) for row in trace.customdata)


def test_out_of_domain_stars_drawn_apart_with_reason(frame: pd.DataFrame) -> None:
    outside = frame.copy()
    outside.loc[outside.index[:10], "in_domain"] = False
    outside.loc[outside.index[:10], "domain_note"] = "fainter than the training stars"
    fig = plot_hr(outside, "predicted")
    assert [t.uid for t in fig.data] == ["stars", "outside", "choice"]
    assert fig.data[1].marker.symbol == "x"
    assert "uncertain" in fig.data[1].hovertext[0] and "fainter" in fig.data[1].hovertext[0]
    assert "%{customdata[2]} %" not in fig.data[1].hovertemplate  # no confident probability


def test_names_toggle_labels_brightest_named(frame: pd.DataFrame) -> None:
    named = frame.copy()
    named["name"] = ""
    brightest = named.dropna(subset=["abs_g", "bp_rp"]).nsmallest(3, "v").index
    named.loc[brightest, "name"] = ["Aaa", "Bbb", "Ccc"]
    texts = [a.text for a in plot_hr(named, "catalogued", names=True).layout.annotations]
    assert {"Aaa", "Bbb", "Ccc"} <= set(texts)
    assert len(plot_hr(named, "catalogued").layout.annotations) == 1  # the colour legend only


def test_right_wrong_palette_is_colour_blind_safe() -> None:
    assert CLASS_COLOURS["right"] not in {"green", "lightgreen", "limegreen"}
    assert CLASS_COLOURS["wrong"] not in {"red", "crimson", "tomato"}


def test_choice_overlay_rings_subset_and_marks_star(frame: pd.DataFrame) -> None:
    from sedviz.plots.hr_choice import compose_hr_spec, subset_points

    fig = plot_hr(frame, "catalogued")
    spec = browser_spec(fig)
    stars = drawable_frame(frame)
    rows = stars["row"].iloc[:7].to_numpy()
    subset = subset_points(stars, rows, "cmd")
    where = locate_row(stars, int(rows[3]), "cmd")
    assert where == (0, 3)
    out = compose_hr_spec(spec, subset, where)
    text = json.loads(pio_json(out))
    assert len(text["data"][-1]["x"]) == 7 and text["data"][-1]["name"] == "chosen subset"
    assert text["data"][0]["selectedpoints"] == [3]
    assert text["layout"]["datarevision"] != spec["layout"]["datarevision"]
    assert spec["data"][-1].get("x") == [] and "selectedpoints" not in spec["data"][0]  # shared
    # The selected star is drawn by Plotly's selected style, apart from every class colour.
    assert fig.data[0].selected.marker.color not in CLASS_COLOURS.values()
    assert fig.data[0].selected.marker.size > fig.data[0].marker.size
    # A star alone changes no data array: the revision stays.
    click = compose_hr_spec(spec, None, where)
    assert click["layout"]["datarevision"] == spec["layout"]["datarevision"]
    assert locate_row(stars, -5, "cmd") is None


def test_subsets_of_other_stars_at_the_same_places_have_other_digests(frame: pd.DataFrame) -> None:
    """The browser fetches a subset by its digest and keeps it: other rows, other digest."""
    from sedviz.plots.hr_choice import subset_points

    stars = drawable_frame(frame)
    twins = stars.assign(row=stars["row"] + 1_000_000)  # same places and colours, other stars
    rows = stars["row"].iloc[:5].to_numpy()
    mine, theirs = subset_points(stars, rows, "cmd"), subset_points(twins, rows + 1_000_000, "cmd")
    assert (mine["x"], mine["y"], mine["color"]) == (theirs["x"], theirs["y"], theirs["color"])
    assert mine["rows"] != theirs["rows"] and mine["digest"] != theirs["digest"]


def ringed_point(spec: dict) -> tuple[float, float] | None:
    """The data point the browser rings (sedviz/ui/hr_ring.js): the one selected point, if one."""
    points = [
        (trace["x"][i], trace["y"][i])
        for trace in spec["data"]
        for i in trace.get("selectedpoints", [])
    ]
    return points[0] if len(points) == 1 else None


def test_clicked_star_is_ringed_without_touching_the_points(frame: pd.DataFrame) -> None:
    """The ring is on the clicked star's data coordinates; the points and their revision stay."""
    from sedviz.plots.hr_choice import compose_hr_spec

    spec = browser_spec(plot_hr(frame, "catalogued"))
    stars = drawable_frame(frame)
    star = stars.iloc[11]
    out = compose_hr_spec(spec, None, locate_row(stars, int(star["row"]), "cmd"))
    assert ringed_point(out) == (round(star["bp_rp"], 2), round(star["abs_g"], 2))
    assert out["layout"]["meta"]["ring"] == ring_style(font_size())  # its look, shared
    assert ringed_point(compose_hr_spec(spec)) is None  # no click, no ring
    assert ringed_point(spec) is None
    # A click changes no data array (the same objects) and not the revision: the
    # browser has nothing to redraw, and a figure drawn anew draws its points once.
    assert out["layout"]["datarevision"] == spec["layout"]["datarevision"]
    for before, after in zip(spec["data"], out["data"], strict=True):
        for key in ("x", "y", "customdata", "text"):
            assert after.get(key) is before.get(key)
        assert after["marker"].get("color") is before["marker"].get("color")
    assert not out["layout"].get("shapes")  # not a layout shape: that would be a new chart


def test_ring_is_larger_than_the_star_and_grows_with_the_font(frame: pd.DataFrame) -> None:
    small, big = ring_style(font_size()), ring_style(font_size(presentation=True))
    assert small["diameter_px"] == 2 * font_size() < big["diameter_px"] == 2 * font_size(True)
    assert 2 <= small["width_px"] <= big["width_px"]
    assert small["color"] not in CLASS_COLOURS.values()
    for presentation in (False, True):
        fig = plot_hr(frame.iloc[:26], "catalogued", presentation=presentation)  # large dots
        ring = fig.layout.meta["ring"]
        assert ring == ring_style(font_size(presentation))
        assert ring["diameter_px"] > fig.data[0].selected.marker.size + 2 * ring["width_px"]


def test_subset_is_drawn_on_top_larger_opaque_and_outlined(frame: pd.DataFrame) -> None:
    """Issue 18 item 4: the subset stands out; nothing else is dimmed."""
    for stars in (frame, frame.iloc[:26]):
        fig = plot_hr(stars, "catalogued")
        base, choice = fig.data[0].marker, fig.data[-1].marker
        assert fig.data[-1].name == "chosen subset"  # the last trace: drawn on top
        assert choice.size > base.size and choice.opacity == 1.0 > base.opacity
        assert choice.line.width > 0 and choice.line.color == "white"


def pio_json(spec: dict) -> str:
    import plotly.io as pio

    return pio.to_json(spec, validate=False, engine="orjson")


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
