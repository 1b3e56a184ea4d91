"""SHAP explanations of the classifier: exact TreeSHAP from XGBoost's ``pred_contribs``.

XGBoost's own TreeSHAP (``Booster.predict(..., pred_contribs=True)``) gives the
same values as ``shap.TreeExplainer`` (checked in ``tests/test_explain.py``) and
is the fast path that computes every number. Values are in margin units
(log-odds of the softmax input) for one class: the contributions of a star plus
the base value equal the model's raw score for that class. The global views
(:func:`global_importance_frame`, :func:`beeswarm_frame`) read them through a
``shap.Explanation`` (:func:`to_shap_explanation`); shap is imported only
there, so the CLI and page start-up do not pay its import.

Exact TreeSHAP costs a few ms per star, so SHAP for the whole embedded catalogue
is computed once when a model is saved (:func:`build_catalog_shap_bytes`) and
stored beside it in ``catalog_shap.npz`` (int8-quantised, predicted class only,
with the probabilities);
:func:`load_catalog_shap_frame` reads it back in well under a second.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import xgboost as xgb

from sedviz import columns as C
from sedviz.classifier.features import FEATURE_INPUT_COLUMNS, FEATURE_LABELS, compute_usable_mask
from sedviz.classifier.model import StarClassifier, check_is_fitted

if TYPE_CHECKING:
    import shap as shap_lib

#: File beside a model holding SHAP for the embedded catalogue.
CATALOG_SHAP_FILE: Final = "catalog_shap.npz"
#: Extra columns of a SHAP frame (besides one column per feature).
SHAP_CLASS: Final = "shap_class"
SHAP_BASE: Final = "shap_base"
#: The one reason that sums the contributions of every feature whose value is absent.
MISSING_BANDS: Final = "bands_not_measured"
MISSING_BANDS_LABEL: Final = "bands not measured"


@dataclass(frozen=True)
class StarExplanation:
    """SHAP explanation of one star for one class.

    ``frame`` has one row per feature whose value is present, plus one row
    :data:`MISSING_BANDS` ("bands not measured") summing the contributions of
    every absent feature (when any is absent), in the order of
    :func:`compute_reason_order`: by |shap|, largest first, the absent-bands row
    never first. Columns ``feature``, ``label`` (readable), ``value`` (feature
    value; NaN on the absent-bands row) and ``shap`` (margin units).
    ``base_value + frame.shap.sum() == margin`` up to float32 rounding.
    """

    class_label: str
    probability: float
    base_value: float
    margin: float
    frame: pd.DataFrame


def compute_contributions(model: StarClassifier, features: pd.DataFrame) -> np.ndarray:
    """Return exact TreeSHAP values, shape (n_stars, n_classes, n_features + 1).

    The last entry along the feature axis is the base value (bias).
    """
    check_is_fitted(model)
    data = model._matrix(features)
    matrix = xgb.DMatrix(data, missing=np.nan, feature_names=list(model.feature_names_))
    contribs = model.booster_.predict(matrix, pred_contribs=True, strict_shape=True)
    return np.asarray(contribs, dtype=np.float64).reshape(
        len(data), len(model.classes_), len(model.feature_names_) + 1
    )


def _class_index(model: StarClassifier, class_label: str | None, default: np.ndarray) -> np.ndarray:
    if class_label is None:
        return default
    if class_label not in model.classes_:
        raise ValueError(f"class {class_label!r} is not one of {', '.join(model.classes_)}")
    return np.full(len(default), model.classes_.index(class_label))


def shap_frame(
    model: StarClassifier, features: pd.DataFrame, class_label: str | None = None
) -> pd.DataFrame:
    """Return SHAP values for every star: one column per feature, plus class and base.

    Each row explains *class_label* if given, else that star's predicted class.
    Same index as *features*.
    """
    contribs = compute_contributions(model, features)
    predicted = contribs.sum(axis=2).argmax(axis=1)
    idx = _class_index(model, class_label, predicted)
    chosen = contribs[np.arange(len(idx)), idx, :]
    frame = pd.DataFrame(chosen[:, :-1], index=features.index, columns=list(model.feature_names_))
    frame[SHAP_CLASS] = np.asarray(model.classes_, dtype=object)[idx]
    frame[SHAP_BASE] = chosen[:, -1]
    return frame


def explain_star(
    model: StarClassifier, features: pd.DataFrame, class_label: str | None = None
) -> StarExplanation:
    """Explain the first star of *features* (a one-row feature frame) for one class."""
    row = features.iloc[:1]
    contribs = compute_contributions(model, row)[0]
    margins = contribs.sum(axis=1)
    idx = int(_class_index(model, class_label, np.array([margins.argmax()]))[0])
    proba = np.exp(margins - margins.max())
    proba /= proba.sum()
    names = [*model.feature_names_, MISSING_BANDS]
    labels = [*(FEATURE_LABELS.get(n, n) for n in model.feature_names_), MISSING_BANDS_LABEL]
    values = row.loc[:, list(model.feature_names_)].to_numpy(dtype=np.float64)
    shap, order, valid = compute_reason_order(contribs[idx, :-1][None, :], ~np.isnan(values))
    keep = order[0][valid[0][order[0]]]
    frame = pd.DataFrame(
        {
            "feature": np.asarray(names, dtype=object)[keep],
            "label": np.asarray(labels, dtype=object)[keep],
            "value": np.append(values[0], np.nan)[keep],
            "shap": shap[0, keep],
        }
    )
    return StarExplanation(
        class_label=model.classes_[idx],
        probability=float(proba[idx]),
        base_value=float(contribs[idx, -1]),
        margin=float(margins[idx]),
        frame=frame,
    )


def compute_reason_order(
    shap: np.ndarray, present: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank the reasons of every star: present features, and absent ones summed into one.

    Parameters
    ----------
    shap
        SHAP values, shape (n_stars, n_features), margin units.
    present
        True where the star's feature value is present, same shape.

    Returns
    -------
    values
        Shape (n_stars, n_features + 1): the SHAP of each present feature (0 for
        absent ones) and, last, the sum over absent features (:data:`MISSING_BANDS`).
    order
        Shape (n_stars, n_features + 1): column indices of *values*, largest
        |SHAP| first; the absent-bands entry never comes first when the star
        has a present feature, and invalid entries come last.
    valid
        Shape (n_stars, n_features + 1): True for the entries that are reasons
        (present features, and the absent-bands sum when a feature is absent).
    """
    missing_sum = np.where(present, 0.0, shap).sum(axis=1)
    values = np.column_stack([np.where(present, shap, 0.0), missing_sum])
    valid = np.column_stack([present, (~present).any(axis=1)])
    key = np.where(valid, np.abs(values), -1.0)
    top_present = np.where(present, key[:, :-1], -1.0).max(axis=1, initial=-1.0)
    # Ties keep column order, so the absent-bands entry (last column) follows the top feature.
    key[:, -1] = np.where(top_present >= 0, np.minimum(key[:, -1], top_present), key[:, -1])
    order = np.argsort(-key, axis=1, kind="stable")
    return values, order, valid


def explain_in_words(explanation: StarExplanation) -> str:
    """Return one sentence naming the measured feature that pushed the star most to its class.

    The first reason is always a feature whose value is present (a band that
    was not measured is never the main reason); the second may be the absent
    bands together ("then bands not measured").
    """
    frame = explanation.frame
    measured = frame[frame["feature"] != MISSING_BANDS]
    if measured.empty or float(frame["shap"].abs().max()) == 0.0:
        return f"Classified {explanation.class_label}: no single measured feature stood out."
    top = measured.iloc[0]
    direction = "towards" if top["shap"] > 0 else "away from"
    text = (
        f"{top['label']} = {top['value']:.2f} pushed it {direction} {explanation.class_label} most"
    )
    rest = frame.drop(index=top.name)
    if len(rest) and abs(rest.iloc[0]["shap"]) > 0:
        text += f", then {rest.iloc[0]['label']}"
    return text + f" (p = {explanation.probability:.2f})."


def _feature_columns(shap: pd.DataFrame) -> list[str]:
    return [c for c in shap.columns if c not in (SHAP_CLASS, SHAP_BASE)]


def top_contributions_frame(shap: pd.DataFrame, features: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Return, per star, the *n* first reasons: feature name, value and SHAP columns.

    Reasons are ranked by :func:`compute_reason_order`: features whose value is
    present by |SHAP|, and the absent features summed into one reason
    :data:`MISSING_BANDS` (value NaN) that is never first. A star with fewer
    than *n* reasons gets ``""`` and NaN in the remaining slots. Column names
    come from :func:`sedviz.classifier.targets.explain_columns`.
    """
    from sedviz.classifier.targets import explain_columns

    names = _feature_columns(shap)
    feats = features.loc[:, names].to_numpy(dtype=np.float64)
    values, order, valid = compute_reason_order(
        shap.loc[:, names].to_numpy(dtype=np.float64), ~np.isnan(feats)
    )
    order = order[:, :n]
    rows = np.arange(len(values))[:, None]
    ok = valid[rows, order]
    all_names = np.asarray([*names, MISSING_BANDS], dtype=object)
    all_feats = np.column_stack([feats, np.full(len(feats), np.nan)])
    out: dict[str, object] = {}
    for rank in range(order.shape[1]):
        col_feature, col_value, col_shap = explain_columns(rank + 1)
        pick = order[:, rank]
        out[col_feature] = np.where(ok[:, rank], all_names[pick], "")
        out[col_value] = np.where(ok[:, rank], all_feats[rows[:, 0], pick], np.nan)
        out[col_shap] = np.where(ok[:, rank], values[rows[:, 0], pick], np.nan)
    return pd.DataFrame(out, index=shap.index)


def to_shap_explanation(
    shap: pd.DataFrame, features: pd.DataFrame | None = None
) -> shap_lib.Explanation:
    """Return a :func:`shap_frame` as a ``shap.Explanation`` (one explained class per star).

    ``values``, shape (n_stars, n_features), are the SHAP columns (margin
    units); ``base_values``, shape (n_stars,), the :data:`SHAP_BASE` column;
    ``feature_names`` the feature columns in order; ``data``, shape
    (n_stars, n_features), the same columns of *features* at the rows of
    ``shap.index`` (None without *features*). The values are XGBoost's exact
    contributions, passed on unchanged: shap only holds them. It is imported
    here (the import costs seconds), not when this module is.
    """
    import shap as shap_lib

    names = _feature_columns(shap)
    data = None if features is None else features.loc[shap.index, names].to_numpy()
    return shap_lib.Explanation(
        values=shap.loc[:, names].to_numpy(),
        base_values=shap[SHAP_BASE].to_numpy(),
        data=data,
        feature_names=names,
    )


def global_importance_frame(shap: pd.DataFrame) -> pd.DataFrame:
    """Return mean |SHAP| per feature (columns feature, label, mean_abs_shap), largest first."""
    names = _feature_columns(shap)
    if len(shap):
        mean_abs = np.asarray(to_shap_explanation(shap).abs.mean(0).values)
    else:  # shap's Explanation cannot average over no star
        mean_abs = np.full(len(names), np.nan)
    frame = pd.DataFrame(
        {
            "feature": names,
            "label": [FEATURE_LABELS.get(n, n) for n in names],
            "mean_abs_shap": mean_abs,
        }
    )
    return frame.sort_values("mean_abs_shap", ascending=False, kind="stable").reset_index(drop=True)


def beeswarm_frame(
    shap: pd.DataFrame, features: pd.DataFrame, top: int = 10, max_stars: int = 5000, seed: int = 0
) -> pd.DataFrame:
    """Return long-form beeswarm data for the *top* features by mean |SHAP|.

    Columns: ``star`` (index of *shap*), ``feature``, ``label``, ``shap``,
    ``value`` and ``value_rank`` (0-1 percentile of the value within its
    feature, for colouring; NaN where the value is missing). At most
    *max_stars* stars, sampled with *seed*.
    """
    order = global_importance_frame(shap)["feature"].head(top).tolist()
    if len(shap) > max_stars:
        shap = shap.sample(max_stars, random_state=seed)
    explanation = to_shap_explanation(shap.loc[:, [*order, SHAP_BASE]], features)
    # Feature-major, like DataFrame.melt: every star for the first feature, then the next.
    long = pd.DataFrame(
        {
            "star": np.tile(shap.index.to_numpy(), len(order)),
            "feature": np.repeat(np.asarray(order, dtype=str), len(shap)),
            "shap": np.asarray(explanation.values).T.ravel(),
            "value": np.asarray(explanation.data).T.ravel(),
        }
    )
    long["value_rank"] = long.groupby("feature")["value"].rank(pct=True)
    long["label"] = long["feature"].map(lambda n: FEATURE_LABELS.get(n, n))
    return long.loc[:, ["star", "feature", "label", "shap", "value", "value_rank"]]


def compute_table_fingerprint(table: pd.DataFrame) -> str:
    """Return a short hash of a table's ``source_id`` order and every column the features read."""
    digest = hashlib.sha256(table[C.SOURCE_ID].to_numpy(dtype=np.int64).tobytes())
    for name in FEATURE_INPUT_COLUMNS:
        if name in table.columns:
            digest.update(name.encode())
            digest.update(
                pd.to_numeric(table[name], errors="coerce").to_numpy(np.float64).tobytes()
            )
    return digest.hexdigest()[:16]


def build_catalog_shap_bytes(
    model: StarClassifier, table: pd.DataFrame, features: pd.DataFrame, batch: int = 20000
) -> bytes:
    """Return the catalogue store (``.npz`` bytes): SHAP for each star's predicted class.

    Arrays: ``source_id``; ``class_index`` (int8); ``probability`` (uint16, p x 65535,
    n x classes); ``usable`` (bool); ``shap`` (int8, n x stored features) with
    per-feature ``shap_scale`` (value = int8 x scale, error <= scale / 2, 0.4 % of
    the largest |SHAP|); ``shap_features`` (the features with any non-zero SHAP:
    the others are 0 for every star); ``base`` (float32 per class); ``features``;
    ``fingerprint`` (:func:`compute_table_fingerprint`). No pickled objects.
    """
    parts = [
        shap_frame(model, features.iloc[i : i + batch]) for i in range(0, len(features), batch)
    ]
    shap = pd.concat(parts) if parts else shap_frame(model, features)
    return encode_catalog_store(model, table, shap, model.predict_proba(features), features)


def encode_catalog_store(
    model: StarClassifier,
    table: pd.DataFrame,
    shap: pd.DataFrame,
    proba: np.ndarray,
    features: pd.DataFrame,
) -> bytes:
    """Pack SHAP (a :func:`shap_frame`) and probabilities of *table* into ``.npz`` bytes."""
    values = shap.loc[:, list(model.feature_names_)].to_numpy(dtype=np.float64)
    peak = np.abs(values).max(axis=0) if len(values) else np.zeros(values.shape[1])
    kept = np.flatnonzero(peak > 0)
    scale = peak[kept] / 127.0
    codes = np.array([model.classes_.index(c) for c in shap[SHAP_CLASS]], dtype=np.int8)
    base = np.zeros(len(model.classes_), dtype=np.float32)
    base[codes] = shap[SHAP_BASE].to_numpy(dtype=np.float32)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        source_id=table[C.SOURCE_ID].to_numpy(dtype=np.int64),
        class_index=codes,
        probability=np.rint(np.nan_to_num(proba) * 65535).astype(np.uint16),
        usable=compute_usable_mask(features),
        shap=np.rint(values[:, kept] / scale).astype(np.int8),
        shap_scale=scale.astype(np.float64),
        shap_features=np.asarray(model.feature_names_, dtype=str)[kept],
        base=base,
        features=np.asarray(model.feature_names_, dtype=str),
        fingerprint=np.asarray(compute_table_fingerprint(table)),
    )
    return buffer.getvalue()


def load_catalog_store(
    folder: str | Path, model: StarClassifier, table: pd.DataFrame | None = None
) -> dict[str, np.ndarray] | None:
    """Return the arrays of a model folder's catalogue store, or None if absent or stale.

    With *table*, its :func:`compute_table_fingerprint` must match the stored one.
    """
    path = Path(folder) / CATALOG_SHAP_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, KeyError):
        return None
    if [str(s) for s in arrays.get("features", [])] != list(model.feature_names_):
        return None
    if table is not None and str(arrays["fingerprint"]) != compute_table_fingerprint(table):
        return None
    return arrays


def load_catalog_shap_frame(
    folder: str | Path, model: StarClassifier, table: pd.DataFrame | None = None
) -> pd.DataFrame | None:
    """Return the stored catalogue SHAP as a :func:`shap_frame` (index ``source_id``), or None.

    None when the store is absent, unreadable or (with *table*) stale.
    """
    arrays = load_catalog_store(folder, model, table)
    if arrays is None:
        return None
    names = list(model.feature_names_)
    frame = pd.DataFrame(
        0.0,
        index=pd.Index(arrays["source_id"], name=C.SOURCE_ID),
        columns=names,
        dtype=np.float32,
    )
    kept = [str(s) for s in arrays["shap_features"]]
    frame.loc[:, kept] = (arrays["shap"] * arrays["shap_scale"]).astype(np.float32)
    codes = arrays["class_index"].astype(np.int64)
    frame[SHAP_CLASS] = np.asarray(model.classes_, dtype=object)[codes]
    frame[SHAP_BASE] = arrays["base"][codes]
    return frame


# --- the one-line reason in words (for students) ------------------------------------------
#: Colour thresholds (mag) between blue, white, yellowish-white, yellow, orange and red, per
#: colour index; roughly the A/F/G/K/M boundaries of main-sequence stars.
_COLOUR_WORDS: Final = ("blue", "white", "yellowish-white", "yellow", "orange", "red")
_COLOUR_EDGES: Final[dict[str, tuple[float, ...]]] = {
    "bp_rp": (0.05, 0.45, 0.75, 1.0, 1.8),
    "v_i": (0.05, 0.45, 0.75, 1.0, 1.8),
    "b_v": (0.0, 0.3, 0.58, 0.81, 1.4),
}
#: Absolute-magnitude thresholds (mag) between very high, high, moderate and low true brightness.
_BRIGHTNESS_WORDS: Final = ("very high", "high", "moderate", "low")
_BRIGHTNESS_EDGES: Final = (-2.0, 1.5, 5.5)
_LUM_CLASS_WORDS: Final[dict[str, str]] = {
    "I-II": "supergiants and bright giants (I-II)",
    "III": "giants (III)",
    "IV": "subgiants (IV)",
    "V": "main-sequence dwarfs (V)",
}
_OTHER_CLUES: Final[dict[str, str]] = {
    "abs_g_bright_limit": "the brightest it could really be",
    "parallax_snr": "how well its distance is known",
    "reduced_pm_g": "how fast it crosses the sky for its brightness",
    "abs_sin_gal_lat": "where it lies relative to the Milky Way's plane",
}


def _number(value: float) -> str:
    return f"{value:.2f}".replace("-", "\u2212")


def describe_clue(feature: str, value: float) -> str:
    """Return a feature and its value in words, e.g. ``"its red colour (BP−RP 2.21)"``.

    Colours get a colour word (BP−RP, B−V, V−I), absolute magnitudes a
    brightness word; the symbol and value stay in brackets.
    """
    symbol = f"{FEATURE_LABELS.get(feature, feature)} {_number(value)}"
    if feature in _COLOUR_EDGES:
        word = _COLOUR_WORDS[int(np.searchsorted(_COLOUR_EDGES[feature], value))]
        return f"its {word} colour ({symbol})"
    if feature in ("abs_g", "abs_ks"):
        word = _BRIGHTNESS_WORDS[int(np.searchsorted(_BRIGHTNESS_EDGES, value))]
        band = " in infrared" if feature == "abs_ks" else ""
        return f"its {word} true brightness{band} ({symbol})"
    if feature in _OTHER_CLUES:
        return f"{_OTHER_CLUES[feature]} ({symbol})"
    return f"its colour ({symbol})"


def reason_in_words(explanation: StarExplanation) -> str:
    """Return the model's main reason in one plain sentence.

    E.g. ``"Its red colour (BP−RP 2.21) is typical of M stars (p = 0.97)."``:
    the one or two features with a measured value that pushed the star most
    towards its class. A missing band is never given as the reason.
    """
    frame = explanation.frame
    label = explanation.class_label
    group = _LUM_CLASS_WORDS.get(label, f"{label} stars")
    clues = frame[frame["value"].notna() & (frame["shap"] > 0)].head(2)
    tail = f" (p = {explanation.probability:.2f})."
    if clues.empty:
        return f"No single measured clue points to {group}: the other classes fitted worse{tail}"
    pairs = zip(clues["feature"].astype(str), clues["value"].to_numpy(float), strict=True)
    first, *rest = (describe_clue(feature, float(value)) for feature, value in pairs)
    if rest and first.split(" (")[0] == rest[0].split(" (")[0]:
        # Two colours that say the same: "its red colour (BP−RP 2.21, V−I 2.90)".
        first, rest = f"{first[:-1]}, {rest[0].split(' (', 1)[1]}", []
    text = f"{first[0].upper()}{first[1:]} is typical of {group}"
    if rest:
        text += f", and so is {rest[0]}"
    return text + tail
