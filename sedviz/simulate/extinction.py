"""Band-integrated extinction for simulated stars: a Teff-appropriate spectrum through each filter.

Extinction in a broad band is not the extinction law at the band's pivot
wavelength: a hot star puts more of its light at the blue edge of a band, where
dust absorbs more, so its band extinction is larger than a cool star's, and
``A_band / A_V`` falls slowly as A_V grows (the band's reddened light shifts to
the red). :func:`compute_band_extinction` integrates

    A_b(T, A_V) = -2.5 log10( <F_nu(T) 10**(-0.4 A_V k(lambda))>_b / <F_nu(T)>_b )

for a blackbody of temperature T through each band's transmission curve (the
curves ``speclite`` / ``astro-sedpy`` ship, photon-counting band means as in
:mod:`sedviz.sed.bands_build`), with ``k = A_lambda / A_V`` of a ``dust_extinction``
parameter-average law (A_V is the law's extinction at 0.55 micron). The
blackbody stands in for the star's spectrum: it has the right overall slope,
not its lines or Balmer jump. The grid over (T, A_V) is computed once per
process (a second or two) and interpolated bilinearly in (log T, A_V).

Examples
--------
>>> a = compute_band_extinction(("B", "V"), np.array([20000.0, 4000.0]), np.array([1.0, 1.0]))
>>> bool(a[0, 0] - a[0, 1] > a[1, 0] - a[1, 1])  # E(B-V) per A_V is larger for a hot star
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import numpy as np

#: Temperature grid (K) of the band-extinction table, log-spaced.
TEFF_GRID_K: Final = np.geomspace(2000.0, 50000.0, 60)
#: A_V grid (mag) of the band-extinction table; larger A_V is extrapolated linearly.
AV_GRID_MAG: Final = np.linspace(0.0, 8.0, 17)


@lru_cache(maxsize=8)
def build_band_extinction_grid(
    bands: tuple[str, ...], law: str = "G23", rv: float = 3.1
) -> np.ndarray:
    """Band extinction (mag) on :data:`TEFF_GRID_K` x :data:`AV_GRID_MAG` for each band.

    Returns
    -------
    ndarray, shape (B, T, A)
        NaN for a band the law does not cover. Cached: callers must not modify it.
    """
    from sedviz.sed.bands import get_band
    from sedviz.sed.bands_build import compute_band_mean_fnu, compute_pi_planck_jy, load_curve
    from sedviz.sed.dust import compute_extinction_curve, load_extinction_law

    model = load_extinction_law(law, rv)
    out = np.full((len(bands), TEFF_GRID_K.size, AV_GRID_MAG.size), np.nan)
    for j, band in enumerate(bands):
        wave, response = load_curve(get_band(band).spec.filter_id)
        keep = response > 0
        wave, response = wave[keep], response[keep]
        k = compute_extinction_curve(model, wave / 1e4)
        if np.isnan(k).any():  # the law does not cover the whole band
            continue
        fnu = compute_pi_planck_jy(wave, TEFF_GRID_K)  # (T, W)
        clear = compute_band_mean_fnu(wave, response, fnu)  # (T,)
        dimmed = 10.0 ** (-0.4 * AV_GRID_MAG[:, None] * k[None, :])  # (A, W)
        reddened = compute_band_mean_fnu(wave, response, fnu[:, None, :] * dimmed[None, :, :])
        out[j] = -2.5 * np.log10(reddened / clear[:, None])
    return out


def compute_band_extinction(
    bands: tuple[str, ...],
    teff_k: np.ndarray,
    av_mag: np.ndarray,
    law: str = "G23",
    rv: float = 3.1,
) -> np.ndarray:
    """Band-integrated extinction A_b (mag) of stars of temperature *teff_k* behind *av_mag*.

    Parameters
    ----------
    bands : tuple of str
        Band names (:mod:`sedviz.sed.bands`).
    teff_k, av_mag : ndarray, shape (N,)
        Effective temperature (K; clipped to the grid) and A_V (mag, >= 0).
    law, rv : str, float
        ``dust_extinction`` parameter-average law and R_V.

    Returns
    -------
    ndarray, shape (N, B)
        Extinction in mag; NaN for bands outside the law's range.
    """
    grid = build_band_extinction_grid(tuple(bands), law, rv)
    log_t = np.log10(np.clip(np.asarray(teff_k, float), TEFF_GRID_K[0], TEFF_GRID_K[-1]))
    log_grid = np.log10(TEFF_GRID_K)
    it = np.clip(np.searchsorted(log_grid, log_t) - 1, 0, log_grid.size - 2)
    ft = (log_t - log_grid[it]) / (log_grid[it + 1] - log_grid[it])
    av = np.asarray(av_mag, float)
    ia = np.clip(np.searchsorted(AV_GRID_MAG, av) - 1, 0, AV_GRID_MAG.size - 2)
    fa = (av - AV_GRID_MAG[ia]) / (AV_GRID_MAG[ia + 1] - AV_GRID_MAG[ia])  # > 1 extrapolates
    out = np.empty((av.size, len(bands)))
    for j in range(len(bands)):
        g = grid[j]
        at_lo = g[it, ia] + fa * (g[it, ia + 1] - g[it, ia])
        at_hi = g[it + 1, ia] + fa * (g[it + 1, ia + 1] - g[it + 1, ia])
        out[:, j] = at_lo + ft * (at_hi - at_lo)
    return out


#: Gaia bands of the templates (DR2 system) and their speclite passbands in DR2 and DR3.
GAIA_PASSBANDS: Final = {
    "G": ("speclite:gaiadr2-G", "speclite:gaiadr3-G"),
    "BP": ("speclite:gaiadr2-BP", "speclite:gaiadr3-BP"),
    "RP": ("speclite:gaiadr2-RP", "speclite:gaiadr3-RP"),
}


@lru_cache(maxsize=1)
def build_gaia_dr3_minus_dr2_grid() -> np.ndarray:
    """Synthetic ``m_DR3 - m_DR2`` (mag) of blackbodies on :data:`TEFF_GRID_K` for G, BP, RP.

    Each magnitude is a photon-counting band mean through the ``speclite``
    passband of that release, on the Vega system (the CALSPEC Vega spectrum
    shipped by ``astro-sedpy`` is 0 in both). Returns shape (3, T).
    """
    from sedviz.sed.bands_build import compute_bb_vega_mag, load_curve

    out = np.empty((len(GAIA_PASSBANDS), TEFF_GRID_K.size))
    for j, (dr2, dr3) in enumerate(GAIA_PASSBANDS.values()):
        mags = [compute_bb_vega_mag(*load_curve(f), TEFF_GRID_K) for f in (dr2, dr3)]
        out[j] = mags[1] - mags[0]
    return out


def compute_gaia_dr3_minus_dr2(teff_k: np.ndarray) -> np.ndarray:
    """Synthetic DR3 minus DR2 magnitude (mag) in G, BP, RP at each Teff: shape (N, 3)."""
    grid = build_gaia_dr3_minus_dr2_grid()
    log_t = np.log10(np.clip(np.asarray(teff_k, float), TEFF_GRID_K[0], TEFF_GRID_K[-1]))
    return np.stack([np.interp(log_t, np.log10(TEFF_GRID_K), row) for row in grid], axis=1)
