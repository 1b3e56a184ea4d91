"""Fit G - V and BP - RP as polynomials in Cousins V - I on the catalogue build's secure pairs.

The one script that derives the constants of :mod:`sedviz.catalog.johnson_gaia`
(``G_MINUS_V``, ``BP_MINUS_RP`` and their scatter): the G - V relation the
catalogue build matches Gaia stars with, and the estimate that places stars
without Gaia bands on the Gaia HR diagram. Same form as Riello et al. 2021
(A&A 649, A3, Appendix C: degree 4 in V - I_C); the published coefficients could
not be checked offline, so both relations are fitted with the module's one fitter
(:func:`sedviz.catalog.johnson_gaia.fit_clipped_polynomial`: an unclipped fit, then
three rounds keeping the pairs within 0.3 mag) on the secure pairs of
:func:`sedviz.catalog.build.secure_pairs_frame` (the nearest Gaia star closer than
0.3 arcsec, -0.4 < V - I < 5.0). It also prints the V - I percentiles behind the
estimate's range, the residuals per V - I bin, and whether the module's
constants are the ones printed.

Needs the data packages (``requirements-data.txt``), as ``make catalog`` does.
Run: ``PYTHONPATH=. python scripts/fit_johnson_gaia.py``
"""

from __future__ import annotations

import numpy as np

from sedviz import columns as C
from sedviz.catalog import johnson_gaia as JG
from sedviz.catalog.build import secure_pairs_frame
from sedviz.catalog.read import find_source_files

#: V - I bins (mag) of the scatter table.
BINS = (-0.4, -0.25, 0.0, 1.0, 2.0, 3.0, 3.2, 3.5, 4.0, 5.0)


def main() -> None:
    pairs = secure_pairs_frame(find_source_files())
    x = pairs[C.V_I].to_numpy(float)
    print(f"secure pairs (nearest Gaia star < 0.3 arcsec, V-I in range): {len(pairs):,}")
    print(f"V-I percentiles 0.1 / 99.9: {np.percentile(x, [0.1, 99.9]).round(2).tolist()}")
    constants = {"G - V": (JG.G_MINUS_V, JG.SCATTER_G_MINUS_V),
                 "BP - RP": (JG.BP_MINUS_RP, JG.SCATTER_BP_MINUS_RP)}  # fmt: skip
    for name, column in (("G - V", "g_minus_v"), ("BP - RP", "bp_minus_rp")):
        y = pairs[column].to_numpy(float)
        fit = JG.fit_clipped_polynomial(x, y)
        coeffs = tuple(round(c, 5) for c in fit.coefficients)
        print(f"{name}: coefficients (x^0..x^{JG.DEGREE}) {list(coeffs)}")
        print(f"{name}: scatter (1.4826 MAD) {fit.scatter:.4f} mag, {fit.n_kept:,} pairs kept")
        resid = y - np.polynomial.polynomial.polyval(x, fit.coefficients)
        print(f"{name}: residuals by V-I (pairs, median, 1.4826 MAD about it; all pairs):")
        for lo, hi in zip(BINS[:-1], BINS[1:], strict=True):
            r = resid[(x > lo) & (x <= hi) & np.isfinite(resid)]
            med = float(np.median(r)) if len(r) else np.nan
            mad = 1.4826 * float(np.median(np.abs(r - med))) if len(r) else np.nan
            print(f"    ({lo:g}, {hi:g}]: {len(r):,} pairs, {med:+.3f}, {mad:.3f} mag")
        same = constants[name] == (coeffs, round(fit.scatter, 3))
        print(f"{name}: sedviz.catalog.johnson_gaia has these constants: {same}")


if __name__ == "__main__":
    main()
