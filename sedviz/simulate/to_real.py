"""Train on simulated stars, score on real ones: the sim-to-real comparison.

Training goes through :func:`sedviz.classifier.training.train_model` (same features, same
:class:`sedviz.classifier.model.StarClassifier`, same seeded split, here of the simulated
table), so the model's held-out metrics are on simulated stars it never saw.
:func:`sim_to_real_frame` then scores it on real catalogue stars with
:func:`sedviz.classifier.scoring.evaluate_stars`: all labelled real stars, and the real
held-out test stars of :func:`sedviz.classifier.training.compute_split` (the very stars
the catalogue-trained default model is scored on), so the two compare directly.

Examples
--------
>>> from sedviz.simulate.core import simulate_stars
>>> sim = simulate_stars(60, seed=0)
>>> model = train_sim_model(sim, params={"n_estimators": 5})
>>> model.training_["training_data"]["kind"]
'simulated'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
import xgboost as xgb

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.scoring import evaluate_stars
from sedviz.classifier.targets import compute_target_labels
from sedviz.classifier.training import TEST, compute_split, train_model
from sedviz.errors import SedvizError
from sedviz.simulate.core import SIMULATED, SimulationSettings, simulate_stars
from sedviz.simulate.io import check_simulated

#: Rows of :func:`sim_to_real_frame`, in order.
SIM_TEST: Final = "simulated held-out"
REAL_ALL: Final = "real, all labelled"
REAL_TEST: Final = "real held-out test"
REAL_GOOD_PARALLAX: Final = "real, parallax S/N >= 5"
_PARALLAX_COLUMNS: Final = (C.PARALLAX, C.PARALLAX_ERROR, C.HIP_PARALLAX, C.HIP_PARALLAX_ERROR)
_BRIEF: Final = ("n", "accuracy", "balanced_accuracy", "macro_f1", "within_one_accuracy", "ece")


@dataclass(frozen=True)
class SimToRealResult:
    """What :func:`compute_sim_to_real` returns.

    Attributes
    ----------
    model : StarClassifier
        Trained on simulated stars only; ``training_`` records the simulation.
    simulated : DataFrame
        The simulated star table it was trained on.
    metrics : DataFrame
        :func:`sim_to_real_frame` of the model.
    """

    model: StarClassifier
    simulated: pd.DataFrame
    metrics: pd.DataFrame


def train_sim_model(
    simulated: pd.DataFrame,
    target: str = C.SP_CLASS,
    params: dict[str, Any] | None = None,
    callback: xgb.callback.TrainingCallback | Sequence[xgb.callback.TrainingCallback] | None = None,
    *,
    seed: int = 0,
    use_parallax: bool = False,
    simulation: Mapping[str, Any] | None = None,
) -> StarClassifier:
    """Train a classifier on a simulated star table, with the catalogue model's code.

    Parameters
    ----------
    simulated : DataFrame
        From :func:`sedviz.simulate.core.simulate_stars` (every row marked simulated).
    target : str
        ``"sp_class"``; ``"lum_class"`` needs at least two luminosity classes,
        which the dwarf-only simulation does not have.
    params, callback, seed
        As for :func:`sedviz.classifier.training.train_model`.
    use_parallax : bool
        Train on the simulated parallaxes too. Off by default: the simulation
        holds dwarfs only, so a model that sees M_G learns "luminous means hot",
        which every real giant contradicts (see ``docs/simulation.md``). Off, the
        parallax columns are emptied in the training copy and the model uses
        colours only, ignoring real parallaxes as well.
    simulation : mapping, optional
        Simulation settings and seed, recorded in ``training_`` (model card).

    Returns
    -------
    StarClassifier
        ``training_["training_data"]["kind"] == "simulated"``; ``training_["metrics"]``
        are on held-out *simulated* stars.
    """
    check_simulated(simulated)
    present = set(compute_target_labels(simulated, target)) - {""}
    if len(present) < 2:
        raise SedvizError(
            f"the simulated table has {len(present)} {target} class(es) "
            f"({', '.join(sorted(present)) or 'none'}); training needs at least two "
            "(the simulation holds dwarfs only, so train sp_class)"
        )
    if not use_parallax:
        simulated = simulated.assign(**{name: np.nan for name in _PARALLAX_COLUMNS})
    model = train_model(simulated, target, params, callback, seed=seed)
    model.training_["training_data"] = {
        "parallax_used": use_parallax,
        "kind": "simulated",
        "stars": len(simulated),
        "source": "Pecaut & Mamajek mean dwarf templates (meanstars), sedviz.simulate.core",
        "simulation": dict(simulation or {}),
        "metrics_are_on": "held-out simulated stars",
    }
    return model


def sim_to_real_frame(
    model: StarClassifier, real: pd.DataFrame, target: str = C.SP_CLASS, seed: int = 0
) -> pd.DataFrame:
    """Metrics of a simulation-trained model on simulated and real stars.

    Parameters
    ----------
    model : StarClassifier
        From :func:`train_sim_model` (its held-out simulated metrics are reused).
    real : DataFrame
        Real stars (e.g. :func:`sedviz.catalog.tables.load_catalog`); simulated rows refused.
    target : str
        Target the model predicts.
    seed : int
        Seed of the real-star split (0: the default model's test stars).

    Returns
    -------
    DataFrame
        Rows :data:`SIM_TEST`, :data:`REAL_ALL`, :data:`REAL_TEST`,
        :data:`REAL_GOOD_PARALLAX`; columns ``n``, ``accuracy``,
        ``balanced_accuracy``, ``macro_f1``, ``within_one_accuracy``, ``ece``.
    """
    if SIMULATED in real.columns and real[SIMULATED].astype("string").eq("True").any():
        raise SedvizError("the real-star table holds simulated rows")
    every = evaluate_stars(model, real, target)
    test = (compute_split(real, target, seed) == TEST).to_numpy()
    rows = {
        SIM_TEST: model.training_.get("metrics", {}),
        REAL_ALL: every,
        REAL_TEST: evaluate_stars(model, real.loc[test], target),
        REAL_GOOD_PARALLAX: every["good_parallax"],
    }
    brief = {name: {k: m.get(k, np.nan) for k in _BRIEF} for name, m in rows.items()}
    frame = pd.DataFrame.from_dict(brief, orient="index")
    return frame.astype({"n": "int64"})


def compute_sim_to_real(
    n_per_type: int | Mapping[str, int],
    seed: int = 0,
    target: str = C.SP_CLASS,
    *,
    settings: SimulationSettings | None = None,
    params: dict[str, Any] | None = None,
    real: pd.DataFrame | None = None,
    callback: xgb.callback.TrainingCallback | Sequence[xgb.callback.TrainingCallback] | None = None,
) -> SimToRealResult:
    """Simulate, train on the simulation, and score on real stars, in one call.

    Parameters
    ----------
    n_per_type : int or mapping of str to int
        Simulated stars per class letter.
    seed : int
        Seeds the simulation, the simulated split, XGBoost and the real split.
    target : str
        Classifier target (``"sp_class"``).
    settings : SimulationSettings, optional
        Simulation choices (defaults if None).
    params : dict, optional
        XGBoost overrides (see :data:`sedviz.classifier.model.DEFAULT_PARAMS`).
    real : DataFrame, optional
        Real stars to score on (default: the embedded catalogue).
    callback
        Training callback(s), e.g. a progress bar.

    Returns
    -------
    SimToRealResult
    """
    settings = settings or SimulationSettings()
    simulated = simulate_stars(n_per_type, seed, settings)
    record = {"seed": seed, "n_per_type": _json_counts(n_per_type), **settings.as_dict()}
    model = train_sim_model(simulated, target, params, callback, seed=seed, simulation=record)
    real = load_catalog() if real is None else real
    return SimToRealResult(model, simulated, sim_to_real_frame(model, real, target, seed))


def _json_counts(n_per_type: int | Mapping[str, int]) -> int | dict[str, int]:
    if isinstance(n_per_type, int):
        return n_per_type
    return {str(k): int(v) for k, v in n_per_type.items()}
