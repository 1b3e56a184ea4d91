"""sedviz: classify stars from their spectral energy distributions.

The library is pure and Streamlit-free; the dashboard lives in ``app.py``,
``pages/`` and ``sedviz/ui/``; the network is touched only by
``sedviz.archive``.
"""

__version__ = "0.1.0"
