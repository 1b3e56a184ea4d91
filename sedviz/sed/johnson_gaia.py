"""Gaia G and BP - RP estimated from Johnson V and Cousins V - I, for stars Gaia did not measure.

Stars without a Gaia counterpart (the brightest, saturated in Gaia, and a few
others) keep Johnson V and Cousins V - I from Hipparcos. To place them on the
Gaia colour - magnitude diagram, ``G - V`` and ``BP - RP`` are taken from
polynomials in ``x = V - I_C``, the form of the Johnson-Cousins -> Gaia relations of
Riello et al. 2021 (A&A 649, A3, Appendix C). The published coefficients
could not be checked offline, so these are **fitted on the embedded
catalogue's stars that have both** (``scripts/fit_johnson_gaia.py``, degree 4,
G > 6, 4-sigma clipping; 91,660 and 98,912 stars kept): the scatter about the
relation is 0.018 mag in ``G - V`` and 0.041 mag in ``BP - RP``. Every value
computed here is an **estimate** and is shown as one. Outside the validity
range (the 0.1-99.9 percentiles of ``V - I`` in the fit, widened a little) no
estimate is given.

This module is the one home of the coefficients and their reference.
"""

from __future__ import annotations

from typing import Final

import numpy as np

#: Where the relation comes from, for captions and hover text.
REFERENCE: Final = (
    "G and BP−RP estimated from V and V−I (polynomial in V−I as in Riello et al. 2021, "
    "A&A 649, A3, App. C; coefficients fitted on the catalogue's stars with both)"
)
#: Coefficients of ``G - V`` in powers of ``V - I`` (x^0 .. x^4), mag.
G_MINUS_V: Final = (-0.01634, -0.0243, -0.26236, 0.02001, 0.00606)
#: Coefficients of ``BP - RP`` in powers of ``V - I`` (x^0 .. x^4), mag.
BP_MINUS_RP: Final = (0.00099, 1.09151, 0.22386, -0.17808, 0.03246)
#: Validity range of ``V - I``, mag (outside it the estimate is NaN).
V_I_RANGE: Final = (-0.25, 3.2)
#: Scatter of the fitted relations (1.4826 x median absolute deviation), mag.
SCATTER_G_MINUS_V: Final = 0.018
SCATTER_BP_MINUS_RP: Final = 0.041


def _valid(v_i: np.ndarray) -> np.ndarray:
    return np.isfinite(v_i) & (v_i >= V_I_RANGE[0]) & (v_i <= V_I_RANGE[1])


def estimate_g_mag(v_mag: np.ndarray, v_i: np.ndarray) -> np.ndarray:
    """Return the estimated Gaia G magnitude, ``V + (G - V)(V - I)`` (mag, NaN outside the range).

    >>> round(float(estimate_g_mag(np.array([5.0]), np.array([1.0]))[0]), 2)
    4.72
    """
    v_mag, v_i = np.asarray(v_mag, float), np.asarray(v_i, float)
    poly = np.polynomial.polynomial.polyval(v_i, G_MINUS_V)
    return np.where(_valid(v_i), v_mag + poly, np.nan)


def estimate_bp_rp(v_i: np.ndarray) -> np.ndarray:
    """Return the estimated Gaia BP - RP colour from Cousins ``V - I`` (mag, NaN outside the range).

    >>> round(float(estimate_bp_rp(np.array([1.0]))[0]), 2)
    1.17
    """
    v_i = np.asarray(v_i, float)
    return np.where(_valid(v_i), np.polynomial.polynomial.polyval(v_i, BP_MINUS_RP), np.nan)
