"""Retraining on a subset a user chooses: the subset, the job, the comparison with the model in use.

Modules: ``subset`` (which stars: HR selection, filters, id lists, simulated stars), ``job``
(training in a worker thread with progress and cancel), ``compare`` (both models scored on
the same held-out stars).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.catalog``, ``sedviz.classifier``,
``sedviz.simulate``, ``sedviz.views`` (the HR coordinates of held-out stars). Never Streamlit
or the network.
"""
