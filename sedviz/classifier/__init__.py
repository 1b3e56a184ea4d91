"""The XGBoost classifier: features, targets, model, training, prediction, SHAP, registry.

Modules: ``features`` (inputs computed from photometry, parallax, motion), ``targets``
(class labels), ``model`` (the estimator), ``training`` (split, train, evaluate), ``metrics``,
``predict`` (predictions for any star table), ``explain`` (exact TreeSHAP and the catalogue
store), ``registry`` (models saved on disk with their cards), ``cards`` (card tables),
``scoring`` (the one path from a model to its metrics: evaluate, retrain, sim-to-real).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.catalog``. Never Streamlit, the
network, the UI, plots or the retrain/simulate layers (they import this one).
"""
