"""Pecaut & Mamajek templates and the empirical colour-Teff estimate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.sed.photometry import compute_sed_points
from sedviz.sed.templates import (
    build_template_sed,
    compute_teff_empirical,
    compute_teff_of_type,
    compute_template_points,
    compute_type_code,
    load_mamajek_table,
)

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"


def test_table_parses_known_rows() -> None:
    table = load_mamajek_table().set_index("spt")
    assert len(table) == 118
    assert table.at["G2V", "teff"] == 5770  # the Sun's type in the 2022.04.16 table
    assert table.at["A0V", "teff"] == 9700
    assert table.at["G2V", "B-V"] == pytest.approx(0.650)
    assert np.isnan(table.at["O3V", "Bt-Vt"])  # '...' is unknown, not zero


def test_type_code_and_interpolated_teff() -> None:
    assert list(compute_type_code(["O", "A", "G", ""], [5, 0, 2, 3])[:3]) == [5.0, 20.0, 42.0]
    teff = compute_teff_of_type(["G", "G", "G", "", "Z"], [2, 2.5, 3, 1, 1])
    assert teff[0] == 5770 and teff[2] == 5720 and teff[1] == pytest.approx(5745)
    assert np.isnan(teff[3:]).all()


def test_template_of_g2v_from_the_colours() -> None:
    tpl = build_template_sed("G", 2)
    assert tpl["V"] == 0.0 and tpl["B"] == pytest.approx(0.650)
    assert tpl["Ks"] == pytest.approx(-1.564)  # -(V-Ks)
    assert tpl["BT"] - tpl["VT"] == pytest.approx(0.724)  # Bt-Vt
    assert "Hp" not in tpl.index  # no Hp colour in the table: no template value
    assert np.isnan(build_template_sed("K", 7)["W2"])  # W1-W2 unknown for K7V


def test_cached_template_is_handed_out_as_a_copy() -> None:
    """Templates are cached per type (issue #18.12): a caller's change never reaches the cache."""
    expected = build_template_sed("K", 3.5).copy()
    mine = build_template_sed("K", 3.5)
    mine.iloc[:] = 99.0
    again = build_template_sed("K", 3.5)
    pd.testing.assert_series_equal(again, expected)
    assert again.name == "K3.5V" and build_template_sed("K", 3).name == "K3V"
    assert build_template_sed("Q", 2).isna().all()  # no such type: NaN, never cached wrong


def test_template_is_scaled_to_the_star_and_labelled(stars: pd.DataFrame) -> None:
    row = stars[stars[C.SP_TYPE] == "G2V"].iloc[0]
    points = compute_sed_points(row)
    tpl = compute_template_points(build_template_sed("G", 2), points)
    assert (tpl[C.SED_SOURCE] == "template").all()
    assert {"J", "Ks", "W4"} <= set(tpl[C.SED_BAND])  # drawn where the star was not measured
    v_offset = tpl.set_index(C.SED_BAND).at["V", C.SED_MAG] - row[C.V_MAG]
    assert abs(v_offset) < 0.1  # a G2V template fits a G2V star within 0.1 mag at V
    empty = compute_template_points(build_template_sed("G", 2), points.iloc[9:])
    assert empty.empty


def test_empirical_teff_of_real_dwarfs(stars: pd.DataFrame) -> None:
    dwarfs = stars[stars[C.LUM_CLASS] == "V"]
    emp = compute_teff_empirical(dwarfs)
    ref = compute_teff_of_type(dwarfs[C.SP_CLASS], dwarfs[C.SP_SUBCLASS])
    afgk = dwarfs[C.SP_CLASS].isin(list("AFGK")).to_numpy()
    frac = np.abs(emp[C.TEFF_EMPIRICAL].to_numpy()[afgk] / ref[afgk] - 1)
    assert np.all(frac < 0.08), frac
    assert (emp[C.TEFF_EMPIRICAL_STATUS].to_numpy()[afgk] == "ok").all()


def test_empirical_teff_refuses_what_it_cannot_do() -> None:
    table = pd.DataFrame({C.G_MAG: [8.0, 8.0], C.V_MAG: [8.1, 99.0]})
    emp = compute_teff_empirical(table)
    assert emp[C.TEFF_EMPIRICAL].isna().all()
    assert list(emp[C.TEFF_EMPIRICAL_STATUS]) == [
        "only 2 usable band(s), 3 needed",
        "only 1 usable band(s), 3 needed",
    ]
