"""Settings for archive queries, in one place (astroquery-style ``conf``).

Every limit the user can run into (radius, row limit, list size) and every
knob of the network layer (URLs, timeout, retries) lives in
:class:`ArchiveConfig`. Functions take a config and fall back to
:func:`default_config`; tests and the app derive variants with
``dataclasses.replace``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Environment variable that moves the disk cache (default ``~/.cache/sedviz/archive``).
CACHE_DIR_ENV = "SEDVIZ_CACHE_DIR"

#: Gaia archive synchronous TAP jobs return at most this many rows.
GAIA_SYNC_ROW_CAP = 2000


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
    gaia_tap_url, simbad_tap_url, sesame_url
        Synchronous TAP endpoints (Gaia archive, SIMBAD) and the CDS Sesame
        name resolver (the name is appended, URL-encoded).
    timeout_s
        Timeout of one HTTP request, seconds.
    retries, backoff_s
        Extra attempts after a transient fault, waiting ``backoff_s * 2**k``
        seconds before attempt ``k + 1``.
    row_limit
        Rows asked for; the user is told when a result was cut there.
        At most :data:`GAIA_SYNC_ROW_CAP`.
    max_radius_deg
        Largest cone radius accepted, degrees.
    max_list_size, max_names
        Largest source list accepted, and largest number of names in a list
        (each name costs one resolver call).
    batch_size
        Identifiers per ADQL ``IN (...)`` query (Gaia and SIMBAD).
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
    """

    gaia_tap_url: str = "https://gea.esac.esa.int/tap-server/tap/sync"
    simbad_tap_url: str = "https://simbad.cds.unistra.fr/simbad/sim-tap/sync"
    sesame_url: str = "https://cds.unistra.fr/cgi-bin/nph-sesame/-ox/SNV"
    timeout_s: float = 30.0
    retries: int = 2
    backoff_s: float = 1.0
    row_limit: int = GAIA_SYNC_ROW_CAP
    max_radius_deg: float = 2.0
    max_list_size: int = 2000
    max_names: int = 50
    batch_size: int = 500
    match_radius_arcsec: float = 2.0
    with_simbad_types: bool = True
    cache_dir: Path = field(default_factory=_default_cache_dir)
    cache_max_age_days: float = 30.0
    catalog_path: Path | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.row_limit <= GAIA_SYNC_ROW_CAP:
            raise ValueError(f"row_limit must be 1..{GAIA_SYNC_ROW_CAP}, got {self.row_limit}")
        if not 0 < self.max_radius_deg <= 10:
            raise ValueError(f"max_radius_deg must be in (0, 10], got {self.max_radius_deg}")
        if self.retries < 0 or self.backoff_s < 0 or self.timeout_s <= 0:
            raise ValueError("retries and backoff_s must be >= 0 and timeout_s > 0")
        if not 1 <= self.batch_size <= 2000:
            raise ValueError(f"batch_size must be 1..2000, got {self.batch_size}")


def default_config() -> ArchiveConfig:
    """Return the default settings (the cache directory read from the environment now)."""
    return ArchiveConfig()
