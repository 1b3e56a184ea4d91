"""HR diagram: every star by colour and brightness; click one, or draw a box around a group."""

import streamlit as st

from sedviz.catalog.johnson_gaia import REFERENCE
from sedviz.catalog.names import star_display_name
from sedviz.ui import cache, context, widgets
from sedviz.ui import state as S
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router
from sedviz.views.hr import COLOURINGS, HR_AXES, hr_counts
from sedviz.views.star import domain_sentence

require_app_router()

page_header(
    "HR diagram",
    "Each dot is a star. Across: its colour, blue (hot) on the left, red (cool) on the right. "
    "Up: how bright it really is. Click a star to see its light; drag a box to pick a group.",
)
context.show_notices()
presentation = S.is_presentation_mode()
star_set = S.get_star_set()
table = context.current_table()
controls = st.columns([2, 2, 4, 3]) if not presentation else st.columns([2, 4])
widgets.bound_widget(
    controls[0].selectbox, "Colour by", key=widgets.COLOUR_KEY, value=S.get_colouring(),
    store=S.set_colouring, options=list(COLOURINGS), format_func=COLOURINGS.__getitem__,
)  # fmt: skip
if not presentation:
    widgets.choose_target(controls[1])
    widgets.bound_widget(
        controls[2].radio, "Axes", key=widgets.AXES_KEY, value=S.get_axes(), store=S.set_axes,
        options=list(HR_AXES), format_func=HR_AXES.get,
    )  # fmt: skip
    widgets.bound_widget(
        controls[3].toggle, "Good parallaxes only", key=widgets.GOOD_ONLY_KEY,
        value=S.get_good_only(), store=S.set_good_only, help="parallax / error ≥ 5",
    )  # fmt: skip
    widgets.bound_widget(
        controls[3].toggle, "Names of bright stars", key=widgets.NAMES_KEY,
        value=S.get_show_names(), store=S.set_show_names,
        help="Label the 15 brightest stars that have a proper name (Vega, Betelgeuse…).",
    )  # fmt: skip
colouring, target = S.get_colouring(), S.get_target()
axes = S.get_axes() if not presentation else "cmd"
good_only = S.get_good_only() and not presentation
model_name = context.available_model(target)
if model_name is None:
    st.info(context.model_problem(target), icon=":material/model_training:")
    if colouring != "catalogued":
        st.warning("Without a model the stars are coloured by their catalogued class.")
        colouring = "catalogued"

frame = cache.hr_data(star_set, model_name, target, axes == "teff_lum")
counts = hr_counts(frame, axes)
fig = cache.hr_figure(
    star_set, model_name, target, colouring, axes, good_only, presentation, S.get_show_names()
)
chart, side = st.columns([3, 2])
with side:  # before the chart: the browser shows a box's count without waiting for the redraw
    rows = context.subset_rows(table)
    st.metric("Stars in the subset", f"{len(rows):,}" if rows is not None else "all")
    if rows is not None and len(rows) == 0:
        st.warning("The subset is empty: draw a box or lasso around some stars.")
with chart:
    widgets.hr_chart(fig, widgets.hr_choice(table, model_name, colouring, axes, good_only))
    st.caption(
        f"{counts['drawn']:,} of {counts['total']:,} stars drawn "
        f"({counts['good_parallax']:,} with a good parallax, parallax/error ≥ 5); "
        "stars without a positive parallax (or SED fit) cannot be placed."
        + (f" {counts['estimated']:,} open circles: {REFERENCE}." if counts["estimated"] else "")
    )

with side:
    row = context.selected_row(table)
    preds = context.current_predictions(target, warn=False)
    if row is None:
        st.info("Click a star on the diagram to see its spectral energy distribution here.")
    else:
        st.subheader(star_display_name(table, row, with_hip=True))
        if preds is not None and (note := domain_sentence(preds.iloc[row])):
            st.warning(note, icon=":material/help:")
        predicted = widgets.predicted_class_of(preds, row)
        sed_fig = widgets.sed_figure(row, predicted, compact=True)[0]
        st.plotly_chart(sed_fig, key="hr.sed", config=widgets.PLOTLY_CONFIG, theme=None, height=600)
        st.page_link("pages/sed.py", label="Full SED page", icon=":material/show_chart:")

if not presentation:
    with st.expander("Export", icon=":material/download:"):
        widgets.export_buttons(table, rows, fig)
