"""Bright Star Catalogue columns and star names for the catalogue build.

* The Yale Bright Star Catalogue, 5th ed. (Hoffleit & Warren 1991, CDS V/50),
  read from the data file ``bsc5.dat`` that the ``fchart3`` package ships (the
  package's GPL code is neither imported nor copied): HR number, Bayer and
  Flamsteed designations, U-B and the MK type, cross-identified by HD number.
* Proper names from ``skyfield``'s ``named_stars.py`` (MIT), read with
  :mod:`ast` (skyfield is not imported).
* The constellation of every star: BSC5's where its name gives one, else
  astropy's :func:`~astropy.coordinates.get_constellation` on the position.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING, Final

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import SkyCoord, get_constellation

from sedviz import columns as C
from sedviz.catalog.mk import parse_sp_types

if TYPE_CHECKING:  # typing only: catalog_build imports this module
    from sedviz.catalog.build import BuildReport

#: BSC5 Greek-letter abbreviations (bytes 8-10 of the name) -> SIMBAD's spelling.
GREEK: Final[dict[str, str]] = {
    "Alp": "alf", "Bet": "bet", "Gam": "gam", "Del": "del", "Eps": "eps", "Zet": "zet",
    "Eta": "eta", "The": "tet", "Iot": "iot", "Kap": "kap", "Lam": "lam", "Mu": "mu",
    "Nu": "nu", "Xi": "xi", "Omi": "omi", "Pi": "pi", "Rho": "rho", "Sig": "sig",
    "Tau": "tau", "Ups": "ups", "Phi": "phi", "Chi": "chi", "Psi": "psi", "Ome": "ome",
}  # fmt: skip
#: The IAU WGSN name where skyfield's list gives one HIP several names
#: (else the only name; for eta Car, which has no WGSN name, the first alphabetically).
PREFERRED_NAMES: Final[dict[int, str]] = {
    677: "Alpheratz", 3419: "Diphda", 15863: "Mirfak", 30324: "Mirzam", 45556: "Aspidiske",
    58001: "Phecda", 62434: "Mimosa", 67301: "Alkaid", 68702: "Hadar", 71683: "Rigil Kentaurus",
    76267: "Alphecca", 86032: "Rasalhague", 86228: "Sargas", 102098: "Deneb",
}  # fmt: skip

# CDS V/50 ReadMe, byte-by-byte description (1-based, inclusive) -> 0-based slices.
_BSC_BYTES: Final = {
    "hr": (1, 4),
    "name": (5, 14),
    "hd": (26, 31),
    "v": (103, 107),
    "b_v": (110, 114),
    "u_b": (116, 120),
    "r_i": (122, 126),
    "sp_type": (128, 147),
}
_BSC_LINE_LENGTH: Final = 197
_CONSTELLATION: Final = re.compile(r"^[A-Z][A-Za-z][a-z]$")


def read_bsc5(path: Path) -> pd.DataFrame:
    """Read ``bsc5.dat`` (CDS V/50 fixed-width layout; trailing blanks may be cut).

    Returns
    -------
    pandas.DataFrame
        One row per HR entry: ``hr`` (int), ``name`` (the raw 10-byte field),
        ``hd`` (Int64), ``v``, ``b_v``, ``u_b``, ``r_i`` (mag, NaN if blank)
        and ``sp_type`` (str).
    """
    lines = [line.ljust(_BSC_LINE_LENGTH) for line in path.read_text("latin-1").splitlines()]
    cols = {key: [line[a - 1 : b] for line in lines] for key, (a, b) in _BSC_BYTES.items()}
    out = pd.DataFrame(cols)
    for key in ("hd", "v", "b_v", "u_b", "r_i"):
        out[key] = [float(x) if x.strip() else np.nan for x in out[key]]
    out["hr"] = out["hr"].astype("int64")
    out["hd"] = out["hd"].astype("Int64")
    out["sp_type"] = out["sp_type"].str.strip()
    return out


def parse_bsc_name(name: str) -> tuple[str, str, str]:
    """Split a BSC5 name field (bytes 5-14) into Bayer, Flamsteed and constellation.

    The field holds a Flamsteed number (3 bytes), a Greek-letter abbreviation
    (3), a superscript digit (1) and the constellation (3), e.g. ``"  3Alp Lyr"``.
    Leading blanks may be missing. Anything that is not such a name (novae,
    clusters) gives empty strings.

    Examples
    --------
    >>> parse_bsc_name("3Alp Lyr")
    ('alf Lyr', '3 Lyr', 'Lyr')
    >>> parse_bsc_name("   Alp1Cen")
    ('alf1 Cen', '', 'Cen')
    >>> parse_bsc_name(" 61    Cyg")
    ('', '61 Cyg', 'Cyg')
    """
    field = name.rstrip().rjust(10)
    con = field[7:10]
    if not _CONSTELLATION.match(con):
        return "", "", ""
    number, greek, sup = field[0:3].strip(), field[3:6].strip(), field[6].strip()
    flamsteed = f"{int(number)} {con}" if number.isdigit() else ""
    bayer = f"{GREEK[greek]}{sup if sup.isdigit() else ''} {con}" if greek in GREEK else ""
    return bayer, flamsteed, con


def read_named_stars(path: Path) -> dict[str, int]:
    """Read ``named_star_dict`` (proper name -> HIP) from skyfield's ``named_stars.py``.

    The file is parsed, not imported: only a literal dict is accepted.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "named_star_dict"
        ):
            names = ast.literal_eval(node.value)
            return {str(k): int(v) for k, v in names.items()}
    raise ValueError(f"{path}: no named_star_dict literal found")


def proper_names_by_hip(named: dict[str, int]) -> dict[int, str]:
    """One proper name per HIP: :data:`PREFERRED_NAMES`, else the first alphabetically."""
    out: dict[int, str] = {}
    for name in sorted(named):
        out.setdefault(named[name], name)
    out.update({hip: name for hip, name in PREFERRED_NAMES.items() if hip in out})
    return out


def add_bsc_columns(
    table: pd.DataFrame, bsc: pd.DataFrame, named: dict[str, int], report: BuildReport
) -> pd.DataFrame:
    """Add the BSC5, designation, constellation and proper-name columns to *table*.

    A BSC5 entry joins the Hipparcos star with its HD number; where several
    Hipparcos entries share an HD (components of a double), the brightest in
    Hp (then the lowest HIP) takes it. ``sp_type`` is never overwritten: the
    BSC5 type goes to ``bsc_sp_type`` as a second label.
    """
    report.add("BSC5 (V/50) entries", len(bsc))
    with_hd = bsc[bsc["hd"].notna()].drop_duplicates("hd", keep="first")
    report.add("... with an HD number (one entry per HD)", len(with_hd))
    stars = table.loc[table[C.HD].notna(), [C.HIP, C.HD, C.HP_MAG]]
    stars = stars.sort_values([C.HD, C.HP_MAG, C.HIP], kind="mergesort", na_position="last")
    stars = stars.drop_duplicates(C.HD, keep="first")
    joined = stars.merge(with_hd, left_on=C.HD, right_on="hd", how="inner", validate="one_to_one")
    report.add("BSC5 entries cross-identified with a Hipparcos star by HD", len(joined))
    names = pd.DataFrame(
        [parse_bsc_name(n) for n in joined["name"]],
        columns=[C.BAYER, C.FLAMSTEED, "bsc_constellation"],
        index=joined.index,
    )
    parsed = parse_sp_types(joined["sp_type"])
    extra = pd.DataFrame(
        {
            C.HIP: joined[C.HIP].to_numpy(),
            C.HR: joined["hr"].to_numpy(),
            C.U_B: joined["u_b"].to_numpy(dtype=float),
            C.BSC_SP_TYPE: joined["sp_type"].to_numpy(),
            C.BSC_SP_CLASS: parsed[C.SP_CLASS].to_numpy(),
            C.BSC_LUM_CLASS: parsed[C.LUM_CLASS].to_numpy(),
            C.BAYER: names[C.BAYER].to_numpy(),
            C.FLAMSTEED: names[C.FLAMSTEED].to_numpy(),
            "bsc_constellation": names["bsc_constellation"].to_numpy(),
        }
    )
    out = table.merge(extra, on=C.HIP, how="left", validate="one_to_one")
    out[C.HR] = out[C.HR].astype("Int64")
    texts = [C.BSC_SP_TYPE, C.BSC_SP_CLASS, C.BSC_LUM_CLASS, C.BAYER, C.FLAMSTEED]
    out[texts] = out[texts].fillna("").astype(str)
    both = (out[C.SP_CLASS] != "") & (out[C.BSC_SP_CLASS] != "")
    agrees = np.where(out[C.SP_CLASS] == out[C.BSC_SP_CLASS], "yes", "no")
    out[C.BSC_AGREES] = np.where(both, agrees, "")
    report.add("... with a class letter in both catalogues", both.sum())
    report.add("... whose class letters agree", (out[C.BSC_AGREES] == "yes").sum())
    report.add("with a Bayer designation", (out[C.BAYER] != "").sum())
    report.add("with a Flamsteed designation", (out[C.FLAMSTEED] != "").sum())
    out[C.CONSTELLATION] = _constellations(out)
    by_hip = proper_names_by_hip(named)
    out[C.PROPER_NAME] = out[C.HIP].map(by_hip).fillna("").astype(str)
    report.add("skyfield proper names (distinct HIP)", len(by_hip))
    report.add("... found as catalogue rows", (out[C.PROPER_NAME] != "").sum())
    return out


def _constellations(table: pd.DataFrame) -> np.ndarray:
    """BSC5's constellation where it names one, else the one holding the position."""
    own = table["bsc_constellation"].fillna("").astype(str).to_numpy()
    coords = SkyCoord(ra=table[C.RA].to_numpy() * u.deg, dec=table[C.DEC].to_numpy() * u.deg)
    from_position = np.asarray(get_constellation(coords, short_name=True), dtype=str)
    return np.where(own != "", own, from_position)
