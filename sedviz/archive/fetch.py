"""Network queries: Gaia DR3 (+2MASS, AllWISE, HIP), SIMBAD types, Sesame names.

Each ``fetch_*`` builds its request from parsed values, sends it through
:func:`sedviz.archive.http.fetch_with_retries` (the one network seam below
it) and returns tables in the catalogue schema.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive import adql
from sedviz.archive.config import GAIA_SYNC_ROW_CAP, ArchiveConfig
from sedviz.archive.errors import ArchiveInputError, TransientFault
from sedviz.archive.http import build_sesame_request, build_tap_request, fetch_with_retries
from sedviz.archive.parse import parse_votable
from sedviz.catalog.tables import validate_star_table

GAIA_DR3 = "gaia_dr3"  # same value as the embedded catalogue's parallax_source
_GAIA_ALIAS_RE = re.compile(r"^Gaia DR3 (\d{1,19})$")
#: Columns every online answer has, in order (the catalogue schema's names).
ANSWER_COLUMNS: tuple[str, ...] = (
    *adql.RESULT_COLUMNS, C.PARALLAX_SOURCE, C.SP_TYPE, C.SP_TYPE_SOURCE,
    C.SP_CLASS, C.SP_SUBCLASS, C.LUM_CLASS,
)  # fmt: skip


@dataclass(frozen=True)
class GaiaAnswer:
    """Rows in the catalogue schema, and whether the archive cut the answer."""

    table: pd.DataFrame
    truncated: bool


def gaia_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Put a Gaia TAP answer into the catalogue schema (raises TransientFault if columns lack)."""
    missing = [c for c in adql.RESULT_COLUMNS if c not in raw.columns]
    if missing:
        raise TransientFault(f"the archive's answer lacks column(s) {', '.join(missing[:4])}")
    table = raw.loc[:, list(adql.RESULT_COLUMNS)].copy()
    has_plx = pd.to_numeric(table[C.PARALLAX], errors="coerce").notna()
    table[C.PARALLAX_SOURCE] = np.where(has_plx, GAIA_DR3, "")
    table[C.SP_TYPE] = ""
    table[C.SP_TYPE_SOURCE] = ""
    table[C.SP_CLASS] = ""
    table[C.SP_SUBCLASS] = np.nan
    table[C.LUM_CLASS] = ""
    return validate_star_table(table.reset_index(drop=True))


def _parse_gaia(body: bytes) -> tuple[pd.DataFrame, bool]:
    raw, overflow = parse_votable(body)
    return gaia_frame(raw), overflow


def fetch_gaia(query: str, config: ArchiveConfig, upload: bytes | None = None) -> GaiaAnswer:
    """Run one Gaia ADQL query (built by :mod:`sedviz.archive.adql`) and apply the row limit."""
    up = (adql.UPLOAD_TABLE, upload) if upload is not None else None
    request = build_tap_request("gaia", config.gaia_tap_url, query, upload=up)
    table, overflow = fetch_with_retries(request, _parse_gaia, config)
    # The sync service may stop at its cap without saying so: exactly the cap counts as cut.
    cut = overflow or len(table) > config.row_limit or len(table) >= GAIA_SYNC_ROW_CAP
    return GaiaAnswer(table.iloc[: config.row_limit].reset_index(drop=True), bool(cut))


def positions_votable(ra_deg: Sequence[float], dec_deg: Sequence[float]) -> bytes:
    """A VOTable of positions for TAP upload, written from floats only."""
    from astropy.io.votable import from_table
    from astropy.table import Table

    table = Table(
        {"ra": np.asarray(ra_deg, dtype="float64"), "dec": np.asarray(dec_deg, dtype="float64")}
    )
    buffer = io.BytesIO()
    from_table(table).to_xml(buffer)
    return buffer.getvalue()


def fetch_gaia_list(kind: str, values: Sequence[int], config: ArchiveConfig) -> GaiaAnswer:
    """Gaia rows for ``source_id`` or ``hip`` identifiers, in batches of ``config.batch_size``."""
    build = adql.build_source_id_adql if kind == C.SOURCE_ID else adql.build_hip_adql
    answers = (
        fetch_gaia(build(values[start : start + config.batch_size], config.row_limit), config)
        for start in range(0, len(values), config.batch_size)
    )
    return _gather(answers, config)


def fetch_gaia_positions(
    ra_deg: Sequence[float], dec_deg: Sequence[float], config: ArchiveConfig
) -> GaiaAnswer:
    """Gaia rows within ``config.match_radius_arcsec`` of each position (TAP upload, batched)."""
    query = adql.build_positions_adql(config.match_radius_arcsec, config.row_limit)
    size = config.batch_size
    answers = (
        fetch_gaia(
            query, config, upload=positions_votable(ra_deg[i : i + size], dec_deg[i : i + size])
        )
        for i in range(0, len(ra_deg), size)
    )
    return _gather(answers, config)


def _gather(answers: Iterator[GaiaAnswer], config: ArchiveConfig) -> GaiaAnswer:
    """Collect batch answers lazily: stop asking once the row limit is passed."""
    parts: list[pd.DataFrame] = []
    cut = False
    for answer in answers:
        parts.append(answer.table)
        cut = cut or answer.truncated
        if sum(len(p) for p in parts) > config.row_limit:
            cut = True
            break
    return _combine(parts, cut, config)


def _combine(parts: list[pd.DataFrame], cut: bool, config: ArchiveConfig) -> GaiaAnswer:
    table = (
        pd.concat(parts, ignore_index=True)
        if parts
        else gaia_frame(pd.DataFrame(columns=list(adql.RESULT_COLUMNS)))
    )
    table = table.drop_duplicates(subset=[C.SOURCE_ID]).sort_values(C.G_MAG, kind="stable")
    cut = cut or len(table) > config.row_limit
    return GaiaAnswer(
        validate_star_table(table.iloc[: config.row_limit].reset_index(drop=True)), cut
    )


@dataclass(frozen=True)
class NameAnswer:
    """What Sesame knows about a name: ICRS J2000 position and Gaia DR3 alias if any."""

    ra_deg: float
    dec_deg: float
    gaia_source_id: int | None


def parse_sesame_answer(body: bytes) -> NameAnswer | None:
    """Parse Sesame ``-oxI`` XML; None when the name is unknown."""
    from sedviz.archive.parse import parse_sesame

    position = parse_sesame(body)
    if position is None:
        return None
    gaia_id = None
    for alias in ET.fromstring(body).iter("alias"):
        match = _GAIA_ALIAS_RE.match(" ".join((alias.text or "").split()))
        if match:
            gaia_id = int(match.group(1))
            break
    return NameAnswer(position[0], position[1], gaia_id)


def fetch_name(name: str, config: ArchiveConfig) -> NameAnswer:
    """Resolve a checked name with CDS Sesame (SIMBAD, NED, VizieR).

    Raises
    ------
    ArchiveInputError
        If no resolver knows the name.
    """
    answer = fetch_with_retries(build_sesame_request(name, config), parse_sesame_answer, config)
    if answer is None:
        raise ArchiveInputError(f"the name {name!r} is not known to SIMBAD, NED or VizieR (Sesame)")
    return answer
