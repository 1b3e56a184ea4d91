"""Plot builders: pure DataFrame-in / Plotly-figure-out functions (no Streamlit).

Modules: ``hr`` (the HR diagram), ``sed`` (one star's SED), ``explain`` (SHAP views),
``retrain`` (the comparison of two models), ``theme`` (colours, the dark background).

May import: ``sedviz.columns``, ``sedviz.sed``, ``sedviz.classifier``, ``sedviz.views``,
``sedviz.retrain`` (its column names). Never Streamlit or the network.
"""

from sedviz.plots.sed import plot_sed, plot_sed_view, plot_star_sed

__all__ = ["plot_sed", "plot_sed_view", "plot_star_sed"]
