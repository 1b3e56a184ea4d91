"""StarClassifier, the split, training on the catalogue, predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn.base import clone

from sedviz import columns as C
from sedviz.catalog.tables import has_gaia_id
from sedviz.classifier.bandsets import compute_dropout_table
from sedviz.classifier.features import FEATURE_NAMES, compute_features
from sedviz.classifier.model import (
    DEFAULT_PARAMS,
    ModelInputError,
    StarClassifier,
    compute_class_weights,
)
from sedviz.classifier.predict import NoUsableBandsError, classify_frame, predict_frame
from sedviz.classifier.targets import (
    PREDICTED_CLASS,
    PREDICTED_PROBABILITY,
    SECOND_CLASS,
    compute_target_labels,
    prob_column,
)
from sedviz.classifier.training import (
    TEST,
    TRAIN,
    VALIDATION,
    compare_models,
    compute_split,
    compute_star_hash,
    train_model,
)
from sedviz.errors import SedvizError
from tests.classifier_helpers import TINY_PARAMS, tiny_model


def test_constructor_only_stores_parameters() -> None:
    clf = StarClassifier(max_depth=3, random_state=7)
    assert clf.get_params()["max_depth"] == 3
    assert clf.get_params()["random_state"] == 7
    assert not hasattr(clf, "booster_")
    assert clf.set_params(max_depth=4) is clf
    with pytest.raises(ValueError, match="Invalid parameter 'depth'"):
        clf.set_params(depth=4)
    copy = clone(clf)  # scikit-learn's own protocol check: same parameters, not fitted
    assert copy.get_params() == clf.get_params() and copy is not clf
    assert set(clf.get_params()) == set(DEFAULT_PARAMS) | {"classes", "random_state", "n_jobs"}


@pytest.mark.slow
def test_fit_returns_self_and_sets_fitted_state(table: pd.DataFrame) -> None:
    features = compute_features(table)
    labels = compute_target_labels(table, C.SP_CLASS)
    clf = StarClassifier(n_estimators=3, classes=C.SP_CLASSES)
    assert clf.fit(features, labels) is clf
    assert clf.classes_ == C.SP_CLASSES
    assert clf.feature_names_ == FEATURE_NAMES
    proba = clf.predict_proba(features)
    assert proba.shape == (len(table), 7)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.slow
def test_same_random_state_gives_the_same_model(table: pd.DataFrame) -> None:
    features = compute_features(table)
    labels = compute_target_labels(table, C.SP_CLASS)
    a = StarClassifier(n_estimators=4, random_state=3).fit(features, labels)
    b = StarClassifier(n_estimators=4, random_state=3).fit(features, labels)
    np.testing.assert_array_equal(a.predict_proba(features), b.predict_proba(features))


@pytest.mark.slow
def test_early_stopping_watches_validation_and_cuts_the_booster(table: pd.DataFrame) -> None:
    features = compute_features(table)
    labels = compute_target_labels(table, C.SP_CLASS)
    clf = StarClassifier(n_estimators=300, learning_rate=0.5, early_stopping_rounds=3)
    clf.fit(features.iloc[::2], labels.iloc[::2], eval_set=(features.iloc[1::2], labels.iloc[1::2]))
    assert "validation" in clf.evals_result_
    assert clf.booster_.num_boosted_rounds() == clf.best_iteration_ + 1 < 300


@pytest.mark.slow
def test_callbacks_see_every_round_and_can_stop(table: pd.DataFrame) -> None:
    class StopAfter(xgb.callback.TrainingCallback):
        def __init__(self) -> None:
            self.rounds = 0

        def after_iteration(self, model: xgb.Booster, epoch: int, evals_log: dict) -> bool:
            self.rounds += 1
            return self.rounds >= 4  # True stops training (a cancel button)

    callback = StopAfter()
    trained = train_model(table, C.SP_CLASS, params={"n_estimators": 50}, callback=callback)
    assert callback.rounds == 4
    assert trained.booster_.num_boosted_rounds() <= 4


def test_missing_feature_column_is_a_clear_error(
    model: StarClassifier, table: pd.DataFrame
) -> None:
    with pytest.raises(ModelInputError, match="bp_rp"):
        model.predict_proba(compute_features(table).drop(columns=["bp_rp"]))


@pytest.mark.parametrize("scheme", ["balanced", "sqrt", None])
def test_class_weights_have_mean_one(scheme: str | None) -> None:
    codes = np.array([0] * 90 + [1] * 10)
    weights = compute_class_weights(codes, scheme)
    assert weights.mean() == pytest.approx(1.0)
    if scheme == "balanced":
        assert weights[codes == 0].sum() == pytest.approx(weights[codes == 1].sum())


def test_class_weights_are_the_previous_figures() -> None:
    """Same weights as the hand-written 1/count and 1/sqrt(count) they replaced."""
    codes = np.array([0] * 90 + [1] * 10 + [3] * 4)  # class 2 absent
    counts = np.maximum(np.bincount(codes), 1).astype(float)  # as the old code guarded 0
    for scheme, per_class in (("balanced", 1 / counts), ("sqrt", 1 / np.sqrt(counts))):
        before = per_class[codes] / per_class[codes].mean()
        np.testing.assert_allclose(compute_class_weights(codes, scheme), before, rtol=1e-12)


def test_split_is_stratified_disjoint_and_independent_of_row_order(table: pd.DataFrame) -> None:
    split = compute_split(table, C.SP_CLASS, seed=0)
    assert set(split.unique()) <= {TRAIN, VALIDATION, TEST}
    counts = pd.crosstab(table[C.SP_CLASS], split)
    assert ((counts[TEST] - 0.2 * counts.sum(axis=1)).abs() <= 1).all()
    shuffled = table.sample(frac=1.0, random_state=5)
    again = compute_split(shuffled, C.SP_CLASS, seed=0)
    pd.testing.assert_series_equal(again.loc[table.index], split)
    assert not compute_split(table, C.SP_CLASS, seed=1).equals(split)


@pytest.mark.slow
def test_training_record_and_subset(table: pd.DataFrame) -> None:
    only = table[[C.HIP]].iloc[::2]
    trained = train_model(table, C.SP_CLASS, params=TINY_PARAMS, only=only)
    record = trained.training_
    split = compute_split(table, C.SP_CLASS)
    expected = (split.isin([TRAIN]) & table[C.HIP].isin(only[C.HIP])).sum()
    assert record["subset"]["train_stars"] == expected
    assert record["target"] == C.SP_CLASS
    assert record["split"]["seed"] == 0
    assert {"accuracy", "balanced_accuracy", "macro_f1", "per_class"} <= set(record["metrics"])
    assert len(record["data_hash"]) == 16


def test_luminosity_target_uses_grouped_classes() -> None:
    lum = tiny_model(C.LUM_CLASS)
    assert set(lum.classes_) <= set(C.LUM_GROUPS)
    assert "v_iv_iii" in lum.training_["metrics"]


def test_predict_frame_columns_and_top_two(model: StarClassifier, table: pd.DataFrame) -> None:
    out = predict_frame(model, table)
    probs = out[[prob_column(c) for c in model.classes_]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(out[PREDICTED_PROBABILITY], probs.max(axis=1))
    assert (out[PREDICTED_CLASS] != out[SECOND_CLASS]).all()
    assert out.index.equals(table.index)


def test_a_star_with_only_gaia_bands_is_classified(
    model: StarClassifier, table: pd.DataFrame
) -> None:
    with_gaia = table[has_gaia_id(table[C.SOURCE_ID])]
    gaia = with_gaia[[C.SOURCE_ID, C.RA, C.DEC, C.G_MAG, C.BP_MAG, C.RP_MAG]].head(5)
    out = classify_frame(model, gaia, explain=True)
    assert (out[PREDICTED_CLASS] != "").all()
    assert list(out.columns[:6]) == list(gaia.columns)
    assert out["explain_1_feature"].isin(FEATURE_NAMES).all()


def test_no_usable_bands_is_an_error(model: StarClassifier, table: pd.DataFrame) -> None:
    with pytest.raises(NoUsableBandsError, match="no usable bands"):
        predict_frame(model, table[[C.SOURCE_ID, C.RA, C.DEC, C.G_MAG]])


def test_compare_models_on_the_same_stars(model: StarClassifier, table: pd.DataFrame) -> None:
    frame = compare_models({"a": model, "b": model}, table, C.SP_CLASS)
    assert list(frame.index) == ["a", "b"]
    assert frame.loc["a", "n"] == frame.loc["b", "n"] > 0
    assert frame.loc["a", "accuracy"] == frame.loc["b", "accuracy"]


def test_too_few_stars_is_a_clear_error(table: pd.DataFrame) -> None:
    with pytest.raises(SedvizError, match="too few"):
        train_model(table.head(8), C.SP_CLASS)


def test_negative_source_ids_hash_and_split(table: pd.DataFrame) -> None:
    ids = np.array([-1, -2, -118218, 5, 2**62], dtype=np.int64)
    u = compute_star_hash(ids, 0)
    assert ((u >= 0) & (u < 1)).all() and len(set(u.tolist())) == len(ids)
    negative = table.assign(source_id=-table[C.HIP])
    split = compute_split(negative, C.SP_CLASS)
    assert set(split) == {"train", "validation", "test"}
    assert split.value_counts()["test"] == compute_split(table, C.SP_CLASS).value_counts()["test"]


def test_dropout_copies_remove_whole_groups_and_do_not_depend_on_row_order(
    table: pd.DataFrame,
) -> None:
    copies = compute_dropout_table(table, seed=3, copies=2)
    assert len(copies) == 2 * len(table)
    bp, rp = copies[C.BP_MAG].isna(), copies[C.RP_MAG].isna()
    assert (bp == rp).all() and 0.2 < bp.mean() < 0.8
    assert (copies[C.V_MAG].isna() == copies[C.B_V].isna()).all()
    shuffled = compute_dropout_table(table.sample(frac=1.0, random_state=1), seed=3, copies=2)
    key = [C.SOURCE_ID, C.BP_MAG, C.V_MAG, C.BT_MAG, C.HP_MAG, C.PARALLAX]
    first = copies.iloc[: len(table)][key].sort_values(C.SOURCE_ID).reset_index(drop=True)
    again = shuffled.iloc[: len(table)][key].sort_values(C.SOURCE_ID).reset_index(drop=True)
    pd.testing.assert_frame_equal(first, again)


def test_the_model_learns_from_stars_without_bp_rp(table: pd.DataFrame) -> None:
    trained = train_model(table, C.SP_CLASS, params=TINY_PARAMS)
    record = trained.training_["band_dropout"]
    assert record["copies_per_star"] == 1 and record["stars_added"] > 0.5 * len(table)
    assert set(record["groups"]) >= {"gaia", "gaia_bp_rp", "tycho", "johnson", "hp", "parallax"}
    seen = trained.training_["domain"]["band_sets_seen"]
    assert sum(n for name, n in seen.items() if "BP/RP" not in name) > 50
