"""Benchmark of the whole-catalogue HR figure itself: server-side costs and the browser's text search.

What each line measures (medians of ``--runs``):

* **build + freeze**: ``plot_hr`` and the shared read-only copy the HR page caches
  (``FrozenFigure`` of :func:`sedviz.plots.hr.browser_spec`): paid once per star set,
  model and colouring (e.g. when a teacher changes the colouring).
* **encode per run**: ``plotly.io.to_json`` of that cached figure, which
  ``st.plotly_chart`` does on every run of the HR page.
* **objects for the garbage collector** with four cached figures (the four
  colourings), and the time of one full collection with them in memory.
* **browser text search** (``--browser``): Streamlit's chart searches the figure's
  JSON text for ~40 ``#0000NN`` placeholders, twice per mount; timed in headless
  Chromium on the real figure text and on the same text with ``#rrggbb`` colours.
* **browser draw by colour format** (``--colour-strings``): ``Plotly.newPlot`` (the
  plotly.js of the ``plotly`` package) of the figure's measured stars in the
  confidence colouring (21 Viridis steps), the colours given as ``rgb(r,g,b)``, as
  ``#rrggbb``, and as the class colouring's CSS names for comparison; from the call to
  two animation frames after it, interleaved, medians of ``--runs``.
* **browser draw by spec part** (``--spec-parts``): ``JSON.parse`` and ``Plotly.newPlot``
  of the real figure's text as sent, and without ``customdata``, without
  ``text``/``hovertext``, without all three: what each part costs the browser.

The predictions are the catalogued classes with 20 % changed to G and random
probabilities: this measures figure sizes and costs, not the classifier.
Run it against another checkout (``PYTHONPATH=../old .venv/bin/python
scripts/bench_hr_figure.py``) to compare before and after.

Usage::

    .venv/bin/python scripts/bench_hr_figure.py [--runs 5] [--browser] [--colour-strings] [--spec-parts]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import plotly.io as pio

# Appended, not prepended: a checkout named in PYTHONPATH keeps precedence for ``sedviz``.
sys.path.append(str(Path(__file__).resolve().parents[1]))

import sedviz.plots.hr as H
from sedviz.catalog.tables import load_catalog
from sedviz.ui.frozen import freeze
from sedviz.views.hr import COLOURINGS, hr_frame

SEARCH_JS = """(s) => { const t0 = performance.now(); let x = s;
  for (let i = 1; i <= 40; i++) x = x.replaceAll('#0000' + String(i).padStart(2, '0'), 'z');
  return performance.now() - t0; }"""
HEX = {"royalblue": "#4169e1", "lightskyblue": "#87cefa", "lavender": "#e6e6fa",
       "khaki": "#f0e68c", "gold": "#ffd700", "orange": "#ffa500", "tomato": "#ff6347",
       "orchid": "#da70d6", "lightgreen": "#90ee90", "cornflowerblue": "#6495ed",
       "crimson": "#dc143c", "gray": "#808080"}  # fmt: skip


def _frame() -> object:
    frame = hr_frame(load_catalog(), None, None, "sp_class")
    rng = np.random.default_rng(0)
    changed = rng.random(len(frame)) >= 0.8
    frame["predicted"] = frame["catalogued"].where(~changed, "G").replace("", "K")
    frame["probability"] = rng.random(len(frame)).astype(np.float32)
    return frame


def _frozen(frame: object, colouring: str = "predicted") -> object:
    fig = H.plot_hr(frame, colouring)  # type: ignore[arg-type]
    spec_of = getattr(H, "browser_spec", None)  # absent in older checkouts
    return freeze(fig, spec_of(fig)) if spec_of else freeze(fig)


def _median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _browser_search(text: str, runs: int) -> tuple[float, float]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    spec = json.loads(text)
    colours = spec["data"][0]["marker"]["color"]
    spec["data"][0]["marker"]["color"] = [HEX.get(c, c) for c in colours]
    with_hex = json.dumps(spec)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        now = statistics.median(page.evaluate(SEARCH_JS, text) for _ in range(runs))
        hexed = statistics.median(page.evaluate(SEARCH_JS, with_hex) for _ in range(runs))
        browser.close()
    return now, hexed


NEWPLOT_JS = """async ([x, y, colours]) => { const g = document.getElementById('g'); Plotly.purge(g);
  const t0 = performance.now();
  await Plotly.newPlot(g, [{type: 'scattergl', mode: 'markers', x: x, y: y,
                            marker: {size: 3, opacity: 0.75, color: colours}}],
                       {width: 800, height: 620, margin: {l: 60, r: 10, t: 40, b: 50}});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0; }"""


def _time_in_plotly(js: str, cases: dict[str, Any], runs: int) -> dict[str, list[float]]:
    """Milliseconds *js* returns for each case's argument, in a page with the package's plotly.js.

    Headless Chromium; the cases interleaved, *runs* rounds.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    plotly_js = Path(pio.__file__).parents[1] / "package_data" / "plotly.min.js"
    times: dict[str, list[float]] = {name: [] for name in cases}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_content("<div id=g></div>")
        page.add_script_tag(path=str(plotly_js))
        for _ in range(runs):
            for name, argument in cases.items():
                times[name].append(page.evaluate(js, argument))
        browser.close()
    return times


def _browser_colour_strings(frame: object, runs: int) -> dict[str, float]:
    """Milliseconds plotly.js takes to draw the stars, per colour-string format."""
    from plotly.colors import sample_colorscale

    stars = H.drawable_frame(frame, "cmd")  # type: ignore[arg-type]
    x, y = (H.quantize(stars[c].to_numpy()).tolist() for c in H.AXIS_COLUMNS["cmd"])
    steps = np.clip(np.round(stars[H.PROBABILITY].to_numpy(np.float64) * 20), 0, 20).astype(int)
    channels = [
        [round(float(v)) for v in c[c.index("(") + 1 : -1].split(",")]
        for c in sample_colorscale("Viridis", 21)
    ]
    formats = {
        "rgb(r,g,b), 21 steps": [f"rgb({r},{g},{b})" for r, g, b in channels],
        "#rrggbb, 21 steps": [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in channels],
        "CSS names (classes)": list(H.CLASS_COLOURS.values())[:7] * 3,
    }
    cases = {name: [x, y, np.array(palette)[steps].tolist()] for name, palette in formats.items()}
    times = _time_in_plotly(NEWPLOT_JS, cases, runs)
    return {name: statistics.median(t) for name, t in times.items()}


PARSE_AND_PLOT_JS = """async (text) => { const g = document.getElementById('g'); Plotly.purge(g);
  const t0 = performance.now(); const spec = JSON.parse(text);
  await Plotly.newPlot(g, spec.data, spec.layout);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0; }"""


def _browser_spec_parts(text: str, runs: int) -> dict[str, tuple[float, float, list[float]]]:
    """Per variant of the figure's text: (MB, median ms, every run's ms) to parse and draw."""

    def without(*keys: str) -> str:
        spec = json.loads(text)
        for trace in spec["data"]:
            for key in keys:
                trace.pop(key, None)
        return json.dumps(spec)

    variants = {"as sent": text, "no customdata": without("customdata"),
                "no text/hovertext": without("text", "hovertext"),
                "none of the three": without("customdata", "text", "hovertext")}  # fmt: skip
    times = _time_in_plotly(PARSE_AND_PLOT_JS, variants, runs)
    return {name: (len(variants[name]) / 1e6, statistics.median(t), t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also time the text search")
    parser.add_argument(
        "--colour-strings", action="store_true", help="also time plotly.js per colour format"
    )
    parser.add_argument(
        "--spec-parts", action="store_true", help="also time plotly.js without parts of the spec"
    )
    args = parser.parse_args()
    frame = _frame()
    build = _median_s(lambda: _frozen(frame), args.runs)
    frozen = _frozen(frame)
    text = pio.to_json(frozen, validate=False)
    encode = _median_s(lambda: pio.to_json(frozen, validate=False), max(args.runs, 15))
    gc.collect()
    before = len(gc.get_objects())
    cached = [_frozen(frame, c) for c in COLOURINGS]
    gc.collect()
    tracked = len(gc.get_objects()) - before
    full_gc = _median_s(gc.collect, args.runs)
    print(f"HR figure of the whole catalogue ({H.__file__})")
    print(f"  JSON sent to the browser          {len(text) / 1e6:6.2f} MB")
    print(f"  build + freeze                    {build:6.2f} s")
    print(f"  encode per run (to_json)          {encode * 1000:6.1f} ms")
    print(f"  objects for the GC, {len(cached)} figures     {tracked:8,d}")
    print(f"  one full collection with them     {full_gc * 1000:6.0f} ms")
    if args.browser:
        now, hexed = _browser_search(text, args.runs)
        print(f"  browser: 40 text searches         {now:6.1f} ms (the same with hex colours: "
              f"{hexed:.1f} ms)")  # fmt: skip
    if args.colour_strings:
        drawn = _browser_colour_strings(frame, args.runs)
        print(f"  browser: draw {len(H.drawable_frame(frame, 'cmd')):,} stars (plotly.js newPlot)")  # type: ignore[arg-type]
        for name, ms in drawn.items():
            print(f"    {name:24s} {ms:6.0f} ms")

    if args.spec_parts:
        print("  browser: parse + draw the figure, without parts of its spec")
        for name, (mb, ms, every) in _browser_spec_parts(text, args.runs).items():
            print(f"    {name:20s} {mb:5.2f} MB {ms:6.0f} ms  {[round(t) for t in every]}")


if __name__ == "__main__":
    main()
