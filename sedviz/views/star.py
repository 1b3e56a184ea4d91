"""Everything the app shows about one star, computed in one place (pure, no Streamlit).

:func:`build_sed_view` gathers a star's SED points, blackbody fit and the
templates of its catalogued and predicted types; :func:`star_facts_frame` and
:func:`probabilities_frame` turn a star and its prediction into small tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.mk import parse_sp_type
from sedviz.catalog.names import star_display_name
from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY, prob_column
from sedviz.sed.bands import get_bands
from sedviz.sed.fit import compute_sed_fit
from sedviz.sed.photometry import SOURCE_NOT_MEASURED, clean_magnitudes, compute_sed_points
from sedviz.sed.templates import build_template_sed, compute_template_points
from sedviz.views.hr import (
    PREDICTED_DOMAIN_NOTE,
    PREDICTED_IN_DOMAIN,
    compute_abs_g,
    compute_abs_mag,
)

#: Subclass used for the template of a predicted class (the classifier predicts letters only).
PREDICTED_SUBCLASS: Final = 5.0
#: Dwarf template types a user may overlay on any SED: 13, as in the template-based
#: classifier sedviz grows from (Pecaut & Mamajek mean colours, not Pickles spectra).
TEMPLATE_CHOICES: Final[tuple[str, ...]] = (
    "O9V", "B0V", "B5V", "A0V", "A5V", "F0V", "F5V", "G0V", "G5V", "K0V", "K5V", "M0V", "M5V",
)  # fmt: skip


@dataclass(frozen=True)
class SedView:
    """One star's SED: ``points`` (per band), ``fit`` (one row of the blackbody fit),
    ``templates`` (label, scaled template points) and a ``title``."""

    points: pd.DataFrame
    fit: pd.Series
    templates: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    title: str = ""


#: Source of an SED band with a catalogue magnitude but no usable error: listed, not drawn.
SOURCE_NO_ERROR: Final = "measured, no usable error"
#: Names of the luminosity classes that have no template (the templates are dwarfs).
_NO_TEMPLATE_KIND: Final = {
    "I": "supergiant",
    "II": "bright giant",
    "III": "giant",
    "IV": "subgiant",
}


def template_label(sp_type: str, lum_class: str, role: str) -> str:
    """Return the legend label of the dwarf template of *sp_type* (e.g. ``"B7"``) for a star.

    The templates are dwarfs (Pecaut & Mamajek): for a dwarf the label names the
    *role* (``"catalogued type"``); for any other luminosity class it says the
    template is a dwarf of the same type, never that it is the star's type.
    """
    kind = _NO_TEMPLATE_KIND.get(lum_class)
    if kind is not None:
        return f"{sp_type}V: dwarf of the same type: no {kind} template<br>({role})"
    if lum_class == "V":
        return f"{sp_type}V, {role}"
    return f"{sp_type}V dwarf ({role};<br>luminosity class not catalogued)"


def mark_unweighable_bands(points: pd.DataFrame, star: pd.Series) -> pd.DataFrame:
    """Return *points* with bands that have a catalogue magnitude but no usable error relabelled.

    :func:`sedviz.sed.photometry.compute_sed_points` drops such a band (it cannot be
    weighed): it is then ``"measured, no usable error"``, not ``"not measured"``, so the
    figure agrees with the star's facts (a band with a value is never "not measured").
    """
    measured = {
        band.name
        for band in get_bands()
        if not band.spec.derived
        and band.spec.mag_column in star.index
        and np.isfinite(clean_magnitudes([star.get(band.spec.mag_column)])[0])
    }
    hit = (points[C.SED_SOURCE] == SOURCE_NOT_MEASURED) & points[C.SED_BAND].isin(measured)
    if not hit.any():
        return points
    out = points.copy()
    out.loc[hit, C.SED_SOURCE] = SOURCE_NO_ERROR
    return out


def _template(sp_class: str, subclass: float, label: str, points: pd.DataFrame) -> list[Any]:
    if sp_class not in "OBAFGKM" or not sp_class:
        return []
    template = build_template_sed(sp_class, subclass)
    if template.isna().all():
        return []
    scaled = compute_template_points(template, points)
    return [(label, scaled)] if len(scaled) else []


def build_sed_view(
    table: pd.DataFrame, row: int, predicted_class: str = "", extra_types: Sequence[str] = ()
) -> SedView:
    """Return the SED view of the star at position *row* of *table*.

    The catalogued type's template uses its subclass (5 when unknown); the
    predicted class's template uses subclass 5, and is labelled so. Templates
    are dwarfs: for a star of another luminosity class they are labelled
    "dwarf of the same type" (:func:`template_label`). *extra_types* are MK
    types chosen by the user (e.g. ``"G2V"``), each drawn as a template
    labelled "chosen"; types outside O-M are skipped.
    """
    star_table = table.iloc[[row]]
    star = star_table.iloc[0]
    points = mark_unweighable_bands(compute_sed_points(star), star)
    fit = compute_sed_fit(star_table).iloc[0]
    templates: list[tuple[str, pd.DataFrame]] = []
    sp_class = str(star.get(C.SP_CLASS, "") or "")
    lum_class = str(star.get(C.LUM_CLASS, "") or "")
    subclass = float(pd.to_numeric(pd.Series([star.get(C.SP_SUBCLASS)]), errors="coerce").iloc[0])
    subclass = PREDICTED_SUBCLASS if not np.isfinite(subclass) else subclass
    label = template_label(f"{sp_class}{subclass:g}", lum_class, "catalogued type")
    templates += _template(sp_class, subclass, label, points)
    if predicted_class and predicted_class != sp_class:
        label = template_label(
            f"{predicted_class}5", lum_class, f"predicted class {predicted_class}"
        )
        templates += _template(predicted_class, PREDICTED_SUBCLASS, label, points)
    for text in extra_types:
        letter, sub, _ = parse_sp_type(text)
        if letter:
            sub = PREDICTED_SUBCLASS if not np.isfinite(sub) else sub
            templates += _template(letter, sub, f"{text}, chosen", points)
    sp_type = str(star.get(C.SP_TYPE, "") or "no type")
    title = f"{star_display_name(table, row, with_hip=True)} · catalogued {sp_type}"
    return SedView(points, fit, templates, title)


def _fmt(value: Any, pattern: str, unit: str = "") -> str:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number):
        return "—"
    return pattern.format(0.0 if abs(number) < 0.005 else number) + unit  # no "-0.00"


def star_facts_frame(
    table: pd.DataFrame,
    row: int,
    fit: pd.Series | None = None,
    prediction: pd.Series | None = None,
) -> pd.DataFrame:
    """Return a two-column table (``quantity``, ``value``) of the key numbers, as text, of
    the star at position *row* of *table*.

    With *prediction* (a row of ``predict_frame``), a row says whether it lies
    inside what the model learned.
    """
    one = table.iloc[[row]]
    star = one.iloc[0]
    abs_g, good = compute_abs_g(one)
    v_mag = pd.to_numeric(one.get(C.V_MAG, pd.Series([np.nan])), errors="coerce")
    abs_v, _ = compute_abs_mag(one, np.asarray(v_mag, dtype=float))
    source_id = int(star[C.SOURCE_ID])
    rows = [
        ("name", star_display_name(table, row, with_hip=True)),
        ("Gaia DR3 source_id", str(source_id) if source_id > 0 else "none (not measured by Gaia)"),
        ("catalogued type", str(star.get(C.SP_TYPE, "") or "—")),
        ("V magnitude", _fmt(star.get(C.V_MAG), "{:.2f}")),
        ("B − V colour", _fmt(star.get(C.B_V), "{:.2f}")),
        ("G magnitude", _fmt(star.get(C.G_MAG), "{:.2f}")),
        ("BP − RP colour", _fmt(star.get(C.BP_MAG, np.nan) - star.get(C.RP_MAG, np.nan), "{:.2f}")),
        ("parallax", _fmt(star.get(C.PARALLAX), "{:.2f}", " mas")),
        ("absolute G", _fmt(abs_g[0], "{:.2f}") + ("" if good[0] else " (parallax uncertain)")),
        ("absolute V", _fmt(abs_v[0], "{:.2f}") + ("" if good[0] else " (parallax uncertain)")),
    ]
    if fit is not None:
        rows += [
            ("temperature (blackbody fit)", _fmt(fit.get(C.TEFF), "{:,.0f}", " K")),
            ("± error", _fmt(fit.get(C.TEFF_ERROR), "{:,.0f}", " K")),
            ("luminosity", _fmt(fit.get(C.LUMINOSITY_LSUN), "{:,.3g}", " L☉")),
            ("radius", _fmt(fit.get(C.RADIUS_RSUN), "{:,.3g}", " R☉")),
            ("fit quality χ²/dof", _fmt(fit.get(C.SED_CHI2_DOF), "{:.2f}")),
            ("bands fitted", _fmt(fit.get(C.SED_N_BANDS), "{:.0f}")),
            ("fit status", str(fit.get(C.SED_FIT_STATUS, ""))),
        ]
    if prediction is not None and PREDICTED_IN_DOMAIN in prediction.index:
        inside = is_in_domain(prediction)
        note = str(prediction.get(PREDICTED_DOMAIN_NOTE, "") or "")
        rows.append(("model's domain", "inside what it learned" if inside else f"outside: {note}"))
    return pd.DataFrame(rows, columns=["quantity", "value"])


#: Physical order of every class label (O B A F G K M; I-II III IV V).
_CLASS_ORDER: Final = {label: i for i, label in enumerate((*C.SP_CLASSES, *C.LUM_GROUPS))}


def probabilities_frame(prediction: pd.Series, classes: Sequence[str]) -> pd.DataFrame:
    """Return ``class``/``probability`` rows of one star's prediction, in physical class order."""
    ordered = sorted(classes, key=lambda c: _CLASS_ORDER.get(c, len(_CLASS_ORDER)))
    values = [float(prediction.get(prob_column(c), np.nan)) for c in ordered]
    return pd.DataFrame({"class": ordered, "probability": values})


def is_in_domain(prediction: pd.Series | None) -> bool:
    """Return False only when the prediction says it lies outside what the model learned."""
    if prediction is None or PREDICTED_IN_DOMAIN not in prediction.index:
        return True
    value = prediction[PREDICTED_IN_DOMAIN]
    return bool(value) if pd.notna(value) else True


def domain_sentence(prediction: pd.Series | None) -> str:
    """Return why an out-of-domain prediction is uncertain (``""`` inside the domain)."""
    if is_in_domain(prediction):
        return ""
    assert prediction is not None
    note = str(prediction.get(PREDICTED_DOMAIN_NOTE, "") or "").strip() or "no reason given"
    return f"Uncertain: this star lies outside what the model learned ({note})."


def prediction_sentence(prediction: pd.Series | None, target_label: str) -> str:
    """Return e.g. ``"Predicted spectral class: K (p = 0.93)"``, or why there is none.

    Outside the model's domain the probability is not presented as confident:
    ``"Predicted spectral class: K, uncertain: outside what the model learned (...)"``.
    """
    if prediction is None:
        return f"No {target_label} model is available yet."
    label = str(prediction.get(PREDICTED_CLASS, "") or "")
    if not label:
        return f"Not classified ({target_label}): the star has no usable colour."
    p = float(prediction[PREDICTED_PROBABILITY])
    if not is_in_domain(prediction):
        note = str(prediction.get(PREDICTED_DOMAIN_NOTE, "") or "").strip() or "no reason given"
        return (
            f"Predicted {target_label}: {label}, **uncertain**: outside what the model learned "
            f"({note}); the model's own p = {p:.2f} is not to be trusted here."
        )
    return f"Predicted {target_label}: {label} (p = {p:.2f})"


#: Stars a class asks for first, by HIP number (their names, for tables without ``proper_name``).
FAMOUS_STARS: Final[dict[str, int]] = {
    "Sirius": 32349, "Canopus": 30438, "Arcturus": 69673, "Vega": 91262, "Capella": 24608,
    "Rigel": 24436, "Procyon": 37279, "Betelgeuse": 27989, "Achernar": 7588, "Altair": 97649,
    "Aldebaran": 21421, "Antares": 80763, "Spica": 65474, "Pollux": 37826, "Fomalhaut": 113368,
    "Deneb": 102098, "Regulus": 49669, "Castor": 36850, "Polaris": 11767, "Mizar": 65378,
    "Albireo": 95947, "Barnard's star": 87937,
}  # fmt: skip
#: The Pleiades' named members, by HIP number.
PLEIADES: Final[dict[str, int]] = {
    "Alcyone": 17702, "Atlas": 17847, "Electra": 17499, "Maia": 17573, "Merope": 17608,
    "Taygeta": 17531, "Pleione": 17851, "Celaeno": 17489, "Asterope": 17579,
}  # fmt: skip
#: Orion's named stars, by HIP number (used when the table has no ``constellation`` column).
ORION: Final[dict[str, int]] = {
    "Rigel": 24436, "Betelgeuse": 27989, "Bellatrix": 25336, "Alnilam": 26311,
    "Alnitak": 26727, "Saiph": 27366, "Mintaka": 25930, "Meissa": 26207,
}  # fmt: skip
#: How many of Orion's stars the gallery offers (the brightest in V).
ORION_COUNT: Final = 10


def gallery_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Return the named stars a lesson starts from, as found in *table*.

    Columns ``group`` ("Famous stars", "The Pleiades", "Orion"), ``label`` (the
    name) and ``row`` (position in *table*); stars absent from *table* are left
    out. Orion is its ``constellation == "Ori"`` stars, brightest first, when the
    table has that column.
    """
    hips = pd.to_numeric(table.get(C.HIP, pd.Series(dtype=float)), errors="coerce")
    row_of_hip = {int(h): i for i, h in enumerate(hips.to_numpy()) if np.isfinite(h)}
    out: list[tuple[str, str, int]] = []
    for group, stars in (("Famous stars", FAMOUS_STARS), ("The Pleiades", PLEIADES)):
        out += [(group, name, row_of_hip[hip]) for name, hip in stars.items() if hip in row_of_hip]
    if C.CONSTELLATION in table.columns and C.V_MAG in table.columns:
        orion = table[table[C.CONSTELLATION].astype("string") == "Ori"].nsmallest(
            ORION_COUNT, C.V_MAG
        )
        positions = [int(r) for r in np.flatnonzero(table.index.isin(orion.index))]
        for row in sorted(positions, key=lambda r: float(table[C.V_MAG].iloc[r])):
            out.append(("Orion", star_display_name(table, row), row))
    else:
        out += [
            ("Orion", name, row_of_hip[hip]) for name, hip in ORION.items() if hip in row_of_hip
        ]
    return pd.DataFrame(out, columns=["group", "label", "row"])


def select_ids(frame: pd.DataFrame, ids: tuple[int, ...] | None) -> pd.DataFrame:
    """Return the rows of *frame* (indexed by ``source_id``) in *ids*; all rows when None."""
    if ids is None:
        return frame
    return frame[frame.index.isin(np.asarray(ids, dtype=np.int64))]
