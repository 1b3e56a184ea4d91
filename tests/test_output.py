"""One output-path check (sedviz.tableio): every command refuses a bad name the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from sedviz.cli import main
from sedviz.errors import StarTableError
from sedviz.simulate.io import SIMULATED_SUFFIXES
from sedviz.tableio import check_output_path

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"


@pytest.mark.parametrize("name", ["out.txt", "out", "out.csv.gz", "out.xlsx"])
def test_other_suffixes_are_refused(name: str) -> None:
    with pytest.raises(StarTableError, match="unknown file type"):
        check_output_path(name)
    assert check_output_path("OUT.CSV").name == "OUT.CSV"
    with pytest.raises(StarTableError, match=r"use \.csv, \.parquet\)"):
        check_output_path("out.fits", SIMULATED_SUFFIXES)  # simulated sets: CSV or Parquet


@pytest.mark.parametrize(
    "argv",
    [
        ["classify", str(REAL_STARS), "-o", "{out}"],
        ["fit-sed", str(REAL_STARS), "-o", "{out}"],
        ["query", "--name", "Vega", "--radius-deg", "0.1", "-o", "{out}", "--offline"],
        ["simulate", "-n", "2", "-o", "{out}"],
    ],
    ids=["classify", "fit-sed", "query", "simulate"],
)
def test_every_command_refuses_a_bad_output_with_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.txt"
    code = main([a.replace("{out}", str(out)) for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"sedviz {argv[0]}: error: output 'result.txt': unknown file type")
    assert not out.exists()
