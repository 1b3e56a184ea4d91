"""The SED figure: measured points, the fitted blackbody, templates, residuals.

Pure DataFrame-in / Figure-out: no Streamlit, no state. Inputs come from
:func:`sedviz.sed.photometry.compute_sed_points`, one row of
:func:`sedviz.sed.fit.compute_sed_fit` and, optionally,
:func:`sedviz.sed.templates.compute_template_points`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sedviz import columns as C
from sedviz.plots.theme import BACKGROUND, MUTED_TEXT, font_size
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


def _hover(points: pd.DataFrame) -> list[str]:
    return [
        f"<b>{r[C.SED_BAND]}</b> ({r[C.SED_SURVEY]}, {r[C.SED_SOURCE]})<br>"
        f"λ = {r[C.SED_WAVELENGTH_UM]:.3f} µm<br>"
        f"m = {r[C.SED_MAG]:.3f} ± {r[C.SED_MAG_ERROR]:.3f} mag ({r[C.SED_ERROR_SOURCE]} error)<br>"
        f"Fν = {r[C.SED_FLUX_JY]:.4g} ± {r[C.SED_FLUX_ERROR_JY]:.2g} Jy<br>"
        f"λFλ = {r[C.SED_LAM_FLAM]:.4g} erg s⁻¹ cm⁻²"
        for _, r in points.iterrows()
    ]


def _point_traces(points: pd.DataFrame) -> list[go.Scatter]:
    traces = []
    shown = points[points[C.SED_SOURCE].isin([SOURCE_MEASURED, SOURCE_DERIVED])]
    for (survey, source), group in shown.groupby([C.SED_SURVEY, C.SED_SOURCE], sort=False):
        derived = source == SOURCE_DERIVED
        traces.append(
            go.Scatter(
                x=group[C.SED_WAVELENGTH_UM],
                y=group[C.SED_LAM_FLAM],
                error_y={"type": "data", "array": group[C.SED_LAM_FLAM_ERROR], "visible": True},
                mode="markers",
                marker={
                    "size": 10,
                    "color": SURVEY_COLOURS.get(str(survey), "#444444"),
                    "symbol": "circle-open" if derived else "circle",
                    "line": {"width": 2},
                },
                name=f"{survey} ({'derived from V and colour' if derived else 'measured'})",
                text=_hover(group),
                hoverinfo="text",
            )
        )
    return traces


def compute_blackbody_curve(teff_k: float, angular_diameter_mas: float) -> pd.DataFrame:
    """Monochromatic ``lambda F_lambda`` (erg s^-1 cm^-2) of the fitted blackbody, 0.3-30 micron."""
    dilution = (angular_diameter_mas * _RAD_PER_MAS / 2.0) ** 2
    flux_jy = dilution * compute_pi_planck_jy(_CURVE_UM * 1e4, np.array([teff_k]))[0]
    return pd.DataFrame(
        {C.SED_WAVELENGTH_UM: _CURVE_UM, C.SED_LAM_FLAM: compute_lam_flam(flux_jy, _CURVE_UM)}
    )


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
        Plotly template name (set once: applying a template is the costliest
        step of building the figure).
    """
    rows = 2 if residuals and _fit_ok(fit) else 1
    # One panel needs no subplot grid (make_subplots is half the cost of a small figure).
    fig = (
        make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28])
        if rows == 2
        else go.Figure()
    )
    cell: dict[str, int] = {"row": 1, "col": 1} if rows == 2 else {}
    for trace in _point_traces(points):
        fig.add_trace(trace, **cell)
    if fit is not None and _fit_ok(fit):
        curve = compute_blackbody_curve(float(fit[C.TEFF]), float(fit[C.ANGULAR_DIAMETER_MAS]))
        label = f"blackbody fit, T = {fit[C.TEFF]:.0f} ± {fit[C.TEFF_ERROR]:.0f} K"
        fig.add_trace(
            go.Scatter(
                x=curve[C.SED_WAVELENGTH_UM],
                y=curve[C.SED_LAM_FLAM],
                mode="lines",
                line={"color": "#d62728", "width": 2},
                name=label,
                hoverinfo="skip",
            ),
            **cell,
        )
    for i, (label, frame) in enumerate(templates):
        fig.add_trace(
            go.Scatter(
                x=frame[C.SED_WAVELENGTH_UM],
                y=frame[C.SED_LAM_FLAM],
                mode="lines+markers",
                line={"dash": "dash", "color": TEMPLATE_COLOURS[i % len(TEMPLATE_COLOURS)]},
                marker={"symbol": "diamond-open", "size": 7},
                name=f"template (not measured): {label}",
                text=[f"template {label}: {b}" for b in frame[C.SED_BAND]],
                hoverinfo="text",
            ),
            **cell,
        )
    if rows == 2 and fit is not None:
        _add_residuals(fig, compute_fit_residuals(points, fit))
    _layout(fig, points, rows, title, template)
    return fig


def _add_residuals(fig: go.Figure, res: pd.DataFrame) -> None:
    fig.add_trace(
        go.Scatter(
            x=res[C.SED_WAVELENGTH_UM],
            y=res["residual_mag"],
            error_y={"type": "data", "array": res[C.SED_MAG_ERROR], "visible": True},
            mode="markers",
            marker={"color": "#444444"},
            name="observed − blackbody",
            text=list(res[C.SED_BAND]),
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    fig.add_hline(y=0.0, line={"color": "#d62728", "width": 1}, row=2, col=1)
    fig.update_yaxes(title_text="Δm (mag)", autorange="reversed", row=2, col=1)


def compute_band_note(points: pd.DataFrame) -> str:
    """Return the line under the SED naming the bands not drawn, and why.

    ``"not measured"`` bands have no catalogue value; other undrawn bands have a
    value but could not be weighed (no usable error): they are never called
    "not measured".
    """
    source = points[C.SED_SOURCE]
    missing = points.loc[source == SOURCE_NOT_MEASURED, C.SED_BAND].tolist()
    unweighed = points.loc[
        ~source.isin([SOURCE_MEASURED, SOURCE_DERIVED, SOURCE_NOT_MEASURED]), C.SED_BAND
    ].tolist()
    note = "Not measured: " + (", ".join(missing) if missing else "none")
    if unweighed:
        note += " · measured but not drawn (no usable error): " + ", ".join(unweighed)
    return note


def _layout(
    fig: go.Figure, points: pd.DataFrame, rows: int, title: str | None, template: str
) -> None:
    note = compute_band_note(points)
    top: dict[str, int] = {"row": 1, "col": 1} if rows == 2 else {}
    bottom: dict[str, int] = {"row": rows, "col": 1} if rows == 2 else {}
    ticks = {
        "tickvals": list(WAVELENGTH_TICKS_UM),
        "ticktext": [f"{t:g}" for t in WAVELENGTH_TICKS_UM],
    }
    fig.update_xaxes(type="log", title_text="wavelength λ (µm)", **ticks, **bottom)
    fig.update_xaxes(type="log", **ticks, **top)
    fig.update_yaxes(type="log", exponentformat="power", title_text="λFλ (erg s⁻¹ cm⁻²)", **top)
    fig.update_layout(
        title=title,
        template=template,
        # The bands not drawn head the legend: an annotation under the plot ran
        # into the axis title.
        legend={
            "orientation": "v",
            "x": 1.02,
            "y": 1.0,
            "title": {"text": note, "side": "top", "font": {"size": 12, "color": NOTE_COLOUR}},
        },  # fmt: skip
        margin={"b": 80},
    )


#: Colour of the "not measured" line (readable on light and dark backgrounds).
NOTE_COLOUR: Final = "#8f9bb3"


def style_sed_for_dashboard(fig: go.Figure, *, compact: bool, presentation: bool) -> None:
    """Lay out an SED figure for the dashboard's dark page (in place, before it is frozen).

    The "Not measured" note (the legend's title as :func:`plot_sed` makes it)
    becomes the title's subtitle, with room of its own (a legend title pushed the
    entries off the figure's right edge); the legend sits at the figure's bottom
    edge with a bottom margin for the axis title and up to two entries per line,
    so no text runs into the axis title at any height or font (checked at
    1280x720 and 1920x1080 by the browser tests). The *compact* figure beside the
    HR diagram keeps a smaller legend, no title and no note. Fonts follow the theme.
    """
    font = font_size(presentation)
    legend_font = int((0.75 if compact else 0.85) * font)
    note = fig.layout.legend.title.text or ""
    entries = sum(1 for trace in fig.data if trace.showlegend is not False and trace.name)
    fig.update_layout(
        **BACKGROUND,
        font={"size": font},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                "font": {"size": legend_font}, "title": {"text": ""}},
        margin={"t": 30 if compact else 60, "l": 60, "r": 10,
                "b": int((2 if compact else 3) * font + 30 + (entries // 2 + 1) * 1.5 * legend_font)},
    )  # fmt: skip
    if compact:
        fig.update_layout(title=None)
        return
    subtitle = {"text": note, "font": {"size": int(0.8 * font), "color": MUTED_TEXT}}
    fig.update_layout(
        title={"automargin": True, "yref": "container", "y": 1, "yanchor": "top",
               "pad": {"t": 10}, **({"subtitle": subtitle} if note else {})},
    )  # fmt: skip


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
