"""Live archive queries (Gaia DR3 + 2MASS + AllWISE, SIMBAD types), cached and offline-safe.

The only package of sedviz that touches the network. May import ``sedviz.columns``,
``sedviz.errors``, ``sedviz.tableio`` and ``sedviz.catalog`` (star-table validation, the
embedded catalogue for offline answers, the MK parser); nothing above it. Typical use::

    from sedviz.archive import query_cone, parse_source_list, query_source_list
    result = query_cone(name="Pleiades", radius_deg=0.5)
    result.table, result.source, result.truncated, result.notice

Every user input is parsed into numbers or integer identifiers before a query
is built (:mod:`sedviz.archive.inputs`, :mod:`sedviz.archive.adql`); the one
module that calls the services is :mod:`sedviz.archive.services` (astroquery's
public API), the seam the tests replace.
"""

from __future__ import annotations

from sedviz.archive.config import (
    CACHE_DIR_ENV,
    DEFAULT_ROW_LIMIT,
    MAX_ROW_LIMIT,
    ArchiveConfig,
    check_row_limit,
    default_config,
)
from sedviz.archive.core import (
    NOT_FOUND_COLUMNS,
    SOURCE_LABELS,
    QueryResult,
    clear_cache,
    query_cone,
    query_source_list,
)
from sedviz.archive.errors import (
    ArchiveCancelledError,
    ArchiveError,
    ArchiveInputError,
    ArchiveUnavailableError,
)
from sedviz.archive.inputs import (
    ConeTarget,
    SourceList,
    parse_cone_target,
    parse_coordinates,
    parse_name,
    parse_radius_deg,
    parse_source_list,
)

__all__ = [
    "CACHE_DIR_ENV",
    "DEFAULT_ROW_LIMIT",
    "MAX_ROW_LIMIT",
    "NOT_FOUND_COLUMNS",
    "SOURCE_LABELS",
    "ArchiveCancelledError",
    "ArchiveConfig",
    "ArchiveError",
    "ArchiveInputError",
    "ArchiveUnavailableError",
    "ConeTarget",
    "QueryResult",
    "SourceList",
    "check_row_limit",
    "clear_cache",
    "default_config",
    "parse_cone_target",
    "parse_coordinates",
    "parse_name",
    "parse_radius_deg",
    "parse_source_list",
    "query_cone",
    "query_source_list",
]
