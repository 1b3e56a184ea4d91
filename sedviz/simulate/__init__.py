"""Simulated stars from templates: photometry, extinction, noise, and the sim-to-real check.

Modules: ``core`` (simulate a star table), ``templates`` (template colours per type),
``extinction`` (reddening through the filter curves), ``io`` (save/load simulated sets),
``to_real`` (train on simulated stars, score on real ones).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.tableio``, ``sedviz.catalog``,
``sedviz.sed``, ``sedviz.classifier``. Never Streamlit or the network.
"""
