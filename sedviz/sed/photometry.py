"""Magnitudes to flux densities, with errors, for a whole table or one star.

Rules, applied the same way everywhere:

* **Missing stays missing.** NaN, non-finite values and catalogue sentinels
  (magnitudes ``>= 50`` or ``<= -50`` such as 99/-99, and a magnitude of exactly
  0) are missing; a missing band is never drawn or fitted as zero.
* **Errors.** A band's error comes from its error column (Gaia: from
  ``flux_over_error``, ``sigma_m = 2.5 / ln 10 / (F / sigma_F)``). When the table
  has **no error column** for the band, or the catalogue wrote 0 ("no value"),
  the band's documented ``default_error_mag`` is used and flagged as
  ``"default floor"``. When the error column exists but the value is NaN (for
  example a 2MASS upper limit), or Gaia's flux over error is zero or negative
  (a zero or negative flux), the band is **dropped**: it cannot be weighed.
* **Derived bands.** Johnson B and Cousins I are ``V + (B-V)`` and
  ``V - (V-I)``; their error is ``sqrt(sigma_V**2 + sigma_colour**2)``. They are
  labelled ``"derived"``, never ``"measured"``.

Units: ``F_nu`` in Jy, ``F_lambda`` in erg s^-1 cm^-2 A^-1, ``lambda F_lambda``
in erg s^-1 cm^-2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import astropy.units as u
import numpy as np
import pandas as pd
from astropy import constants as const

from sedviz import columns as C
from sedviz.sed.bands import ERROR_FLUX_OVER_ERROR, BandSpec, get_band, get_bands

#: Magnitudes at or beyond this absolute value are catalogue sentinels.
SENTINEL_ABS_MAG: Final = 50.0
_POGSON: Final = 2.5 / np.log(10.0)  # 1.0857 mag per unit fractional flux error
_C_UM_HZ: Final = float(const.c.to_value(u.micron / u.s))  # speed of light, micron / s
_JY_CGS: Final = float(u.Jy.to(u.erg / u.s / u.cm**2 / u.Hz))

SOURCE_MEASURED: Final = "measured"
SOURCE_DERIVED: Final = "derived"
SOURCE_NOT_MEASURED: Final = "not measured"
ERROR_FROM_CATALOGUE: Final = "catalogue"
ERROR_FROM_FLOOR: Final = "default floor"


@dataclass(frozen=True)
class BandMagnitudes:
    """Cleaned magnitudes of N stars in B bands.

    Attributes
    ----------
    bands : tuple of str
        Band names, the column order of the arrays.
    mag, mag_error : ndarray, shape (N, B)
        Vega magnitudes and 1-sigma errors, mag; NaN where unusable.
    error_is_floor : ndarray of bool, shape (N, B)
        True where the error is the band's default floor.
    """

    bands: tuple[str, ...]
    mag: np.ndarray
    mag_error: np.ndarray
    error_is_floor: np.ndarray


def clean_magnitudes(values: Any) -> np.ndarray:
    """Return magnitudes as float with sentinels (99, -99, 0) and non-finite set to NaN."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        mag = values.astype(float).ravel()  # already numbers: nothing to coerce
    else:
        mag = np.asarray(pd.to_numeric(pd.Series(np.ravel(values)), errors="coerce"), dtype=float)
    bad = ~np.isfinite(mag) | (np.abs(mag) >= SENTINEL_ABS_MAG) | (mag == 0.0)
    return np.where(bad, np.nan, mag)


def _column(table: pd.DataFrame, name: str | None) -> np.ndarray | None:
    if name is None or name not in table.columns:
        return None
    column = table[name]
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
        return column.to_numpy(dtype=float)  # already numbers: nothing to coerce
    return np.asarray(pd.to_numeric(column, errors="coerce"), dtype=float)


def _error_mag(table: pd.DataFrame, spec: BandSpec) -> np.ndarray | None:
    raw = _column(table, spec.error_column)
    if raw is None:
        return None
    if spec.error_kind == ERROR_FLUX_OVER_ERROR:
        with np.errstate(divide="ignore", invalid="ignore"):
            # flux/error <= 0 means a zero or negative flux: the band is unusable
            return np.where(raw > 0, _POGSON / raw, np.nan)
    return raw


def _band_columns(table: pd.DataFrame, spec: BandSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Magnitude, error and floor flag of one band for every row of *table*."""
    n = len(table)
    mag_col = _column(table, spec.mag_column)
    mag = clean_magnitudes(mag_col) if mag_col is not None else np.full(n, np.nan)
    err = _error_mag(table, spec)
    if spec.derived:
        colour = _column(table, spec.colour_column)
        colour = np.full(n, np.nan) if colour is None else colour
        colour = np.where(np.abs(colour) >= SENTINEL_ABS_MAG, np.nan, colour)
        mag = mag + spec.colour_sign * colour
        err = _column(table, spec.colour_error_column)
    if err is None:
        return mag, np.full(n, spec.default_error_mag), np.ones(n, bool)
    floor = np.isfinite(err) & (err <= 0)  # catalogue "0 = no value"
    err = np.where(floor, spec.default_error_mag, err)
    if spec.derived:
        v_err = get_band("V").spec.default_error_mag
        err = np.hypot(err, v_err)
    mag = np.where(np.isnan(err), np.nan, mag)  # error column present but empty: drop
    return mag, err, floor


def compute_band_magnitudes(
    table: pd.DataFrame, bands: Sequence[str] | None = None
) -> BandMagnitudes:
    """Read and clean the magnitudes of every star in every band.

    Parameters
    ----------
    table : DataFrame
        Star table with Gaia-archive column names (any subset of band columns).
    bands : sequence of str, optional
        Band names (default: every band in :data:`sedviz.sed.bands.BAND_NAMES`).

    Returns
    -------
    BandMagnitudes
        Arrays of shape (N, B); missing bands are NaN, never zero.
    """
    specs = [b.spec for b in get_bands(list(bands) if bands is not None else None)]
    parts = [_band_columns(table, spec) for spec in specs]
    mag = np.column_stack([p[0] for p in parts]) if parts else np.empty((len(table), 0))
    err = np.column_stack([p[1] for p in parts]) if parts else np.empty((len(table), 0))
    floor = np.column_stack([p[2] for p in parts]) if parts else np.empty((len(table), 0), bool)
    err = np.where(np.isnan(mag), np.nan, err)
    return BandMagnitudes(tuple(s.name for s in specs), mag, err, floor & ~np.isnan(mag))


def compute_flux_jy(mag: Any, mag_error: Any, zero_point_jy: Any) -> tuple[np.ndarray, np.ndarray]:
    """Vega magnitude to ``F_nu`` (Jy) with first-order error propagation.

    ``F = ZP * 10**(-0.4 m)`` and ``sigma_F = F * sigma_m / 1.0857``.
    Arrays broadcast; NaN in gives NaN out.
    """
    mag = np.asarray(mag, float)
    flux = np.asarray(zero_point_jy, float) * 10.0 ** (-0.4 * mag)
    return flux, flux * np.asarray(mag_error, float) / _POGSON


def compute_lam_flam(flux_jy: Any, wavelength_um: Any) -> np.ndarray:
    """``lambda F_lambda = nu F_nu`` in erg s^-1 cm^-2 from ``F_nu`` (Jy) at *wavelength_um*."""
    return np.asarray(flux_jy, float) * _JY_CGS * _C_UM_HZ / np.asarray(wavelength_um, float)


def compute_flam(flux_jy: Any, wavelength_um: Any) -> np.ndarray:
    """``F_lambda`` in erg s^-1 cm^-2 A^-1 from ``F_nu`` (Jy) at *wavelength_um*."""
    return compute_lam_flam(flux_jy, wavelength_um) / (np.asarray(wavelength_um, float) * 1e4)


def compute_flux_frame(table: pd.DataFrame, bands: Sequence[str] | None = None) -> pd.DataFrame:
    """Return ``<band>_flux_jy`` and ``<band>_flux_error_jy`` for every star (wide table).

    Vectorised over the table; index preserved; missing bands are NaN.
    """
    mags = compute_band_magnitudes(table, bands)
    zp = np.array([get_band(b).zero_point_jy for b in mags.bands])
    flux, flux_err = compute_flux_jy(mags.mag, mags.mag_error, zp[None, :])
    out: dict[str, np.ndarray] = {}
    for i, name in enumerate(mags.bands):
        out[f"{name}_flux_jy"] = flux[:, i]
        out[f"{name}_flux_error_jy"] = flux_err[:, i]
    return pd.DataFrame(out, index=table.index)


@lru_cache(maxsize=1)
def _band_column_names() -> tuple[str, ...]:
    """Every column :func:`compute_band_magnitudes` reads (magnitudes, errors, colours)."""
    specs = [band.spec for band in get_bands()]
    names = [(s.mag_column, s.error_column, s.colour_column, s.colour_error_column) for s in specs]
    return tuple(dict.fromkeys(name for group in names for name in group if name))


def compute_sed_points(row: Mapping[str, Any] | pd.Series) -> pd.DataFrame:
    """Return the SED of one star: one row per band, blue to red.

    Columns (names in :mod:`sedviz.columns`): ``band``, ``survey``,
    ``wavelength_um`` (pivot, micron), ``mag``, ``mag_error`` (Vega mag),
    ``flux_jy``, ``flux_error_jy`` (Jy), ``lam_flam``, ``lam_flam_error``
    (erg s^-1 cm^-2), ``source`` (``"measured"``, ``"derived"`` or
    ``"not measured"``) and ``error_source`` (``"catalogue"`` or
    ``"default floor"``). Bands not measured keep NaN values.
    """
    # Only the columns the bands read: a one-row frame of every column of a catalogue
    # row made a pyarrow string array of each text column (issue #18.12).
    table = pd.DataFrame({name: [row[name]] for name in _band_column_names() if name in row})
    mags = compute_band_magnitudes(table)
    bands = get_bands(list(mags.bands))
    wave = np.array([b.pivot_um for b in bands])
    zp = np.array([b.zero_point_jy for b in bands])
    flux, flux_err = compute_flux_jy(mags.mag[0], mags.mag_error[0], zp)
    measured = ~np.isnan(mags.mag[0])
    derived = np.array([b.spec.derived for b in bands])
    source = np.where(
        ~measured, SOURCE_NOT_MEASURED, np.where(derived, SOURCE_DERIVED, SOURCE_MEASURED)
    )
    err_source = np.where(
        ~measured, "", np.where(mags.error_is_floor[0], ERROR_FROM_FLOOR, ERROR_FROM_CATALOGUE)
    )
    return pd.DataFrame(
        {
            C.SED_BAND: [b.name for b in bands],
            C.SED_SURVEY: [b.survey for b in bands],
            C.SED_WAVELENGTH_UM: wave,
            C.SED_MAG: mags.mag[0],
            C.SED_MAG_ERROR: mags.mag_error[0],
            C.SED_FLUX_JY: flux,
            C.SED_FLUX_ERROR_JY: flux_err,
            C.SED_LAM_FLAM: compute_lam_flam(flux, wave),
            C.SED_LAM_FLAM_ERROR: compute_lam_flam(flux_err, wave),
            C.SED_SOURCE: source,
            C.SED_ERROR_SOURCE: err_source,
        }
    )
