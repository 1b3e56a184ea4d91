"""Time the vectorised SED fits on the whole embedded catalogue.

Prints the median (and min/max) wall time of several runs of
:func:`sedviz.sed.fit.compute_sed_fit` and
:func:`sedviz.sed.templates.compute_teff_empirical` on all stars, with the machine's
core count and load average (the machine may be shared: read medians). Usage::

    .venv/bin/python scripts/bench_sedfit.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import pandas as pd

from sedviz.catalog.tables import load_catalog
from sedviz.sed.fit import compute_sed_fit
from sedviz.sed.templates import compute_teff_empirical


def time_runs(
    func: Callable[[pd.DataFrame], pd.DataFrame], table: pd.DataFrame, runs: int
) -> list[float]:
    """Wall-clock seconds of *runs* calls of ``func(table)`` after one warm-up call."""
    func(table)  # warm-up: static package data and imports are cached per process
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func(table)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Print one line per function: stars, median, min, max seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per function (7)")
    args = parser.parse_args()
    table = load_catalog()
    load1, load5, _ = os.getloadavg()
    print(
        f"stars: {len(table)}; cores: {os.cpu_count()}; load average 1/5 min: {load1:.2f}/{load5:.2f}"
    )
    for name, func in [
        ("compute_sed_fit", compute_sed_fit),
        ("compute_teff_empirical", compute_teff_empirical),
    ]:
        times = time_runs(func, table, args.runs)
        print(
            f"{name}: median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
            f"max {max(times):.2f} s over {args.runs} runs"
        )


if __name__ == "__main__":
    main()
