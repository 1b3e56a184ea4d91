"""One scoring path: the shipped models' card figures come out again, exactly.

The cards of ``models/default-*`` were written by the hand-written metrics and
the old (duplicated) scoring code; :func:`sedviz.classifier.scoring.evaluate_stars`
with :mod:`sklearn.metrics` underneath must give the same numbers on the same
held-out stars. The good-parallax subsets may differ by a star or two: the old
code compared a float32 copy of the parallax S/N with 5, the parallax rule
(:mod:`sedviz.catalog.parallax`) compares the float64 value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.parallax import compute_good_parallax
from sedviz.classifier.features import compute_features
from sedviz.classifier.registry import load_card, load_model
from sedviz.classifier.scoring import compute_class_proba, compute_scores, evaluate_stars
from sedviz.classifier.targets import TARGET_CLASSES, compute_target_labels
from sedviz.classifier.training import compute_test_mask

EXACT = ("n", "accuracy", "balanced_accuracy", "macro_f1", "within_one_accuracy", "ece")


@pytest.mark.slow
@pytest.mark.parametrize("target", [C.SP_CLASS, C.LUM_CLASS])
def test_shipped_card_metrics_are_reproduced(catalog: pd.DataFrame, target: str) -> None:
    name = f"default-{target}"
    card_file = load_card(name)
    held_out = catalog.loc[compute_test_mask(catalog, target)]
    labelled = int((compute_target_labels(held_out, target) != "").sum())
    if card_file["metrics"]["n"] != labelled:
        pytest.skip(
            f"{name} was trained on another catalogue ({card_file['metrics']['n']} held-out "
            f"stars, now {labelled}): retrain the default models to compare"
        )
    card = card_file["metrics"]
    got = evaluate_stars(load_model(name), held_out, target)
    for key in EXACT:
        assert got[key] == pytest.approx(card[key], rel=1e-12), key
    assert got["confusion"] == card["confusion"]
    for label, scores in card["per_class"].items():
        assert got["per_class"][label] == pytest.approx(scores, rel=1e-12), label
    subsets = [k for k in card if isinstance(card[k], dict) and "n" in card[k]]
    assert subsets  # good_parallax, and v_iv_iii... for lum_class
    for key in subsets:
        assert abs(got[key]["n"] - card[key]["n"]) <= 2, key
        for metric in EXACT[1:]:
            assert got[key][metric] == pytest.approx(card[key][metric], abs=2e-4), (key, metric)


def test_scores_cover_classes_the_model_never_saw(small_catalog: pd.DataFrame) -> None:
    model = load_model("default-sp_class")
    stars = small_catalog[small_catalog[C.SP_CLASS] != ""]
    features = compute_features(stars)
    proba = compute_class_proba(model, features, C.SP_CLASS)
    assert proba.shape == (len(stars), len(TARGET_CLASSES[C.SP_CLASS]))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    labels = compute_target_labels(stars, C.SP_CLASS).to_numpy(dtype=object)
    scores = compute_scores(labels, proba, C.SP_CLASS, compute_good_parallax(stars))
    assert scores == evaluate_stars(model, stars, C.SP_CLASS)
    assert scores["n"] == len(stars)
    assert 0 < scores["good_parallax"]["n"] < len(stars)
