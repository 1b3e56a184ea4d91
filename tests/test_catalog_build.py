"""The catalogue build, run on a small real slice of the raw files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.bsc import parse_bsc_name, proper_names_by_hip
from sedviz.catalog.build import build_catalog_frame, propagate_to_gaia_epoch, secure_pairs_frame
from sedviz.catalog.card import build_card, write_catalog
from sedviz.catalog.johnson_gaia import G_MINUS_V, expected_g_mag, in_relation_range
from sedviz.catalog.read import source_files_in
from sedviz.catalog.tables import has_gaia_id

SLICE = Path(__file__).parent / "data" / "catalog_slice"


@pytest.fixture(scope="module")
def built() -> tuple[pd.DataFrame, object]:
    return build_catalog_frame(source_files_in(SLICE))


def test_build_is_deterministic(built: tuple[pd.DataFrame, object], tmp_path: Path) -> None:
    again, _ = build_catalog_frame(source_files_in(SLICE))
    pd.testing.assert_frame_equal(built[0], again)
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    write_catalog(built[0], a)
    write_catalog(again, b)
    assert a.read_bytes() == b.read_bytes()


def test_known_star_is_matched(built: tuple[pd.DataFrame, object]) -> None:
    table = built[0]
    # HIP 75 = HD 224821, "K4III" in I/239; a Gaia DR3 parallax ships for it.
    star = table.set_index(C.HIP).loc[75]
    assert star[C.SOURCE_ID] == 4976572425418091520
    assert (star[C.SP_CLASS], star[C.SP_SUBCLASS], star[C.LUM_CLASS]) == ("K", 4.0, "III")
    assert star[C.HD] == 224821
    assert star[C.PARALLAX_SOURCE] == "gaia_dr3"
    assert star[C.MATCH_SEP_ARCSEC] < 0.2


def test_counts_are_recorded_and_consistent(built: tuple[pd.DataFrame, object]) -> None:
    table, report = built
    steps = dict(report.steps)  # type: ignore[attr-defined]
    assert steps["catalogue rows written"] == len(table)
    # every I/239 entry of the slice with photometry is a row
    assert steps["Hipparcos main catalogue (I/239) rows"] == len(table)
    matched = steps["one Hipparcos star per Gaia star (closest kept): Gaia-matched rows"]
    assert matched + steps["without a Gaia counterpart (source_id = -hip)"] == len(table)
    assert table[C.HIP].is_unique and table[C.SOURCE_ID].is_unique
    card = build_card(table, report)  # type: ignore[arg-type]
    assert f"| catalogue rows written | {len(table):,} |" in card


def test_gaia_parallax_used_where_shipped(built: tuple[pd.DataFrame, object]) -> None:
    table = built[0]
    gaia = table[table[C.PARALLAX_SOURCE] == "gaia_dr3"]
    assert len(gaia) > 0
    assert gaia[C.PARALLAX_ERROR].isna().all()
    assert not gaia[C.PARALLAX].equals(gaia[C.HIP_PARALLAX])


def test_propagation_moves_along_proper_motion() -> None:
    # Barnard's star (HIP 87937): about 10.4 arcsec/yr, mostly north.
    moved = propagate_to_gaia_epoch(
        np.array([269.45402]), np.array([4.66828]), np.array([-797.84]), np.array([10326.93])
    )
    assert moved.dec.deg[0] - 4.66828 == pytest.approx(10326.93e-3 * 24.75 / 3600, rel=1e-3)


def test_red_star_keeps_its_gaia_match(built: tuple[pd.DataFrame, object]) -> None:
    # HIP 154 = HR 9089, M3III, V-I 2.35: G - Hp = -1.12, which the old |G - Hp| < 1
    # rule dropped; G agrees with the G expected from V and V-I.
    star = built[0].set_index(C.HIP).loc[154]
    assert star[C.SOURCE_ID] > 0 and star[C.SP_CLASS] == "M"
    assert star[C.G_MAG] - star[C.HP_MAG] < -1.0
    assert star[C.MATCH_SEP_ARCSEC] < 0.3
    report = built[1]
    steps = dict(report.steps)  # type: ignore[attr-defined]
    assert (
        steps["... Gaia-matched by the colour-aware rule"]
        > steps["... with a Gaia star within 1 arcsec and |G - Hp| < 1 (old rule)"]
    )


def test_star_without_gaia_is_a_row(built: tuple[pd.DataFrame, object]) -> None:
    # Vega (HIP 91262) has no counterpart in the shipped Gaia file.
    table = built[0]
    vega = table.set_index(C.HIP).loc[91262]
    assert vega[C.SOURCE_ID] == -91262 and not has_gaia_id(np.array([vega[C.SOURCE_ID]]))[0]
    assert np.isnan([vega[C.G_MAG], vega[C.BP_MAG], vega[C.RP_MAG], vega[C.MATCH_SEP_ARCSEC]]).all()
    assert vega[C.V_MAG] == pytest.approx(0.03) and vega[C.PARALLAX_SOURCE] == "hipparcos2007"
    # position: Hipparcos propagated to J2016.0: Dec at J2000 (38.78369 deg) plus
    # 16 yr of its 286.5 mas/yr northward motion
    assert vega[C.DEC] == pytest.approx(38.78369 + 16 * 0.2865 / 3600, abs=3e-5)
    assert (has_gaia_id(table[C.SOURCE_ID].to_numpy()) == table[C.G_MAG].notna()).all()


def test_entry_without_new_reduction_is_a_row(built: tuple[pd.DataFrame, object]) -> None:
    # HIP 3856 (M6) has no I/311 solution: I/239 position, no parallax.
    star = built[0].set_index(C.HIP).loc[3856]
    assert star[C.PARALLAX_SOURCE] == "" and np.isnan(star[C.PARALLAX])
    assert star[C.RA] == pytest.approx(12.3853, abs=1e-3)
    assert star[C.HP_MAG] == pytest.approx(13.2898)


def test_bsc_columns_filled_by_hd(built: tuple[pd.DataFrame, object]) -> None:
    table = built[0].set_index(C.HIP)
    vega = table.loc[91262]
    assert vega[C.HR] == 7001 and vega[C.U_B] == pytest.approx(-0.01)
    assert (vega[C.BAYER], vega[C.FLAMSTEED], vega[C.CONSTELLATION]) == ("alf Lyr", "3 Lyr", "Lyr")
    assert (vega[C.BSC_SP_TYPE], vega[C.BSC_SP_CLASS], vega[C.BSC_LUM_CLASS]) == ("A0Va", "A", "V")
    assert vega[C.BSC_AGREES] == "yes" and vega[C.SP_TYPE] == "A0Vvar"
    assert vega[C.PROPER_NAME] == "Vega"
    assert table.loc[71683, C.BAYER] == "alf1 Cen" and table.loc[71681, C.BAYER] == "alf2 Cen"
    assert table.loc[71683, C.PROPER_NAME] == "Rigil Kentaurus"
    not_bsc = table[table[C.HR].isna()]
    assert (not_bsc[C.BSC_SP_TYPE] == "").all() and (not_bsc[C.BSC_AGREES] == "").all()
    assert not_bsc[C.U_B].isna().all()
    # every star has a constellation, from its position where BSC5 gives none
    assert table[C.CONSTELLATION].str.fullmatch(r"[A-Z][A-Za-z][a-z]").all()
    assert table.loc[87937, C.CONSTELLATION] == "Oph"  # Barnard's star


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("3Alp Lyr", ("alf Lyr", "3 Lyr", "Lyr")),
        ("  3Alp Lyr", ("alf Lyr", "3 Lyr", "Lyr")),
        ("   Alp1Cen", ("alf1 Cen", "", "Cen")),
        (" 61    Cyg", ("", "61 Cyg", "Cyg")),
        ("   The Eri", ("tet Eri", "", "Eri")),
        ("   Mu  Cep", ("mu Cep", "", "Cep")),
        ("          ", ("", "", "")),
        ("NOVA 1572 ", ("", "", "")),
    ],
)
def test_parse_bsc_name(field: str, expected: tuple[str, str, str]) -> None:
    assert parse_bsc_name(field) == expected


def test_proper_name_choice() -> None:
    named = {"Rigel Kent": 71683, "Toliman": 71683, "Rigil Kentaurus": 71683, "Foramen": 93308,
             "Tseen She": 93308, "Vega": 91262}  # fmt: skip
    assert proper_names_by_hip(named) == {
        71683: "Rigil Kentaurus",
        93308: "Foramen",
        91262: "Vega",
    }


def test_colour_rule_uses_the_one_johnson_gaia_relation(
    built: tuple[pd.DataFrame, object],
) -> None:
    # Every star matched through V and V-I has G within 1 mag of sedviz.catalog.johnson_gaia's
    # G(V, V-I); the card prints those coefficients, not a fit of its own.
    table, report = built
    gaia = table[table[C.SOURCE_ID] > 0]
    coloured = gaia[np.isfinite(gaia[C.V_MAG]) & in_relation_range(gaia[C.V_I])]
    assert len(coloured) > 200
    resid = coloured[C.G_MAG] - expected_g_mag(coloured[C.V_MAG], coloured[C.V_I])
    assert (resid.abs() < 1.0).all() and resid.abs().median() < 0.05
    card = build_card(table, report)  # type: ignore[arg-type]
    assert f"**G - V = {G_MINUS_V[0]:+.5f} {G_MINUS_V[1]:+.5f} x" in card


def test_secure_pairs_are_the_nearest_close_coloured_matches(
    built: tuple[pd.DataFrame, object],
) -> None:
    pairs = secure_pairs_frame(source_files_in(SLICE))
    assert len(pairs) > 200 and pairs[C.HIP].is_unique
    assert in_relation_range(pairs[C.V_I]).all()
    # the pairs the build accepts agree with its catalogue rows (HIP 75: K4III, V-I 1.59)
    row = built[0].set_index(C.HIP).loc[75]
    pair = pairs.set_index(C.HIP).loc[75]
    assert pair[C.SOURCE_ID] == row[C.SOURCE_ID]
    assert pair["g_minus_v"] == pytest.approx(row[C.G_MAG] - row[C.V_MAG], abs=1e-6)
    assert pair["bp_minus_rp"] == pytest.approx(row[C.BP_MAG] - row[C.RP_MAG], abs=1e-6)


@pytest.mark.slow
def test_cli_builds_from_a_folder(tmp_path: Path) -> None:
    out, card = tmp_path / "c.parquet", tmp_path / "c.md"
    cmd = [sys.executable, "-m", "sedviz", "build-catalog", "--from-dir", str(SLICE),
           "-o", str(out), "--card", str(card)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(out)) > 200 and "Join rules" in card.read_text()


@pytest.mark.slow
def test_cli_missing_sources_fails_cleanly(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "sedviz", "build-catalog", "--from-dir", str(tmp_path),
           "-o", str(tmp_path / "x.parquet")]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "not found" in done.stderr and "Traceback" not in done.stderr
