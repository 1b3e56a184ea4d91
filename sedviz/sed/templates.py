"""Pecaut & Mamajek mean dwarf templates and the empirical colour-Teff estimate.

The table ``EEM_dwarf_UBVIJHK_colors_Teff.txt`` (E. Mamajek, version
2022.04.16, shipped by the ``meanstars`` package; Pecaut & Mamajek 2013, ApJS
208, 9) gives, per dwarf spectral type, Teff and mean colours. From the colours
we build a **template** magnitude in every band relative to V:

``B = (B-V)``, ``I = -(V-Ic)``, ``G = (G-V)``, ``RP = G - (G-Rp)``,
``BP = RP + (Bp-Rp)``, ``VT = 0.090 (Bt-Vt)`` (the ESA 1997 relation
``V = VT - 0.090 (BT-VT)``), ``BT = VT + (Bt-Vt)``, ``Ks = -(V-Ks)``,
``H = Ks + (H-Ks)``, ``J = H + (J-H)``, ``W1 = Ks - (Ks-W1)``, ``W2..W4`` from
``W1-W2..W1-W4``. Hp has no template (no Hp colour in the table). The Gaia
colours are DR2 ones; DR3 differs by about 0.01-0.03 mag for bright stars.

Templates are for **display and comparison only**: they are labelled
``"template"`` and must never become classifier features (they encode the type).

:func:`compute_teff_empirical` fits the same template sequence, as a function
of Teff, to a star's magnitudes with a free offset (the colour-Teff method
using every colour at once): the empirical alternative to the blackbody.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.sed.bands import get_band
from sedviz.sed.gridfit import compute_grid_fit
from sedviz.sed.photometry import compute_band_magnitudes, compute_flux_jy, compute_lam_flam

#: Spectral class letters of the table, in type-code order (O0 = 0, B0 = 10, ...).
TYPE_LETTERS: Final = "OBAFGKMLTY"
#: Bands a template defines (blue to red).
TEMPLATE_BANDS: Final = (
    "BT",
    "B",
    "BP",
    "VT",
    "V",
    "G",
    "RP",
    "I",
    "J",
    "H",
    "Ks",
    "W1",
    "W2",
    "W3",
    "W4",
)
#: Bands used by the empirical Teff (the WISE colours start too late in type).
EMPIRICAL_BANDS: Final = ("BT", "B", "BP", "VT", "V", "G", "RP", "I", "J", "H", "Ks")
SOURCE_TEMPLATE: Final = "template"
_MAMAJEK_FILE: Final = "EEM_dwarf_UBVIJHK_colors_Teff.txt"
_N_GRID: Final = 400


def compute_type_code(sp_class: Any, sp_subclass: Any) -> np.ndarray:
    """Numeric type ``10 * index(letter) + subclass`` (O0 = 0, A0 = 20, G2 = 42); NaN if unknown."""
    letters = np.atleast_1d(np.asarray(sp_class, dtype=object))
    sub = np.atleast_1d(
        np.asarray(pd.to_numeric(pd.Series(np.ravel(sp_subclass)), errors="coerce"), float)
    )
    index = np.array([TYPE_LETTERS.find(str(x)) if str(x) else -1 for x in letters], float)
    return np.where(index >= 0, 10.0 * index + sub, np.nan)


@lru_cache(maxsize=1)
def load_mamajek_table() -> pd.DataFrame:
    """Return the dwarf sequence: ``spt``, ``type_code``, ``teff`` (K) and colours (mag).

    Cached per process (static package data); ``...`` entries become NaN.
    """
    text = (resources.files("MeanStars") / _MAMAJEK_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("SpT "))
    header = lines[start].split()
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip() or line.startswith("#"):
            break
        rows.append(line.split()[: len(header)])
    frame = pd.DataFrame(rows, columns=header).drop(columns=["#SpT"], errors="ignore")
    numeric = frame.drop(columns=["SpT"]).apply(pd.to_numeric, errors="coerce")
    spt = frame["SpT"].str.extract(r"^([A-Z])([0-9.]+)")
    numeric.insert(0, "type_code", compute_type_code(spt[0].to_numpy(), spt[1].to_numpy()))
    numeric.insert(0, "spt", frame["SpT"])
    return numeric.rename(columns={"Teff": "teff"})


@lru_cache(maxsize=1)
def load_template_mags() -> pd.DataFrame:
    """Template magnitude relative to V per band (columns :data:`TEMPLATE_BANDS`), one row per type.

    Index: the table's ``type_code``; extra columns ``spt`` and ``teff`` (K).
    """
    t = load_mamajek_table()
    vt = 0.090 * t["Bt-Vt"]
    g = t["G-V"]
    rp = g - t["G-Rp"]
    ks = -t["V-Ks"]
    h = ks + t["H-Ks"]
    w1 = ks - t["Ks-W1"]
    mags = {
        "BT": vt + t["Bt-Vt"], "B": t["B-V"], "BP": rp + t["Bp-Rp"], "VT": vt,
        "V": 0.0 * t["B-V"], "G": g, "RP": rp, "I": -t["V-Ic"], "J": h + t["J-H"], "H": h,
        "Ks": ks, "W1": w1, "W2": w1 - t["W1-W2"], "W3": w1 - t["W1-W3"], "W4": w1 - t["W1-W4"],
    }  # fmt: skip
    out = pd.DataFrame(mags)[list(TEMPLATE_BANDS)]
    out.insert(0, "teff", t["teff"])
    out.insert(0, "spt", t["spt"])
    return out.set_index(t["type_code"].rename("type_code"))


def compute_teff_of_type(sp_class: Any, sp_subclass: Any) -> np.ndarray:
    """Pecaut & Mamajek dwarf Teff (K) of each type, interpolated in subclass; NaN if unknown."""
    table = load_mamajek_table().dropna(subset=["type_code", "teff"])
    code = compute_type_code(sp_class, sp_subclass)
    x = table["type_code"].to_numpy()
    teff = np.interp(code, x, table["teff"].to_numpy())
    return np.where((code >= x.min()) & (code <= x.max()), teff, np.nan)


def build_template_sed(sp_class: str, sp_subclass: float) -> pd.Series:
    """Template magnitudes relative to V for one type, interpolated in subclass.

    Returns a Series indexed by band; NaN where the table has no colour for
    either neighbouring type (no bridging of gaps in the table) or the type is
    outside the table. Values are for display, never features.
    """
    values = _template_values(str(sp_class), float(sp_subclass))
    return pd.Series(values, index=list(TEMPLATE_BANDS), name=f"{sp_class}{sp_subclass:g}V")


@lru_cache(maxsize=1024)
def _template_values(sp_class: str, sp_subclass: float) -> np.ndarray:
    """:func:`build_template_sed`'s values in :data:`TEMPLATE_BANDS` order (read-only, cached).

    Static package data: one computation per type per process, not one per click
    on a star (issue #18.12); types are a class letter and a subclass, a small set.
    """
    code = float(compute_type_code([sp_class], [sp_subclass])[0])
    mags = load_template_mags()
    x = mags.index.to_numpy(float)
    if not np.isfinite(code) or not x.min() <= code <= x.max():
        values = np.full(len(TEMPLATE_BANDS), np.nan)
    else:
        hi = int(np.searchsorted(x, code))
        lo = hi if x[hi] == code else hi - 1
        frac = 0.0 if hi == lo else (code - x[lo]) / (x[hi] - x[lo])
        table = mags[list(TEMPLATE_BANDS)].to_numpy(float)
        values = table[lo] * (1 - frac)
        values += table[hi] * frac
    values.flags.writeable = False
    return values


def compute_template_points(template: pd.Series, points: pd.DataFrame) -> pd.DataFrame:
    """Scale a template to a star's SED points (weighted mean offset) for drawing.

    Parameters
    ----------
    template : Series
        From :func:`build_template_sed`.
    points : DataFrame
        From :func:`sedviz.sed.photometry.compute_sed_points`.

    Returns
    -------
    DataFrame
        Columns ``band``, ``wavelength_um``, ``mag``, ``flux_jy``, ``lam_flam``,
        ``source`` (= ``"template"``), one row per band the template defines;
        empty when the star shares no band with the template.
    """
    row_of = {band: i for i, band in enumerate(points[C.SED_BAND].tolist())}
    star_mag = points[C.SED_MAG].to_numpy(float)
    star_error = points[C.SED_MAG_ERROR].to_numpy(float)
    bands = [str(band) for band in template.index]
    values = template.to_numpy(float)
    known = ~np.isnan(values)
    shared = [
        (i, row_of[band])
        for i, band in enumerate(bands)
        if known[i] and band in row_of and np.isfinite(star_mag[row_of[band]])
    ]
    columns = [
        C.SED_BAND,
        C.SED_WAVELENGTH_UM,
        C.SED_MAG,
        C.SED_FLUX_JY,
        C.SED_LAM_FLAM,
        C.SED_SOURCE,
    ]
    if not shared:
        return pd.DataFrame(columns=columns)
    in_template, in_star = (np.array(ix) for ix in zip(*shared, strict=True))
    w = 1.0 / star_error[in_star] ** 2
    diff = star_mag[in_star] - values[in_template]
    drawn = [band for band, ok in zip(bands, known, strict=True) if ok]
    mag = values[known] + float(np.sum(w * diff) / np.sum(w))
    wave = np.array([get_band(b).pivot_um for b in drawn])
    flux, _ = compute_flux_jy(mag, 0.0, [get_band(b).zero_point_jy for b in drawn])
    return pd.DataFrame(
        {
            C.SED_BAND: drawn,
            C.SED_WAVELENGTH_UM: wave,
            C.SED_MAG: mag,
            C.SED_FLUX_JY: flux,
            C.SED_LAM_FLAM: compute_lam_flam(flux, wave),
            C.SED_SOURCE: SOURCE_TEMPLATE,
        }
    )


@lru_cache(maxsize=8)
def _empirical_grid(bands: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Template magnitudes on a log-Teff grid over the range where all *bands* are known."""
    mags = load_template_mags().dropna(subset=["teff", *bands]).sort_values("teff")
    ln_t = np.log(mags["teff"].to_numpy(float))
    grid = np.linspace(ln_t.min(), ln_t.max(), _N_GRID)
    model = np.column_stack([np.interp(grid, ln_t, mags[b].to_numpy(float)) for b in bands])
    return np.exp(grid), model


def compute_teff_empirical(
    table: pd.DataFrame,
    bands: Sequence[str] = EMPIRICAL_BANDS,
    *,
    sys_error_mag: float = 0.02,
    min_bands: int = 3,
) -> pd.DataFrame:
    """Teff from the Pecaut & Mamajek dwarf colour sequence, for every star (vectorised).

    Bands with no template colour over the whole grid are not used. The grid
    spans the types where all used bands have colours. Stars whose best match
    is at a grid end, or with fewer than *min_bands* bands, get NaN and a reason.

    Returns
    -------
    DataFrame
        Same index as *table*; ``teff_empirical``, ``teff_empirical_error`` (K),
        ``teff_empirical_status``.
    """
    bands = tuple(b for b in bands if b in TEMPLATE_BANDS)
    mags = compute_band_magnitudes(table, bands)
    weight = 1.0 / (mags.mag_error**2 + sys_error_mag**2)
    weight = np.where(np.isfinite(mags.mag), weight, 0.0)
    teff_grid, model = _empirical_grid(bands)
    fit = compute_grid_fit(mags.mag, weight, model, teff_grid)
    status = np.full(len(table), "ok", dtype=object)
    lo, hi = teff_grid[0], teff_grid[-1]
    status[fit.at_edge] = f"outside the dwarf sequence range {lo:.0f}-{hi:.0f} K"
    few = fit.n_bands < min_bands
    status[few] = [f"only {n} usable band(s), {min_bands} needed" for n in fit.n_bands[few]]
    good = status == "ok"
    with np.errstate(invalid="ignore", divide="ignore"):
        inflate = np.sqrt(np.maximum(fit.chi2 / (fit.n_bands - 2), 1.0))
    teff = np.where(good, fit.teff, np.nan)
    return pd.DataFrame(
        {
            C.TEFF_EMPIRICAL: teff,
            C.TEFF_EMPIRICAL_ERROR: teff * fit.ln_teff_sigma * inflate,
            C.TEFF_EMPIRICAL_STATUS: status,
        },
        index=table.index,
    )
