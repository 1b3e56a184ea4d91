"""Benchmark of one star's SED figure, the path of ``sedviz.ui.cache.sed_figure`` without Streamlit.

A cache miss of ``sed_figure`` (a student clicks a star nobody clicked before) runs
``build_sed_view`` (points, fit, templates), ``plot_sed_view`` (the Plotly figure; before
issue #18.12: ``plot_sed`` then ``style_sed_for_dashboard``, measured so for older
checkouts) and ``freeze`` (the JSON sent to the browser, done once). This script
times the three for ``--stars`` random catalogue stars (seeded; each with a random predicted
class letter, so most figures carry a predicted-class template), in the two variants the app
asks for: ``compact`` (the HR page's side panel) and ``full`` (the SED page: residual panel,
title). Five other stars are drawn first, untimed (imports, first-use caches).

It prints the median per star in milliseconds of CPU time of the thread
(``time.thread_time``: what the server pays, little changed by other processes) and of wall
time, and the 1-minute load average before and after. Static data caches (band tables, the
template SEDs) are warm after the first stars, as in a server that has run for a while.

``--baseline REF`` measures a git ref (e.g. ``main``) in the same run: it checks REF out in a
temporary ``git worktree``, then runs the measurement in child processes that import sedviz
from REF's checkout and from this one, alternating (REF, this, REF, this... ``--rounds``
times) so both see the same load, and prints the ratio of the medians. The worktree is
removed afterwards.

Usage::

    .venv/bin/python scripts/bench_sed_figure.py [--stars 40] [--seed 0]
    .venv/bin/python scripts/bench_sed_figure.py --baseline main [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("view", "plot", "freeze")
VARIANTS = {  # name: (residuals, compact), presentation off: the HR page and the SED page
    "compact": (False, True),
    "full": (True, False),
}
WARMUP_STARS = 5


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Return fn(), its thread CPU time and its wall time, in ms."""
    cpu, wall = time.thread_time(), time.perf_counter()
    out = fn()
    return out, (time.thread_time() - cpu) * 1e3, (time.perf_counter() - wall) * 1e3


def measure(checkout: Path, n_stars: int, seed: int) -> dict[str, Any]:
    """Time the stars through *checkout*'s sedviz; per variant and part, lists of ms per star."""
    sys.path.insert(0, str(checkout))
    import numpy as np

    import sedviz
    import sedviz.plots.sed as S
    from sedviz.catalog.tables import load_catalog
    from sedviz.plots.theme import DARK
    from sedviz.ui.frozen import freeze
    from sedviz.views.star import build_sed_view

    table = load_catalog()
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(table), n_stars + WARMUP_STARS, replace=False)
    predicted = rng.choice(list("OBAFGKM"), n_stars + WARMUP_STARS)
    load = [os.getloadavg()[0]]
    times: dict[str, dict[str, list[float]]] = {variant: {} for variant in VARIANTS}
    for i, (row, letter) in enumerate(zip(rows, predicted, strict=True)):
        for variant, (residuals, compact) in VARIANTS.items():
            # The body of sedviz.ui.cache.sed_figure.
            view, view_cpu, view_wall = _timed(
                lambda row=row, letter=letter: build_sed_view(table, int(row), str(letter), ())
            )

            def plot(view: Any = view, residuals: bool = residuals, compact: bool = compact) -> Any:
                if hasattr(S, "plot_sed_view"):  # since #18.12
                    return S.plot_sed_view(
                        view, residuals=residuals, compact=compact, presentation=False
                    )
                title = None if compact else view.title  # before: two calls, as cache.py made them
                fit_row = {str(key): value for key, value in view.fit.items()}
                fig = S.plot_sed(
                    view.points, fit_row, view.templates, residuals=residuals, title=title,
                    template=DARK,
                )  # fmt: skip
                S.style_sed_for_dashboard(fig, compact=compact, presentation=False)
                return fig

            fig, plot_cpu, plot_wall = _timed(plot)
            _, freeze_cpu, freeze_wall = _timed(lambda fig=fig: freeze(fig))
            if i < WARMUP_STARS:
                continue
            parts = {"view": (view_cpu, view_wall), "plot": (plot_cpu, plot_wall),
                     "freeze": (freeze_cpu, freeze_wall)}  # fmt: skip
            parts["total"] = (view_cpu + plot_cpu + freeze_cpu, view_wall + plot_wall + freeze_wall)
            for part, (cpu, wall) in parts.items():
                times[variant].setdefault(f"{part} cpu", []).append(cpu)
                times[variant].setdefault(f"{part} wall", []).append(wall)
    load.append(os.getloadavg()[0])
    return {"sedviz": sedviz.__file__, "load": load, "times": times}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def report(label: str, runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Print the medians of *runs* (pooled) and return them per variant and part."""
    out: dict[str, dict[str, float]] = {}
    loads = [f"{a:.2f}->{b:.2f}" for a, b in (run["load"] for run in runs)]
    print(f"{label}: {runs[0]['sedviz']}  (load average 1 min: {', '.join(loads)})")
    for variant in VARIANTS:
        pooled = {
            key: [v for run in runs for v in run["times"][variant][key]]
            for key in runs[0]["times"][variant]
        }
        out[variant] = {key: _median(values) for key, values in pooled.items()}
        cells = "  ".join(
            f"{part} {out[variant][f'{part} cpu']:6.1f} ({out[variant][f'{part} wall']:6.1f})"
            for part in (*PARTS, "total")
        )
        print(f"  {variant:8s} {cells}")
    return out


def _child(checkout: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(checkout),
               "--stars", str(args.stars), "--seed", str(args.seed)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=checkout)
    if done.returncode:
        raise SystemExit(f"measuring {checkout} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def compare(args: argparse.Namespace) -> None:
    """Measure *args.baseline* and this checkout alternately, and print the ratio."""
    folder = Path(tempfile.mkdtemp(prefix="sedviz-bench-")) / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet",
                    str(folder), args.baseline], check=True)  # fmt: skip
    try:
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                                check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
        old: list[dict[str, Any]] = []
        new: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            old.append(_child(folder, args))
            new.append(_child(ROOT, args))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
                       check=True)  # fmt: skip
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    print(f"SED figure per star: median of {args.stars} stars (seed {args.seed}) x {args.rounds} "
          f"rounds, ms of CPU (wall); parts: view = build_sed_view, plot = plot_sed_view (before: "
          f"plot_sed + style_sed_for_dashboard), freeze = sedviz.ui.frozen.freeze")  # fmt: skip
    before = report(f"baseline {args.baseline} ({commit})", old)
    after = report(f"this checkout ({head}{', uncommitted changes' if _dirty() else ''})", new)
    print("ratio baseline / this (CPU):")
    for variant in VARIANTS:
        cells = "  ".join(
            f"{part} {before[variant][f'{part} cpu'] / after[variant][f'{part} cpu']:5.2f}x"
            for part in (*PARTS, "total")
        )
        print(f"  {variant:8s} {cells}")


def _dirty() -> bool:
    status = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "sedviz"],
                            check=True, capture_output=True, text=True).stdout  # fmt: skip
    return bool(status.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stars", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", help="a git ref to measure in the same run (e.g. main)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations with --baseline")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.stars, args.seed)))
    elif args.baseline:
        compare(args)
    else:
        runs = [_child(ROOT, args)]
        print(f"SED figure per star: median of {args.stars} stars (seed {args.seed}), ms of CPU "
              f"(wall)")  # fmt: skip
        report("this checkout", runs)


if __name__ == "__main__":
    main()
