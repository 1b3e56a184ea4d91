"""Regenerate ``sedviz/data/bands.json`` from the shipped filter curves.

Run ``python -m sedviz.sed.bands_build`` (or :func:`save_band_data`) after changing
:data:`sedviz.sed.bands.BAND_SPECS`. It reads each band's transmission curve from
``speclite`` or ``astro-sedpy``, the CALSPEC Vega spectrum ``alpha_lyr_stis_005``
shipped by ``astro-sedpy`` and computes, for a photon-counting detector:

* the pivot wavelength, micron;
* the Vega zero point (band-mean ``F_nu`` of Vega), Jy;
* the band-integrated Vega magnitude of a blackbody of unit dilution on a
  log-spaced temperature grid, so that fits never integrate at run time.

Only this module imports ``speclite`` and ``sedpy``; the run-time library reads
the JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

import numpy as np

from sedviz.sed.bands import BAND_SPECS, BANDS_JSON_PATH

#: Temperature grid of the cached blackbody magnitudes, K.
TEFF_MIN_K: Final = 2000.0
TEFF_MAX_K: Final = 50000.0
N_TEFF: Final = 480

_C_ANGSTROM_S: Final = 2.99792458e18  # speed of light, Angstrom / s
_H_CGS: Final = 6.62607015e-27  # erg s
_K_CGS: Final = 1.380649e-16  # erg / K
_C_CGS: Final = 2.99792458e10  # cm / s
_JY_CGS: Final = 1e-23  # erg s^-1 cm^-2 Hz^-1


def load_curve(filter_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(wavelength_angstrom, response)`` of a shipped filter curve.

    *filter_id* is ``"speclite:<name>"`` or ``"sedpy:<name>"``.
    """
    package, _, name = filter_id.partition(":")
    if package == "speclite":
        import speclite.filters

        curve = speclite.filters.load_filter(name)
        return np.asarray(curve.wavelength, float), np.asarray(curve.response, float)
    if package == "sedpy":
        from sedpy.observate import Filter

        sedpy_curve = Filter(name)
        return np.asarray(sedpy_curve.wavelength, float), np.asarray(
            sedpy_curve.transmission, float
        )
    raise ValueError(f"unknown filter source in {filter_id!r} (use speclite: or sedpy:)")


def load_vega_spectrum() -> tuple[np.ndarray, np.ndarray]:
    """Return CALSPEC Vega ``(wavelength_angstrom, f_lambda_erg_s_cm2_a)`` from astro-sedpy."""
    from sedpy.reference_spectra import vega

    return np.asarray(vega[:, 0], float), np.asarray(vega[:, 1], float)


def compute_pivot_angstrom(wave: np.ndarray, response: np.ndarray) -> float:
    """Pivot wavelength of a photon-counting band, same unit as *wave*."""
    return float(np.sqrt(np.trapezoid(response * wave, wave) / np.trapezoid(response / wave, wave)))


def compute_band_mean_fnu(wave: np.ndarray, response: np.ndarray, fnu: np.ndarray) -> np.ndarray:
    """Photon-counting band mean of ``F_nu`` sampled on *wave* (last axis)."""
    weight = response / wave
    return np.asarray(np.trapezoid(fnu * weight, wave, axis=-1) / np.trapezoid(weight, wave))


def compute_pi_planck_jy(wave_angstrom: np.ndarray, teff_k: np.ndarray) -> np.ndarray:
    """``pi * B_nu(T)`` in Jy: the flux density of a blackbody of unit dilution.

    Returns shape ``(len(teff_k), len(wave_angstrom))``.
    """
    nu = _C_ANGSTROM_S / wave_angstrom[None, :]
    x = _H_CGS * nu / (_K_CGS * teff_k[:, None])
    with np.errstate(over="ignore"):
        bnu = 2 * _H_CGS * nu**3 / _C_CGS**2 / np.expm1(np.minimum(x, 700.0))
    return np.asarray(np.pi * bnu / _JY_CGS)


def build_band_data() -> dict[str, Any]:
    """Compute the band table (see module docstring) as a JSON-ready dict."""
    vega_wave, vega_flam = load_vega_spectrum()
    teff = np.geomspace(TEFF_MIN_K, TEFF_MAX_K, N_TEFF)
    bands: dict[str, Any] = {}
    for spec in BAND_SPECS:
        wave, response = load_curve(spec.filter_id)
        vega_fnu = np.interp(wave, vega_wave, vega_flam) * wave**2 / _C_ANGSTROM_S / _JY_CGS
        zero_point = float(compute_band_mean_fnu(wave, response, vega_fnu))
        bb = compute_band_mean_fnu(wave, response, compute_pi_planck_jy(wave, teff))
        bands[spec.name] = {
            "filter_id": spec.filter_id,
            "pivot_um": round(compute_pivot_angstrom(wave, response) / 1e4, 6),
            "zero_point_jy": round(zero_point, 4),
            "bb_vega_mag": np.round(-2.5 * np.log10(bb / zero_point), 5).tolist(),
        }
    return {
        "provenance": (
            "Computed by sedviz.sed.bands_build from speclite 1.0 / astro-sedpy 0.4 filter curves "
            "and the CALSPEC Vega spectrum alpha_lyr_stis_005 (shipped by astro-sedpy); "
            "photon-counting convention; Vega = 0 mag in every band."
        ),
        "teff_grid_k": np.round(teff, 3).tolist(),
        "bands": bands,
    }


def save_band_data(path: Path = BANDS_JSON_PATH) -> Path:
    """Write :func:`build_band_data` to *path* (default: the package data file)."""
    text = json.dumps(build_band_data(), indent=1)
    # One line per number list keeps the file short and its diffs readable.
    text = re.sub(
        r"\[\s+([^\[\]]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {save_band_data()}")
