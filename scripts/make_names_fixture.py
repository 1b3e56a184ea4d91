"""Write tests/data/bright_stars_names.csv: 15 real stars of the embedded catalogue.

The name tests need a small table with the catalogue's name columns (``hr``, ``bayer``,
``flamsteed``, ``constellation``, ``proper_name``), stars without a Gaia counterpart
(``source_id = -hip``, no G/BP/RP), a Flamsteed number shared by two stars (61 Cyg A/B),
a Bayer letter with components (alf1/alf2 Cen) and a star with no name at all (HIP 1).
This script copies those rows from the embedded catalogue (built by
``python -m sedviz build-catalog``; sources in its data card), so the fixture is real
recorded data. Usage: ``python scripts/make_names_fixture.py``.
"""

from __future__ import annotations

from pathlib import Path

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog

OUT = Path(__file__).parents[1] / "tests" / "data" / "bright_stars_names.csv"
#: Vega, Betelgeuse, Sirius, 61 Cyg A/B, alf Cen A/B, Rigel, Polaris, Deneb, Aldebaran,
#: Arcturus, Schedar (alf Cas), Bellatrix, and HIP 1 (no name).
HIPS = (91262, 27989, 32349, 104214, 104217, 71683, 71681, 24436, 11767, 102098, 21421,
        69673, 3179, 25336, 1)  # fmt: skip


def main() -> None:
    """Write the fixture and say how many stars it holds."""
    catalog = load_catalog()
    stars = catalog[catalog[C.HIP].isin(HIPS)].sort_values(C.HIP)
    missing = sorted(set(HIPS) - set(stars[C.HIP]))
    if missing:
        raise SystemExit(f"not in the embedded catalogue: HIP {missing}")
    header = (
        "# 15 real stars copied from sedviz/data/catalog.parquet by scripts/make_names_fixture.py\n"
    )
    OUT.write_text(header + stars.to_csv(index=False))
    print(f"wrote {len(stars)} stars -> {OUT}")


if __name__ == "__main__":
    main()
