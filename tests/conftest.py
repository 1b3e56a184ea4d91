"""Shared, session-scoped fixtures: slices of the real embedded catalogue, a tiny model.

Test modules may override a fixture by defining one of the same name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog, load_star_table
from sedviz.classifier.features import compute_features
from sedviz.classifier.model import StarClassifier
from tests.classifier_helpers import tiny_model, tiny_table

DATA = Path(__file__).parent / "data"
#: 14 real stars (HIP numbers in the tests) with Gaia, Hipparcos and Tycho photometry.
REAL_STARS = DATA / "sed" / "real_stars.csv"
# AppTest runs app.py in this process: no background warming of the shared caches,
# which tests clear between runs (the browser tests' servers keep it on).
os.environ.setdefault("SEDVIZ_WARM_CACHES", "0")


@pytest.fixture(scope="session", autouse=True)
def private_models_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Models kept without an explicit folder go to a temporary runtime folder, never $HOME's."""
    folder = tmp_path_factory.mktemp("models-runtime")
    with pytest.MonkeyPatch.context() as mp:
        if not os.environ.get("SEDVIZ_MODELS_DIR"):
            mp.setenv("SEDVIZ_MODELS_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def catalog() -> pd.DataFrame:
    """The whole embedded catalogue (read once per test session)."""
    return load_catalog()


@pytest.fixture(scope="session")
def small_catalog(catalog: pd.DataFrame) -> pd.DataFrame:
    """About 600 real stars with a class letter, every class present, seeded sample."""
    labelled = catalog[catalog["sp_class"] != ""]
    parts = [
        group.sample(n=min(len(group), 90), random_state=1)
        for _, group in labelled.groupby("sp_class", sort=True)
    ]
    return pd.concat(parts).sort_values("hip").reset_index(drop=True)


@pytest.fixture(scope="session")
def stars() -> pd.DataFrame:
    """The 14 real stars of ``tests/data/sed/real_stars.csv``."""
    return load_star_table(REAL_STARS)


@pytest.fixture(scope="session")
def table() -> pd.DataFrame:
    """A tiny labelled star table (:func:`tests.classifier_helpers.tiny_table`)."""
    return tiny_table()


@pytest.fixture(scope="session")
def features(table: pd.DataFrame) -> pd.DataFrame:
    """Classifier features of :func:`table`."""
    return compute_features(table)


@pytest.fixture(scope="session")
def model() -> StarClassifier:
    """A 5-tree spectral-class model trained on :func:`table` (read-only: never refit it)."""
    return tiny_model(C.SP_CLASS)
