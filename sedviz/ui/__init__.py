"""The Streamlit layer: session state, caches, widgets and page sections (the only Streamlit code).

Modules: ``state`` (the session's shared view), ``cache`` (every ``st.cache_*`` of the app),
``context`` and ``widgets`` (page sections), ``sidebar``, ``routing``, ``starsets``, ``frozen``
(pre-encoded figures), ``retrain`` and ``retrain_results`` (the Retrain page).

May import any library package (``views``, ``plots``, ``retrain``, ``simulate``,
``classifier``, ``sed``, ``catalog``, ``archive``...). Only ``app.py`` and ``pages/`` import
this package; nothing in ``sedviz`` does (import-linter contract in pyproject.toml).
"""
