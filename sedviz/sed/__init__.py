"""Spectral energy distributions: bands, fluxes, blackbody and empirical Teff fits, templates.

Modules: ``bands`` (pivot wavelengths and Vega zero points, from ``sedviz/data/bands.json``),
``bands_build`` (computes that file from shipped filter curves), ``photometry`` (magnitudes to
fluxes, one star's SED points), ``fit`` (vectorised blackbody fit, luminosity and radius),
``gridfit`` (the fit on a temperature grid), ``templates`` (Pecaut & Mamajek mean dwarf colours),
``dust`` (the one lookup of a ``dust_extinction`` law).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.catalog`` (the parallax rule of
``sedviz.catalog.parallax``). Never the classifier, Streamlit or the network.
"""
