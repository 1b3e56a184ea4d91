"""``python -m sedviz simulate`` and ``train-sim``: files, labels, metrics, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sedviz.cli import main
from sedviz.simulate.io import load_simulated_table, load_simulation_record
from sedviz.simulate.to_real import REAL_ALL, SIM_TEST


def test_simulate_writes_a_labelled_reproducible_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["simulate", "-n", "12", "-o", str(first), "--seed", "5"]) == 0
    assert main(["simulate", "-n", "12", "-o", str(second), "--seed", "5"]) == 0
    assert first.read_bytes() == second.read_bytes()
    table = load_simulated_table(first)
    assert len(table) == 7 * 12 and table["simulated"].all()
    record = load_simulation_record(first)
    assert record["seed"] == 5 and record["n_per_type"] == 12 and record["simulated"] is True


def test_simulate_options_reach_the_table(tmp_path: Path) -> None:
    out = tmp_path / "s.parquet"
    args = ["simulate", "-n", "30", "-o", str(out), "--classes", "AK"]
    assert main([*args, "--missing", "bt_mag=1", "--av-distribution", "none"]) == 0
    table = pd.read_parquet(out)
    assert set(table["sp_class"]) == {"A", "K"} and table["bt_mag"].isna().all()
    assert (table["a_v"] == 0).all()
    assert load_simulation_record(out)["av_distribution"] == "none"


@pytest.mark.parametrize(
    "extra",
    [
        ["-n", "0", "-o", "x.csv"],
        ["-n", "5", "-o", "x.txt"],
        ["-n", "5", "-o", "x.csv", "--missing", "bt_mag"],
        ["-n", "5", "-o", "x.csv", "--missing", "nope=0.5"],
        ["-n", "5", "-o", "x.csv", "--classes", "OBX"],
        ["-n", "5", "-o", "x.csv", "--av", "-1"],
    ],
)
def test_simulate_user_errors_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["simulate", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sedviz simulate: error:") and err.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.slow
def test_train_sim_saves_a_simulated_model_scored_on_real_stars(
    tmp_path: Path, small_catalog: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    sim, real = tmp_path / "sim.parquet", tmp_path / "real.parquet"
    small_catalog.to_parquet(real, index=False)
    assert main(["simulate", "-n", "40", "-o", str(sim), "--seed", "1"]) == 0
    models = tmp_path / "models"
    args = ["train-sim", str(sim), "--models-dir", str(models), "--catalog", str(real)]
    assert main([*args, "--name", "sim-test", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert printed["model"] == "sim-test" and 0 <= printed[REAL_ALL]["accuracy"] <= 1
    card = json.loads((models / "sim-test" / "card.json").read_text())
    assert card["training_data"]["kind"] == "simulated"
    assert card["training_data"]["simulation"]["seed"] == 1
    assert card["metrics_sim_to_real"][SIM_TEST]["n"] == 7 * 8
    assert main([*args, "--name", "sim-test"]) == 2  # a named model is never overwritten


def test_train_sim_refuses_real_stars(
    tmp_path: Path, small_catalog: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.csv"
    small_catalog.to_csv(real, index=False)
    assert main(["train-sim", str(real), "--models-dir", str(tmp_path)]) == 2
    assert "not a simulated table" in capsys.readouterr().err
