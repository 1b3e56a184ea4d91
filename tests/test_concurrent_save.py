"""Two processes retraining and saving at once; a crash in mid-save leaves nothing half-written.

Every test works in a private registry folder (``tmp_path``), never in the
repository's ``models/``. The processes are real (``subprocess``), started
together and released at the same moment by a file barrier just before saving.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from sedviz.classifier import registry
from sedviz.classifier.registry import (
    ModelError,
    list_model_names,
    list_models_frame,
    load_model,
    save_model,
)
from tests.retrain_helpers import build_tiny_registry

pytestmark = pytest.mark.slow  # saves models from several processes

ROOT = Path(__file__).resolve().parents[1]

# Retrain on 2,000 catalogue stars, wait at the barrier, save. argv: root, name, seed, barrier dir.
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sedviz.catalog.tables import load_catalog
    from sedviz.classifier.registry import ModelError, save_model
    from sedviz.retrain.subset import RetrainParams, build_subset
    from sedviz.retrain.job import RetrainRequest, run_retrain

    root, name, seed, barrier = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    table = load_catalog()
    labelled = (table["sp_class"] != "").to_numpy()
    chosen = table[labelled].sample(2000, random_state=seed).index
    subset = build_subset(table, table.index.isin(chosen), "selection", f"sample {seed}")
    params = RetrainParams(n_trees=10, max_depth=3)
    result = run_retrain(RetrainRequest(table, "sp_class", subset, params, models_root=root))
    (barrier / f"ready-{seed}").touch()
    while len(list(barrier.glob("ready-*"))) < 2:
        time.sleep(0.005)
    try:
        save_model(result.model, name, root=root)
    except ModelError as exc:
        print("refused:", exc)
        sys.exit(3)
    print("saved", name)
    """
)

# Save a model but stop for good between writing the files and the rename. argv: root, name.
STALLED_SAVE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sedviz.classifier import registry
    from sedviz.classifier.registry import load_model

    root, name = sys.argv[1], sys.argv[2]
    model = load_model("default-sp_class", root=root)
    model.training_ = {"target": "sp_class"}

    def stall(tmp, final, overwrite):
        (Path(root) / "stalled").write_text(str(tmp))
        time.sleep(600)

    registry._move_into_place = stall
    registry.save_model(model, name, root=root)
    """
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, catalog: pd.DataFrame) -> Path:
    return build_tiny_registry(tmp_path_factory.mktemp("models"), catalog)


def _start(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SEDVIZ_MODELS_DIR": args[0]}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _no_leftovers(folder: Path) -> None:
    hidden = [p.name for p in folder.iterdir() if p.name.startswith((".tmp-", ".old-"))]
    assert hidden == [], hidden


def _race(
    root: Path, tmp_path: Path, names: tuple[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [_start(WORKER, str(root), name, str(seed), str(barrier))
             for seed, name in enumerate(names)]  # fmt: skip
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def test_two_processes_save_different_models_at_once(root: Path, tmp_path: Path) -> None:
    results = _race(root, tmp_path, ("class-a", "class-b"))
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-800:] for r in results]
    for name in ("class-a", "class-b"):
        model = load_model(name, root=root)
        assert model.card_["subset"]["kind"] == "selection"
    assert {"class-a", "class-b"} <= set(list_models_frame(root=root)["name"])
    _no_leftovers(root)


def test_two_processes_save_the_same_name_one_wins_intact(root: Path, tmp_path: Path) -> None:
    results = _race(root, tmp_path, ("same-name", "same-name"))
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 3], [r.stderr[-800:] for r in results]
    loser = next(r for r in results if r.returncode == 3)
    assert "already exists" in loser.stdout or "another process" in loser.stdout
    model = load_model("same-name", root=root)  # checksum and card verified
    assert model.card_["name"] == "same-name"
    _no_leftovers(root)


def test_exception_between_write_and_rename_leaves_no_model(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = load_model("default-sp_class", root=root)
    model.training_ = {"target": "sp_class"}

    def boom(tmp: Path, final: Path, overwrite: bool) -> None:
        assert (tmp / registry.MODEL_FILE).is_file() and (tmp / registry.CARD_FILE).is_file()
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(registry, "_move_into_place", boom)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        save_model(model, "crashed", root=root)
    assert "crashed" not in list_model_names(root=root)
    with pytest.raises(ModelError, match="unknown model 'crashed'"):
        load_model("crashed", root=root)
    _no_leftovers(root)


def test_process_killed_mid_save_leaves_no_visible_model(root: Path) -> None:
    proc = _start(STALLED_SAVE, str(root), "killed")
    marker = root / "stalled"
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate(timeout=5)[1][-800:]
    half_written = Path(marker.read_text())
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # reaps it and closes its pipes
    marker.unlink()
    assert half_written.is_dir() and half_written.name.startswith(".tmp-killed-")
    assert "killed" not in list_model_names(root=root)
    assert "killed" not in set(list_models_frame(root=root)["name"])
    with pytest.raises(ModelError, match="unknown model 'killed'"):
        load_model("killed", root=root)
    # The name is still free: the next save completes.
    model = load_model("default-sp_class", root=root)
    model.training_ = {"target": "sp_class"}
    save_model(model, "killed", root=root)
    assert load_model("killed", root=root).card_["name"] == "killed"
