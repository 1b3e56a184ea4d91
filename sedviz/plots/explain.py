"""Figures of the classifier's explanations: waterfall, probabilities, importance, beeswarm, dependence.

Pure DataFrame-in / Figure-out builders over :mod:`sedviz.classifier.explain` outputs.
SHAP values are in margin units (log-odds of the class score): positive pushes
towards the class, negative away from it.
"""

from __future__ import annotations

import textwrap
from typing import Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sedviz.classifier.explain import MISSING_BANDS, SHAP_BASE, SHAP_CLASS, StarExplanation
from sedviz.classifier.features import PLAIN_FEATURE_LABELS
from sedviz.classifier.targets import TARGET_CLASSES
from sedviz.plots.theme import BACKGROUND, DARK, font_size

PUSH_TOWARDS: Final = "#4ade80"
PUSH_AWAY: Final = "#f43f5e"
_DARK: Final = {"template": DARK, **BACKGROUND}


def _font(presentation: bool) -> dict[str, int]:
    return {"size": font_size(presentation)}


def compute_waterfall_frame(explanation: StarExplanation, top: int = 8) -> pd.DataFrame:
    """Return the waterfall steps: the *top* features by |SHAP|, then "N other clues".

    Columns ``label`` (the feature's plain name, :data:`PLAIN_FEATURE_LABELS`,
    with its value) and ``shap``; the other features' sum is one row (omitted
    when there are none).
    """
    frame = explanation.frame
    head = frame.head(top)
    values = head["value"].to_numpy(dtype=float)
    pairs = zip(head["feature"], head["label"].astype(str), strict=True)
    names = [PLAIN_FEATURE_LABELS.get(f, label) for f, label in pairs]
    # The summed row of absent bands has no value of its own: its name says it all.
    labels = [
        wrap_label(name)
        if feature == MISSING_BANDS
        else f"{wrap_label(name)} = {'missing' if np.isnan(value) else f'{value:.2f}'}"
        for feature, name, value in zip(head["feature"], names, values, strict=True)
    ]
    out = pd.DataFrame({"label": labels, "shap": head["shap"].to_numpy(dtype=float)})
    rest = frame.iloc[top:]
    if len(rest):
        other = pd.DataFrame({"label": [f"{len(rest)} other clues"], "shap": [rest["shap"].sum()]})
        out = pd.concat([out, other], ignore_index=True)
    return out


def plot_waterfall(
    explanation: StarExplanation, top: int = 8, *, presentation: bool = False
) -> go.Figure:
    """Return a horizontal waterfall from the model's base score to this star's class score."""
    steps = compute_waterfall_frame(explanation, top).iloc[::-1]
    ends = np.cumsum([explanation.base_value, *steps["shap"]])
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=["average star (base)", *steps["label"], "this star"],
            x=[explanation.base_value, *steps["shap"], explanation.margin],
            measure=["absolute", *["relative"] * len(steps), "total"],
            increasing={"marker": {"color": PUSH_TOWARDS}},
            decreasing={"marker": {"color": PUSH_AWAY}},
            totals={"marker": {"color": "#f5b942"}},
            connector={"line": {"color": "#6b7280"}},
            text=[
                f"{v:+.2f}" for v in [explanation.base_value, *steps["shap"], explanation.margin]
            ],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="y+x",
        )
    )
    fig.update_layout(
        **_DARK,
        font=_font(presentation),
        title=f"Why class {explanation.class_label}? (p = {explanation.probability:.2f})",
        xaxis={
            "title": f"score for class {explanation.class_label} (log-odds)",
            "range": waterfall_range([*ends, explanation.margin, 0.0]),
        },
        yaxis={"automargin": True},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        # Rows as tall as their (wrapped) names, so two-line names never touch.
        height=130
        + sum(
            int(1.3 * font_size(presentation)) * (1 + lab.count("<br>")) + 14
            for lab in ["", *steps["label"], ""]
        ),
        showlegend=False,
    )
    return fig


def wrap_label(text: str, width: int = 28) -> str:
    """Return *text* broken into lines of about *width* characters (Plotly ``<br>``).

    Long feature names would otherwise take half the figure's width.
    """
    return "<br>".join(textwrap.wrap(text, width)) or text


def waterfall_range(ends: list[float], pad: float = 0.22) -> list[float]:
    """Return the x range of a waterfall whose bars end at *ends* (log-odds), padded.

    *pad* (a fraction of the span on each side) leaves room for the value
    written outside each bar, so it never runs into the row names.
    """
    low, high = float(np.min(ends)), float(np.max(ends))
    span = max(high - low, 1e-3)
    return [low - pad * span, high + pad * span]


def plot_probabilities(frame: pd.DataFrame, *, presentation: bool = False) -> go.Figure:
    """Return a bar chart of one star's class probabilities (``class``, ``probability``)."""
    top = frame["probability"].fillna(0).to_numpy()
    colours = np.where(top == top.max(), "#f5b942", "#60a5fa")
    fig = go.Figure(
        go.Bar(
            x=frame["class"],
            y=frame["probability"],
            marker_color=colours,
            text=[f"{p:.2f}" for p in top],
            textposition="outside",
        )
    )
    fig.update_layout(
        **_DARK,
        font=_font(presentation),
        yaxis={"range": [0, 1.1], "title": "probability"},
        xaxis_title="class",
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        height=300,
    )
    return fig


def plot_importance(
    importance: pd.DataFrame, top: int = 12, *, presentation: bool = False
) -> go.Figure:
    """Return a bar chart of mean |SHAP| per feature (from ``global_importance_frame``)."""
    head = importance.head(top).iloc[::-1]
    names = [PLAIN_FEATURE_LABELS.get(f, f) for f in head["feature"]]
    fig = go.Figure(
        go.Bar(x=head["mean_abs_shap"], y=names, orientation="h", marker_color="#f5b942")
    )
    fig.update_layout(
        **_DARK,
        font=_font(presentation),
        xaxis_title="mean |SHAP| (how much it moves the score)",
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        height=120 + 30 * len(head),
    )
    return fig


def plot_beeswarm(frame: pd.DataFrame, *, presentation: bool = False, seed: int = 0) -> go.Figure:
    """Return a beeswarm (one WebGL trace) from :func:`sedviz.classifier.explain.beeswarm_frame`.

    One row per feature (most important on top), one dot per star, x = SHAP,
    colour = the star's value of that feature (low blue, high red; grey when missing).
    """
    order = list(dict.fromkeys(frame["feature"]))
    position = {feature: len(order) - 1 - i for i, feature in enumerate(order)}
    rng = np.random.default_rng(seed)
    y = frame["feature"].map(position).to_numpy(dtype=float) + rng.uniform(-0.3, 0.3, len(frame))
    fig = go.Figure(
        go.Scattergl(
            x=frame["shap"].to_numpy(dtype=np.float32),
            y=y.astype(np.float32),
            mode="markers",
            marker={
                "size": 4,
                "color": frame["value_rank"].fillna(-0.1).to_numpy(dtype=np.float32),
                "colorscale": [[0, "#6b7280"], [0.09, "#6b7280"], [0.1, "#3b82f6"], [1, "#ef4444"]],
                "cmin": -0.1,
                "cmax": 1.0,
                "colorbar": {
                    "title": {"text": "feature value"},
                    "tickvals": [0, 1],
                    "ticktext": ["low", "high"],
                },
            },
            hovertemplate="SHAP %{x:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        **_DARK,
        font=_font(presentation),
        xaxis_title="SHAP value (→ pushes towards the predicted class)",
        yaxis={
            "tickvals": list(position.values()),
            "ticktext": [PLAIN_FEATURE_LABELS.get(f, f) for f in position],
            "zeroline": False,
        },
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        height=140 + 36 * len(order),
    )
    return fig


def plot_dependence(
    shap: pd.DataFrame, features: pd.DataFrame, feature: str, *, presentation: bool = False
) -> go.Figure:
    """Return SHAP of *feature* against its value, one dot per star, coloured by predicted class.

    *shap* and *features* share their index (stars); stars where the feature
    is missing are left out.
    """
    values = features.loc[shap.index, feature].to_numpy(dtype=float)
    keep = np.isfinite(values)
    classes = shap[SHAP_CLASS].to_numpy()[keep]
    known = [label for order in TARGET_CLASSES.values() for label in order]  # O B A F G K M
    labels = sorted(set(classes), key=lambda c: known.index(c) if c in known else len(known))
    fig = go.Figure(
        go.Scattergl(
            x=values[keep].astype(np.float32),
            y=shap[feature].to_numpy(dtype=np.float32)[keep],
            mode="markers",
            marker={
                "size": 4,
                "color": pd.Categorical(classes, categories=labels).codes,
                "colorscale": "Turbo",
                "colorbar": {
                    "title": {"text": "class"},
                    "tickvals": list(range(len(labels))),
                    "ticktext": labels,
                },
            },
            hovertemplate="value %{x:.2f} · SHAP %{y:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        **_DARK,
        font=_font(presentation),
        xaxis_title=PLAIN_FEATURE_LABELS.get(feature, feature),
        yaxis_title="SHAP for the predicted class",
        margin={"l": 10, "r": 10, "t": 30, "b": 40},
        height=420,
    )
    return fig


def feature_columns(shap: pd.DataFrame) -> list[str]:
    """Return the feature columns of a SHAP frame (without class and base)."""
    return [c for c in shap.columns if c not in (SHAP_CLASS, SHAP_BASE)]
