"""sedviz: the Streamlit entry point. Routes to the pages with ``st.navigation``."""

import streamlit as st

st.set_page_config(
    page_title="sedviz: stars by their SEDs", page_icon=":material/flare:", layout="wide"
)

pages = [
    st.Page(
        "pages/stars.py", title="Stars", icon=":material/star:", default=True, url_path="stars"
    ),
    st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"),
]
st.navigation(pages).run()
