"""Retraining on a chosen subset: subsets, checked settings, and one synchronous run.

A :class:`Subset` is a set of ``source_id`` values with a readable description
and a short hash; it comes from an HR-diagram selection, from filters
(:class:`SubsetFilters`: G magnitude, parallax quality, catalogued class), from
an uploaded id list, or from simulated stars. :func:`check_subset` refuses a
subset too small to train, naming the class, its count and the minimum;
:func:`check_params` keeps the hyper-parameters inside safe bounds.
:func:`run_retrain` trains (the split is always computed on the whole star set,
so the held-out stars never change), then scores the new and the active model
on the same held-out stars (:mod:`sedviz.retrain.compare`) and records
everything the model card needs. :mod:`sedviz.retrain.job` runs it in a
worker thread with progress and cancel.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.classifier.features import PARALLAX_SNR, compute_features
from sedviz.classifier.targets import TARGET_CLASSES, compute_target_labels
from sedviz.classifier.training import TEST, TRAIN, VALIDATION, compute_split
from sedviz.errors import SedvizError
from sedviz.tableio import id_frame, read_source_list

#: A class needs this many training stars to be learnt; smaller classes are left out.
MIN_TRAIN_PER_CLASS: Final = 10
#: At least this many classes must reach :data:`MIN_TRAIN_PER_CLASS`.
MIN_CLASSES: Final = 2
#: Validation stars needed for early stopping (2 without it: XGBoost still reports a loss).
MIN_VALIDATION_STARS: Final = 10
#: Held-out stars needed to compare two models.
MIN_HELD_OUT_STARS: Final = 30
#: Rounds without improvement of the validation log-loss before stopping.
EARLY_STOPPING_ROUNDS: Final = 15
#: Histogram bins: 64 instead of the default model's 256 halves the training time
#: at no accuracy cost we could measure (docs/retrain.md).
RETRAIN_MAX_BIN: Final = 64
#: One thread per training: XGBoost releases the GIL, the other core serves the app.
RETRAIN_THREADS: Final = 1
#: Hyper-parameter -> (lowest, highest) accepted value.
PARAM_BOUNDS: Final[dict[str, tuple[float, float]]] = {
    "n_trees": (10, 600),
    "max_depth": (2, 8),
    "learning_rate": (0.02, 0.5),
}
#: Where the held-out stars come from (key -> description for the user).
HELD_OUT_SCOPES: Final[dict[str, str]] = {
    "all": "all held-out stars of the star set",
    "subset": "held-out stars inside the subset",
}
SUBSET_KINDS: Final = ("all", "selection", "filters", "upload", "simulated")


class SubsetError(SedvizError, ValueError):
    """A subset is too small to train or to evaluate (the message says why)."""


class SettingsError(SedvizError, ValueError):
    """A hyper-parameter is outside its safe bounds (the message names it)."""


# --- hyper-parameters ------------------------------------------------------------------
@dataclass(frozen=True)
class RetrainParams:
    """The hyper-parameters a student may change (see :data:`PARAM_BOUNDS`)."""

    n_trees: int = 200
    max_depth: int = 6
    learning_rate: float = 0.3
    early_stopping: bool = True

    def as_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict."""
        return asdict(self)

    def xgb_params(self) -> dict[str, Any]:
        """Return the :class:`~sedviz.classifier.model.StarClassifier` parameters for these settings."""
        return {
            "n_estimators": self.n_trees,
            "max_depth": self.max_depth,
            "learning_rate": self.learning_rate,
            "early_stopping_rounds": EARLY_STOPPING_ROUNDS if self.early_stopping else None,
            "max_bin": RETRAIN_MAX_BIN,
            "n_jobs": RETRAIN_THREADS,
        }


def check_params(
    n_trees: object, max_depth: object, learning_rate: object, early_stopping: object = True
) -> RetrainParams:
    """Return :class:`RetrainParams` if every value is within bounds, else raise :class:`SettingsError`.

    Examples
    --------
    >>> check_params(100, 4, 0.1).n_trees
    100
    >>> check_params(5000, 4, 0.1)
    Traceback (most recent call last):
    ...
    sedviz.retrain.subset.SettingsError: trees must be between 10 and 600, got 5000
    """
    values = {"n_trees": n_trees, "max_depth": max_depth, "learning_rate": learning_rate}
    names = {"n_trees": "trees", "max_depth": "depth", "learning_rate": "learning rate"}
    checked: dict[str, float] = {}
    for key, value in values.items():
        low, high = PARAM_BOUNDS[key]
        number = _number(value, names[key])
        if key != "learning_rate" and number != int(number):
            raise SettingsError(f"{names[key]} must be a whole number, got {value}")
        if not low <= number <= high:
            raise SettingsError(f"{names[key]} must be between {low:g} and {high:g}, got {value}")
        checked[key] = number
    return RetrainParams(
        n_trees=int(checked["n_trees"]),
        max_depth=int(checked["max_depth"]),
        learning_rate=float(checked["learning_rate"]),
        early_stopping=bool(early_stopping),
    )


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise SettingsError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(float(value)):
        raise SettingsError(f"{name} must be a finite number, got {value}")
    return float(value)


# --- subsets ------------------------------------------------------------------------------
def compute_id_hash(ids: np.ndarray | list[int] | tuple[int, ...]) -> str:
    """Return a 16-hex-digit SHA-256 of the sorted unique ids (order and repeats do not matter)."""
    unique = np.unique(np.asarray(ids, dtype=np.int64))
    return hashlib.sha256(unique.astype("<i8").tobytes()).hexdigest()[:16]


@dataclass(frozen=True, eq=False)
class Subset:
    """Stars to train on: sorted unique ``source_id`` values, how they were chosen, a hash."""

    kind: str
    description: str
    source_ids: np.ndarray = field(repr=False)

    @property
    def n_stars(self) -> int:
        """Number of stars in the subset."""
        return len(self.source_ids)

    @property
    def id_hash(self) -> str:
        """:func:`compute_id_hash` of the ids (recorded in the model card)."""
        return compute_id_hash(self.source_ids)

    def mask(self, table: pd.DataFrame) -> np.ndarray:
        """Return True for the rows of *table* in the subset."""
        return table[C.SOURCE_ID].isin(self.source_ids).to_numpy(dtype=bool)

    def to_card(self) -> dict[str, Any]:
        """Return the subset's JSON record: kind, description, star count, id hash."""
        return {
            "kind": self.kind,
            "description": self.description,
            "n_stars": self.n_stars,
            "id_hash": self.id_hash,
            "id_hash_rule": "sha256 of sorted unique source_id as little-endian int64, 16 hex",
        }


def build_subset(table: pd.DataFrame, mask: np.ndarray, kind: str, description: str) -> Subset:
    """Return the :class:`Subset` of the rows of *table* where *mask* is True."""
    if kind not in SUBSET_KINDS:
        raise ValueError(f"unknown subset kind {kind!r}; choose one of {', '.join(SUBSET_KINDS)}")
    ids = np.unique(table.loc[np.asarray(mask, dtype=bool), C.SOURCE_ID].to_numpy(dtype=np.int64))
    return Subset(kind=kind, description=description, source_ids=ids)


def build_whole_subset(table: pd.DataFrame, star_set: str) -> Subset:
    """Return every star of *table* (*star_set* describes the table, e.g. "the embedded catalogue")."""
    mask = np.ones(len(table), dtype=bool)
    return build_subset(table, mask, "all", f"all {len(table):,} stars of {star_set}")


def build_selection_subset(
    table: pd.DataFrame, ids: list[int] | tuple[int, ...], label: str, star_set: str
) -> Subset:
    """Return the stars of *table* whose ``source_id`` is in *ids* (an HR-diagram selection)."""
    mask = table[C.SOURCE_ID].isin(np.asarray(ids, dtype=np.int64)).to_numpy()
    text = f"{label or 'selection'}: {int(mask.sum()):,} stars of {star_set}"
    return build_subset(table, mask, "selection", text)


@dataclass(frozen=True)
class SubsetFilters:
    """Filters on the star set; None or empty means "no limit".

    ``g_bright_mag``/``g_faint_mag`` bound the apparent G magnitude (mag),
    ``parallax_snr_min`` is the lowest parallax / error, ``classes`` the
    catalogued classes of ``target`` kept.
    """

    target: str = C.SP_CLASS
    g_bright_mag: float | None = None
    g_faint_mag: float | None = None
    parallax_snr_min: float | None = None
    classes: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return the filters in words, e.g. ``"G 4-9 mag, parallax S/N >= 10, classes K, M"``."""
        parts = []
        if self.g_bright_mag is not None or self.g_faint_mag is not None:
            lo = "" if self.g_bright_mag is None else f"{self.g_bright_mag:g} <= "
            hi = "" if self.g_faint_mag is None else f" <= {self.g_faint_mag:g}"
            parts.append(f"{lo}G{hi} mag")
        if self.parallax_snr_min is not None:
            parts.append(f"parallax S/N >= {self.parallax_snr_min:g}")
        if self.classes:
            parts.append(f"catalogued {self.target} in {', '.join(self.classes)}")
        return ", ".join(parts) or "no filter"


def compute_filter_mask(table: pd.DataFrame, filters: SubsetFilters) -> np.ndarray:
    """Return True for the stars of *table* that pass *filters* (NaN fails a set limit)."""
    mask = np.ones(len(table), dtype=bool)
    g = pd.to_numeric(table[C.G_MAG], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if filters.g_bright_mag is not None:
        mask &= g >= filters.g_bright_mag
    if filters.g_faint_mag is not None:
        mask &= g <= filters.g_faint_mag
    if filters.parallax_snr_min is not None:
        snr = compute_features(table)[PARALLAX_SNR].to_numpy(dtype=np.float64, na_value=np.nan)
        mask &= snr >= filters.parallax_snr_min
    if filters.classes:
        labels = compute_target_labels(table, filters.target)
        mask &= labels.isin(filters.classes).to_numpy()
    return mask


def build_filter_subset(table: pd.DataFrame, filters: SubsetFilters, star_set: str) -> Subset:
    """Return the stars of *table* passing *filters*, described in words."""
    mask = compute_filter_mask(table, filters)
    text = f"filters ({filters.describe()}): {int(mask.sum()):,} stars of {star_set}"
    return build_subset(table, mask, "filters", text)


def load_uploaded_ids(data: bytes, file_name: str = "upload") -> pd.DataFrame:
    """Read an uploaded id list (any table format); return its ``hip`` or ``source_id`` column.

    The one id-list reader (:func:`sedviz.tableio.read_source_list`), for bytes.
    """
    try:
        return id_frame(read_source_list(data, file_name), file_name)
    except SedvizError as exc:
        raise SubsetError(f"{file_name}: {exc}") from None


def build_upload_subset(
    table: pd.DataFrame, ids: pd.DataFrame, file_name: str, star_set: str
) -> Subset:
    """Return the stars of *table* listed in *ids* (from :func:`load_uploaded_ids`)."""
    name = str(ids.columns[0])
    if name not in table.columns:
        raise SubsetError(f"the star set has no '{name}' column to match {file_name}")
    mask = table[name].isin(ids[name]).to_numpy(dtype=bool)
    text = (
        f"uploaded list {file_name} ({len(ids):,} {name} values, "
        f"{int(mask.sum()):,} found in {star_set})"
    )
    return build_subset(table, mask, "upload", text)


# --- counts and checks ------------------------------------------------------------------
def subset_counts_frame(
    table: pd.DataFrame, target: str, mask: np.ndarray, seed: int = 0
) -> pd.DataFrame:
    """Return catalogued stars of the subset per class of *target*, by split part.

    Index: the classes of *target* in physical order; columns ``training``,
    ``validation`` (early stopping) and ``held out`` (never trained on), counts
    of subset stars. The split is that of the whole *table*.
    """
    split = compute_split(table, target, seed).to_numpy()
    labels = compute_target_labels(table, target).to_numpy()
    inside = np.asarray(mask, dtype=bool)
    columns = {"training": TRAIN, "validation": VALIDATION, "held out": TEST}
    data = {
        column: [
            int(np.sum(inside & (split == part) & (labels == c))) for c in TARGET_CLASSES[target]
        ]
        for column, part in columns.items()
    }
    frame = pd.DataFrame(data, index=pd.Index(TARGET_CLASSES[target], name="class"))
    return frame


def check_subset(
    counts: pd.DataFrame, target: str, *, early_stopping: bool = True, n_stars: int | None = None
) -> tuple[str, ...]:
    """Return the classes too small to learn (left out), or raise :class:`SubsetError`.

    *counts* comes from :func:`subset_counts_frame`. Refused: an empty subset
    (*n_stars* == 0), no catalogued star, fewer than :data:`MIN_CLASSES` classes
    with :data:`MIN_TRAIN_PER_CLASS` training stars each, or too few validation
    stars (:data:`MIN_VALIDATION_STARS` with early stopping, 2 without).
    """
    if n_stars == 0:
        raise SubsetError(
            "the subset is empty: select stars on the HR diagram, loosen the filters "
            "or upload ids that are in the star set"
        )
    if int(counts.to_numpy().sum()) == 0:
        raise SubsetError(f"no star of the subset has a catalogued {target}: nothing to learn from")
    train = counts["training"]
    kept = train[train >= MIN_TRAIN_PER_CLASS]
    left_out = tuple(str(c) for c, n in train.items() if 0 < n < MIN_TRAIN_PER_CLASS)
    if len(kept) < MIN_CLASSES:
        present = ", ".join(f"{c}: {n}" for c, n in train.items() if n > 0) or "none"
        raise SubsetError(
            f"too few stars to train {target}: at least {MIN_CLASSES} classes need "
            f"{MIN_TRAIN_PER_CLASS} or more training stars each; this subset has "
            f"{present} (training stars per class); widen the selection"
        )
    n_val = int(counts.loc[kept.index, "validation"].sum())
    need = MIN_VALIDATION_STARS if early_stopping else 2
    if n_val < need:
        hint = "widen the selection or switch early stopping off" if early_stopping else ""
        raise SubsetError(
            f"too few validation stars: {n_val} (minimum {need}){'; ' + hint if hint else ''}"
        )
    return left_out


def check_held_out(n_held_out: int, scope: str) -> None:
    """Raise :class:`SubsetError` if fewer than :data:`MIN_HELD_OUT_STARS` stars can be compared."""
    if n_held_out < MIN_HELD_OUT_STARS:
        hint = " (compare on all held-out stars instead)" if scope == "subset" else ""
        raise SubsetError(
            f"too few held-out stars to compare the models: {n_held_out} "
            f"(minimum {MIN_HELD_OUT_STARS}){hint}"
        )


def build_model_name(target: str, subset: Subset, now: datetime | None = None) -> str:
    """Return a suggested model name, e.g. ``sp_class-selection-20261121-221503`` (valid, unique per second)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"{target}-{subset.kind}-{stamp}"
