"""Plot builders: pure DataFrame-in / Plotly-figure-out functions (no Streamlit)."""

from sedviz.plots.sed import plot_sed, plot_star_sed

__all__ = ["plot_sed", "plot_star_sed"]
