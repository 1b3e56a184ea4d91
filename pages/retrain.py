"""Retrain: learn from a chosen subset, compare with the active model on the same stars, keep it."""

import streamlit as st

from sedviz.ui import context
from sedviz.ui import retrain as R
from sedviz.ui import retrain_results as RR
from sedviz.ui import saved_models as SM
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router

require_app_router()

page_header(
    "Retrain",
    "Pick the stars the classifier learns from, train it, and see on the same held-out stars "
    "whether it beats the model in use. Keep it if you like: nobody else's app changes.",
)
context.show_notices()
table = context.current_table()

with st.container(border=True):
    st.markdown("**1 · What to learn, from which stars**")
    target = R.choose_target()
    choice = R.choose_subset(table, target)
with st.container(border=True):
    st.markdown("**2 · Settings**")
    params, scope = R.choose_params()

model_issue = context.model_problem(target)
if model_issue:
    st.info(model_issue, icon=":material/model_training:")
request = None
if choice is not None and params is not None and not model_issue:
    request = R.build_request(table, target, choice, params, scope)
    if R.show_plan(request) is None:
        request = None

R.training_controls(request)
result = R.finished_result()
if result is not None and result.comparison.target == target:
    RR.show_comparison(result)
    RR.keep_form(result, target)

st.divider()
st.subheader("Saved models")
st.caption(
    "Models you keep are yours: only you (or the teacher) can replace or delete them. "
    "Everyone can use every model in their own session."
)
SM.show_outcome()
SM.teacher_box(target)
SM.saved_models(target)
