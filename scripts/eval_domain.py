"""Accuracy and calibration in and out of the classifier's domain (issue 15, item 4).

Usage: ``OMP_WAIT_POLICY=PASSIVE python scripts/eval_domain.py [--skip-holdout | --only-holdout]``

1. **Shipped models, held-out stars.** The test stars of the recorded split with
   every band, then with Gaia removed: share flagged in domain, accuracy and ECE
   (expected calibration error of the top probability) for the stars in and out.
2. **Faint and distant stars never trained on.** An ``sp_class`` model is
   trained (library defaults, same split) *without* the faint (V > 9.5) and the
   certainly distant (parallax + 2 sigma < 3 mas, beyond 333 pc) stars; its
   domain flags and its accuracy / ECE are then measured on the held-out test
   stars of that region and of the rest. This is how stars fainter and farther
   than everything the model learned behave.
3. **astroquery's recorded Gaia DR3 cone** (``tests/data/archive/
   astroquery_gaia_cone_search.json``: 50 real stars, G 16-21; no labels): how
   many the shipped models put out of domain, and their notes.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.bandsets import drop_band_groups
from sedviz.classifier.domain import DOMAIN_NOTE, IN_DOMAIN
from sedviz.classifier.metrics import compute_metrics
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import load_model
from sedviz.classifier.targets import (
    PREDICTED_CLASS,
    TARGET_CLASSES,
    compute_target_labels,
    prob_column,
)
from sedviz.classifier.training import TEST, compute_split, train_model

CONE = Path(__file__).parents[1] / "tests" / "data" / "archive" / "astroquery_gaia_cone_search.json"
FAINT_V = 9.5
FAR_PARALLAX_MAS = 3.0


def score_in_and_out(model: StarClassifier, stars: pd.DataFrame, target: str) -> dict[str, Any]:
    """Return n, share in domain, and accuracy / ECE for the stars in and out of domain."""
    labels = compute_target_labels(stars, target)
    stars = stars.loc[(labels != "").to_numpy()]
    labels = labels[(labels != "").to_numpy()]
    pred = predict_frame(model, stars)
    usable = (pred[PREDICTED_CLASS] != "").to_numpy()
    classes = TARGET_CLASSES[target]
    proba = np.column_stack(
        [pred.get(prob_column(c), pd.Series(0.0, index=pred.index)).to_numpy() for c in classes]
    )
    inside = pred[IN_DOMAIN].to_numpy(dtype=bool)
    out: dict[str, Any] = {"n": len(stars), "in_domain": float(inside.mean()) if len(stars) else 0}
    for name, mask in (("in", inside & usable), ("out", ~inside & usable)):
        if mask.sum() == 0:
            out[name] = {"n": 0}
            continue
        m = compute_metrics(labels[mask], pred[PREDICTED_CLASS][mask], classes, proba[mask])
        out[name] = {
            "n": int(mask.sum()),
            "accuracy": m["accuracy"],
            "ece": m["ece"],
            "mean_p": float(proba[mask].max(axis=1).mean()),
        }
    return out


def _row(name: str, r: dict[str, Any]) -> str:
    cells = [name, f"{r['n']:,}", f"{r['in_domain']:.3f}"]
    for side in ("in", "out"):
        s = r[side]
        if s["n"] == 0:
            cells += ["0", "—", "—", "—"]
        else:
            cells += [
                f"{s['n']:,}",
                f"{s['accuracy']:.3f}",
                f"{s['ece']:.3f}",
                f"{s['mean_p']:.3f}",
            ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| stars | n | share in domain | n in | accuracy in | ECE in | mean p in "
    "| n out | accuracy out | ECE out | mean p out |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def shipped_models(table: pd.DataFrame) -> None:
    for target in (C.SP_CLASS, C.LUM_CLASS):
        model = load_model(None, target=target)
        test = table.loc[(compute_split(table, target, 0) == TEST).to_numpy()]
        print(f"\n{target} ({model.card_['name']}), held-out test stars\n{HEADER}")
        print(_row("all bands", score_in_and_out(model, test, target)))
        print(_row("no Gaia", score_in_and_out(model, drop_band_groups(test, ("gaia",)), target)))


def held_out_region(table: pd.DataFrame) -> None:
    v = pd.to_numeric(table[C.V_MAG], errors="coerce")
    err = table[C.PARALLAX_ERROR].fillna(table[C.HIP_PARALLAX_ERROR])
    far = (table[C.PARALLAX] + 2 * err) < FAR_PARALLAX_MAS
    region = ((v > FAINT_V) | far).to_numpy()
    ids = pd.DataFrame({C.SOURCE_ID: table.loc[region, C.SOURCE_ID].to_numpy()})
    model = train_model(table, C.SP_CLASS, {"n_jobs": 2}, exclude=ids)
    test = (compute_split(table, C.SP_CLASS, 0) == TEST).to_numpy()
    print(
        f"\nsp_class model trained without V > {FAINT_V} or parallax + 2 sigma < "
        f"{FAR_PARALLAX_MAS} mas ({int(region.sum()):,} stars left out)\n{HEADER}"
    )
    print(
        _row(
            "test stars like the training ones",
            score_in_and_out(model, table.loc[test & ~region], C.SP_CLASS),
        )
    )
    print(
        _row(
            "test stars faint or distant (never trained on)",
            score_in_and_out(model, table.loc[test & region], C.SP_CLASS),
        )
    )


def load_cone_table() -> pd.DataFrame:
    """The recorded Gaia archive JSON answer as a DataFrame (nulls become NaN)."""
    doc = json.loads(CONE.read_text())
    names = [meta["name"] for meta in doc["metadata"]]
    frame = pd.DataFrame(doc["data"], columns=names)
    for meta in doc["metadata"]:
        if meta["datatype"] in ("long", "int", "short", "double", "float"):
            frame[meta["name"]] = pd.to_numeric(frame[meta["name"]], errors="coerce")
    return frame


def gaia_cone() -> None:
    table = load_cone_table()
    for target in (C.SP_CLASS, C.LUM_CLASS):
        pred = predict_frame(load_model(None, target=target), table)
        out = ~pred[IN_DOMAIN]
        notes = Counter(
            part.split(" (")[0] for note in pred[DOMAIN_NOTE] for part in note.split("; ") if part
        )
        g = table[C.G_MAG]
        print(
            f"\nGaia cone (G {g.min():.1f}-{g.max():.1f}), {target}: {int(out.sum())} of "
            f"{len(table)} out of domain; reasons: "
            + ", ".join(f"{k} ({v})" for k, v in notes.most_common())
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-holdout", action="store_true", help="skip the extra training")
    parser.add_argument("--only-holdout", action="store_true", help="only the extra training")
    args = parser.parse_args()
    table = load_catalog()
    if not args.only_holdout:
        shipped_models(table)
        gaia_cone()
    if not args.skip_holdout:
        held_out_region(table)


if __name__ == "__main__":
    main()
