"""Write tests/data/sed/figures.json: the SED figures of a few stars as the app sends them.

The cases (bright named stars without Gaia, giants with and without Gaia, a star with no
blackbody fit, an archive row without HIP; the HR page's compact figure and the SED page's
full one) are in ``tests/sed_figure_cases.py``. The fixture was written with the code
before the speed-ups of issue #18.12 (``main`` at edbb1de) and ``tests/test_sed_figure_fixture.py``
checks every later version builds the same records. Rewrite it only for an intended change
of the figure, and say why in the commit. Usage::

    python scripts/make_sed_figure_fixture.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's sedviz and tests, before any installed one

from tests.sed_figure_cases import FIXTURE, build_records  # noqa: E402


def main() -> None:
    """Write the fixture and say how large it is."""
    records = build_records()
    lines = [json.dumps(record, separators=(",", ":")) for record in records]
    FIXTURE.write_text("[\n" + ",\n".join(lines) + "\n]\n")  # one figure per line
    print(f"wrote {len(records)} figures, {FIXTURE.stat().st_size / 1e3:.0f} kB -> {FIXTURE}")


if __name__ == "__main__":
    main()
