"""The classroom's bad-input suite: every case gets a clear message, never a traceback.

CLI cases run ``python -m sedviz`` in-process (``sedviz.cli.main``) and expect a
non-zero exit with one ``error:`` line on stderr; library cases expect a
:class:`sedviz.errors.SedvizError` (or ``ValueError``) with a readable message;
app cases run the real pages under ``AppTest`` and expect a message in the page
and no exception. Archive faults are injected through the archive's one network
seam in ``tests/test_archive_query.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sedviz.archive import ArchiveInputError, parse_source_list
from sedviz.classifier.registry import default_model_name, model_folder
from sedviz.cli import main
from sedviz.errors import SedvizError
from sedviz.retrain.subset import check_params

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, small_catalog: pd.DataFrame) -> Path:
    d = tmp_path_factory.mktemp("bad")
    (d / "garbage.csv").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (d / "utf16.csv").write_text("source_id,ra,dec,phot_g_mean_mag\n1,2,3,4\n", encoding="utf-16")
    (d / "empty.csv").write_bytes(b"")
    (d / "wrong_columns.csv").write_text("name,colour\nVega,blue\n")
    stars = small_catalog.head(20).copy()
    for col in ("phot_g_mean_mag", "phot_bp_mean_mag", "phot_rp_mean_mag", "bt_mag", "vt_mag",
                "hp_mag", "v_mag", "b_v", "v_i", "u_b"):  # fmt: skip
        stars[col] = np.where(np.arange(len(stars)) % 2, np.nan, np.inf)
    stars.to_csv(d / "no_bands.csv", index=False)
    neg = small_catalog.head(20).copy()
    neg["parallax"] = -5.0
    neg.to_csv(d / "negative_parallax.csv", index=False)
    (d / "hostile_ids.csv").write_text("source_id\n1; DROP TABLE gaia_source\n' OR 1=1 --\n")
    (d / "unknown_ids.csv").write_text("hip\n999999999\n")
    (d / "good.csv").write_text(small_catalog.head(5).to_csv(index=False))
    return d


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


CLI_FAILURES = [
    ("classify missing file", ["classify", "{d}/nope.csv", "-o", "{d}/o.csv"]),
    ("classify malformed CSV", ["classify", "{d}/garbage.csv", "-o", "{d}/o.csv"]),
    ("classify wrong encoding", ["classify", "{d}/utf16.csv", "-o", "{d}/o.csv"]),
    ("classify empty file", ["classify", "{d}/empty.csv", "-o", "{d}/o.csv"]),
    ("classify wrong columns", ["classify", "{d}/wrong_columns.csv", "-o", "{d}/o.csv"]),
    ("classify NaN/inf bands", ["classify", "{d}/no_bands.csv", "-o", "{d}/o.csv"]),
    ("classify unknown model", ["classify", "{d}/good.csv", "-o", "{d}/o.csv", "--model", "nosuch"]),
    ("model name with ..", ["classify", "{d}/good.csv", "-o", "{d}/o.csv", "--model", "../etc"]),
    ("model name with /", ["evaluate", "--model", "a/b", "--json"]),
    ("fit-sed wrong columns", ["fit-sed", "{d}/wrong_columns.csv", "-o", "{d}/o.csv"]),
    ("fit-sed unknown file type", ["fit-sed", "{d}/good.xlsx", "-o", "{d}/o.csv"]),
    ("query huge radius", ["query", "--ra", "10", "--dec", "20", "--radius-deg", "1000", "-o", "{d}/q.csv", "--offline"]),
    ("query negative radius", ["query", "--ra", "10", "--dec", "20", "--radius-deg", "-1", "-o", "{d}/q.csv", "--offline"]),
    ("query NaN RA", ["query", "--ra", "nan", "--dec", "20", "--radius-deg", "0.1", "-o", "{d}/q.csv", "--offline"]),
    ("query Dec out of range", ["query", "--ra", "10", "--dec", "95", "--radius-deg", "0.1", "-o", "{d}/q.csv", "--offline"]),
    ("query hostile name", ["query", "--name", "1; DROP TABLE gaia_source", "--radius-deg", "0.1", "-o", "{d}/q.csv", "--offline"]),
    ("query 10 kB name", ["query", "--name", "x" * 10_000, "--radius-deg", "0.1", "-o", "{d}/q.csv", "--offline"]),
    ("query hostile id list", ["query", "--list", "{d}/hostile_ids.csv", "-o", "{d}/q.csv", "--offline"]),
    ("query empty id list", ["query", "--list", "{d}/empty.csv", "-o", "{d}/q.csv", "--offline"]),
    ("train unknown target", ["train", "--target", "colour"]),
    ("simulate negative count", ["simulate", "-n", "-5", "-o", "{d}/s.parquet"]),
    ("star unknown name", ["star", "Not A Real Star Name", "--json"]),
    ("star hostile name", ["star", "'; DROP TABLE stars; --"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "args"), CLI_FAILURES, ids=[c for c, _ in CLI_FAILURES])
def test_cli_bad_input_fails_cleanly(
    case: str, args: list[str], files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("{d}", str(files)) for a in args]
    try:
        code, err = run_cli(argv, capsys)
    except SystemExit as exc:  # argparse refuses bad flags itself
        code, err = int(exc.code or 0), capsys.readouterr().err
    assert code != 0, case
    # one line naming the problem (argparse puts its usage above it)
    assert "error" in err.strip().splitlines()[-1], err


def test_cli_negative_parallax_is_classified_without_absolute_magnitude(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(
        ["classify", f"{files}/negative_parallax.csv", "-o", f"{files}/n.csv"], capsys
    )
    assert code == 0, err
    assert pd.read_csv(files / "n.csv")["predicted_class"].notna().all()


def test_cli_corrupt_model_file(
    tmp_path: Path, files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = default_model_name("sp_class")
    shutil.copytree(model_folder(name), tmp_path / name)
    (tmp_path / name / "model.ubj").write_bytes(b"\x00not a model" * 10)
    monkeypatch.setenv("SEDVIZ_MODELS_DIR", str(tmp_path))
    code, err = run_cli(
        ["classify", f"{files}/good.csv", "-o", f"{files}/c.csv", "--model", name], capsys
    )
    assert code != 0 and "error" in err


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe\x00garbage", b"colour\nblue\n", b"source_id\nabc\n",
     b"ra,dec\nnan,inf\n", b"source_id\n" + b"1\n" * 100_000, b"x" * 50_000_000],
    ids=["empty", "binary", "wrong column", "non-numeric id", "NaN/inf position",
         "too many rows", "50 MB"],
)  # fmt: skip
def test_source_list_upload_refused_with_reason(data: bytes) -> None:
    with pytest.raises((ArchiveInputError, SedvizError, ValueError)) as exc:
        parse_source_list(data)
    assert str(exc.value) and "Traceback" not in str(exc.value)


@pytest.mark.parametrize(
    "settings",
    [(5000, 6, 0.3), (200, 0, 0.3), (200, 6, -1.0), (200, 6, float("nan")), ("many", 6, 0.3)],
    ids=["too many trees", "depth 0", "negative rate", "NaN rate", "text"],
)
def test_retrain_settings_refused_with_reason(settings: tuple[object, object, object]) -> None:
    with pytest.raises((SedvizError, ValueError)) as exc:
        check_params(*settings)
    assert "between" in str(exc.value) or "must" in str(exc.value)


def _app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize(
    "query",
    [
        {"star": "not-a-number"},
        {"star": "999"},
        {"colour": "<script>"},
        {"set": "cone", "r": "9e99"},
    ],
    ids=["text star id", "unknown star id", "hostile colouring", "huge radius in link"],
)
def test_bad_links_open_the_app(query: dict[str, str]) -> None:
    at = _app(query)
    assert not at.exception
    for page in ("pages/hr_diagram.py", "pages/sed.py"):
        at.switch_page(page).run()
        assert not at.exception, page


@pytest.mark.parametrize("text", ["HIP 999999999", "'; DROP TABLE stars; --", "é" * 500])
def test_sed_lookup_unknown_or_hostile(text: str) -> None:
    at = _app()
    at.switch_page("pages/sed.py").run()
    at.text_input(key="sed.query").input(text).run()
    assert not at.exception
    assert at.warning, "a message says why no star was found"


@pytest.mark.slow  # a subprocess or a whole page run: not for the edit-test loop
def test_stars_page_unknown_name_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app()
    at.session_state["stars.source"] = "cone"
    at.run()
    at.text_input(key="stars.where").input("Not A Real Object 12345").run()
    at.button(key="stars.search").click().run()
    assert not at.exception
    assert at.warning or at.error
