"""Which parallax a star has, and how good it is: the one parallax rule of sedviz.

The classifier's distance features (:mod:`sedviz.classifier.features`), the HR
diagram (:mod:`sedviz.views.hr`), the SED fit's luminosity and radius
(:mod:`sedviz.sed.fit`) and, through them, the batch classifier all read the
parallax through this module, so they agree on which stars have a usable one.

Rule
----
* The parallax is ``parallax`` (mas): Gaia DR3 where the catalogue has it,
  otherwise the Hipparcos new reduction (see the catalogue card).
* Its error is ``parallax_error`` (mas) where that is finite and positive;
  otherwise (empty, zero or negative -- the catalogue's Gaia DR3 parallaxes of
  bright stars ship without errors) the Hipparcos error ``hip_parallax_error``
  of the same star stands in. Gaia DR3 errors of these stars are smaller than
  Hipparcos's, so the signal-to-noise computed this way is a lower bound.
* A parallax is *good* when it is positive and ``parallax / error >=``
  :data:`PARALLAX_SNR_MIN` (5: at most 20 % error, about 0.43 mag in an
  absolute magnitude).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"parallax": [10.0, 10.0, -1.0], "parallax_error": [float("nan"), 0.5, 1.0],
...                   "hip_parallax_error": [4.0, 9.0, 1.0]})
>>> compute_parallax_snr(t).tolist()
[2.5, 20.0, -1.0]
>>> compute_good_parallax(t).tolist()
[False, True, False]
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from sedviz import columns as C

#: Minimum parallax signal-to-noise for a *good* parallax.
PARALLAX_SNR_MIN: Final = 5.0


def _numeric(table: pd.DataFrame, name: str) -> np.ndarray:
    """Return *name* as float64 (NaN where missing, all NaN when the column is absent)."""
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def compute_parallax(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(parallax_mas, parallax_error_mas)`` of every star by the module's rule.

    Parameters
    ----------
    table : DataFrame
        A star table; absent columns count as missing for every star.

    Returns
    -------
    parallax_mas, parallax_error_mas : ndarray, shape (N,)
        float64; the error is the Hipparcos one where ``parallax_error`` is
        empty or not positive, NaN where neither is known.
    """
    plx = _numeric(table, C.PARALLAX)
    err = _numeric(table, C.PARALLAX_ERROR)
    usable = np.isfinite(err) & (err > 0)
    return plx, np.where(usable, err, _numeric(table, C.HIP_PARALLAX_ERROR))


def compute_parallax_snr(table: pd.DataFrame) -> np.ndarray:
    """Return ``parallax / error`` per star (float64, shape (N,); NaN without a positive error)."""
    plx, err = compute_parallax(table)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(err > 0, plx / err, np.nan)


def compute_good_parallax(table: pd.DataFrame, snr_min: float = PARALLAX_SNR_MIN) -> np.ndarray:
    """Return True where the parallax is positive and its S/N is at least *snr_min* (bool, (N,))."""
    plx, _ = compute_parallax(table)
    with np.errstate(invalid="ignore"):
        return np.asarray((plx > 0) & (compute_parallax_snr(table) >= snr_min), dtype=bool)
