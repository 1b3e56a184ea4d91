"""Classify the Pecaut & Mamajek mean dwarf sequence, B9V to K9V, with and without Gaia bands.

Usage: ``python scripts/eval_pm_sequence.py [--model-sp NAME] [--model-lum NAME]``

Each dwarf type of ``MeanStars/EEM_dwarf_UBVIJHK_colors_Teff.txt`` (the
``meanstars`` package, version 2022.04.16 of the table) becomes one star at
10 pc: V = Mv, parallax 100 mas with a Hipparcos-like error of 1 mas, no proper
motion, at RA 180 deg, Dec 0 deg (Galactic latitude +60 deg). Bands are those
of the table: B-V, V-Ic, BT/VT (from Bt-Vt and V = VT - 0.090 (BT - VT)),
G/BP/RP (from G-V, Bp-Rp, G-Rp; the table's Gaia colours are Gaia **DR2**, the
catalogue's are DR3: ``scripts/eval_pm_limits.py`` measures what that does);
Hp is not in the table. The table's U-B is given only in the separate
``all bands + U-B`` row: the three band sets of issue 15 leave it out, as a
list typed in by a teacher rarely has it (7,136 catalogue stars do, from the
Bright Star Catalogue). These are empirical mean colours per type, not
measurements of a star: the check is that the classifier reads a dwarf's
colours and luminosity the way the sequence defines them, on the band sets a
teacher's list would have.

Band sets: ``all bands`` (Gaia, Tycho, V, B-V, V-Ic); ``no Gaia`` (V, B-V,
V-Ic, BT/VT, parallax); ``Johnson + parallax`` (V, B-V, V-Ic, parallax: the
issue's case); ``all bands + U-B`` (not an issue target).
The targets of issue 15: no Gaia >= 85 % of the B9V..K9V letters right, all
bands >= 95 %.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.classifier.bandsets import drop_band_groups
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import load_model
from sedviz.classifier.targets import PREDICTED_CLASS
from sedviz.sed.templates import load_mamajek_table

#: Band sets of issue 15 (name -> band groups removed); none has the table's U-B.
BAND_SETS: dict[str, tuple[str, ...]] = {
    "all bands": (),
    "no Gaia": ("gaia",),
    "Johnson + parallax": ("gaia", "tycho"),
}
#: One more row: every band of the table, U-B included (not an issue target).
WITH_U_B = "all bands + U-B"
FIRST_TYPE, LAST_TYPE = "B9V", "K9V"
PARALLAX_MAS, PARALLAX_ERROR_MAS = 100.0, 1.0


def build_pm_sequence_table(*, with_u_b: bool = False) -> pd.DataFrame:
    """Return one star per dwarf type B9V..K9V (columns: star-table names, ``sp_type``).

    *with_u_b* adds the table's U-B (Johnson ``u_b``); the issue's band sets leave it out.
    """
    t = load_mamajek_table()
    spt = t["spt"].tolist()
    t = t.iloc[spt.index(FIRST_TYPE) : spt.index(LAST_TYPE) + 1].reset_index(drop=True)
    v = t["Mv"].to_numpy(dtype=float)
    vt = v + 0.090 * t["Bt-Vt"].to_numpy(dtype=float)
    g = v + t["G-V"].to_numpy(dtype=float)
    rp = g - t["G-Rp"].to_numpy(dtype=float)
    stars = pd.DataFrame(
        {
            C.SOURCE_ID: np.arange(1, len(t) + 1, dtype=np.int64),
            C.RA: 180.0,
            C.DEC: 0.0,
            C.PARALLAX: PARALLAX_MAS,
            C.PARALLAX_ERROR: PARALLAX_ERROR_MAS,
            C.G_MAG: g,
            C.BP_MAG: rp + t["Bp-Rp"].to_numpy(dtype=float),
            C.RP_MAG: rp,
            C.BT_MAG: vt + t["Bt-Vt"].to_numpy(dtype=float),
            C.VT_MAG: vt,
            C.V_MAG: v,
            C.B_V: t["B-V"].to_numpy(dtype=float),
            C.V_I: t["V-Ic"].to_numpy(dtype=float),
            C.SP_TYPE: t["spt"].to_numpy(),
            C.SP_CLASS: t["spt"].str[0].to_numpy(),
        }
    )
    if with_u_b:
        stars[C.U_B] = t["U-B"].to_numpy(dtype=float)
    return stars


def _band_sets() -> list[tuple[str, tuple[str, ...], bool]]:
    """Return (name, band groups removed, U-B given) for every row scored."""
    return [(name, groups, False) for name, groups in BAND_SETS.items()] + [(WITH_U_B, (), True)]


def score_pm_sequence(model: StarClassifier) -> pd.DataFrame:
    """Return one row per band set: types, letters right, share right, and the misses."""
    rows = []
    for name, groups, with_u_b in _band_sets():
        stars = build_pm_sequence_table(with_u_b=with_u_b)
        pred = predict_frame(model, drop_band_groups(stars, groups))[PREDICTED_CLASS]
        right = pred.to_numpy() == stars[C.SP_CLASS].to_numpy()
        misses = [
            f"{t}->{p}" for t, p, ok in zip(stars[C.SP_TYPE], pred, right, strict=True) if not ok
        ]
        rows.append(
            {
                "band set": name,
                "types": len(stars),
                "right": int(right.sum()),
                "share": float(right.mean()),
                "misses": ", ".join(misses),
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-sp", default=None, help="sp_class model (default: active)")
    parser.add_argument("--model-lum", default=None, help="lum_class model (default: active)")
    args = parser.parse_args()
    frame = score_pm_sequence(load_model(args.model_sp, target=C.SP_CLASS))
    print("| band set | types | letter right | share | misses |\n|---|---|---|---|---|")
    for _, r in frame.iterrows():
        print(
            f"| {r['band set']} | {r['types']} | {r['right']} | {r['share']:.3f} | {r['misses']} |"
        )
    lum = load_model(args.model_lum, target=C.LUM_CLASS)
    for name, groups, with_u_b in _band_sets():
        stars = build_pm_sequence_table(with_u_b=with_u_b)
        pred = predict_frame(lum, drop_band_groups(stars, groups))[PREDICTED_CLASS]
        print(f"luminosity, {name}: {int((pred == 'V').sum())} of {len(stars)} called V (dwarf)")


if __name__ == "__main__":
    main()
