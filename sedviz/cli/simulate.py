"""``python -m sedviz simulate | train-sim``: simulated stars, and a model trained on them.

- ``simulate -n N -o FILE [--seed S] [--av-distribution D] [--av A] [--law L]
  [--noise-scale X] [--missing COLUMN=RATE ...]`` writes N simulated dwarfs per
  class letter (Pecaut & Mamajek templates) as CSV or Parquet, marked simulated in
  every row and in the file itself.
- ``train-sim FILE [--target sp_class] [--name NAME] [--seed S] [--use-parallax]
  [--activate]`` trains the usual classifier on a simulated file only, saves it
  with its card (training data: simulated), and prints its metrics on held-out
  simulated stars and on the real embedded stars. ``python -m sedviz evaluate
  --model NAME`` scores it again on the real held-out stars.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.registry import save_model
from sedviz.classifier.targets import TARGETS
from sedviz.errors import SedvizError
from sedviz.simulate.core import AV_DISTRIBUTIONS, SimulationSettings, simulate_stars
from sedviz.simulate.io import (
    SIMULATED_SUFFIXES,
    load_simulated_table,
    load_simulation_record,
    save_simulated_table,
)
from sedviz.simulate.to_real import sim_to_real_frame, train_sim_model
from sedviz.tableio import check_output_path


def register(sub: Any) -> None:
    """Add the ``simulate`` and ``train-sim`` commands to *sub*."""
    _register_simulate(sub)
    _register_train_sim(sub)


def _register_simulate(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "simulate",
        help="write simulated dwarf stars (from spectral templates) as a star table",
        description=(
            "Simulate N dwarfs per class letter from the Pecaut & Mamajek templates, "
            "with photometric noise, reddening, parallax noise and missing bands; "
            "write them in the catalogue's columns, every row marked simulated."
        ),
    )
    defaults = SimulationSettings()
    p.add_argument("-n", type=int, required=True, help="stars per class letter")
    p.add_argument("-o", "--output", type=Path, required=True, help="output .csv or .parquet")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--classes", default="".join(defaults.classes), help="class letters (default OBAFGKM)"
    )
    p.add_argument(
        "--av-distribution",
        choices=AV_DISTRIBUTIONS,
        default=defaults.av_distribution,
        help="A_V distribution (default %(default)s)",
    )
    p.add_argument(
        "--av",
        type=float,
        default=defaults.av_mag,
        help="A_V scale: mag, or mag/kpc for 'distance' (default %(default)s)",
    )
    p.add_argument("--law", default=defaults.extinction_law, help="dust_extinction law (G23)")
    p.add_argument("--noise-scale", type=float, default=1.0, help="multiply photometric errors (1)")
    p.add_argument(
        "--missing",
        action="append",
        default=[],
        metavar="COLUMN=RATE",
        help="fraction of stars without COLUMN (repeatable; e.g. bt_mag=0.1, j_m=0)",
    )
    p.set_defaults(func=_run_simulate)


def _parse_missing(items: list[str]) -> dict[str, float]:
    rates = dict(SimulationSettings().missing_rates)
    for item in items:
        name, sep, value = item.partition("=")
        try:
            rates[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise SedvizError(f"--missing wants COLUMN=RATE (e.g. bt_mag=0.1), got {item!r}")
    return rates


def _run_simulate(args: argparse.Namespace) -> int:
    if args.n < 1:
        raise SedvizError(f"-n must be at least 1 star per class, got {args.n}")
    check_output_path(args.output, SIMULATED_SUFFIXES)
    unknown = sorted(set(args.classes) - set(C.SP_CLASSES))
    if unknown or not args.classes:
        raise SedvizError(f"--classes takes letters from OBAFGKM, got {args.classes!r}")
    settings = SimulationSettings(
        classes=tuple(args.classes),
        av_distribution=args.av_distribution,
        av_mag=args.av,
        extinction_law=args.law,
        noise_scale=args.noise_scale,
        missing_rates=_parse_missing(args.missing),
    )
    table = simulate_stars(args.n, args.seed, settings)
    record = {"seed": args.seed, "n_per_type": args.n, **settings.as_dict()}
    save_simulated_table(table, args.output, record)
    print(
        f"simulate: {len(table)} SIMULATED stars ({args.n} per class, "
        f"{''.join(settings.classes)}, seed {args.seed}) -> {args.output}"
    )
    return 0


def _register_train_sim(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "train-sim",
        help="train a classifier on a simulated table; score it on simulated and real stars",
    )
    p.add_argument("input", type=Path, metavar="FILE", help="table from 'sedviz simulate'")
    p.add_argument("--target", choices=TARGETS, default=C.SP_CLASS, help="(default sp_class)")
    p.add_argument("--name", help="model name (default: sim-<target>, overwritten)")
    p.add_argument("--seed", type=int, default=0, help="split and XGBoost seed (default 0)")
    p.add_argument(
        "--use-parallax",
        action="store_true",
        help="also learn from simulated parallaxes (dwarf-only M_G; hurts on real giants)",
    )
    p.add_argument("--activate", action="store_true", help="make it the active model")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument(
        "--models-dir",
        help="models folder (default: $SEDVIZ_MODELS_DIR or ~/.local/share/sedviz/models)",
    )
    p.add_argument("--catalog", help=argparse.SUPPRESS)  # another real catalogue, for tests
    p.set_defaults(func=_run_train_sim)


def _run_train_sim(args: argparse.Namespace) -> int:
    simulated = load_simulated_table(args.input)
    record = {"file": args.input.name, **load_simulation_record(args.input)}
    model = train_sim_model(
        simulated, args.target, seed=args.seed, use_parallax=args.use_parallax, simulation=record
    )
    frame = sim_to_real_frame(model, load_catalog(args.catalog), args.target, args.seed)
    model.training_["metrics_sim_to_real"] = json.loads(frame.to_json(orient="index"))
    name = args.name or f"sim-{args.target}"
    folder = save_model(
        model, name, root=args.models_dir, overwrite=args.name is None, activate=args.activate
    )
    if args.json:
        print(
            json.dumps(
                {"model": name, "folder": str(folder), **model.training_["metrics_sim_to_real"]}
            )
        )
        return 0
    print(f"{name}: {args.target}, trained on {len(simulated)} SIMULATED stars -> {folder}")
    print(frame.to_string(float_format=lambda v: f"{v:.3f}"))
    return 0
