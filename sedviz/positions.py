"""Read sky positions and radii the way astronomers type them (parsed by astropy).

:func:`parse_where` takes the text of a "where" box and returns either a position
(ICRS degrees) or a name to resolve:

* decimal degrees, with or without a comma: ``84.05 -1.2``, ``84.05, -1.20``;
* sexagesimal, RA in hours: ``5:36:12 -1:12:07``, ``05 36 12 -01 12 07``,
  ``05h36m12s -01d12m``;
* galactic ``l b`` in degrees, marked ``G 209.0 -19.4`` (or ``gal``/``galactic``), or
  any of the forms above with ``frame="galactic"``;
* anything else is a name (``Pleiades``, ``Orion's belt``, ``HD 23630``).

Nothing here touches the network; a name is resolved by :mod:`sedviz.archive`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from sedviz.errors import SedvizError

MAX_NAME_CHARS: Final = 64
MAX_COORD_CHARS: Final = 60
Frame = Literal["icrs", "galactic"]
_COORD_CHARS = re.compile(r"^[0-9+\-.:,;hdmsHDMS \u00b0'\"\u2032\u2033\u2212]+$")
_GALACTIC_PREFIX = re.compile(r"^\s*(?:g|gal|galactic)\s*[:=]?\s+(?=[0-9+\-.])", re.IGNORECASE)
_LB_PREFIX = re.compile(r"^\s*l\s*=\s*(\S+?)\s*,?\s+b\s*=\s*(\S+)\s*$", re.IGNORECASE)
_STARTS = frozenset("0123456789+-.\u2212")
_DECIMAL = re.compile(r"^[+\-]?(\d+\.?\d*|\.\d+)([eE][+\-]?\d+)?$")


class PositionError(SedvizError, ValueError):
    """A position, name or radius that cannot be read; the message says what and why."""


@dataclass(frozen=True)
class Where:
    """A parsed "where": a name to resolve, or an ICRS position in degrees."""

    name: str | None = None
    ra_deg: float = math.nan
    dec_deg: float = math.nan
    label: str = ""


def parse_name(text: object) -> str:
    """Check an object name; return it with whitespace collapsed.

    Any printable text up to 64 characters is a name (``Orion's belt`` too): names
    travel only as an uploaded table or URL-encoded, never inside a query text.
    """
    if not isinstance(text, str):
        raise PositionError(f"object name must be text, got {type(text).__name__}")
    name = " ".join(text.split())
    if not name:
        raise PositionError("object name is empty")
    if len(name) > MAX_NAME_CHARS:
        raise PositionError(f"object name is too long ({len(name)} > {MAX_NAME_CHARS} characters)")
    if not name.isprintable():
        raise PositionError(f"object name {name[:30]!r} holds control characters")
    return name


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise PositionError(f"{what} must be a finite number, got {value}")
    return value


def parse_radius_deg(value: object, max_radius_deg: float) -> float:
    """Return a cone radius in degrees; refuse (never replace) one out of ``(0, max]``."""
    if isinstance(value, bool) or value is None:
        raise PositionError("radius must be a number of degrees")
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and len(text) > MAX_COORD_CHARS:
        raise PositionError(
            f"radius is too long ({len(text)} characters); give a number of degrees"
        )
    try:
        radius = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PositionError(
            f"radius must be a number of degrees, got {str(value)[:30]!r}"
        ) from None
    radius = _finite(radius, "radius")
    if radius <= 0:
        raise PositionError(f"radius must be positive, got {radius:g} deg")
    if radius > max_radius_deg:
        raise PositionError(
            f"radius {radius:g} deg is larger than the limit of {max_radius_deg:g} deg "
            "(nothing was queried; give a smaller radius)"
        )
    return radius


def _to_icrs(first: str, second: str, frame: Frame) -> tuple[float, float]:
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    decimal = bool(_DECIMAL.match(first)) and bool(_DECIMAL.match(second))
    units = (u.deg, u.deg) if frame == "galactic" or decimal else (u.hourangle, u.deg)
    try:
        if frame == "galactic":
            coord = SkyCoord(l=first, b=second, unit=units, frame="galactic").icrs
        else:
            coord = SkyCoord(first, second, unit=units, frame="icrs")
        ra, dec = float(coord.ra.deg), float(coord.dec.deg)
    except (ValueError, TypeError) as exc:
        raise PositionError(_why(first, second, exc)) from None
    return _finite(ra, "RA"), _finite(dec, "Dec")


def _why(first: str, second: str, exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if "Latitude angle" in text or "-90" in text:
        return f"cannot read {first} {second}: Dec must be between -90 and +90 deg (b too)"
    return f"cannot read {first!r} {second!r} as a position ({text[:90]})"


def _split(text: str) -> tuple[str, str]:
    """Split coordinate text into its two halves (RA-like, Dec-like)."""
    text = text.replace("\u2212", "-")
    if "," in text or ";" in text:
        parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
        if len(parts) == 2:
            return parts[0], parts[1]
    tokens = text.split()
    if len(tokens) == 2:
        return tokens[0], tokens[1]
    if len(tokens) in (4, 6):  # "05 36 12 -01 12 07" or "05 36 -01 12"
        half = len(tokens) // 2
        return ":".join(tokens[:half]), ":".join(tokens[half:])
    raise PositionError(
        f"cannot read {text[:40]!r} as a position: give two values (RA Dec, or l b)"
    )


def parse_coordinates(ra: object, dec: object, frame: Frame = "icrs") -> tuple[float, float]:
    """Return ICRS ``(ra_deg, dec_deg)`` from two values (numbers = degrees, or text).

    Text with ``h``/``:`` or spaces in RA is read as hours; a galactic *frame*
    reads ``l``/``b`` in degrees and converts them.
    """
    values: list[str] = []
    for value, what in ((ra, "RA"), (dec, "Dec")):
        if isinstance(value, bool) or value is None:
            raise PositionError(f"{what} must be a number or a sexagesimal string")
        if isinstance(value, int | float | np.floating | np.integer):
            values.append(repr(_finite(float(value), what)))
            continue
        text = str(value).strip().replace("\u2212", "-")
        if not text or len(text) > MAX_COORD_CHARS or not _COORD_CHARS.match(text):
            raise PositionError(
                f"{what} {text[:30]!r} is not a coordinate (degrees like 56.75, or 03h47m00s / "
                "+24d07m / 3:47:00)"
            )
        values.append(text.replace(" ", ":") if " " in text else text)
    ra_deg, dec_deg = _to_icrs(values[0], values[1], frame)
    if not -90.0 <= dec_deg <= 90.0:
        raise PositionError(f"Dec must be between -90 and +90 deg, got {dec_deg:g}")
    return ra_deg % 360.0, dec_deg


def parse_where(text: object, frame: Frame = "icrs") -> Where:
    """Read a "where" box: a position (see the module docstring) or a name.

    Raises
    ------
    PositionError
        Text that looks like coordinates but cannot be read (the message says which
        part), or a name that is empty, too long or holds control characters.
    """
    if not isinstance(text, str):
        raise PositionError(f"position or name must be text, got {type(text).__name__}")
    clean = " ".join(text.split())
    galactic = _GALACTIC_PREFIX.match(clean)
    lb = _LB_PREFIX.match(clean)
    if lb:
        first, second, frame = lb.group(1), lb.group(2), "galactic"
    elif galactic:
        first, second = _split(clean[galactic.end() :])
        frame = "galactic"
    elif clean[:1] in _STARTS and len(clean) <= MAX_COORD_CHARS and _COORD_CHARS.match(clean):
        first, second = _split(clean)
    else:
        if frame == "galactic":
            raise PositionError(f"cannot read {clean[:40]!r} as galactic l b (two numbers)")
        return Where(name=parse_name(clean), label=parse_name(clean))
    ra, dec = parse_coordinates(first, second, frame)
    label = f"l {first}, b {second}" if frame == "galactic" else f"RA {ra:.5f}, Dec {dec:+.5f}"
    return Where(ra_deg=ra, dec_deg=dec, label=label)
