"""Serve sedviz with its caches warm: ``streamlit run serve.py`` (what ``make run`` does).

The app is ``app.py``. This file wraps it in Streamlit's ASGI entry point,
``st.App``, for two reasons. The first is a start-up hook: before the server takes its first
visitor it fills the shared caches (the catalogue, both models' predictions,
the HR figure in every colouring, the SHAP summary), so the first student to open
the HR diagram does not wait for them. The server answers once that is done
(10-20 s on a 2-core machine; it says so in the terminal). ``streamlit run app.py``
still works: warming then starts with the first visitor.

The second is two routes of its own (:mod:`sedviz.ui.figure_route`): the HR
diagram's figure (5 MB of JSON) is fetched by the browser by address, once,
instead of being sent and hashed in every message of every run; under a class of
30 the server's CPU per interaction fell from 0.077 to 0.050 s (docs/classroom.md).
Under ``streamlit run app.py`` the HR chart is Streamlit's own Plotly chart, as before.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from sedviz.ui import figure_route


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    """Warm the shared caches, then serve."""
    # Imported here, once Streamlit's runtime runs: its cached functions then use the
    # runtime's cache storage (imported before it, Streamlit warns and uses its own).
    from sedviz.ui.cache import warm_before_serving

    print(
        "sedviz: preparing the catalogue, models and figures before the first visitor…", flush=True
    )
    seconds = await warm_before_serving()
    if seconds is not None:
        print(f"sedviz: ready ({seconds:.1f} s). Open the address above.", flush=True)
    yield


app = st.App("app.py", lifespan=lifespan, routes=figure_route.routes())
