"""Classifier features computed from a star table: colours, absolute magnitudes, quality.

Every feature is a plain function of measured photometry, parallax, proper motion
and position; none is derived from a label or from a template chosen by one.
A band that is absent (column missing, or NaN for a star) leaves every feature
that needs it NaN: nothing is imputed, XGBoost routes missing values itself, so
a star with Gaia bands only is still classified and 2MASS/AllWISE columns from
the archive are used when present.

Parallax rule
-------------
``abs_g`` and ``abs_ks`` (absolute magnitudes) are given only when the parallax
is *good* by :mod:`sedviz.catalog.parallax` (positive, ``parallax / error >=
PARALLAX_SNR_MIN`` = 5, with the Hipparcos error where the Gaia error is empty or
not positive). For every star with a parallax the
model also sees ``parallax_snr`` and ``abs_g_bright_limit``, the brightest
absolute magnitude consistent with the parallax at +2 sigma, which still says
"this star is luminous" when the parallax is poor; and ``reduced_pm_g``,
the reduced proper motion, a distance proxy that needs no parallax at all.
The same three distance features are given in Johnson V (``abs_v``,
``abs_v_bright_limit``, ``reduced_pm_v``) by the same function
(:func:`compute_distance_features`), so a star without Gaia photometry (a
Hipparcos star with no Gaia counterpart, a list of naked-eye stars given as V,
B-V and a parallax) still has an absolute magnitude.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"phot_g_mean_mag": [8.0], "phot_bp_mean_mag": [8.5],
...                   "phot_rp_mean_mag": [7.4], "parallax": [10.0],
...                   "parallax_error": [0.5]})
>>> f = compute_features(t)
>>> round(float(f.loc[0, "bp_rp"]), 2), round(float(f.loc[0, "abs_g"]), 2)
(1.1, 3.0)
"""

from __future__ import annotations

from typing import Final, NamedTuple

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import SkyCoord

from sedviz import columns as C
from sedviz.catalog.parallax import PARALLAX_SNR_MIN, compute_parallax

#: Sigmas added to the parallax for the bright limit on the absolute magnitude.
BRIGHT_LIMIT_SIGMA: Final = 2.0

#: Colours: feature name -> (blue band column, red band column), value = blue - red.
#: ``b_v``, ``v_i`` and ``u_b`` are catalogue colours and are read directly.
COLOUR_PAIRS: Final[dict[str, tuple[str, str]]] = {
    "bp_rp": (C.BP_MAG, C.RP_MAG),
    "bp_g": (C.BP_MAG, C.G_MAG),
    "g_rp": (C.G_MAG, C.RP_MAG),
    "bt_vt": (C.BT_MAG, C.VT_MAG),
    "bt_g": (C.BT_MAG, C.G_MAG),
    "hp_vt": (C.HP_MAG, C.VT_MAG),
    "vt_g": (C.VT_MAG, C.G_MAG),
    "v_g": (C.V_MAG, C.G_MAG),
    "hp_g": (C.HP_MAG, C.G_MAG),
    "g_ks": (C.G_MAG, C.KS_MAG),
    "j_h": (C.J_MAG, C.H_MAG),
    "h_ks": (C.H_MAG, C.KS_MAG),
    "ks_w1": (C.KS_MAG, C.W1_MAG),
    "w1_w2": (C.W1_MAG, C.W2_MAG),
    "w2_w3": (C.W2_MAG, C.W3_MAG),
    "w3_w4": (C.W3_MAG, C.W4_MAG),
}
#: Catalogue colours used as they are (U-B from the Bright Star Catalogue where known).
DIRECT_COLOURS: Final[tuple[str, ...]] = (C.B_V, C.V_I, C.U_B)

ABS_G: Final = "abs_g"
ABS_KS: Final = "abs_ks"
ABS_G_BRIGHT_LIMIT: Final = "abs_g_bright_limit"
PARALLAX_SNR: Final = "parallax_snr"
REDUCED_PM_G: Final = "reduced_pm_g"
ABS_V: Final = "abs_v"
ABS_V_BRIGHT_LIMIT: Final = "abs_v_bright_limit"
REDUCED_PM_V: Final = "reduced_pm_v"
SIN_GAL_LAT: Final = "abs_sin_gal_lat"

#: Ordered feature names: the classifier's input columns, in this order.
FEATURE_NAMES: Final[tuple[str, ...]] = (
    *COLOUR_PAIRS,
    *DIRECT_COLOURS,
    ABS_G,
    ABS_KS,
    ABS_G_BRIGHT_LIMIT,
    PARALLAX_SNR,
    REDUCED_PM_G,
    SIN_GAL_LAT,
    ABS_V,
    ABS_V_BRIGHT_LIMIT,
    REDUCED_PM_V,
)

_PRETTY = {
    "bp": "BP",
    "rp": "RP",
    "g": "G",
    "bt": "BT",
    "vt": "VT",
    "hp": "Hp",
    "v": "V",
    "b": "B",
    "i": "I",
    "u": "U",
    "j": "J",
    "h": "H",
    "ks": "Ks",
    "w1": "W1",
    "w2": "W2",
    "w3": "W3",
    "w4": "W4",
}
#: Readable labels for plots and explanations (Unicode minus in colours).
FEATURE_LABELS: Final[dict[str, str]] = {
    **{
        name: "\u2212".join(_PRETTY[part] for part in name.split("_"))
        for name in (*COLOUR_PAIRS, *DIRECT_COLOURS)
    },
    ABS_G: "M_G",
    ABS_KS: "M_Ks",
    ABS_G_BRIGHT_LIMIT: "M_G bright limit",
    PARALLAX_SNR: "parallax S/N",
    REDUCED_PM_G: "reduced proper motion H_G",
    SIN_GAL_LAT: "|sin b|",
    ABS_V: "M_V",
    ABS_V_BRIGHT_LIMIT: "M_V bright limit",
    REDUCED_PM_V: "reduced proper motion H_V",
}

#: Feature names in words a student understands (figures and reasons); the short
#: symbol in brackets is the one in :data:`FEATURE_LABELS` and the glossary.
PLAIN_FEATURE_LABELS: Final[dict[str, str]] = {
    **{name: f"colour {FEATURE_LABELS[name]}" for name in (*COLOUR_PAIRS, *DIRECT_COLOURS)},
    ABS_G: "how bright it really is (M_G)",
    ABS_KS: "how bright it really is in infrared (M_Ks)",
    ABS_G_BRIGHT_LIMIT: "the brightest it could be (M_G limit)",
    PARALLAX_SNR: "how sure its distance is (parallax S/N)",
    REDUCED_PM_G: "its motion on the sky, for its brightness (H_G)",
    SIN_GAL_LAT: "how far from the Milky Way's band (|sin b|)",
    ABS_V: "how bright it really is in V (M_V)",
    ABS_V_BRIGHT_LIMIT: "the brightest it could be in V (M_V limit)",
    REDUCED_PM_V: "its motion on the sky, for its V brightness (H_V)",
}

#: Bands whose presence makes a star classifiable (at least two, or one plus parallax).
PHOTOMETRY_COLUMNS: Final[tuple[str, ...]] = tuple(
    dict.fromkeys(band for pair in COLOUR_PAIRS.values() for band in pair)
)

#: Every column the features read (a change in any of them changes the features).
FEATURE_INPUT_COLUMNS: Final[tuple[str, ...]] = (
    *PHOTOMETRY_COLUMNS,
    *DIRECT_COLOURS,
    C.PARALLAX,
    C.PARALLAX_ERROR,
    C.HIP_PARALLAX_ERROR,
    C.PMRA,
    C.PMDEC,
    C.RA,
    C.DEC,
)


def _column(table: pd.DataFrame, name: str) -> np.ndarray:
    """Return a float64 array for *name*, all-NaN when the column is absent."""
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def compute_features(table: pd.DataFrame) -> pd.DataFrame:
    """Return the classifier features for every star of *table*.

    Parameters
    ----------
    table
        A star table with Gaia-archive column names (any subset of the bands in
        :mod:`sedviz.columns`); absent columns count as missing for every star.

    Returns
    -------
    DataFrame
        One row per star (same index as *table*), columns :data:`FEATURE_NAMES`
        in that order, ``float32``; magnitudes and colours in mag, NaN where
        an input is missing.
    """
    out: dict[str, np.ndarray] = {}
    for name, (blue, red) in COLOUR_PAIRS.items():
        out[name] = _column(table, blue) - _column(table, red)
    for name in DIRECT_COLOURS:
        out[name] = _column(table, name)
    out.update(_distance_features(table))
    out[SIN_GAL_LAT] = np.abs(compute_sin_gal_lat(_column(table, C.RA), _column(table, C.DEC)))
    frame = pd.DataFrame(out, index=table.index)
    return frame.loc[:, list(FEATURE_NAMES)].astype("float32")


def _distance_features(table: pd.DataFrame) -> dict[str, np.ndarray]:
    plx, err = compute_parallax(table)  # the one parallax rule (Hipparcos error as fallback)
    pm = np.hypot(_column(table, C.PMRA), _column(table, C.PMDEC))
    g = compute_distance_features(_column(table, C.G_MAG), plx, err, pm)
    v = compute_distance_features(_column(table, C.V_MAG), plx, err, pm)
    with np.errstate(divide="ignore", invalid="ignore"):
        snr = np.where(err > 0, plx / err, np.nan)
    # M - m of a 0-mag star: the distance modulus under the same rule, for abs_ks.
    dist_mod = compute_distance_features(np.zeros(len(plx)), plx, err, pm).absolute
    return {
        ABS_G: g.absolute,
        ABS_KS: _column(table, C.KS_MAG) + dist_mod,
        ABS_G_BRIGHT_LIMIT: g.bright_limit,
        PARALLAX_SNR: snr,
        REDUCED_PM_G: g.reduced_pm,
        ABS_V: v.absolute,
        ABS_V_BRIGHT_LIMIT: v.bright_limit,
        REDUCED_PM_V: v.reduced_pm,
    }


class DistanceFeatures(NamedTuple):
    """Distance features of one apparent magnitude (arrays, mag; NaN where not given)."""

    #: Absolute magnitude, only for a parallax with S/N >= :data:`PARALLAX_SNR_MIN`.
    absolute: np.ndarray
    #: Brightest absolute magnitude consistent with the parallax + 2 sigma.
    bright_limit: np.ndarray
    #: Reduced proper motion ``m + 5 log10(mu / mas yr-1) - 10``.
    reduced_pm: np.ndarray


def compute_distance_features(
    mag: np.ndarray, parallax_mas: np.ndarray, parallax_error_mas: np.ndarray, pm_mas_yr: np.ndarray
) -> DistanceFeatures:
    """Return the parallax rule applied to one apparent magnitude (the module's rule, once).

    Parameters
    ----------
    mag
        Apparent magnitudes (mag), shape (n,).
    parallax_mas, parallax_error_mas
        Parallax and its error (mas), shape (n,).
    pm_mas_yr
        Total proper motion (mas/yr), shape (n,).
    """
    plx, err = parallax_mas, parallax_error_mas
    with np.errstate(divide="ignore", invalid="ignore"):
        snr = np.where(err > 0, plx / err, np.nan)
        good = (plx > 0) & (snr >= PARALLAX_SNR_MIN)
        dist_mod = np.where(good, 5.0 * np.log10(np.where(good, plx, 1.0) / 100.0), np.nan)
        bright_plx = plx + BRIGHT_LIMIT_SIGMA * np.where(err > 0, err, np.nan)
        bright_ok = bright_plx > 0
        bright_mod = 5.0 * np.log10(np.where(bright_ok, bright_plx, 1.0) / 100.0)
        pm_ok = pm_mas_yr > 0
        rpm = mag + 5.0 * np.log10(np.where(pm_ok, pm_mas_yr, 1.0)) - 10.0
    return DistanceFeatures(
        absolute=mag + dist_mod,
        bright_limit=np.where(bright_ok, mag + bright_mod, np.nan),
        reduced_pm=np.where(pm_ok, rpm, np.nan),
    )


def compute_sin_gal_lat(ra_deg: np.ndarray, dec_deg: np.ndarray) -> np.ndarray:
    """Return sin(Galactic latitude) for ICRS positions in degrees (NaN in, NaN out)."""
    icrs = SkyCoord(ra=np.asarray(ra_deg, float) * u.deg, dec=np.asarray(dec_deg, float) * u.deg)
    return np.asarray(np.sin(icrs.galactic.b.to_value(u.rad)), dtype=np.float64)


def compute_usable_mask(features: pd.DataFrame) -> np.ndarray:
    """Return True where a star has at least one colour to classify on.

    *features* is a frame from :func:`compute_features`.
    """
    colour_names = [*COLOUR_PAIRS, *DIRECT_COLOURS]
    return features.loc[:, colour_names].notna().any(axis=1).to_numpy()
