"""Model cards as readable tables."""

from __future__ import annotations

from sedviz.classifier.cards import model_card_frame, per_class_frame


def test_card_tables() -> None:
    card = {
        "name": "default-sp_class",
        "target": "sp_class",
        "classes": ["A", "B"],
        "class_counts_train": {"A": 10, "B": 5},
        "metrics": {
            "n": 7,
            "accuracy": 0.5,
            "per_class": {"A": {"recall": 1.0}, "B": {"recall": 0.0}},
        },
        "versions": {"xgboost": "3.0"},
    }
    frame = model_card_frame(card)
    values = dict(zip(frame["field"], frame["value"], strict=True))
    assert values["training stars"] == "15"
    assert values["accuracy (held-out stars)"] == "0.500"
    assert values["macro F1"] == "—"
    assert per_class_frame(card)["class"].tolist() == ["A", "B"]
    assert per_class_frame({}).empty
