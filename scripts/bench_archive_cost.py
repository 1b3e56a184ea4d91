"""Cost of a large archive answer (size, parse, cache), measured on astroquery's recorded Gaia rows.

No network. The 50 real Gaia DR3 rows of astroquery's recorded cone answer
(tests/data/archive/astroquery_gaia_cone_search.json) are put in our answer's columns
(the 2MASS/AllWISE/HIP join columns present but empty, as float64/int64) and tiled to
``--rows`` rows. Measured: VOTable bytes per row (TABLEDATA, BINARY2, gzip), the time
astropy takes to parse it, the whole sedviz path through the adapter seam (map, validate,
write the Parquet cache) and a repeated query answered from the cache.

Usage: ``PYTHONPATH=. .venv/bin/python scripts/bench_archive_cost.py [--rows 100000]``
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from astropy.table import MaskedColumn, Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sedviz.archive import ArchiveConfig, query_cone, services
from sedviz.archive.adql import GAIA_COLUMNS, RESULT_COLUMNS
from tests.archive_fakes import gaia_cone_answer


def answer_table(n_rows: int) -> Table:
    real = gaia_cone_answer()
    reps = int(np.ceil(n_rows / len(real)))
    table = Table()
    for name in RESULT_COLUMNS:
        if name in GAIA_COLUMNS:
            values = np.tile(np.ma.getdata(real[name]), reps)[:n_rows]
            if name == "source_id":
                values = np.arange(1, n_rows + 1, dtype="int64")
            table[name] = MaskedColumn(values, unit=real[name].unit)
        elif name == "hip":
            table[name] = MaskedColumn(np.zeros(n_rows, "int64"), mask=np.ones(n_rows, bool))
        else:
            table[name] = MaskedColumn(np.zeros(n_rows), mask=np.ones(n_rows, bool), unit="mag")
    return table


def votable_bytes(table: Table, fmt: str) -> bytes:
    buffer = io.BytesIO()
    table.write(buffer, format="votable", tabledata_format=fmt)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    table = answer_table(args.rows)
    print(f"answer: {len(table):,} rows x {len(table.colnames)} columns (real Gaia values, tiled)")
    for fmt in ("tabledata", "binary2"):
        body = votable_bytes(table, fmt)
        packed = gzip.compress(body)
        print(f"VOTable {fmt}: {len(body) / len(table):.0f} B/row, {len(body) / 1e6:.1f} MB; "
              f"gzip {len(packed) / 1e6:.1f} MB")  # fmt: skip
        start = time.perf_counter()
        Table.read(io.BytesIO(body), format="votable")
        print(f"  astropy parse: {time.perf_counter() - start:.2f} s")
    services.gaia_query = lambda *a, **k: table  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        config = ArchiveConfig(cache_dir=Path(tmp), row_limit=min(args.rows, 100_000),
                               with_simbad_types=False)  # fmt: skip
        start = time.perf_counter()
        first = query_cone(ra=56.75, dec=24.1167, radius_deg=2.0, config=config)
        fetch_s = time.perf_counter() - start
        start = time.perf_counter()
        again = query_cone(ra=56.75, dec=24.1167, radius_deg=2.0, config=config)
        cache_s = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).glob("*.parquet"))
    assert first.source == "archive" and again.source == "cache"
    print(f"sedviz after the answer arrives (map, validate, cache): {fetch_s:.2f} s "
          f"({len(first.table):,} rows)")  # fmt: skip
    print(f"repeat from the Parquet cache: {cache_s:.2f} s; cache file {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
