"""The Hertzsprung-Russell diagram: a few WebGL traces for up to ~120,000 stars, brighter up.

One trace per group of stars (measured; estimated from V and V - I, open
circles; outside what the model learned, crosses), and one, empty in the
shared figure, for the subset the user chose (:mod:`sedviz.plots.hr_choice`).
The figure's ``layout.meta["ring"]`` says how the clicked star is ringed
(:func:`ring_style`; drawn over the chart by ``sedviz/ui/hr_ring.js``).

Pure DataFrame-in / Figure-out (input: :func:`sedviz.views.hr.hr_frame`). Shaped for
the time the browser takes to draw it, and kept lean because a box selection
sends every selected point back (Streamlit closes the connection past ~25 MB):

* **Drawn once.** Streamlit's chart component hands the figure to Plotly twice
  when it mounts: a JSON copy from its theme pass, and the element's measured
  size. Plotly skips the second draw of ~100,000 points only if nothing it
  compares changed: the layout carries the final ``height`` (:data:`HEIGHT`),
  ``layout.datarevision`` is set and unchanged, the per-point arrays are plain
  JSON arrays (a typed array is decoded anew and always counts as changed), and
  the layout holds no ``template`` object (a copied template forces a full
  redraw), so the dark look is written into the layout (:data:`DARK_LAYOUT`).
* **Plain arrays only in the browser's copy** (:func:`browser_spec`). The
  figure holds NumPy arrays, which Plotly's Python side copies in bulk; the
  browser gets plain JSON lists. Binary ``customdata`` cost the browser twice:
  Plotly keeps its decoded rows on the spec, and Streamlit's theme pass (JSON
  text of the whole figure, searched and replaced ~40 times, parsed again) then
  carried them as ``{"0": row, ...}`` objects: 5 MB more text to copy, 0.2 s.
* **One colour string per star**, not colour codes through a colour scale:
  Plotly maps a colour scale point by point through strings it parses again,
  which took longer than all the rest of its work for the whole catalogue.
  The classes are named in a legend line above the plot (no colour bar). The
  strings are CSS colour names (no ``#``, no ``rgb()``): see :data:`CLASS_COLOURS` and
  :data:`CONFIDENCE_COLOURS`.
* Coordinates rounded to 0.01 mag (or dex), below a pixel of the diagram: they
  print as short decimals (``1.67``) in the figure and in selection echoes.
* ``customdata`` of three integers per star, ``[row, hip, probability %]`` (for
  sets with stars without a HIP number, the second is the star's name as text), and
  the class labels as ``text``/``hovertext`` (1-4 characters).

``row`` is the star's position in its star table: a click or box selection
sends it back and :func:`sedviz.views.hr.compute_selection_rows` maps it to
``source_id`` (64-bit Gaia ids do not survive JavaScript numbers, and point
indices of a filtered trace would not match the table).
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import numpy as np
import orjson
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sedviz import columns as C
from sedviz.plots.theme import BACKGROUND, DARK_LAYOUT, font_size
from sedviz.views.hr import (
    AGREEMENT,
    AGREEMENT_LABELS,
    AXIS_COLUMNS,
    CATALOGUED,
    COLOURINGS,
    DOMAIN_NOTE,
    ESTIMATED,
    IN_DOMAIN,
    NAME,
    PARALLAX_GOOD,
    PREDICTED,
    PROBABILITY,
    ROW,
    brightest_named,
    class_order,
    drawable_mask,
)

#: Colours of the spectral classes, blue-hot to red-cool, readable on a dark background.
#: CSS colour names, not ``#hex``: Streamlit's chart searches the JSON text of the
#: figure for ~40 ``#0000NN`` placeholders (twice on every mount), and each ``#`` in
#: the text slows that search: 40 searches took 73 ms with hex colours, 4.7 ms with
#: names (``scripts/bench_hr_figure.py --browser``).
CLASS_COLOURS: Final[dict[str, str]] = {
    "O": "royalblue",
    "B": "lightskyblue",
    "A": "lavender",
    "F": "khaki",
    "G": "gold",
    "K": "orange",
    "M": "tomato",
    "I-II": "orchid",
    "III": "orange",
    "IV": "lightgreen",
    "V": "cornflowerblue",
    # Colour-blind safe (blue / orange, as in Okabe & Ito), not red against green.
    "right": "deepskyblue",
    "wrong": "darkorange",
}
UNKNOWN_COLOUR: Final = "gray"
TEFF_TICKS_K: Final = (40000, 20000, 10000, 6000, 4000, 3000)
TEFF_TICKS_LOG: Final = tuple(float(np.log10(t)) for t in TEFF_TICKS_K)
LUM_TICKS_LOG: Final = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
UNKNOWN_LABEL: Final = "unknown"
#: Height of the figure in pixels (as drawn by the HR page), normal and presentation mode.
HEIGHT: Final = 620
HEIGHT_PRESENTATION: Final = 540
_AXIS_TITLES: Final = {
    "cmd": ("Gaia BP − RP colour (mag): blue ← → red", "absolute G magnitude (brighter ↑)"),
    "bv_mv": ("Johnson B − V colour (mag): blue ← → red", "absolute V magnitude (brighter ↑)"),
    "teff_lum": ("temperature (K, SED fit): hot ← → cool", "luminosity (L / L☉, brighter ↑)"),
}


def _categories(frame: pd.DataFrame, colouring: str, target: str) -> tuple[str, tuple[str, ...]]:
    if colouring == "agreement":
        return AGREEMENT, AGREEMENT_LABELS
    column = PREDICTED if colouring == "predicted" else CATALOGUED
    return column, (*class_order(target), UNKNOWN_LABEL)


def compute_colour_codes(
    frame: pd.DataFrame, colouring: str, target: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Return integer colour codes (uint8, one per star) and the labels they stand for."""
    column, labels = _categories(frame, colouring, target)
    lookup = {label: i for i, label in enumerate(labels)}
    fallback = len(labels) - 1
    codes = frame[column].map(lookup).fillna(fallback).to_numpy(dtype=np.uint8)
    return codes, labels


def compute_point_colours(codes: np.ndarray, labels: tuple[str, ...]) -> np.ndarray:
    """Return one colour name per star (a string array), for :func:`compute_colour_codes`."""
    palette = np.array([CLASS_COLOURS.get(label, UNKNOWN_COLOUR) for label in labels])
    return palette[codes]


def legend_text(labels: tuple[str, ...]) -> str:
    """Return the one-line legend of the class colours (Plotly annotation HTML)."""
    dot = '<span style="color:{}">\u25cf</span> {}'
    return "   ".join(
        dot.format(CLASS_COLOURS.get(label, UNKNOWN_COLOUR), label) for label in labels
    )


def _class_colours(frame: pd.DataFrame, colouring: str, target: str) -> tuple[np.ndarray, str]:
    codes, labels = compute_colour_codes(frame, colouring, target)
    return compute_point_colours(codes, labels), legend_text(labels)


#: The confidence colouring: ten bins of the top probability (0-0.1, ..., 0.9-1), dark to
#: light, blue-violet to yellow as in Viridis. CSS names, not ``rgb()`` strings: Plotly
#: reads a name by look-up but parses an ``rgb()`` string star by star, and Streamlit's
#: chart has Plotly lay out a new figure twice (its first pass has no width), so
#: ``rgb()`` strings made a confidence change the slowest colouring change
#: (docs/dashboard.md). Their CIELAB lightness rises with the probability (L* 33 to 97),
#: so the order reads without colour vision, and the darkest is brighter than
#: Viridis' first colour (L* 15), nearly invisible on the page's background (L* 5).
CONFIDENCE_COLOURS: Final = (
    "rebeccapurple", "slateblue", "steelblue", "cadetblue", "lightseagreen",
    "mediumaquamarine", "yellowgreen", "chartreuse", "greenyellow", "yellow",
)  # fmt: skip


def _probability_colours(frame: pd.DataFrame) -> tuple[np.ndarray, str]:
    palette = np.array(CONFIDENCE_COLOURS)
    bins = len(palette)
    prob = np.clip(frame[PROBABILITY].fillna(0.0).to_numpy(np.float64), 0.0, 1.0)
    colours = palette[np.minimum((prob * bins).astype(np.intp), bins - 1)]
    dots = "".join(f'<span style="color:{c}">\u25cf</span>' for c in palette)
    return colours, f"p = 0 {dots} 1"


def compute_colours(stars: pd.DataFrame, colouring: str, target: str) -> tuple[np.ndarray, str]:
    """Return one colour string per star of *stars* for *colouring*, and the legend line."""
    if colouring == "probability":
        return _probability_colours(stars)
    return _class_colours(stars, colouring, target)


def compute_customdata(frame: pd.DataFrame) -> np.ndarray:
    """Return ``customdata``, int32 of shape (N, 3): row, HIP (0 if none), probability in %.

    The probability is 0 without a prediction (not -1: 0xFFFFFFFF is "/////" in
    base64, which Plotly's HTML-safe JSON writes as six characters per "/").
    """
    prob = np.round(frame[PROBABILITY].to_numpy(np.float64) * 100.0)
    return np.column_stack(
        [
            frame[ROW].to_numpy(np.int32),
            frame[C.HIP].to_numpy(np.int32),
            np.where(np.isfinite(prob), prob, 0).astype(np.int32),
        ]
    )


def quantize(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Return *values* rounded to *decimals* places (float64).

    0.01 mag (or dex) is below a pixel of the diagram; rounded floats print as
    short decimals (``1.67``), in the browser's JSON and in selection echoes.
    """
    return np.round(np.asarray(values, dtype=np.float64), decimals)


def _labels(values: pd.Series) -> np.ndarray:
    # Fixed-width text, not object: plotly deep-copies trace arrays, and object arrays copy slowly.
    return values.replace("", "?").to_numpy(dtype="U4")


def drawable_frame(frame: pd.DataFrame, axes: str = "cmd", good_only: bool = False) -> pd.DataFrame:
    """Return the stars of *frame* that can be placed on *axes* (a key of ``HR_AXES``)."""
    keep = drawable_mask(frame, axes)
    if good_only:
        keep &= frame[PARALLAX_GOOD]
    return frame[keep]


def marker_size(n_stars: int, presentation: bool = False) -> int:
    """Return the marker size (px) for *n_stars*: small sets (a cluster) get larger dots."""
    size = 8 if n_stars < SMALL_SET else 5 if n_stars < MEDIUM_SET else 3
    return size + (3 if presentation else 0)


#: Below these star counts the dots grow (a 26-star cluster drawn with 3 px dots was invisible).
SMALL_SET: Final = 200
MEDIUM_SET: Final = 2000
#: How the stars of each group are drawn: (trace name, legend label, marker symbol).
GROUPS: Final[dict[str, tuple[str, str]]] = {
    "stars": ("measured", "circle"),
    "estimated": ("estimated (no Gaia bands: from V, V−I)", "circle-open"),
    "outside": ("outside what the model learned", "x"),
}


def compute_groups(stars: pd.DataFrame, axes: str) -> dict[str, np.ndarray]:
    """Return a boolean mask per drawn group (keys of :data:`GROUPS`), empty groups left out.

    ``estimated`` exists only on the Gaia axes; ``outside`` holds the stars whose
    prediction lies outside what the model learned; ``stars`` all others.
    """
    outside = ~stars[IN_DOMAIN].to_numpy(bool) if IN_DOMAIN in stars else np.zeros(len(stars), bool)
    estimated = np.zeros(len(stars), bool)
    if axes == "cmd" and ESTIMATED in stars:
        estimated = stars[ESTIMATED].to_numpy(bool) & ~outside
    groups = {"stars": ~outside & ~estimated, "estimated": estimated, "outside": outside}
    return {k: v for k, v in groups.items() if k == "stars" or v.any()}


def plot_hr(
    frame: pd.DataFrame,
    colouring: str = "predicted",
    target: str = C.SP_CLASS,
    *,
    axes: str = "cmd",
    good_only: bool = False,
    presentation: bool = False,
    names: bool = False,
) -> go.Figure:
    """Return the HR diagram of the stars of *frame* (from :func:`sedviz.views.hr.hr_frame`).

    Parameters
    ----------
    colouring : str
        A key of :data:`sedviz.views.hr.COLOURINGS`.
    target : str
        ``sp_class`` or ``lum_class``: the classes coloured and compared.
    axes : str
        ``cmd`` (BP-RP against absolute G), ``bv_mv`` (B-V against absolute V) or
        ``teff_lum`` (log Teff against log L).
    good_only : bool
        Draw only stars with a good parallax (see :mod:`sedviz.views.hr`).
    presentation : bool
        Larger markers and fonts for a projector.
    names : bool
        Label the brightest stars with a proper name.

    Returns
    -------
    Figure
        One WebGL trace per group of :data:`GROUPS` present (measured stars
        first), then an empty ``choice`` trace that :mod:`sedviz.plots.hr_choice`
        fills with the subset.
    """
    if colouring not in COLOURINGS:
        raise ValueError(f"unknown colouring {colouring!r}; choose one of {', '.join(COLOURINGS)}")
    stars = drawable_frame(frame, axes, good_only)
    font = font_size(presentation)
    x_col, y_col = AXIS_COLUMNS[axes]
    colours, legend = compute_colours(stars, colouring, target)
    predicted = bool((stars[PREDICTED] != "").any())
    size = marker_size(len(stars), presentation)
    groups = compute_groups(stars, axes)
    # The small settings are validated by Plotly; the per-star arrays (all made
    # here, of checked types) are added after, unvalidated: validating ~100,000
    # colour strings and customdata lists took seconds.
    fig = go.Figure()
    for key in groups:
        label, symbol = GROUPS[key]
        fig.add_trace(
            go.Scattergl(
                mode="markers",
                marker={"size": size, "opacity": 0.75, "symbol": symbol},
                # A clicked star: large, magenta, opaque; the other stars keep their look
                # (Plotly's default dims them all). Its ring: layout.meta (ring_style).
                selected={"marker": {"opacity": 1.0, "size": size + 9, "color": SELECTED_COLOUR}},
                unselected={"marker": {"opacity": 0.75}},
                name=label,
                showlegend=len(groups) > 1,
                uid=key,
            )
        )
    fig.add_trace(choice_trace(size))
    _layout(fig, axes, font, colouring, target, legend)
    _ranges(fig, stars[x_col].to_numpy(np.float64), stars[y_col].to_numpy(np.float64), axes)
    if names:
        _name_labels(fig, stars, axes, font)
    spec = fig.to_dict()
    arrays: list[object] = []
    for trace, mask in zip(spec["data"], groups.values(), strict=False):
        part = stars[mask]
        x, y = quantize(part[x_col].to_numpy()), quantize(part[y_col].to_numpy())
        customdata, named_by_hip = compute_customdata_named(part)
        text = _labels(part[CATALOGUED])
        hovertext = _hovertext(part, trace["uid"] == "outside") if predicted else None
        trace |= {"x": x, "y": y, "customdata": customdata, "text": text}
        trace["hovertemplate"] = _hovertemplate(axes, predicted, trace["uid"], named_by_hip)
        if hovertext is not None:
            trace["hovertext"] = hovertext
        trace["marker"]["color"] = colours[mask]
        arrays += [x, y, customdata, colours[mask], text, hovertext]
    spec["layout"]["datarevision"] = compute_datarevision(*arrays)
    out = go.Figure(spec, _validate=False)
    out.update_layout(template=None)  # the constructor adds the default template back
    return out


def choice_trace(size: int) -> go.Scattergl:
    """Return the (empty) trace that draws the chosen subset on top: larger, opaque, outlined."""
    return go.Scattergl(
        x=[], y=[], mode="markers", name=CHOICE_NAME, uid="choice", showlegend=False,
        hoverinfo="skip",
        marker={"size": size + 3, "opacity": 1.0, "line": {"width": 0.7, "color": CHOICE_COLOUR}},
    )  # fmt: skip


#: Outline of the subset's stars.
CHOICE_COLOUR: Final = "white"
#: Colour of the clicked (selected) star: magenta, apart from every class colour.
SELECTED_COLOUR: Final = "magenta"
#: Name of the last trace, the one that draws the subset (the browser's copy keeps no ``uid``).
CHOICE_NAME: Final = "chosen subset"
#: Colour of the ring around the clicked star: white on the night-blue plot, with a
#: dark edge (drawn by the browser) so it shows on the light class colours too.
RING_COLOUR: Final = "white"


def ring_style(font: int) -> dict[str, Any]:
    """Return the look of the ring around the clicked star, for ``layout.meta["ring"]``.

    Pixel sizes that grow with the figure's *font* (px): the diameter is twice
    the font size (26 px, 36 px in presentation mode), larger than the selected
    star's marker (at most 20 px), and the line a sixth of the font, at least 2 px.
    The ring is drawn by the browser around the one selected point
    (``sedviz/ui/hr_ring.js``), so a click changes nothing the server sends.
    """
    return {"diameter_px": 2 * font, "width_px": max(2, round(font / 6)), "color": RING_COLOUR}


def locate_row(stars: pd.DataFrame, row: int | None, axes: str) -> tuple[int, int] | None:
    """Return ``(trace, point)`` indices of the star at table *row* in :func:`plot_hr`'s
    figure of *stars* (the drawn stars), or None when it is not drawn."""
    if row is None:
        return None
    for trace, mask in enumerate(compute_groups(stars, axes).values()):
        hits = np.flatnonzero(stars[ROW].to_numpy()[mask] == row)
        if len(hits):
            return trace, int(hits[0])
    return None


def compute_customdata_named(stars: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """Return ``customdata`` and whether the hover names stars by ``HIP <customdata[1]>``.

    Every star with a HIP number (the catalogue): int32 rows ``[row, hip, p %]``.
    Otherwise (archive stars without HIP) the second column is the star's name
    as text (``"HIP 123"`` or ``"Gaia DR3 <id>"``), never "HIP 0".
    """
    customdata = compute_customdata(stars)
    if len(stars) == 0 or bool((stars[C.HIP].to_numpy() > 0).all()):
        return customdata, True
    hip = stars[C.HIP].to_numpy()
    names = np.where(
        hip > 0,
        np.char.add("HIP ", hip.astype(str)),
        np.char.add("Gaia DR3 ", stars[C.SOURCE_ID].to_numpy().astype(str)),
    )
    rows = np.empty((len(stars), 3), dtype=object)
    rows[:, 0], rows[:, 1], rows[:, 2] = customdata[:, 0], names, customdata[:, 2]
    return rows, False


def _hovertext(stars: pd.DataFrame, outside: bool) -> np.ndarray:
    labels = _labels(stars[PREDICTED])
    if not outside:
        return labels
    notes = stars[DOMAIN_NOTE].to_numpy(dtype=str) if DOMAIN_NOTE in stars else ""
    return np.char.add(np.char.add(labels.astype("U8"), UNCERTAIN_HOVER), notes).astype(object)


#: Hover text after the predicted class of a star outside the model's domain.
UNCERTAIN_HOVER: Final = " <i>uncertain: outside what the model learned:</i> "


def _name_labels(fig: go.Figure, stars: pd.DataFrame, axes: str, font: int) -> None:
    x_col, y_col = AXIS_COLUMNS[axes]
    named = brightest_named(stars, axes, NAMED_LABELS).sort_values(y_col)
    x_range = compute_axis_range(stars[x_col].to_numpy(np.float64)) or [0.0, 1.0]
    span = x_range[1] - x_range[0]
    reversed_x = axes == "teff_lum"  # hot (large log T) on the left
    for i, (_, star) in enumerate(named.iterrows()):
        x = float(star[x_col])
        near_left = x > x_range[1] - 0.2 * span if reversed_x else x < x_range[0] + 0.2 * span
        # Alternate sides, so neighbours in brightness do not write over each other;
        # stars near the left edge are labelled to the right (not over the axis).
        side = 1 if i % 2 or near_left else -1
        fig.add_annotation(
            x=float(star[x_col]), y=float(star[y_col]), text=str(star[NAME]),
            showarrow=True, arrowhead=0, arrowcolor="#c8d0e0", arrowwidth=1,
            ax=side * 34, ay=-8 if i % 4 < 2 else 8, xanchor="left" if side > 0 else "right",
            font={"size": font - 2, "color": "#e8ecf5"}, bgcolor="rgba(11,16,33,0.6)",
        )  # fmt: skip


#: How many named stars the names toggle labels (the brightest in V).
NAMED_LABELS: Final = 15


def browser_spec(fig: go.Figure) -> dict[str, Any]:
    """Return *fig* as JSON types for the browser, every NumPy array as a plain list.

    ``Figure.to_dict()`` would send NumPy arrays as base64 typed arrays, which
    Streamlit's chart makes Plotly draw twice (see the module docstring).
    """
    data = [_plain_arrays(trace.to_plotly_json()) for trace in fig.data]
    spec = {"data": data, "layout": fig.layout.to_plotly_json()}
    return dict(orjson.loads(pio.to_json(spec, validate=False)))


def _plain_arrays(props: dict[str, Any]) -> dict[str, Any]:
    for key, value in props.items():
        if isinstance(value, np.ndarray):
            props[key] = value.tolist()
        elif isinstance(value, dict):
            _plain_arrays(value)
    return props


def compute_datarevision(*arrays: object) -> str:
    """Return a short digest of the figure's data arrays, for ``layout.datarevision``.

    Plotly redraws a figure handed to it again only when the digest changes.
    """
    digest = hashlib.blake2b(digest_size=8)
    for values in arrays:
        array = np.asarray(values)
        # Object arrays (text customdata) would hash their pointers: hash their text.
        digest.update((array.astype(str) if array.dtype == object else array).tobytes())
        digest.update(b"|")
    return digest.hexdigest()


def _hovertemplate(axes: str, predicted: bool, group: str = "stars", by_hip: bool = True) -> str:
    approx = "≈ " if group == "estimated" else ""
    xy = {
        "cmd": f"BP−RP {approx}%{{x:.2f}} · M<sub>G</sub> {approx}%{{y:.2f}}",
        "bv_mv": "B−V %{x:.2f} · M<sub>V</sub> %{y:.2f}",
        "teff_lum": "log T %{x:.2f} · log L %{y:.2f}",
    }[axes]
    classes = "catalogued %{text}"
    if predicted:
        classes += " · predicted %{hovertext}"
        if group != "outside":
            classes += " (%{customdata[2]} %)"
    if group == "estimated":
        xy += "<br><i>estimated from V and V−I (no Gaia bands)</i>"
    name = "HIP %{customdata[1]}" if by_hip else "%{customdata[1]}"
    return f"<b>{name}</b><br>{xy}<br>{classes}<extra></extra>"


def _layout(fig: go.Figure, axes: str, font: int, colouring: str, target: str, legend: str) -> None:
    x_title, y_title = _AXIS_TITLES[axes]
    # Fixed margins, no automargin: pushing a margin makes Plotly draw the plot twice.
    axis = DARK_LAYOUT["xaxis"] | {"automargin": False}  # type: ignore[operator]
    fig.update_layout(
        **BACKGROUND,
        font={"size": font, "color": DARK_LAYOUT["font"]["color"]},  # type: ignore[index]
        # Not "select": Streamlit then makes a click an event only, not a selection.
        # clickmode and hovermode set to what Streamlit would set for point selection:
        # when they differ it updates the layout after the first draw, and Plotly
        # redraws all ~100,000 points a second time.
        dragmode="zoom",
        clickmode="event+select",
        hovermode="closest",
        uirevision=f"hr-{axes}",
        meta={"ring": ring_style(font)},
        height=HEIGHT_PRESENTATION if font > 13 else HEIGHT,
        margin={
            "l": 80 if font > 13 else 60,
            "r": 20,
            "t": 70 if font > 13 else 58,
            "b": 70 if font > 13 else 55,
        },
        title={
            "text": f"coloured by {COLOURINGS[colouring]} ({target})",
            "font": {"size": font},
            "x": 0.0,
            "xref": "paper",
            "y": 1.0,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 6},
        },
        xaxis=axis | {"title": {"text": x_title, "standoff": 15}, "gridcolor": "#222a4a"},
        yaxis=axis | {"title": {"text": y_title, "standoff": 15}, "gridcolor": "#222a4a"},
        hoverlabel={"font": {"size": font}, "align": "left"},
        # The groups' legend (measured / estimated / outside) sits inside the plot's
        # top right corner, where few stars are: beside it, it took a third of the width.
        legend={
            "x": 0.99,
            "y": 0.99,
            "xanchor": "right",
            "yanchor": "top",
            "bgcolor": "rgba(11,16,33,0.75)",
            "itemsizing": "constant",
            "font": {"size": font - 2},
        },  # fmt: skip
        annotations=[
            {
                "text": legend,
                "xref": "paper",
                "yref": "paper",
                "x": 0.0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": font},
            }
        ],
    )
    # No template: a copied template object makes Plotly redraw every point (module docstring).
    fig.layout.template = None
    if axes == "teff_lum":
        fig.update_xaxes(autorange="reversed")
    else:
        fig.update_yaxes(autorange="reversed")
    if axes == "teff_lum":
        fig.update_xaxes(tickvals=TEFF_TICKS_LOG, ticktext=[f"{t:,}" for t in TEFF_TICKS_K])
        fig.update_yaxes(tickvals=LUM_TICKS_LOG, ticktext=[f"{10.0**v:g}" for v in LUM_TICKS_LOG])


def compute_axis_range(values: np.ndarray, pad: float = 0.05) -> list[float] | None:
    """Return ``[low, high]`` covering 0.05-99.95 % of *values* plus *pad* of the span.

    A handful of extreme stars would otherwise squeeze the main sequence into a corner.
    """
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return None
    low, high = np.percentile(finite, [0.05, 99.95])
    span = max(high - low, 1e-3)
    return [float(low - pad * span), float(high + pad * span)]


def _ranges(fig: go.Figure, x: np.ndarray, y: np.ndarray, axes: str) -> None:
    x_range, y_range = compute_axis_range(x), compute_axis_range(y)
    if axes != "teff_lum" and y_range is not None:
        y_range = y_range[::-1]  # brighter (smaller absolute magnitude) up
    if axes == "teff_lum" and x_range is not None:
        x_range = x_range[::-1]  # hotter left
    if x_range is not None:
        fig.update_xaxes(range=x_range, autorange=False)
    if y_range is not None:
        fig.update_yaxes(range=y_range, autorange=False)
