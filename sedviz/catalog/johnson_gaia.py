"""The Johnson-Cousins -> Gaia relations ``G - V`` and ``BP - RP`` in Cousins ``V - I``: one home.

Both are polynomials of degree 4 in ``x = V - I_C``, the form of the
Johnson-Cousins -> Gaia relations of Riello et al. 2021 (A&A 649, A3,
Appendix C), used inside their validity range ``-0.4 < V - I_C < 5.0``
(Table C.1). Their Table C.2 coefficients could not be confirmed from a source
readable offline, so both relations are **fitted** with
:func:`fit_clipped_polynomial` on the catalogue build's secure Hipparcos-Gaia
pairs (the nearest Gaia star closer than 0.3 arcsec, V - I in range:
:func:`sedviz.catalog.build.secure_pairs_frame`) by ``scripts/fit_johnson_gaia.py``,
which prints the constants below.

Two uses, one relation:

* the catalogue build accepts a Gaia counterpart when its G agrees with
  :func:`expected_g_mag` (:func:`sedviz.catalog.build.match_hip_to_gaia`);
* the HR view places stars Gaia did not measure on the Gaia axes with
  :func:`estimate_g_mag` and :func:`estimate_bp_rp`, flagged as **estimates**, and
  only where the fitting pairs are dense (:data:`ESTIMATE_V_I_RANGE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

#: Where the relations come from, for captions and hover text.
REFERENCE: Final = (
    "G and BP−RP estimated from V and V−I (polynomial in V−I as in Riello et al. 2021, "
    "A&A 649, A3, App. C; coefficients fitted on the catalogue's secure Hipparcos–Gaia pairs)"
)
#: Degree of both polynomials in V - I_C (Riello et al. 2021 use degree 4).
DEGREE: Final = 4
#: V - I_C range (open interval, mag) of the relation: the validity range Riello et al.
#: (2021, Table C.1) give for G - V(V - I_C); the fitting pairs and the build's
#: colour-aware match use it.
V_I_RANGE: Final = (-0.4, 5.0)
#: V - I_C range (closed, mag) where an estimate is shown (NaN outside). Red of
#: V - I = 3 the fitting pairs are few (about 140 per 0.3 mag) and scatter by more
#: than 0.12 mag in G - V and 0.18 mag in BP - RP (the script prints the residuals
#: per V - I bin); blue of -0.25 there are 22.
ESTIMATE_V_I_RANGE: Final = (-0.25, 3.2)
#: Clipping of :func:`fit_clipped_polynomial`: pairs farther than this from the previous
#: fit are left out of the next one, mag ...
FIT_CLIP_MAG: Final = 0.3
#: ... for this many rounds after the first, unclipped fit.
FIT_ROUNDS: Final = 3

#: Coefficients of ``G - V`` in powers of ``V - I_C`` (x^0 .. x^4), mag
#: (``scripts/fit_johnson_gaia.py``: 108,431 secure pairs, 104,911 kept).
G_MINUS_V: Final = (-0.01319, 0.03908, -0.41042, 0.11746, -0.01359)
#: Coefficients of ``BP - RP`` in powers of ``V - I_C`` (x^0 .. x^4), mag (same pairs,
#: 106,777 kept).
BP_MINUS_RP: Final = (-0.00076, 1.13872, 0.12503, -0.10886, 0.01805)
#: Robust scatter (1.4826 x median absolute deviation) of the pairs kept by the fit, mag.
SCATTER_G_MINUS_V: Final = 0.022
SCATTER_BP_MINUS_RP: Final = 0.044


@dataclass(frozen=True)
class ClippedFit:
    """A polynomial fitted by :func:`fit_clipped_polynomial`."""

    #: Coefficients, lowest order first (x^0 .. x^degree).
    coefficients: tuple[float, ...]
    #: Robust scatter of the pairs kept (1.4826 x median absolute residual), units of y.
    scatter: float
    #: How many pairs the last fit kept.
    n_kept: int


def fit_clipped_polynomial(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    degree: int = DEGREE,
    clip: float = FIT_CLIP_MAG,
    rounds: int = FIT_ROUNDS,
) -> ClippedFit:
    """Fit ``y`` as a polynomial in ``x`` by least squares, clipping outliers at a fixed distance.

    The first fit uses every finite pair; each of *rounds* further fits keeps the
    pairs within *clip* of the previous one (blends, variables and wrong matches
    fall away). Deterministic: the same input gives the same coefficients.

    Parameters
    ----------
    x, y : numpy.ndarray
        Abscissae and values, shape (n,); pairs with a NaN are ignored.
    degree, clip, rounds
        Polynomial degree, clipping distance (units of *y*) and clipping rounds.

    Examples
    --------
    >>> x = np.linspace(0.0, 2.0, 50)
    >>> y = 1.0 + 2.0 * x
    >>> y[7] += 5.0  # an outlier
    >>> fit = fit_clipped_polynomial(x, y, degree=1)
    >>> [round(c, 6) for c in fit.coefficients], fit.n_kept
    ([1.0, 2.0], 49)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    coeffs = np.polynomial.polynomial.polyfit(x[keep], y[keep], degree)
    for _ in range(rounds):
        resid = y - np.polynomial.polynomial.polyval(x, coeffs)
        keep = np.isfinite(resid) & (np.abs(resid) < clip)
        coeffs = np.polynomial.polynomial.polyfit(x[keep], y[keep], degree)
    resid = y[keep] - np.polynomial.polynomial.polyval(x[keep], coeffs)
    scatter = float(1.4826 * np.median(np.abs(resid)))
    return ClippedFit(tuple(float(c) for c in coeffs), scatter, int(keep.sum()))


def in_relation_range(v_i: npt.ArrayLike) -> np.ndarray:
    """Return True where ``V - I_C`` lies inside :data:`V_I_RANGE` (open; NaN is outside)."""
    v_i = np.asarray(v_i, dtype=float)
    with np.errstate(invalid="ignore"):
        return (v_i > V_I_RANGE[0]) & (v_i < V_I_RANGE[1])


def expected_g_mag(v_mag: npt.ArrayLike, v_i: npt.ArrayLike) -> np.ndarray:
    """Return ``V + (G - V)(V - I_C)``, mag, with no range check (the build checks the range).

    >>> round(float(expected_g_mag(np.array([5.0]), np.array([1.0]))[0]), 2)
    4.72
    """
    v_mag, v_i = np.asarray(v_mag, dtype=float), np.asarray(v_i, dtype=float)
    return v_mag + np.polynomial.polynomial.polyval(v_i, G_MINUS_V)


def _estimable(v_i: np.ndarray) -> np.ndarray:
    lo, hi = ESTIMATE_V_I_RANGE
    with np.errstate(invalid="ignore"):
        return np.isfinite(v_i) & (v_i >= lo) & (v_i <= hi)


def estimate_g_mag(v_mag: npt.ArrayLike, v_i: npt.ArrayLike) -> np.ndarray:
    """Return the estimated Gaia G magnitude (mag; NaN outside :data:`ESTIMATE_V_I_RANGE`).

    The same relation the catalogue build matches Gaia stars with (:func:`expected_g_mag`).
    """
    v_i = np.asarray(v_i, dtype=float)
    return np.where(_estimable(v_i), expected_g_mag(v_mag, v_i), np.nan)


def estimate_bp_rp(v_i: npt.ArrayLike) -> np.ndarray:
    """Return the estimated Gaia BP - RP colour (mag; NaN outside :data:`ESTIMATE_V_I_RANGE`).

    >>> round(float(estimate_bp_rp(np.array([1.0]))[0]), 2)
    1.17
    """
    v_i = np.asarray(v_i, dtype=float)
    bp_rp = np.polynomial.polynomial.polyval(v_i, BP_MINUS_RP)
    return np.where(_estimable(v_i), bp_rp, np.nan)
