"""Online answers in the catalogue schema: Gaia DR3 (+2MASS, AllWISE, HIP) and names.

Each ``fetch_*`` builds its request from parsed values, calls the adapter
(:mod:`sedviz.archive.services`) through :func:`sedviz.archive.faults.call_with_retries`
and maps the answer's columns to the catalogue's names (:mod:`sedviz.columns`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive import adql, services
from sedviz.archive.config import GAIA_SYNC_ROW_CAP, ArchiveConfig
from sedviz.archive.errors import ArchiveInputError, TransientFault
from sedviz.archive.faults import call_with_retries
from sedviz.catalog.tables import validate_star_table
from sedviz.tableio import table_to_frame

GAIA_DR3 = "gaia_dr3"  # same value as the embedded catalogue's parallax_source
_GAIA_ID_RE = re.compile(r"(?:^|\|)\s*Gaia DR3 (\d{1,19})\s*(?:\||$)")
#: Columns every online answer has, in order (the catalogue schema's names).
ANSWER_COLUMNS: tuple[str, ...] = (
    *adql.RESULT_COLUMNS, C.PARALLAX_SOURCE, C.SP_TYPE, C.SP_TYPE_SOURCE,
    C.SP_CLASS, C.SP_SUBCLASS, C.LUM_CLASS,
)  # fmt: skip


@dataclass(frozen=True)
class GaiaAnswer:
    """Rows in the catalogue schema, whether the answer was cut, and input rows answered."""

    table: pd.DataFrame
    truncated: bool
    input_rows: frozenset[int] = frozenset()


def gaia_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Put a Gaia answer into the catalogue schema.

    The Gaia DR3 columns (:data:`sedviz.archive.adql.GAIA_COLUMNS`) must be there
    (else :class:`TransientFault`); the joined HIP/2MASS/AllWISE columns are empty
    (not measured) when the answer lacks them, as for a plain ``gaia_source`` query.
    """
    missing = [c for c in adql.GAIA_COLUMNS if c not in raw.columns]
    if missing:
        raise TransientFault(f"the archive's answer lacks column(s) {', '.join(missing[:4])}")
    table = raw.reindex(columns=list(adql.RESULT_COLUMNS)).copy()
    has_plx = pd.to_numeric(table[C.PARALLAX], errors="coerce").notna()
    table[C.PARALLAX_SOURCE] = np.where(has_plx, GAIA_DR3, "")
    table[C.SP_TYPE] = ""
    table[C.SP_TYPE_SOURCE] = ""
    table[C.SP_CLASS] = ""
    table[C.SP_SUBCLASS] = np.nan
    table[C.LUM_CLASS] = ""
    return validate_star_table(table.reset_index(drop=True))


def run_gaia(
    query: str, config: ArchiveConfig, *, upload: Any = None, upload_name: str = "",
) -> GaiaAnswer:  # fmt: skip
    """Run one Gaia query (from :mod:`sedviz.archive.adql`, ``TOP row_limit + 1``).

    Asynchronous when the row limit passes the archive's synchronous cap
    (:data:`GAIA_SYNC_ROW_CAP`), with ``config.progress``/``config.cancel``.
    """
    asynchronous = config.row_limit + 1 > GAIA_SYNC_ROW_CAP

    def call() -> Any:
        return services.gaia_query(
            query, upload=upload, upload_name=upload_name,
            timeout_s=config.job_timeout_s if asynchronous else config.timeout_s,
            asynchronous=asynchronous, progress=config.progress, cancel=config.cancel,
        )  # fmt: skip

    raw = table_to_frame(call_with_retries(call, config, "Gaia archive"))
    raw.columns = [str(c).lower() for c in raw.columns]  # the archive may give SOURCE_ID
    table = gaia_frame(raw).sort_values(C.G_MAG, kind="stable", na_position="last")
    rows: frozenset[int] = frozenset()
    if adql.INPUT_ROW in raw.columns:
        rows = frozenset(int(v) for v in pd.to_numeric(raw[adql.INPUT_ROW]).dropna())
    table = table.drop_duplicates(subset=[C.SOURCE_ID])
    cut = len(table) > config.row_limit
    return GaiaAnswer(table.iloc[: config.row_limit].reset_index(drop=True), cut, rows)


def fetch_gaia_cone(
    ra_deg: float, dec_deg: float, radius_deg: float, config: ArchiveConfig
) -> GaiaAnswer:
    """Gaia stars in a cone, brightest first, cut at ``config.row_limit``."""
    return run_gaia(adql.build_cone_adql(ra_deg, dec_deg, radius_deg, config.row_limit), config)


def fetch_gaia_list(kind: str, values: Sequence[int], config: ArchiveConfig) -> GaiaAnswer:
    """Gaia rows for ``source_id`` or ``hip`` identifiers (one uploaded table)."""
    from astropy.table import Table

    ids = adql.check_ids(values)
    upload = Table(
        {kind: np.asarray(ids, dtype="int64"), adql.INPUT_ROW: np.arange(1, len(ids) + 1)}
    )
    build = adql.build_source_id_adql if kind == C.SOURCE_ID else adql.build_hip_adql
    return run_gaia(build(config.row_limit), config, upload=upload, upload_name=adql.UPLOAD_IDS)


def fetch_gaia_positions(
    ra_deg: Sequence[float], dec_deg: Sequence[float], config: ArchiveConfig
) -> GaiaAnswer:
    """Gaia rows within ``config.match_radius_arcsec`` of each position (one uploaded table)."""
    from astropy.table import Table

    upload = Table(
        {
            "ra": np.asarray(ra_deg, dtype="float64"),
            "dec": np.asarray(dec_deg, dtype="float64"),
            adql.INPUT_ROW: np.arange(1, len(ra_deg) + 1),
        }
    )
    query = adql.build_positions_adql(config.match_radius_arcsec, config.row_limit)
    return run_gaia(query, config, upload=upload, upload_name=adql.UPLOAD_POSITIONS)


# --- names --------------------------------------------------------------------------------
@dataclass(frozen=True)
class NameAnswer:
    """What SIMBAD (or Sesame) knows about a name: ICRS J2000 position, Gaia DR3 id if any."""

    ra_deg: float
    dec_deg: float
    gaia_source_id: int | None


def gaia_id_in(ids: object) -> int | None:
    """The Gaia DR3 ``source_id`` in SIMBAD's ``ids`` text (``"HIP 1|Gaia DR3 123|..."``)."""
    match = _GAIA_ID_RE.search(str(ids or ""))
    return int(match.group(1)) if match else None


def names_frame(answer: Any) -> pd.DataFrame:
    """Map a ``Simbad.query_objects`` answer (with ``ids``) to one row per input name.

    Columns: ``name`` (as given), ``ra``, ``dec`` (deg; NaN when unknown),
    ``source_id`` (Gaia DR3; <NA> when SIMBAD lists none).
    """
    raw = table_to_frame(answer)
    for column in ("user_specified_id", "main_id", "ra", "dec"):
        if column not in raw.columns:
            raise TransientFault(f"SIMBAD's answer lacks the column {column!r}")
    known = raw["main_id"].astype("string").fillna("").str.strip() != ""
    ids = raw["ids"] if "ids" in raw.columns else pd.Series([""] * len(raw))
    gaia = [gaia_id_in(v) if k else None for v, k in zip(ids, known, strict=True)]
    return pd.DataFrame(
        {
            "name": raw["user_specified_id"].astype(str).str.strip(),
            C.RA: pd.to_numeric(raw["ra"], errors="coerce").where(known),
            C.DEC: pd.to_numeric(raw["dec"], errors="coerce").where(known),
            C.SOURCE_ID: pd.array(gaia, dtype="Int64"),
        }
    )


def fetch_names(names: Sequence[str], config: ArchiveConfig) -> pd.DataFrame:
    """Resolve names with SIMBAD in one query (see :func:`names_frame`)."""
    answer = call_with_retries(
        lambda: services.simbad_objects(names, fields=("ids",), timeout_s=config.timeout_s),
        config, "SIMBAD",
    )  # fmt: skip
    return names_frame(answer)


def fetch_name(name: str, config: ArchiveConfig) -> NameAnswer:
    """Resolve one name: SIMBAD first, then CDS Sesame (NED, VizieR) for what SIMBAD lacks.

    Raises
    ------
    ArchiveInputError
        If no resolver knows the name.
    """
    found = fetch_names([name], config)
    row = found.iloc[0] if len(found) else None
    if row is not None and np.isfinite(row[C.RA]):
        gaia = None if pd.isna(row[C.SOURCE_ID]) else int(row[C.SOURCE_ID])
        return NameAnswer(float(row[C.RA]), float(row[C.DEC]), gaia)
    position = call_with_retries(lambda: services.sesame_position(name), config, "Sesame")
    if position is None:
        raise ArchiveInputError(f"the name {name!r} is not known to SIMBAD, NED or VizieR")
    return NameAnswer(position[0], position[1], None)
