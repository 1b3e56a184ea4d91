"""A temperature for every star: a scaled blackbody fitted to all its bands.

:func:`compute_sed_fit` fits ``m_b = M_b(T) + mu`` to the cleaned magnitudes of
every star at once, where ``M_b(T)`` is the band-integrated Vega magnitude of a
blackbody of unit dilution (cached in ``sedviz/data/bands.json``) and
``mu = -2.5 log10((R/d)**2)``. Weights are ``1 / (sigma_m**2 + sys**2)``; the
systematic term ``sys_error_mag`` stands for what a blackbody cannot describe
(line blanketing, Balmer jump) and stops 1-mmag Gaia errors from dominating.

With a parallax (``parallax > 0`` and ``parallax / error >=
min_parallax_over_error``, the error chosen by :mod:`sedviz.catalog.parallax`:
the Hipparcos one where the Gaia DR3 error is missing) it also returns the radius ``R = sqrt(dilution) d``
and luminosity ``L = 4 pi R**2 sigma T**4``. Errors on L and R combine the
Teff and parallax errors in quadrature, ignoring their (negative) correlation
with the fitted dilution: a conservative estimate.

Where a fit is not possible (fewer than ``min_bands`` usable bands, a
temperature outside the grid) the numbers are NaN and ``sed_fit_status`` says
why; nothing raises and nothing is invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final

import astropy.units as u
import numpy as np
import pandas as pd
from astropy import constants as const

from sedviz import columns as C
from sedviz.catalog.parallax import PARALLAX_SNR_MIN, compute_parallax
from sedviz.sed.bands import BAND_NAMES, compute_bb_mag_grid, get_band
from sedviz.sed.dust import compute_extinction_curve, load_extinction_law
from sedviz.sed.gridfit import compute_grid_fit
from sedviz.sed.photometry import compute_band_magnitudes

#: Bands fitted by default (see docs/sed.md for why these).
DEFAULT_FIT_BANDS: Final[tuple[str, ...]] = BAND_NAMES
#: Systematic error added in quadrature to every band, mag.
DEFAULT_SYS_ERROR_MAG: Final = 0.02
#: Minimum usable bands for a fit (2 parameters + 1 degree of freedom).
DEFAULT_MIN_BANDS: Final = 3
#: Minimum parallax signal-to-noise for luminosity and radius.
DEFAULT_MIN_PARALLAX_OVER_ERROR: Final = PARALLAX_SNR_MIN

STATUS_OK: Final = "ok"
_L_SUN_W: Final = float(const.L_sun.to_value(u.W))  # IAU 2015 nominal, 3.828e26 W
_R_SUN_M: Final = float(const.R_sun.to_value(u.m))  # IAU 2015 nominal, 6.957e8 m
_PC_M: Final = float(u.pc.to(u.m))
_SIGMA_SB: Final = float(const.sigma_sb.to_value(u.W / u.m**2 / u.K**4))
_RAD_TO_MAS: Final = float(u.rad.to(u.mas))


@lru_cache(maxsize=16)
def compute_extinction_ratios(
    bands: tuple[str, ...], law: str = "G23", rv: float = 3.1
) -> np.ndarray:
    """``A_band / A_V`` at each band's pivot wavelength for a ``dust_extinction`` law.

    Parameters
    ----------
    bands : tuple of str
        Band names.
    law : str
        Class name in ``dust_extinction.parameter_averages`` (``"G23"``,
        ``"F99"``, ``"CCM89"``...).
    rv : float
        Total-to-selective extinction ``R_V``.

    Returns
    -------
    ndarray, shape (B,)
        NaN for bands outside the law's wavelength range (they are then left
        out of a de-reddened fit).

    Raises
    ------
    ValueError
        If *law* is not a parameter-average law of ``dust_extinction``.
    """
    model = load_extinction_law(law, rv)
    return compute_extinction_curve(model, np.array([get_band(b).pivot_um for b in bands]))


def compute_sed_fit(
    table: pd.DataFrame,
    bands: Sequence[str] = DEFAULT_FIT_BANDS,
    *,
    av: float | np.ndarray = 0.0,
    extinction_law: str = "G23",
    rv: float = 3.1,
    sys_error_mag: float = DEFAULT_SYS_ERROR_MAG,
    min_bands: int = DEFAULT_MIN_BANDS,
    min_parallax_over_error: float = DEFAULT_MIN_PARALLAX_OVER_ERROR,
) -> pd.DataFrame:
    """Fit a scaled blackbody to every star of *table* (vectorised).

    Parameters
    ----------
    table : DataFrame
        Star table with Gaia-archive column names.
    bands : sequence of str
        Bands to fit (others are ignored even when present).
    av : float or ndarray of shape (N,)
        V-band extinction to remove before fitting, mag (0: no de-reddening).
    extinction_law, rv : str, float
        ``dust_extinction`` law and ``R_V`` used when ``av`` is not 0.
    sys_error_mag : float
        Systematic error added in quadrature to every band, mag.
    min_bands : int
        Fewer usable bands than this: fit not possible (status says so).
    min_parallax_over_error : float
        Parallax signal-to-noise required for luminosity and radius.

    Returns
    -------
    DataFrame
        Same index as *table*; columns ``teff``, ``teff_error`` (K),
        ``sed_chi2_dof``, ``sed_n_bands``, ``sed_fit_status``,
        ``angular_diameter_mas``, ``luminosity_lsun``, ``luminosity_lsun_error``,
        ``radius_rsun``, ``radius_rsun_error``, ``luminosity_status``.
    """
    bands = tuple(bands)
    mags = compute_band_magnitudes(table, bands)
    mag = mags.mag
    if np.any(np.asarray(av) != 0):
        ratios = compute_extinction_ratios(bands, extinction_law, float(rv))
        mag = mag - np.asarray(av, float).reshape(-1, 1) * ratios[None, :]
    weight = 1.0 / (mags.mag_error**2 + sys_error_mag**2)
    weight = np.where(np.isfinite(mag) & np.isfinite(weight), weight, 0.0)
    teff_grid, model = compute_bb_mag_grid(bands)
    fit = compute_grid_fit(mag, weight, model, teff_grid)
    status = _fit_status(fit.n_bands, fit.at_edge, min_bands)
    good = status == STATUS_OK
    dof = fit.n_bands - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        chi2_dof = np.where(good, fit.chi2 / dof, np.nan)
        inflate = np.sqrt(np.maximum(chi2_dof, 1.0))
    teff = np.where(good, fit.teff, np.nan)
    ln_t_err = fit.ln_teff_sigma * inflate
    dilution = np.where(good, 10.0 ** (-0.4 * fit.offset), np.nan)
    out = pd.DataFrame(
        {
            C.TEFF: teff,
            C.TEFF_ERROR: teff * ln_t_err,
            C.SED_CHI2_DOF: chi2_dof,
            C.SED_N_BANDS: fit.n_bands.astype("int64"),
            C.SED_FIT_STATUS: status,
            C.ANGULAR_DIAMETER_MAS: 2.0 * np.sqrt(dilution) * _RAD_TO_MAS,
        },
        index=table.index,
    )
    return out.join(_luminosity_frame(table, teff, ln_t_err, dilution, min_parallax_over_error))


def _fit_status(n_bands: np.ndarray, at_edge: np.ndarray, min_bands: int) -> np.ndarray:
    status = np.full(len(n_bands), STATUS_OK, dtype=object)
    status[at_edge] = "teff at the limit of the 2000-50000 K grid: unconstrained"
    few = n_bands < min_bands
    status[few] = [f"only {n} usable band(s), {min_bands} needed" for n in n_bands[few]]
    status[n_bands == 0] = "no usable bands"
    return status


def _luminosity_frame(
    table: pd.DataFrame,
    teff: np.ndarray,
    ln_t_err: np.ndarray,
    dilution: np.ndarray,
    min_snr: float,
) -> pd.DataFrame:
    plx, plx_err = compute_parallax(table)  # Hipparcos error where the Gaia one is missing
    status = np.full(len(table), STATUS_OK, dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        snr = plx / plx_err
    status[~(snr >= min_snr)] = f"parallax / error below {min_snr:g}"
    status[~np.isfinite(plx_err) | (plx_err <= 0)] = "no parallax error"
    status[~(plx > 0)] = "no positive parallax"
    status[~np.isfinite(plx)] = "no parallax"
    status[~np.isfinite(teff)] = "no Teff fit"
    good = status == STATUS_OK
    with np.errstate(invalid="ignore", divide="ignore"):
        dist_m = np.where(good, 1000.0 / plx * _PC_M, np.nan)
        radius_m = np.sqrt(dilution) * dist_m
        lum_w = 4 * np.pi * radius_m**2 * _SIGMA_SB * teff**4
        ln_plx_err = plx_err / plx
    radius = radius_m / _R_SUN_M
    lum = lum_w / _L_SUN_W
    return pd.DataFrame(
        {
            C.LUMINOSITY_LSUN: lum,
            C.LUMINOSITY_LSUN_ERROR: lum * np.hypot(4 * ln_t_err, 2 * ln_plx_err),
            C.RADIUS_RSUN: radius,
            C.RADIUS_RSUN_ERROR: radius * np.hypot(2 * ln_t_err, ln_plx_err),
            C.LUMINOSITY_STATUS: status,
        },
        index=table.index,
    )
