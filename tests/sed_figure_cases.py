"""Stars and settings whose SED figures are recorded in ``tests/data/sed/figures.json``.

The record of one case is what ``sedviz.ui.cache.sed_figure`` hands the app, built the
same way without Streamlit: the frozen figure's JSON (what the browser receives), the SED
points and the fit row. ``scripts/make_sed_figure_fixture.py`` wrote the fixture with the
code before the speed-ups of issue #18.12; ``tests/test_sed_figure_fixture.py`` checks the
code still builds exactly the same records.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio

import sedviz.plots.sed as S
from sedviz import columns as C
from sedviz.catalog.tables import load_catalog, load_star_table
from sedviz.plots.theme import DARK
from sedviz.ui.frozen import freeze
from sedviz.views.star import build_sed_view

DATA = Path(__file__).parent / "data" / "sed"
FIXTURE = DATA / "figures.json"
#: Four real Gaia DR3 rows with archive column names only (no HIP, no name, no type).
ARCHIVE_ROWS = DATA / "gaia_dr3_cone.csv"


@dataclass(frozen=True)
class SedCase:
    """One SED figure as the app asks for it: a star (by HIP, or a row of the archive rows)."""

    name: str
    hip: int | None
    row: int
    predicted_class: str
    residuals: bool
    presentation: bool
    compact: bool
    extra_types: tuple[str, ...] = ()


def _pair(name: str, hip: int | None, predicted: str, row: int = 0) -> list[SedCase]:
    """The HR page's side panel (compact) and the SED page (full, with residuals)."""
    return [
        SedCase(f"{name} compact", hip, row, predicted, False, False, True),
        SedCase(f"{name} full", hip, row, predicted, True, False, False),
    ]


CASES: tuple[SedCase, ...] = (
    # Vega: bright, named, no Gaia photometry (source_id = -HIP), catalogued A0V.
    *_pair("Vega", 91262, "B"),
    SedCase("Vega presentation", 91262, 0, "A", False, True, False),
    SedCase("Vega chosen templates", 91262, 0, "", True, False, False, ("G2V", "M5V", "WC8")),
    # Arcturus: a named giant (K2IIIp) without Gaia; Alcyone: a giant (B7III) with Gaia.
    *_pair("Arcturus", 69673, "K"),
    *_pair("Alcyone", 17702, "A"),
    # HIP 344 (M5e-M7e): two usable bands, no blackbody fit.
    *_pair("HIP 344 no fit", 344, "M"),
    # An archive answer's row: Gaia bands only, no HIP, no name, no type.
    *_pair("archive row", None, "K", row=0),
)


@lru_cache(maxsize=2)
def case_table(archive: bool) -> pd.DataFrame:
    """The embedded catalogue, or the archive rows (read once)."""
    return load_star_table(ARCHIVE_ROWS) if archive else load_catalog()


def case_row(case: SedCase) -> tuple[pd.DataFrame, int]:
    """The table and row position of *case*'s star."""
    table = case_table(case.hip is None)
    if case.hip is None:
        return table, case.row
    return table, int(np.flatnonzero(table[C.HIP].to_numpy() == case.hip)[0])


def _plain(value: Any) -> Any:
    """A JSON value that round-trips exactly (NaN as the string "NaN")."""
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if value is None or value is pd.NA:
        return None
    return value


def build_record(case: SedCase) -> dict[str, Any]:
    """What ``sedviz.ui.cache.sed_figure`` returns for *case*, as JSON types."""
    table, row = case_row(case)
    # The body of sedviz.ui.cache.sed_figure, without Streamlit.
    view = build_sed_view(table, row, case.predicted_class, case.extra_types)
    frozen = freeze(_dashboard_figure(view, case))
    points = view.points
    return {
        "case": case.name,
        "figure": json.loads(pio.to_json(frozen, validate=False)),
        "points": {
            "dtypes": [str(t) for t in points.dtypes],
            "columns": list(points.columns),
            "index": [int(i) for i in points.index],
            "values": {c: [_plain(v) for v in points[c].tolist()] for c in points.columns},
        },
        "fit": {
            "dtype": str(view.fit.dtype),
            "name": _plain(view.fit.name),
            "values": {str(k): _plain(v) for k, v in view.fit.items()},
        },
    }


def _dashboard_figure(view: Any, case: SedCase) -> Any:
    """The figure as ``sed_figure`` builds it, in this checkout or an older one.

    Before issue #18.12 the cache called ``plot_sed`` and then ``style_sed_for_dashboard``;
    ``scripts/make_sed_figure_fixture.py --checkout`` records such a checkout.
    """
    if hasattr(S, "plot_sed_view"):
        return S.plot_sed_view(
            view, residuals=case.residuals, compact=case.compact, presentation=case.presentation
        )
    fit_row = {str(key): value for key, value in view.fit.items()}
    fig = S.plot_sed(
        view.points, fit_row, view.templates, residuals=case.residuals,
        title=None if case.compact else view.title, template=DARK,
    )  # fmt: skip
    S.style_sed_for_dashboard(fig, compact=case.compact, presentation=case.presentation)
    return fig


def build_records() -> list[dict[str, Any]]:
    """The records of every case of :data:`CASES`, in order."""
    return [build_record(case) for case in CASES]
