"""Build ADQL text from parsed numbers and integer identifiers only.

Every value is formatted here from a Python ``float`` (checked finite) or
``int``; no function takes a string that came from a user. The queries are
testable without a network: tests compare the text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sedviz import columns as C

#: Gaia DR3 columns asked for, in the catalogue schema (Gaia-archive names).
GAIA_COLUMNS: tuple[str, ...] = (
    C.SOURCE_ID, C.RA, C.DEC, C.PARALLAX, C.PARALLAX_ERROR, C.PMRA, C.PMDEC,
    C.G_MAG, C.BP_MAG, C.RP_MAG,
    C.G_FLUX_OVER_ERROR, C.BP_FLUX_OVER_ERROR, C.RP_FLUX_OVER_ERROR,
)  # fmt: skip
#: 2MASS PSC columns (``gaiadr1.tmass_original_valid``).
TMASS_COLUMNS: tuple[str, ...] = (
    C.J_MAG, C.J_MAG_ERROR, C.H_MAG, C.H_MAG_ERROR, C.KS_MAG, C.KS_MAG_ERROR,
)  # fmt: skip
#: AllWISE columns (``gaiadr1.allwise_original_valid``).
ALLWISE_COLUMNS: tuple[str, ...] = (
    C.W1_MAG, C.W1_MAG_ERROR, C.W2_MAG, C.W2_MAG_ERROR,
    C.W3_MAG, C.W3_MAG_ERROR, C.W4_MAG, C.W4_MAG_ERROR,
)  # fmt: skip
#: Every column a Gaia answer must carry, in order.
RESULT_COLUMNS: tuple[str, ...] = (*GAIA_COLUMNS, C.HIP, *TMASS_COLUMNS, *ALLWISE_COLUMNS)

#: Names of the uploaded tables (``TAP_UPLOAD.<name>``); each has an ``input_row`` column.
UPLOAD_IDS = "sedviz_ids"
UPLOAD_POSITIONS = "sedviz_positions"
#: Column of list answers giving the 1-based input row a star answers.
INPUT_ROW = "input_row"

_SELECT = ",\n  ".join(
    [f"g.{c}" for c in GAIA_COLUMNS]
    + [f"hip.original_ext_source_id AS {C.HIP}"]
    + [f"tm.{c}" for c in TMASS_COLUMNS]
    + [f"aw.{c}" for c in ALLWISE_COLUMNS]
)
_HIP_JOIN = (
    "LEFT OUTER JOIN gaiadr3.hipparcos2_best_neighbour AS hip ON hip.source_id = g.source_id\n"
)
_IR_JOINS = """LEFT OUTER JOIN gaiadr3.tmass_psc_xsc_best_neighbour AS tbn ON tbn.source_id = g.source_id
LEFT OUTER JOIN gaiadr1.tmass_original_valid AS tm ON tm.designation = tbn.original_ext_source_id
LEFT OUTER JOIN gaiadr3.allwise_best_neighbour AS abn ON abn.source_id = g.source_id
LEFT OUTER JOIN gaiadr1.allwise_original_valid AS aw ON aw.allwise_oid = abn.allwise_oid"""
_JOINS = "FROM gaiadr3.gaia_source AS g\n" + _HIP_JOIN + _IR_JOINS


def _num(value: float) -> str:
    """Format a finite float for ADQL (repr round-trips exactly)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"refusing to put a non-finite number into ADQL: {number}")
    return repr(number)


def check_ids(values: Iterable[int]) -> list[int]:
    """Return *values* as Python ints, refusing anything that is not a positive identifier."""
    out = []
    for value in values:
        if isinstance(value, bool) or int(value) != value or int(value) <= 0:
            raise ValueError(f"refusing a non-identifier in an id upload: {value!r}")
        out.append(int(value))
    if not out:
        raise ValueError("empty identifier list")
    return out


def _top(row_limit: int) -> int:
    # One row more than the limit tells whether the answer was cut.
    if isinstance(row_limit, bool) or int(row_limit) < 1:
        raise ValueError(f"row limit must be a positive integer, got {row_limit!r}")
    return int(row_limit) + 1


def build_cone_adql(ra_deg: float, dec_deg: float, radius_deg: float, row_limit: int) -> str:
    """Cone search on Gaia DR3 with 2MASS/AllWISE/HIP neighbours, brightest first."""
    circle = f"CIRCLE('ICRS', {_num(ra_deg)}, {_num(dec_deg)}, {_num(radius_deg)})"
    return (
        f"SELECT TOP {_top(row_limit)}\n  {_SELECT}\n{_JOINS}\n"
        f"WHERE 1 = CONTAINS(POINT('ICRS', g.ra, g.dec), {circle})\n"
        f"ORDER BY g.{C.G_MAG} ASC"
    )


def _list_adql(head: str, joins: str, row_limit: int) -> str:
    return (
        f"SELECT TOP {_top(row_limit)}\n  {_SELECT},\n  up.{INPUT_ROW}\n{head}\n{joins}\n"
        f"ORDER BY g.{C.G_MAG} ASC"
    )


def build_source_id_adql(row_limit: int) -> str:
    """Gaia DR3 rows for the uploaded ``source_id`` list (``TAP_UPLOAD.sedviz_ids``)."""
    head = (
        f"FROM TAP_UPLOAD.{UPLOAD_IDS} AS up\n"
        f"JOIN gaiadr3.gaia_source AS g ON g.source_id = up.{C.SOURCE_ID}"
    )
    return _list_adql(head, _HIP_JOIN + _IR_JOINS, row_limit)


def build_hip_adql(row_limit: int) -> str:
    """Gaia DR3 rows for the uploaded Hipparcos numbers (through the HIP best neighbour)."""
    head = (
        f"FROM TAP_UPLOAD.{UPLOAD_IDS} AS up\n"
        f"JOIN gaiadr3.hipparcos2_best_neighbour AS hip ON hip.original_ext_source_id = up.{C.HIP}\n"
        "JOIN gaiadr3.gaia_source AS g ON g.source_id = hip.source_id"
    )
    return _list_adql(head, _IR_JOINS, row_limit)


def build_positions_adql(match_radius_arcsec: float, row_limit: int) -> str:
    """Gaia DR3 rows near each uploaded position (``TAP_UPLOAD.sedviz_positions``)."""
    radius_deg = _num(float(match_radius_arcsec) / 3600.0)
    head = (
        f"FROM TAP_UPLOAD.{UPLOAD_POSITIONS} AS up\n"
        "JOIN gaiadr3.gaia_source AS g ON 1 = CONTAINS(POINT('ICRS', g.ra, g.dec), "
        f"CIRCLE('ICRS', up.ra, up.dec, {radius_deg}))"
    )
    return _list_adql(head, _HIP_JOIN + _IR_JOINS, row_limit)
