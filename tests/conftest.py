"""Shared, session-scoped fixtures: small slices of the real embedded catalogue."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sedviz.catalog.tables import load_catalog

DATA = Path(__file__).parent / "data"


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
