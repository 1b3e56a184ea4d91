"""The catalogue build, run on a small real slice of the four raw files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.build import build_catalog_frame, propagate_to_gaia_epoch, source_files_in
from sedviz.catalog.card import build_card, write_catalog

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
    assert steps["joined on HIP"] >= len(table)
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
    ra, dec = np.radians([269.45402]), np.radians([4.66828])
    xyz = propagate_to_gaia_epoch(ra, dec, np.array([-797.84]), np.array([10326.93]))
    moved_dec = np.degrees(np.arcsin(xyz[0, 2]))
    assert moved_dec - 4.66828 == pytest.approx(10326.93e-3 * 24.75 / 3600, rel=1e-3)


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
