"""Fit G - V and BP - RP as polynomials in Cousins V - I on the catalogue's stars that have both.

The coefficients printed here are the ones in :mod:`sedviz.sed.johnson_gaia`
(the estimate that places stars without Gaia bands on the Gaia HR diagram).
Same form as Riello et al. 2021 (A&A 649, A3), Appendix C (a polynomial in
V - I_C); the published coefficients could not be checked offline, so the
relation is fitted here: degree 4, stars with G > 6 (Gaia saturates brighter),
-0.4 < V - I < 3.5, iterative 4-sigma clipping on the median absolute deviation.

Run: ``PYTHONPATH=. python scripts/fit_johnson_gaia.py``
"""

from __future__ import annotations

import numpy as np

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog

DEGREE = 4
X_RANGE = (-0.4, 3.5)


def main() -> None:
    table = load_catalog()
    t = table[table[C.SOURCE_ID] > 0]  # stars without Gaia have negative ids
    x = t[C.V_I].to_numpy(float)
    targets = {
        "G - V": (t[C.G_MAG] - t[C.V_MAG]).to_numpy(float),
        "BP - RP": (t[C.BP_MAG] - t[C.RP_MAG]).to_numpy(float),
    }
    base = np.isfinite(x) & (t[C.G_MAG].to_numpy(float) > 6.0) & (x > X_RANGE[0]) & (x < X_RANGE[1])
    print(f"stars with V-I, G, BP, RP (G > 6): {int(base.sum()):,}")
    print(f"V-I percentiles 0.1 / 99.9: {np.nanpercentile(x[base], [0.1, 99.9]).round(2)}")
    for name, y in targets.items():
        keep = base & np.isfinite(y)
        for _ in range(5):
            coef = np.polynomial.polynomial.polyfit(x[keep], y[keep], DEGREE)
            resid = y - np.polynomial.polynomial.polyval(x, coef)
            sigma = 1.4826 * float(np.median(np.abs(resid[keep])))
            keep = base & np.isfinite(y) & (np.abs(resid) < 4.0 * sigma)
        print(f"{name}: coefficients (x^0..x^{DEGREE}) {np.round(coef, 5).tolist()}")
        print(f"{name}: scatter (1.4826 MAD) {sigma:.4f} mag, {int(keep.sum()):,} stars kept")


if __name__ == "__main__":
    main()
