"""Browser benchmark of a click on the HR diagram: SED drawn, ring shown, points drawn again?

Serves several versions of the app at once (each a git commit exported to a
temporary folder, or ``.`` for this checkout as it is), each on its own port,
and clicks the same stars of the whole-catalogue HR diagram in each, in
interleaved runs (one fresh browser session per version and run, the order
rotated each run), so a drift in the machine's load weighs on all alike.
Debian's headless Chromium renders WebGL in software: absolute times are slow.

Per click:

* **click -> SED drawn**: from the click until the page has run and shows the
  linked SED figure (the method of ``scripts/bench_browser.py``), seconds;
* **click -> star marked**: from the ``pointerdown`` event until the first WebGL draw
  call after it (Plotly drawing the points with the new selection: the star magenta),
  timed in the page;
* **click -> ring shown**: from the ``pointerdown`` event until the page holds a ring
  around the newly selected star, timed in the page (checked on every change of the
  page, by a ``MutationObserver``, and on every animation frame): the browser-drawn
  ring (``.sedviz-ring`` on that star) or a layout shape (a circle anchored at the
  star in the drawn figure, and its SVG path); none for a version without a ring;
* **was every point drawn again?** Three signals, read once the page has settled:
  the chart element was replaced (Streamlit mounted a new chart: ``Plotly.newPlot``),
  the figure's ``calcdata`` is a new object (Plotly recomputed the traces), and the
  bytes uploaded to WebGL buffers (``bufferData``/``bufferSubData``, counted by an
  init script) from the click on: a new upload of ~100,000 points is megabytes.

``--react-check`` instead checks Plotly alone, without Streamlit: the whole-catalogue
HR figure drawn by plotly.js (the copy in the plotly package) on a blank page, then
``Plotly.react`` with the same figure plus a ring shape, the data as fresh copies
(as Streamlit hands them over) and ``datarevision`` unchanged: is ``calcdata`` reused,
how long does it take against ``Plotly.newPlot``.

Usage::

    .venv/bin/python scripts/bench_hr_ring.py --variant before=68a834c \\
        --variant shape=c219c2e --variant ring=. [--runs 3] [--clicks 3] [--json OUT]
    .venv/bin/python scripts/bench_hr_ring.py --react-check
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    HR_DRAWN,
    POINT_XY,
    _free_port,
    start_app,
    wait_for_app_idle,
    wait_for_health,
)

SED_DRAWN = "() => document.querySelectorAll('.js-plotly-plot').length >= 2"
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: Init script: count bytes uploaded to WebGL buffers and draw calls, in every context.
GL_COUNTERS = """(() => {
  const gl = window.__gl = {bytes: 0, draws: 0, onDraw: () => {}};
  const size = d => typeof d === 'number' ? d : (d && d.byteLength) || 0;
  for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    if (!C) continue;
    const p = C.prototype;
    for (const name of ['bufferData', 'bufferSubData']) {
      const f = p[name];
      p[name] = function (t, d, ...rest) { gl.bytes += size(d); return f.call(this, t, d, ...rest); };
    }
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced',
                        'drawElementsInstanced']) {
      const f = p[name];
      if (f) p[name] = function (...a) { gl.draws += 1; gl.onDraw(); return f.apply(this, a); };
    }
    const getExtension = p.getExtension;
    p.getExtension = function (name) {
      const ext = getExtension.call(this, name);
      if (ext && name === 'ANGLE_instanced_arrays' && !ext.__counted) {
        for (const m of ['drawArraysInstancedANGLE', 'drawElementsInstancedANGLE']) {
          const f = ext[m];
          ext[m] = function (...a) { gl.draws += 1; gl.onDraw(); return f.apply(this, a); };
        }
        ext.__counted = true;
      }
      return ext;
    };
  }
})();"""
#: JavaScript: before a click, remember the chart, its calcdata and the star now selected,
#: zero the WebGL counters, and time the first WebGL draw after the click (the points drawn
#: with the new selection: the magenta star) and the moment the page holds a ring on the new
#: star (checked after every change of the page, and on every animation frame).
ARM = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const selected = g => { let out = null, n = 0;
    for (const d of (g && g.data) || []) { const s = d.selectedpoints;
      if (s && s.length) { n += s.length; out = [d.x[s[0]], d.y[s[0]]]; } }
    return n === 1 ? out : null; };
  const ringAt = (g, [x, y]) => {
    const r = g.querySelector('.sedviz-ring');
    if (r && r.style.display !== 'none' && +r.dataset.x === x && +r.dataset.y === y) return true;
    const shapes = (g._fullLayout && g._fullLayout.shapes) || [];
    return shapes.some(s => s.type === 'circle' && s.xanchor === x && s.yanchor === y)
      && !!g.querySelector('.shapelayer path'); };
  const before = selected(gd);
  Object.assign(window, {__gd0: gd, __cd0: gd.calcdata, __t0: null, __tSel: null, __tRing: null});
  window.__gl.bytes = 0; window.__gl.draws = 0;
  window.__gl.onDraw = () => {
    if (window.__t0 !== null && window.__tSel === null) window.__tSel = performance.now(); };
  document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); },
                            {capture: true, once: true});
  const deadline = performance.now() + 60000;
  const check = () => {
    if (window.__tRing !== null || window.__t0 === null) return;
    const g = document.querySelector('.js-plotly-plot');
    const now = selected(g);
    if (now && String(now) !== String(before) && ringAt(g, now)) {
      window.__tRing = performance.now(); watch.disconnect(); }
  };
  if (window.__watch) window.__watch.disconnect();  // the previous click's
  const watch = window.__watch = new MutationObserver(check);
  watch.observe(document.body, {subtree: true, childList: true, attributes: true});
  const tick = () => { check(); if (window.__tRing === null && performance.now() < deadline)
    requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}"""
RESULT = """() => { const gd = document.querySelector('.js-plotly-plot');
  return {remounted: gd !== window.__gd0, recalculated: gd.calcdata !== window.__cd0,
          gl_bytes: window.__gl.bytes, gl_draws: window.__gl.draws,
          marked_s: window.__tSel === null ? null : (window.__tSel - window.__t0) / 1000,
          ring_s: window.__tRing === null ? null : (window.__tRing - window.__t0) / 1000}; }"""


@contextlib.contextmanager
def served(name: str, rev: str, tmp: Path) -> Iterator[str]:
    """Serve commit *rev* (``.``: this checkout) with private HOME, cache and models folders."""
    root = ROOT
    if rev != ".":
        root = tmp / f"src-{name}"
        root.mkdir()
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    home = tmp / f"home-{name}"
    (home / "models").mkdir(parents=True)
    # An empty models folder: the shipped default models of *root* are used.
    env = {"HOME": str(home), "SEDVIZ_CACHE_DIR": str(home / "cache"),
           "SEDVIZ_MODELS_DIR": str(home / "models")}  # fmt: skip
    port = _free_port()
    proc = start_app(port, env, root=root)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, 180)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def open_hr(browser: Any, url: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(GL_COUNTERS)
    pg = context.new_page()
    pg.set_default_timeout(180_000)
    pg.goto(f"{url}/hr_diagram")
    wait_for_app_idle(pg, 180_000)
    pg.wait_for_function(HR_DRAWN, timeout=180_000)
    pg.evaluate(TWO_FRAMES)
    return pg


def click_star(pg: Any, point: int, ring_timeout_s: float) -> dict[str, Any]:
    """Click point *point* of the HR trace; return the timings and redraw signals."""
    x, y = pg.evaluate(POINT_XY, point)
    pg.mouse.move(x, y)
    pg.wait_for_timeout(300)
    before = pg.evaluate("() => location.search")
    pg.evaluate(ARM)
    start = time.perf_counter()
    pg.mouse.click(x, y)
    pg.wait_for_function(
        "(b) => location.search !== b && location.search.includes('star=')", arg=before
    )
    wait_for_app_idle(pg, 120_000)
    pg.wait_for_function(SED_DRAWN, timeout=120_000)
    pg.evaluate(TWO_FRAMES)
    sed_s = time.perf_counter() - start
    pg.wait_for_function(HR_DRAWN, timeout=120_000)
    with contextlib.suppress(Exception):  # a version without a ring never shows one
        pg.wait_for_function("() => window.__tRing !== null", timeout=ring_timeout_s * 1000)
    pg.wait_for_timeout(500)  # let a remount, if any, finish before the counters are read
    result: dict[str, Any] = pg.evaluate(RESULT)
    pg.mouse.move(5, 5)
    return {"sed_s": sed_s, **result}


#: JavaScript: draw the figure, then react with a ring shape added (data copied, same revision).
REACT_CHECK = """async (reps) => {
  const gd = document.getElementById('gd'), s = window.spec, config = {plotGlPixelRatio: 1};
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const out = {version: Plotly.version, newPlot_s: [], react_s: [], calcdata_reused: [],
               shape_drawn: []};
  for (let i = 0; i < reps; i++) {
    Plotly.purge(gd);
    let t = performance.now();
    await Plotly.newPlot(gd, JSON.parse(JSON.stringify(s.data)), s.layout, config);
    await frames();
    out.newPlot_s.push((performance.now() - t) / 1000);
    const cd = gd.calcdata, d = s.data[0], j = 100 + 997 * i;
    const ring = {type: 'circle', xref: 'x', yref: 'y', xsizemode: 'pixel', ysizemode: 'pixel',
      xanchor: d.x[j], yanchor: d.y[j], x0: -13, x1: 13, y0: -13, y1: 13,
      line: {color: 'white', width: 2}};
    t = performance.now();
    await Plotly.react(gd, JSON.parse(JSON.stringify(s.data)), {...s.layout, shapes: [ring]},
                       config);
    await frames();
    out.react_s.push((performance.now() - t) / 1000);
    out.calcdata_reused.push(gd.calcdata === cd);
    out.shape_drawn.push(!!gd.querySelector('.shapelayer path'));
  }
  return out; }"""


def react_check(browser: Any, reps: int = 3) -> dict[str, Any]:
    """Plotly alone: does ``Plotly.react`` with a new shape keep the traces computed?"""
    import plotly

    from sedviz.catalog.tables import load_catalog
    from sedviz.plots.hr import browser_spec, plot_hr
    from sedviz.views.hr import hr_frame

    spec = browser_spec(plot_hr(hr_frame(load_catalog()), "catalogued"))
    pg = browser.new_page(viewport={"width": 1000, "height": 700})
    pg.set_default_timeout(300_000)
    pg.set_content("<div id='gd' style='width: 900px; height: 620px'></div>")
    pg.add_script_tag(path=str(Path(plotly.__file__).parent / "package_data" / "plotly.min.js"))
    pg.evaluate("(s) => { window.spec = s; }", spec)
    result: dict[str, Any] = pg.evaluate(REACT_CHECK, reps)
    pg.close()
    result["points"] = sum(len(t["x"]) for t in spec["data"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", metavar="NAME=REV",
                        help="a version to serve: a git commit, or . for this checkout")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="runs per version (3)")
    parser.add_argument("--clicks", type=int, default=3, help="clicks per run (3)")
    parser.add_argument("--json", help="also write every click as JSON here")
    parser.add_argument("--ring-timeout", type=float, default=20.0,
                        help="seconds to wait for a ring after the SED is drawn (20)")  # fmt: skip
    parser.add_argument("--react-check", action="store_true",
                        help="only check Plotly.react with a new shape, without Streamlit")  # fmt: skip
    args = parser.parse_args()
    if args.react_check:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(json.dumps(react_check(browser, args.runs)))
            browser.close()
        return
    variants = dict(v.split("=", 1) for v in args.variant or ["ring=."])
    tmp = Path(tempfile.mkdtemp(prefix="sedviz-ring-"))
    clicks: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(served(name, rev, tmp)) for name, rev in variants.items()}
        from playwright.sync_api import sync_playwright

        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for url in urls.values():  # first visits fill each server's caches, untimed
            open_hr(browser, url).context.close()
        names = list(variants)
        for run in range(args.runs):
            for name in names[run % len(names) :] + names[: run % len(names)]:
                pg = open_hr(browser, urls[name])
                for i in range(args.clicks):
                    point = 3000 + 7919 * (run * args.clicks + i)  # new stars every run
                    clicks[name].append(
                        click_star(pg, point, args.ring_timeout) | {"run": run, "point": point}
                    )
                pg.context.close()
        browser.close()
    print_table(variants, clicks)
    if args.json:
        Path(args.json).write_text(json.dumps({"variants": variants, "clicks": clicks}, indent=1))


def print_table(variants: dict[str, str], clicks: dict[str, list[dict[str, Any]]]) -> None:
    med = statistics.median
    load1, load5, _ = os.getloadavg()
    print(f"cores: {os.cpu_count()}; load average 1/5 min: {load1:.2f}/{load5:.2f}")
    print(f"{'version':22s} {'clicks':>6s} {'SED s':>7s} {'marked s':>8s} {'ring s':>7s} {'remounted':>9s} "
          f"{'recalc':>7s} {'WebGL MB':>9s} {'draws':>6s}")  # fmt: skip
    for name, rev in variants.items():
        rows = clicks[name]
        rings = [r["ring_s"] for r in rows if r["ring_s"] is not None]
        ring = f"{med(rings):7.2f}" if rings else "   none"
        marked = med(r["marked_s"] for r in rows if r["marked_s"] is not None)
        print(
            f"{name + ' (' + rev + ')':22s} {len(rows):6d} {med(r['sed_s'] for r in rows):7.2f} "
            f"{marked:8.2f} {ring} {sum(r['remounted'] for r in rows):4d}/{len(rows):<4d} "
            f"{sum(r['recalculated'] for r in rows):3d}/{len(rows):<3d} "
            f"{med(r['gl_bytes'] for r in rows) / 1e6:9.2f} {med(r['gl_draws'] for r in rows):6.0f}"
        )
        print(f"{'':22s} SED s {[round(r['sed_s'], 2) for r in rows]}")
        print(f"{'':22s} marked s {[r['marked_s'] and round(r['marked_s'], 2) for r in rows]}")
        print(f"{'':22s} ring s {[r['ring_s'] and round(r['ring_s'], 2) for r in rows]}")


if __name__ == "__main__":
    main()
