"""The SED figure: measured points, the fitted blackbody, templates, residuals.

Pure DataFrame-in / Figure-out: no Streamlit, no state. Inputs come from
:func:`sedviz.sed.photometry.compute_sed_points`, one row of
:func:`sedviz.sed.fit.compute_sed_fit` and, optionally,
:func:`sedviz.sed.templates.compute_template_points`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sedviz import columns as C
from sedviz.plots.theme import BACKGROUND, DARK, MUTED_TEXT, font_size
from sedviz.sed.bands import compute_bb_mag_grid
from sedviz.sed.bands_build import compute_pi_planck_jy
from sedviz.sed.fit import compute_sed_fit
from sedviz.sed.photometry import (
    SOURCE_DERIVED,
    SOURCE_MEASURED,
    SOURCE_NOT_MEASURED,
    compute_lam_flam,
    compute_sed_points,
)
from sedviz.sed.templates import build_template_sed, compute_template_points
from sedviz.views.star import SedView

#: One colour per survey (colour-blind safe Okabe-Ito palette).
SURVEY_COLOURS: Final[dict[str, str]] = {
    "Gaia": "#0072B2",
    "Hipparcos": "#CC79A7",
    "Tycho": "#E69F00",
    "Johnson-Cousins": "#009E73",
    "2MASS": "#D55E00",
    "WISE": "#56B4E9",
}
#: Template line colours, light enough for the dark background (Okabe-Ito yellow, light
#: grey, reddish purple): a black template vanished on the night-blue plot.
TEMPLATE_COLOURS: Final = ("#F0E442", "#D9D9D9", "#CC79A7")
#: Ticks of the log wavelength axis, micron (Plotly's own labels 0.3-0.9 as "3 4 5 ... 9").
WAVELENGTH_TICKS_UM: Final = (0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
_CURVE_UM: Final = np.geomspace(0.3, 30.0, 300)
_RAD_PER_MAS: Final = np.pi / 180.0 / 3600e3
_TYPE_RE: Final = re.compile(r"^\s*([OBAFGKM])\s*(\d+(?:\.\d+)?)?")
#: Subclass used for a template when only the class letter is known.
MID_SUBCLASS: Final = 5.0


#: One SED point's hover text; the fields are :data:`_HOVER_COLUMNS`, in order.
_HOVER: Final = (
    "<b>{}</b> ({}, {})<br>λ = {:.3f} µm<br>m = {:.3f} ± {:.3f} mag ({} error)<br>"
    "Fν = {:.4g} ± {:.2g} Jy<br>λFλ = {:.4g} erg s⁻¹ cm⁻²"
)
_HOVER_COLUMNS: Final = (
    C.SED_BAND, C.SED_SURVEY, C.SED_SOURCE, C.SED_WAVELENGTH_UM, C.SED_MAG, C.SED_MAG_ERROR,
    C.SED_ERROR_SOURCE, C.SED_FLUX_JY, C.SED_FLUX_ERROR_JY, C.SED_LAM_FLAM,
)  # fmt: skip
_DRAWN_SOURCES: Final = (SOURCE_MEASURED, SOURCE_DERIVED)


def _point_traces(points: pd.DataFrame) -> list[dict[str, Any]]:
    """One trace per survey and source (measured, derived), in the order the points come.

    Plain lists and arrays, not DataFrame rows: ``iterrows`` and ``groupby`` converted
    the pyarrow-backed string columns again for every row and group (issue #18.12).
    """
    fields = {name: points[name].tolist() for name in _HOVER_COLUMNS}
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (survey, source) in enumerate(
        zip(fields[C.SED_SURVEY], fields[C.SED_SOURCE], strict=True)
    ):
        if source in _DRAWN_SOURCES:
            groups.setdefault((survey, source), []).append(i)
    wavelength = points[C.SED_WAVELENGTH_UM].to_numpy()
    lam_flam = points[C.SED_LAM_FLAM].to_numpy()
    error = points[C.SED_LAM_FLAM_ERROR].to_numpy()
    traces = []
    for (survey, source), rows in groups.items():
        derived = source == SOURCE_DERIVED
        traces.append(
            {
                "type": "scatter",
                "x": wavelength[rows],
                "y": lam_flam[rows],
                "error_y": {"type": "data", "array": error[rows], "visible": True},
                "mode": "markers",
                "marker": {
                    "size": 10,
                    "color": SURVEY_COLOURS.get(str(survey), "#444444"),
                    "symbol": "circle-open" if derived else "circle",
                    "line": {"width": 2},
                },
                "name": f"{survey} ({'derived from V and colour' if derived else 'measured'})",
                "text": [
                    _HOVER.format(*(fields[name][i] for name in _HOVER_COLUMNS)) for i in rows
                ],
                "hoverinfo": "text",
            }
        )
    return traces


def compute_blackbody_curve(teff_k: float, angular_diameter_mas: float) -> pd.DataFrame:
    """Monochromatic ``lambda F_lambda`` (erg s^-1 cm^-2) of the fitted blackbody, 0.3-30 micron."""
    return pd.DataFrame(
        {
            C.SED_WAVELENGTH_UM: _CURVE_UM,
            C.SED_LAM_FLAM: _blackbody_lam_flam(teff_k, angular_diameter_mas),
        }
    )


def _blackbody_lam_flam(teff_k: float, angular_diameter_mas: float) -> np.ndarray:
    """``lambda F_lambda`` of the blackbody at :data:`_CURVE_UM`, shape (300,)."""
    dilution = (angular_diameter_mas * _RAD_PER_MAS / 2.0) ** 2
    flux_jy = dilution * compute_pi_planck_jy(_CURVE_UM * 1e4, np.array([teff_k]))[0]
    return compute_lam_flam(flux_jy, _CURVE_UM)


def compute_fit_residuals(points: pd.DataFrame, fit: Mapping[str, Any]) -> pd.DataFrame:
    """Observed minus band-integrated blackbody magnitude per plotted band, mag."""
    shown = points[np.isfinite(points[C.SED_MAG].astype(float))]
    bands = tuple(shown[C.SED_BAND])
    teff_grid, grid = compute_bb_mag_grid(bands)
    ln_t = np.log(float(fit[C.TEFF]))
    model = np.array([np.interp(ln_t, np.log(teff_grid), grid[:, i]) for i in range(len(bands))])
    dilution = (float(fit[C.ANGULAR_DIAMETER_MAS]) * _RAD_PER_MAS / 2.0) ** 2
    model = model - 2.5 * np.log10(dilution)
    return pd.DataFrame(
        {
            C.SED_BAND: bands,
            C.SED_WAVELENGTH_UM: shown[C.SED_WAVELENGTH_UM].to_numpy(),
            "residual_mag": shown[C.SED_MAG].to_numpy(float) - model,
            C.SED_MAG_ERROR: shown[C.SED_MAG_ERROR].to_numpy(float),
        }
    )


def _fit_ok(fit: Mapping[str, Any] | None) -> bool:
    return fit is not None and fit.get(C.SED_FIT_STATUS) == "ok"


def plot_sed(
    points: pd.DataFrame,
    fit: Mapping[str, Any] | None = None,
    templates: Sequence[tuple[str, pd.DataFrame]] = (),
    *,
    residuals: bool = False,
    title: str | None = None,
    template: str = "plotly_white",
) -> go.Figure:
    """Return the SED figure of one star: log lambda against log lambda F_lambda.

    Parameters
    ----------
    points : DataFrame
        From :func:`sedviz.sed.photometry.compute_sed_points`. Measured points are
        filled circles, bands derived from V and a catalogue colour open
        circles; bands not measured are listed under the plot, never drawn.
    fit : mapping, optional
        One row of :func:`sedviz.sed.fit.compute_sed_fit` (e.g. ``fit_frame.iloc[0]``);
        the blackbody is drawn when its status is ``"ok"``.
    templates : sequence of (label, DataFrame)
        Scaled templates from :func:`sedviz.sed.templates.compute_template_points`,
        e.g. ``[("G2V, catalogued type", frame)]``; drawn as dashed lines and
        labelled as templates, never as measurements.
    residuals : bool
        Add a lower panel with observed minus blackbody magnitudes.
    title : str, optional
        Figure title.
    template : str
        Plotly template name.
    """
    return go.Figure(_sed_spec(points, fit, templates, residuals, title, template))


def plot_sed_view(
    view: SedView, *, residuals: bool, compact: bool, presentation: bool
) -> go.Figure:
    """Return the dashboard's SED figure of one star's :class:`~sedviz.views.star.SedView`.

    :func:`plot_sed` on the dark theme, laid out for the dashboard's page. The
    "Not measured" note (the legend's title in :func:`plot_sed`) becomes the title's
    subtitle, with room of its own (a legend title pushed the entries off the
    figure's right edge); the legend sits at the figure's bottom edge with a bottom
    margin for the axis title and up to two entries per line, so no text runs into
    the axis title at any height or font (checked at 1280x720 and 1920x1080 by the
    browser tests). The *compact* figure beside the HR diagram has no title, no
    note and a smaller legend. Fonts follow the theme (*presentation* mode).

    The figure is built from plain dicts and validated once, in one ``go.Figure``
    call: Plotly's ``update_layout`` and per-trace constructors validated every
    property again on each call, ~10 times the cost (issue #18.12).
    """
    title = None if compact else view.title
    fit = {str(key): value for key, value in view.fit.items()}
    spec = _sed_spec(view.points, fit, view.templates, residuals, title, DARK)
    layout = spec["layout"]
    note = layout["legend"]["title"]["text"]
    entries = sum(1 for t in spec["data"] if t.get("showlegend") is not False and t.get("name"))
    spec["layout"] = _merged(layout, _dashboard_layout(note, entries, compact, presentation))
    return go.Figure(spec)


def _sed_spec(
    points: pd.DataFrame,
    fit: Mapping[str, Any] | None,
    templates: Sequence[tuple[str, pd.DataFrame]],
    residuals: bool,
    title: str | None,
    template: str,
) -> dict[str, Any]:
    """The figure of :func:`plot_sed` as plain dicts (``data``, ``layout``)."""
    rows = 2 if residuals and _fit_ok(fit) else 1
    data = _point_traces(points)
    if fit is not None and _fit_ok(fit):
        label = f"blackbody fit, T = {fit[C.TEFF]:.0f} ± {fit[C.TEFF_ERROR]:.0f} K"
        curve = _blackbody_lam_flam(float(fit[C.TEFF]), float(fit[C.ANGULAR_DIAMETER_MAS]))
        data.append({"type": "scatter", "x": _CURVE_UM, "y": curve, "mode": "lines",
                     "line": {"color": "#d62728", "width": 2}, "name": label,
                     "hoverinfo": "skip"})  # fmt: skip
    for i, (label, frame) in enumerate(templates):
        data.append(
            {
                "type": "scatter",
                "x": frame[C.SED_WAVELENGTH_UM].to_numpy(),
                "y": frame[C.SED_LAM_FLAM].to_numpy(),
                "mode": "lines+markers",
                "line": {"dash": "dash", "color": TEMPLATE_COLOURS[i % len(TEMPLATE_COLOURS)]},
                "marker": {"symbol": "diamond-open", "size": 7},
                "name": f"template (not measured): {label}",
                "text": [f"template {label}: {b}" for b in frame[C.SED_BAND].tolist()],
                "hoverinfo": "text",
            }
        )
    layout = _layout(points, rows, title, template)
    if rows == 2 and fit is not None:
        for trace in data:  # the top panel
            trace.update(xaxis="x", yaxis="y")
        data.append(_residual_trace(compute_fit_residuals(points, fit)))
    return {"data": data, "layout": layout}


def _residual_trace(res: pd.DataFrame) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": res[C.SED_WAVELENGTH_UM].to_numpy(),
        "y": res["residual_mag"].to_numpy(),
        "error_y": {"type": "data", "array": res[C.SED_MAG_ERROR].to_numpy(), "visible": True},
        "mode": "markers",
        "marker": {"color": "#444444"},
        "name": "observed − blackbody",
        "text": res[C.SED_BAND].tolist(),
        "showlegend": False,
        "xaxis": "x2",
        "yaxis": "y2",
    }


def compute_band_note(points: pd.DataFrame) -> str:
    """Return the line under the SED naming the bands not drawn, and why.

    ``"not measured"`` bands have no catalogue value; other undrawn bands have a
    value but could not be weighed (no usable error): they are never called
    "not measured".
    """
    pairs = list(zip(points[C.SED_BAND].tolist(), points[C.SED_SOURCE].tolist(), strict=True))
    missing = [band for band, source in pairs if source == SOURCE_NOT_MEASURED]
    drawn_or_missing = (SOURCE_MEASURED, SOURCE_DERIVED, SOURCE_NOT_MEASURED)
    unweighed = [band for band, source in pairs if source not in drawn_or_missing]
    note = "Not measured: " + (", ".join(missing) if missing else "none")
    if unweighed:
        note += " · measured but not drawn (no usable error): " + ", ".join(unweighed)
    return note


@lru_cache(maxsize=1)
def _residual_grid() -> dict[str, Any]:
    """The axes of a two-row grid (SED over residuals) as ``make_subplots`` lays them out."""
    grid = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28])
    layout = grid.layout.to_plotly_json()
    return {key: layout[key] for key in ("xaxis", "yaxis", "xaxis2", "yaxis2")}


def _layout(points: pd.DataFrame, rows: int, title: str | None, template: str) -> dict[str, Any]:
    ticks = {
        "type": "log",
        "tickvals": list(WAVELENGTH_TICKS_UM),
        "ticktext": [f"{t:g}" for t in WAVELENGTH_TICKS_UM],
    }
    x_title = {"title": {"text": "wavelength λ (µm)"}}
    y_axis = {"type": "log", "exponentformat": "power", "title": {"text": "λFλ (erg s⁻¹ cm⁻²)"}}
    axes: dict[str, Any] = {"xaxis": {**x_title, **ticks}, "yaxis": y_axis}
    if rows == 2:
        axes = _merged(
            _residual_grid(),
            {"xaxis": ticks, "yaxis": y_axis, "xaxis2": {**x_title, **ticks},
             "yaxis2": {"title": {"text": "Δm (mag)"}, "autorange": "reversed"}},
        )  # fmt: skip
        axes["shapes"] = [{"type": "line", "line": {"color": "#d62728", "width": 1},
                           "x0": 0, "x1": 1, "xref": "x2 domain", "y0": 0.0, "y1": 0.0,
                           "yref": "y2"}]  # fmt: skip
    note = compute_band_note(points)
    return {
        **axes,
        **({"title": {"text": title}} if title is not None else {}),
        "template": template,
        # The bands not drawn head the legend: an annotation under the plot ran
        # into the axis title.
        "legend": {
            "orientation": "v",
            "x": 1.02,
            "y": 1.0,
            "title": {"text": note, "side": "top", "font": {"size": 12, "color": NOTE_COLOUR}},
        },  # fmt: skip
        "margin": {"b": 80},
    }


#: Colour of the "not measured" line (readable on light and dark backgrounds).
NOTE_COLOUR: Final = "#8f9bb3"


def _dashboard_layout(note: str, entries: int, compact: bool, presentation: bool) -> dict[str, Any]:
    """What :func:`plot_sed_view` changes in :func:`plot_sed`'s layout (merged into it)."""
    font = font_size(presentation)
    legend_font = int((0.75 if compact else 0.85) * font)
    layout: dict[str, Any] = {
        **BACKGROUND,
        "font": {"size": font},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                   "font": {"size": legend_font}, "title": {"text": ""}},
        "margin": {"t": 30 if compact else 60, "l": 60, "r": 10,
                   "b": int((2 if compact else 3) * font + 30 + (entries // 2 + 1) * 1.5 * legend_font)},
    }  # fmt: skip
    if not compact:
        subtitle = {"text": note, "font": {"size": int(0.8 * font), "color": MUTED_TEXT}}
        layout["title"] = {"automargin": True, "yref": "container", "y": 1, "yanchor": "top",
                           "pad": {"t": 10}, **({"subtitle": subtitle} if note else {})}  # fmt: skip
    return layout


def _merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """*base* with *changes* merged in, dicts recursively (as ``update_layout`` merges)."""
    out = dict(base)
    for key, value in changes.items():
        old = out.get(key)
        both = isinstance(old, Mapping) and isinstance(value, Mapping)
        out[key] = _merged(old, value) if both else value  # type: ignore[arg-type]
    return out


def _template_for(sp_type: str, role: str, points: pd.DataFrame) -> tuple[str, pd.DataFrame] | None:
    """Scaled dwarf template for an MK type string (``"G2"``, ``"K"``...), or None."""
    match = _TYPE_RE.match(sp_type or "")
    if match is None:
        return None
    letter, sub = match.group(1), match.group(2)
    subclass = float(sub) if sub is not None else MID_SUBCLASS
    template = build_template_sed(letter, subclass)
    frame = compute_template_points(template, points)
    if frame.empty:
        return None
    guess = "" if sub is not None else f", mid-class for {letter}"
    return f"{template.name} dwarf, {role} type{guess}", frame


def plot_star_sed(
    row: Mapping[str, Any] | pd.Series,
    predicted_type: str | None = None,
    *,
    residuals: bool = True,
    title: str | None = None,
) -> go.Figure:
    """One call for the dashboard: points, blackbody fit and templates of one star.

    Parameters
    ----------
    row : mapping or Series
        One star with Gaia-archive column names (a row of a star table).
    predicted_type : str, optional
        Type predicted by the classifier (``"G2"`` or just ``"G"``; a bare letter
        uses subclass 5). Its dwarf template is overlaid beside the catalogued one.
    residuals, title
        As in :func:`plot_sed`.
    """
    points = compute_sed_points(row)
    fit = compute_sed_fit(pd.DataFrame([dict(row)])).iloc[0]
    templates = []
    catalogued = f"{row.get(C.SP_CLASS, '')}{_subclass_text(row.get(C.SP_SUBCLASS))}"
    for sp_type, role in ((catalogued, "catalogued"), (predicted_type or "", "predicted")):
        found = _template_for(sp_type, role, points)
        if found is not None:
            templates.append(found)
    fit_row = {str(key): value for key, value in fit.items()}
    return plot_sed(points, fit_row, templates, residuals=residuals, title=title)


def _subclass_text(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return f"{number:g}" if np.isfinite(number) else ""
