"""Time ``python -m sedviz star`` answering 50 bright-star names in one call (issue 15: <= 5 s).

Runs the command in a fresh subprocess (start-up, catalogue load, name index, both
default models and the SED fit included) several times and prints the median wall time,
its CPU time (user + system: what the call costs on an idle machine), how many names were
found, and the machine's core count and load average (the machine may be shared). The 50 names are real naked-eye stars written in the
forms a teacher types: proper names, Bayer (abbreviated, Greek letter, Latin genitive),
Flamsteed, HIP, HD and HR numbers. Usage::

    .venv/bin/python scripts/bench_star_cli.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: 50 real bright stars in mixed forms.
NAMES: tuple[str, ...] = (
    "Sirius", "Canopus", "Arcturus", "Vega", "Capella", "Rigel", "Procyon", "Betelgeuse",
    "Achernar", "Altair", "Aldebaran", "Antares", "Spica", "Pollux", "Fomalhaut", "Deneb",
    "Regulus", "Adhara", "Castor", "Bellatrix", "Polaris", "Alnilam", "Alnitak", "Mintaka",
    "Saiph", "Mizar", "Dubhe", "Alioth", "Algol", "Mirfak",
    "alf Lyr", "α Ori", "Alpha Centauri", "alpha Cen B", "bet Ori", "Gamma Orionis",
    "alf1 Cru", "del Ori", "eps Ori", "zet Ori", "alf UMi", "Beta Persei",
    "61 Cyg", "61 Cygni B", "58 Ori", "HIP 91262", "HD 48915", "HR 2061",
    "Gaia DR3 1872046609345556480", "eta UMa",
)  # fmt: skip


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(extra: list[str]) -> tuple[float, float, list[dict[str, object]]]:
    """Wall seconds, CPU seconds and parsed JSON of one ``star --json`` call on :data:`NAMES`."""
    cmd = [sys.executable, "-m", "sedviz", "star", "--json", *extra, *NAMES]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu = _children_cpu_s()
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 2):
        raise SystemExit(f"star failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, _children_cpu_s() - cpu, json.loads(done.stdout)


def stage_cpu_s(catalog: str | None) -> dict[str, float]:
    """CPU seconds of each stage of one ``star`` call, measured in this (fresh) process."""
    marks = [("start", time.process_time())]
    import pandas  # noqa: F401

    marks.append(("import pandas", time.process_time()))
    from sedviz.catalog.names import resolve_star_names
    from sedviz.catalog.tables import load_catalog
    from sedviz.cli.star import star_facts_frame

    marks.append(("import sedviz (names, CLI)", time.process_time()))
    table = load_catalog(catalog)
    marks.append(("read the catalogue", time.process_time()))
    found = resolve_star_names(table, NAMES)
    marks.append(("name index + 50 look-ups", time.process_time()))
    import xgboost  # noqa: F401

    marks.append(("import xgboost (+ scikit-learn, SciPy)", time.process_time()))
    rows = list(dict.fromkeys(int(r) for r in found["row"] if r >= 0))
    star_facts_frame(table.iloc[rows].set_axis(rows))
    marks.append(("2 models + SED fit", time.process_time()))
    return {name: t - marks[i][1] for i, (name, t) in enumerate(marks[1:])}


def main() -> None:
    """Print the machine, the median / min / max seconds, and the names not found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs (5)")
    parser.add_argument("--catalog", help="another catalogue file (default: the embedded one)")
    parser.add_argument("--stages", action="store_true", help=argparse.SUPPRESS)  # child run
    args = parser.parse_args()
    if args.stages:
        print(json.dumps(stage_cpu_s(args.catalog)))
        return
    extra = ["--catalog", args.catalog] if args.catalog else []
    assert len(NAMES) == 50
    run_once(extra)  # warm-up: the OS file cache, as for any second call
    load1, load5, _ = os.getloadavg()
    times, cpus, stars = [], [], []
    for _ in range(args.runs):
        seconds, cpu, stars = run_once(extra)
        times.append(seconds)
        cpus.append(cpu)
    missing = [s["query"] for s in stars if "error" in s]
    print(f"cores: {os.cpu_count()}; load average 1/5 min: {load1:.2f}/{load5:.2f}")
    print(
        f"star with {len(NAMES)} names: median {statistics.median(times):.2f} s wall "
        f"(min {min(times):.2f}, max {max(times):.2f}), median {statistics.median(cpus):.2f} s "
        f"CPU, over {args.runs} runs; {len(NAMES) - len(missing)} of {len(NAMES)} found"
    )
    if missing:
        print("not found: " + ", ".join(map(str, missing)))
    child = [sys.executable, __file__, "--stages", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(child, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    stages = json.loads(done.stdout)
    print("CPU per stage (one call): " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))


if __name__ == "__main__":
    main()
