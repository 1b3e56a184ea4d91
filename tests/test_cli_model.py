"""``python -m sedviz train | evaluate | classify``: the contract scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.registry import load_card, save_model
from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY, prob_column
from sedviz.cli import main
from tests.classifier_helpers import tiny_model, tiny_table


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny catalogue file and a models folder holding tiny default models."""
    root = tmp_path_factory.mktemp("cli")
    catalog = root / "catalog.parquet"
    tiny_table().to_parquet(catalog)
    models = root / "models"
    for target in (C.SP_CLASS, C.LUM_CLASS):
        save_model(tiny_model(target), f"default-{target}", root=models)
    gaia = tiny_table()[[C.SOURCE_ID, C.RA, C.DEC, C.G_MAG, C.BP_MAG, C.RP_MAG, C.PARALLAX]]
    gaia.head(20).to_csv(root / "gaia.csv", index=False)
    tiny_table()[[C.HIP]].iloc[::3].to_csv(root / "ids.csv", index=False)
    return {"root": root, "catalog": catalog, "models": models}


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_train_saves_a_named_model(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["train", "--target", "sp_class", "--name", "cli-test", "--activate"]
    args += ["--catalog", str(workspace["catalog"]), "--models-dir", str(workspace["models"])]
    code, out, err = _run(args, capsys)
    assert code == 0, err
    assert "cli-test" in out
    card = load_card("cli-test", root=workspace["models"])
    assert card["target"] == "sp_class"
    assert (workspace["models"] / "cli-test" / "catalog_shap.npz").is_file()
    assert (
        json.loads((workspace["models"] / "active-sp_class.json").read_text())["name"] == "cli-test"
    )
    code, _, err = _run(args, capsys)
    assert code == 2 and "already exists" in err


def test_evaluate_json_has_the_contract_keys(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", "--model", "default-sp_class", "--json"]
    args += ["--catalog", str(workspace["catalog"]), "--models-dir", str(workspace["models"])]
    code, out, err = _run(args, capsys)
    assert code == 0, err
    result = json.loads(out)
    assert {"accuracy", "balanced_accuracy", "macro_f1", "n", "per_class"} <= set(result)
    assert set(result["per_class"]) == set(C.SP_CLASSES)
    only = _run([*args, "--only", str(workspace["root"] / "ids.csv")], capsys)
    assert json.loads(only[1])["n"] == len(tiny_table().iloc[::3])


def test_classify_adds_the_prediction_columns(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = workspace["root"] / "out.parquet"
    args = ["classify", str(workspace["root"] / "gaia.csv"), "-o", str(out_path), "--explain"]
    code, _, err = _run([*args, "--models-dir", str(workspace["models"])], capsys)
    assert code == 0, err
    result = pd.read_parquet(out_path)
    source = pd.read_csv(workspace["root"] / "gaia.csv")
    assert list(result.columns[: len(source.columns)]) == list(source.columns)
    for column in [PREDICTED_CLASS, PREDICTED_PROBABILITY, *map(prob_column, C.SP_CLASSES)]:
        assert column in result.columns
    assert {"explain_1_feature", "explain_3_shap"} <= set(result.columns)
    assert result["in_domain"].dtype == bool
    assert ((result["domain_note"] == "") == result["in_domain"]).all()
    lum = workspace["root"] / "lum.csv"
    code, _, err = _run(
        [*args[:3], str(lum), "--target", "lum_class", "--models-dir", str(workspace["models"])],
        capsys,
    )
    assert code == 0, err
    assert prob_column("I-II") in pd.read_csv(lum).columns


@pytest.mark.parametrize(
    ("make_input", "model", "message"),
    [
        (lambda root: root / "missing.csv", None, "no such file"),
        (lambda root: _write(root / "cols.csv", "ra,dec\n1,2\n"), None, "missing required column"),
        (lambda root: _write(root / "bad.parquet", "not parquet"), None, "cannot read"),
        (
            lambda root: _write(root / "g.csv", "source_id,ra,dec,phot_g_mean_mag\n1,2,3,4\n"),
            None,
            "no usable bands",
        ),
        (lambda root: root / "gaia.csv", "nope", "unknown model 'nope'"),
        (lambda root: root / "gaia.csv", "../x", "invalid model name"),
        (lambda root: root / "gaia.csv", "corrupt", "corrupt"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str], make_input, model, message
) -> None:
    corrupt = workspace["models"] / "corrupt"
    if not corrupt.exists():
        save_model(tiny_model(C.SP_CLASS), "corrupt", root=workspace["models"])
        (corrupt / "model.ubj").write_bytes(b"garbage")
    args = ["classify", str(make_input(workspace["root"])), "-o", str(workspace["root"] / "o.csv")]
    args += ["--models-dir", str(workspace["models"])] + (["--model", model] if model else [])
    code, _, err = _run(args, capsys)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.slow
def test_module_entry_point_exits_nonzero_without_traceback(workspace: dict[str, Path]) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sedviz",
            "evaluate",
            "--model",
            "nope",
            "--models-dir",
            str(workspace["models"]),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown model 'nope'" in result.stderr
    assert "Traceback" not in result.stderr
