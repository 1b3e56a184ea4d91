"""sedviz: the Streamlit entry point. Routes to the pages with ``st.navigation``.

Every run: read the shared view from the URL (once per session), draw the
shared sidebar, run the page, then write the view back into the URL so a
copied link reopens it.
"""

import streamlit as st

from sedviz.ui.cache import start_warming
from sedviz.ui.routing import routed_by_app
from sedviz.ui.share import restore_from_link, share_params
from sedviz.ui.sidebar import render_sidebar
from sedviz.ui.state import is_presentation_mode, read_query_params, write_query_params

start_warming()  # once per server process: the shared caches fill in the background
read_query_params()
restore_from_link()
# Presentation mode starts with the sidebar folded away: the figure gets the projector's width.
st.set_page_config(
    page_title="sedviz: stars by their SEDs", page_icon=":material/flare:", layout="wide",
    initial_sidebar_state="collapsed" if is_presentation_mode() else "auto",
)  # fmt: skip

pages = [
    st.Page("pages/stars.py", title="Stars", icon=":material/star:", default=True, url_path="stars"),
    st.Page("pages/hr_diagram.py", title="HR diagram", icon=":material/scatter_plot:", url_path="hr_diagram"),
    st.Page("pages/sed.py", title="SED", icon=":material/show_chart:", url_path="sed"),
    st.Page("pages/explain.py", title="Explain", icon=":material/psychology:", url_path="explain"),
    st.Page("pages/retrain.py", title="Retrain", icon=":material/model_training:", url_path="retrain"),
    st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"),
]  # fmt: skip

page = st.navigation(pages)
render_sidebar()
write_query_params(share_params())
with routed_by_app():
    page.run()
write_query_params(share_params())
