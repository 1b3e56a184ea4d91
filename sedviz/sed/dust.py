"""The interstellar extinction law: one lookup of a ``dust_extinction`` law for the whole library.

The de-reddened SED fit (:func:`sedviz.sed.fit.compute_extinction_ratios`) and the
simulated reddening (:mod:`sedviz.simulate.extinction`) both name a law by its
class in ``dust_extinction.parameter_averages`` (``"G23"``, ``"F99"``,
``"CCM89"``...) and an ``R_V``; :func:`load_extinction_law` turns that into the
model, and :func:`compute_extinction_curve` evaluates ``A_lambda / A_V``.

Examples
--------
>>> import numpy as np
>>> law = load_extinction_law("G23", 3.1)
>>> ratio = compute_extinction_curve(law, np.array([0.55, 2.2, 100.0]))
>>> round(float(ratio[0]), 2), bool(ratio[1] < 0.2), bool(np.isnan(ratio[2]))
(1.0, True, True)
"""

from __future__ import annotations

from typing import Any

import astropy.units as u
import numpy as np


def load_extinction_law(law: str = "G23", rv: float = 3.1) -> Any:
    """Return the ``dust_extinction`` parameter-average model *law* with ``R_V`` = *rv*.

    Raises
    ------
    ValueError
        If *law* is not a parameter-average law of ``dust_extinction``.
    """
    from dust_extinction import parameter_averages

    model_class = getattr(parameter_averages, law, None)
    if not isinstance(model_class, type) or not hasattr(model_class, "x_range"):
        raise ValueError(f"unknown extinction law {law!r} (try 'G23', 'F99' or 'CCM89')")
    return model_class(Rv=rv)


def compute_extinction_curve(model: Any, wave_um: np.ndarray) -> np.ndarray:
    """Return ``A_lambda / A_V`` of *model* at *wave_um* (micron); NaN outside its range."""
    x = 1.0 / np.asarray(wave_um, dtype=float)  # inverse micron
    lo, hi = model.x_range
    inside = (x >= lo) & (x <= hi)
    out = np.full(x.shape, np.nan)
    if inside.any():
        out[inside] = np.asarray(model(x[inside] / u.micron), float)
    return out
