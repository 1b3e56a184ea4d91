"""The band registry: which photometric bands an SED is built from.

Each :class:`Band` says which table column(s) it reads and, from the static
package data ``sedviz/data/bands.json``, its pivot wavelength and Vega zero
point. Those two numbers are **computed** from the filter transmission curves
shipped by ``speclite`` / ``astro-sedpy`` and the CALSPEC Vega spectrum shipped
by ``astro-sedpy`` (see :mod:`sedviz.sed.bands_build`, which regenerates the file);
nothing here is typed in by hand except which curve belongs to which band.

Conventions
-----------
* Photon-counting detectors for every band: pivot wavelength
  ``lambda_p**2 = int(R lambda) / int(R / lambda)`` and band-mean flux density
  ``<F_nu> = int(F_nu R / lambda) / int(R / lambda)``.
* Vega has magnitude 0 in every band (the zero point is Vega's band-mean
  ``F_nu``). Published systems differ by up to ~0.03 mag (Johnson V of Vega is
  often taken as 0.03); the tests state the agreement reached.
* Johnson B and Cousins I are **derived**, never measured here: ``B = V + (B-V)``
  and ``I = V - (V-I)`` from the catalogue colours (``Band.derived``).

Examples
--------
>>> from sedviz.sed.bands import get_band
>>> round(get_band("Ks").pivot_um, 2)
2.16
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C

#: The computed band table (pivots, zero points, blackbody grid).
BANDS_JSON_PATH: Final = Path(__file__).parents[1] / "data" / "bands.json"

# Error kinds: how the catalogue states a band's uncertainty.
ERROR_MAG: Final = "mag"  #: an error column in magnitudes
ERROR_FLUX_OVER_ERROR: Final = "flux_over_error"  #: Gaia's flux signal-to-noise


@dataclass(frozen=True)
class BandSpec:
    """What a band is and which columns it reads (hand-written, no numbers).

    Attributes
    ----------
    name : str
        Short band name used everywhere (``"G"``, ``"Ks"``...).
    survey : str
        Survey or photometric system, used to colour points in the figure.
    filter_id : str
        ``"speclite:<name>"`` or ``"sedpy:<name>"``: the transmission curve.
    mag_column : str
        Column holding the Vega magnitude (for derived bands: Johnson V).
    error_column : str or None
        Column holding the error (magnitudes, or Gaia flux over error).
    error_kind : str
        :data:`ERROR_MAG` or :data:`ERROR_FLUX_OVER_ERROR`.
    default_error_mag : float
        Error floor (mag) used when the table has no error column at all.
    colour_column, colour_error_column : str or None
        For derived bands: the catalogue colour and its error.
    colour_sign : int
        ``m = V + colour_sign * colour`` for derived bands.
    """

    name: str
    survey: str
    filter_id: str
    mag_column: str
    error_column: str | None
    error_kind: str = ERROR_MAG
    default_error_mag: float = 0.03
    colour_column: str | None = None
    colour_error_column: str | None = None
    colour_sign: int = 0

    @property
    def derived(self) -> bool:
        """True when the magnitude is computed from V and a colour."""
        return self.colour_column is not None


#: Every band, blue to red. Default errors (mag) apply only when the table has
#: no error column for the band: Gaia values are the DR3 bright-star
#: calibration level (Riello et al. 2021, ~0.01 mag systematics for G < 8);
#: others are typical catalogue errors of bright stars.
BAND_SPECS: Final[tuple[BandSpec, ...]] = (
    BandSpec("BT", "Tycho", "sedpy:hipparcos_B", C.BT_MAG, C.BT_MAG_ERROR, default_error_mag=0.05),
    BandSpec(
        "B",
        "Johnson-Cousins",
        "speclite:bessell-B",
        C.V_MAG,
        None,
        colour_column=C.B_V,
        colour_error_column=C.B_V_ERROR,
        colour_sign=+1,
    ),
    BandSpec(
        "BP",
        "Gaia",
        "speclite:gaiadr3-BP",
        C.BP_MAG,
        C.BP_FLUX_OVER_ERROR,
        ERROR_FLUX_OVER_ERROR,
        default_error_mag=0.02,
    ),
    BandSpec("VT", "Tycho", "sedpy:hipparcos_V", C.VT_MAG, C.VT_MAG_ERROR, default_error_mag=0.05),
    BandSpec(
        "Hp", "Hipparcos", "sedpy:hipparcos_H", C.HP_MAG, C.HP_MAG_ERROR, default_error_mag=0.01
    ),
    BandSpec("V", "Johnson-Cousins", "speclite:bessell-V", C.V_MAG, None, default_error_mag=0.02),
    BandSpec(
        "G",
        "Gaia",
        "speclite:gaiadr3-G",
        C.G_MAG,
        C.G_FLUX_OVER_ERROR,
        ERROR_FLUX_OVER_ERROR,
        default_error_mag=0.01,
    ),
    BandSpec(
        "RP",
        "Gaia",
        "speclite:gaiadr3-RP",
        C.RP_MAG,
        C.RP_FLUX_OVER_ERROR,
        ERROR_FLUX_OVER_ERROR,
        default_error_mag=0.02,
    ),
    BandSpec(
        "I",
        "Johnson-Cousins",
        "speclite:bessell-I",
        C.V_MAG,
        None,
        colour_column=C.V_I,
        colour_error_column=C.V_I_ERROR,
        colour_sign=-1,
    ),
    BandSpec("J", "2MASS", "speclite:twomass-J", C.J_MAG, C.J_MAG_ERROR),
    BandSpec("H", "2MASS", "speclite:twomass-H", C.H_MAG, C.H_MAG_ERROR),
    BandSpec("Ks", "2MASS", "speclite:twomass-Ks", C.KS_MAG, C.KS_MAG_ERROR),
    BandSpec(
        "W1", "WISE", "speclite:wise2010-W1", C.W1_MAG, C.W1_MAG_ERROR, default_error_mag=0.05
    ),
    BandSpec(
        "W2", "WISE", "speclite:wise2010-W2", C.W2_MAG, C.W2_MAG_ERROR, default_error_mag=0.05
    ),
    BandSpec(
        "W3", "WISE", "speclite:wise2010-W3", C.W3_MAG, C.W3_MAG_ERROR, default_error_mag=0.05
    ),
    BandSpec(
        "W4", "WISE", "speclite:wise2010-W4", C.W4_MAG, C.W4_MAG_ERROR, default_error_mag=0.08
    ),
)

#: Band names, blue to red.
BAND_NAMES: Final[tuple[str, ...]] = tuple(spec.name for spec in BAND_SPECS)


@dataclass(frozen=True)
class Band:
    """A band with its computed properties.

    Attributes
    ----------
    spec : BandSpec
        Columns and curve.
    pivot_um : float
        Pivot wavelength, micron.
    zero_point_jy : float
        Flux density of magnitude 0 (Vega's band mean), Jy.
    """

    spec: BandSpec
    pivot_um: float
    zero_point_jy: float

    @property
    def name(self) -> str:
        """Band name."""
        return self.spec.name

    @property
    def survey(self) -> str:
        """Survey or photometric system."""
        return self.spec.survey


@lru_cache(maxsize=1)
def load_band_data() -> dict[str, Any]:
    """Return the computed band table read from ``sedviz/data/bands.json``.

    Cached per process (static package data). Keys: ``"bands"`` (per band:
    ``pivot_um``, ``zero_point_jy``, ``bb_vega_mag``), ``"teff_grid_k"``,
    ``"provenance"``.
    """
    with BANDS_JSON_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@lru_cache(maxsize=1)
def _bands() -> dict[str, Band]:
    rows = load_band_data()["bands"]
    return {
        spec.name: Band(
            spec, float(rows[spec.name]["pivot_um"]), float(rows[spec.name]["zero_point_jy"])
        )
        for spec in BAND_SPECS
    }


def get_band(name: str) -> Band:
    """Return the :class:`Band` called *name* (``"G"``, ``"Ks"``...).

    Raises
    ------
    ValueError
        If there is no such band.
    """
    try:
        return _bands()[name]
    except KeyError:
        raise ValueError(f"unknown band {name!r}; known: {', '.join(BAND_NAMES)}") from None


def get_bands(names: tuple[str, ...] | list[str] | None = None) -> list[Band]:
    """Return the bands called *names* (all bands, blue to red, when None)."""
    return [get_band(n) for n in (names if names is not None else BAND_NAMES)]


def build_band_frame() -> pd.DataFrame:
    """Return the band registry as a table, one row per band, blue to red.

    Columns: ``band``, ``survey``, ``filter_id``, ``pivot_um`` (micron),
    ``zero_point_jy`` (Jy), ``mag_column``, ``error_column``, ``derived``,
    ``default_error_mag`` (mag).
    """
    return pd.DataFrame(
        [
            {
                C.SED_BAND: b.name,
                C.SED_SURVEY: b.survey,
                "filter_id": b.spec.filter_id,
                "pivot_um": b.pivot_um,
                "zero_point_jy": b.zero_point_jy,
                "mag_column": b.spec.mag_column,
                "error_column": b.spec.error_column or b.spec.colour_error_column,
                "derived": b.spec.derived,
                "default_error_mag": b.spec.default_error_mag,
            }
            for b in get_bands()
        ]
    )


def compute_bb_mag_grid(names: tuple[str, ...] | list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the blackbody magnitude grid for *names*.

    Returns
    -------
    teff_grid_k : ndarray, shape (n_teff,)
        Temperatures, K, log-spaced.
    mags : ndarray, shape (n_teff, n_bands)
        Vega magnitude of a blackbody of unit dilution ``(R/d)**2 = 1``,
        integrated over each band's curve (photon counting).
    """
    data = load_band_data()
    teff = np.asarray(data["teff_grid_k"], dtype=float)
    mags = np.column_stack([np.asarray(data["bands"][n]["bb_vega_mag"], float) for n in names])
    return teff, mags
