"""Explain: why the classifier gave the selected star its class, and what it looks at overall."""

import streamlit as st

from sedviz.catalog.names import star_display_name
from sedviz.classifier.explain import explain_star, reason_in_words
from sedviz.classifier.features import PLAIN_FEATURE_LABELS
from sedviz.glossary import help_text
from sedviz.plots import explain as P
from sedviz.ui import cache, context, widgets
from sedviz.ui import state as S
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router
from sedviz.views.star import probabilities_frame

require_app_router()

page_header(
    "Explain",
    "Why did the computer choose this class? Green bars pushed the star towards its class, "
    "red bars away from it. Below: which clues matter most for many stars at once.",
)
context.show_notices()
presentation = S.is_presentation_mode()
star_set = S.get_star_set()
table = context.current_table()
if not presentation:
    widgets.choose_target(st.container())
target = S.get_target()
model_name = context.available_model(target)

if model_name is None:
    st.info(context.model_problem(target), icon=":material/model_training:")
else:
    model = cache.model(model_name)
    row = context.selected_row(table)
    if row is None:
        st.info("No star selected: click one on the HR diagram or find one on the SED page.")
    else:
        name = star_display_name(table, row, with_hip=True)
        st.subheader(f"{name}, catalogued {table.iloc[row]['sp_type']}")
        explanation = explain_star(model, cache.features(star_set).iloc[[row]])
        st.markdown(f"**{reason_in_words(explanation)}**", help=help_text("SHAP"))
        left, right = st.columns([3, 2])
        left.plotly_chart(P.plot_waterfall(explanation, presentation=presentation), theme=None)
        if not presentation:
            left.caption(f"Log-odds: {help_text('log-odds')}")
        preds = context.current_predictions(target, warn=False)
        if preds is not None:
            probs = probabilities_frame(preds.iloc[row], model.classes_)
            right.plotly_chart(P.plot_probabilities(probs, presentation=presentation), theme=None)

    subset = S.get_subset_ids()
    scope = f"the subset ({S.get_subset_label()})" if subset is not None else star_set.description
    st.header("Many stars at once", help=help_text("SHAP"), anchor=False)
    shap = cache.set_shap(star_set, model_name, subset)
    if shap.empty:
        st.warning(f"No explained star in {scope}: choose a larger subset on the HR diagram.")
    else:
        st.caption(f"{len(shap):,} stars from {scope} (a sample when there are many).")
        importance, importance_fig, swarm_fig = cache.global_explain_figures(
            star_set, model_name, subset, presentation
        )
        # Side by side only on the projector (no sidebar); beside the sidebar at 1280 px the
        # long feature names left each plot too narrow for its axis titles: one per row.
        left, right = st.columns(2) if presentation else (st.container(), st.container())
        left.plotly_chart(importance_fig, theme=None)
        right.plotly_chart(swarm_fig, theme=None)
        if not presentation:
            feature = st.selectbox(
                "Dependence plot for", importance["feature"].tolist(),
                format_func=lambda f: PLAIN_FEATURE_LABELS.get(f, f), help=help_text("feature"),
            )  # fmt: skip
            st.plotly_chart(
                cache.dependence_figure(star_set, model_name, subset, feature), theme=None
            )
