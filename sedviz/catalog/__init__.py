"""The star catalogue: load and validate star tables, build the embedded catalogue, parse MK types.

Modules: ``tables`` (load/validate any star table, the embedded catalogue), ``build`` and
``card`` (rebuild ``sedviz/data/catalog.parquet`` and its data card from the data packages),
with ``read`` (the raw Hipparcos/Gaia files) and ``bsc`` (Bright Star Catalogue, designations,
constellations, proper names),
``mk`` (MK spectral-type parser), ``lookup`` (find one star from what a user types),
``names`` (offline star names: proper, Bayer, Flamsteed, catalogue numbers; suggestions),
``designations`` and ``constellations`` (how designations are written; the 88 IAU
constellations), ``export`` (subset tables as CSV/VOTable bytes).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.archive`` (offline name data).
Never Streamlit, never the classifier, SED or UI layers.
"""
