"""Star names offline: proper names, Bayer and Flamsteed designations, catalogue numbers.

:func:`resolve_star_name` finds the star a user types in a star table, with no network:

* catalogue numbers: ``HIP 91262``, ``HD 172167``, ``HR 7001``, ``Gaia DR3 123...``, or a
  bare number (a Gaia ``source_id`` when >= 10^7, else a HIP number);
* proper names from the table's ``proper_name`` column (``Vega``, ``Rigil Kentaurus``);
* Bayer designations from its ``bayer`` column in every usual spelling: ``alf Lyr``,
  ``alp Lyr``, ``α Lyr``, ``alpha Lyr``, ``Alpha Lyrae``, ``alf1 Cen`` / ``α¹ Cen`` /
  ``Alpha1 Centauri``; without the component number (``alpha Cen``) the brightest star of
  that letter is meant;
* Flamsteed designations from its ``flamsteed`` column: ``61 Cyg``, ``61 Cygni``, ``58 Ori``
  (both columns hold ASCII designations as SIMBAD writes them, ``alf1 Cen``, ``61 Cyg``;
  the Yale catalogue's ``Alp``/``The`` and SIMBAD's ``ksi`` are read too);
* a trailing component letter (``61 Cyg B``, ``alpha Cen B``) picks one of the two stars
  sharing a designation, A the brighter (with three or more, as the Trapezium's tet1 Ori,
  brightness does not tell the letters: no star is picked);
* the small offline list of :mod:`sedviz.archive.offline` (by position) for tables that
  carry no name columns.

Case, spaces, punctuation and accents do not matter. A name that matches nothing raises
:class:`StarNameError`, whose ``suggestions`` are close names (``Betelguese`` ->
``Betelgeuse``). The index of a table is built once and cached for as long as the table
lives; tables are treated as read-only. Spellings are read by
:mod:`sedviz.catalog.designations`.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Final, TypeVar

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.designations import (
    COMPONENTS,
    SPELLINGS,
    Designation,
    name_key,
    parse_designation,
    suggestion_key,
)
from sedviz.catalog.tables import has_gaia_id
from sedviz.errors import SedvizError

#: Bare numbers at or above this are Gaia DR3 source_ids, below it HIP numbers.
MIN_SOURCE_ID: Final = 10_000_000
#: Stars named in the offline list are matched to the nearest star within this radius.
NAME_MATCH_RADIUS_DEG: Final = 30.0 / 3600.0
#: How many close names a :class:`StarNameError` suggests.
MAX_SUGGESTIONS: Final = 3

_NUMBER_RE: Final = re.compile(r"^(gaiadr3|dr3|gaia|hip|hd|hr)?(\d{1,19})$")
_NUMBER_COLUMN: Final = {"gaiadr3": C.SOURCE_ID, "dr3": C.SOURCE_ID, "gaia": C.SOURCE_ID,
                         "hip": C.HIP, "hd": C.HD, "hr": C.HR}  # fmt: skip
_HIP_TAG_RE: Final = re.compile(r"\(\s*HIP\s*(\d{1,6})\s*\)\s*$", re.IGNORECASE)
_K = TypeVar("_K")


class StarNameError(SedvizError, ValueError):
    """No star of the table has this name; ``suggestions`` holds close names (maybe none)."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = (
            f"did you mean {' or '.join(self.suggestions)}?"
            if self.suggestions
            else "try a proper name (Vega), a Bayer or Flamsteed designation (alf Lyr, 61 Cyg), "
            "HIP n, HD n, HR n or Gaia DR3 n"
        )
        super().__init__(f"unknown star name {query[:40]!r}: {hint}")


@dataclass
class StarNameIndex:
    """Look-up tables of one star table; every list of rows is brightest first."""

    proper: dict[str, list[int]] = field(default_factory=dict)
    #: Bayer and Flamsteed designations as stored, compacted ("alf1cen", "61cyg").
    designations: dict[str, list[int]] = field(default_factory=dict)
    #: Brightness rank of every row (a magnitude; smaller is brighter).
    rank: np.ndarray = field(default_factory=lambda: np.empty(0))
    #: column -> (sorted values, row of each value); equal values brightest first.
    numbers: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: name key -> display form, the pool of suggestions.
    known: dict[str, str] = field(default_factory=dict)


def compute_brightness_rank(table: pd.DataFrame) -> np.ndarray:
    """Return a magnitude per row for ordering (V, else Hp, else G; inf when none)."""
    rank = np.full(len(table), np.inf)
    for column in (C.G_MAG, C.HP_MAG, C.V_MAG):  # the last present wins
        if column in table.columns:
            values = pd.to_numeric(table[column], errors="coerce").to_numpy(float)
            rank = np.where(np.isfinite(values), values, rank)
    return rank


def _int_column(table: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    values = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    return values.to_numpy("int64", na_value=0), values.notna().to_numpy(bool)


def _add(buckets: dict[_K, list[int]], key: _K, row: int) -> None:
    buckets.setdefault(key, []).append(row)


def _named_rows(table: pd.DataFrame, column: str, order: np.ndarray) -> list[tuple[int, str]]:
    """(row, text) of the rows of *column* holding a name, in the order *order*."""
    if column not in table.columns:
        return []
    text = table[column].astype("string").fillna("").str.strip().to_numpy(object)[order]
    return [(int(order[i]), str(text[i])) for i in np.flatnonzero(text != "")]


def _compact(values: pd.Series) -> pd.Series:
    """Vectorised :func:`name_key` for ASCII designations as stored ("alf1 Cen" -> "alf1cen")."""
    return values.str.lower().str.replace(r"[^a-z0-9]+", "", regex=True)


def build_name_index(table: pd.DataFrame) -> StarNameIndex:
    """Build the name look-up tables of *table* (use :func:`get_name_index`: it caches)."""
    rank = compute_brightness_rank(table)
    index = StarNameIndex(rank=rank)
    order = np.argsort(rank, kind="stable")  # brightest first
    for row, text in _named_rows(table, C.PROPER_NAME, order):
        for name in filter(None, (part.strip() for part in re.split(r"[;|]", text))):
            _add(index.proper, name_key(name), row)
            index.known.setdefault(suggestion_key(name), name)
    for column in (C.BAYER, C.FLAMSTEED):
        named = _named_rows(table, column, order)
        texts = pd.Series([text for _, text in named], dtype="string")
        for (row, text), key in zip(named, _compact(texts), strict=True):
            _add(index.designations, key, row)
            index.known.setdefault(key, text)
    for column in (C.SOURCE_ID, C.HIP, C.HD, C.HR):
        if column in table.columns:
            values, valid = _int_column(table, column)
            rows = np.flatnonzero(valid)
            by_value = rows[np.lexsort((rank[rows], values[rows]))]
            index.numbers[column] = (values[by_value], by_value)
    for name in _offline().WELL_KNOWN_OBJECTS:
        index.known.setdefault(suggestion_key(name), name.title())
    return index


def _offline() -> ModuleType:
    """:mod:`sedviz.archive.offline`, imported on first use: the archive layer calls this
    module (uploads with a ``name`` column), so importing it at the top would be a cycle."""
    from sedviz.archive import offline

    return offline


_CACHE: dict[int, tuple[weakref.ref[pd.DataFrame], int, StarNameIndex]] = {}


def get_name_index(table: pd.DataFrame) -> StarNameIndex:
    """Return the (cached) name index of *table*, built on first use.

    The cache holds one index per live table object and forgets it when the table
    is garbage-collected; a table must not be modified in place after its first look-up.
    """
    key = id(table)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is table and hit[1] == len(table):
        return hit[2]
    index = build_name_index(table)
    _CACHE[key] = (weakref.ref(table, lambda _: _CACHE.pop(key, None)), len(table), index)
    return index


def _number_row(index: StarNameIndex, column: str, number: int) -> int | None:
    if column not in index.numbers:
        return None
    values, rows = index.numbers[column]
    at = int(np.searchsorted(values, number))
    return int(rows[at]) if at < len(values) and values[at] == number else None


def _designation_rows(index: StarNameIndex, found: Designation) -> list[int]:
    const = found.constellation.lower()
    rows: list[int] = []
    if found.greek:
        digits = [str(found.component)] if found.component else ["", *"123456789"]
        keys = [
            f"{g}{d}{const}" for g in SPELLINGS.get(found.greek, (found.greek,)) for d in digits
        ]
        rows = [row for key in keys for row in index.designations.get(key, [])]
        rows.sort(key=lambda row: index.rank[row])
    if not rows and found.number:
        rows = index.designations.get(f"{found.number}{const}", [])
    if found.letter:  # "alf Cen B", "61 Cyg B": of a pair, A is the brighter
        return rows[found.letter - 1 : found.letter] if len(rows) <= 2 else []
    return rows[:1]


def _position_row(table: pd.DataFrame, position: tuple[float, float]) -> int | None:
    if not len(table) or C.RA not in table.columns or C.DEC not in table.columns:
        return None
    distance = _offline().angular_distance_deg(
        table[C.RA].to_numpy(float), table[C.DEC].to_numpy(float), *position
    )
    if not np.isfinite(distance).any() or np.nanmin(distance) > NAME_MATCH_RADIUS_DEG:
        return None
    return int(np.nanargmin(distance))


def resolve_star_name(table: pd.DataFrame, text: str) -> int | None:
    """Return the row position in *table* of the star *text* names, or None if absent.

    None means *text* is a valid identifier or designation (``HIP 999999``,
    ``omi Lyr``) but no star of *table* carries it.

    Raises
    ------
    StarNameError
        When *text* is not a name, designation or number this module can read;
        its ``suggestions`` are close names of *table* (or of the offline list).
    """
    key = name_key(text)
    if not key:
        raise StarNameError(str(text))
    index = get_name_index(table)
    tagged = _HIP_TAG_RE.search(str(text))  # "tet1 Ori (HIP 26220)", as displayed
    if tagged is not None:
        return _number_row(index, C.HIP, int(tagged.group(1)))
    number = _NUMBER_RE.match(key)
    if number is not None:
        prefix, value = number.group(1), int(number.group(2))
        if prefix is None:
            prefix = "gaia" if value >= MIN_SOURCE_ID else "hip"
        return _number_row(index, _NUMBER_COLUMN[prefix], value)
    if key in index.proper:
        return index.proper[key][0]
    found = parse_designation(text)
    if found is not None:
        rows = _designation_rows(index, found)
        if rows:
            return rows[0]
    named = found is not None and found.greek and not found.letter
    canonical = f"{found.greek} {found.constellation}" if found and named else text
    position = _offline().resolve_name_offline(" ".join(str(canonical).split()), None)
    if position is not None:
        return _position_row(table, position)
    if found is not None:
        return None
    raise StarNameError(str(text), suggest_names(index, text))


def suggest_names(index: StarNameIndex, text: str, n: int = MAX_SUGGESTIONS) -> list[str]:
    """Return up to *n* known names close to *text* (difflib ratio >= 0.75), closest first."""
    close = difflib.get_close_matches(suggestion_key(text), list(index.known), n=n, cutoff=0.75)
    return [index.known[k] for k in close]


def star_display_name(table: pd.DataFrame, row: int, *, with_hip: bool = False) -> str:
    """Return the name to show for the star at *row* of *table*: the one naming rule.

    The first the star has of: its proper name (``Vega``), Bayer designation
    (``alf2 Cen``), Flamsteed designation (``61 Cyg``), ``HIP n``, ``Gaia DR3 n``, else
    ``row n``. Two stars sharing a designation get ``A``/``B`` by brightness
    (``61 Cyg A``); with three or more, which brightness cannot letter, the HIP number
    tells them apart (``tet1 Ori (HIP 26220)``). A HIP number below 1 and a negative
    ``source_id`` (the catalogue key of a star without Gaia) are never shown.

    *with_hip* adds the HIP number to a name, for headings and captions
    (``Vega (HIP 91262)``); tables that have a ``hip`` column of their own leave it out.
    Every name given here is found again by :func:`resolve_star_name`.
    """

    def cell(column: str) -> object:  # one cell: a whole row of ~40 columns is slow
        return table[column].iat[row] if column in table.columns else None

    hip = _whole_number(cell(C.HIP))
    hip = hip if hip is not None and hip > 0 else None
    for column in (C.PROPER_NAME, C.BAYER, C.FLAMSTEED):
        value = cell(column)
        if isinstance(value, str) and value.strip():
            name = re.split(r"[;|]", value)[0].strip()
            letter = "" if column == C.PROPER_NAME else _component_letter(table, name, row)
            if letter is None:  # three or more share it: only a number tells them apart
                return f"{name} (HIP {hip})" if hip is not None else f"{name} (row {row})"
            name = f"{name} {letter}" if letter else name
            return f"{name} (HIP {hip})" if with_hip and hip is not None else name
    if hip is not None:
        return f"HIP {hip}"
    source_id = _whole_number(cell(C.SOURCE_ID))
    if source_id is not None and has_gaia_id([source_id])[0]:
        return f"Gaia DR3 {source_id}"
    return f"row {row}"


def _whole_number(value: object) -> int | None:
    """*value* as an int (without a float round trip: source_ids need 64 bits), or None."""
    if value is None or value is pd.NA or isinstance(value, str):
        return None
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    return int(value)  # type: ignore[call-overload]


def _component_letter(table: pd.DataFrame, designation: str, row: int) -> str | None:
    """``"A"``/``"B"`` for the two stars of a pair sharing *designation* (61 Cyg), by
    brightness; ``""`` when no other star has it; None when more than two share it
    (tet1 Ori), whose letters brightness cannot tell."""
    rows = get_name_index(table).designations.get(name_key(designation), [])
    if len(rows) < 2 or row not in rows:
        return ""
    if len(rows) == 2:
        return COMPONENTS[rows.index(row)].upper()
    return None


def resolve_star_names(table: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Resolve many names at once: one output row per input name, in order.

    Returns
    -------
    DataFrame
        ``query`` (the text given), ``row`` (position in *table*, -1 when not found),
        ``source_id`` and ``hip`` (the table's values, nullable ``Int64``; ``source_id``
        is the table key, negative for stars without Gaia), ``name``
        (:func:`star_display_name`, "" when not found), ``error`` ("" or why not found,
        with suggestions).
    """
    queries = [str(name) for name in names]
    rows: list[int] = []
    errors: list[str] = []
    done: dict[str, tuple[int, str]] = {}
    for query in queries:
        if query not in done:
            done[query] = _resolve_one(table, query)
        rows.append(done[query][0])
        errors.append(done[query][1])
    out = pd.DataFrame({"query": queries, "row": np.asarray(rows, dtype="int64")})
    found = out["row"].to_numpy() >= 0
    for column in (C.SOURCE_ID, C.HIP):
        out[column] = pd.array([pd.NA] * len(out), dtype="Int64")
        if column in table.columns and found.any():
            values = pd.to_numeric(table[column], errors="coerce").astype("Int64")
            out.loc[found, column] = values.iloc[out["row"].to_numpy()[found]].to_numpy()
    out["name"] = [star_display_name(table, r) if r >= 0 else "" for r in rows]
    out["error"] = errors
    return out


def _resolve_one(table: pd.DataFrame, query: str) -> tuple[int, str]:
    try:
        row = resolve_star_name(table, query)
    except StarNameError as exc:
        return -1, str(exc)
    if row is None:
        return -1, f"{query[:40]!r} is not in the catalogue"
    return row, ""
