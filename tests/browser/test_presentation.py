"""Presentation mode on a projector: 1280x720 and 1920x1080, every page, screenshots and boxes.

For each page, opened with ``?present=1`` and a selected star: the sidebar is
folded away, the page's main figure starts above the fold and takes a fair
share of the width, no figure text leaves its figure, the SED's note and the
waterfall's values do not overlap other text, and metric values are not
smaller than their labels. Screenshots (the viewport, what the room sees):
``test-output/screenshots/presentation-<page>-<w>x<h>.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import HR_DRAWN, SCREENSHOTS, wait_for_app_idle
from tests.browser.test_dashboard import dash_url  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1920, 1080)]
#: page path -> heading; pages with a main figure first.
FIGURE_PAGES = ["hr_diagram", "sed", "explain"]
TEXT_PAGES = {"": "Stars", "about": "About sedviz"}

#: JavaScript: boxes of every text of a figure, and of the figure itself.
FIGURE_TEXTS = """(i) => { const gd = document.querySelectorAll('.js-plotly-plot')[i];
  const box = (e) => { const r = e.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; };
  const texts = (sel) => Array.from(gd.querySelectorAll(sel))
    .filter((e) => e.textContent.trim() && e.getBoundingClientRect().width > 0).map(box);
  return { figure: box(gd), all: texts('text'), xtitle: texts('.g-xtitle text'),
           legend: texts('.legend text'), gtitle: texts('.g-gtitle text'), ytick: texts('.ytick text'),
           bartext: texts('.bartext, .textpoint text') }; }"""
#: JavaScript: true when the sidebar is folded away (off screen or zero width).
SIDEBAR_FOLDED = """() => { const s = document.querySelector("[data-testid='stSidebar']");
  if (!s) return true; const r = s.getBoundingClientRect();
  return r.right <= 1 || r.width < 5; }"""
#: JavaScript: computed font sizes (px) of the first metric's label and value.
METRIC_FONTS = """() => { const size = (s) => { const e = document.querySelector(s);
  return e ? parseFloat(getComputedStyle(e).fontSize) : null; };
  return [size("[data-testid='stMetricLabel'] p"), size("[data-testid='stMetricValue'] div")
          || size("[data-testid='stMetricValue']")]; }"""


def _overlap(a: list[float], b: list[float], slack: float = 1.0) -> bool:
    return (
        a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack
    )


@pytest.fixture(scope="module")
def star_id() -> str:
    from sedviz.catalog.tables import load_catalog

    table = load_catalog()
    return str(
        int(table[(table["parallax"] > 5) & (table["sp_class"] == "M")]["source_id"].iloc[3])
    )


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def projector(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    yield pg
    context.close()


def _open(pg: Page, url: str, path: str, star: str) -> tuple[int, int]:
    pg.goto(f"{url}/{path}?present=1&star={star}")
    wait_for_app_idle(pg)
    if path == "hr_diagram":
        pg.wait_for_function(HR_DRAWN, timeout=120_000)
    if path in FIGURE_PAGES:
        pg.locator(".js-plotly-plot").first.wait_for()
    pg.wait_for_timeout(1500)  # fonts, figure resize
    size = pg.viewport_size
    assert size is not None, "the page has a fixed viewport (set by the fixture)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"presentation-{path or 'stars'}-{size['width']}x{size['height']}.png"
    pg.screenshot(path=str(SCREENSHOTS / name))
    assert pg.locator("[data-testid='stException']").count() == 0
    assert pg.evaluate(SIDEBAR_FOLDED), "the sidebar is open"
    return int(size["width"]), int(size["height"])


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_main_figure_above_the_fold(
    projector: Page,
    dash_url: str,  # noqa: F811
    star_id: str,
    path: str,
) -> None:
    width, height = _open(projector, dash_url, path, star_id)
    boxes = projector.evaluate(FIGURE_TEXTS, 0)
    left, top, right, bottom = boxes["figure"]
    visible = (min(bottom, height) - top) / (bottom - top)
    assert top < 0.5 * height, f"figure starts at {top:.0f} px of {height}"
    assert visible >= 0.6, f"only {visible:.0%} of the figure is above the fold"
    assert (right - left) >= 0.45 * width, f"figure {right - left:.0f} px wide of {width}"
    for text in boxes["all"]:  # nothing cut at the figure's edges
        assert text[0] >= left - 1 and text[2] <= right + 1, f"text cut at the side: {text}"
        assert text[1] >= top - 1 and text[3] <= bottom + 1, f"text cut at the top/bottom: {text}"
    for entry in boxes["legend"]:  # the SED's legend below the plot
        assert not any(_overlap(entry, t) for t in boxes["xtitle"]), "legend over the axis title"
    for line in boxes["gtitle"]:  # the SED's "Not measured" note under its title
        assert not any(_overlap(line, t) for t in boxes["legend"] + boxes["xtitle"]), (
            "title overlap"
        )
    for value in boxes["bartext"]:
        assert not any(_overlap(value, t) for t in boxes["ytick"]), "value over a row name"


@pytest.mark.parametrize("path", list(TEXT_PAGES))
def test_text_pages_start_at_the_top(
    projector: Page,
    dash_url: str,  # noqa: F811
    star_id: str,
    path: str,
) -> None:
    _, height = _open(projector, dash_url, path, star_id)
    title = projector.get_by_role("heading", name=TEXT_PAGES[path]).first
    box = title.bounding_box()
    assert box is not None and box["y"] + box["height"] < 0.2 * height, box
    if path == "":
        label, value = projector.evaluate(METRIC_FONTS)
        assert value >= label, f"metric value {value} px smaller than its label {label} px"
