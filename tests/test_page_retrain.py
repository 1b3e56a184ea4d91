"""The Retrain page under AppTest, with a tiny private registry (5-round default models).

The subset comes in as the HR-diagram lasso would leave it in the session
state; training runs in the page's worker thread and the test re-runs the
script until the comparison is shown, as the polling fragment does in a browser.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sedviz.classifier.registry import list_model_names, load_card
from sedviz.retrain.subset import MIN_TRAIN_PER_CLASS, compute_id_hash
from sedviz.ui import cache
from tests.retrain_helpers import build_tiny_registry, sample_ids

pytestmark = pytest.mark.slow  # trains models under AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/retrain.py"
COMPARISON = "New model vs the active model"


@pytest.fixture(scope="module")
def models_root(tmp_path_factory: pytest.TempPathFactory, catalog: pd.DataFrame) -> Path:
    return build_tiny_registry(tmp_path_factory.mktemp("models"), catalog)


@pytest.fixture
def registry(models_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at the private registry; drop cached models of other tests."""
    monkeypatch.setenv("SEDVIZ_MODELS_DIR", str(models_root))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield models_root
    st.cache_resource.clear()
    st.cache_data.clear()


def open_page(subset_ids: tuple[int, ...] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if subset_ids is not None:  # what a lasso on the HR diagram leaves behind
        at.session_state["sedviz.subset_ids"] = subset_ids
        at.session_state["sedviz.subset_label"] = "lasso on the HR diagram"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]  # type: ignore[attr-defined]


def train_and_wait(at: AppTest, timeout_s: float = 180.0) -> None:
    at.button(key="retrain.train").click().run()
    deadline = time.monotonic() + timeout_s
    while COMPARISON not in texts(at.subheader):
        assert time.monotonic() < deadline, "no comparison after training"
        assert not at.exception, at.exception
        time.sleep(0.3)
        at.run()


def test_train_on_a_lasso_compare_keep_delete(registry: Path, catalog: pd.DataFrame) -> None:
    ids = sample_ids(catalog, 1500, seed=5)
    at = open_page(ids)
    assert any("lasso on the HR diagram: 1,500 stars" in c for c in texts(at.caption))
    at.number_input(key="retrain.trees").set_value(15).run()
    assert not at.error, texts(at.error)
    train_and_wait(at)
    assert not at.exception, at.exception
    metrics = at.dataframe[1].value
    assert "accuracy" in metrics.index and "change" in metrics.columns
    assert any("disagree on" in c for c in texts(at.caption))

    at.text_input(key="retrain.name").set_value("../evil")
    at.button(key="retrain.keep").click().run()
    assert any("invalid model name" in e for e in texts(at.error))

    at.text_input(key="retrain.name").set_value("my-lasso")
    at.button(key="retrain.keep").click().run()
    assert any("Saved as `my-lasso`" in s for s in texts(at.success))
    card = load_card("my-lasso", root=registry)
    assert card["subset"]["id_hash"] == compute_id_hash(ids)
    assert card["subset"]["description"].startswith("lasso on the HR diagram: 1,500 stars")
    assert card["retrain"]["n_trees"] == 15 and "accuracy" in card["metrics"]
    assert "spectral class: my-lasso" in texts(at.sidebar.caption)  # the session now uses it

    assert at.button(key="retrain.delete.default-sp_class").disabled
    at.button(key="retrain.delete.my-lasso").click().run()
    assert "my-lasso" not in list_model_names(root=registry)
    assert "spectral class: default-sp_class" in texts(at.sidebar.caption)


def test_bad_settings_are_refused_with_a_message(registry: Path, catalog: pd.DataFrame) -> None:
    at = open_page(sample_ids(catalog, 1500, seed=6))
    at.number_input(key="retrain.trees").set_value(5000).run()
    assert any("trees must be between 10 and 600, got 5000" in e for e in texts(at.error))
    assert at.button(key="retrain.train").disabled
    at.number_input(key="retrain.trees").set_value(100)
    at.number_input(key="retrain.rate").set_value(0.9).run()
    assert any("learning rate must be between 0.02 and 0.5" in e for e in texts(at.error))
    assert at.button(key="retrain.train").disabled


def test_too_small_subset_is_refused_with_the_reason(registry: Path, catalog: pd.DataFrame) -> None:
    at = open_page(sample_ids(catalog, 12, seed=7))
    errors = " ".join(texts(at.error))
    assert "Cannot train on this subset: too few stars to train sp_class" in errors
    assert "10 or more training stars" in errors
    assert at.button(key="retrain.train").disabled


def test_filters_subset_and_counts(registry: Path) -> None:
    at = open_page()
    at.radio(key="retrain.source").set_value("filters").run()
    at.multiselect(key="retrain.classes.sp_class").set_value(["G", "K"]).run()
    assert any("catalogued sp_class in G, K" in c for c in texts(at.caption))
    counts = at.dataframe[0].value
    assert list(counts.columns) == ["G", "K"]
    assert not at.button(key="retrain.train").disabled


def test_small_classes_are_left_out_naming_the_minimum(
    registry: Path, catalog: pd.DataFrame
) -> None:
    at = open_page(sample_ids(catalog, 1500, seed=5))
    warnings = [w for w in texts(at.warning) if w.startswith("Left out")]
    assert warnings, texts(at.warning)
    assert f"fewer than {MIN_TRAIN_PER_CLASS} training stars" in warnings[0]


def test_simulated_stars_are_simulated_once_per_setting(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reruns (any widget change) reuse the simulated table; a new setting simulates anew."""
    calls: list[tuple[int, int]] = []
    simulate = cache.simulate_stars

    def counting(n_per_type: int, seed: int) -> pd.DataFrame:
        calls.append((n_per_type, seed))
        return simulate(n_per_type, seed)

    monkeypatch.setattr(cache, "simulate_stars", counting)
    at = open_page()
    at.radio(key="retrain.source").set_value("simulated").run()
    at.number_input(key="retrain.n").set_value(50).run()
    at.number_input(key="retrain.trees").set_value(20).run()
    at.run()
    assert not at.exception, at.exception
    assert calls == [(300, 0), (50, 0)]
    assert any("350 simulated dwarfs (50 per class, seed 0)" in c for c in texts(at.caption))
