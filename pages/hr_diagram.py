"""HR diagram: every star by colour and brightness; click one, or draw a box around a group."""

import streamlit as st

from sedviz.ui import cache, context, widgets
from sedviz.ui import state as S
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router
from sedviz.views.hr import COLOURINGS, HR_AXES, hr_counts
from sedviz.views.star import star_label

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
controls = st.columns([3, 3, 3, 2]) if not presentation else st.columns([2, 4])
colouring = controls[0].selectbox(
    "Colour by", list(COLOURINGS), index=list(COLOURINGS).index(S.get_colouring()),
    format_func=COLOURINGS.__getitem__,
)  # fmt: skip
S.set_colouring(colouring)
axes, good_only = "cmd", False
if not presentation:
    widgets.choose_target(controls[1])
    axes = controls[2].radio("Axes", list(HR_AXES), format_func=HR_AXES.get, horizontal=True)
    good_only = controls[3].toggle("Good parallaxes only", help="parallax / error ≥ 5")
target = S.get_target()
model_name = context.available_model(target)
if model_name is None:
    st.info(context.model_problem(target), icon=":material/model_training:")
    if colouring != "catalogued":
        st.warning("Without a model the stars are coloured by their catalogued class.")
        colouring = "catalogued"

frame = cache.hr_data(star_set, model_name, target, axes == "teff_lum")
counts = hr_counts(frame, axes)
fig = cache.hr_figure(star_set, model_name, target, colouring, axes, good_only, presentation)
chart, side = st.columns([3, 2])
with chart:
    widgets.hr_chart(fig, height=720 if presentation else 620)
    st.caption(
        f"{counts['drawn']:,} of {counts['total']:,} stars drawn "
        f"({counts['good_parallax']:,} with a good parallax, parallax/error ≥ 5); "
        "stars without a positive parallax (or SED fit) cannot be placed."
    )

with side:
    rows = context.subset_rows(table)
    st.metric("Stars in the subset", f"{len(rows):,}" if rows is not None else "all")
    if rows is not None and len(rows) == 0:
        st.warning("The subset is empty: draw a box or lasso around some stars.")
    row = context.selected_row(table)
    preds = context.current_predictions(target, warn=False)
    if row is None:
        st.info("Click a star on the diagram to see its spectral energy distribution here.")
    else:
        st.subheader(star_label(table.iloc[row]))
        predicted = widgets.predicted_class_of(preds, row)
        sed_fig, _, _ = widgets.sed_figure(row, predicted, compact=True)
        st.plotly_chart(sed_fig, key="hr.sed", config=widgets.PLOTLY_CONFIG, theme=None, height=460)
        st.page_link("pages/sed.py", label="Full SED page", icon=":material/show_chart:")

if not presentation:
    with st.expander("Export", icon=":material/download:"):
        widgets.export_buttons(table, rows, fig)
