"""HR data preparation: absolute G and its quality rule, the lean frame, selections to ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY
from sedviz.views.hr import (
    ABS_G,
    AGREEMENT,
    BP_RP,
    LOG_LUM,
    LOG_TEFF,
    PARALLAX_GOOD,
    ROW,
    compute_abs_g,
    compute_agreement,
    compute_selection_rows,
    hr_counts,
    hr_frame,
    rows_to_ids,
)


def _stars() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.SOURCE_ID: [4_000_000_000_000_000_001, 2, 3, 4],
            C.HIP: [10, 11, np.nan, 13],
            C.RA: [10.0, 20.0, 30.0, 40.0],
            C.DEC: [0.0, 1.0, 2.0, 3.0],
            C.G_MAG: [10.0, 5.0, 8.0, 9.0],
            C.BP_MAG: [10.5, 5.2, 8.3, 9.1],
            C.RP_MAG: [9.4, 4.6, 7.6, 8.8],
            C.PARALLAX: [10.0, 100.0, -1.0, 2.0],
            C.PARALLAX_ERROR: [0.1, np.nan, 0.5, 1.0],
            C.HIP_PARALLAX_ERROR: [0.5, 1.0, 0.5, 0.5],
            C.SP_CLASS: ["K", "G", "", "A"],
            C.LUM_CLASS: ["V", "III", "", "II"],
        }
    )


def test_abs_g_from_parallax_with_quality_rule() -> None:
    abs_g, good = compute_abs_g(_stars())
    # M = G + 5 log10(plx_mas / 100): 10 mas -> 100 pc -> M = G - 5
    assert abs_g[0] == pytest.approx(5.0)
    assert abs_g[1] == pytest.approx(5.0)  # 100 mas -> 10 pc
    assert np.isnan(abs_g[2])  # negative parallax: cannot be placed
    assert good.tolist() == [True, True, False, False]  # #2 uses the HIP error; #4 is 2 sigma


def test_hr_frame_is_lean_and_keeps_rows() -> None:
    table = _stars()
    preds = pd.DataFrame(
        {PREDICTED_CLASS: ["K", "F", "", "A"], PREDICTED_PROBABILITY: [0.9, 0.6, np.nan, 0.55]},
        index=table.index,
    )
    frame = hr_frame(table, preds)
    assert frame[ROW].tolist() == [0, 1, 2, 3]
    assert frame[BP_RP].dtype == np.float32 and frame[ABS_G].dtype == np.float32
    assert frame[BP_RP].iloc[0] == pytest.approx(1.1, abs=1e-3)
    assert frame[C.HIP].tolist() == [10, 11, 0, 13]
    assert frame[AGREEMENT].tolist() == ["right", "wrong", "no catalogued class", "right"]
    assert frame[PARALLAX_GOOD].tolist() == [True, True, False, False]
    assert hr_counts(frame) == {"total": 4, "drawn": 3, "good_parallax": 2, "estimated": 0}


def test_hr_frame_luminosity_target_and_fits() -> None:
    table = _stars()
    fits = pd.DataFrame({C.TEFF: [5000.0, 10000.0, np.nan, 8000.0],
                         C.LUMINOSITY_LSUN: [1.0, 100.0, np.nan, np.nan]})  # fmt: skip
    frame = hr_frame(table, None, fits, target=C.LUM_CLASS)
    assert frame["catalogued"].tolist() == ["V", "III", "", "I-II"]
    assert frame[LOG_TEFF].iloc[1] == pytest.approx(4.0)
    assert frame[LOG_LUM].iloc[1] == pytest.approx(2.0)
    assert hr_counts(frame, "teff_lum")["drawn"] == 2


def test_agreement_without_predictions() -> None:
    out = compute_agreement(np.array(["", ""], dtype=object), np.array(["K", ""], dtype=object))
    assert out.tolist() == ["wrong", "no catalogued class"]


def test_selection_rows_from_lists_and_typed_array_dicts() -> None:
    selection = {
        "points": [
            {"customdata": [3, 13, 9.0, 0.5]},
            {"customdata": {"0": 1, "1": 11}},  # Float32Array as the browser sends it
            {"customdata": [3, 13]},  # duplicate
            {"x": 1.0},  # no customdata
            "garbage",
        ],
        "box": [{"x": [0, 1], "y": [0, 1]}],
    }
    assert compute_selection_rows(selection).tolist() == [3, 1]
    assert compute_selection_rows(None).size == 0
    assert compute_selection_rows({"points": []}).size == 0


def test_selection_rows_sent_by_sedvizs_hr_chart_are_taken_as_they_are() -> None:
    """serve.py's HR chart (sedviz/ui/hr_chart.js) sends the rows, not the points."""
    box = [{"x": [0, 1], "y": [0, 1]}]
    assert compute_selection_rows({"rows": [5, 2, 5, 9], "box": box}).tolist() == [5, 2, 9]
    assert compute_selection_rows({"rows": []}).size == 0
    # Not whole numbers: dropped, the others kept in order (the page then says what it holds).
    mixed = {"rows": [3, 2.0, 1.5, "7", None, float("nan"), 3]}
    assert compute_selection_rows(mixed).tolist() == [3, 2]
    assert compute_selection_rows({"rows": "1,2"}).size == 0
    # Not a row: too large for a table (or for int64), negative, or a boolean.
    huge = {"rows": [4, 1e300, 2**70, -3, True, 5]}
    assert compute_selection_rows(huge).tolist() == [4, 5]
    assert compute_selection_rows({"rows": [7, -1, 7]}).tolist() == [7]
    assert compute_selection_rows({"rows": {"0": 1}}).size == 0
    big = list(range(35_000, 0, -1))
    assert compute_selection_rows({"rows": big}).tolist() == big


def test_rows_to_ids_keeps_64_bit_ids_and_drops_bad_rows() -> None:
    table = _stars()
    assert rows_to_ids(table, [0, 3, 99, -1]) == [4_000_000_000_000_000_001, 4]


def test_whole_catalogue_frame(catalog: pd.DataFrame) -> None:
    frame = hr_frame(catalog)
    counts = hr_counts(frame)
    assert counts["total"] == len(catalog)
    # Gaia axes: every star with G, BP, RP and a positive parallax, plus those
    # without Gaia bands (source_id = -hip) placed through the V, V-I estimate
    gaia = catalog[[C.G_MAG, C.BP_MAG, C.RP_MAG]].notna().all(axis=1)
    positive = catalog[C.PARALLAX] > 0
    in_range = catalog[C.V_I].between(-0.25, 3.2) & catalog[C.V_MAG].notna()
    assert counts["estimated"] == (~gaia & positive & in_range).sum() > 5_000
    assert counts["drawn"] == (gaia & positive).sum() + counts["estimated"] > 110_000
    assert frame.loc[frame["estimated"], C.SOURCE_ID].lt(0).all()
    # The textbook axes place every star with V, B-V and a positive parallax, no estimate.
    bv = catalog[C.V_MAG].notna() & catalog[C.B_V].notna() & positive
    assert hr_counts(frame, "bv_mv")["drawn"] == bv.sum() > 110_000
    assert hr_counts(frame, "bv_mv")["estimated"] == 0
    assert frame.memory_usage(deep=True).sum() < 14e6


def test_brightest_stars_are_placed(catalog: pd.DataFrame) -> None:
    """Vega, Sirius, Betelgeuse, Polaris have no Gaia bands: estimated on the Gaia axes."""
    frame = hr_frame(catalog).set_index("name")
    for name in ("Vega", "Sirius", "Betelgeuse", "Polaris"):
        star = frame.loc[name]
        assert star["estimated"] and np.isfinite(star["abs_g"]) and np.isfinite(star["abs_v"])
    assert frame.loc["Vega", "abs_v"] == pytest.approx(0.58, abs=0.1)  # V 0.03, 130 mas
    assert frame.loc["Betelgeuse", "bp_rp"] > 1.8  # a red supergiant
