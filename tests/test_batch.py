"""Batch classification on Dask: same results as the single-file classify, clear errors.

One in-process ``LocalCluster`` (two single-threaded workers, no subprocesses)
serves the module; the CLI reaches it through ``--scheduler``, so no test spawns
worker processes. The model is a 5-tree classifier trained on real stars.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster, get_task_stream

from sedviz import columns as C
from sedviz.batch import partitions
from sedviz.batch import run as batch
from sedviz.classifier.features import compute_features, compute_usable_mask
from sedviz.classifier.registry import load_model, save_model
from sedviz.classifier.targets import PREDICTED_CLASS, explain_columns
from sedviz.classifier.training import train_model
from sedviz.cli import main

N_PARTS = 4


@pytest.fixture(scope="module")
def models_root(tmp_path_factory: pytest.TempPathFactory, small_catalog: pd.DataFrame) -> Path:
    """A models folder holding ``tiny``: 5 rounds of the sp_class classifier."""
    root = tmp_path_factory.mktemp("models")
    params = {"n_estimators": 5, "early_stopping_rounds": None, "n_jobs": 1}
    save_model(train_model(small_catalog, "sp_class", params), "tiny", root=root)
    return root


def _unusable(stars: pd.DataFrame) -> int:
    """Stars with no colour at all (3 blanked here, plus catalogue stars with one band)."""
    return int((~compute_usable_mask(compute_features(stars))).sum())


@pytest.fixture(scope="module")
def stars(small_catalog: pd.DataFrame) -> pd.DataFrame:
    """630 real stars, a few with no colour at all (they stay unclassified)."""
    table = small_catalog.copy()
    no_colour = [C.BP_MAG, C.RP_MAG, C.BT_MAG, C.VT_MAG, C.HP_MAG, C.V_MAG, C.B_V, C.V_I, C.U_B]
    table.loc[table.index[:3], no_colour] = np.nan
    return table


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory: pytest.TempPathFactory, stars: pd.DataFrame) -> Path:
    """The stars as N_PARTS Parquet files of unequal size, plus a ``_SUCCESS`` marker."""
    folder = tmp_path_factory.mktemp("parts")
    bounds = np.linspace(0, len(stars), N_PARTS + 1).astype(int) + [0, 7, -11, 5, 0]
    for i in range(N_PARTS):
        stars.iloc[bounds[i] : bounds[i + 1]].to_parquet(folder / f"p{i}.parquet", index=False)
    (folder / "_SUCCESS").write_text("")
    return folder


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two single-threaded in-process workers, closed after the module."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def partitioned_columns(folder: Path) -> list[str]:
    return list(pd.read_parquet(folder / "p0.parquet").columns)


def _read_output(folder: Path) -> pd.DataFrame:
    files = sorted(folder.glob("part-*.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
@pytest.mark.parametrize("explain", [False, True])
def test_cli_batch_equals_single_file(
    tmp_path: Path,
    partitioned: Path,
    stars: pd.DataFrame,
    models_root: Path,
    client: Client,
    capsys: pytest.CaptureFixture[str],
    explain: bool,
) -> None:
    single_in = tmp_path / "all.parquet"
    stars.to_parquet(single_in, index=False)
    common = ["--model", "tiny", "--models-dir", str(models_root)] + ["--explain"] * explain
    argv = ["classify", str(single_in), "-o", str(tmp_path / "one.parquet"), *common]
    code, _, err = _run(argv, capsys)
    assert code == 0, err
    address = client.scheduler.address
    out_dir = tmp_path / "out"
    argv = ["classify", str(partitioned), "-o", str(out_dir), "--scheduler", address, *common]
    code, out, err = _run(argv, capsys)
    assert code == 0, err
    assert f"in {N_PARTS} partitions with tiny" in out
    assert f"partitions {N_PARTS}/{N_PARTS}" in err
    assert f"{_unusable(stars)} stars had no usable bands" in err
    expected = pd.read_parquet(tmp_path / "one.parquet")
    pd.testing.assert_frame_equal(_read_output(out_dir), expected)


def test_glob_input_and_meta_match_partitions(
    partitioned: Path, models_root: Path, client: Client
) -> None:
    files = partitions.find_partitions(str(partitioned / "p[12].parquet"))
    assert [f.name for f in files] == ["p1.parquet", "p2.parquet"]
    model, ref = batch.build_model_ref("tiny", root=models_root)
    lazy = batch.classify_dask(files, model, ref, explain=True)
    assert lazy.npartitions == 2
    computed = client.compute(lazy.partitions[1]).result()
    added = computed.columns[len(partitioned_columns(partitioned)) :]
    pd.testing.assert_series_equal(computed.dtypes[added], lazy._meta.dtypes[added])
    assert list(computed.columns) == list(lazy.columns)
    assert explain_columns(3)[0] in computed.columns


def test_one_task_and_one_model_load_per_worker_process(
    tmp_path: Path,
    partitioned: Path,
    stars: pd.DataFrame,
    models_root: Path,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loads: list[str] = []

    def counting_load(name: str | None = None, **kwargs: object) -> object:
        loads.append(str(name))
        return load_model(name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "load_model", counting_load)
    monkeypatch.setattr(batch, "_MODEL_CACHE", {})
    seen: list[int] = []
    with get_task_stream(client) as stream:
        result = batch.classify_partitions(
            partitioned,
            tmp_path / "out",
            client,
            model_name="tiny",
            models_root=models_root,
            progress=lambda state: seen.append(state.done),
        )
    # Read, classify and write fused: one task per partition, nothing held between them.
    assert len(stream.data) == N_PARTS
    # One load on the client, one in the (single, shared) worker process.
    assert loads == ["tiny", "tiny"]
    assert sorted(seen) == list(range(1, N_PARTS + 1))
    assert (result.partitions, result.rows) == (N_PARTS, len(stars))
    assert result.classified == len(stars) - _unusable(stars)


def test_partition_without_any_colour_is_left_unclassified(
    stars: pd.DataFrame, models_root: Path
) -> None:
    _, ref = batch.build_model_ref("tiny", root=models_root)
    out = batch.classify_partition(stars.iloc[:3], ref)
    assert (out[PREDICTED_CLASS] == "").all()
    assert out["prob_K"].isna().all()


def _write_missing_ra(folder: Path, stars: pd.DataFrame) -> None:
    stars.iloc[:5].to_parquet(folder / "a.parquet", index=False)
    stars.iloc[5:9].drop(columns=[C.RA]).to_parquet(folder / "b.parquet", index=False)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d, s: None, "no Parquet partitions found"),
        (lambda d, s: (d / "x.csv").write_text("source_id\n1\n"), "not Parquet partitions: x.csv"),
        (lambda d, s: (d / "x.parquet").write_text("not parquet"), "not a readable Parquet"),
        (_write_missing_ra, "b.parquet: star table is missing required column(s): ra"),
    ],
    ids=["empty", "csv", "garbage", "missing-column"],
)
def test_cli_bad_partitioned_input(
    tmp_path: Path,
    stars: pd.DataFrame,
    models_root: Path,
    capsys: pytest.CaptureFixture[str],
    setup: object,
    message: str,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    setup(folder, stars)  # type: ignore[operator]
    argv = ["classify", str(folder), "-o", str(tmp_path / "out"), "--model", "tiny"]
    code, _, err = _run([*argv, "--models-dir", str(models_root)], capsys)
    assert code != 0
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_partition_failing_on_a_worker_is_one_line(
    tmp_path: Path,
    stars: pd.DataFrame,
    models_root: Path,
    client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    stars.iloc[:20].to_parquet(folder / "a.parquet", index=False)
    bad = stars.iloc[20:30].astype({C.RA: str}).assign(**{C.RA: "not-a-number"})
    bad.to_parquet(folder / "b.parquet", index=False)
    argv = ["classify", str(folder), "-o", str(tmp_path / "out"), "--model", "tiny"]
    argv += ["--models-dir", str(models_root), "--scheduler", client.scheduler.address]
    code, _, err = _run(argv, capsys)
    assert code != 0
    last = err.strip().splitlines()[-1]  # progress lines may come before it
    assert last.startswith("sedviz classify: error: b.parquet: column 'ra' must hold numbers")
    assert "Traceback" not in err


def test_cli_bad_glob_output_and_flags(
    tmp_path: Path, partitioned: Path, models_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = ["--model", "tiny", "--models-dir", str(models_root)]
    code, _, err = _run(
        ["classify", str(tmp_path / "nothing-*.parquet"), "-o", "o", *model], capsys
    )
    assert code != 0 and "no Parquet partitions found" in err
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "old.parquet").write_text("")
    code, _, err = _run(["classify", str(partitioned), "-o", str(taken), *model], capsys)
    assert code != 0 and "not an empty folder" in err
    code, _, err = _run(
        ["classify", str(partitioned), "-o", str(tmp_path / "o.csv"), *model], capsys
    )
    assert code != 0 and "not CSV" in err
    single = sorted(partitioned.glob("*.parquet"))[0]
    code, _, err = _run(["classify", str(single), "-o", "o.parquet", "--workers", "2"], capsys)
    assert code != 0 and "need a folder or glob INPUT" in err
    assert "Traceback" not in err


def test_is_partitioned_input(partitioned: Path) -> None:
    assert partitions.is_partitioned_input(partitioned)
    assert partitions.is_partitioned_input("somewhere/part-*.parquet")
    assert not partitions.is_partitioned_input(partitioned / "p0.parquet")
