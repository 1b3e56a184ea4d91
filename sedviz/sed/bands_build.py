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

import astropy.units as u
import numpy as np
from astropy.modeling.physical_models import BlackBody

from sedviz.sed.bands import BAND_SPECS, BANDS_JSON_PATH

#: Temperature grid of the cached blackbody magnitudes, K.
TEFF_MIN_K: Final = 2000.0
TEFF_MAX_K: Final = 50000.0
N_TEFF: Final = 480

_FLAM_UNIT: Final = u.erg / u.s / u.cm**2 / u.AA


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

    Uses :class:`astropy.modeling.physical_models.BlackBody`; it is called when
    the band table and the extinction grids are built and for one curve per SED
    plot, never per star (``scripts/bench_planck.py`` has the timings).
    Returns shape ``(len(teff_k), len(wave_angstrom))``.
    """
    blackbody = BlackBody(temperature=np.asarray(teff_k, float)[:, None] * u.K)
    flux = np.pi * u.sr * blackbody(np.asarray(wave_angstrom, float)[None, :] * u.AA)
    return np.asarray(flux.to_value(u.Jy))


def compute_fnu_jy(wave_angstrom: np.ndarray, flam: np.ndarray) -> np.ndarray:
    """Convert ``F_lambda`` (erg s^-1 cm^-2 A^-1) sampled at *wave_angstrom* to ``F_nu`` in Jy."""
    fnu = (np.asarray(flam, float) * _FLAM_UNIT).to(
        u.Jy, equivalencies=u.spectral_density(np.asarray(wave_angstrom, float) * u.AA)
    )
    return np.asarray(fnu.value)


def compute_vega_zero_point_jy(wave_angstrom: np.ndarray, response: np.ndarray) -> float:
    """Vega zero point of a band: the photon-counting band mean of Vega's ``F_nu``, Jy.

    Vega is the CALSPEC spectrum ``alpha_lyr_stis_005`` (:func:`load_vega_spectrum`).
    """
    vega_wave, vega_flam = load_vega_spectrum()
    vega_fnu = compute_fnu_jy(wave_angstrom, np.interp(wave_angstrom, vega_wave, vega_flam))
    return float(compute_band_mean_fnu(wave_angstrom, response, vega_fnu))


def compute_bb_vega_mag(
    wave_angstrom: np.ndarray, response: np.ndarray, teff_k: np.ndarray
) -> np.ndarray:
    """Band-integrated Vega magnitude of blackbodies of unit dilution, shape ``(len(teff_k),)``."""
    zero_point = compute_vega_zero_point_jy(wave_angstrom, response)
    fnu = compute_band_mean_fnu(
        wave_angstrom, response, compute_pi_planck_jy(wave_angstrom, teff_k)
    )
    return np.asarray(-2.5 * np.log10(fnu / zero_point))


def build_band_data() -> dict[str, Any]:
    """Compute the band table (see module docstring) as a JSON-ready dict."""
    teff = np.geomspace(TEFF_MIN_K, TEFF_MAX_K, N_TEFF)
    bands: dict[str, Any] = {}
    for spec in BAND_SPECS:
        wave, response = load_curve(spec.filter_id)
        bands[spec.name] = {
            "filter_id": spec.filter_id,
            "pivot_um": round(compute_pivot_angstrom(wave, response) / 1e4, 6),
            "zero_point_jy": round(compute_vega_zero_point_jy(wave, response), 4),
            "bb_vega_mag": np.round(compute_bb_vega_mag(wave, response, teff), 5).tolist(),
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
