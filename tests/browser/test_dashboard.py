"""The dashboard in headless Chromium: every page, a click on the HR diagram, a box selection.

The app runs with the repository's models when the defaults exist, else with a
tiny private registry (5-round models, seconds to build), so the pages show
predictions either way. Screenshots: ``test-output/screenshots/dashboard-*.png``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import (
    HR_DRAWN,
    PLOT_BOX,
    POINT_XY,
    ROOT,
    box_select,
    screenshot,
    served_app,
    wait_for_app_idle,
    wait_for_subset_count,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: The default page (Stars) lives at "/".
PAGES = [
    ("", "Stars"),
    ("hr_diagram", "HR diagram"),
    ("sed", "Spectral energy distribution"),
    ("explain", "Explain"),
    ("about", "About sedviz"),
]


def models_dir_for_tests(tmp: Path) -> Path:
    """A private runtime folder (shipped defaults found in models/, never written), else a tiny registry."""
    repo = ROOT / "models"
    if (repo / "default-sp_class" / "card.json").is_file():
        return tmp
    from sedviz.catalog.tables import load_catalog
    from tests.retrain_helpers import build_tiny_registry

    return build_tiny_registry(tmp, load_catalog())


def warm_up(browser: Browser, url: str) -> None:
    """Open the app once at its root, so the timed tests start with warm server caches."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(url)
    wait_for_app_idle(pg)
    context.close()


@pytest.fixture(scope="module")
def dash_url(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[str]:
    """The app served for this module, with models, warmed up."""
    home = tmp_path_factory.mktemp("dashhome")
    models = models_dir_for_tests(tmp_path_factory.mktemp("models"))
    env = {"SEDVIZ_CACHE_DIR": str(home / "cache"), "HOME": str(home),
           "SEDVIZ_MODELS_DIR": str(models)}  # fmt: skip
    with served_app(env) as url:
        warm_up(browser, url)
        yield url


def open_hr(pg: Page, url: str) -> None:
    pg.goto(f"{url}/hr_diagram")
    wait_for_app_idle(pg)
    pg.wait_for_function(HR_DRAWN, timeout=120_000)


def main_text(pg: Page) -> str:
    return str(pg.inner_text("[data-testid='stMain']"))


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_every_page_opens(page: Page, dash_url: str, path: str, heading: str) -> None:
    page.goto(f"{dash_url}/{path}")
    wait_for_app_idle(page)
    page.get_by_role("heading", name=heading).first.wait_for()
    if path == "hr_diagram":
        page.wait_for_function(HR_DRAWN, timeout=120_000)
    if path == "":
        page.locator("[data-testid='stDataFrame'] canvas").first.wait_for()
    page.wait_for_timeout(1500)  # let figures and grids paint
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    screenshot(page, f"dashboard-{path or 'stars'}")


def test_click_on_hr_point_updates_sed(page: Page, dash_url: str) -> None:
    from sedviz.catalog.tables import load_catalog

    open_hr(page, dash_url)
    assert "Click a star on the diagram" in main_text(page)
    x, y = page.evaluate(POINT_XY, 2000)
    page.mouse.move(x, y)
    page.wait_for_timeout(400)
    start = time.monotonic()
    page.mouse.click(x, y)
    page.get_by_role("link", name="Full SED page").wait_for(timeout=20_000)
    page.locator(".js-plotly-plot").nth(1).wait_for()
    elapsed = time.monotonic() - start
    wait_for_app_idle(page)
    assert "star=" in page.url
    # The clicked star is marked (Plotly's selected style), the figure not sent again. In a
    # dense diagram the point on top at that pixel may be a neighbour of point 2000: the
    # marked point must be the star the page selected (the one in the link).
    marked = page.evaluate(SELECTED_POINTS)[0]
    assert marked is not None and len(marked) == 1
    row = int(page.evaluate(ROW_OF_POINT, marked[0]))
    star = int(page.url.split("star=")[1].split("&")[0])
    assert int(load_catalog()["source_id"].iloc[row]) == star
    screenshot(page, "dashboard-hr-click")
    # A shared link marks the same star on a fresh page.
    link = page.url
    page.goto(link)
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    assert page.evaluate(SELECTED_POINTS)[0] == marked
    assert elapsed < 10, f"SED took {elapsed:.1f} s to follow the click"
    # The link reopens the same star on the SED page.
    star_text = page.url.split("star=")[1].split("&")[0]
    page.goto(f"{dash_url}/sed?star={star_text}")
    wait_for_app_idle(page)
    page.locator(".js-plotly-plot").first.wait_for()
    page.wait_for_timeout(800)
    assert "Predicted spectral class" in main_text(page)
    screenshot(page, "dashboard-sed-star")


#: JavaScript: how many stars the HR figure draws as the subset (its last trace).
SUBSET_DRAWN = """() => { const gd = document.querySelector('.js-plotly-plot');
  return gd.data[gd.data.length - 1].x.length; }"""
#: JavaScript: the star-table row (customdata's first column) of point *j* of the HR trace.
ROW_OF_POINT = "(j) => document.querySelector('.js-plotly-plot')._fullData[0].customdata[j][0]"
#: JavaScript: the HR figure's selected points, per trace.
SELECTED_POINTS = """() => document.querySelector('.js-plotly-plot').data
  .map(d => d.selectedpoints || null)"""


#: JavaScript: the ring around the clicked star (sedviz/ui/hr_ring.js), or null when none shows:
#: the data point it is on, its centre and diameter in page pixels.
RING = """() => { const gd = document.querySelector('.js-plotly-plot');
  const r = gd && gd.querySelector('.sedviz-ring');
  if (!r || r.style.display === 'none') return null;
  const b = r.getBoundingClientRect();
  return {x: +r.dataset.x, y: +r.dataset.y, cx: b.left + b.width / 2, cy: b.top + b.height / 2,
          diameter: b.width, border: parseFloat(getComputedStyle(r).borderTopWidth)}; }"""
#: JavaScript: the selected points of the HR figure as data [x, y] and page pixels [px, py],
#: placed by Plotly itself.
SELECTED_XY = """() => { const gd = document.querySelector('.js-plotly-plot');
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect(), fl = gd._fullLayout;
  return gd.data.flatMap(d => (d.selectedpoints || []).map(j => [d.x[j], d.y[j],
    box.left + fl.xaxis.l2p(d.x[j]), box.top + fl.yaxis.l2p(d.y[j])])); }"""

#: JavaScript: whether the chart element and Plotly's computed traces are those remembered.
SAME_CHART = """() => { const gd = document.querySelector('.js-plotly-plot');
  return [gd === window.__gd0, gd.calcdata === window.__cd0]; }"""


def _ring_on_selected_star(pg: Page) -> dict[str, float]:
    """Wait for the ring; check it circles the one selected point, where Plotly draws it."""
    pg.wait_for_function(f"() => ({RING})() !== null", timeout=60_000)
    ring, selected = pg.evaluate(RING), pg.evaluate(SELECTED_XY)
    assert len(selected) == 1, selected
    x, y, px, py = selected[0]
    assert (ring["x"], ring["y"]) == (x, y)
    assert abs(ring["cx"] - px) < 1.5 and abs(ring["cy"] - py) < 1.5, (ring, px, py)
    return dict(ring)


def test_clicked_star_gets_a_ring(browser: Browser, page: Page, dash_url: str) -> None:
    """Issue 18 item 4: the clicked star is ringed at once, with no new drawing of the points;
    the ring is there again after a page change, from a shared link and in presentation mode."""
    open_hr(page, dash_url)
    assert page.evaluate(RING) is None  # no star selected yet
    page.evaluate("""() => { const gd = document.querySelector('.js-plotly-plot');
      window.__gd0 = gd; window.__cd0 = gd.calcdata; }""")
    x, y = page.evaluate(POINT_XY, 5000)
    page.mouse.move(x, y)
    page.wait_for_timeout(400)
    page.mouse.click(x, y)
    ring = _ring_on_selected_star(page)
    assert ring["diameter"] == 26 and ring["border"] == 2  # sedviz.plots.hr.ring_style(13)
    page.wait_for_function("() => location.search.includes('star=')")
    wait_for_app_idle(page)
    page.get_by_role("link", name="Full SED page").wait_for()
    # The same chart element and the same computed traces: Plotly drew no point anew.
    assert page.evaluate(SAME_CHART) == [True, True]
    assert _ring_on_selected_star(page) == ring
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    _ring_on_selected_star(page)  # follows the chart when the page scrolls
    screenshot(page, "dashboard-hr-ring")
    link, star = page.url, (ring["x"], ring["y"])
    # Page change and back: the figure is drawn anew from the session's state.
    page.get_by_role("link", name="SED").first.click()
    wait_for_app_idle(page)
    page.get_by_role("link", name="HR diagram").first.click()
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    assert (_ring_on_selected_star(page)["x"], _ring_on_selected_star(page)["y"]) == star
    # A shared link, in a fresh session; then the same link in presentation mode (larger ring).
    for url, diameter in ((link, 26), (f"{link}&present=1", 36)):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        fresh = context.new_page()
        fresh.set_default_timeout(60_000)
        fresh.goto(url)
        wait_for_app_idle(fresh)
        fresh.wait_for_function(HR_DRAWN, timeout=120_000)
        shown = _ring_on_selected_star(fresh)
        assert (shown["x"], shown["y"]) == star and shown["diameter"] == diameter
        if diameter == 36:
            fresh.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
            fresh.wait_for_timeout(300)
            screenshot(fresh, "dashboard-hr-ring-presentation")
        context.close()


def test_box_select_sets_subset_count(page: Page, dash_url: str) -> None:
    open_hr(page, dash_url)
    box_select(page, 0.30, 0.55, 0.45, 0.70)
    count = wait_for_subset_count(page)
    assert count > 0
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    # The subset is drawn on top (issue 18 item 4), and again after a page change.
    page.wait_for_function(f"() => ({SUBSET_DRAWN})() === {count}", timeout=60_000)
    # The subset is drawn by its own trace; the box's points are not left in Plotly's
    # large magenta "selected" style of a clicked star, nor is the box's outline.
    assert page.evaluate(SELECTED_POINTS) == [None] * len(page.evaluate(SELECTED_POINTS))
    assert page.evaluate("() => (document.querySelector('.js-plotly-plot').layout.selections"
                         " || []).length") == 0  # fmt: skip
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    screenshot(page, "dashboard-hr-box")
    page.get_by_role("link", name="SED").first.click()
    wait_for_app_idle(page)
    page.get_by_role("link", name="HR diagram").first.click()
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    assert page.evaluate(SUBSET_DRAWN) == count
    # In-app navigation keeps the session (a new URL would start a new one).
    page.get_by_role("link", name="Explain").click()
    wait_for_app_idle(page)
    caption = page.get_by_text("stars from the subset")
    caption.wait_for()
    shown = int(caption.inner_text().split(" stars")[0].replace(",", ""))
    assert 0 < shown <= count


def test_a_lasso_makes_the_subset_and_its_link(page: Page, dash_url: str) -> None:
    """A lasso drawn on the chart: its stars become the subset, and the link keeps its shape."""
    open_hr(page, dash_url)
    page.locator(".modebar-btn[data-title='Lasso Select']").click()
    left, top, width, height = page.evaluate(PLOT_BOX)
    corners = [(0.30, 0.50), (0.50, 0.50), (0.50, 0.75), (0.30, 0.75), (0.31, 0.51)]
    page.mouse.move(left + corners[0][0] * width, top + corners[0][1] * height)
    page.mouse.down()
    for fx, fy in corners[1:]:
        page.mouse.move(left + fx * width, top + fy * height, steps=6)
    page.mouse.up()
    count = wait_for_subset_count(page)
    assert count > 0
    sidebar = str(page.inner_text("[data-testid='stSidebar']"))
    assert f"Subset: {count:,} stars (lasso on the HR diagram)" in sidebar
    page.wait_for_function("() => location.search.includes('sel=lasso')", timeout=30_000)


def test_a_box_sends_the_rows_it_holds_not_the_points(page: Page, dash_url: str) -> None:
    """Issue 18 item 3: a box around the whole diagram sends its stars' rows, not Plotly's
    points (Streamlit's chart sent 17 MB for 104,449 stars: x, y, customdata... of each)."""
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(len(f))))
    open_hr(page, dash_url)
    assert page.locator("[data-testid='hrChart'].js-plotly-plot").count() == 1  # serve.py's
    box_select(page, 0.002, 0.002, 0.998, 0.998)
    count = wait_for_subset_count(page, timeout_s=120)
    assert count > 100_000
    # One row is at most 6 digits and a comma: the largest message is the box's rows.
    assert max(sent) < 7.5 * count, (max(sent), count)


def test_gallery_star_opens_sed_and_hr_place(page: Page, dash_url: str) -> None:
    """One click on "Vega" (no Gaia bands) opens its SED; from there, its place on the HR diagram."""
    page.goto(dash_url)
    wait_for_app_idle(page)
    screenshot(page, "dashboard-stars-gallery")
    page.get_by_role("button", name="Vega", exact=True).click()
    wait_for_app_idle(page)
    page.get_by_role("heading", name="Vega (HIP 91262)").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert "/sed" in page.url and "star=-91262" in page.url
    sidebar = str(page.inner_text("[data-testid='stSidebar']"))
    assert "Vega (HIP 91262) · not measured by Gaia" in sidebar
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    screenshot(page, "dashboard-sed-vega")
    page.get_by_role("link", name="Its place on the HR diagram").click()
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    marked = [p for p in page.evaluate(SELECTED_POINTS) if p]
    assert len(marked) == 1 and len(marked[0]) == 1  # Vega, in the "estimated" trace
    names = page.evaluate("() => document.querySelector('.js-plotly-plot').data.map(d => d.name)")
    assert any(n.startswith("estimated") for n in names)
    page.get_by_text("Names of bright stars").click()
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    notes = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').layout.annotations.map(a => a.text)"
    )
    assert {"Vega", "Sirius", "Betelgeuse"} <= set(notes)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    screenshot(page, "dashboard-hr-names")


@pytest.mark.parametrize(
    ("label", "check"),
    [
        (
            "star set as CSV",
            lambda text: text.startswith("source_id,") and text.count("\n") > 100_000,
        ),
        ("star set as VOTable", lambda text: "<VOTABLE" in text and "BINARY2" in text),
        ("figure as HTML", lambda text: '"type":"scattergl"' in text and "plotly" in text),
    ],
)
def test_export_downloads(
    page: Page, dash_url: str, tmp_path: Path, label: str, check: Callable[[str], bool]
) -> None:
    """Each Export button of the HR page downloads a file that holds the whole set."""
    open_hr(page, dash_url)
    page.get_by_text("Export").first.click()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    path = tmp_path / "export"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    assert check(text), f"{label}: unexpected file ({len(text):,} characters)"


def test_presentation_mode(page: Page, dash_url: str) -> None:
    open_hr(page, dash_url)
    page.get_by_text("Presentation mode").click()
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Good parallaxes only").count() == 0
    screenshot(page, "dashboard-presentation")


def test_bad_link_shows_message(page: Page, dash_url: str) -> None:
    page.goto(f"{dash_url}/sed?star=12345")
    wait_for_app_idle(page)
    page.get_by_text("is not in the current star set").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0


#: JavaScript: how many points the HR figure's first trace holds in the browser.
#: JavaScript: how many stars the HR figure holds (every trace but the subset overlay).
HR_POINTS = """() => document.querySelector('.js-plotly-plot')._fullData
  .filter(d => d.uid !== 'choice').reduce((n, d) => n + d._length, 0)"""


def test_catalogue_is_whole_by_default(page: Page, dash_url: str) -> None:
    """The HR page draws every drawable star of the embedded catalogue, not a sample."""
    from sedviz.catalog.tables import load_catalog
    from sedviz.views.hr import hr_counts, hr_frame

    expected = hr_counts(hr_frame(load_catalog()))["drawn"]
    open_hr(page, dash_url)
    assert expected > 100_000
    assert page.evaluate(HR_POINTS) == expected


# --- every select box and radio keeps each value it is given (issue 18, item 1) -------------
#: JavaScript: labels of the page's select boxes and radio groups, in page order.
CHOICE_WIDGETS = """() => [
  ...[...document.querySelectorAll("[data-testid='stMain'] [data-testid='stSelectbox'] input")]
      .map(e => ['select', e.getAttribute('aria-label')]),
  ...[...document.querySelectorAll("[data-testid='stMain'] [role='radiogroup']")]
      .map(e => ['radio', e.getAttribute('aria-label')])]"""


def _widget_value(pg: Page, kind: str, label: str) -> str:
    if kind == "select":
        box = pg.locator(f"[data-testid='stMain'] input[aria-label='{label}']")
        return str(box.input_value())
    group = pg.locator(f"[data-testid='stMain'] [role='radiogroup'][aria-label='{label}']")
    return str(group.locator("[data-testid='stRadioOption'][data-selected='true']").inner_text())


def _widget_options(pg: Page, kind: str, label: str) -> list[str]:
    if kind == "radio":
        group = pg.locator(f"[data-testid='stMain'] [role='radiogroup'][aria-label='{label}']")
        return [t.strip() for t in group.locator("[data-testid='stRadioOption']").all_inner_texts()]
    pg.locator(f"[data-testid='stMain'] input[aria-label='{label}']").click()
    options = [t.strip() for t in pg.get_by_role("option").all_inner_texts()]
    pg.keyboard.press("Escape")
    return options


def _choose(pg: Page, kind: str, label: str, option: str) -> None:
    if kind == "select":
        pg.locator(f"[data-testid='stMain'] input[aria-label='{label}']").click()
        pg.get_by_role("option", name=option, exact=True).click()
    else:
        group = pg.locator(f"[data-testid='stMain'] [role='radiogroup'][aria-label='{label}']")
        group.locator("[data-testid='stRadioOption']").filter(has_text=option).first.click()
    wait_for_app_idle(pg)


#: Changes made to each widget, one after the other.
CHANGES = 4


@pytest.mark.parametrize("path", ["hr_diagram", "explain", "retrain"])
def test_every_choice_sticks(page: Page, dash_url: str, path: str) -> None:
    """Change every select box and radio of the page CHANGES times in a row: each value stays.

    Before the fix every second change of "Colour by" and of "Classes" snapped back.
    """
    page.goto(f"{dash_url}/{path}")
    # A fresh page may not have started its first run when the idle check looks (the
    # state starts as "not running"): wait for the page's widgets themselves.
    page.wait_for_function(f"() => ({CHOICE_WIDGETS})().length > 0", timeout=90_000)
    wait_for_app_idle(page)
    widgets = [tuple(w) for w in page.evaluate(CHOICE_WIDGETS)]
    assert widgets, f"no select box or radio on {path}"
    tried = 0
    for kind, label in widgets:
        if not page.locator(f"[aria-label='{label}']").count():
            continue  # hidden by an earlier choice
        options, current = _widget_options(page, kind, label), _widget_value(page, kind, label)
        if current not in options:  # a long list shows only its first options
            options.insert(0, current)
        start = options.index(current)
        # Each change differs from the one before, and the last goes back to the start.
        sequence = [options[(start + 1 + i) % len(options)] for i in range(CHANGES)]
        if len(options) > CHANGES:
            sequence[-1] = options[start]
        for option in sequence:
            _choose(page, kind, label, option)
            assert _widget_value(page, kind, label) == option, f"{path}: {label} snapped back"
            tried += 1
        assert page.locator("[data-testid='stException']").count() == 0
    assert tried >= CHANGES
