"""Classify large partitioned tables with Dask (the optional ``batch`` extra).

Modules: ``partitions`` (find, check and write Parquet partitions), ``run`` (the Dask graph,
one model per worker, progress).

May import: ``sedviz.columns``, ``sedviz.errors``, ``sedviz.tableio``, ``sedviz.catalog``,
``sedviz.classifier``.
Never Streamlit or the network.
"""
