"""Time astropy's BlackBody against a hand-written Planck function where sedviz uses one.

sedviz evaluates the Planck function in three places: building the band table
(``python -m sedviz.sed.bands_build``: 480 temperatures x each filter curve),
building the simulated-reddening grids once per process
(:mod:`sedviz.simulate.extinction`: 60 temperatures x each curve) and drawing one
blackbody curve per SED plot. The SED fit itself never calls it: it reads the
blackbody magnitudes cached in ``sedviz/data/bands.json``. This script times
:func:`sedviz.sed.bands_build.compute_pi_planck_jy` (astropy BlackBody) against
the numpy formula it replaced, on those three workloads and on one hypothetical
per-star evaluation (107,158 stars x 16 band pivots), and checks they agree::

    python scripts/bench_planck.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from sedviz.sed.bands import BAND_SPECS, get_band
from sedviz.sed.bands_build import compute_pi_planck_jy, load_curve

_H_CGS = 6.62607015e-27  # erg s  (the replaced code's constants, for the reference only)
_K_CGS = 1.380649e-16  # erg / K
_C_CGS = 2.99792458e10  # cm / s
_C_ANGSTROM_S = 2.99792458e18  # Angstrom / s
_JY_CGS = 1e-23


def numpy_pi_planck_jy(wave_angstrom: np.ndarray, teff_k: np.ndarray) -> np.ndarray:
    """The hand-written ``pi B_nu(T)`` in Jy that astropy's BlackBody replaced."""
    nu = _C_ANGSTROM_S / wave_angstrom[None, :]
    x = _H_CGS * nu / (_K_CGS * teff_k[:, None])
    with np.errstate(over="ignore"):
        bnu = 2 * _H_CGS * nu**3 / _C_CGS**2 / np.expm1(np.minimum(x, 700.0))
    return np.asarray(np.pi * bnu / _JY_CGS)


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Return the fastest of *repeat* runs of *fn*, seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print one Markdown table row per workload: numpy s, astropy s, ratio, max rel. diff."""
    curves = [load_curve(spec.filter_id)[0] for spec in BAND_SPECS]
    pivots = np.array([get_band(spec.name).pivot_um * 1e4 for spec in BAND_SPECS])
    rng = np.random.default_rng(0)
    workloads = {
        "band table (480 T x 16 curves)": (curves, np.geomspace(2000.0, 50000.0, 480)),
        "reddening grid (60 T x 16 curves)": (curves, np.geomspace(2000.0, 50000.0, 60)),
        "one SED plot curve (1 T x 400 wavelengths)": (
            [np.geomspace(1000.0, 300000.0, 400)],
            np.array([5772.0]),
        ),
        "per star, hypothetical (107,158 T x 16 pivots)": (
            [pivots],
            rng.uniform(2500.0, 40000.0, 107_158),
        ),
    }
    print("| workload | numpy formula, s | astropy BlackBody, s | ratio | max rel. difference |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (waves, teff) in workloads.items():
        t_np = best_of(lambda w=waves, t=teff: [numpy_pi_planck_jy(x, t) for x in w])
        t_ap = best_of(lambda w=waves, t=teff: [compute_pi_planck_jy(x, t) for x in w])
        diff = max(
            float(
                np.nanmax(np.abs(compute_pi_planck_jy(x, teff) / numpy_pi_planck_jy(x, teff) - 1))
            )
            for x in waves
        )
        print(f"| {name} | {t_np:.4f} | {t_ap:.4f} | {t_ap / t_np:.1f} | {diff:.1e} |")


if __name__ == "__main__":
    main()
