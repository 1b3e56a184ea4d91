"""Read and write the tables astronomers exchange: one reader, one writer, one output check.

Every star-table and id-list input of sedviz (``classify``, ``fit-sed``, ``query --list``,
``train --only``, the two upload widgets) goes through :func:`read_table`, which reads
CSV, Parquet, VOTable (``.vot``/``.xml``/``.votable``), FITS (``.fits``/``.fit``) and ECSV
with :meth:`astropy.table.Table.read` (Parquet with pandas), matches column names
case-insensitively (``SOURCE_ID`` -> ``source_id``) plus a few real archive aliases
(:data:`ALIASES`), and keeps the units in ``frame.attrs["units"]``. A column in a
convertible unit other than the catalogue's (``parallax`` in arcsec, ``ra`` in rad) is
converted. :func:`write_table` writes CSV, Parquet, VOTable, FITS or ECSV, chosen by the
suffix, after :func:`check_output_path`; every VOTable (files and the app's downloads) is
written by :func:`votable_bytes` (BINARY2, rows packed by :mod:`sedviz.votable`).

Id lists (:func:`read_source_list`) hold one kind of identifier: Gaia DR3 ``source_id``
(also written ``Gaia DR3 123...``, as in the archive's ``designation``; ``-hip`` for a
catalogue star without a Gaia counterpart), Hipparcos ``hip`` (``HIP 123``), ``ra`` + ``dec`` positions, or object ``name``.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.errors import SedvizError, StarTableError, describe_read_error

if TYPE_CHECKING:
    from astropy.table import Table

#: Reader format per file suffix (``None``: read with pandas).
READ_FORMATS: Final[dict[str, str | None]] = {
    ".csv": "ascii.csv", ".txt": "ascii.csv", ".gz": "ascii.csv",
    ".parquet": None, ".pq": None,
    ".vot": "votable", ".xml": "votable", ".votable": "votable",
    ".fits": "fits", ".fit": "fits",
    ".ecsv": "ascii.ecsv",
}  # fmt: skip
#: Writer format per output suffix.
WRITE_FORMATS: Final[dict[str, str | None]] = {
    ".csv": "csv", ".parquet": None, ".pq": None,
    ".vot": "votable", ".xml": "votable", ".votable": "votable",
    ".fits": "fits", ".fit": "fits", ".ecsv": "ascii.ecsv",
}  # fmt: skip
#: Archive column names that mean one of ours (lower-cased key -> catalogue name).
#: ``designation`` is the Gaia archive's "Gaia DR3 <source_id>"; ``main_id`` is SIMBAD's name.
ALIASES: Final[dict[str, str]] = {
    "designation": "designation",
    "main_id": "name",
    "user_specified_id": "name",
    "object": "name",
    "hip_number": C.HIP,
    "ra_icrs": C.RA,
    "de_icrs": C.DEC,
    "dec_icrs": C.DEC,
    "plx": C.PARALLAX,
    "gmag": C.G_MAG,
}
#: Units of the catalogue's columns; other convertible units are converted on reading.
UNITS: Final[dict[str, str]] = {
    C.RA: "deg", C.DEC: "deg", C.PARALLAX: "mas", C.PARALLAX_ERROR: "mas",
    C.PMRA: "mas / yr", C.PMDEC: "mas / yr", C.HIP_PARALLAX: "mas",
    C.HIP_PARALLAX_ERROR: "mas", C.MATCH_SEP_ARCSEC: "arcsec",
}  # fmt: skip
#: Local ids for rows that have only a name: ``-(NAME_ID_OFFSET + row)``, far from ``-hip``.
NAME_ID_OFFSET: Final = 1_000_000_000
MAX_UPLOAD_BYTES: Final = 50_000_000
MAX_HIP: Final = 120_416
MAX_SOURCE_ID: Final = 2**63 - 1
_GAIA_ID_RE = re.compile(r"^\s*(?:gaia\s*dr3\s*)?(\d{1,19})\s*$", re.IGNORECASE)
#: A catalogue ``source_id``: a Gaia DR3 id, or ``-hip`` for a star without a Gaia counterpart.
_SOURCE_ID_RE = re.compile(r"^\s*(?:gaia\s*dr3\s*)?(-?\d{1,19})\s*$", re.IGNORECASE)
_HIP_RE = re.compile(r"^\s*(?:hip\s*)?(\d{1,6})\s*$", re.IGNORECASE)

ListKind = Literal["source_id", "hip", "position", "name"]


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".gz" and Path(name).stem.lower().endswith(".ecsv"):
        return ".ecsv"
    return suffix


def _bad_type(name: str, kinds: dict[str, str | None]) -> str:
    known = ", ".join(sorted({k for k in kinds if k not in {".txt", ".gz", ".pq"}}))
    return f"{name}: unknown file type '{_suffix(name) or '(none)'}' (use {known})"


def table_to_frame(table: object) -> pd.DataFrame:
    """Return an astropy Table as a DataFrame, its units in ``attrs["units"]``.

    Masked values become NaN (floats), ``<NA>`` (integers) or ``""`` (text).
    """
    from astropy.table import Table

    if not isinstance(table, Table):
        raise StarTableError(f"expected an astropy Table, got {type(table).__name__}")
    return _table_frame(table.copy(copy_data=False))


def _table_frame(table: Table) -> pd.DataFrame:
    units = {n: str(table[n].unit) for n in table.colnames if table[n].unit is not None}
    for name in table.colnames:  # multidimensional columns cannot become a DataFrame
        if table[name].ndim > 1:
            table.remove_column(name)
    frame = table.to_pandas(index=False)
    for name in frame.columns:  # FITS/VOTable text arrives as bytes
        if frame[name].dtype == object and len(frame) and isinstance(frame[name].iloc[0], bytes):
            frame[name] = frame[name].str.decode("utf-8", errors="replace")
    frame.attrs["units"] = units
    return frame


def read_table(source: str | Path | bytes, name: str | None = None) -> pd.DataFrame:
    """Read a table file (or its bytes) and return it with normalised column names.

    Parameters
    ----------
    source
        A path, or the file's bytes (an upload).
    name
        File name for bytes (its suffix chooses the format) and for messages.

    Returns
    -------
    pandas.DataFrame
        Columns lower-cased and aliased (:func:`normalise_columns`); units (astropy
        strings) in ``attrs["units"]``, converted to the catalogue's where they differ.

    Raises
    ------
    StarTableError
        Missing file, unknown type, or a file the reader cannot parse.
    """
    if isinstance(source, bytes):
        label = name or "upload"
        if len(source) > MAX_UPLOAD_BYTES:
            raise StarTableError(
                f"{label} is {len(source) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB"
            )
        data: io.BytesIO | Path = io.BytesIO(source)
    else:
        data = Path(source)
        label = name or data.name
        if not data.is_file():
            raise StarTableError(f"no such file: {data}")
    suffix = _suffix(label)
    if suffix not in READ_FORMATS:
        raise StarTableError(_bad_type(label, READ_FORMATS))
    try:
        frame = _read(data, READ_FORMATS[suffix])
    except StarTableError:
        raise
    except UnicodeDecodeError:
        raise StarTableError(
            f"cannot read {label}: it is not a text table (is it a {suffix} file?)"
        ) from None
    except Exception as exc:  # astropy readers raise many types; the message is what counts
        raise StarTableError(f"cannot read {label}: {describe_read_error(exc)}") from None
    return convert_units(normalise_columns(frame))


def _read(data: io.BytesIO | Path, fmt: str | None) -> pd.DataFrame:
    if fmt is None:
        return pd.read_parquet(data)
    if fmt == "ascii.csv":  # pandas reads plain CSV faster and keeps 19-digit ids exact
        return pd.read_csv(data, comment="#", low_memory=False, skipinitialspace=True)
    from astropy.io.votable.exceptions import VOWarning
    from astropy.table import Table
    from astropy.units import UnitsWarning

    with warnings.catch_warnings():
        # Archives write slightly non-standard VOTables and units; the data is still fine.
        warnings.simplefilter("ignore", VOWarning)
        warnings.simplefilter("ignore", UnitsWarning)
        table = Table.read(data, format=fmt)
    return table_to_frame(table)


def normalise_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case and strip column names, then map :data:`ALIASES` (first match wins)."""
    units = dict(frame.attrs.get("units", {}))
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for column in frame.columns:
        key = str(column).strip().lower()
        key = ALIASES.get(key, key) if ALIASES.get(key, key) not in taken else key
        if key in taken:
            raise StarTableError(f"two columns are both named {key!r} (names ignore case)")
        taken.add(key)
        renamed[column] = key
    out = frame.rename(columns=renamed)
    out.attrs["units"] = {renamed[k]: v for k, v in units.items() if k in renamed}
    return out


def convert_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Convert columns whose unit differs from :data:`UNITS` (e.g. parallax in arcsec)."""
    from astropy import units as u

    units: dict[str, str] = dict(frame.attrs.get("units", {}))
    out = frame
    for name, target in UNITS.items():
        given = units.get(name)
        if name not in frame.columns or not given or given == target:
            continue
        try:
            factor = u.Unit(given).to(u.Unit(target))
        except (ValueError, u.UnitConversionError):
            raise StarTableError(
                f"column '{name}' is in {given}, which cannot be converted to {target}"
            ) from None
        out = out.assign(**{name: pd.to_numeric(out[name], errors="coerce") * factor})
        units[name] = target
    out.attrs["units"] = units
    return out


def fill_identifiers(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every row a ``source_id`` from whichever identifier the table has.

    ``source_id`` as given; else the Gaia ``designation`` ("Gaia DR3 <n>"); else
    ``-hip`` (the catalogue's rule for stars without a Gaia counterpart); else, for a
    table with only ``name``, a local id ``-(NAME_ID_OFFSET + row)``.

    Raises
    ------
    StarTableError
        When the table has none of ``source_id``, ``designation``, ``hip``, ``name``.
    """
    if C.SOURCE_ID in frame.columns:
        return frame
    out = frame.copy()
    if "designation" in out.columns:
        out[C.SOURCE_ID] = [_designation_id(v, row) for row, v in enumerate(out["designation"])]
    elif C.HIP in out.columns:
        hip = pd.to_numeric(out[C.HIP], errors="coerce")
        if hip.isna().any():
            row = int(np.flatnonzero(hip.isna().to_numpy())[0])
            raise StarTableError(f"row {row + 1}: the 'hip' column is empty or not a number")
        out[C.SOURCE_ID] = -hip.astype("int64")
    elif "name" in out.columns:
        out[C.SOURCE_ID] = -(NAME_ID_OFFSET + np.arange(len(out), dtype="int64"))
    else:
        raise StarTableError(
            "star table is missing required column(s): an identifier, one of source_id, "
            "designation (Gaia DR3 n), hip or name "
            f"(columns found: {', '.join(map(str, frame.columns[:12]))})"
        )
    return out


def _designation_id(value: object, row: int) -> int:
    match = _GAIA_ID_RE.match(str(value))
    if match is None:
        raise StarTableError(f"row {row + 1}: designation {str(value)[:40]!r} is not 'Gaia DR3 n'")
    return int(match.group(1))


# --- output ------------------------------------------------------------------------------
def check_output_path(path: str | Path, allowed: tuple[str, ...] | None = None) -> Path:
    """Return *path* if its suffix names a format we write, else raise :class:`StarTableError`."""
    path = Path(path)
    kinds = allowed or tuple(WRITE_FORMATS)
    if path.suffix.lower() not in kinds:
        raise StarTableError(
            f"output {path.name!r}: unknown file type (use {', '.join(k for k in kinds if k != '.pq')})"
        )
    return path


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write *frame* in the format its suffix names (CSV, Parquet, VOTable, FITS, ECSV)."""
    path = check_output_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = WRITE_FORMATS[path.suffix.lower()]
    if fmt is None:
        frame.to_parquet(path, index=False)
    elif fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "votable":
        path.write_bytes(votable_bytes(frame))
    else:
        from astropy.io.votable.exceptions import VOWarning
        from astropy.units import UnitsWarning

        table = to_astropy(frame)
        if fmt == "fits":
            _ascii_text_columns(table)
        with warnings.catch_warnings():  # archive unit strings that are not VOUnit stay as text
            warnings.simplefilter("ignore", VOWarning)
            warnings.simplefilter("ignore", UnitsWarning)
            table.write(path, format=fmt, overwrite=True)
    return path


def votable_bytes(frame: pd.DataFrame, description: str = "") -> bytes:
    """Return *frame* as a VOTable 1.4 document, BINARY2 serialisation (the one VOTable writer).

    The table is :func:`to_astropy`'s (units, masked integers, text); astropy writes the
    header and :func:`sedviz.votable.build_votable_bytes` packs the rows with NumPy: the
    bytes astropy's own writer gives, over ten times sooner. *description* (at most 500
    characters) becomes the table's DESCRIPTION.
    """
    from astropy.io.votable.exceptions import VOWarning
    from astropy.units import UnitsWarning

    from sedviz.votable import build_votable_bytes

    table = to_astropy(frame)
    if description:
        table.meta["description"] = description[:500]
    with warnings.catch_warnings():  # archive unit strings that are not VOUnit stay as text
        warnings.simplefilter("ignore", VOWarning)
        warnings.simplefilter("ignore", UnitsWarning)
        return build_votable_bytes(table)


#: Characters our text columns use that FITS (ASCII only) cannot hold, and their stand-ins.
_FITS_ASCII: Final = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2248": "~"})


def _ascii_text_columns(table: Table) -> None:
    """Make the text columns of *table* ASCII (in place): FITS tables hold ASCII text only.

    The Unicode minus of colour names ("BP−RP" in ``domain_note``) becomes ``-``;
    any other non-ASCII character (a name with an accent) becomes ``?``.
    """
    for name in table.colnames:
        if table[name].dtype.kind == "U":
            table[name] = [
                str(v).translate(_FITS_ASCII).encode("ascii", "replace").decode("ascii")
                for v in table[name]
            ]


def to_astropy(frame: pd.DataFrame) -> Table:
    """Return *frame* as an astropy Table with units (``attrs["units"]`` or :data:`UNITS`)."""
    from astropy.table import Table

    clean = frame.copy()
    for name in clean.columns:
        values = clean[name]
        if isinstance(values.dtype, pd.StringDtype) or values.dtype == object:
            clean[name] = values.astype("string").fillna("").astype(str)
    table = Table.from_pandas(clean)
    units = {**UNITS, **dict(frame.attrs.get("units", {}))}
    for name in table.colnames:
        if name in units:
            table[name].unit = units[name]
    return table


# --- id lists -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceList:
    """A parsed source list: one kind of identifier, checked and de-duplicated.

    ``ids`` holds integers for ``source_id``/``hip``, ``names`` holds names,
    ``ra_deg``/``dec_deg`` hold ICRS positions (degrees) for ``position``. ``rows``
    gives, per entry, the 1-based row of the file it came from (for "not found" lists);
    ``unreadable`` lists ``(row, value, reason)`` of rows that could not be read;
    ``n_rows`` is the number of rows in the file.
    """

    kind: ListKind
    ids: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    ra_deg: tuple[float, ...] = ()
    dec_deg: tuple[float, ...] = ()
    rows: tuple[int, ...] = ()
    unreadable: tuple[tuple[int, str, str], ...] = ()
    n_rows: int = 0

    def __len__(self) -> int:
        return max(len(self.ids), len(self.names), len(self.ra_deg))

    def values(self) -> list[str]:
        """Each entry as the user would write it (for messages and "not found" lists)."""
        if self.kind == "position":
            return [f"{r:.6f} {d:+.6f}" for r, d in zip(self.ra_deg, self.dec_deg, strict=True)]
        if self.kind == "name":
            return list(self.names)
        return [str(v) for v in self.ids]


def _text(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NA:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _int_column(
    values: pd.Series, pattern: re.Pattern[str], what: str, top: int
) -> tuple[dict[int, int], tuple[tuple[int, str, str], ...]]:
    out: dict[int, int] = {}
    bad: list[tuple[int, str, str]] = []
    for row, raw in enumerate(values.tolist()):
        text = _text(raw)
        match = pattern.match(text[:40])
        if match is None or not 0 < abs(int(match.group(1))) <= top:
            bad.append((row + 1, text[:40], f"not a valid {what}"))
            continue
        out.setdefault(int(match.group(1)), row + 1)
    if not out:
        row, text, reason = bad[0]
        raise SedvizError(f"row {row}: {text[:30]!r} is {reason} (and no row is)")
    return out, tuple(bad)


def source_list_from_frame(table: pd.DataFrame) -> SourceList:
    """Build a :class:`SourceList` from a table with normalised column names.

    The first of these decides the kind: ``source_id`` (or ``designation``), ``hip``,
    ``ra`` + ``dec`` (degrees or sexagesimal, read by :func:`sedviz.positions.parse_coordinates`),
    ``name``. Duplicates are dropped, order kept.

    Raises
    ------
    SedvizError
        Naming the first bad row, or when no identifier column is there.
    """
    from sedviz.positions import parse_coordinates

    n = len(table)
    if n == 0:
        raise SedvizError("the source list is empty")
    for column in (C.SOURCE_ID, "designation"):
        if column in table.columns:
            ids, bad = _int_column(
                table[column], _SOURCE_ID_RE, "Gaia DR3 source_id", MAX_SOURCE_ID
            )
            return SourceList(
                "source_id", ids=tuple(ids), rows=tuple(ids.values()), unreadable=bad, n_rows=n
            )
    if C.HIP in table.columns:
        hips, bad = _int_column(table[C.HIP], _HIP_RE, "HIP number", MAX_HIP)
        return SourceList(
            "hip", ids=tuple(hips), rows=tuple(hips.values()), unreadable=bad, n_rows=n
        )
    if C.RA in table.columns and C.DEC in table.columns:
        seen: dict[tuple[float, float], int] = {}
        for row, (ra, dec) in enumerate(zip(table[C.RA], table[C.DEC], strict=True)):
            try:
                seen.setdefault(parse_coordinates(ra, dec), row + 1)
            except SedvizError as exc:
                raise SedvizError(f"row {row + 1}: {exc}") from None
        return SourceList(
            "position", ra_deg=tuple(p[0] for p in seen), dec_deg=tuple(p[1] for p in seen),
            rows=tuple(seen.values()), n_rows=n,
        )  # fmt: skip
    if "name" in table.columns:
        names: dict[str, int] = {}
        for row, raw in enumerate(table["name"].tolist()):
            text = " ".join(_text(raw).split())
            if not text:
                raise SedvizError(f"row {row + 1}: the name is empty")
            names.setdefault(text, row + 1)
        return SourceList("name", names=tuple(names), rows=tuple(names.values()), n_rows=n)
    raise SedvizError(
        "the list needs a column source_id (or designation), hip, ra and dec, or name "
        f"(found: {', '.join(map(str, table.columns[:8]))})"
    )


def read_source_list(
    source: str | Path | bytes | pd.DataFrame, name: str | None = None
) -> SourceList:
    """Read an id list from a file, its bytes or a DataFrame (any :data:`READ_FORMATS`).

    A list without a suffix (bytes with no *name*) is read as CSV. See
    :func:`source_list_from_frame` for the columns.
    """
    if isinstance(source, pd.DataFrame):
        return source_list_from_frame(normalise_columns(source))
    if isinstance(source, bytes) and (name is None or not Path(name).suffix):
        name = (name or "list") + ".csv"
    return source_list_from_frame(read_table(source, name))


def id_frame(sources: SourceList, label: str = "id list") -> pd.DataFrame:
    """The ``hip`` or ``source_id`` column of an id list, as a one-column int64 frame.

    Raises
    ------
    SedvizError
        For lists of positions or names (they need the archive to become ids).
    """
    if sources.kind not in (C.SOURCE_ID, C.HIP):
        raise SedvizError(
            f"{label} lists {sources.kind}s; here it needs a 'hip' or 'source_id' column"
        )
    return pd.DataFrame({sources.kind: np.asarray(sources.ids, dtype="int64")})


def compute_id_mask(table: pd.DataFrame, ids: pd.DataFrame) -> np.ndarray:
    """Return True for the stars of *table* whose id is in *ids* (from :func:`id_frame`)."""
    name = str(ids.columns[0])
    if name not in table.columns:
        raise SedvizError(f"the star table has no '{name}' column to match the id list")
    return table[name].isin(set(ids[name].tolist())).to_numpy(dtype=bool)
