"""Figures of the Retrain page: confusion matrices, F1 change, disagreement map, loss curve.

Pure DataFrame-in / Figure-out builders over :class:`sedviz.retrain.compare.ModelComparison`
parts; no Streamlit, no model calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sedviz.retrain.compare import (
    ABS_G,
    ACTIVE,
    BP_RP,
    CATALOGUED,
    CHANGE,
    DISAGREEMENTS,
    NEW,
    OUTCOME,
)

#: Colours of the disagreement outcomes (new right: green, active right: red).
OUTCOME_COLOURS: Final[dict[str, str]] = {
    DISAGREEMENTS[0]: "#16a34a",
    DISAGREEMENTS[1]: "#dc2626",
    DISAGREEMENTS[2]: "#f59e0b",
}
BACKGROUND_COLOUR: Final = "#9ca3af"
BETTER: Final = "#16a34a"
WORSE: Final = "#dc2626"


def plot_confusion(confusion: pd.DataFrame, title: str) -> go.Figure:
    """Return a heatmap of *confusion* (rows true, columns predicted, counts).

    Colour is the fraction of each true class (row-normalised, 0-1) so small
    classes stay readable; the cells show the counts.
    """
    counts = confusion.to_numpy(dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals > 0, counts / totals, np.nan)
    labels_x = [str(c) for c in confusion.columns]
    labels_y = [str(c) for c in confusion.index]
    fig = go.Figure(
        go.Heatmap(
            z=share,
            x=labels_x,
            y=labels_y,
            text=counts.astype(int),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0.0,
            zmax=1.0,
            colorbar={"title": "share of<br>true class"},
            hovertemplate="true %{y}, predicted %{x}: %{text} stars (%{z:.0%})<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis_title="predicted class",
        yaxis_title="catalogued class",
        yaxis_autorange="reversed",
        height=380,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
    )
    return fig


def plot_f1_change(f1: pd.DataFrame) -> go.Figure:
    """Return a bar chart of the F1 change per class (new minus active; up is better)."""
    change = f1[CHANGE].to_numpy(dtype=float)
    fig = go.Figure(
        go.Bar(
            x=[str(c) for c in f1.index],
            y=change,
            marker_color=[BETTER if v >= 0 else WORSE for v in change],
            customdata=np.column_stack([f1[ACTIVE], f1[NEW], f1["support"]]),
            hovertemplate=(
                "class %{x}: F1 %{customdata[0]:.3f} → %{customdata[1]:.3f} "
                "(%{y:+.3f}), %{customdata[2]} held-out stars<extra></extra>"
            ),
        )
    )
    fig.add_hline(y=0.0, line_color="#6b7280", line_width=1)
    fig.update_layout(
        title="F1 per class: new model minus active model",
        xaxis_title="catalogued class",
        yaxis_title="change in F1",
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
    )
    return fig


def plot_disagreement_map(stars: pd.DataFrame) -> go.Figure:
    """Return the HR diagram of the held-out stars, the two models' disagreements in colour.

    *stars* is :attr:`ModelComparison.stars`; stars without a positive parallax
    (NaN ``abs_g``) cannot be placed and are left out. Brighter is up.
    """
    placed = stars[stars[ABS_G].notna() & stars[BP_RP].notna()]
    differ = placed[OUTCOME].isin(DISAGREEMENTS).to_numpy()
    fig = go.Figure()
    same = placed.loc[~differ]
    fig.add_trace(
        go.Scattergl(
            x=same[BP_RP].to_numpy(dtype=np.float32),
            y=same[ABS_G].to_numpy(dtype=np.float32),
            mode="markers",
            marker={"size": 3, "color": BACKGROUND_COLOUR, "opacity": 0.35},
            name=f"models agree ({len(same):,})",
            hoverinfo="skip",
        )
    )
    for outcome in DISAGREEMENTS:
        part = placed[placed[OUTCOME] == outcome]
        fig.add_trace(
            go.Scattergl(
                x=part[BP_RP].to_numpy(dtype=np.float32),
                y=part[ABS_G].to_numpy(dtype=np.float32),
                mode="markers",
                marker={"size": 6, "color": OUTCOME_COLOURS[outcome], "opacity": 0.85},
                name=f"{outcome} ({len(part):,})",
                text=_hover_text(part),
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.update_layout(
        title="Where the two models disagree (held-out stars)",
        xaxis_title="Gaia BP − RP colour (mag): blue ← → red",
        yaxis_title="absolute G magnitude (brighter ↑)",
        yaxis_autorange="reversed",
        legend={"orientation": "h", "y": -0.2},
        height=520,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
    )
    return fig


def _hover_text(part: pd.DataFrame) -> list[str]:
    return [
        f"Gaia DR3 {sid}<br>catalogued {cat}, active model {act}, new model {new}"
        for sid, cat, act, new in zip(
            part["source_id"], part[CATALOGUED], part[ACTIVE], part[NEW], strict=True
        )
    ]


def plot_loss_curve(losses: Sequence[float], n_rounds: int) -> go.Figure:
    """Return the validation log-loss per boosting round (lower is better)."""
    fig = go.Figure(
        go.Scatter(
            x=np.arange(1, len(losses) + 1),
            y=np.asarray(losses, dtype=float),
            mode="lines",
            line={"color": "#2563eb"},
            hovertemplate="round %{x}: log-loss %{y:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Validation log-loss (early stopping watches this)",
        xaxis={"title": "boosting round", "range": [0, max(n_rounds, 1)]},
        yaxis_title="log-loss",
        height=260,
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
    )
    return fig
