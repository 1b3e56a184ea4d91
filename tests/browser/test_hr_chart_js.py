"""The HR chart component's JavaScript (sedviz/ui/hr_chart.js), run in Chromium without a server.

The component lays the session's subset and marked star over the shared figure in
the browser; ``sedviz.plots.hr_choice.compose_hr_spec`` does the same on the server
for ``streamlit run app.py``. One rule, two languages: this test holds them together.
"""

from __future__ import annotations

import base64
import json
from importlib.resources import files

import pandas as pd
import plotly.io as pio
import pytest
from playwright.sync_api import Page

from sedviz.plots.hr import CHOICE_NAME, browser_spec, drawable_frame, locate_row, plot_hr
from sedviz.plots.hr_choice import compose_hr_spec, subset_points
from sedviz.views.hr import hr_frame

pytestmark = pytest.mark.browser

#: JavaScript: import hr_chart.js as the module it is, and run its compose().
COMPOSE = """async ([source, spec, subset, selected, choice]) => {
  const module = await import('data:text/javascript;base64,' + source);
  return module.compose(spec, subset, selected, choice); }"""


def _js_compose(page: Page, spec: object, subset: object, selected: object) -> dict[str, object]:
    source = files("sedviz.ui").joinpath("hr_chart.js").read_bytes()
    page.set_content("<html><body></body></html>")
    arg = [base64.b64encode(source).decode(), spec, subset, selected, CHOICE_NAME]
    return dict(page.evaluate(COMPOSE, arg))


@pytest.mark.parametrize("with_subset", [True, False])
@pytest.mark.parametrize("with_star", [True, False])
def test_the_browser_lays_the_choice_over_the_figure_as_the_server_does(
    page: Page, small_catalog: pd.DataFrame, with_subset: bool, with_star: bool
) -> None:
    frame = hr_frame(small_catalog)
    spec = browser_spec(plot_hr(frame, "catalogued"))
    stars = drawable_frame(frame)
    rows = stars["row"].iloc[[2, 5, 9, 14]].to_numpy()
    subset = subset_points(stars, rows, "cmd") if with_subset else None
    selected = locate_row(stars, int(rows[1]), "cmd") if with_star else None
    # What the browser gets: the JSON of the shared figure and of the subset.
    plain_spec = json.loads(pio.to_json(spec, validate=False, engine="orjson"))
    plain_subset = json.loads(json.dumps(subset)) if subset else None
    in_browser = _js_compose(page, plain_spec, plain_subset, list(selected) if selected else None)
    on_server = json.loads(
        pio.to_json(compose_hr_spec(spec, subset, selected), validate=False, engine="orjson")
    )
    assert in_browser == on_server
    if with_subset:
        choice = on_server["data"][-1]
        assert [c[0] for c in choice["customdata"]] == subset["rows"]  # type: ignore[index]
