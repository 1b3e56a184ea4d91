"""The SED figure: what is drawn, how it is labelled, what is never drawn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from sedviz import columns as C
from sedviz.catalog.tables import load_star_table
from sedviz.plots import plot_sed, plot_star_sed
from sedviz.plots.sed import compute_fit_residuals
from sedviz.sed.fit import compute_sed_fit
from sedviz.sed.photometry import compute_sed_points
from sedviz.sed.templates import build_template_sed, compute_template_points

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"


@pytest.fixture(scope="module")
def g2v() -> tuple[pd.DataFrame, pd.Series]:
    stars = load_star_table(REAL_STARS)
    one = stars[stars[C.SP_TYPE] == "G2V"]
    return compute_sed_points(one.iloc[0]), compute_sed_fit(one).iloc[0]


def _names(fig: go.Figure) -> list[str]:
    return [str(trace.name) for trace in fig.data]


def test_points_curve_and_templates_are_labelled(g2v: tuple[pd.DataFrame, pd.Series]) -> None:
    points, fit = g2v
    template = compute_template_points(build_template_sed("G", 2), points)
    fig = plot_sed(points, fit, [("G2V, catalogued type", template)], title="HIP 80")
    names = _names(fig)
    assert "Gaia (measured)" in names
    assert "Johnson-Cousins (derived from V and colour)" in names
    assert any(n.startswith("blackbody fit, T = ") for n in names)
    assert "template (not measured): G2V, catalogued type" in names
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"


def test_unmeasured_bands_are_listed_never_drawn(g2v: tuple[pd.DataFrame, pd.Series]) -> None:
    points, fit = g2v
    fig = plot_sed(points, fit)
    measured = [t for t in fig.data if t.mode == "markers"]
    drawn = np.concatenate([np.asarray(t.y, float) for t in measured])
    assert len(drawn) == 9 and np.all(drawn > 0) and np.all(np.isfinite(drawn))
    assert fig.layout.legend.title.text == "Not measured: J, H, Ks, W1, W2, W3, W4"


def test_log_axis_ticks_a_student_can_read(g2v: tuple[pd.DataFrame, pd.Series]) -> None:
    points, fit = g2v
    fig = plot_sed(points, fit, residuals=True)
    for axis in (fig.layout.xaxis, fig.layout.xaxis2):
        assert list(axis.tickvals) == [0.3, 0.5, 1, 2, 5, 10, 20]
        assert list(axis.ticktext) == ["0.3", "0.5", "1", "2", "5", "10", "20"]


def test_template_colours_visible_on_dark() -> None:
    from plotly.colors import hex_to_rgb

    from sedviz.plots.sed import TEMPLATE_COLOURS

    for colour in TEMPLATE_COLOURS:
        r, g, b = hex_to_rgb(colour)
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b > 120  # light on the night-blue plot


def test_band_with_value_but_no_error_is_never_not_measured(catalog: pd.DataFrame) -> None:
    """Alcyone (HIP 17702) from an archive answer whose Gaia flux errors are empty."""
    from sedviz.views.star import SOURCE_NO_ERROR, build_sed_view, star_facts_frame

    star = catalog[catalog[C.HIP] == 17702].copy()
    for name in (C.G_FLUX_OVER_ERROR, C.BP_FLUX_OVER_ERROR, C.RP_FLUX_OVER_ERROR):
        star[name] = np.nan
    view = build_sed_view(star.reset_index(drop=True), 0)
    source = view.points.set_index(C.SED_BAND)[C.SED_SOURCE]
    assert (source[["G", "BP", "RP"]] == SOURCE_NO_ERROR).all()
    note = plot_sed(view.points, view.fit).layout.legend.title.text
    assert "G" not in note.split("·")[0] and "no usable error): BP, G, RP" in note
    facts = star_facts_frame(star, 0).set_index("quantity")["value"]
    assert facts["G magnitude"] == "2.90"
    assert facts["name"] == "eta Tau (HIP 17702)"  # its Bayer designation: no proper name


def test_hover_names_band_magnitude_flux_and_source(g2v: tuple[pd.DataFrame, pd.Series]) -> None:
    points, _ = g2v
    fig = plot_sed(points)
    gaia = next(t for t in fig.data if t.name == "Gaia (measured)")
    assert "<b>BP</b>" in gaia.text[0] and "Jy" in gaia.text[0] and "measured" in gaia.text[0]
    assert "default floor" in gaia.text[0]


def test_no_curve_when_the_fit_failed(g2v: tuple[pd.DataFrame, pd.Series]) -> None:
    points, fit = g2v
    failed = fit.copy()
    failed[C.SED_FIT_STATUS] = "no usable bands"
    fig = plot_sed(points, failed, residuals=True)
    assert not any("blackbody" in n for n in _names(fig))
    assert "yaxis2" not in fig.layout  # no residual panel without a fit


def test_residual_panel(g2v: tuple[pd.DataFrame, pd.Series]) -> None:
    points, fit = g2v
    fig = plot_sed(points, fit, residuals=True)
    assert fig.layout.yaxis2.title.text == "Δm (mag)"
    res = compute_fit_residuals(points, fit)
    assert len(res) == 9
    # the weighted residuals of a 2-parameter fit scatter around zero
    assert abs(np.median(res["residual_mag"])) < 0.05


def test_one_call_star_figure_with_catalogued_and_predicted_templates() -> None:
    stars = load_star_table(REAL_STARS)
    row = stars[stars[C.SP_TYPE] == "K0V"].iloc[0]
    fig = plot_star_sed(row, predicted_type="G", title="HIP 351")
    names = _names(fig)
    assert "template (not measured): K0V dwarf, catalogued type" in names
    assert "template (not measured): G5V dwarf, predicted type, mid-class for G" in names
    assert any(n.startswith("blackbody fit") for n in names)
    assert "yaxis2" in fig.layout
    untyped = row.copy()
    untyped[C.SP_CLASS] = ""
    unknown = plot_star_sed(untyped, predicted_type="??")
    assert not any(n.startswith("template") for n in _names(unknown))


def test_dashboard_layout_puts_the_note_under_the_title(
    g2v: tuple[pd.DataFrame, pd.Series],
) -> None:
    from sedviz.plots.sed import style_sed_for_dashboard

    points, fit = g2v
    fig = plot_sed(points, fit, title="a star")
    style_sed_for_dashboard(fig, compact=False, presentation=True)
    assert fig.layout.title.subtitle.text == "Not measured: J, H, Ks, W1, W2, W3, W4"
    assert not fig.layout.legend.title.text  # a legend title pushed the entries off the figure
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    small = plot_sed(points, fit, title="a star")
    style_sed_for_dashboard(small, compact=True, presentation=False)
    assert small.layout.title.text is None and small.layout.showlegend is not False
