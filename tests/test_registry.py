"""The model registry: round trip, names, atomic saves, corrupt files, active model."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.registry import (
    CARD_FILE,
    LOCK_FILE,
    MODEL_FILE,
    ModelError,
    delete_model,
    get_active_model_name,
    list_model_names,
    list_models_frame,
    load_card,
    load_model,
    save_model,
    set_active_model,
    validate_model_name,
)


def test_round_trip_gives_identical_predictions(
    model: StarClassifier, features: pd.DataFrame, tmp_path: Path
) -> None:
    folder = save_model(model, "m1", root=tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [CARD_FILE, MODEL_FILE]
    loaded = load_model("m1", root=tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(features), model.predict_proba(features))
    card = loaded.card_
    assert card["target"] == C.SP_CLASS
    assert card["classes"] == list(model.classes_)
    assert card["features"] == list(model.feature_names_)
    for key in ("split", "subset", "data_hash", "metrics", "params", "versions", "created_utc"):
        assert key in card
    assert card["versions"]["xgboost"]


def test_nothing_is_pickled(model: StarClassifier, tmp_path: Path) -> None:
    folder = save_model(model, "m1", root=tmp_path)
    json.loads((folder / CARD_FILE).read_text())
    assert (folder / MODEL_FILE).read_bytes()[:1] == b"{"  # UBJSON object, not a pickle


@pytest.mark.parametrize(
    "name", ["", "..", "../evil", "a/b", "a\\b", ".hidden", "x" * 65, "sp ace", "a..b", None]
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(ModelError, match="invalid model name"):
        validate_model_name(name)


def test_existing_name_is_refused_unless_overwrite(model: StarClassifier, tmp_path: Path) -> None:
    save_model(model, "m1", root=tmp_path)
    with pytest.raises(ModelError, match="already exists"):
        save_model(model, "m1", root=tmp_path)
    save_model(model, "m1", root=tmp_path, overwrite=True)
    assert list_model_names(root=tmp_path) == ["m1"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != LOCK_FILE]


def test_concurrent_saves_leave_one_complete_model(
    model: StarClassifier, features: pd.DataFrame, tmp_path: Path
) -> None:
    errors: list[Exception] = []

    def save() -> None:
        try:
            save_model(model, "race", root=tmp_path, overwrite=True)
        except ModelError as exc:  # losing the rename race is allowed, a broken model is not
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) < 6
    loaded = load_model("race", root=tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(features), model.predict_proba(features))


def test_corrupt_booster_file_is_refused(model: StarClassifier, tmp_path: Path) -> None:
    folder = save_model(model, "m1", root=tmp_path)
    data = bytearray((folder / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="corrupt"):
        load_model("m1", root=tmp_path)


def test_corrupt_card_is_refused(model: StarClassifier, tmp_path: Path) -> None:
    folder = save_model(model, "m1", root=tmp_path)
    (folder / CARD_FILE).write_text("{not json")
    with pytest.raises(ModelError, match=r"card\.json is missing or corrupt"):
        load_model("m1", root=tmp_path)


def test_feature_and_version_mismatches_are_refused(model: StarClassifier, tmp_path: Path) -> None:
    folder = save_model(model, "m1", root=tmp_path)
    card = json.loads((folder / CARD_FILE).read_text())
    (folder / CARD_FILE).write_text(json.dumps(card | {"features": card["features"][::-1]}))
    with pytest.raises(ModelError, match="other features"):
        load_model("m1", root=tmp_path)
    newer = card | {"versions": card["versions"] | {"xgboost": "99.0.0"}}
    (folder / CARD_FILE).write_text(json.dumps(newer))
    with pytest.raises(ModelError, match="needs XGBoost 99"):
        load_model("m1", root=tmp_path)
    (folder / CARD_FILE).write_text(json.dumps(card | {"card_format": 99}))
    with pytest.raises(ModelError, match="card format"):
        load_card("m1", root=tmp_path)


def test_unknown_model_names_the_available_ones(model: StarClassifier, tmp_path: Path) -> None:
    save_model(model, "m1", root=tmp_path)
    with pytest.raises(ModelError, match=r"unknown model 'nope' \(available: m1\)"):
        load_model("nope", root=tmp_path)


def test_active_model_per_target(model: StarClassifier, tmp_path: Path) -> None:
    assert get_active_model_name(C.SP_CLASS, root=tmp_path) == "default-sp_class"
    save_model(model, "m1", root=tmp_path, activate=True)
    assert get_active_model_name(C.SP_CLASS, root=tmp_path) == "m1"
    assert get_active_model_name(C.LUM_CLASS, root=tmp_path) == "default-lum_class"
    assert load_model(target=C.SP_CLASS, root=tmp_path).card_["name"] == "m1"
    with pytest.raises(ModelError, match="predicts sp_class"):
        set_active_model(C.LUM_CLASS, "m1", root=tmp_path)
    frame = list_models_frame(root=tmp_path)
    assert frame.set_index("name").loc["m1", "active"]


def test_delete_refuses_the_active_model(model: StarClassifier, tmp_path: Path) -> None:
    save_model(model, "m1", root=tmp_path, activate=True)
    save_model(model, "m2", root=tmp_path)
    with pytest.raises(ModelError, match="is the class default"):
        delete_model("m1", root=tmp_path)
    delete_model("m2", root=tmp_path)
    assert list_model_names(root=tmp_path) == ["m1"]


def test_a_loaded_model_can_be_saved_again(model: StarClassifier, tmp_path: Path) -> None:
    save_model(model, "m1", root=tmp_path)
    loaded = load_model("m1", root=tmp_path)
    save_model(loaded, "copy", root=tmp_path)
    card = load_card("copy", root=tmp_path)
    assert card["target"] == C.SP_CLASS
    assert card["metrics"] == load_card("m1", root=tmp_path)["metrics"]
