"""The dark look of every sedviz figure, as one lean Plotly template.

Plotly's ``plotly_dark`` carries defaults for every trace type (about 7 kB of
JSON) and validating it is the costliest step of building a small figure
(~11 ms of a ~35 ms SED figure, paid again whenever the figure is copied).
:data:`DARK` keeps only the layout settings sedviz figures use, taken from
``plotly_dark`` so the look is unchanged: applying it costs well under a
millisecond and adds about 1 kB to a figure.
"""

from __future__ import annotations

from typing import Final

import plotly.graph_objects as go
import plotly.io as pio

#: Name under which :data:`DARK` is registered in ``plotly.io.templates``.
DARK: Final = "sedviz_dark"

_AXIS: Final = {
    "gridcolor": "#283442",
    "linecolor": "#506784",
    "zerolinecolor": "#283442",
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
    "title": {"standoff": 15},
}

#: Layout defaults copied from ``plotly_dark`` (Plotly 6/7); no per-trace defaults.
DARK_LAYOUT: Final = {
    "font": {"color": "#f2f5fa"},
    "paper_bgcolor": "rgb(17,17,17)",
    "plot_bgcolor": "rgb(17,17,17)",
    "colorway": [
        "#636efa",
        "#EF553B",
        "#00cc96",
        "#ab63fa",
        "#FFA15A",
        "#19d3f3",
        "#FF6692",
        "#B6E880",
        "#FF97FF",
        "#FECB52",
    ],  # fmt: skip
    "xaxis": _AXIS,
    "yaxis": _AXIS,
    "hoverlabel": {"align": "left"},
    "hovermode": "closest",
    "title": {"x": 0.05},
    "annotationdefaults": {"arrowcolor": "#f2f5fa", "arrowhead": 0, "arrowwidth": 1},
    "shapedefaults": {"line": {"color": "#f2f5fa"}},
    "coloraxis": {"colorbar": {"outlinewidth": 0, "ticks": ""}},
}

#: The dashboard's background behind every figure: the page shows through the
#: paper, the plot area is night blue (applied on top of :data:`DARK`).
BACKGROUND: Final = {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "#0b1021"}


#: Secondary text in figures (notes, captions): readable on the night-blue background.
MUTED_TEXT: Final = "#9aa3b8"

#: Figure font size (px): on a laptop, and in presentation mode (a projector at 1280x720 or
#: more). Presentation mode sets the page's root font to the same size
#: (:mod:`sedviz.ui.presentation`), so page text and figure text scale together.
FONT_SIZE: Final = 13
FONT_SIZE_PRESENTATION: Final = 18


def font_size(presentation: bool = False) -> int:
    """Return the figures' font size in pixels (:data:`FONT_SIZE` or the presentation size)."""
    return FONT_SIZE_PRESENTATION if presentation else FONT_SIZE


def register_templates() -> None:
    """Register :data:`DARK` in ``plotly.io.templates`` (idempotent)."""
    if DARK not in pio.templates:
        pio.templates[DARK] = go.layout.Template(layout=DARK_LAYOUT)


register_templates()
