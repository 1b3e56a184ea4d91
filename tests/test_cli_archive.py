"""``python -m sedviz query``: the stderr contract and exit codes scripts rely on."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
import requests
from astropy.table import Table

from sedviz import columns as C
from sedviz.archive.config import ArchiveConfig
from sedviz.catalog.tables import load_star_table
from sedviz.cli import archive as cli_archive
from sedviz.cli import main
from tests.archive_fakes import FakeServices, gaia_cone_answer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeServices:
    archive = FakeServices().install(monkeypatch)
    monkeypatch.setenv("SEDVIZ_CACHE_DIR", str(tmp_path / "cache"))
    fast = dataclasses.replace(ArchiveConfig(), backoff_s=0.0)
    monkeypatch.setattr(cli_archive, "default_config", lambda: fast)
    return archive


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["query", *argv])
    return code, capsys.readouterr().err.strip().splitlines()


def test_offline_cone(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pleiades.csv"
    code, err = run(
        ["--name", "Pleiades", "--radius-deg", "1", "-o", str(out), "--offline"], capsys
    )
    assert code == 0 and fake.calls == []
    assert err[0] == "sedviz query: answered by the embedded catalogue (embedded)"
    assert err[1].startswith("sedviz query: result complete (")
    assert 17702 in set(load_star_table(out)[C.HIP])


def test_archive_then_cache_then_cut(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cone.parquet"
    argv = ["--ra", "18h40m00s", "--dec=-60d00m00s", "--radius-deg", "0.05", "-o", str(out)]
    code, err = run(argv, capsys)
    assert code == 0
    assert err[0].startswith("sedviz query: answered by the Gaia archive (archive, fetched ")
    assert err[1] == "sedviz query: result complete (50 stars)"
    assert len(pd.read_parquet(out)) == 50
    assert "TOP 5001" in fake.calls[0][1]["adql"]  # default --max-rows 5000
    code, err = run(argv, capsys)
    assert err[0].startswith("sedviz query: answered by the local cache of archive answers (cache")
    code, err = run([*argv, "--max-rows", "5"], capsys)
    assert code == 0 and err[1].startswith("sedviz query: the answer was cut at 5 rows")
    code, err = run(["--clear-cache"], capsys)
    assert code == 0 and err[0].startswith("sedviz query: cleared 2 cached answer(s)")


def test_fault_answers_from_embedded(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.faults["gaia"] = [requests.ConnectionError("Connection reset by peer")] * 3
    code, err = run(
        ["--ra", "56.75", "--dec", "24.12", "--radius-deg", "0.5", "-o", str(tmp_path / "o.csv")],
        capsys,
    )
    assert code == 0
    assert err[0] == "sedviz query: answered by the embedded catalogue (embedded)"
    assert any(
        "The archive failed (Gaia archive: the connection to the archive was reset" in line
        for line in err
    )


def test_list(fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = tmp_path / "ids.csv"
    ids.write_text("hip\n17702\n1\n")
    out = tmp_path / "list.csv"
    code, err = run(["--list", str(ids), "-o", str(out), "--offline"], capsys)
    assert code == 0 and sorted(load_star_table(out)[C.HIP]) == [1, 17702]
    assert "embedded catalogue" in err[0]


def test_list_from_an_archive_votable(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Gaia archive export (VOTable, ``SOURCE_ID``) is a list as it is; VOTable/FITS out."""
    real = gaia_cone_answer()
    real.rename_column("source_id", "SOURCE_ID")
    ids = tmp_path / "export.vot"
    with warnings.catch_warnings():  # Gaia's unit string 'electron'.s**-1 is not VOUnit
        warnings.simplefilter("ignore")
        real[:4].write(ids, format="votable")
    for suffix in (".vot", ".fits", ".ecsv"):
        out = tmp_path / f"list{suffix}"
        code, err = run(["--list", str(ids), "-o", str(out)], capsys)
        assert code == 0, err
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = Table.read(out)
        assert sorted(back["source_id"]) == sorted(real["SOURCE_ID"][:4])
        assert str(back["ra"].unit) == "deg" and str(back["parallax"].unit) == "mas"
    upload = fake.calls[0][1]["upload"]
    assert list(upload["source_id"]) == list(real["SOURCE_ID"][:4])


def test_not_found_rows_on_stderr(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "ids.csv"
    ids.write_text(f"source_id\n{int(gaia_cone_answer()['source_id'][0])}\n777\n")
    code, err = run(["--list", str(ids), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 0
    assert "sedviz query: not found: row 2 '777': no such source_id in Gaia DR3" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--name", "Vega\x07", "--radius-deg", "1", "-o", "x.csv"], "control characters"),
        (["--name", "A" * 10_000, "--radius-deg", "1", "-o", "x.csv"], "too long"),
        (["--ra", "nan", "--dec", "0", "--radius-deg", "1", "-o", "x.csv"], "not a coordinate"),
        (["--ra", "10", "--dec", "0", "--radius-deg", "-1", "-o", "x.csv"], "positive"),
        (["--ra", "10", "--dec", "0", "--radius-deg", "1e9", "-o", "x.csv"], "limit"),
        (["--ra", "10", "--radius-deg", "1", "-o", "x.csv"], "go together"),
        (["--name", "Vega", "-o", "x.csv"], "--radius-deg"),
        (["--name", "Vega", "--radius-deg", "1"], "-o OUTPUT"),
        (["--name", "Vega", "--radius-deg", "1", "-o", "x.txt"], "unknown file type"),
        (["--name", "Vega", "--radius-deg", "1", "-o", "x.csv", "--max-rows", "0"], "--max-rows"),
        (
            ["--name", "Vega", "--radius-deg", "1", "-o", "x.csv", "--max-rows", "100001"],
            "between 1 and 100,000",
        ),
        (["--list", "missing.csv", "-o", "x.csv"], "no such file"),
        ([], "give --name"),
    ],
)
def test_bad_input_exits_2(
    fake: FakeServices, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(argv, capsys)
    assert code == 2 and len(err) == 1
    assert err[0].startswith("sedviz query: error: ") and message in err[0]
    assert fake.calls == []


def test_hostile_list_file(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "ids.csv"
    bad.write_text("source_id\n123; DROP TABLE gaiadr3.gaia_source\n")
    code, err = run(["--list", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2 and "row 1" in err[0] and fake.calls == []


@pytest.mark.slow
def test_subprocess_contract(tmp_path: Path) -> None:
    """The real entry point: one stderr line, exit 2, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "sedviz", "query", "--name", "x" * 100, "--radius-deg", "1",
         "-o", str(tmp_path / "x.csv")],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("sedviz query: error: object name")
    assert "Traceback" not in proc.stderr and not (tmp_path / "x.csv").exists()
