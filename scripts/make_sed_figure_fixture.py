"""Write tests/data/sed/figures.json: the SED figures of a few stars as the app sends them.

The cases (bright named stars without Gaia, giants with and without Gaia, a star with no
blackbody fit, an archive row without HIP; the HR page's compact figure and the SED page's
full one) are in ``tests/sed_figure_cases.py``. The fixture was written with the code
before the speed-ups of issue #18.12 (``main`` at 54085f8) and ``tests/test_sed_figure_fixture.py``
checks every later version builds the same records. Rewrite it only for an intended change
of the figure, and say why in the commit; record the code before a speed-up with
``--checkout`` (a ``git worktree`` of the older commit). Usage::

    python scripts/make_sed_figure_fixture.py [--checkout ../sedviz-old]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Write the fixture and say how large it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="record the sedviz of this checkout (e.g. a worktree of main)")  # fmt: skip
    args = parser.parse_args()
    sys.path.insert(0, str(args.checkout.resolve()))  # its sedviz, before any installed one
    # The cases of this checkout, by file: an older checkout's tests/ has none.
    spec = importlib.util.spec_from_file_location("cases", ROOT / "tests" / "sed_figure_cases.py")
    assert spec is not None and spec.loader is not None
    cases = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = cases  # dataclasses look their module up there
    spec.loader.exec_module(cases)
    import sedviz

    records = cases.build_records()
    lines = [json.dumps(record, separators=(",", ":")) for record in records]
    cases.FIXTURE.write_text("[\n" + ",\n".join(lines) + "\n]\n")  # one figure per line
    size_kb = cases.FIXTURE.stat().st_size / 1e3
    print(f"{sedviz.__file__}: wrote {len(records)} figures, {size_kb:.0f} kB -> {cases.FIXTURE}")


if __name__ == "__main__":
    main()
