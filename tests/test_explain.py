"""SHAP: exactness against shap, additivity, per-star and global views, the catalogue store."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.explain import (
    CATALOG_SHAP_FILE,
    MISSING_BANDS,
    SHAP_BASE,
    SHAP_CLASS,
    beeswarm_frame,
    build_catalog_shap_bytes,
    compute_contributions,
    compute_reason_order,
    explain_in_words,
    explain_star,
    global_importance_frame,
    load_catalog_shap_frame,
    shap_frame,
    to_shap_explanation,
    top_contributions_frame,
)
from sedviz.classifier.features import FEATURE_LABELS, FEATURE_NAMES, compute_features
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import load_catalog_prediction_frame, predict_frame
from sedviz.classifier.targets import PREDICTED_CLASS


def test_contributions_plus_base_equal_the_margin(
    model: StarClassifier, features: pd.DataFrame
) -> None:
    contribs = compute_contributions(model, features)
    assert contribs.shape == (len(features), len(model.classes_), len(FEATURE_NAMES) + 1)
    np.testing.assert_allclose(contribs.sum(axis=2), model.predict_margin(features), atol=1e-4)


@pytest.mark.slow
def test_contributions_equal_shap_tree_explainer(
    model: StarClassifier, features: pd.DataFrame
) -> None:
    shap = pytest.importorskip("shap")
    sample = features.iloc[:40]
    ours = compute_contributions(model, sample)
    explainer = shap.TreeExplainer(model.booster_)
    theirs = np.asarray(explainer.shap_values(sample.to_numpy(dtype=np.float32)))
    np.testing.assert_allclose(np.transpose(theirs, (0, 2, 1)), ours[:, :, :-1], atol=1e-5)
    np.testing.assert_allclose(np.asarray(explainer.expected_value), ours[0, :, -1], atol=1e-5)


def test_shap_frame_explains_the_predicted_class_by_default(
    model: StarClassifier, features: pd.DataFrame
) -> None:
    frame = shap_frame(model, features)
    assert (frame[SHAP_CLASS].to_numpy() == model.predict(features)).all()
    margin = model.predict_margin(features).max(axis=1)
    total = frame.loc[:, list(FEATURE_NAMES)].sum(axis=1) + frame[SHAP_BASE]
    np.testing.assert_allclose(total, margin, atol=1e-4)
    chosen = shap_frame(model, features, class_label="M")
    assert (chosen[SHAP_CLASS] == "M").all()
    with pytest.raises(ValueError, match="not one of"):
        shap_frame(model, features, class_label="Z")


def test_explain_star_is_sorted_and_adds_up(model: StarClassifier, features: pd.DataFrame) -> None:
    exp = explain_star(model, features.iloc[[3]])
    measured = exp.frame[exp.frame["feature"] != MISSING_BANDS]
    assert (np.diff(measured["shap"].abs().to_numpy()) <= 0).all()
    assert measured["value"].notna().all()
    assert exp.base_value + exp.frame["shap"].sum() == pytest.approx(exp.margin, abs=1e-4)
    assert exp.class_label == model.predict(features.iloc[[3]])[0]
    assert 0 < exp.probability <= 1
    words = explain_in_words(exp)
    assert exp.frame.loc[0, "label"] in words
    assert exp.class_label in words


def test_top_contributions_for_the_cli(model: StarClassifier, features: pd.DataFrame) -> None:
    frame = shap_frame(model, features.iloc[:10])
    top = top_contributions_frame(frame, features.iloc[:10], n=3)
    assert list(top.columns[:3]) == ["explain_1_feature", "explain_1_value", "explain_1_shap"]
    assert (top["explain_1_shap"].abs() >= top["explain_2_shap"].abs()).all()


def test_global_importance_and_beeswarm(model: StarClassifier, features: pd.DataFrame) -> None:
    frame = shap_frame(model, features)
    importance = global_importance_frame(frame)
    assert importance["mean_abs_shap"].is_monotonic_decreasing
    assert set(importance["feature"]) == set(FEATURE_NAMES)
    assert importance["label"].tolist() == [FEATURE_LABELS[f] for f in importance["feature"]]
    swarm = beeswarm_frame(frame, features, top=4, max_stars=100)
    assert len(swarm) == 4 * 100
    assert swarm["feature"].unique().tolist() == importance["feature"].head(4).tolist()
    assert swarm["value_rank"].dropna().between(0, 1).all()


def test_shap_explanation_holds_xgboost_contributions(
    model: StarClassifier, features: pd.DataFrame
) -> None:
    frame = shap_frame(model, features, class_label="K")
    explanation = to_shap_explanation(frame, features)
    contribs = compute_contributions(model, features)[:, model.classes_.index("K"), :]
    np.testing.assert_array_equal(explanation.values, contribs[:, :-1])
    np.testing.assert_array_equal(explanation.base_values, contribs[:, -1])
    np.testing.assert_array_equal(explanation.data, features.loc[:, list(FEATURE_NAMES)])
    assert list(explanation.feature_names) == list(FEATURE_NAMES)
    importance = global_importance_frame(frame).set_index("feature")["mean_abs_shap"]
    mean_abs = pd.Series(explanation.abs.mean(0).values, index=list(FEATURE_NAMES))
    np.testing.assert_allclose(importance.loc[list(FEATURE_NAMES)], mean_abs, rtol=1e-12)
    np.testing.assert_allclose(mean_abs, np.abs(contribs[:, :-1]).mean(axis=0), rtol=1e-12)


def test_global_views_of_no_star(model: StarClassifier, features: pd.DataFrame) -> None:
    frame = shap_frame(model, features).iloc[:0]
    assert global_importance_frame(frame)["mean_abs_shap"].isna().all()
    assert beeswarm_frame(frame, features).empty


@pytest.mark.slow  # a subprocess or a whole page run: not for the edit-test loop
def test_importing_explain_does_not_import_shap() -> None:
    code = "import sys, sedviz.classifier.explain; print('shap' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
    )
    assert done.stdout.strip() == "False"


def test_catalogue_store_round_trip_and_staleness(
    model: StarClassifier, table: pd.DataFrame, features: pd.DataFrame, tmp_path: Path
) -> None:
    data = build_catalog_shap_bytes(model, table, features, batch=100)
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:  # no pickled objects inside
        assert npz["shap"].dtype == np.int8
        scale = dict(zip(npz["shap_features"], npz["shap_scale"], strict=True))
    (tmp_path / CATALOG_SHAP_FILE).write_bytes(data)
    stored = load_catalog_shap_frame(tmp_path, model, table)
    assert stored is not None
    fresh = shap_frame(model, features)
    assert (stored[SHAP_CLASS].to_numpy() == fresh[SHAP_CLASS].to_numpy()).all()
    for name in FEATURE_NAMES:
        tolerance = scale.get(name, 0.0) / 2 + 1e-6  # int8 quantisation; absent = all zero
        assert np.abs(stored[name].to_numpy() - fresh[name].to_numpy()).max() <= tolerance
    np.testing.assert_allclose(stored[SHAP_BASE], fresh[SHAP_BASE], rtol=1e-6)
    changed = table.assign(phot_g_mean_mag=table[C.G_MAG] + 0.01)
    assert load_catalog_shap_frame(tmp_path, model, changed) is None


def test_catalogue_predictions_from_the_store_match_the_model(
    model: StarClassifier, table: pd.DataFrame, features: pd.DataFrame, tmp_path: Path
) -> None:
    (tmp_path / CATALOG_SHAP_FILE).write_bytes(build_catalog_shap_bytes(model, table, features))
    stored = load_catalog_prediction_frame(tmp_path, model, table)
    assert stored is not None
    fresh = predict_frame(model, table, features)
    assert list(stored.columns) == list(fresh.columns)
    numeric = fresh.select_dtypes("number").columns
    np.testing.assert_allclose(stored[numeric], fresh[numeric], atol=1e-4)
    assert (stored[PREDICTED_CLASS] == fresh[PREDICTED_CLASS]).mean() > 0.99
    assert load_catalog_prediction_frame(tmp_path / "none", model, table) is None


def test_absent_features_are_one_reason_that_is_never_first() -> None:
    shap = np.array([[0.1, -3.0, 0.5, 2.0], [0.2, 0.0, -0.1, 0.0], [0.0, 0.0, 0.0, 0.0]])
    present = np.array([[True, False, True, False], [True, True, True, True], [False] * 4])
    values, order, valid = compute_reason_order(shap, present)
    np.testing.assert_allclose(values[:, -1], [-1.0, 0.0, 0.0])  # -3 + 2 summed
    assert order[0].tolist()[:3] == [2, 4, 0]  # |-1| > 0.5 but the sum is never first
    assert valid[1, -1] == False and order[1, 0] == 0  # noqa: E712  (nothing absent)
    assert order[2, 0] == 4 and valid[2].tolist() == [False] * 4 + [True]


def test_a_star_without_bp_rp_is_never_explained_by_them(
    model: StarClassifier, table: pd.DataFrame
) -> None:
    blank = table.assign(phot_bp_mean_mag=np.nan, phot_rp_mean_mag=np.nan, b_v=np.nan)
    feats = compute_features(blank)
    top = top_contributions_frame(shap_frame(model, feats), feats, n=3)
    assert (top["explain_1_feature"] != MISSING_BANDS).all()
    assert top["explain_1_value"].notna().all()
    for rank in (1, 2, 3):
        named = top[f"explain_{rank}_feature"]
        assert not named.isin(["bp_rp", "bp_g", "g_rp", "b_v"]).any()
    exp = explain_star(model, feats.iloc[[0]])
    assert exp.frame.loc[0, "feature"] != MISSING_BANDS
    assert (exp.frame["feature"] == MISSING_BANDS).sum() == 1
    assert exp.base_value + exp.frame["shap"].sum() == pytest.approx(exp.margin, abs=1e-4)
    words = explain_in_words(exp)
    assert "missing" not in words and "nan" not in words.lower()
    assert words.startswith(str(exp.frame.loc[0, "label"]))
