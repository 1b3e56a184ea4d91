"""Why the Pecaut & Mamajek B9V..K9V check stops short of issue 15's 95 %: six measurements.

Usage: ``python scripts/eval_pm_limits.py`` (shipped letter model, about a minute).

1. **Gaia DR2 against DR3.** The table's G/BP/RP colours are Gaia DR2, the
   catalogue's DR3. In one photometric system G - RP is a tight function of
   BP - RP; the script fits the catalogue's DR3 relation (the secure
   Hipparcos-Gaia pairs, degree 4, clipped at 0.1 mag) and prints how far each
   P&M type lies from it.
2. **Bound on any constant DR2 -> DR3 offset.** G, BP and RP of every type are
   shifted by the same amounts (a grid of 0.01 mag steps) and the all-band
   count is taken over the grid: within +-0.01 mag and within +-0.05 mag. This
   searches on the 43 points on purpose, as an upper bound only; no shift is
   adopted.
3. **The evaluation star's VT.** The check sets VT = V + 0.090 (BT - VT); the
   catalogue's own median V - VT per 0.1 mag of BT - VT (stars with Tycho
   errors below 0.02 / 0.03 mag) minus that rule.
4. **What the catalogue's own labels say** about the colours of each type the
   model misses: letters of the catalogue stars within 0.03 mag in B - V and
   V - I and 0.3 mag in M_V (Johnson, the system the table and catalogue share).
5. **Position.** The table has none; the check puts every type at RA 180 deg,
   Dec 0 deg (l = 276.3 deg, b = +60.2 deg). The counts at other latitudes, same l.
6. **Per-class bias fitted on validation.** One logit offset per class added to
   the shipped model's log-probabilities, fitted by log-loss on the MK-typed
   validation stars (their all-band and no-Gaia versions pooled; never on test,
   never on P&M), then scored on validation, test and P&M.
"""

from __future__ import annotations

import itertools

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import SkyCoord
from eval_pm_sequence import BAND_SETS, build_pm_sequence_table
from scipy.optimize import minimize
from sklearn.metrics import balanced_accuracy_score

from sedviz import columns as C
from sedviz.catalog.johnson_gaia import fit_clipped_polynomial, in_relation_range
from sedviz.catalog.tables import load_catalog
from sedviz.classifier.bandsets import drop_band_groups
from sedviz.classifier.features import compute_features
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.registry import load_model
from sedviz.classifier.targets import compute_target_labels
from sedviz.classifier.training import VALIDATION, compute_split

LOCUS_CLIP_MAG = 0.1
SHIFT_STEP_MAG = 0.01
BOX = {"b_v": 0.03, "v_i": 0.03, "abs_v": 0.3}
LATITUDES_DEG = (0.0, 30.0, 90.0)


def _count(model: StarClassifier, stars: pd.DataFrame, groups: tuple[str, ...] = ()) -> np.ndarray:
    """Return letters right per star (bool) for *stars* with band *groups* removed."""
    feats = compute_features(drop_band_groups(stars, groups))
    pred = np.asarray(model.classes_)[model.predict_proba(feats).argmax(1)]
    return pred == stars[C.SP_CLASS].to_numpy()


def dr2_offsets(cat: pd.DataFrame, pm: pd.DataFrame) -> None:
    ok = (cat[C.SOURCE_ID] > 0) & (cat[C.MATCH_SEP_ARCSEC] < 0.3) & in_relation_range(cat[C.V_I])
    bp_rp = (cat.loc[ok, C.BP_MAG] - cat.loc[ok, C.RP_MAG]).to_numpy(float)
    g_rp = (cat.loc[ok, C.G_MAG] - cat.loc[ok, C.RP_MAG]).to_numpy(float)
    fit = fit_clipped_polynomial(bp_rp, g_rp, clip=LOCUS_CLIP_MAG)
    pm_bp_rp = (pm[C.BP_MAG] - pm[C.RP_MAG]).to_numpy(float)
    resid = (pm[C.G_MAG] - pm[C.RP_MAG]).to_numpy(float) - np.polynomial.polynomial.polyval(
        pm_bp_rp, fit.coefficients
    )
    print(f"## 1. P&M (DR2) G-RP minus the catalogue's DR3 G-RP(BP-RP) ({fit.n_kept:,} pairs,")
    print(f"robust scatter {fit.scatter:.4f} mag)\n")
    print("| types | n | min | median | max |\n|---|---|---|---|---|")
    letters = pm[C.SP_TYPE].str[0].to_numpy()
    for group in ("BA", "F", "G", "K"):
        r = resid[np.isin(letters, list(group))]
        print(
            f"| {'/'.join(group)} | {len(r)} | {r.min():+.3f} | {np.median(r):+.3f} | {r.max():+.3f} |"
        )


def shift_bound(model: StarClassifier, pm: pd.DataFrame) -> None:
    steps = np.round(np.arange(-0.05, 0.05 + 1e-9, SHIFT_STEP_MAG), 3)
    shifts = list(itertools.product(steps, steps, steps))
    frames = []
    for dg, dbp, drp in shifts:
        s = pm.copy()
        s[C.G_MAG] += dg
        s[C.BP_MAG] += dbp
        s[C.RP_MAG] += drp
        frames.append(s)
    right = _count(model, pd.concat(frames, ignore_index=True)).reshape(len(shifts), len(pm))
    counts = right.sum(1)
    small = np.array([max(abs(x) for x in s) <= 0.01 + 1e-9 for s in shifts])
    print("\n## 2. All-band count with G, BP, RP shifted by constants (0.01 mag grid)\n")
    print("| shifts | combinations | fewest right | most right |\n|---|---|---|---|")
    print(
        f"| each within +-0.01 mag | {small.sum()} | {counts[small].min()} | {counts[small].max()} |"
    )
    print(f"| each within +-0.05 mag | {len(shifts)} | {counts.min()} | {counts.max()} |")
    best = int(np.argmax(counts))
    misses = [t for t, ok in zip(pm[C.SP_TYPE], right[best], strict=True) if not ok]
    shift = ", ".join(f"{x:+.2f}" for x in shifts[best])
    print(f"\nBest shift (G, BP, RP) = ({shift}) mag: still missed {', '.join(misses)}")


def vt_rule(cat: pd.DataFrame) -> None:
    good = (cat[C.VT_MAG_ERROR] < 0.02) & (cat[C.BT_MAG_ERROR] < 0.03) & cat[C.V_MAG].notna()
    bt_vt = (cat.loc[good, C.BT_MAG] - cat.loc[good, C.VT_MAG]).to_numpy(float)
    v_vt = (cat.loc[good, C.V_MAG] - cat.loc[good, C.VT_MAG]).to_numpy(float)
    edges = np.round(np.arange(-0.2, 1.9 + 1e-9, 0.1), 1)
    which = np.digitize(bt_vt, edges)
    resid = [np.median(v_vt[which == i] + 0.090 * bt_vt[which == i]) for i in range(1, len(edges))]
    print(f"\n## 3. Catalogue V - VT minus the rule -0.090 (BT - VT) ({int(good.sum()):,} stars)\n")
    print(f"BT - VT {edges[0]}..{edges[-1]} in 0.1 mag bins: median residual from ", end="")
    print(f"{min(resid):+.4f} to {max(resid):+.4f} mag")


def neighbours(cat: pd.DataFrame, feats: pd.DataFrame, pm: pd.DataFrame, types: list[str]) -> None:
    fp = compute_features(pm)
    labels = cat[C.SP_CLASS]
    mk = (cat[C.LUM_CLASS] != "") & labels.isin(C.SP_CLASSES)
    print("\n## 4. Catalogue MK-typed stars with the colours and M_V of each type\n")
    print("| P&M type | stars | letters (count) |\n|---|---|---|")
    for typ in types:
        i = pm.index[pm[C.SP_TYPE] == typ][0]
        box = mk.copy()
        for col, half in BOX.items():
            box &= (feats[col] - fp.loc[i, col]).abs() < half
        vc = labels[box].value_counts()
        print(f"| {typ} | {int(box.sum())} | {', '.join(f'{k} {v}' for k, v in vc.items())} |")


def latitude(model: StarClassifier, pm: pd.DataFrame) -> None:
    gal = SkyCoord(ra=pm[C.RA].iloc[0] * u.deg, dec=pm[C.DEC].iloc[0] * u.deg).galactic
    lon, lat = float(gal.l.deg), float(gal.b.deg)
    print(
        f"\n## 5. Letters right with every type at another Galactic latitude (l = {lon:.1f} deg)\n"
    )
    print("| latitude | " + " | ".join(BAND_SETS) + " | all-band misses |")
    print("|---|" + "---|" * (len(BAND_SETS) + 1))
    for b in sorted((*LATITUDES_DEG, lat)):
        icrs = SkyCoord(l=lon * u.deg, b=b * u.deg, frame="galactic").icrs
        s = pm.assign(**{C.RA: float(icrs.ra.deg), C.DEC: float(icrs.dec.deg)})
        right = {name: _count(model, s, g) for name, g in BAND_SETS.items()}
        cells = [str(int(r.sum())) for r in right.values()]
        missed = ", ".join(pm.loc[~right["all bands"], C.SP_TYPE])
        print(f"| {b:+.1f} deg | " + " | ".join(cells) + f" | {missed} |")


def _fit_bias(logp: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return one logit offset per class (first fixed at 0) minimising the mean log-loss."""

    def loss(b: np.ndarray) -> float:
        z = logp + np.r_[0.0, b]
        z -= z.max(1, keepdims=True)
        return float(-(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(1))).mean())

    return np.r_[0.0, minimize(loss, np.zeros(logp.shape[1] - 1), method="L-BFGS-B").x]


def bias(model: StarClassifier, cat: pd.DataFrame, feats: pd.DataFrame, pm: pd.DataFrame) -> None:
    classes = list(model.classes_)
    labels = compute_target_labels(cat, C.SP_CLASS).to_numpy()
    y = np.array([classes.index(v) if v in classes else -1 for v in labels])
    split = compute_split(cat, C.SP_CLASS).to_numpy()
    mk = (cat[C.LUM_CLASS] != "").to_numpy()
    logp = {
        "all bands": np.log(np.clip(model.predict_proba(feats), 1e-9, 1)),
        "no Gaia": np.log(
            np.clip(
                model.predict_proba(compute_features(drop_band_groups(cat, ("gaia",)))), 1e-9, 1
            )
        ),
    }
    fit_rows = (split == VALIDATION) & mk
    b = _fit_bias(np.vstack([v[fit_rows] for v in logp.values()]), np.r_[y[fit_rows], y[fit_rows]])
    print("\n## 6. Per-class logit bias fitted on the MK-typed validation stars\n")
    print("Bias: " + ", ".join(f"{c} {v:+.2f}" for c, v in zip(classes, b, strict=True)) + "\n")
    print("| band set | stars | accuracy before / after | balanced before / after |")
    print("|---|---|---|---|")
    for bs, lp in logp.items():
        for name, rows in (
            ("validation, MK-typed", fit_rows),
            ("test, all", split == "test"),
            ("test, MK-typed", (split == "test") & mk),
        ):
            t = y[rows]
            before, after = lp[rows].argmax(1), (lp[rows] + b).argmax(1)
            acc = f"{np.mean(before == t):.3f} / {np.mean(after == t):.3f}"
            bal = f"{balanced_accuracy_score(t, before):.3f} / {balanced_accuracy_score(t, after):.3f}"
            print(f"| {bs} | {name} | {acc} | {bal} |")
    print("\n| P&M band set | right before | right after | misses after |\n|---|---|---|---|")
    for name, groups in BAND_SETS.items():
        f = compute_features(drop_band_groups(pm, groups))
        lp = np.log(np.clip(model.predict_proba(f), 1e-9, 1))
        truth = pm[C.SP_CLASS].to_numpy()
        pred = np.asarray(classes)[(lp + b).argmax(1)]
        before = int((np.asarray(classes)[lp.argmax(1)] == truth).sum())
        misses = [f"{t}->{p}" for t, p in zip(pm[C.SP_TYPE], pred, strict=True) if t[0] != p]
        print(f"| {name} | {before} | {int((pred == truth).sum())} | {', '.join(misses)} |")


def main() -> None:
    model = load_model(None, target=C.SP_CLASS)
    cat = load_catalog()
    feats = compute_features(cat)
    pm = build_pm_sequence_table()
    dr2_offsets(cat, pm)
    shift_bound(model, pm)
    vt_rule(cat)
    missed = ["B9.5V", "F0V", "F1V", "F9.5V", "K7V", "K8V", "K9V"]
    neighbours(cat, feats, pm, missed)
    latitude(model, pm)
    bias(model, cat, feats, pm)


if __name__ == "__main__":
    main()
