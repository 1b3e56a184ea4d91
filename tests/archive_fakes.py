"""Stand-ins for the adapter :mod:`sedviz.archive.services`, fed real recorded answers.

The recorded answers are astroquery's own test data (real Gaia archive and SIMBAD
responses, copied into ``tests/data/archive/``; see its README). :class:`FakeServices`
replaces exactly the three adapter functions and answers like the services would:
``TOP n`` and ``ORDER BY phot_g_mean_mag`` applied, uploads joined on their ids or
positions, ``input_row`` returned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy import units as u
from astropy.table import MaskedColumn, Table, vstack

from sedviz.archive import services

DATA = Path(__file__).parent / "data" / "archive"
#: Centre of the recorded Gaia cone (astroquery's ``cone_search.json``: RA 280, Dec -60).
CONE_CENTRE = (280.0, -60.0)


def gaia_json_table(path: Path) -> Table:
    """The Gaia archive's JSON answer (``{"metadata": [...], "data": [...]}``) as a Table."""
    doc = json.loads(path.read_text())
    columns = {}
    for k, meta in enumerate(doc["metadata"]):
        values = [row[k] for row in doc["data"]]
        mask = [v is None for v in values]
        kind = {"long": "int64", "int": "int32", "short": "int16", "double": "float64",
                "float": "float32", "boolean": "bool"}.get(meta["datatype"], "U64")  # fmt: skip
        filled = [(0 if kind != "U64" else "") if v is None else v for v in values]
        column = MaskedColumn(np.asarray(filled, dtype=kind), mask=mask, name=meta["name"])
        if meta.get("unit"):
            column.unit = u.Unit(meta["unit"], parse_strict="silent")
        columns[meta["name"]] = column
    return Table(list(columns.values()))


def gaia_cone_answer() -> Table:
    """The 50 real Gaia DR3 rows of astroquery's recorded cone search."""
    return gaia_json_table(DATA / "astroquery_gaia_cone_search.json")


def gaia_two_stars() -> Table:
    """The real Gaia VOTable answer for two source_ids (``SOURCE_ID`` field ID in capitals)."""
    return Table.read(DATA / "astroquery_gaia_select_star.vot", format="votable")


def simbad_answer(names: Sequence[str], ids: dict[str, str]) -> Table:
    """A ``Simbad.query_objects`` answer: one row per name, in the real SIMBAD layout.

    The columns, units and the one known row come from the real SIMBAD answer for M1
    (``astroquery_simbad_m1.vot``); names in *ids* get that row with the given
    ``ids`` text (hand-assembled: the identification is not real), other names an
    empty row, as SIMBAD gives for unknown names.
    """
    real = Table.read(DATA / "astroquery_simbad_m1.vot", format="votable")
    real.remove_column("matched_id")
    rows = []
    for name in names:
        row = Table(real[:1], masked=True)
        if name not in ids:
            for column in row.colnames:
                row[column].mask[0] = True
        row["ids"] = [ids.get(name, "")]
        row["user_specified_id"] = [name]
        rows.append(row)
    return vstack(rows)


class FakeServices:
    """Replaces :func:`services.gaia_query`, :func:`services.simbad_objects`,
    :func:`services.sesame_position`.

    ``gaia`` is the table the "archive" holds; ``faults[label]`` is a list of
    exceptions raised first (one per call) before answering.
    """

    def __init__(self, gaia: Table | None = None) -> None:
        self.gaia = gaia_cone_answer() if gaia is None else gaia
        self.simbad_ids: dict[str, str] = {}
        self.sp_types: dict[int, str] = {}
        self.positions: dict[str, tuple[float, float]] = {}
        self.faults: dict[str, list[BaseException]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def labels(self) -> list[str]:
        return [label for label, _ in self.calls]

    def _fault(self, label: str) -> None:
        queue = self.faults.get(label)
        if queue:
            raise queue.pop(0)

    def gaia_query(self, adql: str, **kwargs: Any) -> Table:
        self.calls.append(("gaia", {"adql": adql, **kwargs}))
        self._fault("gaia")
        progress: Callable[[str, float], None] | None = kwargs.get("progress")
        cancel: Callable[[], bool] | None = kwargs.get("cancel")
        if kwargs.get("asynchronous"):
            if progress is not None:
                progress("EXECUTING", 0.5)
            if cancel is not None and cancel():
                raise services.QueryCancelled("query cancelled")
        table = self.gaia.copy()
        upload: Table | None = kwargs.get("upload")
        if upload is not None:
            table = self._join(table, upload)
        table.sort("phot_g_mean_mag")
        top = re.search(r"SELECT TOP (\d+)", adql)
        return table[: int(top.group(1))] if top else table

    @staticmethod
    def _join(table: Table, upload: Table) -> Table:
        names = [c.lower() for c in table.colnames]
        source_id = table.colnames[names.index("source_id")]
        out = []
        for up in upload:
            if "source_id" in upload.colnames:
                hit = table[table[source_id] == up["source_id"]]
            else:
                d = np.hypot((table["ra"] - up["ra"]) * np.cos(np.radians(up["dec"])),
                             table["dec"] - up["dec"])  # fmt: skip
                hit = table[d < 2.0 / 3600]
            if len(hit):
                hit = hit.copy()
                hit["input_row"] = up["input_row"]
                out.append(hit)
        return vstack(out) if out else table[:0]

    def simbad_objects(
        self, names: Sequence[str], *, fields: Sequence[str] = (), **_: Any
    ) -> Table:
        self.calls.append(("simbad", {"names": list(names), "fields": tuple(fields)}))
        self._fault("simbad")
        answer = simbad_answer(names, {**self.simbad_ids, **{n: "" for n in self.positions}})
        if "sp_type" in fields:
            ids = [int(n.split()[-1]) for n in names]
            answer["sp_type"] = [self.sp_types.get(i, "") for i in ids]
        for k, name in enumerate(names):
            if name in self.positions:
                answer["main_id"][k] = name
                answer["ra"][k], answer["dec"][k] = self.positions[name]
                answer["ra"].mask[k] = answer["dec"].mask[k] = False
        return answer

    def sesame_position(self, name: str) -> tuple[float, float] | None:
        self.calls.append(("sesame", {"name": name}))
        self._fault("sesame")
        return None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeServices:
        monkeypatch.setattr(services, "gaia_query", self.gaia_query)
        monkeypatch.setattr(services, "simbad_objects", self.simbad_objects)
        monkeypatch.setattr(services, "sesame_position", self.sesame_position)
        return self
