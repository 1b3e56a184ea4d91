// The HR chart of serve.py (sedviz.ui.widgets.hr_chart): a Streamlit component
// (custom components v2) that draws the shared HR figure with plotly.js.
//
// The server sends addresses, not the figure: the shared figure (5 MB of JSON for
// the whole catalogue) and the session's subset are published once
// (sedviz.ui.figure_route) and fetched here once; each later run of the page sends
// the same few addresses, and the chart is not drawn again unless one changed.
// A click, box or lasso sends back the star-table rows it holds (the first
// `customdata` column of each point), not the points: a box of 35,000 stars is
// 35,000 integers.
//
// While a new figure is fetched and drawn the chart says so ("Drawing the diagram…",
// data-state="drawing"); data-state="drawn" once Plotly has drawn it.
//
// data: {figure, subset (address or null), selected ([trace, point] or null),
//        choice (name of the subset's trace), height (px), config (Plotly's),
//        plotly (address of plotly.js)}
// trigger "select": {rows: [...], box: [{x: [x0, x1], y: [y0, y1]}], lasso: [{x, y}]}
//
// The user's choice is laid over the shared figure as sedviz.plots.hr_choice
// .compose_hr_spec lays it (the subset fills the last, empty trace named `choice`;
// the clicked star is its trace's `selectedpoints`); tests/browser/test_hr_chart_js.py
// checks that both give the same figure.

// Parsed figures kept in this tab (one of the whole catalogue is ~100 MB of objects;
// the browser's HTTP cache keeps their text for longer).
const KEEP = 4;
const fetched = new Map(); // address -> Promise of the parsed JSON
let plotlyLoading = null;

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        plotlyLoading = null;
        script.remove();
        reject(new Error("the drawing library could not be loaded"));
      };
      document.head.appendChild(script);
    });
  }
  return plotlyLoading;
}

function fetchJson(url) {
  if (!url) return Promise.resolve(null);
  if (fetched.has(url)) {
    const kept = fetched.get(url);
    fetched.delete(url); // most recent last
    fetched.set(url, kept);
    return kept;
  }
  const loading = fetch(url).then((answer) => {
    if (!answer.ok) throw new Error(`the server no longer has this figure (${answer.status})`);
    return answer.json();
  });
  loading.catch(() => fetched.delete(url));
  fetched.set(url, loading);
  while (fetched.size > KEEP) fetched.delete(fetched.keys().next().value);
  return loading;
}

// The shared figure with the subset and the clicked star laid over it. The fetched
// figure is not modified, and neither will Plotly modify it: Plotly writes a box's
// selection into the traces (`selectedpoints`) and the layout it draws, so those are
// copies (the per-star arrays are shared, Plotly only reads them).
export function compose(spec, subset, selected, choice) {
  const data = spec.data.map((trace) => Object.assign({}, trace));
  const layout = structuredClone(spec.layout);
  if (selected && selected[0] < data.length - 1) {
    data[selected[0]].selectedpoints = [selected[1]];
  }
  const last = data[data.length - 1];
  if (subset && last && last.name === choice) {
    Object.assign(last, {
      x: subset.x,
      y: subset.y,
      customdata: subset.rows.map((row) => [row]),
      marker: Object.assign({}, last.marker || {}, { color: subset.color }),
    });
    layout.datarevision = `${layout.datarevision || ""}-${subset.digest}`;
  }
  return { data, layout };
}

// Star-table rows of Plotly's selected or clicked points (first customdata column).
function rowsOf(points) {
  const rows = [];
  for (const point of points || []) {
    const custom = point.customdata;
    const row = Array.isArray(custom) || ArrayBuffer.isView(custom) ? custom[0] : custom;
    if (Number.isFinite(row)) rows.push(row);
  }
  return rows;
}

// What a draw shows: redrawn only when this changes.
function wantedOf(data, selected) {
  return JSON.stringify([data.figure, data.subset, selected, data.height]);
}

function hook(root) {
  if (root.sedvizHooked) return;
  root.sedvizHooked = true;
  const send = (value) => root.sedvizSend && root.sedvizSend("select", value);
  root.on("plotly_click", (event) => {
    const point = event && event.points && event.points[0];
    if (point && root.dataset.state === "drawn" && root.sedvizData) {
      // Plotly already shows the star selected; the server's next data names it
      // (the star's trace and point, as here), which then asks for no new drawing.
      root.dataset.wanted = wantedOf(root.sedvizData, [point.curveNumber, point.pointNumber]);
    }
    send({ rows: rowsOf(point ? [point] : []), box: [], lasso: [] });
  });
  root.on("plotly_selected", (event) => {
    if (!event) return;
    const box = event.range ? [{ x: event.range.x, y: event.range.y }] : [];
    const lasso = event.lassoPoints ? [{ x: event.lassoPoints.x, y: event.lassoPoints.y }] : [];
    if (!box.length && !lasso.length) return; // a click's selection: sent by plotly_click
    send({ rows: rowsOf(event.points), box, lasso });
  });
  root.on("plotly_deselect", () => send({ rows: [], box: [], lasso: [] }));
}

function showProblem(root, error) {
  let note = root.parentNode.querySelector(".sedviz-hr-problem");
  if (!note) {
    note = document.createElement("p");
    note.className = "sedviz-hr-problem";
    note.setAttribute("role", "alert");
    root.parentNode.insertBefore(note, root);
  }
  note.textContent = `The HR diagram could not be drawn: ${error.message}. Reload the page.`;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".sedviz-hr");
  root.sedvizSend = setTriggerValue;
  root.sedvizData = data;
  root.style.height = `${data.height}px`;
  root.style.position = "relative"; // the ring (hr_ring.js) is placed inside it
  const wanted = wantedOf(data, data.selected);
  // The same figure, subset and star as drawn (or being drawn): nothing to do, e.g.
  // the run after a click, which the browser already shows.
  if (root.dataset.wanted === wanted) return;
  root.dataset.wanted = wanted;
  root.dataset.state = "drawing"; // shows "Drawing the diagram…" (the component's CSS)
  Promise.all([loadPlotly(data.plotly), fetchJson(data.figure), fetchJson(data.subset)])
    .then(([Plotly, spec, subset]) => {
      if (root.dataset.wanted !== wanted) return null; // a newer figure was asked for
      const figure = compose(spec, subset, data.selected, data.choice);
      // What the server sent is what is selected now: a box's own selection (its points
      // in the clicked star's large magenta style, its outline) goes, as it went when
      // Streamlit's chart mounted a new figure. Plotly keeps a selection while this
      // revision stays, the zoom while `uirevision` stays.
      figure.layout.selectionrevision = wanted;
      const config = Object.assign({ responsive: true }, data.config);
      return Plotly.react(root, figure.data, figure.layout, config).then(() => {
        hook(root);
        if (root.dataset.wanted !== wanted) return; // a newer figure is on its way
        root.dataset.state = "drawn";
        const note = root.parentNode.querySelector(".sedviz-hr-problem");
        if (note) note.remove();
      });
    })
    .catch((error) => {
      if (root.dataset.wanted !== wanted) return; // a newer figure was asked for
      // Streamlit calls this function again only when the data change: until then (or a
      // reload) the chart says what went wrong. A later change tries the same addresses.
      delete root.dataset.wanted;
      root.dataset.state = "failed";
      showProblem(root, error);
    });
}
