"""Domain flags: the training stars' ranges in the card, a plain-words note per star outside."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.domain import (
    DOMAIN_NOTE,
    IN_DOMAIN,
    UNCERTAIN_LABEL,
    compute_domain_frame,
    presented_probability,
    presented_probability_text,
)
from sedviz.classifier.features import compute_features
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import classify_frame, predict_frame, prediction_columns
from sedviz.classifier.registry import load_card, save_model
from tests.classifier_helpers import tiny_model, tiny_table


@pytest.fixture(scope="session")
def model() -> StarClassifier:
    return tiny_model(C.SP_CLASS)


def _domain(model: StarClassifier, table: pd.DataFrame) -> pd.DataFrame:
    return compute_domain_frame(model, table, compute_features(table))


def _star(**values: float) -> pd.DataFrame:
    """A G2V-like star at 20 pc, high latitude, every band: in the domain of any model."""
    base = {
        C.SOURCE_ID: 1, C.RA: 180.0, C.DEC: 30.0, C.PARALLAX: 50.0, C.PARALLAX_ERROR: 0.8,
        C.PMRA: 100.0, C.PMDEC: -50.0, C.G_MAG: 6.1, C.BP_MAG: 6.45, C.RP_MAG: 5.6,
        C.HP_MAG: 6.3, C.BT_MAG: 6.95, C.VT_MAG: 6.3, C.V_MAG: 6.25, C.B_V: 0.65, C.V_I: 0.72,
    }  # fmt: skip
    return pd.DataFrame([{**base, **values}])


def test_the_training_ranges_are_recorded_and_saved_in_the_card(
    model: StarClassifier, tmp_path: Path
) -> None:
    domain = model.training_["domain"]
    assert domain["faint_limit_mag"][C.G_MAG] > 5
    assert 0 < domain["parallax_upper_min_mas"] < 10
    lo, hi = domain["feature_ranges"]["bp_rp"]
    assert lo < 0.5 < hi
    assert domain["band_sets_seen"]["G+BP/RP+Tycho+Johnson+Hp+parallax"] > 100
    save_model(model, "domain-card", root=tmp_path)
    assert load_card("domain-card", root=tmp_path)["domain"] == domain
    assert model.training_["band_dropout"]["copies_per_star"] >= 1


def test_a_typical_star_is_in_the_domain(model: StarClassifier) -> None:
    out = _domain(model, _star())
    assert out[IN_DOMAIN].tolist() == [True] and out[DOMAIN_NOTE].tolist() == [""]
    training = tiny_table()
    assert _domain(model, training)[IN_DOMAIN].mean() > 0.8


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({C.G_MAG: 19.0, C.BP_MAG: 19.35, C.RP_MAG: 18.5}, "fainter than the training stars"),
        ({C.PARALLAX: 0.1, C.PARALLAX_ERROR: 0.02}, "farther than the training stars"),
        ({C.B_V: 4.5}, "colours outside the training range (B\u2212V)"),
        ({C.RA: 266.4, C.DEC: -28.9, C.PARALLAX: 0.5, C.PARALLAX_ERROR: 0.1}, "likely reddened"),
    ],
)
def test_each_rule_gives_its_note(
    model: StarClassifier, values: dict[str, float], words: str
) -> None:
    out = _domain(model, _star(**values))
    assert out[IN_DOMAIN].tolist() == [False]
    assert words in out.loc[0, DOMAIN_NOTE]


def test_too_few_bands_and_an_unseen_band_set(model: StarClassifier) -> None:
    only_g = _star()[[C.SOURCE_ID, C.RA, C.DEC, C.G_MAG]]
    assert "too few bands" in _domain(model, only_g).loc[0, DOMAIN_NOTE]
    narrow = copy.copy(model)
    narrow.training_ = copy.deepcopy(model.training_)
    narrow.training_["domain"]["band_sets_seen"] = {"G+BP/RP+parallax": 1000}
    out = _domain(narrow, _star())
    assert out.loc[0, DOMAIN_NOTE] == (
        "a band set the model never saw (G+BP/RP+Tycho+Johnson+Hp+parallax)"
    )
    assert _domain(narrow, _star()[[C.SOURCE_ID, C.RA, C.DEC, C.PARALLAX, C.PARALLAX_ERROR,
                                    C.G_MAG, C.BP_MAG, C.RP_MAG]])[IN_DOMAIN].all()  # fmt: skip


def test_predictions_carry_the_domain_columns(model: StarClassifier) -> None:
    table = pd.concat([_star(), _star(source_id=2, phot_g_mean_mag=19.0)], ignore_index=True)
    out = predict_frame(model, table)
    assert list(out.columns) == prediction_columns(model)
    assert out[IN_DOMAIN].tolist() == [True, False]
    classified = classify_frame(model, table)
    assert classified[IN_DOMAIN].dtype == bool
    assert classified[DOMAIN_NOTE].tolist()[0] == ""


def test_out_of_domain_probabilities_are_not_presented_as_confident() -> None:
    assert presented_probability(0.92, True) == 0.92
    assert np.isnan(presented_probability(0.92, False))
    assert presented_probability_text(0.923, True) == "p = 0.92"
    assert presented_probability_text(0.92, False) == UNCERTAIN_LABEL
