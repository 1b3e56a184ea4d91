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
from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY, prob_column
from sedviz.sed.fit import compute_sed_fit
from sedviz.sed.photometry import compute_sed_points
from sedviz.sed.templates import build_template_sed, compute_template_points
from sedviz.views.hr import compute_abs_g

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


def star_label(star: pd.Series) -> str:
    """Return a short readable name: ``HIP 32349`` when known, else ``Gaia DR3 <id>``."""
    hip = pd.to_numeric(pd.Series([star.get(C.HIP)]), errors="coerce").iloc[0]
    if pd.notna(hip) and hip > 0:
        return f"HIP {int(hip)}"
    return f"Gaia DR3 {int(star[C.SOURCE_ID])}"


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
    predicted class's template uses subclass 5, and is labelled so. *extra_types*
    are MK types chosen by the user (e.g. ``"G2V"``), each drawn as a template
    labelled "chosen"; types outside O-M are skipped.
    """
    star_table = table.iloc[[row]]
    star = star_table.iloc[0]
    points = compute_sed_points(star)
    fit = compute_sed_fit(star_table).iloc[0]
    templates: list[tuple[str, pd.DataFrame]] = []
    sp_class = str(star.get(C.SP_CLASS, "") or "")
    subclass = float(pd.to_numeric(pd.Series([star.get(C.SP_SUBCLASS)]), errors="coerce").iloc[0])
    subclass = PREDICTED_SUBCLASS if not np.isfinite(subclass) else subclass
    templates += _template(sp_class, subclass, f"{sp_class}{subclass:g}V, catalogued type", points)
    if predicted_class and predicted_class != sp_class:
        label = f"{predicted_class}5V, predicted class {predicted_class}"
        templates += _template(predicted_class, PREDICTED_SUBCLASS, label, points)
    for text in extra_types:
        letter, sub, _ = parse_sp_type(text)
        if letter:
            sub = PREDICTED_SUBCLASS if not np.isfinite(sub) else sub
            templates += _template(letter, sub, f"{text}, chosen", points)
    sp_type = str(star.get(C.SP_TYPE, "") or "no type")
    return SedView(points, fit, templates, f"{star_label(star)} · catalogued {sp_type}")


def _fmt(value: Any, pattern: str, unit: str = "") -> str:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "—" if pd.isna(number) else pattern.format(number) + unit


def star_facts_frame(star: pd.Series, fit: pd.Series | None = None) -> pd.DataFrame:
    """Return a two-column table (``quantity``, ``value``) of one star's key numbers, as text."""
    abs_g, good = compute_abs_g(star.to_frame().T)
    rows = [
        ("name", star_label(star)),
        ("Gaia DR3 source_id", str(int(star[C.SOURCE_ID]))),
        ("catalogued type", str(star.get(C.SP_TYPE, "") or "—")),
        ("G magnitude", _fmt(star.get(C.G_MAG), "{:.2f}")),
        ("BP − RP colour", _fmt(star.get(C.BP_MAG, np.nan) - star.get(C.RP_MAG, np.nan), "{:.2f}")),
        ("parallax", _fmt(star.get(C.PARALLAX), "{:.2f}", " mas")),
        ("absolute G", _fmt(abs_g[0], "{:.2f}") + ("" if good[0] else " (parallax uncertain)")),
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
    return pd.DataFrame(rows, columns=["quantity", "value"])


def probabilities_frame(prediction: pd.Series, classes: tuple[str, ...]) -> pd.DataFrame:
    """Return ``class``/``probability`` rows of one star's prediction, in class order."""
    values = [float(prediction.get(prob_column(c), np.nan)) for c in classes]
    return pd.DataFrame({"class": list(classes), "probability": values})


def prediction_sentence(prediction: pd.Series | None, target_label: str) -> str:
    """Return e.g. ``"Predicted spectral class: K (p = 0.93)"``, or why there is none."""
    if prediction is None:
        return f"No {target_label} model is available yet."
    label = str(prediction.get(PREDICTED_CLASS, "") or "")
    if not label:
        return f"Not classified ({target_label}): the star has no usable colour."
    return f"Predicted {target_label}: {label} (p = {float(prediction[PREDICTED_PROBABILITY]):.2f})"


def select_ids(frame: pd.DataFrame, ids: tuple[int, ...] | None) -> pd.DataFrame:
    """Return the rows of *frame* (indexed by ``source_id``) in *ids*; all rows when None."""
    if ids is None:
        return frame
    return frame[frame.index.isin(np.asarray(ids, dtype=np.int64))]
