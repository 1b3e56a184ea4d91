"""``python -m sedviz build-catalog``: rebuild the embedded star catalogue."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sedviz.catalog.tables import CATALOG_CARD_PATH, CATALOG_PATH


def register(sub: Any) -> None:
    """Add the ``build-catalog`` command to *sub* (an argparse sub-parsers object)."""
    p: argparse.ArgumentParser = sub.add_parser(
        "build-catalog",
        help="rebuild the embedded catalogue from the Hipparcos and Gaia data packages",
        description="Join Hipparcos (I/239 + I/311) with Gaia DR3 and write the "
        "embedded catalogue and its data card. Needs requirements-data.txt installed.",
    )
    p.add_argument("-o", "--output", type=Path, default=CATALOG_PATH, help="Parquet file to write")
    p.add_argument(
        "--from-dir",
        type=Path,
        default=None,
        help="read the four raw files from this folder instead of the installed packages",
    )
    p.add_argument("--card", type=Path, default=CATALOG_CARD_PATH, help="data card to write")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from sedviz.catalog.build import build_catalog_frame
    from sedviz.catalog.card import build_card, write_catalog
    from sedviz.catalog.read import find_source_files, source_files_in

    files = source_files_in(args.from_dir) if args.from_dir else find_source_files()
    table, report = build_catalog_frame(files)
    for step, count in report.steps:
        print(f"{count:>9,}  {step}", file=sys.stderr)
    write_catalog(table, args.output)
    args.card.write_text(build_card(table, report), encoding="utf-8")
    print(
        f"wrote {len(table):,} stars to {args.output} and the card to {args.card}", file=sys.stderr
    )
    return 0
