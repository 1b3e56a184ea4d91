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
    DEFAULT_ROW_LIMIT,
    MAX_ROW_LIMIT,
    ArchiveConfig,
    ArchiveInputError,
    QueryResult,
    check_row_limit,
    clear_cache,
    default_config,
    parse_source_list,
    query_cone,
    query_source_list,
)
from sedviz.tableio import READ_FORMATS, check_output_path, write_table


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
        help="object name, resolved by SIMBAD, then CDS Sesame (offline: built-in names, "
        "HIP/HD numbers)",
    )
    target.add_argument(
        "--ra", help="right ascension: degrees or sexagesimal (03h47m00s, 3:47:00); l with --frame"
    )
    target.add_argument(
        "--dec", help="declination: degrees or sexagesimal (+24d07m, 24:07:00); b with --frame"
    )
    target.add_argument(
        "--list", type=Path, metavar="IDS.csv",
        help="table (CSV, Parquet, VOTable, FITS, ECSV) with source_id, hip, ra+dec or name",
    )  # fmt: skip
    p.add_argument(
        "--frame", choices=("icrs", "galactic"), default="icrs",
        help="frame of --ra/--dec (galactic: l and b in degrees)",
    )  # fmt: skip
    p.add_argument("--radius-deg", help="cone radius in degrees (with --name or --ra/--dec)")
    p.add_argument(
        "-o", "--output", type=Path,
        help="output table (.csv, .parquet, .vot, .fits or .ecsv)",
    )  # fmt: skip
    p.add_argument(
        "--offline", action="store_true", help="no network: cache, else embedded catalogue"
    )
    p.add_argument(
        "--refresh", action="store_true", help="ask the archive even if the cache has the answer"
    )
    p.add_argument(
        "--max-rows",
        type=int,
        help=f"row limit, the brightest kept (1..{MAX_ROW_LIMIT}, default {DEFAULT_ROW_LIMIT}); "
        "above 2000 the archive runs an asynchronous job",
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
        try:
            changes["row_limit"] = check_row_limit(args.max_rows)
        except ValueError as exc:
            raise ArchiveInputError(f"--max-rows: {exc}") from None
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
    if path.suffix.lower() not in READ_FORMATS:  # a list without a known suffix is CSV
        return parse_source_list(path.read_bytes(), config)
    return parse_source_list(path, config)


def _report(result: QueryResult, output: Path) -> None:
    when = f", fetched {result.fetched_at:%Y-%m-%d %H:%M} UTC" if result.fetched_at else ""
    print(
        f"sedviz query: answered by {result.source_label} ({result.source}{when})", file=sys.stderr
    )
    if result.truncated:
        print(
            f"sedviz query: the answer was cut at {result.row_limit} rows "
            "(row limit, brightest kept; raise --max-rows up to 100000)",
            file=sys.stderr,
        )
    else:
        print(f"sedviz query: result complete ({len(result.table)} stars)", file=sys.stderr)
    for note in result.notes:
        print(f"sedviz query: note: {note}", file=sys.stderr)
    for row in result.not_found.head(20).itertuples(index=False):
        print(
            f"sedviz query: not found: row {row.row} {row.value!r}: {row.reason}", file=sys.stderr
        )
    if len(result.not_found) > 20:
        print(f"sedviz query: ... and {len(result.not_found) - 20} more not found", file=sys.stderr)
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
            frame=args.frame, offline=args.offline, refresh=args.refresh, config=config,
        )  # fmt: skip
    else:
        sources = _read_list(args.list, config)
        result = query_source_list(
            sources, offline=args.offline, refresh=args.refresh, config=config
        )
    write_table(result.table, args.output)
    _report(result, args.output)
    return 0
