"""Public queries: a cone or a source list in, a :class:`QueryResult` out.

Order of sources for one request: a fresh cached answer; else the archive
(Gaia DR3 + 2MASS + AllWISE, SIMBAD types), stored in the cache; when the
archive fails, the cached answer of any age, else the embedded catalogue.
``offline=True`` skips the network: cache, else embedded catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive import offline as off
from sedviz.archive.cache import CachedAnswer, cache_key, clear_cache_dir, load_answer, save_answer
from sedviz.archive.config import ArchiveConfig, default_config
from sedviz.archive.errors import ArchiveInputError, ArchiveUnavailableError
from sedviz.archive.fetch import (
    ANSWER_COLUMNS,
    GaiaAnswer,
    fetch_gaia_cone,
    fetch_gaia_list,
    fetch_gaia_positions,
    fetch_name,
    fetch_names,
)
from sedviz.archive.inputs import ConeTarget, SourceList, parse_cone_target, parse_radius_deg
from sedviz.archive.simbad import add_simbad_types
from sedviz.catalog.tables import load_catalog, validate_star_table
from sedviz.errors import SedvizError
from sedviz.positions import Frame

#: Offline match radius for named stars (built-in J2000 positions vs J2016 catalogue).
NAME_MATCH_RADIUS_ARCSEC = 30.0

Source = Literal["archive", "cache", "embedded"]
#: Columns of the "not found" frame of a list query.
NOT_FOUND_COLUMNS: tuple[str, ...] = ("row", "value", "reason")
#: How each source is named to the user.
SOURCE_LABELS: dict[str, str] = {
    "archive": "the Gaia archive",
    "cache": "the local cache of archive answers",
    "embedded": "the embedded catalogue",
}


@dataclass(frozen=True)
class QueryResult:
    """A star table in the catalogue schema and where it came from.

    Attributes
    ----------
    table
        Validated star table (:func:`sedviz.catalog.tables.validate_star_table`).
    source
        ``"archive"``, ``"cache"`` or ``"embedded"`` (embedded catalogue).
    truncated
        True when more stars matched than ``row_limit`` (brightest kept).
    row_limit
        The row limit in force.
    description
        The request in words, e.g. ``cone r=0.5 deg around 56.75, 24.1167``.
    fetched_at
        When the archive answered (UTC); None for the embedded catalogue.
    notice
        Text for the user: source, age, cut, and any fallback reason.
    notes
        The parts of the notice that are not about the source (fallback reasons...).
    not_found
        List queries: the input rows no star answered, with columns ``row`` (1-based
        row of the uploaded file), ``value`` (as written) and ``reason``.
    """

    table: pd.DataFrame
    source: Source
    truncated: bool
    row_limit: int
    description: str
    fetched_at: datetime | None = None
    notice: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    not_found: pd.DataFrame = field(default_factory=lambda: _not_found_frame([]), compare=False)

    @property
    def source_label(self) -> str:
        """The answering source in words (``the Gaia archive``...)."""
        return SOURCE_LABELS[self.source]


def _not_found_frame(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(NOT_FOUND_COLUMNS)).astype(
        {"row": "int64", "value": str, "reason": str}
    )


@dataclass(frozen=True)
class _Answer:
    """One online answer before it is cached: table, cut flag, notes, rows not found."""

    table: pd.DataFrame
    truncated: bool
    notes: tuple[str, ...] = ()
    not_found: pd.DataFrame = field(default_factory=lambda: _not_found_frame([]), compare=False)


def _notice(source: Source, n_rows: int, truncated: bool, row_limit: int,
            fetched_at: datetime | None, notes: tuple[str, ...]) -> str:  # fmt: skip
    text = f"{n_rows} star(s) from {SOURCE_LABELS[source]}"
    if source == "cache" and fetched_at is not None:
        text += f" (fetched {fetched_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"
    if source == "embedded":
        text += " (offline answer: Gaia G/BP/RP and Hipparcos data, no infrared bands)"
    text += "."
    if truncated:
        text += (
            f" The answer was cut at {row_limit:,} rows (the row limit; the brightest kept):"
            " raise the limit or narrow the request."
        )
    return " ".join([text, *(n.rstrip(".") + "." for n in notes if n)])


def _result(table: pd.DataFrame, source: Source, truncated: bool, description: str,
            config: ArchiveConfig, fetched_at: datetime | None, notes: tuple[str, ...],
            not_found: pd.DataFrame | None = None) -> QueryResult:  # fmt: skip
    missing = _not_found_frame([]) if not_found is None else not_found
    if len(missing):
        notes = (*notes, f"{len(missing):,} listed row(s) not found (see the not-found list)")
    notice = _notice(source, len(table), truncated, config.row_limit, fetched_at, notes)
    return QueryResult(
        table, source, truncated, config.row_limit, description, fetched_at, notice, notes,
        missing,
    )  # fmt: skip


Fetcher = Callable[[], _Answer]
Embedded = Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]


def _from_cache(cached: CachedAnswer, description: str, config: ArchiveConfig,
                notes: tuple[str, ...]) -> QueryResult:  # fmt: skip
    not_found = _not_found_frame([tuple(r) for r in cached.extra.get("not_found", [])])
    return _result(
        cached.table, "cache", cached.truncated, description, config, cached.fetched_at, notes,
        not_found,
    )  # fmt: skip


def _answer(query: dict[str, Any], description: str, fetch: Fetcher, embedded: Embedded,
            config: ArchiveConfig, *, offline: bool, refresh: bool) -> QueryResult:  # fmt: skip
    key = cache_key({**query, "row_limit": config.row_limit, "simbad": config.with_simbad_types})
    cached = load_answer(config.cache_dir, key)
    max_age = timedelta(days=config.cache_max_age_days)
    if cached is not None and (
        offline or (not refresh and datetime.now(UTC) - cached.fetched_at < max_age)
    ):
        return _from_cache(cached, description, config, (cached.notice,) if cached.notice else ())
    if offline:
        return _embedded(embedded, description, config, "offline mode")
    try:
        answer = fetch()
    except ArchiveUnavailableError as exc:
        if cached is not None:
            reason = f"The archive failed ({exc}); showing the cached answer"
            return _from_cache(cached, description, config, (reason,))
        return _embedded(embedded, description, config, f"The archive failed ({exc})")
    fetched_at = datetime.now(UTC)
    notes = answer.notes
    extra = {"not_found": answer.not_found.to_numpy().tolist()}
    try:
        save_answer(config.cache_dir, key, query, answer.table, truncated=answer.truncated,
                    notice="; ".join(notes), fetched_at=fetched_at, extra=extra)  # fmt: skip
    except OSError as exc:
        notes = (*notes, f"answer not cached ({exc.strerror or exc})")
    return _result(
        answer.table, "archive", answer.truncated, description, config, fetched_at, notes,
        answer.not_found,
    )  # fmt: skip


def _embedded(
    select: Embedded, description: str, config: ArchiveConfig, reason: str
) -> QueryResult:
    try:
        catalog = load_catalog(config.catalog_path)
    except (SedvizError, OSError) as exc:
        raise ArchiveUnavailableError(
            f"{reason}, and the embedded catalogue cannot be read ({exc})"
        ) from None
    rows, not_found = select(catalog)
    truncated = len(rows) > config.row_limit
    table = rows.iloc[: config.row_limit].reset_index(drop=True)
    for column in ANSWER_COLUMNS:  # same columns as an archive answer; NaN = not measured
        if column not in table.columns:
            kind = {**C.REQUIRED_COLUMNS, **C.OPTIONAL_COLUMNS}.get(column, "float")
            table[column] = "" if kind == "str" else np.nan
    note = "Offline mode" if reason == "offline mode" else f"{reason}; answered offline"
    return _result(
        validate_star_table(table), "embedded", truncated, description, config, None, (note,),
        not_found,
    )  # fmt: skip


def _with_types(answer: GaiaAnswer, config: ArchiveConfig, notes: tuple[str, ...] = (),
                not_found: pd.DataFrame | None = None) -> _Answer:  # fmt: skip
    table, note = add_simbad_types(answer.table, config)
    missing = _not_found_frame([]) if not_found is None else not_found
    return _Answer(
        validate_star_table(table), answer.truncated, (*((note,) if note else ()), *notes), missing
    )


def query_cone(
    *, name: str | None = None, ra: object = None, dec: object = None, radius_deg: object,
    where: str | None = None, frame: Frame = "icrs", offline: bool = False,
    refresh: bool = False, config: ArchiveConfig | None = None,
) -> QueryResult:  # fmt: skip
    """Stars within *radius_deg* of a named object, of ``ra``/``dec``, or of *where*.

    ``ra``/``dec`` are degrees (numbers or text) or sexagesimal text
    (``03h47m00s``, ``+24d07m``, ``3:47:00``); *where* is free text, a position in
    any usual form or a name (:func:`sedviz.positions.parse_where`); *frame*
    ``"galactic"`` reads the two values as ``l``/``b``. Names are resolved by SIMBAD
    (then CDS Sesame) online, offline from catalogue numbers (``HIP 17702``) and a
    built-in table.

    Raises
    ------
    ArchiveInputError
        Bad name, coordinates or radius (nothing is sent anywhere).
    ArchiveUnavailableError
        The archive failed and neither cache nor embedded catalogue can answer.
    """
    config = config or default_config()
    target = parse_cone_target(name, ra, dec, where=where, frame=frame)
    radius = parse_radius_deg(radius_deg, config)
    description = f"cone r={radius:g} deg around {target.label}"
    query = {"kind": "cone", **target.key(), "radius_deg": radius}
    return _answer(
        query, description,
        lambda: _fetch_cone(target, radius, config),
        lambda catalog: _embedded_cone(target, radius, catalog),
        config, offline=offline, refresh=refresh,
    )  # fmt: skip


def _fetch_cone(target: ConeTarget, radius_deg: float, config: ArchiveConfig) -> _Answer:
    if target.name is None:
        centre = (target.ra_deg, target.dec_deg)
    else:
        found = fetch_name(target.name, config)
        centre = (found.ra_deg, found.dec_deg)
    return _with_types(fetch_gaia_cone(*centre, radius_deg, config), config)


def _embedded_cone(
    target: ConeTarget, radius_deg: float, catalog: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if target.name is None:
        centre: tuple[float, float] | None = (target.ra_deg, target.dec_deg)
    else:
        centre = off.resolve_name_offline(target.name, catalog)
    if centre is None:
        known = ", ".join(sorted(off.WELL_KNOWN_OBJECTS)[:8])
        raise ArchiveUnavailableError(
            f"cannot resolve {target.name!r} without the network; give RA/Dec, a HIP/HD/Gaia DR3 "
            f"number, or a built-in name ({known}, ...)"
        )
    return off.cone_frame(catalog, centre[0], centre[1], radius_deg), _not_found_frame([])


def query_source_list(
    sources: SourceList, *, offline: bool = False, refresh: bool = False,
    config: ArchiveConfig | None = None,
) -> QueryResult:  # fmt: skip
    """Stars for a parsed source list (see :func:`sedviz.archive.parse_source_list`)."""
    config = config or default_config()
    if len(sources) == 0:
        raise ArchiveInputError("the source list is empty")
    if len(sources) > config.max_list_size:
        raise ArchiveInputError(
            f"the source list has {len(sources):,} entries; the limit is {config.max_list_size:,}"
        )
    description = f"list of {len(sources)} {sources.kind.replace('_', ' ')}(s)"
    query: dict[str, Any] = {"kind": f"list-{sources.kind}", "ids": list(sources.ids),
                             "names": [n.casefold() for n in sources.names],
                             "ra": [round(v, 7) for v in sources.ra_deg],
                             "dec": [round(v, 7) for v in sources.dec_deg]}  # fmt: skip
    fetch = lambda: _fetch_list(sources, config)  # noqa: E731
    embedded = lambda catalog: _embedded_list(sources, catalog, config)  # noqa: E731
    return _answer(query, description, fetch, embedded, config, offline=offline, refresh=refresh)


def _reason(kind: str, config: ArchiveConfig, cut: bool) -> str:
    if cut:
        return f"not in the answer, which was cut at {config.row_limit:,} rows"
    return {
        C.SOURCE_ID: "no such source_id in Gaia DR3",
        C.HIP: "no Gaia DR3 best neighbour for this HIP number",
        "position": f"no Gaia DR3 star within {config.match_radius_arcsec:g} arcsec",
        "name": "SIMBAD's Gaia DR3 id is not in the Gaia answer",
    }[kind]


def _missing(sources: SourceList, found_rows: set[int], reason: str) -> list[tuple[int, str, str]]:
    values = sources.values()
    lost = [
        (row, values[i], reason)
        for i, row in enumerate(sources.rows or range(1, len(sources) + 1))
        if i + 1 not in found_rows
    ]
    return sorted([*lost, *sources.unreadable])


def _fetch_list(sources: SourceList, config: ArchiveConfig) -> _Answer:
    if sources.kind == C.SOURCE_ID and any(v < 0 for v in sources.ids):
        return _fetch_with_hip_ids(sources, config)
    if sources.kind in (C.SOURCE_ID, C.HIP):
        answer = fetch_gaia_list(sources.kind, list(sources.ids), config)
    elif sources.kind == "position":
        answer = fetch_gaia_positions(list(sources.ra_deg), list(sources.dec_deg), config)
    else:
        return _fetch_names_list(sources, config)
    reason = _reason(sources.kind, config, answer.truncated)
    missing = _not_found_frame(_missing(sources, set(answer.input_rows), reason))
    return _with_types(answer, config, not_found=missing)


def _fetch_with_hip_ids(sources: SourceList, config: ArchiveConfig) -> _Answer:
    """A ``source_id`` list holding ``-hip`` ids (catalogue stars without Gaia): those are
    reported, the others asked for."""
    rows = sources.rows or tuple(range(1, len(sources) + 1))
    keep = [i for i, v in enumerate(sources.ids) if v > 0]
    hip_only = [
        (rows[i], str(v), f"source_id {v} is HIP {-v}, a star without a Gaia DR3 counterpart")
        for i, v in enumerate(sources.ids) if v < 0
    ]  # fmt: skip
    if not keep:
        raise ArchiveInputError(
            "the list holds only -hip ids (stars without a Gaia counterpart); "
            "list them in a 'hip' column to ask the archive"
        )
    positive = replace(
        sources, ids=tuple(sources.ids[i] for i in keep), rows=tuple(rows[i] for i in keep)
    )
    answer = _fetch_list(positive, config)
    missing = pd.concat([answer.not_found, _not_found_frame(hip_only)], ignore_index=True)
    return replace(
        answer, not_found=missing.sort_values("row", kind="stable").reset_index(drop=True)
    )


def _fetch_names_list(sources: SourceList, config: ArchiveConfig) -> _Answer:
    found = fetch_names(sources.names, config)
    rows = sources.rows or tuple(range(1, len(sources) + 1))
    missing: list[tuple[int, str, str]] = []
    wanted: dict[int, list[int]] = {}  # source_id -> indices into the list
    for i, (row, name) in enumerate(zip(rows, sources.names, strict=True)):
        hit = found.iloc[i] if i < len(found) else None
        if hit is None or not np.isfinite(hit[C.RA]):
            missing.append((row, name, "not known to SIMBAD"))
        elif pd.isna(hit[C.SOURCE_ID]):
            missing.append((row, name, "SIMBAD lists no Gaia DR3 counterpart"))
        else:
            wanted.setdefault(int(hit[C.SOURCE_ID]), []).append(i)
    if not wanted:
        raise ArchiveInputError(
            "none of the names has a Gaia DR3 counterpart in SIMBAD "
            f"({', '.join(m[1] for m in missing[:5])})"
        )
    ids = list(wanted)
    answer = fetch_gaia_list(C.SOURCE_ID, ids, config)
    reason = _reason("name", config, answer.truncated)
    for k, source_id in enumerate(ids):
        if k + 1 not in answer.input_rows:
            missing.extend((rows[i], sources.names[i], reason) for i in wanted[source_id])
    return _with_types(answer, config, not_found=_not_found_frame(sorted(missing)))


def _embedded_list(
    sources: SourceList, catalog: pd.DataFrame, config: ArchiveConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if sources.kind in (C.SOURCE_ID, C.HIP):
        table = off.ids_frame(catalog, sources.kind, sources.ids)
        have = set(table[sources.kind].dropna().astype("int64")) if len(table) else set()
        found = {i + 1 for i, v in enumerate(sources.ids) if v in have}
        reason = f"not in the embedded catalogue (no {sources.kind} {'match'})"
        return table, _not_found_frame(_missing(sources, found, reason))
    if sources.kind == "position":
        table, found = off.positions_frame(
            catalog, sources.ra_deg, sources.dec_deg, config.match_radius_arcsec
        )
        reason = f"no embedded-catalogue star within {config.match_radius_arcsec:g} arcsec"
        return table, _not_found_frame(_missing(sources, found, reason))
    centres = [off.resolve_name_offline(n, catalog) for n in sources.names]
    resolved = [(i, c) for i, c in enumerate(centres) if c is not None]
    if not resolved:
        raise ArchiveUnavailableError("none of the names can be resolved without the network")
    # Built-in positions are J2000 and the catalogue J2016: allow for proper motion.
    table, matched = off.positions_frame(
        catalog, [c[0] for _, c in resolved], [c[1] for _, c in resolved],
        NAME_MATCH_RADIUS_ARCSEC,
    )  # fmt: skip
    found = {resolved[k - 1][0] + 1 for k in matched}
    rows = sources.rows or tuple(range(1, len(sources) + 1))
    missing = [
        (rows[i], name, "cannot be resolved offline" if centres[i] is None
         else "no embedded-catalogue star at its position")
        for i, name in enumerate(sources.names) if i + 1 not in found
    ]  # fmt: skip
    return table, _not_found_frame(missing)


def clear_cache(config: ArchiveConfig | None = None) -> int:
    """Delete every cached archive answer; return how many files were removed."""
    return clear_cache_dir((config or default_config()).cache_dir)
