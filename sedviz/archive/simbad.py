"""SIMBAD spectral types for Gaia DR3 sources, parsed with the project's MK parser."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive.adql import build_simbad_types_adql
from sedviz.archive.config import ArchiveConfig
from sedviz.archive.errors import ArchiveUnavailableError, TransientFault
from sedviz.archive.http import build_tap_request, fetch_with_retries
from sedviz.archive.parse import parse_votable
from sedviz.catalog.mk import parse_sp_types

SIMBAD = "simbad"  #: value of sp_type_source for SIMBAD types
_ID_RE = re.compile(r"^Gaia DR3 (\d{1,19})$")


def parse_simbad_types(body: bytes) -> dict[int, str]:
    """Map Gaia DR3 ``source_id`` to SIMBAD ``sp_type`` from a TAP answer (empty types dropped)."""
    raw, _ = parse_votable(body)
    if "id" not in raw.columns or C.SP_TYPE not in raw.columns:
        raise TransientFault("SIMBAD's answer lacks the id/sp_type columns")
    out: dict[int, str] = {}
    for ident, sp_type in zip(raw["id"].tolist(), raw[C.SP_TYPE].tolist(), strict=True):
        match = _ID_RE.match(" ".join(str(ident).split()))
        text = (
            ""
            if sp_type is None or (isinstance(sp_type, float) and np.isnan(sp_type))
            else str(sp_type).strip()
        )
        if match and text:
            out[int(match.group(1))] = text
    return out


def fetch_simbad_types(source_ids: Sequence[int], config: ArchiveConfig) -> dict[int, str]:
    """SIMBAD spectral types for *source_ids*, in batches of ``config.batch_size``."""
    found: dict[int, str] = {}
    for start in range(0, len(source_ids), config.batch_size):
        batch = source_ids[start : start + config.batch_size]
        request = build_tap_request("simbad", config.simbad_tap_url, build_simbad_types_adql(batch))
        found.update(fetch_with_retries(request, parse_simbad_types, config))
    return found


def apply_mk(table: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Fill ``sp_class``/``sp_subclass``/``lum_class`` from ``sp_type`` with :mod:`sedviz.catalog.mk`."""
    out = table.copy()
    has_type = out[C.SP_TYPE].astype(str).str.strip() != ""
    if has_type.any():
        parsed = parse_sp_types(out.loc[has_type, C.SP_TYPE])
        for column in (C.SP_CLASS, C.SP_SUBCLASS, C.LUM_CLASS):
            out.loc[has_type, column] = parsed[column].to_numpy()
    return out, ""


def add_simbad_types(table: pd.DataFrame, config: ArchiveConfig) -> tuple[pd.DataFrame, str]:
    """Return *table* with SIMBAD types where SIMBAD has one, and a note for the user.

    A SIMBAD failure is not fatal: the Gaia answer stands, the note says why
    types are missing.
    """
    if table.empty or not config.with_simbad_types:
        return table, ""
    ids = [int(v) for v in table[C.SOURCE_ID].tolist()]
    try:
        types = fetch_simbad_types(ids, config)
    except ArchiveUnavailableError as exc:
        return table, f"SIMBAD spectral types unavailable ({exc})"
    out = table.copy()
    mapped = out[C.SOURCE_ID].map(types)
    out[C.SP_TYPE] = mapped.fillna("").astype(str)
    out[C.SP_TYPE_SOURCE] = np.where(mapped.notna(), SIMBAD, "")
    out, note = apply_mk(out)
    n_typed = int(mapped.notna().sum())
    summary = f"SIMBAD spectral types for {n_typed} of {len(out)} stars"
    return out, f"{summary}; {note}" if note else summary
