"""Models that belong to their session: runtime folder, owners, teacher, quotas, concurrency.

Every test keeps models in a private folder (``tmp_path``); the last test checks
that the repository's ``models/`` is unchanged afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from sedviz import columns as C
from sedviz.classifier import registry
from sedviz.classifier.access import AccessError, Editor, Quota, QuotaError
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.registry import (
    ModelError,
    delete_model,
    get_active_model_name,
    list_model_names,
    list_models_frame,
    load_card,
    load_model,
    models_dir,
    save_model,
    set_active_model,
    usage,
)
from tests.classifier_helpers import tiny_model

ROOT = Path(__file__).resolve().parents[1]
ALICE, BOB, TEACHER = Editor("alice-token"), Editor("bob-token"), Editor("", teacher=True)
SHIPPED = registry.MODELS_DIR / "default-sp_class" / registry.CARD_FILE


@pytest.fixture(scope="module")
def model() -> StarClassifier:
    return tiny_model(C.SP_CLASS)


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's runtime folder for this test (the shipped folder stays the repository's)."""
    folder = tmp_path / "runtime"
    monkeypatch.setenv("SEDVIZ_MODELS_DIR", str(folder))
    monkeypatch.delenv("SEDVIZ_SHIPPED_MODELS_DIR", raising=False)
    return folder


def test_runtime_folder_defaults_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: StarClassifier
) -> None:
    monkeypatch.delenv("SEDVIZ_MODELS_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert models_dir() == tmp_path / "data" / "sedviz" / "models"
    folder = save_model(model, "kept", editor=ALICE)
    assert folder.parent == tmp_path / "data" / "sedviz" / "models"
    assert ROOT not in folder.parents
    assert "kept" in list_model_names()


@pytest.mark.skipif(not SHIPPED.is_file(), reason="the shipped default models are not built")
def test_shipped_models_are_found_beside_the_runtime_ones(
    runtime: Path, model: StarClassifier
) -> None:
    save_model(model, "mine", editor=ALICE)
    assert {"default-sp_class", "mine"} <= set(list_model_names())
    frame = list_models_frame().set_index("name")
    assert frame.loc["default-sp_class", "shipped"] and not frame.loc["mine", "shipped"]
    assert frame.loc["mine", "owner"] == ALICE.owner and frame.loc["default-sp_class", "active"]
    assert load_model("default-sp_class").folder_.parent == registry.MODELS_DIR
    with pytest.raises(ModelError, match="shipped default"):
        delete_model("default-sp_class", editor=TEACHER)


def test_the_repository_models_folder_is_never_the_runtime_folder(
    monkeypatch: pytest.MonkeyPatch, model: StarClassifier
) -> None:
    monkeypatch.setenv("SEDVIZ_MODELS_DIR", str(registry.MODELS_DIR))
    with pytest.raises(ModelError, match="outside the repository"):
        save_model(model, "must-not-land-in-git", editor=ALICE)
    assert not (registry.MODELS_DIR / "must-not-land-in-git").exists()


def test_a_session_changes_only_its_own_models(runtime: Path, model: StarClassifier) -> None:
    save_model(model, "alices", editor=ALICE)
    assert load_card("alices")["owner"] == ALICE.owner
    with pytest.raises(AccessError, match="belongs to another session"):
        save_model(model, "alices", editor=BOB, overwrite=True)
    with pytest.raises(AccessError, match="belongs to another session"):
        delete_model("alices", editor=BOB)
    save_model(model, "alices", editor=ALICE, overwrite=True)  # her own: allowed
    delete_model("alices", editor=ALICE)
    assert "alices" not in list_model_names()
    with pytest.raises(AccessError, match="kept for the shipped models"):
        save_model(model, "default-sp_class", editor=ALICE, overwrite=True)


def test_the_teacher_manages_every_model_and_the_class_default(
    runtime: Path, model: StarClassifier
) -> None:
    save_model(model, "bobs", editor=BOB)
    save_model(model, "cli-model")  # the command line: no owner
    with pytest.raises(AccessError, match="only the teacher"):
        delete_model("cli-model", editor=BOB)
    with pytest.raises(AccessError, match="only the teacher can set the class default"):
        set_active_model(C.SP_CLASS, "bobs", editor=BOB)
    set_active_model(C.SP_CLASS, "bobs", editor=TEACHER)
    assert get_active_model_name(C.SP_CLASS) == "bobs"
    assert (runtime / "active-sp_class.json").is_file()  # persisted for every process
    with pytest.raises(ModelError, match="class default"):
        delete_model("bobs", editor=BOB)
    set_active_model(C.SP_CLASS, None, editor=TEACHER)
    assert get_active_model_name(C.SP_CLASS) == "default-sp_class"
    delete_model("bobs", editor=TEACHER)
    delete_model("cli-model", editor=TEACHER)
    assert list_model_names(root=runtime) == []


def test_quota_per_session_in_models_and_megabytes(runtime: Path, model: StarClassifier) -> None:
    quota = Quota(session_models=2, session_mb=100, total_models=10, total_mb=100)
    for name in ("a1", "a2"):
        save_model(model, name, editor=ALICE, quota=quota)
    with pytest.raises(QuotaError, match=r"you already keep 2 models.*\(2\); delete one"):
        save_model(model, "a3", editor=ALICE, quota=quota)
    save_model(model, "a2", editor=ALICE, quota=quota, overwrite=True)  # replacing fits
    save_model(model, "b1", editor=BOB, quota=quota)  # another session has its own room
    size_mb = usage(ALICE.owner)[0].mb / 2
    tight = Quota(session_models=10, session_mb=size_mb * 1.5, total_models=10, total_mb=100)
    with pytest.raises(QuotaError, match=r"MB one session may keep"):
        save_model(model, "b2", editor=BOB, quota=tight)
    assert set(list_model_names(root=runtime)) == {"a1", "a2", "b1"}


def test_total_quota_binds_the_teacher_too(runtime: Path, model: StarClassifier) -> None:
    quota = Quota(session_models=5, session_mb=100, total_models=2, total_mb=100)
    save_model(model, "a1", editor=ALICE, quota=quota)
    save_model(model, "b1", editor=BOB, quota=quota)
    for editor in (ALICE, TEACHER):
        with pytest.raises(QuotaError, match=r"the class already keeps 2 models.*teacher"):
            save_model(model, "x", editor=editor, quota=quota)


def test_quota_from_the_environment() -> None:
    env = {"SEDVIZ_QUOTA_SESSION_MODELS": "3", "SEDVIZ_QUOTA_TOTAL_MB": "250.5"}
    quota = Quota.from_env(env)
    assert (quota.session_models, quota.total_mb, quota.total_models) == (3, 250.5, 150)
    assert Quota.from_env(env, session_models="7").session_models == 7
    with pytest.raises(AccessError, match="total_models must be a number"):
        Quota.from_env({"SEDVIZ_QUOTA_TOTAL_MODELS": "lots"})


def test_two_sessions_keep_and_delete_at_once_threads(runtime: Path, model: StarClassifier) -> None:
    """Each session tries 6 keeps at once with room for 3: exactly 3 each, all intact."""
    quota = Quota(session_models=3, session_mb=100, total_models=100, total_mb=1000)
    refused: list[str] = []
    barrier = threading.Barrier(12)

    def keep(editor: Editor, name: str) -> None:
        barrier.wait()
        try:
            save_model(model, name, editor=editor, quota=quota)
        except QuotaError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=keep, args=(ed, f"{ed.owner[:1]}{i}"))
               for ed in (ALICE, BOB) for i in range(6)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    mine_a, _ = usage(ALICE.owner)
    mine_b, everyone = usage(BOB.owner)
    assert (mine_a.models, mine_b.models, everyone.models, len(refused)) == (3, 3, 6, 6)
    for name in list_model_names(root=runtime):
        load_model(name)  # checksum and card verified

    kept = {ed.owner: [n for n in list_model_names(root=runtime) if n[0] == ed.owner[0]]
            for ed in (ALICE, BOB)}  # fmt: skip
    errors: list[str] = []

    def delete(editor: Editor, name: str) -> None:
        try:
            delete_model(name, editor=editor)
        except (AccessError, ModelError) as exc:
            errors.append(str(exc))

    # Each session deletes its own models and tries the other's, all at once.
    jobs = [(ALICE, n) for n in kept[ALICE.owner] + kept[BOB.owner]]
    jobs += [(BOB, n) for n in kept[BOB.owner] + kept[ALICE.owner]]
    threads = [threading.Thread(target=delete, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert list_model_names(root=runtime) == []
    # 6 refusals for the other's models, or "unknown" if its owner deleted it first.
    assert len(errors) == 6
    assert all("another session" in e or "unknown model" in e for e in errors), errors
    assert not [p for p in runtime.iterdir() if p.name.startswith((".tmp-", ".old-"))]


# Keep 4 models as one session of one server process. argv: session token, barrier dir.
KEEPER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sedviz.classifier.access import Editor, Quota, QuotaError
    from sedviz.classifier.registry import save_model
    from tests.classifier_helpers import tiny_model

    token, barrier = sys.argv[1], Path(sys.argv[2])
    model = tiny_model("sp_class")
    (barrier / f"ready-{token}").touch()
    while len(list(barrier.glob("ready-*"))) < 2:
        time.sleep(0.005)
    quota = Quota(session_models=10, session_mb=100, total_models=5, total_mb=1000)
    for i in range(4):
        try:
            save_model(model, f"{token}-{i}", editor=Editor(token), quota=quota)
            print("kept")
        except QuotaError as exc:
            print("refused:", exc)
    """
)


@pytest.mark.slow
def test_two_server_processes_share_the_total_quota(runtime: Path, tmp_path: Path) -> None:
    """Two processes (as behind the proxy) keep 4 models each with room for 5 in all."""
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SEDVIZ_MODELS_DIR": str(runtime)}
    procs = [subprocess.Popen([sys.executable, "-c", KEEPER, token, str(barrier)], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for token in ("p", "q")]  # fmt: skip
    outs = [proc.communicate(timeout=300) for proc in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-800:] for _, err in outs]
    lines = [line for out, _ in outs for line in out.splitlines()]
    assert lines.count("kept") == 5 and sum("class already keeps 5" in x for x in lines) == 3
    assert len(list_model_names(root=runtime)) == 5
    for name in list_model_names(root=runtime):
        load_model(name)


def test_the_repository_models_folder_is_clean() -> None:
    """Nothing above (nor the app tests) wrote into the repository's models/."""
    done = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "--", "models"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()[:80]}")
    assert done.stdout == ""
