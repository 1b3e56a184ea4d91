"""Catalogue-scale classification on Dask: a folder (or glob) of Parquet partitions in and out.

A star table too large for one machine's memory is classified partition by
partition on a Dask cluster: a :class:`distributed.LocalCluster` by default, or
an existing one given by its scheduler address. Each input file is one Dask
partition, read and validated by :func:`sedviz.catalog.tables.validate_star_table`,
classified by :func:`sedviz.classifier.predict.classify_frame` (the very function of the
single-file ``classify``, so the added columns and values are the same) and
written to ``OUTPUT/part-NNNNN.parquet``. Memory per worker is bounded by the
partition size, not by the input size.

The model is never pickled: tasks carry a :class:`ModelRef` (model name,
absolute models folder, SHA-256 of ``model.ubj``) and each worker process loads
the booster from the folder once, through :func:`load_worker_model`, which
caches it per process keyed by folder and checksum. Workers of a remote cluster
must therefore see the models folder at the same path (shared file system).

File handling (finding, checking, reading and writing partitions) is in
:mod:`sedviz.batch.partitions`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
from distributed import Client, LocalCluster, as_completed, futures_of

from sedviz import columns as C
from sedviz.batch.partitions import (
    BatchInputError,
    check_partition_schemas,
    find_partitions,
    prepare_output_dir,
    read_partition,
    write_partition,
)
from sedviz.catalog.tables import validate_star_table
from sedviz.classifier.domain import DOMAIN_NOTE, IN_DOMAIN
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import NoUsableBandsError, classify_frame, prediction_columns
from sedviz.classifier.registry import MODEL_FILE, ModelError, load_model
from sedviz.classifier.targets import (
    EXPLAIN_TOP_N,
    PREDICTED_CLASS,
    SECOND_CLASS,
    explain_columns,
)

#: Models kept per worker process (one batch job uses one).
_CACHE_SIZE: Final = 4
_MODEL_CACHE: dict[tuple[str, str], StarClassifier] = {}
_MODEL_LOCK: Final = threading.Lock()
_STATS_META: Final = pd.DataFrame(
    {"rows": pd.Series([], dtype="int64"), "classified": pd.Series([], dtype="int64")}
)


@dataclass(frozen=True)
class ModelRef:
    """What a task needs to load a model on a worker: never the model itself."""

    name: str
    #: Absolute models folder, as the workers must see it.
    root: str
    #: SHA-256 of the booster file, checked on the worker.
    sha256: str


@dataclass(frozen=True)
class BatchProgress:
    """State of a running batch job, passed to the progress callback."""

    done: int
    total: int
    rows: int
    classified: int
    elapsed_s: float


@dataclass(frozen=True)
class BatchResult:
    """Summary of a finished batch job."""

    output: Path
    model: str
    partitions: int
    rows: int
    classified: int
    elapsed_s: float


# --- one partition on a worker ------------------------------------------------------
def load_worker_model(ref: ModelRef) -> StarClassifier:
    """Return the model of *ref*, loaded once per process (cache keyed by folder + checksum).

    The booster predicts on one thread: Dask already runs one task per worker
    thread, so XGBoost's own threads would oversubscribe the cores.

    Raises
    ------
    ModelError
        If the model folder this worker sees holds another booster than *ref*'s.
    """
    key = (str(Path(ref.root) / ref.name), ref.sha256)
    with _MODEL_LOCK:
        model = _MODEL_CACHE.get(key)
        if model is None:
            model = load_model(ref.name, root=ref.root)
            if model.card_["model_sha256"] != ref.sha256:
                raise ModelError(
                    f"model {ref.name!r} on this worker differs from the client's "
                    f"({ref.root}/{ref.name}/{MODEL_FILE} has another checksum)"
                )
            model.booster_.set_param({"nthread": 1})
            while len(_MODEL_CACHE) >= _CACHE_SIZE:
                _MODEL_CACHE.pop(next(iter(_MODEL_CACHE)))
            _MODEL_CACHE[key] = model
    return model


def classify_partition(part: pd.DataFrame, ref: ModelRef, explain: bool = False) -> pd.DataFrame:
    """Classify one partition like the single-file ``classify`` does.

    A partition in which no star has a colour gets empty classes and NaN
    probabilities instead of failing the whole job (the job reports the count).
    """
    model = load_worker_model(ref)
    try:
        return classify_frame(model, part, explain=explain)
    except NoUsableBandsError:
        return _unclassified_frame(model, part, explain)


def _unclassified_frame(model: StarClassifier, part: pd.DataFrame, explain: bool) -> pd.DataFrame:
    added = build_output_meta(part.iloc[:0], model, explain).drop(columns=part.columns)
    filler = {
        name: "" if name in (PREDICTED_CLASS, SECOND_CLASS) else np.nan for name in added.columns
    }
    return part.assign(**filler).astype(added.dtypes.to_dict())


# --- lazy Dask graph ------------------------------------------------------------------
def build_input_meta(schema: pa.Schema) -> pd.DataFrame:
    """Return the empty, validated star table a partition of *schema* becomes.

    Optional identifiers (``hip``, ``hd``) are nullable ``Int64`` here; a
    partition without gaps in them holds ``int64`` (same Parquet type).
    """
    meta = validate_star_table(schema.empty_table().to_pandas())
    ids = [n for n, kind in C.OPTIONAL_COLUMNS.items() if kind == "int" and n in meta.columns]
    return meta.astype(dict.fromkeys(ids, "Int64"))


def build_output_meta(
    input_meta: pd.DataFrame, model: StarClassifier, explain: bool = False
) -> pd.DataFrame:
    """Return the empty output frame: input columns plus :func:`prediction_columns` (and explain)."""
    added: dict[str, pd.Series] = {}
    for name in prediction_columns(model):
        kinds = {PREDICTED_CLASS: "str", SECOND_CLASS: "str", IN_DOMAIN: "bool", DOMAIN_NOTE: "str"}
        kind = kinds.get(name, "float64")
        added[name] = pd.Series([], dtype=kind)
    if explain:
        for rank in range(1, EXPLAIN_TOP_N + 1):
            feature, value, shap = explain_columns(rank)
            added[feature] = pd.Series([], dtype="str")
            added[value] = pd.Series([], dtype="float64")
            added[shap] = pd.Series([], dtype="float64")
    base = input_meta.drop(columns=list(added), errors="ignore")
    return base.assign(**added)


def classify_dask(
    files: Sequence[Path], model: StarClassifier, ref: ModelRef, explain: bool = False
) -> dd.DataFrame:
    """Return the lazy classified table: one partition per file, explicit ``meta``.

    *model* (loaded on the client) only supplies the class labels for the meta;
    the tasks load their own copy from *ref*.
    """
    input_meta = build_input_meta(check_partition_schemas(files))
    # No conversion to string[pyarrow]: pandas 3's ``str`` is Arrow-backed already,
    # and converting would make the output dtypes differ from the single-file classify.
    with dask.config.set({"dataframe.convert-string": False}):
        stars = dd.from_map(read_partition, [str(p) for p in files], meta=input_meta)
    meta = build_output_meta(input_meta, model, explain)
    return stars.map_partitions(classify_partition, ref, explain, meta=meta)


# --- running a job ----------------------------------------------------------------------
@contextlib.contextmanager
def open_client(
    scheduler: str | None = None,
    n_workers: int | None = None,
    memory_limit: str | None = None,
) -> Iterator[Client]:
    """Yield a client of the cluster at *scheduler*, else of a new :class:`LocalCluster`.

    The local cluster has *n_workers* single-threaded worker processes (default:
    one per core) with *memory_limit* each (e.g. ``"2GiB"``; default: the
    machine's memory shared among them); it is closed on exit.
    """
    if scheduler is not None:
        if n_workers is not None or memory_limit is not None:
            raise BatchInputError("--workers and --memory-limit apply to a local cluster only")
        with Client(scheduler) as client:
            yield client
        return
    if n_workers is not None and n_workers < 1:
        raise BatchInputError(f"--workers must be at least 1, not {n_workers}")
    with (
        LocalCluster(
            n_workers=n_workers or os.cpu_count() or 1,
            threads_per_worker=1,
            memory_limit=memory_limit or "auto",
            dashboard_address=":0",  # a free port: no clash with other clusters
            # A failing partition reaches the user as one line; workers' logs would add tracebacks.
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def build_model_ref(
    name: str | None = None, *, target: str | None = None, root: str | Path | None = None
) -> tuple[StarClassifier, ModelRef]:
    """Load a model on the client (checked) and return it with its :class:`ModelRef`."""
    model = load_model(name, target=target, root=root)
    folder = model.folder_.parent.resolve()  # the shipped or the runtime folder
    return model, ModelRef(model.card_["name"], str(folder), model.card_["model_sha256"])


@dataclass(frozen=True)
class BatchPlan:
    """A checked batch job, ready to run: partitions, output folder and the lazy graph."""

    files: tuple[Path, ...]
    output: Path
    model: str
    #: Lazy per-partition counts (rows, classified); computing it writes the output.
    stats: dd.DataFrame


def plan_batch(
    input_path: str | Path,
    output: str | Path,
    *,
    model_name: str | None = None,
    target: str | None = None,
    models_root: str | Path | None = None,
    explain: bool = False,
) -> BatchPlan:
    """Check input, model and output without a cluster, and build the lazy job.

    Output partitions hold the input columns plus the columns of the
    single-file ``classify`` (``predicted_class``, ``predicted_probability``,
    ``second_*``, ``prob_<label>``, and with *explain* the top three SHAP
    contributions).

    Raises
    ------
    BatchInputError, ModelError
        For an unusable input folder, partition schema, model or output folder.
    """
    files = find_partitions(input_path)
    model, ref = build_model_ref(model_name, target=target, root=models_root)
    classified = classify_dask(files, model, ref, explain)
    out = prepare_output_dir(output)
    stats = classified.map_partitions(write_partition, str(out), meta=_STATS_META)
    return BatchPlan(tuple(files), out, ref.name, stats)


def run_batch(
    plan: BatchPlan, client: Client, progress: Callable[[BatchProgress], None] | None = None
) -> BatchResult:
    """Run *plan* on *client*'s cluster; call *progress* after each finished partition.

    Raises
    ------
    StarTableError
        If a partition fails validation (the remaining tasks are cancelled).
    NoUsableBandsError
        If no star of the whole input has a colour to classify on.
    """
    start = time.perf_counter()
    rows, done = _run_with_progress(client, plan.stats, start, progress)
    if rows and not done:
        raise NoUsableBandsError(f"no star of {rows} has two bands (one colour) to classify on")
    elapsed = time.perf_counter() - start
    return BatchResult(plan.output, plan.model, len(plan.files), rows, done, elapsed)


def classify_partitions(
    input_path: str | Path,
    output: str | Path,
    client: Client,
    *,
    progress: Callable[[BatchProgress], None] | None = None,
    **options: Any,
) -> BatchResult:
    """Classify every partition of *input_path* into folder *output* on *client*'s cluster.

    *options* are those of :func:`plan_batch`; see also :func:`run_batch`.
    """
    return run_batch(plan_batch(input_path, output, **options), client, progress)


def _run_with_progress(
    client: Client,
    stats: dd.DataFrame,
    start: float,
    progress: Callable[[BatchProgress], None] | None,
) -> tuple[int, int]:
    # Fused here: one task per partition (read, classify, write), nothing held between them.
    futures = futures_of(client.persist(stats.optimize(fuse=True), optimize_graph=False))
    rows = classified = done = 0
    try:
        for future in as_completed(futures):
            counts = future.result()
            rows += int(counts["rows"].sum())
            classified += int(counts["classified"].sum())
            done += 1
            if progress is not None:
                elapsed = time.perf_counter() - start
                progress(BatchProgress(done, len(futures), rows, classified, elapsed))
    finally:
        client.cancel(futures)
    return rows, classified


def print_progress(every_s: float = 1.0) -> Callable[[BatchProgress], None]:
    """Return a progress callback printing one line to stderr at most every *every_s*."""
    last = [-every_s]

    def report(state: BatchProgress) -> None:
        if state.done < state.total and state.elapsed_s - last[0] < every_s:
            return
        last[0] = state.elapsed_s
        rate = state.rows / state.elapsed_s if state.elapsed_s > 0 else 0.0
        print(
            f"partitions {state.done}/{state.total}, {state.rows:,} stars, {rate:,.0f} stars/s",
            file=sys.stderr,
            flush=True,
        )

    return report
