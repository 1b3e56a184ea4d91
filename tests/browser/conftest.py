"""Browser tests: the real app served by ``streamlit run``, driven by Playwright in Debian's Chromium.

Nothing is downloaded: Playwright is pointed at ``/usr/bin/chromium`` (installed
by ``.ci/run``), started headless with the background-networking features off
and a fresh profile (Playwright creates a new ``--user-data-dir`` per launch).
Screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("SEDVIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``browser`` (``make test-fast`` deselects them)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(url: str, timeout_s: float = 90.0) -> None:
    """Poll Streamlit's health endpoint until it answers ``ok``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout_s:.0f} s")


def entry_script(root: Path = ROOT) -> Path:
    """Return what ``make run`` serves in the checkout *root*: ``serve.py``, else ``app.py``."""
    serve = root / "serve.py"
    return serve if serve.exists() else root / "app.py"


def start_app(
    port: int, env: dict[str, str] | None = None, root: Path = ROOT
) -> subprocess.Popen[bytes]:
    """Start the checkout at *root* on 127.0.0.1:*port* as ``make run`` does.

    ``streamlit run serve.py`` (the caches warmed before the first visitor, unless
    ``SEDVIZ_WARM_CACHES=0``, the test default), or ``app.py`` for older checkouts.
    Streamlit puts the script's folder first on ``sys.path``, so *root*'s ``sedviz``
    is the one imported (``scripts/bench_hr_ring.py`` serves several commits).
    """
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry_script(root)),
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=root, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@contextlib.contextmanager
def served_app(env: dict[str, str]) -> Iterator[str]:
    """Serve the app on a free loopback port with *env*; yield its URL, stop it after."""
    port = _free_port()
    proc = start_app(port, env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, served for the whole session, with a private home and archive cache."""
    home = tmp_path_factory.mktemp("apphome")
    with served_app({"SEDVIZ_CACHE_DIR": str(home / "cache"), "HOME": str(home)}) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def screenshot(pg: Page, name: str) -> Path:
    """Save a full-page PNG of *pg* under ``test-output/screenshots/NAME.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app_idle(pg: Page, timeout_ms: int = 90_000) -> None:
    """Wait until Streamlit has finished running the script.

    ``stApp`` carries ``data-test-script-state``; after a click the run may not
    have started yet, so give it a moment to leave ``notRunning`` first.
    """
    with contextlib.suppress(Exception):  # the run may already be over
        pg.wait_for_selector(
            "[data-testid='stApp']:not([data-test-script-state='notRunning'])", timeout=700
        )
    pg.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
    )


#: JavaScript: true once the HR figure's WebGL trace is drawn (and sedviz's HR chart,
#: sedviz/ui/hr_chart.js, has drawn the figure it was last sent: not drawing, not failed).
HR_DRAWN = """() => { const gd = document.querySelector('.js-plotly-plot');
  return !!(gd && gd._fullData && gd._fullData.length && gd._fullData[0]._length > 0
            && gd.querySelector('canvas') && [undefined, 'drawn'].includes(gd.dataset.state)); }"""
#: JavaScript: page coordinates of point *i* of the HR trace (*i* wraps around the trace).
POINT_XY = """(i) => { const gd = document.querySelector('.js-plotly-plot');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, d = gd._fullData[0];
  const r = gd.querySelector('.nsewdrag').getBoundingClientRect(), j = i % d._length;
  return [r.left + xa.l2p(d.x[j]), r.top + ya.l2p(d.y[j])]; }"""
#: JavaScript: the plot area's rectangle.
PLOT_BOX = """() => { const r = document.querySelector('.js-plotly-plot .nsewdrag')
  .getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }"""


def box_select(pg: Page, x0: float, y0: float, x1: float, y1: float) -> None:
    """Drag a selection box over the HR plot (fractions of the plot area)."""
    pg.locator(".modebar-btn[data-title='Box Select']").click()
    left, top, width, height = pg.evaluate(PLOT_BOX)
    pg.mouse.move(left + x0 * width, top + y0 * height)
    pg.mouse.down()
    pg.mouse.move(left + x1 * width, top + y1 * height, steps=8)
    pg.mouse.up()


def wait_for_subset_count(pg: Page, timeout_s: float = 30.0) -> int:
    """Wait until the "Stars in the subset" metric leaves "all"; return its count."""
    metric = pg.locator("[data-testid='stMetricValue']").first
    deadline = time.monotonic() + timeout_s
    while metric.inner_text().strip() == "all" and time.monotonic() < deadline:
        pg.wait_for_timeout(300)
    wait_for_app_idle(pg)
    return int(metric.inner_text().replace(",", "") or 0)
