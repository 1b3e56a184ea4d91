"""Where a model's answers hold: the training stars' ranges, and a flag per star outside them.

A model learns from Hipparcos stars: brighter than about V = 12, mostly within
a few hundred parsecs, little reddened. A star fainter, farther or redder than
those, or given with a band set the model never saw, still gets probabilities,
but they are extrapolations. At training time :func:`compute_domain_record`
records the training stars' ranges in the model's card (section ``domain``);
:func:`compute_domain_frame` compares any star with them and says, in plain
words, why a star lies outside (``domain_note``).

Rules (each gives one note; a star may have several, joined by "; ")
--------------------------------------------------------------------
- **fainter than the training stars**: an apparent magnitude (G, V, VT or Hp)
  more than :data:`FAINT_MARGIN_MAG` fainter than the 99.5th percentile of the
  training stars in that band;
- **farther than the training stars**: parallax + 2 sigma (the nearest the star
  can be) below the 0.5th percentile of the same quantity for the training
  stars;
- **colours / luminosity outside the training range**: a colour, or an
  absolute magnitude, outside the 0.5-99.5 percentile range of the training
  stars, widened by :data:`RANGE_MARGIN` of that range;
- **too few bands** (no colour: not classified) or **a band set the model
  never saw** (fewer than :data:`MIN_BAND_SET_STARS` training rows with it,
  counting the band-dropout copies);
- **likely reddened**: within :data:`REDDENING_MAX_LAT_DEG` of the Galactic
  plane and beyond :data:`REDDENING_MIN_DISTANCE_PC` (parallax + 2 sigma).

Out-of-domain probabilities are not confidences: user-facing code shows them
through :func:`presented_probability` / :func:`presented_probability_text`,
which replace them with :data:`UNCERTAIN_LABEL`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.parallax import compute_parallax
from sedviz.classifier.bandsets import band_set_name, compute_band_set_codes
from sedviz.classifier.features import (
    ABS_G,
    ABS_KS,
    ABS_V,
    COLOUR_PAIRS,
    DIRECT_COLOURS,
    FEATURE_LABELS,
    SIN_GAL_LAT,
    compute_usable_mask,
)
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.targets import DOMAIN_NOTE, IN_DOMAIN

__all__ = [
    "DOMAIN_NOTE",
    "IN_DOMAIN",
    "UNCERTAIN_LABEL",
    "compute_domain_frame",
    "compute_domain_record",
    "model_domain",
    "presented_probability",
    "presented_probability_text",
]

#: Shown instead of a probability for a star outside the model's domain.
UNCERTAIN_LABEL: Final = "uncertain: outside what the model learned"

#: Percentiles of the training stars that bound the domain.
LOW_PERCENTILE: Final = 0.5
HIGH_PERCENTILE: Final = 99.5
#: Share of a feature's training range added on either side before a star is "outside".
RANGE_MARGIN: Final = 0.1
#: Magnitudes beyond the training stars' faint limit before a star is "fainter".
FAINT_MARGIN_MAG: Final = 0.5
#: Training rows (band-dropout copies included) a band set needs to count as seen.
MIN_BAND_SET_STARS: Final = 20
#: Likely reddened: this close to the Galactic plane (deg) and farther than this (pc).
REDDENING_MAX_LAT_DEG: Final = 10.0
REDDENING_MIN_DISTANCE_PC: Final = 1000.0
#: Apparent magnitudes whose faint limit is recorded.
FAINT_LIMIT_BANDS: Final[tuple[str, ...]] = (C.G_MAG, C.V_MAG, C.VT_MAG, C.HP_MAG)
#: Features whose training range is recorded: colours and absolute magnitudes.
ABSOLUTE_MAGNITUDES: Final[tuple[str, ...]] = (ABS_G, ABS_V, ABS_KS)
RANGE_FEATURES: Final[tuple[str, ...]] = (*COLOUR_PAIRS, *DIRECT_COLOURS, *ABSOLUTE_MAGNITUDES)

_BAND_LABELS: Final = {C.G_MAG: "G", C.V_MAG: "V", C.VT_MAG: "VT", C.HP_MAG: "Hp"}
#: Fewer training values than this and a range is not recorded.
_MIN_VALUES: Final = 50


def _column(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _parallax_upper_mas(table: pd.DataFrame) -> np.ndarray:
    """Return parallax + 2 sigma (mas): the nearest a star can be; NaN without a parallax."""
    plx, err = compute_parallax(table)  # the one parallax rule
    return plx + 2.0 * np.nan_to_num(err, nan=0.0)


def compute_domain_record(
    table: pd.DataFrame, features: pd.DataFrame, band_set_codes: np.ndarray
) -> dict[str, Any]:
    """Return the ``domain`` section of a model card from its training stars.

    Parameters
    ----------
    table, features
        The training stars (as given, without band-dropout copies) and their
        :func:`sedviz.classifier.features.compute_features`.
    band_set_codes
        :func:`sedviz.classifier.bandsets.compute_band_set_codes` of every
        training row, band-dropout copies included.
    """
    faint = {}
    for band in FAINT_LIMIT_BANDS:
        values = _column(table, band)
        values = values[np.isfinite(values)]
        if len(values) >= _MIN_VALUES:
            faint[band] = round(float(np.percentile(values, HIGH_PERCENTILE)), 3)
    upper = _parallax_upper_mas(table)
    upper = upper[np.isfinite(upper)]
    ranges = {}
    for name in RANGE_FEATURES:
        values = features[name].to_numpy(dtype=np.float64)
        values = values[np.isfinite(values)]
        if len(values) >= _MIN_VALUES:
            lo, hi = np.percentile(values, [LOW_PERCENTILE, HIGH_PERCENTILE])
            ranges[name] = [round(float(lo), 4), round(float(hi), 4)]
    codes, counts = np.unique(band_set_codes, return_counts=True)
    return {
        "percentiles": [LOW_PERCENTILE, HIGH_PERCENTILE],
        "faint_limit_mag": faint,
        "faint_margin_mag": FAINT_MARGIN_MAG,
        "parallax_upper_min_mas": (
            round(float(np.percentile(upper, LOW_PERCENTILE)), 4) if len(upper) else None
        ),
        "feature_ranges": ranges,
        "range_margin": RANGE_MARGIN,
        "band_sets_seen": {
            band_set_name(int(c)): int(n) for c, n in zip(codes, counts, strict=True)
        },
        "min_band_set_stars": MIN_BAND_SET_STARS,
        "reddening": {
            "max_abs_gal_lat_deg": REDDENING_MAX_LAT_DEG,
            "min_distance_pc": REDDENING_MIN_DISTANCE_PC,
        },
    }


def model_domain(model: StarClassifier) -> Mapping[str, Any] | None:
    """Return the domain record of *model* (from its training or its card), or None."""
    training = getattr(model, "training_", None) or {}
    card = getattr(model, "card_", None) or {}
    domain = training.get("domain") or card.get("domain")
    return domain if isinstance(domain, Mapping) else None


def compute_domain_frame(
    model: StarClassifier, table: pd.DataFrame, features: pd.DataFrame
) -> pd.DataFrame:
    """Return ``in_domain`` (bool) and ``domain_note`` (text, "" in domain) for every star.

    *features* are :func:`sedviz.classifier.features.compute_features` of
    *table* (same index). A model without a domain record (trained before
    domains were recorded) calls every classifiable star in domain.
    """
    usable = compute_usable_mask(features)
    parts = [_fill(~usable, "too few bands to classify (needs two magnitudes)")]
    domain = model_domain(model)
    if domain is not None:
        parts += [
            _faint(domain, table),
            _far(domain, table),
            _ranges(domain, features, usable),
            _unseen_band_set(domain, table, usable),
            _reddened(domain, table, features),
        ]
    note = np.full(len(table), "", dtype=object)
    for part in parts:
        for i in np.flatnonzero(part != ""):
            note[i] = f"{note[i]}; {part[i]}" if note[i] else part[i]
    return pd.DataFrame({IN_DOMAIN: note == "", DOMAIN_NOTE: note}, index=table.index)


def _fill(mask: np.ndarray, text: str) -> np.ndarray:
    """Return an object array: *text* where *mask*, "" elsewhere."""
    out = np.full(len(mask), "", dtype=object)
    out[mask] = text
    return out


def _faint(domain: Mapping[str, Any], table: pd.DataFrame) -> np.ndarray:
    out = np.full(len(table), "", dtype=object)
    margin = float(domain.get("faint_margin_mag", FAINT_MARGIN_MAG))
    for band, limit in domain.get("faint_limit_mag", {}).items():
        mag, lim = _column(table, band), float(limit)
        label = _BAND_LABELS.get(band, band)
        mask = (mag > lim + margin) & (out == "")
        for i in np.flatnonzero(mask):
            out[i] = (
                f"fainter than the training stars ({label} = {mag[i]:.1f}, they reach {lim:.1f})"
            )
    return out


def _far(domain: Mapping[str, Any], table: pd.DataFrame) -> np.ndarray:
    limit = domain.get("parallax_upper_min_mas")
    if limit is None:
        return np.full(len(table), "", dtype=object)
    text = f"farther than the training stars (beyond {1000.0 / float(limit):,.0f} pc)"
    return _fill(_parallax_upper_mas(table) < float(limit), text)


def _ranges(domain: Mapping[str, Any], features: pd.DataFrame, usable: np.ndarray) -> np.ndarray:
    margin = float(domain.get("range_margin", RANGE_MARGIN))
    columns, names, absolute = [], [], []
    for name, (lo, hi) in domain.get("feature_ranges", {}).items():
        if name in features.columns:
            pad = margin * (float(hi) - float(lo))
            values = features[name].to_numpy(dtype=np.float64)
            columns.append((values < float(lo) - pad) | (values > float(hi) + pad))
            names.append(FEATURE_LABELS.get(name, name))
            absolute.append(name in ABSOLUTE_MAGNITUDES)
    out = np.full(len(features), "", dtype=object)
    if not names:
        return out
    outside = np.column_stack(columns) & usable[:, None]
    labels = np.asarray(names, dtype=object)
    kinds = np.asarray(absolute, dtype=bool)
    for i in np.flatnonzero(outside.any(axis=1)):
        parts = []
        if (outside[i] & ~kinds).any():
            parts.append(
                f"colours outside the training range ({', '.join(labels[outside[i] & ~kinds])})"
            )
        if (outside[i] & kinds).any():
            parts.append(
                f"luminosity outside the training range ({', '.join(labels[outside[i] & kinds])})"
            )
        out[i] = "; ".join(parts)
    return out


def _unseen_band_set(
    domain: Mapping[str, Any], table: pd.DataFrame, usable: np.ndarray
) -> np.ndarray:
    seen = domain.get("band_sets_seen", {})
    minimum = int(domain.get("min_band_set_stars", MIN_BAND_SET_STARS))
    codes = compute_band_set_codes(table)
    out = np.full(len(table), "", dtype=object)
    for code in np.unique(codes[usable]):
        name = band_set_name(int(code))
        if seen.get(name, 0) < minimum:
            out[usable & (codes == code)] = f"a band set the model never saw ({name})"
    return out


def _reddened(domain: Mapping[str, Any], table: pd.DataFrame, features: pd.DataFrame) -> np.ndarray:
    rule = domain.get("reddening") or {}
    if not rule:
        return np.full(len(table), "", dtype=object)
    lat, dist = float(rule["max_abs_gal_lat_deg"]), float(rule["min_distance_pc"])
    low = features[SIN_GAL_LAT].to_numpy(dtype=np.float64) < np.sin(np.radians(lat))
    far = _parallax_upper_mas(table) < 1000.0 / dist
    text = f"likely reddened (within {lat:.0f}\u00b0 of the Galactic plane, beyond {dist:.0f} pc)"
    return _fill(low & far, text)


def presented_probability(probability: float, in_domain: bool) -> float:
    """Return the probability to show a user: itself in domain, NaN outside.

    Out-of-domain probabilities are extrapolations, not confidences: the UI
    shows :data:`UNCERTAIN_LABEL` instead (:func:`presented_probability_text`).
    """
    return float(probability) if in_domain else float("nan")


def presented_probability_text(probability: float, in_domain: bool, digits: int = 2) -> str:
    """Return ``"p = 0.93"`` in domain, :data:`UNCERTAIN_LABEL` outside (or with no probability)."""
    shown = presented_probability(probability, in_domain)
    if np.isnan(shown):
        return UNCERTAIN_LABEL
    return f"p = {shown:.{digits}f}"
