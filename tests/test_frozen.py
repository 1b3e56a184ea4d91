"""Frozen figures encode to the same JSON as plotly's, as ASCII without ``< > /`` (fast path)."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from sedviz.ui.frozen import FRAGMENT_MIN_LENGTH, freeze


def _figure() -> go.Figure:
    n = FRAGMENT_MIN_LENGTH + 5
    names = [f"HIP {i} · M−dwarf <b>{i}</b>" if i % 7 else "Gaia DR3 1/2" for i in range(n)]
    fig = go.Figure(
        go.Scattergl(x=list(range(n)), y=[0.5] * n, text=names, hovertemplate="%{text}<br>BP−RP")
    )
    fig.update_layout(
        title="HR diagram ● colour → brightness ↑",
        xaxis_title="BP−RP (mag)",
        annotations=[{"text": "<span style='color:gold'>●</span> G", "showarrow": False}],
    )
    return fig


def test_frozen_json_is_the_same_figure_in_ascii_without_html_characters() -> None:
    fig = _figure()
    text = pio.to_json(freeze(fig), validate=False)
    assert text.isascii()
    assert not any(c in text for c in "<>/")  # plotly's _safe has nothing to replace
    assert json.loads(text) == json.loads(pio.to_json(fig, validate=False))


def test_frozen_figure_still_exports_as_html() -> None:
    html = pio.to_html(freeze(_figure()), include_plotlyjs=False)
    assert "BP\\u2212RP" in html or "BP−RP" in html
