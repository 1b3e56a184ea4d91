"""``python -m sedviz train | evaluate | classify``: the classifier from the command line.

- ``train [--target T] [--only IDS.csv | --exclude IDS.csv] [--name NAME] [--activate]``
  trains on the embedded catalogue; without ``--name`` it (re)builds the shipped
  ``default-<target>`` model, without ``--target`` both targets.
- ``evaluate [--target T] [--model NAME] [--only IDS.csv] [--json]`` scores a model
  on the held-out stars of its recorded split, or on exactly the ``--only`` stars.
- ``classify INPUT -o OUTPUT [--target T] [--model NAME] [--explain]`` adds
  ``predicted_class``, ``predicted_probability``, ``prob_<label>`` (and the top three
  SHAP contributions) to a CSV or Parquet star table.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from sedviz.batch.partitions import is_partitioned_input
from sedviz.catalog.tables import load_catalog, load_star_table
from sedviz.classifier.explain import CATALOG_SHAP_FILE, build_catalog_shap_bytes
from sedviz.classifier.features import compute_features
from sedviz.classifier.predict import classify_frame
from sedviz.classifier.registry import (
    default_model_name,
    load_model,
    save_model,
    shipped_models_dir,
)
from sedviz.classifier.scoring import evaluate_stars
from sedviz.classifier.targets import PREDICTED_CLASS, TARGETS
from sedviz.classifier.training import (
    compute_id_mask,
    compute_split,
    load_id_list,
    train_model,
)
from sedviz.errors import SedvizError
from sedviz.tableio import check_output_path, write_table


def register(sub: Any) -> None:
    """Add the ``train``, ``evaluate`` and ``classify`` commands to *sub*."""
    _register_train(sub)
    _register_evaluate(sub)
    _register_classify(sub)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--models-dir",
        help="one models folder to use (default: $SEDVIZ_MODELS_DIR or ~/.local/share/sedviz/"
        "models, then the shipped models/; train without --name rebuilds models/)",
    )
    p.add_argument("--catalog", help=argparse.SUPPRESS)  # another catalogue file, for tests


def _register_train(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "train", help="train a classifier on the embedded catalogue and save it in models/"
    )
    p.add_argument("--target", choices=TARGETS, help="what to predict (default: both)")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--only", metavar="IDS.csv", help="train only on these stars (hip/source_id)"
    )
    group.add_argument("--exclude", metavar="IDS.csv", help="train on all stars but these")
    p.add_argument("--name", help="model name (default: default-<target>, overwritten)")
    p.add_argument("--activate", action="store_true", help="make it the active model")
    p.add_argument("--seed", type=int, default=0, help="split and sampling seed (default 0)")
    p.add_argument(
        "--no-catalog-shap", action="store_true", help="skip precomputing SHAP for the catalogue"
    )
    _common(p)
    p.set_defaults(func=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    if args.name is not None and args.target is None:
        raise SedvizError("--name needs --target (one model per target)")
    only = load_id_list(args.only) if args.only else None
    exclude = load_id_list(args.exclude) if args.exclude else None
    table = load_catalog(args.catalog)
    features = compute_features(table)
    for target in [args.target] if args.target else list(TARGETS):
        name = args.name or default_model_name(target)
        model = train_model(table, target, only=only, exclude=exclude, seed=args.seed)
        extra = {}
        if not args.no_catalog_shap:
            extra[CATALOG_SHAP_FILE] = build_catalog_shap_bytes(model, table, features)
        folder = save_model(
            model,
            name,
            # The shipped defaults are rebuilt in place; other models go to the runtime folder.
            root=args.models_dir or (shipped_models_dir() if args.name is None else None),
            overwrite=args.name is None,
            activate=args.activate,
            extra_files=extra,
        )
        m = model.training_["metrics"]
        print(
            f"{name}: {target}, {model.training_['subset']['train_stars']} training stars, "
            f"held-out accuracy {m['accuracy']:.3f}, balanced {m['balanced_accuracy']:.3f} "
            f"-> {folder}"
        )
    return 0


def _register_evaluate(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "evaluate", help="score a model on held-out embedded stars (or on --only stars)"
    )
    p.add_argument("--target", choices=TARGETS, help="target (default: the model's, else sp_class)")
    p.add_argument("--model", help="model name (default: the active model of the target)")
    p.add_argument("--only", metavar="IDS.csv", help="score exactly these embedded stars")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _common(p)
    p.set_defaults(func=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    model = load_model(args.model, target=args.target, root=args.models_dir)
    target = model.card_["target"]
    table = load_catalog(args.catalog)
    if args.only:
        stars = table.loc[compute_id_mask(table, load_id_list(args.only))]
        which = f"only: {Path(args.only).name}"
    else:
        seed = int(model.card_.get("split", {}).get("seed", 0))
        stars = table.loc[(compute_split(table, target, seed) == "test").to_numpy()]
        which = f"held-out test stars (seed {seed})"
    result = {
        "model": model.card_["name"],
        "target": target,
        "stars": which,
        **evaluate_stars(model, stars, target),
    }
    if args.json:
        print(json.dumps(_finite(result)))
    else:
        _print_report(result)
    return 0


def _finite(value: Any) -> Any:
    """Replace NaN by None so the output is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _print_report(result: dict[str, Any]) -> None:
    print(f"model {result['model']} ({result['target']}) on {result['n']} {result['stars']}")
    for key in ("accuracy", "balanced_accuracy", "macro_f1", "within_one_accuracy", "ece"):
        if key in result:
            print(f"  {key:<20} {result[key]:.4f}")
    per_class = pd.DataFrame(result["per_class"]).T
    print(per_class.to_string(float_format=lambda v: f"{v:.3f}"))


def _register_classify(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "classify", help="add predicted classes to a CSV/Parquet star table"
    )
    p.add_argument(
        "input",
        metavar="INPUT",
        help="star table (CSV, Parquet, VOTable, FITS, ECSV) with Gaia-archive column names",
    )
    p.add_argument(
        "-o", "--output", required=True,
        help="output file (.csv, .parquet, .vot, .fits or .ecsv)",
    )  # fmt: skip
    p.add_argument("--target", choices=TARGETS, default=None, help="target (default sp_class)")
    p.add_argument("--model", help="model name (default: the active model of the target)")
    p.add_argument("--explain", action="store_true", help="add the top three SHAP contributions")
    p.add_argument(
        "--models-dir",
        help="one models folder to use (default: $SEDVIZ_MODELS_DIR or ~/.local/share/sedviz/"
        "models, then the shipped models/; train without --name rebuilds models/)",
    )
    batch = p.add_argument_group(
        "partitioned input (INPUT a folder or glob of Parquet files; runs on Dask, "
        "OUTPUT a folder of Parquet partitions)"
    )
    batch.add_argument("--scheduler", metavar="ADDRESS", help="existing Dask scheduler")
    batch.add_argument("--workers", type=int, help="local worker processes (default: cores)")
    batch.add_argument("--memory-limit", help="memory per local worker, e.g. 2GiB")
    p.set_defaults(func=_run_classify)


def _run_classify_batch(args: argparse.Namespace) -> int:
    # Imported here: Dask (the optional `batch` extra) is needed only for partitioned input.
    try:
        from sedviz.batch import run as batch
    except ModuleNotFoundError as exc:
        raise SedvizError(
            f"classifying a folder needs Dask ({exc.name} is not installed): "
            "pip install 'sedviz[batch]'"
        ) from exc

    target = args.target or (None if args.model else TARGETS[0])
    plan = batch.plan_batch(
        args.input,
        args.output,
        model_name=args.model,
        target=target,
        models_root=args.models_dir,
        explain=args.explain,
    )
    with batch.open_client(args.scheduler, args.workers, args.memory_limit) as client:
        result = batch.run_batch(plan, client, batch.print_progress())
    print(
        f"classified {result.classified} of {result.rows} stars in {result.partitions} "
        f"partitions with {result.model} -> {result.output}/ ({result.elapsed_s:.1f} s)"
    )
    if result.classified < result.rows:
        print(f"{result.rows - result.classified} stars had no usable bands", file=sys.stderr)
    return 0


def _run_classify(args: argparse.Namespace) -> int:
    if is_partitioned_input(args.input):
        return _run_classify_batch(args)
    if args.scheduler or args.workers or args.memory_limit:
        raise SedvizError("--scheduler, --workers, --memory-limit need a folder or glob INPUT")
    output = check_output_path(args.output)
    target = args.target or (None if args.model else TARGETS[0])
    table = load_star_table(args.input)
    model = load_model(args.model, target=target, root=args.models_dir)
    result = classify_frame(model, table, explain=args.explain)
    write_table(result, output)
    n_done = int((result[PREDICTED_CLASS] != "").sum())
    print(f"classified {n_done} of {len(result)} stars with {model.card_['name']} -> {output}")
    if n_done < len(result):
        print(f"{len(result) - n_done} stars had no usable bands", file=sys.stderr)
    return 0
