"""The Streamlit layer: session state, caches, widgets and page sections (the only Streamlit code).

Modules: ``state`` (the session's shared view), ``cache`` (every ``st.cache_*`` of the app),
``context`` and ``widgets`` (page sections), ``sidebar``, ``routing``, ``starsets``, ``frozen``
(pre-encoded figures), ``figure_route`` (figures fetched by address: serve.py's routes, the
HR chart component ``hr_chart.js``), ``retrain`` and ``retrain_results`` (the Retrain page).

May import any library package (``views``, ``plots``, ``retrain``, ``simulate``,
``classifier``, ``sed``, ``catalog``, ``archive``...). Only ``app.py`` and ``pages/`` import
this package; nothing in ``sedviz`` does (import-linter contract in pyproject.toml).
"""
