"""``python -m sedviz fit-sed``: the columns it adds, and its errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.cli import main

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"
ADDED = [C.TEFF, C.TEFF_ERROR, C.SED_CHI2_DOF, C.SED_N_BANDS, C.SED_FIT_STATUS]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_fit_sed_adds_the_contract_columns(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    assert main(["fit-sed", str(REAL_STARS), "-o", str(out)]) == 0
    result = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert len(result) == 14
    assert set(ADDED + [C.LUMINOSITY_LSUN, C.RADIUS_RSUN, C.TEFF_EMPIRICAL]) <= set(result.columns)
    assert result[C.TEFF].notna().sum() == 13  # the M5e-M7e star is below the grid
    # 12: HIP 3 (Gaia parallax, no Gaia error) uses its Hipparcos error (issue 17)
    assert result[C.LUMINOSITY_LSUN].notna().sum() == 12


def test_fit_sed_reads_its_own_output(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["fit-sed", str(REAL_STARS), "-o", str(first)]) == 0
    assert main(["fit-sed", str(first), "-o", str(second), "--av", "0.1"]) == 0
    names = pd.read_csv(second).columns.tolist()
    assert names.count(C.TEFF) == 1 and names.count(C.TEFF_EMPIRICAL) == 1


def test_fit_sed_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing_cols = tmp_path / "bad.csv"
    pd.DataFrame({"x": [1.0]}).to_csv(missing_cols, index=False)
    out = str(tmp_path / "o.csv")
    assert main(["fit-sed", str(tmp_path / "nope.csv"), "-o", out]) == 2
    assert main(["fit-sed", str(missing_cols), "-o", out]) == 2
    assert "missing required column" in capsys.readouterr().err
    assert main(["fit-sed", str(REAL_STARS), "-o", str(tmp_path / "o.txt")]) == 2
    assert main(["fit-sed", str(REAL_STARS), "-o", out, "--bands", "G,U"]) == 2
    assert "unknown band 'U'" in capsys.readouterr().err
