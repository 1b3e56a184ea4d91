"""Parse and check everything a user types or uploads, before any query is built.

Only numbers and integer identifiers leave this module; the ADQL builders in
:mod:`sedviz.archive.adql` never see user text. Object names are checked
against a small alphabet and are only ever sent URL-encoded to a name
resolver, never pasted into a query.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive.config import ArchiveConfig, default_config
from sedviz.archive.errors import ArchiveInputError
from sedviz.errors import describe_read_error, format_size_mb

MAX_NAME_CHARS = 64
MAX_COORD_CHARS = 40
MAX_UPLOAD_BYTES = 2_000_000
_NAME_RE = re.compile(r"^[A-Za-z0-9 +\-.*_()\[\]/:]+$")
_COORD_RE = re.compile(r"^[0-9+\-.:hdmsHDMS \u00b0'\"\u2032\u2033]+$")
_GAIA_ID_RE = re.compile(r"^\s*(?:gaia\s*dr3\s*)?(\d{1,19})\s*$", re.IGNORECASE)
_HIP_RE = re.compile(r"^\s*(?:hip\s*)?(\d{1,6})\s*$", re.IGNORECASE)
_CATALOGUE_NAME_RE = re.compile(r"^(gaia\s*dr3|hip|hd)\s*(\d{1,19})$", re.IGNORECASE)
MAX_HIP = 120_416
MAX_SOURCE_ID = 2**63 - 1

ListKind = Literal["source_id", "hip", "position", "name"]


@dataclass(frozen=True)
class SourceList:
    """A parsed source list: one kind of identifier, checked and de-duplicated.

    ``ids`` holds integers for ``source_id``/``hip``, ``names`` holds checked
    names, ``ra_deg``/``dec_deg`` hold positions (degrees) for ``position``.
    """

    kind: ListKind
    ids: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    ra_deg: tuple[float, ...] = ()
    dec_deg: tuple[float, ...] = ()

    def __len__(self) -> int:
        return max(len(self.ids), len(self.names), len(self.ra_deg))


def parse_name(text: object) -> str:
    """Check an object name and return it with whitespace collapsed.

    Raises
    ------
    ArchiveInputError
        If it is empty, longer than 64 characters, or holds characters other
        than letters, digits, spaces and ``+ - . * _ ( ) [ ] / :``.
    """
    if not isinstance(text, str):
        raise ArchiveInputError(f"object name must be text, got {type(text).__name__}")
    name = " ".join(text.split())
    if not name:
        raise ArchiveInputError("object name is empty")
    if len(name) > MAX_NAME_CHARS:
        raise ArchiveInputError(f"object name is too long ({len(name)} > {MAX_NAME_CHARS} chars)")
    if not _NAME_RE.match(name):
        bad = next(ch for ch in name if not _NAME_RE.match(ch))
        raise ArchiveInputError(
            f"object name {name[:30]!r} contains {bad!r}; use letters, digits, spaces "
            "and + - . * _ ( ) [ ] / : only"
        )
    return name


def catalogue_number(name: str) -> tuple[str, int] | None:
    """Return ``("source_id"|"hip"|"hd", number)`` for names like ``HIP 17702``, else None."""
    match = _CATALOGUE_NAME_RE.match(name.strip())
    if match is None:
        return None
    prefix = match.group(1).lower().replace(" ", "")
    kind = {"gaiadr3": "source_id", "hip": "hip", "hd": "hd"}[prefix]
    return kind, int(match.group(2))


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ArchiveInputError(f"{what} must be a finite number, got {value}")
    return value


def parse_radius_deg(value: object, config: ArchiveConfig) -> float:
    """Return a cone radius in degrees, checked against ``config.max_radius_deg``."""
    if isinstance(value, bool):
        raise ArchiveInputError("radius must be a number of degrees")
    if isinstance(value, str) and len(value.strip()) > MAX_COORD_CHARS:
        raise ArchiveInputError(
            f"radius is too long ({len(value)} chars); give a number of degrees"
        )
    try:
        radius = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ArchiveInputError(
            f"radius must be a number of degrees, got {str(value)[:30]!r}"
        ) from None
    radius = _finite(radius, "radius")
    if radius <= 0:
        raise ArchiveInputError(f"radius must be positive, got {radius} deg")
    if radius > config.max_radius_deg:
        raise ArchiveInputError(
            f"radius {radius:g} deg is larger than the limit of {config.max_radius_deg:g} deg"
        )
    return radius


def _coord_text(value: object, what: str) -> str | float:
    if isinstance(value, bool) or value is None:
        raise ArchiveInputError(f"{what} must be a number or a sexagesimal string")
    if isinstance(value, int | float | np.floating | np.integer):
        return _finite(float(value), what)
    text = str(value).strip()
    if not text or len(text) > MAX_COORD_CHARS or not _COORD_RE.match(text):
        raise ArchiveInputError(
            f"{what} {text[:30]!r} is not a coordinate (degrees like 56.75, or 03h47m00s / +24d07m)"
        )
    try:
        return _finite(float(text), what)
    except ValueError:
        return text


def parse_coordinates(ra: object, dec: object) -> tuple[float, float]:
    """Return ICRS ``(ra_deg, dec_deg)`` from degrees or sexagesimal text.

    Plain numbers are degrees; text with ``h``/``:`` in RA is read as hours,
    Dec as degrees (astropy ``SkyCoord`` parses the sexagesimal forms).
    """
    ra_v, dec_v = _coord_text(ra, "RA"), _coord_text(dec, "Dec")
    if isinstance(ra_v, str) or isinstance(dec_v, str):
        ra_deg, dec_deg = _parse_sexagesimal(str(ra_v), str(dec_v))
    else:
        ra_deg, dec_deg = ra_v, dec_v
    if not -90.0 <= dec_deg <= 90.0:
        raise ArchiveInputError(f"Dec must be between -90 and +90 deg, got {dec_deg:g}")
    if not -360.0 < ra_deg < 720.0:
        raise ArchiveInputError(f"RA must be between 0 and 360 deg, got {ra_deg:g}")
    return ra_deg % 360.0, dec_deg


@dataclass(frozen=True)
class ConeTarget:
    """A checked cone centre: a name to resolve, or ICRS degrees."""

    name: str | None = None
    ra_deg: float = math.nan
    dec_deg: float = math.nan

    @property
    def label(self) -> str:
        """The centre in words, for notices."""
        if self.name is not None:
            return self.name
        return f"RA {self.ra_deg:.5f}, Dec {self.dec_deg:+.5f}"

    def key(self) -> dict[str, object]:
        """The normalised centre for the cache key."""
        if self.name is not None:
            return {"name": self.name.casefold()}
        return {"ra": round(self.ra_deg, 7), "dec": round(self.dec_deg, 7)}


def parse_cone_target(name: object, ra: object, dec: object) -> ConeTarget:
    """Check that exactly one of *name* or (*ra*, *dec*) is given and parse it."""
    if name is not None and (ra is not None or dec is not None):
        raise ArchiveInputError("give either a name or RA and Dec, not both")
    if name is not None:
        return ConeTarget(name=parse_name(name))
    if ra is None or dec is None:
        raise ArchiveInputError("give a name, or both RA and Dec")
    ra_deg, dec_deg = parse_coordinates(ra, dec)
    return ConeTarget(ra_deg=ra_deg, dec_deg=dec_deg)


def _parse_sexagesimal(ra: str, dec: str) -> tuple[float, float]:
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    hours = any(ch in ra.lower() for ch in "h:") or " " in ra.strip()
    try:
        coord = SkyCoord(ra, dec, unit=(u.hourangle if hours else u.deg, u.deg), frame="icrs")
    except (ValueError, TypeError) as exc:
        raise ArchiveInputError(f"cannot read coordinates {ra!r} {dec!r}: {exc}"[:160]) from None
    return float(coord.ra.deg), float(coord.dec.deg)


def _parse_int_column(
    values: pd.Series, pattern: re.Pattern[str], what: str, top: int
) -> list[int]:
    out: list[int] = []
    for row, raw in enumerate(values.tolist()):
        text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        match = pattern.match(text[:40])
        if match is None or not 0 < int(match.group(1)) <= top:
            raise ArchiveInputError(f"row {row + 1}: {text[:30]!r} is not a valid {what}")
        out.append(int(match.group(1)))
    return list(dict.fromkeys(out))


def _row(parse: Callable[[str], str], row: int, value: object) -> str:
    try:
        return parse(str(value))
    except ArchiveInputError as exc:
        raise ArchiveInputError(f"row {row + 1}: {exc}") from None


def _parse_names(values: pd.Series, config: ArchiveConfig) -> SourceList:
    names = [_row(parse_name, row, v) for row, v in enumerate(values.fillna("").tolist())]
    if len(names) > config.max_names:
        raise ArchiveInputError(f"the list has {len(names)} names; the limit is {config.max_names}")
    return SourceList("name", names=tuple(dict.fromkeys(names)))


def _parse_positions(table: pd.DataFrame) -> SourceList:
    ras: list[float] = []
    decs: list[float] = []
    for row, (ra, dec) in enumerate(zip(table[C.RA].tolist(), table[C.DEC].tolist(), strict=True)):
        try:
            ra_deg, dec_deg = parse_coordinates(ra, dec)
        except ArchiveInputError as exc:
            raise ArchiveInputError(f"row {row + 1}: {exc}") from None
        ras.append(ra_deg)
        decs.append(dec_deg)
    return SourceList("position", ra_deg=tuple(ras), dec_deg=tuple(decs))


def _read_upload(data: bytes | str | pd.DataFrame) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    raw = data.encode() if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ArchiveInputError(
            f"the source list is {format_size_mb(len(raw))}, more than the "
            f"{format_size_mb(MAX_UPLOAD_BYTES)} allowed: split it into smaller lists"
        )
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, comment="#", skipinitialspace=True)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ArchiveInputError(
            f"cannot read the source list: {describe_read_error(exc)}"
        ) from None


def parse_source_list(
    data: bytes | str | pd.DataFrame, config: ArchiveConfig | None = None
) -> SourceList:
    """Read an uploaded source list (CSV bytes/text or a DataFrame).

    The first of these columns found decides the kind: ``source_id`` (Gaia DR3,
    optionally written ``Gaia DR3 123...``), ``hip`` (``HIP 123`` allowed),
    ``ra`` + ``dec`` (degrees or sexagesimal), ``name``. Header names are
    matched case-insensitively. Duplicates are dropped, order kept.

    Raises
    ------
    ArchiveInputError
        Naming the first bad row, or when the list is empty or too long.
    """
    config = config or default_config()
    table = _read_upload(data)
    table = table.rename(columns={c: str(c).strip().lower() for c in table.columns})
    if len(table) == 0:
        raise ArchiveInputError("the source list is empty")
    if len(table) > config.max_list_size:
        raise ArchiveInputError(
            f"the source list has {len(table)} rows; the limit is {config.max_list_size}"
        )
    if C.SOURCE_ID in table.columns:
        ids = _parse_int_column(
            table[C.SOURCE_ID], _GAIA_ID_RE, "Gaia DR3 source_id", MAX_SOURCE_ID
        )
        return SourceList("source_id", ids=tuple(ids))
    if C.HIP in table.columns:
        return SourceList(
            "hip", ids=tuple(_parse_int_column(table[C.HIP], _HIP_RE, "HIP number", MAX_HIP))
        )
    if C.RA in table.columns and C.DEC in table.columns:
        return _parse_positions(table)
    if "name" in table.columns:
        return _parse_names(table["name"], config)
    raise ArchiveInputError(
        "the source list needs a column source_id, hip, ra and dec, or name "
        f"(found: {', '.join(map(str, table.columns[:8]))})"
    )
