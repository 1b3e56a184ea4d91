// The ring around the HR diagram's clicked star (sedviz.ui.widgets.hr_chart).
//
// Plotly draws the clicked star large and magenta in the browser (the traces'
// "selected" style). A ring sent by the server would change the figure, and
// Streamlit mounts a changed figure as a new chart: every point drawn again.
// So the ring is an element laid over the chart here, around the one selected
// point of the figure, and moved on every selection, zoom and resize. The
// server marks the star with `selectedpoints` after a page change or from a
// link, so the same rule rings it there too.
//
// Public Plotly surfaces only: the figure (`gd.data`, `gd.layout`), its
// events (`gd.on`), the ring's look in `layout.meta.ring`
// (sedviz.plots.hr.ring_style), and the chart's size in the page.
(() => {
  if (window.sedvizHrRing) return; // one watcher per browser tab: the app is one page
  window.sedvizHrRing = true;

  const EVENTS = ["plotly_afterplot", "plotly_react", "plotly_restyle", "plotly_selected",
    "plotly_click", "plotly_deselect", "plotly_relayout", "plotly_doubleclick"];
  const hooked = new WeakSet();
  const pending = new WeakMap();

  // [x, y] of the one selected point of the figure, else null (none, or a box of many).
  function selectedPoint(data) {
    let found = null;
    let count = 0;
    for (const trace of data || []) {
      const points = trace.selectedpoints;
      if (!points || !points.length) continue;
      count += points.length;
      found = [trace.x[points[0]], trace.y[points[0]]];
    }
    return count === 1 ? found : null;
  }

  // Pixels from the start of a linear axis of *length* px; *range* is [start, end].
  function toPixel(range, value, length) {
    if (!range || range.length !== 2 || range[0] === range[1]) return null;
    return ((value - range[0]) / (range[1] - range[0])) * length;
  }

  function ringOf(gd) {
    let ring = gd.querySelector(":scope > .sedviz-ring");
    if (!ring) {
      ring = document.createElement("div");
      ring.className = "sedviz-ring";
      ring.setAttribute("data-testid", "hrRing");
      ring.setAttribute("aria-hidden", "true");
      Object.assign(ring.style, {
        position: "absolute", pointerEvents: "none", borderRadius: "50%",
        boxSizing: "border-box", zIndex: "1", display: "none",
      });
      gd.appendChild(ring);
    }
    return ring;
  }

  // Put the ring on the selected point; *live* holds the ranges of a zoom in progress.
  function place(gd, live) {
    const look = gd.layout && gd.layout.meta && gd.layout.meta.ring;
    if (!look) return;
    const ring = ringOf(gd);
    const point = selectedPoint(gd.data);
    const margin = gd.layout.margin || {};
    const box = gd.getBoundingClientRect();
    const width = box.width - (margin.l || 0) - (margin.r || 0);
    const height = box.height - (margin.t || 0) - (margin.b || 0);
    const xaxis = gd.layout.xaxis || {};
    const yaxis = gd.layout.yaxis || {};
    const xRange = live && "xaxis.range[0]" in live
      ? [live["xaxis.range[0]"], live["xaxis.range[1]"]] : xaxis.range;
    const yRange = live && "yaxis.range[0]" in live
      ? [live["yaxis.range[0]"], live["yaxis.range[1]"]] : yaxis.range;
    const linear = ![xaxis.type, yaxis.type].some((t) => t && t !== "linear");
    const px = point && linear ? toPixel(xRange, point[0], width) : null;
    // y pixels count from the top, where the axis ends.
    const py = point && linear && yRange ? toPixel([yRange[1], yRange[0]], point[1], height) : null;
    if (px === null || py === null || px < 0 || px > width || py < 0 || py > height) {
      ring.style.display = "none";
      ring.removeAttribute("data-x");
      ring.removeAttribute("data-y");
      return;
    }
    const size = look.diameter_px;
    ring.style.display = "block"; // before reading offsetParent (null while hidden)
    const parent = ring.offsetParent || document.body;
    const base = parent.getBoundingClientRect();
    Object.assign(ring.style, {
      width: `${size}px`, height: `${size}px`,
      left: `${box.left - base.left - parent.clientLeft + (margin.l || 0) + px - size / 2}px`,
      top: `${box.top - base.top - parent.clientTop + (margin.t || 0) + py - size / 2}px`,
      border: `${look.width_px}px solid ${look.color}`,
      boxShadow: "0 0 0 1px rgba(0,0,0,0.7), inset 0 0 0 1px rgba(0,0,0,0.7)",
    });
    // The star the ring is on, in data units (read by the browser tests).
    ring.setAttribute("data-x", String(point[0]));
    ring.setAttribute("data-y", String(point[1]));
  }

  // At most one placement per frame; Plotly updates gd.data just after its events.
  function schedule(gd, live) {
    if (pending.has(gd)) cancelAnimationFrame(pending.get(gd));
    pending.set(gd, requestAnimationFrame(() => {
      pending.delete(gd);
      place(gd, live);
    }));
  }

  function hook(gd) {
    if (hooked.has(gd) || typeof gd.on !== "function") return;
    if (!(gd.layout && gd.layout.meta && gd.layout.meta.ring)) return;
    hooked.add(gd);
    for (const name of EVENTS) gd.on(name, () => schedule(gd));
    gd.on("plotly_relayouting", (ranges) => schedule(gd, ranges));
    new ResizeObserver(() => schedule(gd)).observe(gd);
    schedule(gd);
  }

  let scanning = 0;
  function scan() {
    scanning = 0;
    document.querySelectorAll(".js-plotly-plot").forEach(hook);
  }
  // Streamlit mounts a new chart after a page change or a new figure: hook each one.
  new MutationObserver(() => {
    if (!scanning) scanning = requestAnimationFrame(scan);
  }).observe(document.body, { childList: true, subtree: true });
  scan();
})();
