"""``python -m sedviz star NAME [NAME ...] [--json]``: what sedviz knows of named stars.

Each NAME is looked up offline in the embedded catalogue (:mod:`sedviz.catalog.names`:
proper names, Bayer/Flamsteed designations, ``HIP n``, ``HD n``, ``HR n``, ``Gaia DR3 n``).
For every star found it prints the catalogued type, the bands present, the predictions
of the two shipped default models (class letter and luminosity class) with their domain
flag, and the blackbody SED fit (Teff, and L and R where the parallax allows).

With ``--json``: one JSON list, one object per NAME in order (duplicates kept), with the
keys of :data:`JSON_KEYS`, ``null`` where unknown; ``source_id`` is ``null`` for a star
without a Gaia counterpart. A NAME that is not found gives ``{"query": ..., "error": ...}``
(the error names close matches) and the command exits with status 2 after printing the
whole list. Without ``--json``: an aligned table. No network is used.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, Final

import pandas as pd

from sedviz import columns as C
from sedviz.catalog.names import resolve_star_names
from sedviz.catalog.tables import has_gaia_id, load_catalog
from sedviz.classifier.domain import UNCERTAIN_LABEL

#: Keys of each found star's JSON object, in order (a CLI contract, issue 15).
JSON_KEYS: Final[tuple[str, ...]] = (
    "query", "name", "hip", "hd", "source_id", "sp_type", "sp_class", "lum_class", "bands",
    "sp_class_predicted", "sp_class_probability", "lum_class_predicted",
    "lum_class_probability", "in_domain", "domain_note", "teff", "luminosity", "radius",
)  # fmt: skip
#: Keys of the object of a name that was not found.
ERROR_KEYS: Final[tuple[str, ...]] = ("query", "error")
#: Domain columns of ``predict_frame``'s output, when the classifier provides them.
DOMAIN_COLUMNS: Final[tuple[str, str]] = ("in_domain", "domain_note")
EXIT_NOT_FOUND: Final = 2


def register(sub: Any) -> None:
    """Add the ``star`` command to *sub* (an argparse sub-parsers object)."""
    p: argparse.ArgumentParser = sub.add_parser(
        "star",
        help="look up named stars offline: type, bands, predicted classes, Teff, L, R",
        description=(
            "Look up stars of the embedded catalogue by name, offline: a proper name "
            "(Vega), a Bayer or Flamsteed designation (alf Lyr, 'Alpha Lyrae', 61 Cyg), "
            "'HIP n', 'HD n', 'HR n' or 'Gaia DR3 n'. Prints the catalogued type, the bands "
            "present, the shipped default models' predictions and the blackbody SED fit. "
            "Exit status 2 (after printing everything) when a name is not found."
        ),
    )
    p.add_argument("names", nargs="+", metavar="NAME", help="star name (quote names with spaces)")
    p.add_argument("--json", action="store_true", help="print one JSON list, one object per NAME")
    p.add_argument("--models-dir", help="models folder (default: models/ or $SEDVIZ_MODELS_DIR)")
    p.add_argument("--catalog", help=argparse.SUPPRESS)  # another catalogue file, for tests
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    table = load_catalog(args.catalog)
    found = resolve_star_names(table, args.names)
    rows = list(dict.fromkeys(int(r) for r in found["row"] if r >= 0))
    stars = table.iloc[rows].set_axis(rows)
    facts = stars[[c for c in _CATALOGUE_KEYS.values() if c in stars.columns]].join(
        star_facts_frame(stars, args.models_dir)
    )
    records = [
        star_record(query, name, facts.loc[row]) if row >= 0 else {"query": query, "error": error}
        for query, row, name, error in zip(
            found["query"], found["row"], found["name"], found["error"], strict=True
        )
    ]
    if args.json:
        print(json.dumps(records))
    else:
        print(format_star_table(records))
    missing = [str(r["error"]) for r in records if "error" in r]
    if missing:
        print(f"sedviz star: error: {'; '.join(missing)}", file=sys.stderr)
        return EXIT_NOT_FOUND
    return 0


#: JSON key -> catalogue column, for the keys read straight from the catalogue.
_CATALOGUE_KEYS: Final[dict[str, str]] = {
    "hip": C.HIP,
    "hd": C.HD,
    "source_id": C.SOURCE_ID,
    "sp_type": C.SP_TYPE,
    "sp_class": C.SP_CLASS,
    "lum_class": C.LUM_CLASS,
}


def star_facts_frame(stars: pd.DataFrame, models_dir: str | None = None) -> pd.DataFrame:
    """Return one row per star of *stars*: bands present, predictions, domain and SED fit.

    Columns: ``bands`` (list of band names with a usable magnitude, blue to red),
    ``<target>_predicted`` / ``<target>_probability`` for each target of the shipped
    default models, ``in_domain``, ``domain_note``, ``teff`` (K), ``luminosity``
    (L_sun), ``radius`` (R_sun). Same index as *stars*.
    """
    # Imported here: XGBoost and the SED grid are needed only when a star was found.
    import numpy as np

    from sedviz.classifier.features import compute_features
    from sedviz.classifier.predict import NoUsableBandsError, predict_frame
    from sedviz.classifier.registry import default_model_name, load_model
    from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY, TARGETS
    from sedviz.sed.bands import BAND_NAMES
    from sedviz.sed.fit import compute_sed_fit
    from sedviz.sed.photometry import compute_band_magnitudes

    out = pd.DataFrame(index=stars.index)
    if stars.empty:
        return out
    present = np.isfinite(compute_band_magnitudes(stars, BAND_NAMES).mag)
    out["bands"] = [[b for b, ok in zip(BAND_NAMES, row, strict=True) if ok] for row in present]
    features = compute_features(stars)
    domain: pd.DataFrame | None = None
    for target in TARGETS:
        model = load_model(default_model_name(target), root=models_dir)
        try:
            predicted = predict_frame(model, stars, features)
        except NoUsableBandsError:  # not one colour among these stars: no prediction
            predicted = pd.DataFrame(
                {PREDICTED_CLASS: "", PREDICTED_PROBABILITY: np.nan}, index=stars.index
            )
        out[f"{target}_predicted"] = predicted[PREDICTED_CLASS]
        out[f"{target}_probability"] = predicted[PREDICTED_PROBABILITY]
        domain = predicted if domain is None else domain
    out[list(DOMAIN_COLUMNS)] = domain_frame(domain if domain is not None else out)
    fit = compute_sed_fit(stars)
    out["teff"] = fit[C.TEFF]
    out["luminosity"] = fit[C.LUMINOSITY_LSUN]
    out["radius"] = fit[C.RADIUS_RSUN]
    return out


def domain_frame(predicted: pd.DataFrame) -> pd.DataFrame:
    """Return ``in_domain`` and ``domain_note`` from a ``predict_frame`` output (None if absent)."""
    return pd.DataFrame(
        {
            column: predicted[column] if column in predicted.columns else None
            for column in DOMAIN_COLUMNS
        },
        index=predicted.index,
    )


def star_record(query: str, name: str, facts: pd.Series) -> dict[str, Any]:
    """Return the JSON object of one found star: :data:`JSON_KEYS`, ``None`` where unknown.

    *facts* is the star's catalogue row joined with :func:`star_facts_frame`. A
    ``source_id`` that is no Gaia id (``-hip`` marks a star without Gaia) gives ``None``.
    """
    record: dict[str, Any] = {"query": query, "name": name}
    for key in JSON_KEYS[2:]:
        record[key] = _json_value(facts.get(_CATALOGUE_KEYS.get(key, key)))
    if record["source_id"] is not None and not has_gaia_id([record["source_id"]])[0]:
        record["source_id"] = None
    if record["in_domain"] is not None and record["domain_note"] is None:
        record["domain_note"] = ""  # known: in the domain, nothing to say
    return record


def _json_value(value: Any) -> Any:
    """Plain JSON value: NaN, NA, "" -> None; numpy scalars -> Python; lists kept."""
    if isinstance(value, list):
        return value
    if value is None or value is pd.NA or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: Columns of the readable table: header, JSON key, format.
_TABLE_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("query", "query", "{}"),
    ("name", "name", "{}"),
    ("HIP", "hip", "{}"),
    ("type", "sp_type", "{}"),
    ("class", "sp_class_predicted", "{}"),
    ("p", "sp_class_probability", "{:.2f}"),
    ("lum", "lum_class_predicted", "{}"),
    ("p", "lum_class_probability", "{:.2f}"),
    ("Teff K", "teff", "{:.0f}"),
    ("L Lsun", "luminosity", "{:.3g}"),
    ("R Rsun", "radius", "{:.3g}"),
    ("domain", "in_domain", "{}"),
    ("bands", "bands", "{}"),
)


def format_star_table(records: list[dict[str, Any]]) -> str:
    """Return *records* as an aligned text table; names not found get their error line."""
    lines = [[head for head, _, _ in _TABLE_COLUMNS]]
    errors: list[str] = []
    notes: list[str] = []
    for record in records:
        if "error" in record:
            errors.append(f"{record['query']}: {record['error']}")
            lines.append([str(record["query"]), "not found", *[""] * (len(_TABLE_COLUMNS) - 2)])
            continue
        cells = []
        outside = record.get("in_domain") is False
        if outside:
            notes.append(
                f"{record['query']}: {UNCERTAIN_LABEL} ({record.get('domain_note') or ''})"
            )
        for _, key, fmt in _TABLE_COLUMNS:
            value = record.get(key)
            if outside and key.endswith("_probability"):
                value = "uncertain"  # an extrapolation, not a confidence (classifier.domain)
            elif isinstance(value, list):
                value = " ".join(value)
            elif isinstance(value, bool):
                value = "in" if value else "OUT"
            shown = value if isinstance(value, str) else None
            cells.append("-" if value is None or value == "" else shown or fmt.format(value))
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(_TABLE_COLUMNS))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            for line in lines]  # fmt: skip
    return "\n".join([*text, *notes, *errors])
