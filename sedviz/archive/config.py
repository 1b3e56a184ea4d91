"""Settings for archive queries, in one place (astroquery-style ``conf``).

Every limit the user can run into (radius, row limit, list size) and every
knob of the network layer (URLs, timeout, retries) lives in
:class:`ArchiveConfig`. Functions take a config and fall back to
:func:`default_config`; tests and the app derive variants with
``dataclasses.replace``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Environment variable that moves the disk cache (default ``~/.cache/sedviz/archive``).
CACHE_DIR_ENV = "SEDVIZ_CACHE_DIR"

#: Gaia archive synchronous jobs return at most this many rows; larger answers use async jobs.
GAIA_SYNC_ROW_CAP = 2000
#: Default and largest row limit of one query (``--max-rows``, the Stars page).
DEFAULT_ROW_LIMIT = 5000
MAX_ROW_LIMIT = 100_000
#: Largest uploaded source list (rows), one table upload to the Gaia archive.
MAX_LIST_SIZE = 20_000


def _default_cache_dir() -> Path:
    env = os.environ.get(CACHE_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "sedviz" / "archive"


@dataclass(frozen=True)
class ArchiveConfig:
    """Limits, service addresses and cache settings for archive queries.

    Attributes
    ----------
    timeout_s
        Longest wait for a synchronous answer (small Gaia queries, SIMBAD), seconds.
    job_timeout_s
        Longest wait for an asynchronous Gaia job (row limit above 2,000), seconds.
    retries, backoff_s
        Extra attempts after a transient fault, waiting ``backoff_s * 2**k``
        seconds before attempt ``k + 1``.
    row_limit
        Rows asked for (the brightest kept); the user is told when a result was cut
        there. 1 to :data:`MAX_ROW_LIMIT`.
    max_radius_deg
        Largest cone radius accepted, degrees.
    max_list_size, max_names
        Largest source list accepted, and largest number of names in a list
        (each name costs one resolver call).
    batch_size
        Identifiers per SIMBAD upload (spectral types).
    match_radius_arcsec
        Radius for matching ``ra``/``dec`` list positions to stars.
    with_simbad_types
        Whether online answers are completed with SIMBAD spectral types.
    cache_dir, cache_max_age_days
        Where answers are stored (Parquet), and how old a stored answer may be
        before the archive is asked again (older answers still serve as a
        fallback when the archive fails).
    catalog_path
        Embedded catalogue used offline (``None``: the packaged one).
    progress, cancel
        Asynchronous jobs: ``progress(phase, elapsed_s)`` is called while the job runs;
        ``cancel()`` returning True stops and removes it. Not part of the cache key.
    """

    timeout_s: float = 60.0
    job_timeout_s: float = 900.0
    retries: int = 2
    backoff_s: float = 1.0
    row_limit: int = DEFAULT_ROW_LIMIT
    max_radius_deg: float = 2.0
    max_list_size: int = MAX_LIST_SIZE
    max_names: int = 2000
    batch_size: int = 10_000
    match_radius_arcsec: float = 2.0
    with_simbad_types: bool = True
    cache_dir: Path = field(default_factory=_default_cache_dir)
    cache_max_age_days: float = 30.0
    catalog_path: Path | None = None
    progress: Callable[[str, float], None] | None = field(default=None, compare=False)
    cancel: Callable[[], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        check_row_limit(self.row_limit)
        if not 0 < self.max_radius_deg <= 10:
            raise ValueError(f"max_radius_deg must be in (0, 10], got {self.max_radius_deg}")
        if self.retries < 0 or self.backoff_s < 0 or self.timeout_s <= 0:
            raise ValueError("retries and backoff_s must be >= 0 and timeout_s > 0")
        if not 1 <= self.batch_size <= 50_000:
            raise ValueError(f"batch_size must be 1..50000, got {self.batch_size}")


def check_row_limit(value: object) -> int:
    """Return a row limit in ``1..MAX_ROW_LIMIT``; refuse anything else with a plain message."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"the row limit must be a whole number, got {value!r}")
    if not 1 <= value <= MAX_ROW_LIMIT:
        raise ValueError(
            f"the row limit must be between 1 and {MAX_ROW_LIMIT:,} stars, got {value:,}; "
            "for more, split the region into smaller cones"
        )
    return value


def default_config() -> ArchiveConfig:
    """Return the default settings (the cache directory read from the environment now)."""
    return ArchiveConfig()
