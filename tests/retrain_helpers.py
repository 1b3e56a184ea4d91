"""Helpers for the retrain tests: a tiny private model registry (never the repo's models/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sedviz import columns as C
from sedviz.classifier.registry import save_model
from sedviz.classifier.targets import TARGETS
from sedviz.classifier.training import train_model

#: Stars and rounds of the tiny "shipped" models: seconds to build, enough to compare.
TINY_STARS = 3000
TINY_ROUNDS = 5


def build_tiny_registry(root: Path, catalog: pd.DataFrame) -> Path:
    """Save 5-round ``default-sp_class`` and ``default-lum_class`` models under *root*."""
    labelled = catalog[catalog[C.SP_CLASS] != ""]
    ids = labelled.sample(TINY_STARS, random_state=1)[[C.SOURCE_ID]]
    for target in TARGETS:
        params = {"n_estimators": TINY_ROUNDS, "n_jobs": 1, "max_bin": 32}
        model = train_model(catalog, target, params, only=ids)
        save_model(model, f"default-{target}", root=root)
    return root


def sample_ids(catalog: pd.DataFrame, n: int, seed: int = 2) -> tuple[int, ...]:
    """Return *n* ``source_id`` values of labelled catalogue stars (a stand-in HR lasso)."""
    labelled = catalog[catalog[C.SP_CLASS] != ""]
    return tuple(int(v) for v in labelled.sample(n, random_state=seed)[C.SOURCE_ID])
