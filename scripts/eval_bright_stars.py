"""The brightest catalogue stars with an MK type: predicted class letter against the catalogued one.

Usage: ``python scripts/eval_bright_stars.py [--n 50] [--model-sp NAME]``

Takes the *n* brightest stars (Johnson V) of the embedded catalogue whose
catalogued type has a class letter and a luminosity class (a full MK type),
classifies them with the shipped letter model on the bands each star has, and
prints one row per star. Issue 15's figure: >= 90 % of the 50 brightest right.
Most of these stars are training stars of the model (the split keeps 20 % of
every class for testing), so the figure says the model reproduces the
catalogue for naked-eye stars, including those without Gaia bands; the
held-out ones are counted separately.
"""

from __future__ import annotations

import argparse

import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.bandsets import compute_band_set_names
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import load_model
from sedviz.classifier.targets import DOMAIN_NOTE, PREDICTED_CLASS, PREDICTED_PROBABILITY
from sedviz.classifier.training import TEST, compute_split


def bright_star_frame(n: int, model_name: str | None = None) -> pd.DataFrame:
    """Return the *n* brightest MK-typed stars with their prediction and whether held out."""
    table = load_catalog()
    model = load_model(model_name, target=C.SP_CLASS)
    seed = int(model.card_["split"]["seed"])
    held_out = compute_split(table, C.SP_CLASS, seed) == TEST
    typed = (table[C.SP_CLASS] != "") & (table[C.LUM_CLASS] != "")
    stars = table.loc[typed].sort_values(C.V_MAG, kind="stable").head(n)
    pred = predict_frame(model, stars)
    return pd.DataFrame(
        {
            C.HIP: stars[C.HIP],
            C.V_MAG: stars[C.V_MAG].round(2),
            C.SP_TYPE: stars[C.SP_TYPE],
            "bands": compute_band_set_names(stars),
            "predicted": pred[PREDICTED_CLASS],
            "p": pred[PREDICTED_PROBABILITY].round(2),
            "right": pred[PREDICTED_CLASS] == stars[C.SP_CLASS],
            "held_out": held_out.loc[stars.index],
            DOMAIN_NOTE: pred[DOMAIN_NOTE],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="number of stars (default 50)")
    parser.add_argument("--model-sp", default=None, help="sp_class model (default: active)")
    args = parser.parse_args()
    frame = bright_star_frame(args.n, args.model_sp)
    print(frame.to_string(index=False))
    right, held = frame["right"], frame["held_out"]
    no_gaia = ~frame["bands"].str.contains("G")
    print(
        f"\n{int(right.sum())} of {len(frame)} right ({right.mean():.3f}); "
        f"V {frame[C.V_MAG].min():.2f} to {frame[C.V_MAG].max():.2f}; "
        f"held-out test stars: {int(right[held].sum())} of {int(held.sum())} right; "
        f"without Gaia bands: {int(right[no_gaia].sum())} of {int(no_gaia.sum())} right"
    )


if __name__ == "__main__":
    main()
