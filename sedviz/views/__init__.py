"""Pure tables behind the dashboard views: the HR diagram frame, one star's facts.

Modules: ``hr`` (one lean row per star for the HR diagram; selections back to ids), ``star``
(labels and fact tables of one star).

May import: ``sedviz.columns``, ``sedviz.catalog``, ``sedviz.classifier``, ``sedviz.sed``.
Never Streamlit (``sedviz.ui`` imports this layer) or the network.
"""
