"""Absolute template magnitudes per dwarf type, for simulating stars.

Built on :func:`sedviz.sed.templates.load_template_mags` (Pecaut & Mamajek mean dwarf
colours relative to V) plus the table's ``Mv``: the absolute magnitude of a
type in band b is ``Mv + (b - V)``. Types are interpolated linearly in the
numeric type code (``10 * letter index + subclass``), i.e. in subclass.

Gaps in the table
-----------------
The table has no Gaia BP/RP colours hotter than B9V, no G or Tycho colours
hotter than B1.5V, no V-Ic hotter than O9V and no Tycho colours cooler than
M0V. Left empty, these gaps would teach a classifier that "no BP/RP" means
"B star", which no real star obeys. With ``extrapolate=True`` (the default for
simulation) each gap at an end of the sequence is filled by a straight-line
colour-colour relation fitted to the :data:`N_FIT_TYPES` nearest types where
the colour is known: against B-V at the hot end, against V-Ic at the cool end.
Filled entries are returned in a mask and reported in ``docs/simulation.md``;
they are template extrapolations, never measurements and never features of
real stars.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.sed.templates import TEMPLATE_BANDS, load_mamajek_table, load_template_mags

#: Types nearest a gap used to fit its colour-colour line.
N_FIT_TYPES: Final = 6
#: Reference colour (band minus V) of each end: B-V for the hot end, V-Ic (= -I) for the cool end.
_HOT_REFERENCE: Final = "B"
_COOL_REFERENCE: Final = "I"
#: Position of each class letter in the type code (O0 = 0, B0 = 10, ... M0 = 60).
_LETTER_INDEX: Final = {letter: i for i, letter in enumerate(C.SP_CLASSES)}


@lru_cache(maxsize=2)
def build_template_grid(extrapolate: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Absolute template magnitudes per type (O3V-M9.5V) in every template band.

    Parameters
    ----------
    extrapolate : bool
        Fill the colour gaps at the hot and cool ends (see module docstring).

    Returns
    -------
    grid : DataFrame
        Index ``type_code``; columns ``spt`` and :data:`sedviz.sed.templates.TEMPLATE_BANDS`
        holding absolute Vega magnitudes (mag); NaN where unknown. Cached
        (static package data); callers must not modify it.
    filled : DataFrame of bool
        Same shape as the band columns: True where the value was extrapolated.
    """
    rel = load_template_mags()
    mv = load_mamajek_table().set_index("type_code")["Mv"]
    rel = rel[(rel.index < 10.0 * len(C.SP_CLASSES)) & mv.reindex(rel.index).notna().to_numpy()]
    colours = rel.loc[:, list(TEMPLATE_BANDS)].astype(float).copy()
    before = colours.isna()
    if extrapolate:
        _fill_end(colours, _HOT_REFERENCE, hot=True, bands=[_COOL_REFERENCE])
        for band in TEMPLATE_BANDS:
            _fill_end(colours, _HOT_REFERENCE, hot=True, bands=[band])
            _fill_end(colours, _COOL_REFERENCE, hot=False, bands=[band])
    filled = before & colours.notna()
    grid = colours.add(mv.reindex(colours.index), axis=0)
    grid.insert(0, "spt", rel["spt"])
    return grid, filled


def _fill_end(colours: pd.DataFrame, reference: str, *, hot: bool, bands: list[str]) -> None:
    """Fill the NaN run at one end of each band with a line in *reference* colour (in place)."""
    ref = colours[reference]
    for band in bands:
        if band == reference:
            continue
        known = colours[band].notna() & ref.notna()
        if known.sum() < 2:
            continue
        codes = colours.index[known]
        edge = codes.min() if hot else codes.max()
        beyond = (colours.index < edge) if hot else (colours.index > edge)
        todo = beyond & colours[band].isna().to_numpy() & ref.notna().to_numpy()
        if not todo.any():
            continue
        nearest = codes[:N_FIT_TYPES] if hot else codes[-N_FIT_TYPES:]
        slope, intercept = np.polyfit(ref[nearest], colours.loc[nearest, band], 1)
        colours.loc[todo, band] = intercept + slope * ref[todo]


def compute_type_range(letter: str) -> tuple[float, float]:
    """First and last type code of *letter* in the template grid (e.g. ``"O"`` -> (3.0, 9.5))."""
    if letter not in _LETTER_INDEX:
        raise ValueError(f"unknown class letter {letter!r}; use one of {''.join(C.SP_CLASSES)}")
    codes = build_template_grid()[0].index.to_numpy(float)
    start = 10.0 * _LETTER_INDEX[letter]
    inside = codes[(codes >= start) & (codes < start + 10.0)]
    return float(inside.min()), float(inside.max())


def compute_template_abs_mags(
    type_code: np.ndarray, bands: tuple[str, ...] = TEMPLATE_BANDS, *, extrapolate: bool = True
) -> np.ndarray:
    """Absolute template magnitudes at each type code, interpolated in subclass.

    Parameters
    ----------
    type_code : ndarray, shape (N,)
        Numeric types (``10 * letter index + subclass``, O0 = 0).
    bands : tuple of str
        Template band names.
    extrapolate : bool
        Use the gap-filled grid (see :func:`build_template_grid`).

    Returns
    -------
    ndarray, shape (N, B)
        Vega magnitudes (mag); NaN outside the band's known range.
    """
    grid, _ = build_template_grid(extrapolate)
    code = np.asarray(type_code, float)
    out = np.full((code.size, len(bands)), np.nan)
    for j, band in enumerate(bands):
        known = grid[band].dropna()
        x = known.index.to_numpy(float)
        if x.size < 2:
            continue
        inside = (code >= x.min()) & (code <= x.max())
        out[inside, j] = np.interp(code[inside], x, known.to_numpy(float))
    return out


def compute_template_teff(type_code: np.ndarray, *, extrapolate: bool = True) -> np.ndarray:
    """Template effective temperature (K) at each type code, interpolated in log Teff.

    *extrapolate* is accepted for symmetry with :func:`compute_template_abs_mags`;
    Teff is known for every type of the grid. Types beyond the grid take its end values.
    """
    del extrapolate
    table = load_mamajek_table()
    table = table[table["teff"].notna() & (table["type_code"] < 10.0 * len(C.SP_CLASSES))]
    x = table["type_code"].to_numpy(float)
    log_t = np.log10(table["teff"].to_numpy(float))
    return np.asarray(10.0 ** np.interp(np.asarray(type_code, float), x, log_t))


def compute_companion_type(type_code: np.ndarray, mass_ratio: np.ndarray) -> np.ndarray:
    """Type code of a main-sequence companion of mass ``q * M1`` (template ``Msun``).

    Masses are interpolated in log mass along the dwarf sequence (made monotonic:
    later types never heavier). NaN where the companion is lighter than the
    table's lightest dwarf (it would add no light in these bands).
    """
    table = load_mamajek_table()
    table = table[table["Msun"].notna() & (table["type_code"] < 10.0 * len(C.SP_CLASSES))]
    code = table["type_code"].to_numpy(float)
    log_m = np.log10(np.minimum.accumulate(table["Msun"].to_numpy(float)))
    primary = np.interp(np.asarray(type_code, float), code, log_m)
    target = primary + np.log10(np.clip(np.asarray(mass_ratio, float), 1e-6, 1.0))
    # Code against log mass: reversed so log mass increases (a tie keeps the latest type).
    rev_m, rev_code = log_m[::-1], code[::-1]
    unique_m, first = np.unique(rev_m, return_index=True)
    companion = np.interp(target, unique_m, rev_code[first])
    return np.where(target >= log_m.min(), np.maximum(companion, type_code), np.nan)
