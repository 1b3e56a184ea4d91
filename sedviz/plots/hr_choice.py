"""The user's choice drawn on the shared HR figure: the subset on top, the clicked star marked.

The HR figure of a star set is built once and shared by every session
(:mod:`sedviz.plots.hr`); what one user chose is laid over it per run, as
plain dicts on the figure's JSON (no new figure, no validation):

* the **subset** (a box, a lasso, picked points) fills the figure's last,
  empty ``choice`` trace: its stars drawn again on top, larger, opaque and
  outlined, so the subset stands out and the rest of the diagram keeps its
  look (nothing is dimmed);
  the figure's ``datarevision`` then gains the subset's digest, so Plotly
  redraws only when the subset changes;
* the **clicked star** is drawn large and magenta, by Plotly's own *selected*
  style, and ringed: a click in the browser draws both at once, with no new
  figure (Streamlit mounts a changed figure as a new chart element: ~100,000
  points drawn again, so the ring is not a layout shape but drawn over the chart
  by the browser around the selected point, ``sedviz/ui/hr_ring.js``, in the
  look of ``layout.meta["ring"]``, :func:`sedviz.plots.hr.ring_style`);
  when the figure is drawn anew (page change, shared link, new colouring or
  subset) the star comes back as the trace's ``selectedpoints``, and its ring
  with it.

Both come from the session's state, so they stay after a page change and in a
shared link (the link carries the star).

Under ``serve.py`` the browser lays them over the figure itself
(``sedviz/ui/hr_chart.js``, its ``compose``), from the subset published by
:func:`subset_points`; ``tests/browser/test_hr_chart_js.py`` checks that it gives
the figure :func:`compose_hr_spec` gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson
import pandas as pd

from sedviz import columns as C
from sedviz.plots.hr import CHOICE_NAME, compute_colours, compute_datarevision, quantize
from sedviz.views.hr import AXIS_COLUMNS, ROW


def subset_points(
    stars: pd.DataFrame,
    rows: Sequence[int] | np.ndarray,
    axes: str,
    colouring: str = "catalogued",
    target: str = C.SP_CLASS,
) -> dict[str, Any]:
    """Return ``{"x", "y", "color", "rows", "digest"}`` of the drawn stars of the subset *rows*.

    *stars* are the drawn stars (:func:`sedviz.plots.hr.drawable_frame`); rows
    not drawn are skipped. Each keeps its colour of *colouring* (plain lists);
    ``rows`` are their star-table rows, so a click on a star of the subset selects it.
    """
    x_col, y_col = AXIS_COLUMNS[axes]
    chosen = stars[stars[ROW].isin(np.asarray(rows, dtype=np.int64))]
    x, y = quantize(chosen[x_col].to_numpy()), quantize(chosen[y_col].to_numpy())
    colours, _ = compute_colours(chosen, colouring, target)
    chosen_rows = chosen[ROW].to_numpy(np.int64)
    return {
        "x": x.tolist(),
        "y": y.tolist(),
        "color": colours.tolist(),
        "rows": chosen_rows.tolist(),
        # Of everything above: two subsets whose stars share rounded positions and
        # colours differ by their rows (the browser fetches a subset by this digest).
        "digest": compute_datarevision(x, y, colours, chosen_rows),
    }


def compose_hr_spec(
    spec: dict[str, Any],
    subset: dict[str, Any] | None = None,
    selected: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Return the shared figure's JSON *spec* with the user's choice laid over it.

    *subset* from :func:`subset_points`; *selected* the ``(trace, point)`` of the
    clicked star (:func:`sedviz.plots.hr.locate_row`), drawn by Plotly's own
    selected style, as a click in the browser draws it. *spec* is not modified
    (it is shared); only the traces and layout that change are new objects.
    """
    data = list(spec["data"])
    layout = dict(spec["layout"])
    if selected is not None and selected[0] < len(data) - 1:
        trace, point = selected
        data[trace] = {**data[trace], "selectedpoints": [point]}
    if subset is not None and data and data[-1].get("name") == CHOICE_NAME:
        # Pre-serialised, as the shared figure's long lists are (sedviz.ui.frozen).
        points = {k: orjson.Fragment(orjson.dumps(subset[k])) for k in ("x", "y")}
        # Each point's star-table row, as the other traces' customdata starts with it.
        points["customdata"] = orjson.Fragment(orjson.dumps([[row] for row in subset["rows"]]))
        marker = {
            **data[-1].get("marker", {}),
            "color": orjson.Fragment(orjson.dumps(subset["color"])),
        }
        data[-1] = {**data[-1], **points, "marker": marker}
        layout["datarevision"] = f"{layout.get('datarevision', '')}-{subset['digest']}"
    return {**spec, "data": data, "layout": layout}
