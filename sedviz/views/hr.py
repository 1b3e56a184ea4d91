"""Data for the Hertzsprung-Russell diagram: one lean row per star, and selections back to ids.

Quality rule for the absolute magnitude
---------------------------------------
``M_G = G + 5 log10(parallax_mas / 100)`` for every star with a **positive**
parallax (stars with none cannot be placed and are counted, not drawn). A
parallax is called *good* when ``parallax / parallax_error >= 5`` (at most
20 % error, about 0.43 mag in ``M_G``), with the Hipparcos error as stand-in
where the Gaia error is empty or not positive -- the one rule of
:mod:`sedviz.catalog.parallax`, shared with the classifier and the SED fit. Stars with a poorer
parallax are drawn too (the whole catalogue is shown) and can be hidden.
No extinction correction is applied: most stars are within a few hundred pc.

Stars without Gaia bands
-------------------------
Stars Gaia did not measure (negative ``source_id``, NaN G/BP/RP) are placed on
the Gaia axes through :mod:`sedviz.catalog.johnson_gaia` (G and BP - RP estimated
from V and V - I, with the G - V relation the catalogue build matches Gaia stars with)
and flagged ``estimated``. The classical axes, Johnson B - V
against ``M_V`` (the Hipparcos textbook diagram), need no estimate: every star
with V, B - V and a positive parallax is placed.

The frame is kept small on purpose (float32 and small integers): it is what
the browser receives for up to ~100,000 stars. Each star carries ``row``, its
position in the star table; selections come back as rows and are mapped to
``source_id`` here, in Python, because 64-bit Gaia ids do not survive a trip
through JavaScript numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.johnson_gaia import estimate_bp_rp, estimate_g_mag
from sedviz.catalog.parallax import compute_good_parallax, compute_parallax
from sedviz.classifier.targets import (
    PREDICTED_CLASS,
    PREDICTED_PROBABILITY,
    TARGET_CLASSES,
    compute_target_labels,
)

# --- columns of the HR frame -------------------------------------------------
ROW: Final = "row"  #: position of the star in its star table (int32)
BP_RP: Final = "bp_rp"  #: Gaia BP - RP colour, mag
ABS_G: Final = "abs_g"  #: absolute G magnitude, mag (NaN without a positive parallax)
PARALLAX_GOOD: Final = "parallax_good"  #: parallax / error >= 5
CATALOGUED: Final = "catalogued"  #: catalogued class label of the target ("" unknown)
PREDICTED: Final = "predicted"  #: predicted class label ("" when no model / no colour)
PROBABILITY: Final = "probability"  #: probability of the predicted class
AGREEMENT: Final = "agreement"  #: one of AGREEMENT_LABELS
LOG_TEFF: Final = "log_teff"  #: log10 Teff/K from the SED fit
LOG_LUM: Final = "log_lum"  #: log10 L/L_sun from the SED fit and parallax
B_V: Final = "b_v"  #: Johnson B - V colour, mag
ABS_V: Final = "abs_v"  #: absolute V magnitude, mag (NaN without a positive parallax)
V_MAG: Final = "v"  #: Johnson V, mag (ranks the brightest named stars)
ESTIMATED: Final = "estimated"  #: True where BP - RP and absolute G are estimated from V, V - I
NAME: Final = "name"  #: proper name ("Vega"), "" when none
IN_DOMAIN: Final = "in_domain"  #: False where the prediction lies outside what the model learned
DOMAIN_NOTE: Final = "domain_note"  #: why it lies outside ("" when inside)
#: Optional columns of the predictions (the domain flag; read when present).
PREDICTED_IN_DOMAIN: Final = "in_domain"
PREDICTED_DOMAIN_NOTE: Final = "domain_note"

#: Colourings of the HR diagram (query-parameter value -> label shown to the user).
COLOURINGS: Final[dict[str, str]] = {
    "predicted": "predicted class",
    "catalogued": "catalogued class",
    "agreement": "prediction right or wrong",
    "probability": "confidence (top probability)",
}
#: Axes of the diagram (value -> label).
HR_AXES: Final[dict[str, str]] = {
    "cmd": "Gaia colour - absolute magnitude",
    "bv_mv": "B−V against M_V (Hipparcos textbook diagram)",
    "teff_lum": "temperature - luminosity (SED fits)",
}
#: Frame columns (x, y) drawn on each axes choice.
AXIS_COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "cmd": (BP_RP, ABS_G),
    "bv_mv": (B_V, ABS_V),
    "teff_lum": (LOG_TEFF, LOG_LUM),
}
AGREEMENT_LABELS: Final[tuple[str, ...]] = ("right", "wrong", "no catalogued class")


def compute_abs_g(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(abs_g, parallax_good)`` for every star of *table*.

    ``abs_g`` is NaN where the parallax is missing or not positive;
    ``parallax_good`` applies the module's quality rule (float64, bool; shape (N,)).
    """
    return compute_abs_mag(table, _numeric(table, C.G_MAG))


def compute_abs_mag(table: pd.DataFrame, mag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(absolute magnitude, parallax_good)`` of apparent magnitudes *mag* (shape (N,)).

    ``M = m + 5 log10(parallax_mas / 100)`` where the parallax is positive, else NaN.
    """
    plx, _ = compute_parallax(table)
    positive = np.isfinite(plx) & (plx > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        abs_mag = np.where(
            positive, mag + 5.0 * np.log10(np.where(positive, plx, 1.0) / 100.0), np.nan
        )
    return abs_mag, compute_good_parallax(table)


def compute_gaia_or_estimate(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(g, bp_rp, estimated)``: Gaia values, or estimates from V and V - I where absent.

    A star is *estimated* when its Gaia G or BP - RP is missing and both can be
    estimated (:mod:`sedviz.catalog.johnson_gaia`); measured Gaia values are never replaced.
    """
    g = _numeric(table, C.G_MAG)
    bp_rp = _numeric(table, C.BP_MAG) - _numeric(table, C.RP_MAG)
    v_i = _numeric(table, C.V_I)
    g_est = estimate_g_mag(_numeric(table, C.V_MAG), v_i)
    bp_rp_est = estimate_bp_rp(v_i)
    estimated = ~(np.isfinite(g) & np.isfinite(bp_rp)) & np.isfinite(g_est) & np.isfinite(bp_rp_est)
    return (
        np.where(estimated, g_est, g),
        np.where(estimated, bp_rp_est, bp_rp),
        np.asarray(estimated, dtype=bool),
    )


def _numeric(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return np.asarray(pd.to_numeric(table[name], errors="coerce"), dtype=np.float64)


def hr_frame(
    table: pd.DataFrame,
    predictions: pd.DataFrame | None = None,
    fits: pd.DataFrame | None = None,
    target: str = C.SP_CLASS,
) -> pd.DataFrame:
    """Return the lean per-star frame the HR diagram is drawn from.

    Parameters
    ----------
    table : DataFrame
        A star table (N rows).
    predictions : DataFrame, optional
        :func:`sedviz.classifier.predict.predict_frame` output for *table* (same index).
    fits : DataFrame, optional
        :func:`sedviz.sed.fit.compute_sed_fit` output for *table*: adds
        ``log_teff`` and ``log_lum``.
    target : str
        ``sp_class`` or ``lum_class``: which catalogued label to compare with.

    Returns
    -------
    DataFrame
        N rows, default RangeIndex; columns ``row``, ``source_id``, ``hip``
        (0 when unknown), ``g``, ``bp_rp``, ``abs_g`` (estimated from V and
        V - I where Gaia has none: ``estimated``), ``b_v``, ``abs_v``, ``v``,
        ``parallax_good``, ``name``, ``catalogued``, ``predicted``,
        ``probability``, ``agreement``, ``in_domain``, ``domain_note``
        (+ ``log_teff``, ``log_lum``). Floats are float32, rounded to 0.001.
    """
    g, bp_rp, estimated = compute_gaia_or_estimate(table)
    abs_g, good = compute_abs_mag(table, g)
    v_mag = _numeric(table, C.V_MAG)
    abs_v, _ = compute_abs_mag(table, v_mag)
    hip = pd.to_numeric(table[C.HIP], errors="coerce") if C.HIP in table else None
    out = pd.DataFrame(
        {
            ROW: np.arange(len(table), dtype=np.int32),
            C.SOURCE_ID: table[C.SOURCE_ID].to_numpy(dtype=np.int64),
            C.HIP: np.zeros(len(table), np.int32)
            if hip is None
            else hip.fillna(0).to_numpy(dtype=np.int32),
            "g": _f32(g),
            BP_RP: _f32(bp_rp),
            ABS_G: _f32(abs_g),
            ESTIMATED: estimated,
            B_V: _f32(_numeric(table, C.B_V)),
            ABS_V: _f32(abs_v),
            V_MAG: _f32(v_mag),
            PARALLAX_GOOD: good,
            NAME: _text(table, C.PROPER_NAME),
            CATALOGUED: compute_target_labels(table, target).to_numpy(dtype=object),
        }
    )
    out[PREDICTED], out[PROBABILITY] = "", np.float32(np.nan)
    out[IN_DOMAIN], out[DOMAIN_NOTE] = True, ""
    if predictions is not None:
        out[PREDICTED] = predictions[PREDICTED_CLASS].fillna("").to_numpy(dtype=object)
        out[PROBABILITY] = _f32(predictions[PREDICTED_PROBABILITY].to_numpy(dtype=np.float64))
        if PREDICTED_IN_DOMAIN in predictions:
            flag = predictions[PREDICTED_IN_DOMAIN].astype("boolean").fillna(True)
            out[IN_DOMAIN] = flag.to_numpy(dtype=bool)
        if PREDICTED_DOMAIN_NOTE in predictions:
            out[DOMAIN_NOTE] = _text(predictions, PREDICTED_DOMAIN_NOTE)
    out[AGREEMENT] = compute_agreement(out[PREDICTED].to_numpy(), out[CATALOGUED].to_numpy())
    if fits is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            out[LOG_TEFF] = _f32(np.log10(fits[C.TEFF].to_numpy(dtype=np.float64)))
            out[LOG_LUM] = _f32(np.log10(fits[C.LUMINOSITY_LSUN].to_numpy(dtype=np.float64)))
    return out


def _text(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.full(len(table), "", dtype=object)
    return table[name].astype("string").fillna("").str.strip().to_numpy(dtype=object)


def _f32(values: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(values, dtype=np.float64), 3).astype(np.float32)


def compute_agreement(predicted: np.ndarray, catalogued: np.ndarray) -> np.ndarray:
    """Return ``"right"``, ``"wrong"`` or ``"no catalogued class"`` per star (object array).

    A star without a prediction counts as ``"no catalogued class"`` only when it
    has no label either; unpredicted labelled stars are ``"wrong"``.
    """
    predicted = np.asarray(predicted, dtype=object)
    catalogued = np.asarray(catalogued, dtype=object)
    known = catalogued != ""
    right = known & (predicted == catalogued)
    return np.where(
        right, AGREEMENT_LABELS[0], np.where(known, AGREEMENT_LABELS[1], AGREEMENT_LABELS[2])
    )


def class_order(target: str) -> tuple[str, ...]:
    """Return the class labels of *target* in physical order (hottest / brightest first)."""
    return TARGET_CLASSES[target]


def hr_counts(frame: pd.DataFrame, axes: str = "cmd") -> dict[str, int]:
    """Return how many stars the diagram can draw: ``total``, ``drawn``, ``good_parallax``,
    ``estimated`` (placed through the Johnson -> Gaia estimate, Gaia axes only)."""
    drawable = drawable_mask(frame, axes)
    estimated = (
        drawable & frame[ESTIMATED] if axes == "cmd" and ESTIMATED in frame else drawable & False
    )
    return {
        "total": len(frame),
        "drawn": int(drawable.sum()),
        "good_parallax": int((drawable & frame[PARALLAX_GOOD]).sum()),
        "estimated": int(estimated.sum()),
    }


def drawable_mask(frame: pd.DataFrame, axes: str = "cmd") -> pd.Series:
    """Return True for the stars of *frame* that can be placed on *axes* (a key of :data:`HR_AXES`)."""
    x, y = AXIS_COLUMNS[axes]
    if x not in frame or y not in frame:
        return pd.Series(False, index=frame.index)
    return frame[x].notna() & frame[y].notna()


def brightest_named(frame: pd.DataFrame, axes: str = "cmd", n: int = 20) -> pd.DataFrame:
    """Return the *n* brightest stars (Johnson V) with a proper name that *axes* can place."""
    if NAME not in frame:
        return frame.iloc[:0]
    named = frame[drawable_mask(frame, axes) & (frame[NAME] != "")]
    return named.nsmallest(n, V_MAG)


def compute_selection_rows(
    selection: Mapping[str, Any] | None, trace_rows: np.ndarray | None = None
) -> np.ndarray:
    """Return the star-table rows of a Plotly selection event (unique, int64, in order).

    *selection* is Streamlit's ``event.selection`` (``{"points": [{"customdata":
    [row, ...], ...}, ...], "point_indices": [...]}``); points without customdata
    are ignored. Plotly decodes binary customdata to typed arrays, which reach
    Python as ``{"0": row, "1": ...}``: both forms are read. With *trace_rows*
    (the star-table row of each point of the HR trace, in trace order) and every
    point on that trace, the rows are looked up from ``point_indices`` at once:
    a box of 35,000 stars without a Python loop over its points. The HR chart
    of ``serve.py`` (``sedviz/ui/hr_chart.js``) sends ``{"rows": [...], "box":
    [...], "lasso": [...]}``, the rows themselves; anything in it that is not a
    whole number is ignored.
    """
    if not selection:
        return np.empty(0, dtype=np.int64)
    if "rows" in selection:  # sedviz's own HR chart sends the rows themselves
        return _whole_rows(selection["rows"])
    fast = _rows_from_indices(selection, trace_rows)
    if fast is not None:
        return fast
    firsts: list[Any] = []
    for point in selection.get("points") or ():
        custom = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(custom, Mapping):
            custom = custom.get("0")
        elif isinstance(custom, Sequence) and not isinstance(custom, str) and len(custom):
            custom = custom[0]
        firsts.append(custom)
    return _whole_rows(firsts)


def _whole_rows(rows: Any) -> np.ndarray:
    """The values of *rows* that are table rows (whole, ≥ 0, int64), unique, in order."""
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        return np.empty(0, dtype=np.int64)
    given = np.asarray(rows) if rows else np.empty(0, dtype=np.int64)
    if given.ndim == 1 and given.dtype.kind in "iu":  # the usual case: whole numbers only
        return pd.unique(given[given >= 0].astype(np.int64))
    whole = [
        int(r)
        for r in rows
        if isinstance(r, int | float)
        and not isinstance(r, bool)
        and float(r).is_integer()
        and 0 <= r < 2**62  # a row of a table, not any number (2**70 would not fit int64)
    ]
    return np.asarray(list(dict.fromkeys(whole)), dtype=np.int64)


def _rows_from_indices(
    selection: Mapping[str, Any], trace_rows: np.ndarray | None
) -> np.ndarray | None:
    indices = selection.get("point_indices") or []
    points = selection.get("points") or []
    if trace_rows is None or not indices or len(indices) != len(points):
        return None
    if any(isinstance(p, Mapping) and p.get("curve_number", 0) != 0 for p in points):
        return None  # a point of another trace (e.g. a marker): read the customdata
    index = np.asarray(indices, dtype=np.int64)
    index = index[(index >= 0) & (index < len(trace_rows))]
    return np.asarray(trace_rows, dtype=np.int64)[index]


def rows_to_ids(table: pd.DataFrame, rows: Sequence[int] | np.ndarray) -> list[int]:
    """Return the ``source_id`` of the given rows of *table* (rows out of range are dropped)."""
    rows = np.asarray(rows, dtype=np.int64)
    rows = rows[(rows >= 0) & (rows < len(table))]
    return [int(v) for v in table[C.SOURCE_ID].to_numpy()[rows]]
