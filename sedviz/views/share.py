"""A box or lasso of the HR diagram as a short text for a link, and the stars inside it again.

A subset of tens of thousands of stars cannot travel in a URL as ids (19 digits
each), but the shape that made it can: ``box:cmd:0.30,0.80,2.50,5.10`` (the
axes, then x0, x1, y0, y1) or ``lasso:cmd:x1,y1,x2,y2,...`` (at most
:data:`MAX_LASSO_VERTICES` vertices), in the diagram's own units, rounded to
0.01 like the drawn points (:func:`sedviz.plots.hr.quantize`). Opening the link
selects the stars of the set inside the shape again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz.errors import SedvizError
from sedviz.views.hr import ABS_G, BP_RP, HR_AXES, LOG_LUM, LOG_TEFF, ROW

#: A lasso is thinned to at most this many vertices (a link stays under ~1.5 kB).
MAX_LASSO_VERTICES: Final = 64
_SHAPES: Final = ("box", "lasso")


@dataclass(frozen=True)
class Region:
    """A selection shape on the HR diagram: ``shape`` box or lasso, ``axes`` a key of HR_AXES.

    ``x`` and ``y`` are the box's two corners (x0, x1 / y0, y1) or the lasso's vertices.
    """

    shape: str
    axes: str
    x: tuple[float, ...]
    y: tuple[float, ...]


def region_of_selection(selection: Mapping[str, Any] | None, axes: str) -> Region | None:
    """Return the box or lasso of a Plotly selection event (Streamlit's ``event.selection``).

    None when the event has neither (a click, points picked one by one) or its
    coordinates are not numbers.
    """
    if not selection or axes not in HR_AXES:
        return None
    for shape in _SHAPES:
        shapes = selection.get(shape) or []
        if shapes:
            try:
                x = tuple(float(v) for v in shapes[0]["x"])
                y = tuple(float(v) for v in shapes[0]["y"])
            except (KeyError, TypeError, ValueError):
                return None
            if len(x) != len(y) or len(x) < 2 or not all(map(math.isfinite, x + y)):
                return None
            return Region(shape, axes, x, y)
    return None


def encode_region(region: Region) -> str:
    """Return *region* as link text, e.g. ``box:cmd:0.3,0.8,2.5,5.1``."""
    if region.shape == "box":
        numbers: Sequence[float] = (*sorted(region.x[:2]), *sorted(region.y[:2]))
    else:
        step = max(1, math.ceil(len(region.x) / MAX_LASSO_VERTICES))
        numbers = [v for pair in zip(region.x[::step], region.y[::step], strict=True) for v in pair]
    return f"{region.shape}:{region.axes}:" + ",".join(
        f"{v:.2f}".rstrip("0").rstrip(".") for v in numbers
    )


def decode_region(text: str) -> Region:
    """Return the region written by :func:`encode_region`.

    Raises
    ------
    SedvizError
        If *text* is not such a region (in words, for the page).
    """
    parts = text.split(":")
    if len(parts) != 3 or parts[0] not in _SHAPES or parts[1] not in HR_AXES:
        raise SedvizError("the link's subset is not a box or lasso of the HR diagram")
    try:
        numbers = [float(v) for v in parts[2].split(",")]
    except ValueError:
        raise SedvizError("the link's subset has a corner that is not a number") from None
    wanted_box = parts[0] == "box" and len(numbers) == 4
    wanted_lasso = parts[0] == "lasso" and 6 <= len(numbers) <= 2 * MAX_LASSO_VERTICES
    if not (wanted_box or wanted_lasso) or len(numbers) % 2 or not all(map(math.isfinite, numbers)):
        raise SedvizError("the link's subset does not have the right number of corners")
    if wanted_box:
        return Region("box", parts[1], tuple(numbers[:2]), tuple(numbers[2:]))
    return Region("lasso", parts[1], tuple(numbers[0::2]), tuple(numbers[1::2]))


def compute_region_rows(frame: pd.DataFrame, region: Region) -> np.ndarray:
    """Return the star-table rows of the stars of *frame* inside *region* (int64, sorted).

    *frame* is :func:`sedviz.views.hr.hr_frame` output (with ``log_teff`` and
    ``log_lum`` for the ``teff_lum`` axes); points are compared at 0.01, as drawn.
    """
    x_col, y_col = (BP_RP, ABS_G) if region.axes == "cmd" else (LOG_TEFF, LOG_LUM)
    if x_col not in frame or y_col not in frame:
        return np.empty(0, dtype=np.int64)
    x = np.round(frame[x_col].to_numpy(np.float64), 2)
    y = np.round(frame[y_col].to_numpy(np.float64), 2)
    if region.shape == "box":
        (x0, x1), (y0, y1) = sorted(region.x[:2]), sorted(region.y[:2])
        inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    else:
        inside = points_in_polygon(x, y, np.asarray(region.x), np.asarray(region.y))
    return np.sort(frame[ROW].to_numpy(np.int64)[inside & np.isfinite(x) & np.isfinite(y)])


def points_in_polygon(x: np.ndarray, y: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Return whether each point (x, y) is inside the closed polygon (px, py) (even-odd rule)."""
    inside = np.zeros(len(x), dtype=bool)
    for i in range(len(px)):
        xa, ya, xb, yb = px[i - 1], py[i - 1], px[i], py[i]
        crosses = (ya > y) != (yb > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = xa + (y - ya) * (xb - xa) / (yb - ya)
        inside ^= crosses & (x < x_cross)
    return inside
