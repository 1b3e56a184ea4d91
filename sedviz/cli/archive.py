"""``python -m sedviz query``: cone searches and source lists from the archives.

stderr says which source answered (archive, cache or embedded catalogue) and
whether the result was cut; bad input is one line and exit code 2 (raised as
:class:`sedviz.errors.SedvizError`, printed by the dispatcher).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from sedviz.archive import (
    ArchiveConfig,
    ArchiveInputError,
    QueryResult,
    clear_cache,
    default_config,
    parse_source_list,
    query_cone,
    query_source_list,
)
from sedviz.archive.config import GAIA_SYNC_ROW_CAP
from sedviz.output import check_output_path, save_table


def register(sub: Any) -> None:
    """Add the ``query`` command to *sub* (an argparse sub-parsers object)."""
    p: argparse.ArgumentParser = sub.add_parser(
        "query",
        help="cone search or source list from Gaia DR3 + 2MASS + AllWISE (+ SIMBAD types)",
        description=(
            "Query the Gaia archive (with 2MASS, AllWISE and SIMBAD spectral types) and write a "
            "star table. Offline, or when the archive fails, the answer comes from the cache or "
            "the embedded catalogue; stderr says which. Negative sexagesimal Dec: --dec=-16d42m."
        ),
    )
    target = p.add_argument_group("what to query (one of)")
    target.add_argument(
        "--name",
        help="object name, resolved by CDS Sesame (offline: built-in names, HIP/HD numbers)",
    )
    target.add_argument("--ra", help="right ascension: degrees or sexagesimal (03h47m00s)")
    target.add_argument("--dec", help="declination: degrees or sexagesimal (+24d07m)")
    target.add_argument(
        "--list", type=Path, metavar="IDS.csv", help="CSV with source_id, hip, ra+dec or name"
    )
    p.add_argument("--radius-deg", help="cone radius in degrees (with --name or --ra/--dec)")
    p.add_argument("-o", "--output", type=Path, help="output table (.csv or .parquet)")
    p.add_argument(
        "--offline", action="store_true", help="no network: cache, else embedded catalogue"
    )
    p.add_argument(
        "--refresh", action="store_true", help="ask the archive even if the cache has the answer"
    )
    p.add_argument(
        "--max-rows",
        type=int,
        help=f"row limit (1..{GAIA_SYNC_ROW_CAP}, default {GAIA_SYNC_ROW_CAP})",
    )
    p.add_argument(
        "--cache-dir",
        type=Path,
        help="cache directory (default $SEDVIZ_CACHE_DIR or ~/.cache/sedviz/archive)",
    )
    p.add_argument(
        "--clear-cache",
        action="store_true",
        help="delete cached archive answers (alone, or before the query)",
    )
    p.set_defaults(func=_run)


def _config(args: argparse.Namespace) -> ArchiveConfig:
    config = default_config()
    changes: dict[str, Any] = {}
    if args.cache_dir is not None:
        changes["cache_dir"] = args.cache_dir.expanduser()
    if args.max_rows is not None:
        if not 1 <= args.max_rows <= GAIA_SYNC_ROW_CAP:
            raise ArchiveInputError(
                f"--max-rows must be 1..{GAIA_SYNC_ROW_CAP}, got {args.max_rows}"
            )
        changes["row_limit"] = args.max_rows
    return dataclasses.replace(config, **changes) if changes else config


def _check_request(args: argparse.Namespace) -> str | None:
    """Return ``"cone"``, ``"list"`` or None (nothing to query); raise on bad combinations."""
    cone = args.name is not None or args.ra is not None or args.dec is not None
    if cone and args.list is not None:
        raise ArchiveInputError("give either --name / --ra --dec or --list, not both")
    if args.name is not None and (args.ra is not None or args.dec is not None):
        raise ArchiveInputError("give either --name or --ra/--dec, not both")
    if (args.ra is None) != (args.dec is None):
        raise ArchiveInputError("--ra and --dec go together")
    if cone and args.radius_deg is None:
        raise ArchiveInputError("a cone search needs --radius-deg")
    if not cone and args.list is None:
        return None
    if args.output is None:
        raise ArchiveInputError("give an output file with -o OUTPUT (.csv or .parquet)")
    check_output_path(args.output)
    return "cone" if cone else "list"


def _read_list(path: Path, config: ArchiveConfig) -> Any:
    if not path.is_file():
        raise ArchiveInputError(f"no such file: {path}")
    return parse_source_list(path.read_bytes(), config)


def _write(result: QueryResult, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    save_table(result.table, output)


def _report(result: QueryResult, output: Path) -> None:
    when = f", fetched {result.fetched_at:%Y-%m-%d %H:%M} UTC" if result.fetched_at else ""
    print(
        f"sedviz query: answered by {result.source_label} ({result.source}{when})", file=sys.stderr
    )
    if result.truncated:
        print(f"sedviz query: result cut at {result.row_limit} rows (row limit)", file=sys.stderr)
    else:
        print(f"sedviz query: result complete ({len(result.table)} stars)", file=sys.stderr)
    for note in result.notes:
        print(f"sedviz query: note: {note}", file=sys.stderr)
    print(f"sedviz query: wrote {len(result.table)} stars to {output}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    config = _config(args)
    kind = _check_request(args)
    if args.clear_cache:
        removed = clear_cache(config)
        print(
            f"sedviz query: cleared {removed} cached answer(s) in {config.cache_dir}",
            file=sys.stderr,
        )
    if kind is None:
        if args.clear_cache:
            return 0
        raise ArchiveInputError("give --name, --ra and --dec, or --list (see --help)")
    if kind == "cone":
        result = query_cone(
            name=args.name, ra=args.ra, dec=args.dec, radius_deg=args.radius_deg,
            offline=args.offline, refresh=args.refresh, config=config,
        )  # fmt: skip
    else:
        sources = _read_list(args.list, config)
        result = query_source_list(
            sources, offline=args.offline, refresh=args.refresh, config=config
        )
    _write(result, args.output)
    _report(result, args.output)
    return 0
