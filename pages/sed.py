"""SED: one star's light across the bands, its blackbody fit and the templates of its types."""

import streamlit as st

from sedviz.catalog.names import star_display_name
from sedviz.ui import context, widgets
from sedviz.ui import state as S
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router
from sedviz.views.star import (
    TEMPLATE_CHOICES,
    domain_sentence,
    prediction_sentence,
    star_facts_frame,
)

require_app_router()

page_header(
    "Spectral energy distribution",
    "How much light the star gives at each wavelength, from blue to infrared. "
    "The red curve is the best blackbody: its peak tells the temperature. "
    "Dashed lines are typical stars of the catalogued and predicted types.",
)
context.show_notices()
table = context.current_table()

st.text_input(
    "Find a star", placeholder="a name (Vega, alf Lyr, 61 Cyg), HIP 95247, HD 172167 or Gaia DR3 id",
    key=widgets.STAR_QUERY_KEY, on_change=widgets.on_star_query,
)  # fmt: skip

row = context.selected_row(table)
if row is None:
    st.info("No star selected: type one above, or click a star on the HR diagram.")
else:
    target = S.get_target()
    preds = context.current_predictions(target)
    st.subheader(star_display_name(table, row, with_hip=True))
    prediction = preds.iloc[row] if preds is not None else None
    sentence = prediction_sentence(prediction, context.TARGET_LABELS[target])
    (st.warning if domain_sentence(prediction) else st.markdown)(sentence)
    residuals = not S.is_presentation_mode()
    predicted = widgets.predicted_class_of(preds, row)
    chosen = st.multiselect(
        "Compare with template types", TEMPLATE_CHOICES, max_selections=3,
        help="Mean colours of dwarfs of these types (Pecaut & Mamajek), scaled to the star: "
        "templates, not measurements.",
    )  # fmt: skip
    fig, fit, points = widgets.sed_figure(row, predicted, residuals=residuals, extra_types=chosen)
    left, right = st.columns([5, 3])
    left.plotly_chart(
        fig, key="sed.figure", config=widgets.PLOTLY_CONFIG, theme=None,
        height=640 if residuals else 560,
    )  # fmt: skip
    right.dataframe(star_facts_frame(table, row, fit, prediction), hide_index=True, height=560)
    right.page_link(
        "pages/hr_diagram.py", label="Its place on the HR diagram", icon=":material/scatter_plot:"
    )
    right.page_link(
        "pages/explain.py", label="Why this class? (Explain)", icon=":material/psychology:"
    )
    if not S.is_presentation_mode():
        with st.expander("Bands (magnitudes and fluxes)", icon=":material/table:"):
            st.dataframe(points, hide_index=True)
        st.download_button(
            "SED figure as HTML", data=lambda: fig.to_html(include_plotlyjs=True).encode(),
            file_name="sedviz_sed.html", mime="text/html", on_click="ignore",
            icon=":material/download:",
        )  # fmt: skip
        st.caption("For a PNG, use the camera icon above the figure.")
