"""Disk cache of archive answers: one Parquet file per normalised query.

The file name is a SHA-256 of the query's canonical JSON (kind, numbers,
identifiers, limits, schema version); the Parquet metadata keeps the query,
the time fetched (UTC) and whether the answer was cut. Nothing here touches
the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

#: Bump when the answer schema changes: old entries are then never matched.
CACHE_SCHEMA_VERSION = 2
_META_KEY = b"sedviz.archive"


@dataclass(frozen=True)
class CachedAnswer:
    """A stored answer with what is known about when and how it was fetched."""

    table: pd.DataFrame
    fetched_at: datetime
    truncated: bool
    notice: str
    extra: dict[str, Any] = field(default_factory=dict)


def cache_key(query: dict[str, Any]) -> str:
    """Return the hex SHA-256 of the canonical JSON form of *query*."""
    canonical = json.dumps(
        {"v": CACHE_SCHEMA_VERSION, **query}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    """The Parquet file holding the answer for *key*."""
    return Path(cache_dir) / f"{key}.parquet"


def save_answer(
    cache_dir: Path, key: str, query: dict[str, Any], table: pd.DataFrame, *, truncated: bool,
    notice: str = "", fetched_at: datetime | None = None, extra: dict[str, Any] | None = None,
) -> Path:  # fmt: skip
    """Write *table* atomically (temp file + rename) and return its path."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    when = (fetched_at or datetime.now(UTC)).astimezone(UTC)
    meta = {
        "query": query,
        "fetched_at": when.isoformat(),
        "truncated": truncated,
        "notice": notice,
        "extra": extra or {},
    }
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    merged = {**(arrow.schema.metadata or {}), _META_KEY: json.dumps(meta).encode()}
    arrow = arrow.replace_schema_metadata(merged)
    target = cache_path(cache_dir, key)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(arrow, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def load_answer(cache_dir: Path, key: str) -> CachedAnswer | None:
    """Return the stored answer for *key*, or None if absent or unreadable."""
    path = cache_path(cache_dir, key)
    if not path.is_file():
        return None
    try:
        arrow = pq.read_table(path)
        meta = json.loads((arrow.schema.metadata or {})[_META_KEY])
        fetched_at = datetime.fromisoformat(meta["fetched_at"])
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None  # a damaged entry is a miss; the next fetch overwrites it
    return CachedAnswer(
        table=arrow.to_pandas(),
        fetched_at=fetched_at,
        truncated=bool(meta.get("truncated", False)),
        notice=str(meta.get("notice", "")),
        extra=dict(meta.get("extra", {})),
    )


def clear_cache_dir(cache_dir: Path) -> int:
    """Delete every stored answer in *cache_dir*; return how many files were removed."""
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir():
        return 0
    removed = 0
    for path in [*cache_dir.glob("*.parquet"), *cache_dir.glob("*.tmp")]:
        path.unlink(missing_ok=True)
        removed += 1
    return removed
