"""The star catalogue: load and validate star tables, build the embedded catalogue, parse MK types.

Modules: ``tables`` (load/validate any star table, the embedded catalogue), ``build`` and
``card`` (rebuild ``sedviz/data/catalog.parquet`` and its data card from the data packages),
with ``read`` (the raw Hipparcos/Gaia files) and ``bsc`` (Bright Star Catalogue, designations,
constellations, proper names),
``mk`` (MK spectral-type parser), ``lookup`` (find one star from what a user types),
``names`` (offline star names: proper, Bayer, Flamsteed, catalogue numbers; suggestions),
``designations`` and ``constellations`` (how designations are written; the 88 IAU
constellations), ``export`` (subset tables as CSV/VOTable bytes), ``parallax`` (the one
parallax rule: which error, which S/N is good; used by the classifier, the SED fit and the
HR view), ``johnson_gaia`` (the one Johnson-Cousins -> Gaia relation: the build's Gaia
match and the HR view's estimates for stars without Gaia bands).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.tableio``; ``names`` only also
imports the archive's offline list of well-known objects, on first use (an exception declared
in the import-linter contract). Never Streamlit, never the classifier, SED or UI layers.
"""
