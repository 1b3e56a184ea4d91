"""The user's choice drawn on the shared HR figure: rings around the subset, a ring on the clicked star.

The HR figure of a star set is built once and shared by every session
(:mod:`sedviz.plots.hr`); what one user chose is laid over it per run, as
plain dicts on the figure's JSON (no new figure, no validation):

* the **subset** (a box, a lasso, picked points) fills the figure's last,
  empty ``choice`` trace with open rings around its stars, so the subset
  stands out and the rest of the diagram keeps its look (nothing is dimmed);
  the figure's ``datarevision`` then gains the subset's digest, so Plotly
  redraws only when the subset changes;
* the **clicked star** gets a ring of fixed pixel size (a layout shape) and
  its name: a layout change only, which Plotly draws without touching the
  ~100,000 points.

Both come from the session's state, so they stay after a page change and in a
shared link (the link carries the star).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import orjson
import pandas as pd

from sedviz import columns as C
from sedviz.plots.hr import CHOICE_NAME, compute_datarevision, quantize
from sedviz.views.hr import AXIS_COLUMNS, NAME, ROW

#: Radius of the clicked star's ring, px.
RING_RADIUS_PX: Final = 11
#: Colour of the clicked star's ring and label (amber, readable on the night-blue plot).
RING_COLOUR: Final = "#f5b942"


def subset_points(
    stars: pd.DataFrame, rows: Sequence[int] | np.ndarray, axes: str
) -> dict[str, Any]:
    """Return ``{"x", "y", "digest"}`` of the drawn stars of the subset *rows* (plain lists).

    *stars* are the drawn stars (:func:`sedviz.plots.hr.drawable_frame`); rows not drawn are skipped.
    """
    x_col, y_col = AXIS_COLUMNS[axes]
    chosen = stars[stars[ROW].isin(np.asarray(rows, dtype=np.int64))]
    x, y = quantize(chosen[x_col].to_numpy()), quantize(chosen[y_col].to_numpy())
    return {"x": x.tolist(), "y": y.tolist(), "digest": compute_datarevision(x, y)}


def ring_layout(
    stars: pd.DataFrame, row: int | None, axes: str, font: int = 13
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return ``(shapes, annotations)`` marking the star at table *row* (empty when not drawn)."""
    if row is None:
        return [], []
    hit = stars[stars[ROW] == row]
    if hit.empty:
        return [], []
    star = hit.iloc[0]
    x_col, y_col = AXIS_COLUMNS[axes]
    x, y = float(star[x_col]), float(star[y_col])
    r = RING_RADIUS_PX
    shape = {
        "type": "circle", "xref": "x", "yref": "y", "xsizemode": "pixel",
        "ysizemode": "pixel", "xanchor": x, "yanchor": y, "x0": -r, "x1": r, "y0": -r, "y1": r,
        "line": {"color": RING_COLOUR, "width": 3},
    }  # fmt: skip
    label = str(star.get(NAME) or "") or (f"HIP {star[C.HIP]}" if star[C.HIP] else "chosen star")
    annotation = {
        "x": x, "y": y, "text": label, "showarrow": True, "arrowhead": 0, "arrowcolor": RING_COLOUR,
        "arrowwidth": 2, "ax": 36, "ay": -30, "standoff": r,
        "font": {"color": RING_COLOUR, "size": font}, "bgcolor": "rgba(11,16,33,0.8)",
    }  # fmt: skip
    return [shape], [annotation]


def compose_hr_spec(
    spec: dict[str, Any],
    subset: dict[str, Any] | None = None,
    shapes: Sequence[dict[str, Any]] = (),
    annotations: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Return the shared figure's JSON *spec* with the user's choice laid over it.

    *spec* is not modified (it is shared); only the last (``choice``) trace and
    the layout's shapes, annotations and ``datarevision`` are new objects.
    """
    data = list(spec["data"])
    layout = dict(spec["layout"])
    if subset is not None and data and data[-1].get("name") == CHOICE_NAME:
        # Pre-serialised, as the shared figure's long lists are (sedviz.ui.frozen).
        points = {k: orjson.Fragment(orjson.dumps(subset[k])) for k in ("x", "y")}
        data[-1] = {**data[-1], **points}
        layout["datarevision"] = f"{layout.get('datarevision', '')}-{subset['digest']}"
    if shapes:
        layout["shapes"] = [*layout.get("shapes", ()), *shapes]
    if annotations:
        layout["annotations"] = [*layout.get("annotations", ()), *annotations]
    return {**spec, "data": data, "layout": layout}
