"""Figures serialised once and shared: the render cost of a cached Plotly figure, paid once.

``st.plotly_chart`` turns a figure into JSON on every run: ``Figure.to_dict()``
(a deep copy), typed-array encoding of every NumPy array, then ``json.dumps``.
For the HR diagram of the whole catalogue (3.6 MB of JSON) that was repeated on
every click of every student. :class:`FrozenFigure` does the expensive part once
(at cache time) and hands Streamlit a plain JSON-ready dict afterwards.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A read-only figure whose ``to_dict()`` is computed once.

    Build it from a finished figure; never modify it afterwards (the cached
    dict would no longer match). Streamlit only calls ``to_dict()`` on it.
    *spec*, when given, is that dict (JSON types), e.g. from
    :func:`sedviz.plots.hr.browser_spec`.
    """

    def __init__(self, figure: go.Figure, spec: dict[str, Any] | None = None) -> None:
        frozen = json.loads(figure.to_json(validate=False)) if spec is None else spec
        # The figure was validated when it was built: copying it without
        # validating again saves most of the cost (the template alone is ~10 ms).
        super().__init__(figure.to_dict(), _validate=False)
        self._frozen_dict = frozen

    def to_dict(self) -> dict[str, Any]:
        """The figure as plain JSON types (NumPy arrays already base64 typed arrays)."""
        return self._frozen_dict


def freeze(figure: go.Figure, spec: dict[str, Any] | None = None) -> FrozenFigure:
    """Return *figure* serialised once (as *spec*, if given), for ``st.cache_resource``."""
    return FrozenFigure(figure, spec)
