"""One output-path check: every command refuses the same bad names with the same line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sedviz.cli import main
from sedviz.errors import OutputPathError, SedvizError
from sedviz.output import check_output_path, save_table

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"


@pytest.mark.parametrize("name", ["out.csv", "out.CSV", "out.parquet", "out.pq"])
def test_table_suffixes_are_accepted(name: str, tmp_path: Path) -> None:
    table = pd.DataFrame({"source_id": [1, 2], "ra": [10.0, 20.0]})
    path = save_table(table, tmp_path / name)
    back = pd.read_csv(path) if name.lower().endswith(".csv") else pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, table)


@pytest.mark.parametrize("name", ["out.txt", "out", "out.csv.gz", "out.xlsx"])
def test_other_suffixes_are_refused(name: str) -> None:
    with pytest.raises(OutputPathError, match=r"output must end in \.csv or \.parquet"):
        check_output_path(name)
    assert issubclass(OutputPathError, SedvizError) and issubclass(OutputPathError, ValueError)


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
def test_every_command_refuses_a_bad_output_with_the_same_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.txt"
    code = main([a.replace("{out}", str(out)) for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0] == f"sedviz {argv[0]}: error: result.txt: output must end in .csv or .parquet"
    assert not out.exists()
