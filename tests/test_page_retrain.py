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

from sedviz.classifier.access import Editor
from sedviz.classifier.registry import (
    get_active_model_name,
    list_model_names,
    load_card,
    load_model,
    save_model,
)
from sedviz.retrain.subset import MIN_TRAIN_PER_CLASS, compute_id_hash
from sedviz.ui import cache
from tests.retrain_helpers import build_tiny_registry, sample_ids

pytestmark = pytest.mark.slow  # trains models under AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/retrain.py"
COMPARISON = "New model vs the active model"
OWNER = "sedviz.models.owner"


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


def models_table(at: AppTest) -> pd.DataFrame:
    """The saved-models table of the page, indexed by model name."""
    frames = [d.value for d in at.dataframe if "in use here" in getattr(d.value, "columns", [])]
    assert len(frames) == 1, "no saved-models table"
    return frames[0].set_index("model")


def test_models_of_other_sessions_and_teacher_mode(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A classmate's model can be used, not deleted; the teacher deletes it and sets the default."""
    classmate = load_model("default-sp_class", root=registry)
    classmate.training_ = {"target": "sp_class"}
    save_model(classmate, "classmates", root=registry, editor=Editor("another-session"))
    monkeypatch.setenv("SEDVIZ_TEACHER_PASSWORD", "orion")
    at = open_page()
    table = models_table(at)
    assert not table.loc["classmates", "yours"] and table.loc["default-sp_class", "in use here"]
    assert at.button(key="retrain.delete.classmates").disabled
    assert not [b for b in at.button if b.key == "retrain.default.classmates"]  # not a teacher

    at.button(key="retrain.use.classmates").click().run()
    assert models_table(at).loc["classmates", "in use here"]
    assert "spectral class: classmates" in texts(at.sidebar.caption)

    at.text_input(key="models.password").set_value("betelgeuse")
    at.button(key="models.unlock").click().run()
    assert any("not the teacher password" in w for w in texts(at.warning))
    at.text_input(key="models.password").set_value("orion")
    at.button(key="models.unlock").click().run()
    assert any("Teacher mode on" in s for s in texts(at.success))
    at.button(key="retrain.default.classmates").click().run()
    assert get_active_model_name("sp_class", root=registry) == "classmates"
    assert models_table(at).loc["classmates", "class default"]
    assert at.button(key="retrain.delete.classmates").disabled  # the class default is kept

    other = open_page()  # another student, who never chose: gets the class default
    assert "spectral class: classmates" in texts(other.sidebar.caption)

    at.button(key="models.reset").click().run()
    assert get_active_model_name("sp_class", root=registry) == "default-sp_class"
    assert not at.button(key="retrain.delete.classmates").disabled  # the teacher may
    at.button(key="retrain.delete.classmates").click().run()
    assert "classmates" not in list_model_names(root=registry)
    assert "spectral class: default-sp_class" in texts(at.sidebar.caption)


def test_teacher_mode_says_how_to_enable_it(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SEDVIZ_TEACHER_PASSWORD", raising=False)
    at = open_page()
    assert any("teacher_password" in c for c in texts(at.caption))
    assert not [t for t in at.text_input if t.key == "models.password"]


def train_and_wait(at: AppTest, timeout_s: float = 180.0) -> None:
    at.button(key="retrain.train").click().run()
    deadline = time.monotonic() + timeout_s
    while COMPARISON not in texts(at.subheader):
        assert time.monotonic() < deadline, "no comparison after training"
        assert not at.exception, at.exception
        time.sleep(0.3)
        at.run()


def test_train_on_a_lasso_compare_keep_delete(
    registry: Path, catalog: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    table = models_table(at)  # the "in use here" tick follows "Use it now"
    assert table.loc["my-lasso", "in use here"] and table.loc["my-lasso", "yours"]
    assert not table.loc["default-sp_class", "in use here"]
    assert table.loc["default-sp_class", "class default"]
    assert load_card("my-lasso", root=registry)["owner"] == at.session_state[OWNER]

    at.text_input(key="retrain.name").set_value("my-lasso")
    at.button(key="retrain.keep").click().run()
    assert any("already exists" in e for e in texts(at.error))
    at.checkbox(key="retrain.replace").check()
    at.button(key="retrain.keep").click().run()
    assert any("Saved as `my-lasso`" in s for s in texts(at.success))  # its own: replaced

    monkeypatch.setenv("SEDVIZ_QUOTA_SESSION_MODELS", "1")
    at.text_input(key="retrain.name").set_value("my-second")
    at.checkbox(key="retrain.replace").uncheck()
    at.button(key="retrain.keep").click().run()
    assert any("Not kept: you already keep 1 model, the most one session may keep (1)" in e
               for e in texts(at.error))  # fmt: skip
    assert "my-second" not in list_model_names(root=registry)

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


def test_teacher_password_from_the_secrets(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEDVIZ_TEACHER_PASSWORD", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["teacher_password"] = "vega"
    at.run()
    at.switch_page(PAGE).run()
    at.text_input(key="models.password").set_value("vega")
    at.button(key="models.unlock").click().run()
    assert any("Teacher mode on" in s for s in texts(at.success))
    assert at.button(key="models.reset")  # the teacher's tools are shown
