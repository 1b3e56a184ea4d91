"""Time archive answers from the disk cache versus a (simulated) archive fetch.

No network: the one HTTP seam (``sedviz.archive.http.fetch_bytes``) is replaced
by a function returning a VOTable in the exact answer schema, built from real
embedded-catalogue rows (Gaia G/BP/RP, astrometry; infrared columns empty).
The cache lives in a temporary directory, never in the repository.

Usage: ``.venv/bin/python scripts/bench_archive_cache.py [--rows 2000] [--repeats 20]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from astropy.io.votable import from_table
from astropy.table import MaskedColumn, Table

from sedviz.archive import ArchiveConfig, http, query_cone
from sedviz.archive.adql import RESULT_COLUMNS
from sedviz.archive.http import HttpRequest
from sedviz.catalog.tables import load_catalog


def answer_votable(n_rows: int) -> bytes:
    """A Gaia answer VOTable of the *n_rows* brightest catalogue stars."""
    catalog = load_catalog().sort_values("phot_g_mean_mag").head(n_rows)
    table = Table()
    for name in RESULT_COLUMNS:
        values = (
            catalog[name].to_numpy(dtype="float64")
            if name in catalog
            else np.full(len(catalog), np.nan)
        )
        if name in ("source_id", "hip"):
            table[name] = MaskedColumn(np.nan_to_num(values).astype("int64"), mask=np.isnan(values))
        else:
            table[name] = MaskedColumn(values, mask=np.isnan(values))
    buffer = io.BytesIO()
    from_table(table).to_xml(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--cache-dir", type=Path, help="keep the cache here (default: a temp dir)")
    args = parser.parse_args()
    body = answer_votable(args.rows)

    def seam(request: HttpRequest, timeout_s: float) -> bytes:
        if request.label != "gaia":  # SIMBAD is not simulated: its types are left empty
            raise ConnectionError("benchmark: only the Gaia answer is simulated")
        return body

    http.fetch_bytes = seam  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = args.cache_dir or Path(tmp)
        # Default settings apart from retries, so the CLI with --cache-dir hits the same entry.
        config = ArchiveConfig(cache_dir=cache_dir, retries=0)
        cone = {"ra": "56.75", "dec": "24.1167", "radius_deg": "1", "config": config}
        start = time.perf_counter()
        first = query_cone(**cone)
        fetch_s = time.perf_counter() - start
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            again = query_cone(**cone)
            times.append(time.perf_counter() - start)
        assert first.source == "archive" and again.source == "cache", (first.source, again.source)
        size_kb = sum(p.stat().st_size for p in cache_dir.glob("*.parquet")) / 1024
    print(
        f"answer: {len(first.table)} rows x {first.table.shape[1]} columns, VOTable {len(body) / 1024:.0f} kB, cache file {size_kb:.0f} kB"
    )
    print(
        f"first query (simulated archive: parse VOTable + validate + write cache): {fetch_s * 1000:.1f} ms"
    )
    print(
        f"repeated query from cache, {args.repeats} runs: median {statistics.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
