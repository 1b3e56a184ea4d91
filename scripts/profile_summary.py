"""Summarise a py-spy profile of the app server: where its CPU goes, by inclusive share.

Record the server while ``scripts/load_test.py`` drives it, then summarise::

    py-spy record -p PID -d 60 -r 50 --nonblocking --format raw -o prof.txt
    python scripts/profile_summary.py prof.txt --top 25

py-spy's raw format is one collapsed stack per line (``frame;frame;... count``);
without ``--idle`` py-spy records only threads that are running, so the shares
are of the busy samples. A frame's *inclusive* share
counts every busy sample with the frame anywhere on the stack (once per sample);
*self* counts samples where it is the innermost frame.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path


def _frame_name(frame: str) -> str:
    """``func (path/to/module.py:123)`` -> ``func (module.py)``: one row per function."""
    match = re.match(r"^(.*?) \((.*?)(?::\d+)?\)$", frame.strip())
    if not match:
        return frame.strip()
    func, path = match.groups()
    parts = Path(path).parts
    short = "/".join(parts[-2:]) if len(parts) > 1 else path
    return f"{func} ({short})"


def summarise(lines: list[str]) -> tuple[int, Counter[str], Counter[str]]:
    """Return busy samples, inclusive and self counts per function."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    busy = 0
    for line in lines:
        stack, _, count_text = line.rstrip().rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = [_frame_name(f) for f in stack.split(";") if f]
        if not frames:
            continue
        count = int(count_text)
        busy += count
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count
    return busy, inclusive, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profiles", nargs="+", type=Path, help="py-spy --format raw files")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only functions whose row contains this")
    args = parser.parse_args()
    lines = [line for path in args.profiles for line in path.read_text().splitlines()]
    busy, inclusive, own = summarise(lines)
    print(f"{busy} busy samples")
    for title, counts in (("inclusive", inclusive), ("self", own)):
        print(f"\n{title:>9}  function")
        rows = [(n, c) for n, c in counts.most_common() if args.match in n][: args.top]
        for name, count in rows:
            print(f"{100 * count / max(busy, 1):8.1f}%  {name}")


if __name__ == "__main__":
    main()
