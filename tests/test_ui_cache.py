"""Shared cached tables are read-only: running every page leaves them unchanged.

``sedviz.ui.cache`` shares the catalogue, predictions and figures between all
sessions (``st.cache_resource``); a page that modified one would change what
every other student sees.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sedviz.catalog.tables import load_catalog
from sedviz.ui import cache
from sedviz.ui.state import CATALOG_SET

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def _digest(frame: pd.DataFrame) -> int:
    return int(pd.util.hash_pandas_object(frame, index=True).sum())


@pytest.mark.slow
def test_pages_leave_shared_tables_unchanged() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["star"] = str(int(load_catalog()["source_id"].iloc[100]))
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    shared = cache.catalog_frame()
    assert _digest(shared) == _digest(load_catalog())
    figure, _, points = cache.sed_figure(CATALOG_SET, 100, "K", True, False, False)
    assert len(points) and figure.to_dict()["data"]


@pytest.mark.slow
def test_cached_hr_figure_exports_html() -> None:
    """The HR page's "figure as HTML" download: the shared, frozen figure of the whole set."""
    figure = cache.hr_figure(
        CATALOG_SET, None, "sp_class", "catalogued", "cmd", False, False, False
    )
    html = figure.to_html(include_plotlyjs=False, full_html=False)
    assert '"type":"scattergl"' in html and '"customdata":[[' in html


def test_frozen_figure_json_is_ascii_and_keeps_its_text() -> None:
    """plotly.io's HTML escaping of a wide (non-ASCII) 5 MB string cost 85 ms per HR run."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    from sedviz.ui.frozen import freeze

    fig = go.Figure(go.Scatter(x=list(range(2000)), y=list(range(2000)), name="BP−RP <b>x</b>"))
    fig.update_layout(title="L / L☉", annotations=[{"text": "<span>●</span> O"}])
    text = pio.to_json(freeze(fig), validate=False)
    assert text.isascii() and "<" not in text and "/" not in text
    spec = json.loads(text)
    assert spec["data"][0]["name"] == "BP−RP <b>x</b>"
    assert spec["layout"]["title"]["text"] == "L / L☉"
    assert spec["layout"]["annotations"][0]["text"] == "<span>●</span> O"
