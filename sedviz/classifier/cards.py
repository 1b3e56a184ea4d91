"""Model cards as small readable tables (pure): what a model predicts, how well, from what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

_METRICS = (
    ("accuracy", "accuracy (held-out stars)"),
    ("balanced_accuracy", "balanced accuracy (every class counts the same)"),
    ("macro_f1", "macro F1"),
    ("within_one_accuracy", "right or one class off"),
    ("ece", "calibration error (lower is better)"),
)


def _number(value: Any, pattern: str = "{:.3f}") -> str:
    try:
        return pattern.format(float(value))
    except (TypeError, ValueError):
        return "—"


def model_card_frame(card: Mapping[str, Any]) -> pd.DataFrame:
    """Return ``field``/``value`` rows (text) summarising a model card from the registry."""
    metrics = card.get("metrics") or {}
    counts = card.get("class_counts_train") or {}
    versions = card.get("versions") or {}
    rows = [
        ("name", str(card.get("name", "—"))),
        ("predicts", str(card.get("target", "—"))),
        ("classes", " ".join(map(str, card.get("classes", [])))),
        ("created (UTC)", str(card.get("created_utc", "—"))),
        ("trees", str(card.get("n_trees", "—"))),
        ("training stars", f"{sum(int(v) for v in counts.values()):,}" if counts else "—"),
        ("test stars", _number(metrics.get("n"), "{:,.0f}")),
    ]
    rows += [(label, _number(metrics.get(key))) for key, label in _METRICS]
    rows.append(("made with", ", ".join(f"{k} {v}" for k, v in versions.items())))
    return pd.DataFrame(rows, columns=["field", "value"])


def per_class_frame(card: Mapping[str, Any]) -> pd.DataFrame:
    """Return per-class test metrics of a card (one row per class), empty when absent."""
    per_class = (card.get("metrics") or {}).get("per_class") or {}
    if isinstance(per_class, Mapping):
        frame = pd.DataFrame.from_dict(dict(per_class), orient="index")
    else:
        frame = pd.DataFrame(list(per_class))
    return frame.reset_index(names="class") if isinstance(per_class, Mapping) else frame
