"""Parse MK spectral-type strings into class letter, subclass and luminosity class.

The parser is deliberately forgiving: anything it cannot read gives an empty
label (``""`` / ``nan``), never an exception. Rules, in order:

* spaces are dropped and ``:`` (uncertain) marks ignored;
* Am-star notation ``kA2hA5mA7V`` takes the hydrogen-line type (``hA5``),
  which tracks temperature best, and the luminosity class at the end;
* a prefix ``sd``/``esd``/``usd`` (subdwarf) keeps the class letter but gives no
  luminosity class (VI is not one of the classes used here); ``d`` means V,
  ``g`` III and ``c`` I (old Mount Wilson notation);
* ranges (``G8/K0III``, ``F5/6V``, ``B9.5-A0V``) take the first type; luminosity
  ranges (``K0III-IV``, ``IV/V``) take the first class;
* white dwarfs (``DA2``), Wolf-Rayet (``WC8``), carbon (``C5,4``, ``R``, ``N``)
  and S stars are outside O-M and give an empty class.

Examples
--------
>>> parse_sp_type("K0III-IV")
('K', 0.0, 'III')
>>> parse_sp_type("kA2hA5mA7V")
('A', 5.0, 'V')
>>> parse_sp_type("DA2")
('', nan, '')
"""

from __future__ import annotations

import math
import re
from typing import Final

import pandas as pd

from sedviz import columns as C

_AM_STAR: Final = re.compile(
    r"^k[OBAFGKM][\d.]*h(?P<h>[OBAFGKM][\d.]*)m[OBAFGKM][\d.]*(?P<rest>.*)$"
)
_TYPE: Final = re.compile(
    r"^(?P<prefix>esd|usd|sd|d|g|c)?(?P<cls>[OBAFGKM])(?P<sub>\d+(?:\.\d+)?)?(?P<rest>.*)$"
)
# A second type in a range: "/K0", "-A0", "/6", "-9.5".
_ALTERNATE: Final = re.compile(r"^[/-](?:[OBAFGKM]\d*(?:\.\d+)?|\d+(?:\.\d+)?)")
_LUM: Final = re.compile(r"^(?P<lum>0|Ia\+|Ia0|Iab|Ia|Ib|III|II|IV|VI|V|I)")
_LUM_MAP: Final = {"VI": ""}  # subdwarfs: no class among I-V
_PREFIX_LUM: Final = {"d": "V", "g": "III", "c": "I", "sd": "", "esd": "", "usd": ""}

EMPTY: Final[tuple[str, float, str]] = ("", math.nan, "")


def parse_sp_type(text: object) -> tuple[str, float, str]:
    """Parse one MK string.

    Parameters
    ----------
    text : object
        The raw spectral type (``str``; anything else, ``None`` or NaN gives
        the empty result).

    Returns
    -------
    tuple
        ``(sp_class, sp_subclass, lum_class)``: class letter in ``O B A F G K
        M`` or ``""``; subclass as a float in [0, 10) or ``nan``; luminosity
        class in ``I II III IV V`` or ``""``.
    """
    if not isinstance(text, str):
        return EMPTY
    s = text.replace(" ", "").replace(":", "").replace("(", "").replace(")", "")
    am = _AM_STAR.match(s)
    if am:
        s = am["h"] + am["rest"]
    m = _TYPE.match(s)
    if m is None:
        return EMPTY
    sub = float(m["sub"]) if m["sub"] else math.nan
    if not sub < 10:  # also true for nan
        sub = sub if math.isnan(sub) else math.nan
    lum = _parse_lum(m["rest"])
    prefix = m["prefix"]
    if prefix:
        lum = lum if prefix in ("d", "g", "c") and lum else _PREFIX_LUM[prefix]
    return m["cls"], sub, lum


def _parse_lum(rest: str) -> str:
    while True:
        alt = _ALTERNATE.match(rest)
        if alt is None:
            break
        rest = rest[alt.end() :]
    m = _LUM.match(rest)
    if m is None:
        return ""
    lum = m["lum"]
    if lum in _LUM_MAP:
        return _LUM_MAP[lum]
    if lum == "0" or lum.startswith("I") and lum not in ("II", "III", "IV"):
        return "I"
    return lum


def parse_sp_types(types: pd.Series) -> pd.DataFrame:
    """Parse a column of MK strings (vectorised over unique values).

    Returns
    -------
    pandas.DataFrame
        Same index as *types*, columns ``sp_class`` (str), ``sp_subclass``
        (float64) and ``lum_class`` (str).
    """
    as_text = types.astype("string").fillna("").astype(str)
    uniques = pd.unique(as_text.to_numpy())
    parsed = {u: parse_sp_type(u) for u in uniques}
    rows = [parsed[v] for v in as_text.to_numpy()]
    out = pd.DataFrame(rows, index=types.index, columns=[C.SP_CLASS, C.SP_SUBCLASS, C.LUM_CLASS])
    out[C.SP_SUBCLASS] = out[C.SP_SUBCLASS].astype("float64")
    return out
