"""The share link's box or lasso: encoded, decoded, and the same stars selected again."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sedviz.errors import SedvizError
from sedviz.views.hr import ROW, compute_selection_rows, hr_frame
from sedviz.views.share import (
    MAX_LASSO_VERTICES,
    Region,
    compute_region_rows,
    decode_region,
    encode_region,
    points_in_polygon,
    region_of_selection,
)


@pytest.fixture(scope="module")
def frame(catalog: pd.DataFrame) -> pd.DataFrame:
    return hr_frame(catalog)


def test_box_round_trip_selects_the_same_stars(frame: pd.DataFrame) -> None:
    selection = {"box": [{"xref": "x", "yref": "y", "x": [1.9, 0.85], "y": [2.6, -3.5]}]}
    region = region_of_selection(selection, "cmd")
    assert region is not None
    text = encode_region(region)
    assert text == "box:cmd:0.85,1.9,-3.5,2.6"
    rows = compute_region_rows(frame, decode_region(text))
    # As drawn (sedviz.plots.hr.quantize): float64, rounded to 0.01.
    x = np.round(frame["bp_rp"].astype(float), 2)
    y = np.round(frame["abs_g"].astype(float), 2)
    expected = frame[ROW][(x >= 0.85) & (x <= 1.9) & (y >= -3.5) & (y <= 2.6)].to_numpy()
    assert len(rows) > 20_000  # the giant branch: the 31-34k-star boxes
    assert np.array_equal(rows, np.sort(expected))


def test_lasso_is_thinned_and_selects_inside(frame: pd.DataFrame) -> None:
    angle = np.linspace(0, 2 * np.pi, 500, endpoint=False)
    x, y = 1.0 + 0.3 * np.cos(angle), 4.0 + 1.0 * np.sin(angle)
    region = region_of_selection({"lasso": [{"x": list(x), "y": list(y)}]}, "cmd")
    assert region is not None
    text = encode_region(region)
    decoded = decode_region(text)
    assert len(decoded.x) <= MAX_LASSO_VERTICES and len(text) < 1500
    rows = compute_region_rows(frame, decoded)
    chosen = frame.set_index(ROW).loc[rows]
    assert len(rows) > 100
    assert (
        (chosen["bp_rp"] - 1.0) ** 2 / 0.09 + (chosen["abs_g"] - 4.0) ** 2 <= 1.1
    ).all()  # vertices and points at 0.01


def test_points_in_polygon_even_odd() -> None:
    square_x, square_y = np.array([0.0, 1.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0, 1.0])
    inside = points_in_polygon(
        np.array([0.5, 1.5, -0.1]), np.array([0.5, 0.5, 0.5]), square_x, square_y
    )
    assert inside.tolist() == [True, False, False]


@pytest.mark.parametrize(
    "text",
    ["", "box:cmd:1,2,3", "circle:cmd:1,2,3,4", "box:xyz:1,2,3,4", "box:cmd:1,2,x,4",
     "box:cmd:1,2,nan,4", "lasso:cmd:1,2,3,4", "lasso:cmd:1,2,3,4,5"],
)  # fmt: skip
def test_bad_link_text_is_refused_in_words(text: str) -> None:
    with pytest.raises(SedvizError, match="the link's subset"):
        decode_region(text)


def test_clicks_and_bad_events_have_no_region() -> None:
    assert region_of_selection({"points": [{"customdata": [1]}]}, "cmd") is None
    assert region_of_selection({"box": [{"x": [0, "a"], "y": [0, 1]}]}, "cmd") is None
    assert region_of_selection({"box": [{"x": [0, 1], "y": [0, 1]}]}, "nope") is None
    assert Region("box", "cmd", (0.0, 1.0), (0.0, 1.0)) == decode_region("box:cmd:0,1,0,1")


def test_selection_rows_from_point_indices_match_customdata() -> None:
    trace_rows = np.array([10, 11, 12, 13, 14], dtype=np.int64)
    points = [{"curve_number": 0, "point_index": i, "customdata": [int(trace_rows[i]), 0, 0]}
              for i in (4, 1, 3)]  # fmt: skip
    selection = {"points": points, "point_indices": [4, 1, 3]}
    slow = compute_selection_rows(selection)
    fast = compute_selection_rows(selection, trace_rows)
    assert slow.tolist() == fast.tolist() == [14, 11, 13]
