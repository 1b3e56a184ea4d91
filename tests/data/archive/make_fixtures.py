"""Write the hand-made archive fixtures of this folder (see README.md).

Run from the repository root: ``.venv/bin/python tests/data/archive/make_fixtures.py``.
The Gaia rows are real (astroquery's recorded Gaia DR3 cone search, copied
here as ``astroquery_gaia_cone_search.json``); everything marked
"placeholder" below is made up for tests and is not a measurement.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from astropy.io.votable import from_table
from astropy.io.votable.tree import Info
from astropy.table import MaskedColumn, Table

HERE = Path(__file__).parent
N_ROWS = 12
# Gaia archive datatypes of the answer columns (gaia_source, hipparcos2_best_neighbour,
# tmass_original_valid, allwise_original_valid).
DOUBLE = ("ra", "dec", "parallax", "pmra", "pmdec")
GAIA_FLOAT = (
    "parallax_error", "phot_g_mean_mag", "phot_bp_mean_mag", "phot_rp_mean_mag",
    "phot_g_mean_flux_over_error", "phot_bp_mean_flux_over_error", "phot_rp_mean_flux_over_error",
)  # fmt: skip
IR = (
    "j_m", "j_msigcom", "h_m", "h_msigcom", "ks_m", "ks_msigcom",
    "w1mpro", "w1mpro_error", "w2mpro", "w2mpro_error",
    "w3mpro", "w3mpro_error", "w4mpro", "w4mpro_error",
)  # fmt: skip
# Placeholder infrared values for the two brightest rows (typical for a G~15 star).
IR_PLACEHOLDER = {
    0: (14.05, 0.03, 13.71, 0.04, 13.62, 0.05, 13.55, 0.03, 13.58, 0.04, 12.9, 0.4, 9.1, None),
    1: (14.40, 0.03, 14.02, 0.04, 13.95, 0.06, 13.90, 0.03, 13.93, 0.04, None, None, None, None),
}


def _real_rows() -> dict[str, list]:
    doc = json.loads((HERE / "astroquery_gaia_cone_search.json").read_text())
    names = [m["name"] for m in doc["metadata"]]
    rows = sorted(doc["data"], key=lambda r: r[names.index("phot_g_mean_mag")] or 99.0)[:N_ROWS]
    return {n: [r[names.index(n)] for r in rows] for n in ("source_id", *DOUBLE, *GAIA_FLOAT)}


def _column(name: str, values: list, dtype: str) -> MaskedColumn:
    mask = [v is None for v in values]
    filled = [0 if v is None else v for v in values]
    return MaskedColumn(np.asarray(filled, dtype=dtype), name=name, mask=mask)


def _votable_bytes(table: Table, status: str = "OK") -> bytes:
    votable = from_table(table)
    votable.resources[0].type = "results"
    votable.resources[0].infos.append(Info(name="QUERY_STATUS", value=status))
    buffer = io.BytesIO()
    votable.to_xml(buffer)
    return buffer.getvalue()


def gaia_cone() -> bytes:
    real = _real_rows()
    table = Table()
    table["source_id"] = np.asarray(real["source_id"], dtype="int64")
    for name in ("ra", "dec", "parallax", "parallax_error", "pmra", "pmdec", *GAIA_FLOAT[1:]):
        dtype = "float64" if name in DOUBLE else "float32"
        table[name] = _column(name, real[name], dtype)
    table["hip"] = _column("hip", [None] * N_ROWS, "int32")
    for i, name in enumerate(IR):
        values = [IR_PLACEHOLDER.get(row, (None,) * len(IR))[i] for row in range(N_ROWS)]
        table[name] = _column(name, values, "float32")
    order = ["source_id", "ra", "dec", "parallax", "parallax_error", "pmra", "pmdec", *GAIA_FLOAT[1:4],
             *GAIA_FLOAT[4:], "hip", *IR]  # fmt: skip
    return _votable_bytes(table[order])


def simbad_types() -> bytes:
    ids = _real_rows()["source_id"][:3]
    # Placeholder types: SIMBAD knows none of these faint stars; shapes match its basic.sp_type.
    ids_text = np.array([f"Gaia DR3 {n}" for n in ids], dtype="S")
    table = Table({"id": ids_text, "sp_type": np.array(["G2V", "K0III", ""], dtype="S")})
    return _votable_bytes(table)


def main() -> None:
    (HERE / "gaia_cone.vot").write_bytes(gaia_cone())
    (HERE / "simbad_sptype.vot").write_bytes(simbad_types())
    print("wrote gaia_cone.vot, simbad_sptype.vot")


if __name__ == "__main__":
    main()
