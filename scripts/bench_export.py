"""Time the whole-catalogue star-set export in every format, end to end to bytes (issue 18).

The frame is the one the app's Export button builds (``sedviz.ui.cache.export_bytes``):
the embedded catalogue joined with the predictions of both shipped default models
(``predict_frame``, prefixed ``sp_class_``/``lum_class_``, ``subset_frame``). Each format
is then written from that frame by the code that writes it for users:

* **CSV**, **VOTable**: ``sedviz.catalog.export.build_csv_bytes`` / ``build_votable_bytes``
  (the app's download buttons);
* **Parquet**, **FITS**, **ECSV**, **VOTable (CLI)**: ``sedviz.tableio.write_table`` to a
  temporary file, then its bytes (what ``sedviz classify -o stars.<suffix>`` does).

Each timing includes the DataFrame -> astropy Table conversion where the format needs it.
``--reference`` adds astropy's own VOTable writer (``Table.write(format="votable",
tabledata_format="binary2")`` on the same Table) for the ratio against ours, and the
DataFrame -> astropy Table conversion alone (part of every astropy-written format).
``--profile-rows N`` profiles astropy's writer (BINARY2 and TABLEDATA) on the first N
stars with cProfile and prints where the time goes. The VOTable's row layout (bytes per
row, the widest text columns) is printed too: it decides the file's size.

Formats are timed in turn, run after run (interleaved, so a change in the machine's load
falls on all of them); a format whose run took longer than ``--max-repeat-s`` is not
repeated (the runs column says how many there were). Prints medians, the sizes, the core
count and the load average before and after. Run it niced on a shared machine::

    nice -n 10 .venv/bin/python scripts/bench_export.py [--runs 5] [--reference]
        [--profile-rows 10000]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

# Appended, not prepended: a checkout named in PYTHONPATH keeps precedence for ``sedviz``.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from sedviz.catalog.export import (
    build_csv_bytes,
    build_votable_bytes,
    prefix_columns,
    subset_frame,
)
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import default_model_name, load_model
from sedviz.classifier.targets import TARGETS
from sedviz.tableio import to_astropy, write_table

DESCRIPTION = "sedviz export: embedded catalogue, star set"


def export_frame() -> pd.DataFrame:
    """The whole-catalogue frame the app exports: catalogue + both default models' predictions."""
    table = load_catalog()
    frames = [
        prefix_columns(predict_frame(load_model(default_model_name(target)), table), f"{target}_")
        for target in TARGETS
    ]
    return subset_frame(table, None, frames)


def _via_file(frame: pd.DataFrame, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_table(frame, Path(folder) / f"stars{suffix}").read_bytes()


def _astropy_votable(frame: pd.DataFrame) -> bytes:
    """astropy's own writer, on the Table our VOTable export starts from."""
    table = to_astropy(frame)
    table.meta["description"] = DESCRIPTION
    buffer = io.BytesIO()
    table.write(buffer, format="votable", tabledata_format="binary2")
    return buffer.getvalue()


def _table_only(frame: pd.DataFrame) -> bytes:
    """The DataFrame -> astropy Table step alone (no bytes)."""
    to_astropy(frame)
    return b""


def writers(reference: bool) -> dict[str, Callable[[pd.DataFrame], bytes]]:
    """The timed exports, by label."""
    out: dict[str, Callable[[pd.DataFrame], bytes]] = {
        "CSV (app)": build_csv_bytes,
        "VOTable (app)": lambda frame: build_votable_bytes(frame, DESCRIPTION),
        "Parquet (write_table)": lambda frame: _via_file(frame, ".parquet"),
        "FITS (write_table)": lambda frame: _via_file(frame, ".fits"),
        "ECSV (write_table)": lambda frame: _via_file(frame, ".ecsv"),
        "VOTable (write_table)": lambda frame: _via_file(frame, ".vot"),
    }
    if reference:
        out["CSV, pandas to_csv"] = lambda frame: frame.to_csv(index=False).encode("utf-8")
        out["VOTable, astropy's writer"] = _astropy_votable
        out["  of which to_astropy"] = _table_only
    return out


def print_row_layout(frame: pd.DataFrame) -> None:
    """Bytes per BINARY2 row: numbers as their dtype, bits 1, text 2 per character (UTF-16)."""
    table = to_astropy(frame)
    sizes = {
        name: table[name].dtype.itemsize // 2 if table[name].dtype.kind == "U"
        else table[name].dtype.itemsize
        for name in table.colnames
    }  # fmt: skip
    text = {n: b for n, b in sizes.items() if table[n].dtype.kind == "U"}
    widest = sorted(text.items(), key=lambda item: -item[1])[:4]
    print(
        f"VOTable row: {sum(sizes.values()) + (len(sizes) + 7) // 8} bytes "
        f"(null bitmask {(len(sizes) + 7) // 8}, text {sum(text.values())}; widest text: "
        + ", ".join(f"{n} {b} B, {int((table[n] != '').sum()):,} non-empty" for n, b in widest)
        + ")"
    )


def profile_astropy(frame: pd.DataFrame, rows: int) -> None:
    """cProfile of astropy's VOTable writer on the first *rows* stars, both serialisations."""
    table = to_astropy(frame.iloc[:rows])
    for serialisation in ("binary2", "tabledata"):
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        table.write(io.BytesIO(), format="votable", tabledata_format=serialisation)
        profile.disable()
        seconds = time.perf_counter() - start
        print(f"\nastropy {serialisation}, {rows:,} stars: {seconds:.2f} s under cProfile "
              f"({seconds / rows * 1e3:.2f} ms per star); top functions by own time:")  # fmt: skip
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-repeat-s", type=float, default=30.0)
    parser.add_argument("--reference", action="store_true", help="also time astropy's writer")
    parser.add_argument("--rows", type=int, default=0, help="first N stars only (0: all)")
    parser.add_argument("--profile-rows", type=int, default=0, help="profile astropy on N stars")
    parser.add_argument(
        "--only", default="", help="time only the exports whose label has this text"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    start = time.perf_counter()
    frame = export_frame()
    if args.rows:
        frame = frame.iloc[: args.rows]
    build_s = time.perf_counter() - start
    chosen = {k: w for k, w in writers(args.reference).items() if args.only in k}
    times: dict[str, list[float]] = {label: [] for label in chosen}
    sizes: dict[str, int] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unit strings FITS/VOTable do not know
        for _ in range(args.runs):
            for label, write in chosen.items():
                if times[label] and times[label][-1] > args.max_repeat_s:
                    continue
                start = time.perf_counter()
                sizes[label] = len(write(frame))
                times[label].append(time.perf_counter() - start)
    load_after = os.getloadavg()

    print(f"stars: {len(frame):,}; columns: {frame.shape[1]}; frame built in {build_s:.2f} s")
    print(f"cores: {os.cpu_count()}; load average 1/5/15 min before: "
          f"{'/'.join(f'{x:.2f}' for x in load_before)}, after: "
          f"{'/'.join(f'{x:.2f}' for x in load_after)}")  # fmt: skip
    print(f"{'export to bytes':28s} {'median s':>9s} {'min s':>7s} {'MB':>8s}  runs")
    for label, values in times.items():
        print(
            f"{label:28s} {statistics.median(values):9.2f} {min(values):7.2f} "
            f"{sizes[label] / 1e6:8.1f}  {len(values)}"
        )
    for ours, theirs in (("VOTable (app)", "VOTable, astropy's writer"),
                         ("CSV (app)", "CSV, pandas to_csv")):  # fmt: skip
        if theirs not in times or ours not in times:
            continue
        ratio = statistics.median(times[theirs]) / statistics.median(times[ours])
        print(f"{theirs} / {ours} (medians, this run): {ratio:.1f}x")
    print_row_layout(frame)
    if args.profile_rows:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            profile_astropy(frame, args.profile_rows)


if __name__ == "__main__":
    main()
