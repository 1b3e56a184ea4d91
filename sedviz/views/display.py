"""Tables as they are shown: identifiers as text.

A browser keeps numbers as 64-bit floats, exact only up to 2^53 (about 9e15);
19-digit Gaia DR3 ``source_id`` values are larger, so a table of them as
numbers shows rounded ids with a warning on every cell. Shown as text, they
are exact and can be copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd

from sedviz import columns as C

#: Identifier columns shown as text.
ID_COLUMNS: Final[tuple[str, ...]] = (C.SOURCE_ID,)


def ids_as_text(frame: pd.DataFrame, columns: Sequence[str] = ID_COLUMNS) -> pd.DataFrame:
    """Return *frame* with its id *columns* as text (``""`` where missing); a new frame.

    >>> ids_as_text(pd.DataFrame({"source_id": [4295806720123456789]}))["source_id"][0]
    '4295806720123456789'
    """
    present = [c for c in columns if c in frame.columns]
    if not present:
        return frame
    out = frame.copy()
    for name in present:
        values = pd.to_numeric(out[name], errors="coerce").astype("Int64")
        out[name] = values.astype("string").fillna("")
    return out
