"""Widget groups used by more than one page: the HR chart, the SED panel, exports.

Selections on the HR chart are handled in a callback (:func:`on_hr_select`),
so only a *new* click or box changes the selected star or subset; reading the
chart's return value on every run would replay an old click after the user
picked another star elsewhere.

Choices that outlive a page (colouring, classes, axes...) live in
:mod:`sedviz.ui.state`; their widgets are drawn by :func:`bound_widget`, with a
fixed key and a callback. A widget without a key whose ``index`` comes from the
state is a *new* widget whenever that index changes (Streamlit derives an
unkeyed widget's identity from its parameters): the browser's next change went
to the old widget and was dropped, so every second change snapped back.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from sedviz import columns as C
from sedviz.catalog.lookup import find_star_row
from sedviz.classifier.targets import TARGETS
from sedviz.errors import SedvizError
from sedviz.plots.hr import CHOICE_NAME, locate_row
from sedviz.plots.hr_choice import compose_hr_spec
from sedviz.ui import cache, context, figure_route
from sedviz.ui import state as S
from sedviz.ui.frozen import FrozenFigure
from sedviz.views.hr import compute_selection_rows, rows_to_ids
from sedviz.views.share import encode_region, region_of_selection

T = TypeVar("T")

HR_CHART_KEY = "hr.chart"
HR_AXES_KEY = "hr.chart_axes"
HR_ROWS_KEY = "hr.chart_rows"
#: Keys of the widgets bound to the shared state (see :func:`bound_widget`).
COLOUR_KEY = "hr.colour"
AXES_KEY = "hr.axes"
GOOD_ONLY_KEY = "hr.good_only"
NAMES_KEY = "hr.names"
TARGET_KEY = "classes"
STAR_QUERY_KEY = "sed.query"
#: Plotly modebar: PNG export in the browser (camera icon), no logo.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "filename": "sedviz", "scale": 2},
}
#: The HR chart's: WebGL drawn at the screen's CSS pixels, not Plotly's default of
#: twice as many (4x the pixels to fill and read back; the whole-catalogue draw is
#: ~0.4 s faster in software WebGL). PNG exports keep their own scale.
HR_PLOTLY_CONFIG = PLOTLY_CONFIG | {"plotGlPixelRatio": 1}
#: The browser's side of the ring around the clicked star (static package data, no user text).
#: Its element shows nothing: the style hides it, so it adds no gap under the chart.
HR_RING_SCRIPT = (
    "<style>.stElementContainer:has(script[data-sedviz-ring]) { display: none; }</style>"
    f"<script data-sedviz-ring>{files('sedviz.ui').joinpath('hr_ring.js').read_text('utf-8')}"
    "</script>"
)


def on_hr_select() -> None:
    """Callback of the HR chart: a click selects a star, a box or lasso makes the subset."""
    event = st.session_state.get(HR_CHART_KEY)
    apply_hr_selection(getattr(event, "selection", None) or {})


def apply_hr_selection(selection: Mapping[str, Any]) -> None:
    """Apply a Plotly selection of the HR chart (``points``, ``box``, ``lasso``) to the session."""
    try:
        table = cache.star_table(S.get_star_set())
    except SedvizError:
        return
    trace_rows = _trace_rows(st.session_state.get(HR_ROWS_KEY))
    ids = rows_to_ids(table, compute_selection_rows(selection, trace_rows))
    shape = "box" if selection.get("box") else "lasso" if selection.get("lasso") else ""
    if shape:
        region = region_of_selection(selection, st.session_state.get(HR_AXES_KEY, "cmd"))
        link = encode_region(region) if region is not None else ""
        S.set_subset_ids(ids, f"{shape} on the HR diagram", link)
        if not ids:
            S.push_notice(f"The {shape} holds no star: the subset is empty. Draw it again.")
    elif len(ids) == 1:
        S.set_selected_star_id(ids[0])
        S.note_chart_click()
    elif not ids:
        S.clear_subset()
    else:
        S.set_subset_ids(ids, "points picked on the HR diagram")


def _trace_rows(customdata: Any) -> np.ndarray | None:
    """The first customdata column (star-table row) of the HR trace, or None if unreadable.

    Plotly stores NumPy arrays as ``{"dtype", "bdata" (base64), "shape"}``.
    """
    try:
        if isinstance(customdata, dict):
            return _decoded_rows(customdata["bdata"], customdata["dtype"])
        values = np.asarray(customdata)
        return values[:, 0] if values.ndim == 2 else None
    except (KeyError, TypeError, ValueError):
        return None


@lru_cache(maxsize=16)
def _decoded_rows(bdata: str, dtype: str) -> np.ndarray | None:
    """The row column of a shared figure's base64 ``customdata`` (read-only), decoded once.

    The text is the cached figure's own string: its hash is computed once, so a click
    no longer decodes ~1 MB of base64 (3.7 % of the server's CPU in a 30-session profile).
    """
    flat = np.frombuffer(base64.b64decode(bdata), dtype=dtype)
    return flat.reshape(len(flat) // 3, 3)[:, 0] if len(flat) % 3 == 0 else None


def on_star_query() -> None:
    """Callback of the star search box: select the star typed, or keep a message why not."""
    text = str(st.session_state.get(STAR_QUERY_KEY, "")).strip()
    if not text:
        return
    try:
        table = cache.star_table(S.get_star_set())
        row = find_star_row(table, text)
    except SedvizError as exc:
        S.push_notice(str(exc))
        return
    if row is None:
        S.push_notice(
            f"No star matching {text[:40]!r} in the current star set "
            f"({S.get_star_set().description})."
        )
    else:
        S.set_selected_star_id(int(table[C.SOURCE_ID].iloc[row]))


def star_gallery() -> None:
    """Buttons for the named stars a lesson starts from; one click selects the star and opens its SED."""
    context.current_table()  # falls back to the catalogue (and says so) if the set cannot load
    gallery = cache.gallery(S.get_star_set())
    if gallery.empty:
        st.caption("None of the named stars is in this star set.")
        return
    chosen = None
    for group, stars in gallery.groupby("group", sort=False):
        st.markdown(f"**{group}**")
        cols = st.columns(6)
        for i, (label, source_id) in enumerate(
            zip(stars["label"], stars["source_id"], strict=True)
        ):
            if cols[i % 6].button(
                str(label), key=f"gallery.{group}.{source_id}", use_container_width=True,
                on_click=S.set_selected_star_id, args=(int(source_id),),
            ):  # fmt: skip
                chosen = int(source_id)
    if chosen is not None:
        st.switch_page("pages/sed.py")


@dataclass(frozen=True)
class HrChoice:
    """This session's choice on the HR diagram: the subset's points and the selected star.

    ``subset`` from :func:`sedviz.plots.hr_choice.subset_points` (or None);
    ``star`` the ``(trace, point)`` of the selected star (or None); ``marked`` the
    one Streamlit's chart marks: after a click on that chart, the star it was sent
    with (the browser shows the click itself, and an unchanged figure is not drawn
    again), else ``star`` (:func:`sedviz.ui.state.take_hr_mark`).
    """

    subset: dict[str, Any] | None = None
    star: tuple[int, int] | None = None
    marked: tuple[int, int] | None = None


def hr_choice(
    table: pd.DataFrame,
    model_name: str | None,
    colouring: str,
    axes: str,
    good_only: bool,
) -> HrChoice:
    """Return this session's subset and marked star, to lay over the shared HR figure."""
    star_set, ids, target = S.get_star_set(), S.get_subset_ids(), S.get_target()
    stars = cache.hr_drawn(star_set, model_name, target, axes, good_only)
    subset = None
    if ids:
        subset = cache.hr_subset_points(
            star_set, model_name, target, colouring, axes, good_only, ids
        )
    row = context.selected_row(table, warn=False)
    mark = S.take_hr_mark(row)
    star = locate_row(stars, row, axes)
    if mark == row or figure_route.is_served():  # sedviz's chart draws the star itself
        return HrChoice(subset, star, star)
    return HrChoice(subset, star, locate_row(stars, mark, axes))


def hr_chart(fig: FrozenFigure, choice: HrChoice | None = None, height: int = 620) -> None:
    """Draw the HR figure, with *choice* laid over it, its click, box and lasso wired to the state.

    Served by ``serve.py`` (:func:`sedviz.ui.figure_route.is_served`) the chart is
    sedviz's own component (``hr_chart.js``): the figure is fetched by the browser
    once by its address, and a selection sends back the rows it holds. Otherwise
    (``streamlit run app.py``, AppTest) it is ``st.plotly_chart`` of the figure with
    the choice composed into it (:func:`sedviz.plots.hr_choice.compose_hr_spec`).

    The selected star (Plotly's ``selectedpoints``, set by a click in the browser
    or by *choice*) gets a ring, drawn over the chart by the browser.

    The figure's own ``layout.height``, when set, wins over *height*: Streamlit's
    chart first draws at the layout's height and redraws all ~100,000 points
    when the element's height differs (see :mod:`sedviz.plots.hr`).
    """
    choice = choice or HrChoice()
    height = int(fig.layout.height or height)
    # The axes the chart is drawn on, for the link to a box or lasso (sedviz.ui.share).
    st.session_state[HR_AXES_KEY] = str(fig.layout.uirevision or "hr-cmd").removeprefix("hr-")
    if figure_route.is_served():
        _hr_component(fig, choice, height)
    else:
        # The points' customdata (row first), for a box's point indices: a reference,
        # decoded only when a selection comes back (_trace_rows).
        st.session_state[HR_ROWS_KEY] = fig.data[0].customdata if fig.data else None
        if choice.subset is not None or choice.marked is not None:
            fig = fig.derive(compose_hr_spec(fig.to_dict(), choice.subset, choice.marked))
        st.plotly_chart(
            fig,
            key=HR_CHART_KEY,
            on_select=on_hr_select,
            selection_mode=("points", "box", "lasso"),
            config=HR_PLOTLY_CONFIG,
            height=height,
            theme=None,
        )
    # The ring around the clicked star is drawn by the browser (sedviz/ui/hr_ring.js): a
    # ring in the figure would make each click a new figure, all points drawn again.
    st.html(HR_RING_SCRIPT, unsafe_allow_javascript=True)


#: sedviz's HR chart component (plotly.js in the page, the figure fetched by address).
_HR_COMPONENT = st.components.v2.component(
    "sedviz.hr_chart",
    html='<div class="sedviz-hr" data-testid="hrChart"></div>',
    js=files("sedviz.ui").joinpath("hr_chart.js").read_text("utf-8"),
    # Several lines: Streamlit reads a one-line string with "[" as a file's name.
    css=(
        '.sedviz-hr[data-state="drawing"]::after {\n  content: "Drawing the diagram…";\n'
        "  position: absolute; top: 8px; left: 50%; transform: translateX(-50%); z-index: 2;\n"
        "  padding: 4px 12px; border-radius: 4px; background: rgba(14, 17, 23, 0.85);\n"
        "  color: #fafafa; font: 14px sans-serif; pointer-events: none;\n}\n"
    ),
    isolate_styles=False,  # the page's Plotly styles and the ring script reach the chart
)


def _hr_component(fig: FrozenFigure, choice: HrChoice, height: int) -> None:
    subset = choice.subset
    data = {
        "figure": figure_route.publish_figure(fig),
        "subset": figure_route.publish_value(subset, subset["digest"]) if subset else None,
        # The star itself: after a click the browser shows it already, and names it so.
        "selected": list(choice.star) if choice.star is not None else None,
        "choice": CHOICE_NAME,
        "height": height,
        "config": HR_PLOTLY_CONFIG,
        "plotly": figure_route.PLOTLY_JS_URL,
    }
    _HR_COMPONENT(
        key=HR_CHART_KEY, data=data, height=height, on_select_change=on_hr_component_select
    )


def on_hr_component_select() -> None:
    """Callback of sedviz's HR chart component: its ``select`` event, rows and shape."""
    event = st.session_state.get(HR_CHART_KEY)
    selection = event.get("select") if isinstance(event, Mapping) else None
    if isinstance(selection, Mapping):
        apply_hr_selection(selection)


def sed_figure(
    row: int,
    predicted_class: str = "",
    *,
    residuals: bool = False,
    compact: bool = False,
    extra_types: Sequence[str] = (),
) -> tuple[go.Figure, pd.Series, pd.DataFrame]:
    """Return the (shared, read-only) SED figure, fit row and SED points of the star at *row*."""
    presentation = S.is_presentation_mode()
    star_set = S.get_star_set()
    return cache.sed_figure(
        star_set, row, predicted_class, residuals, presentation, compact, tuple(extra_types)
    )


def bound_widget(
    widget: Callable[..., T],
    label: str,
    *,
    key: str,
    value: Any,
    store: Callable[[Any], None],
    **kwargs: Any,
) -> T:
    """Draw *widget* (e.g. ``st.selectbox``, ``col.radio``, ``st.toggle``) showing *value*.

    The widget has the fixed *key*; its value is set from the shared state
    before it is drawn (after a page change the widget is new, and a link may
    have changed the state) and written back by a callback (*store*), which runs
    before the script, so the state and the widget never disagree.
    """
    # Always: Streamlit forgets a keyed widget's value when the page changes, even
    # when the next page draws a widget with the same key (HR and Explain both
    # show "Classes"); the callback has already stored any change the user made.
    st.session_state[key] = value
    return widget(label, key=key, on_change=_store_widget, args=(key, store), **kwargs)


def _store_widget(key: str, store: Callable[[Any], None]) -> None:
    store(st.session_state[key])


def choose_target(container: DeltaGenerator) -> None:
    """Show the spectral / luminosity class choice in *container* and store it in the session."""
    labels = context.TARGET_LABELS
    bound_widget(
        container.radio, "Classes", key=TARGET_KEY, value=S.get_target(), store=S.set_target,
        options=list(labels), horizontal=True, format_func=labels.get,
    )  # fmt: skip


def predicted_class_of(predictions: pd.DataFrame | None, row: int | None) -> str:
    """Return the predicted class of *row* (``""`` without predictions)."""
    if predictions is None or row is None:
        return ""
    return str(predictions["predicted_class"].iloc[row] or "")


def export_buttons(table: pd.DataFrame, rows: np.ndarray | None, fig: go.Figure | None) -> None:
    """Download buttons: the stars (whole set or subset) with predictions, and the figure.

    Files are built only when a button is pressed (deferred callables).
    """
    what = "subset" if rows is not None else "star set"
    description = f"sedviz export: {S.get_star_set().description}, {what}"
    # Gathered here: the deferred callables run on another thread, without session state.
    # The files are shared (cache.export_bytes): built on the first press, once per server.
    star_set = S.get_star_set()
    models = tuple(context.available_model(target) or "" for target in TARGETS)
    ids = None if rows is None else tuple(rows_to_ids(table, rows))

    def csv() -> bytes:
        return cache.export_bytes(star_set, models, ids, "csv", description)

    def votable() -> bytes:
        return cache.export_bytes(star_set, models, ids, "votable", description)

    cols = st.columns(3)
    _download(cols[0], f"{what} as CSV", csv, "sedviz_stars.csv", "text/csv")
    _download(
        cols[1], f"{what} as VOTable", votable, "sedviz_stars.vot", "application/x-votable+xml"
    )
    if fig is not None:
        html: Callable[[], bytes] = lambda: fig.to_html(include_plotlyjs=True).encode()  # noqa: E731
        _download(cols[2], "figure as HTML", html, "sedviz_figure.html", "text/html")
    st.caption("For a PNG, use the camera icon above the figure (made by your browser).")


def _download(
    col: st.delta_generator.DeltaGenerator,
    label: str,
    data: Callable[[], bytes],
    file_name: str,
    mime: str,
) -> None:
    col.download_button(
        label, data=data, file_name=file_name, mime=mime, on_click="ignore",
        icon=":material/download:", key=f"download.{file_name}",
    )  # fmt: skip
