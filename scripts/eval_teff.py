"""Accuracy of the SED temperatures on the embedded catalogue (A-K dwarfs).

For every star with luminosity class V and class A, F, G or K with a subclass,
compare the fitted Teff with the Pecaut & Mamajek Teff of its catalogued type
(interpolated in subclass) and print the median fractional error and the
median bias, per method, per band set and per class. Usage::

    .venv/bin/python scripts/eval_teff.py [--catalog PATH]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.sed.fit import DEFAULT_FIT_BANDS, compute_sed_fit
from sedviz.sed.templates import compute_teff_empirical, compute_teff_of_type

BAND_SETS: dict[str, tuple[str, ...]] = {
    "default": DEFAULT_FIT_BANDS,
    "all optical": ("BT", "B", "BP", "VT", "Hp", "V", "G", "RP", "I"),
    "no blue (V..I)": ("VT", "Hp", "V", "G", "RP", "I"),
    "Gaia only": ("BP", "G", "RP"),
}


def _summary(name: str, teff: pd.Series, ref: pd.Series, cls: pd.Series) -> dict[str, object]:
    frac = (teff - ref) / ref
    row: dict[str, object] = {
        "method": name,
        "n": int(frac.notna().sum()),
        "median abs(dT)/T": float(np.nanmedian(np.abs(frac))),
        "median bias": float(np.nanmedian(frac)),
    }
    for letter in ("A", "F", "G", "K"):
        part = frac[cls == letter]
        row[f"{letter}: abs(dT)/T, bias"] = (
            f"{np.nanmedian(np.abs(part)):.3f}, {np.nanmedian(part):+.3f}"
        )
    return row


def main() -> None:
    """Print the accuracy table (markdown) for the A-K dwarfs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default=None, help="star table (default: embedded)")
    args = parser.parse_args()
    table = load_catalog(args.catalog)
    dwarfs = table[
        (table[C.LUM_CLASS] == "V")
        & table[C.SP_CLASS].isin(["A", "F", "G", "K"])
        & table[C.SP_SUBCLASS].notna()
    ]
    ref = pd.Series(compute_teff_of_type(dwarfs[C.SP_CLASS], dwarfs[C.SP_SUBCLASS]), dwarfs.index)
    cls = dwarfs[C.SP_CLASS]
    rows = []
    for name, bands in BAND_SETS.items():
        fit = compute_sed_fit(dwarfs, bands)
        rows.append(_summary(f"blackbody, {name}", fit[C.TEFF], ref, cls))
    emp = compute_teff_empirical(dwarfs)
    rows.append(_summary("Pecaut & Mamajek colour-Teff", emp[C.TEFF_EMPIRICAL], ref, cls))
    fitted = compute_sed_fit(table)[C.SED_FIT_STATUS].eq("ok").mean()
    print(f"all {len(table)} stars: blackbody fit possible for {fitted:.2%}")
    print(f"A-K dwarfs (lum_class V) in the catalogue: {len(dwarfs)}")
    print(format_markdown(pd.DataFrame(rows)))


def format_markdown(frame: pd.DataFrame) -> str:
    """A markdown table of *frame* (floats to 3 decimals), without extra dependencies."""
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in frame.values]
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * frame.shape[1]]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


if __name__ == "__main__":
    main()
