"""Band groups, the band set of a star, and band-group dropout copies for training.

A star table may hold any subset of the catalogue's photometry: a Gaia archive
source has G/BP/RP and no Hipparcos bands, a Hipparcos star without a Gaia
counterpart has Hp, Tycho and Johnson-Cousins bands, a list typed in by a teacher
may have V, B-V and a parallax only. The classifier is trained on copies of its
training and validation stars with whole band groups removed
(:func:`compute_dropout_table`), so it has seen every band set it may be given
and never learns that a missing band means a class.

Band groups (:data:`BAND_GROUPS`)
---------------------------------
``gaia`` (G, BP, RP), ``gaia_bp_rp`` (BP and RP only; G kept), ``tycho`` (BT, VT),
``johnson`` (V, B-V, V-I, U-B), ``hp`` (Hipparcos Hp), ``parallax`` (parallax and
its errors) and ``proper_motion`` (a list typed in by hand rarely has one).
The band set of a star (:func:`compute_band_set_codes`) is which of the six
*disjoint* parts it has: G, BP/RP, Tycho, Johnson, Hp, parallax
(the proper motion is not part of it).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"phot_g_mean_mag": [8.0], "v_mag": [8.1], "b_v": [0.6]})
>>> compute_band_set_names(t).tolist()
['G+Johnson']
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from sedviz import columns as C

#: Band group -> the columns removed when the group is dropped.
BAND_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "gaia": (C.G_MAG, C.BP_MAG, C.RP_MAG),
    "gaia_bp_rp": (C.BP_MAG, C.RP_MAG),
    "tycho": (C.BT_MAG, C.VT_MAG),
    "johnson": (C.V_MAG, C.B_V, C.V_I, C.U_B),
    "hp": (C.HP_MAG,),
    "parallax": (C.PARALLAX, C.PARALLAX_ERROR, C.HIP_PARALLAX, C.HIP_PARALLAX_ERROR),
    "proper_motion": (C.PMRA, C.PMDEC),
}
#: Disjoint parts of a band set (name -> columns; the part is present if any column is).
BAND_SET_PARTS: Final[dict[str, tuple[str, ...]]] = {
    "G": (C.G_MAG,),
    "BP/RP": (C.BP_MAG, C.RP_MAG),
    "Tycho": (C.BT_MAG, C.VT_MAG),
    "Johnson": (C.V_MAG, C.B_V, C.V_I, C.U_B),
    "Hp": (C.HP_MAG,),
    "parallax": (C.PARALLAX,),
}
#: Probability that a dropout copy loses each band group (independent draws).
DROPOUT_PROBABILITY: Final[dict[str, float]] = {
    "gaia": 0.4,
    "gaia_bp_rp": 0.2,
    "tycho": 0.5,
    "johnson": 0.5,
    "hp": 0.5,
    "parallax": 0.2,
    "proper_motion": 0.3,
}
#: Dropout copies made of every training and validation star.
DROPOUT_COPIES: Final = 1


def _present(table: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    mask = np.zeros(len(table), dtype=bool)
    for name in columns:
        if name in table.columns:
            mask |= pd.to_numeric(table[name], errors="coerce").notna().to_numpy()
    return mask


def compute_band_set_codes(table: pd.DataFrame) -> np.ndarray:
    """Return the band set of every star as an integer (bit i = part i of :data:`BAND_SET_PARTS`)."""
    codes = np.zeros(len(table), dtype=np.int64)
    for bit, columns in enumerate(BAND_SET_PARTS.values()):
        codes |= _present(table, columns).astype(np.int64) << bit
    return codes


def band_set_name(code: int) -> str:
    """Return a readable band set (``"G+BP/RP+parallax"``; ``"none"`` for no band)."""
    parts = [name for bit, name in enumerate(BAND_SET_PARTS) if code >> bit & 1]
    return "+".join(parts) if parts else "none"


def compute_band_set_names(table: pd.DataFrame) -> pd.Series:
    """Return :func:`band_set_name` for every star of *table* (same index)."""
    names = [band_set_name(int(c)) for c in compute_band_set_codes(table)]
    return pd.Series(names, index=table.index, dtype=object)


def drop_band_groups(table: pd.DataFrame, groups: tuple[str, ...]) -> pd.DataFrame:
    """Return a copy of *table* with every column of the named band groups set to NaN."""
    names = {name for group in groups for name in BAND_GROUPS[group] if name in table.columns}
    return table.assign(**{name: np.nan for name in sorted(names)})


def compute_dropout_table(
    table: pd.DataFrame,
    seed: int,
    copies: int = DROPOUT_COPIES,
    probability: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Return *copies* copies of *table* with band groups removed at random (seeded).

    Every copy of every star loses each group of :data:`BAND_GROUPS`
    independently with its :data:`DROPOUT_PROBABILITY`; the draws depend on the
    seed and the stars' ``source_id``, not on the row order. The result keeps the
    index of *table* (repeated once per copy); copies may have no colour left
    (callers drop those with :func:`sedviz.classifier.features.compute_usable_mask`).
    """
    chances = DROPOUT_PROBABILITY if probability is None else probability
    rng = np.random.default_rng([seed, 0x5EDB])
    # Draws follow the order of source_id, not of the rows: the same stars get the same copies.
    rank = np.argsort(np.argsort(table[C.SOURCE_ID].to_numpy(), kind="stable"), kind="stable")
    parts = []
    for _ in range(copies):
        copy = table.copy()
        for group, chance in chances.items():
            drop = rng.random(len(table))[rank] < chance
            for name in BAND_GROUPS[group]:
                if name in copy.columns:
                    copy[name] = copy[name].astype("float64").where(~drop, np.nan)
        parts.append(copy)
    return pd.concat(parts) if parts else table.iloc[:0]


def dropout_record(copies: int, probability: dict[str, float] | None = None) -> dict[str, object]:
    """Return the JSON description of the dropout scheme (for the model's card)."""
    chances = DROPOUT_PROBABILITY if probability is None else probability
    return {
        "method": "band-group dropout copies of the training and validation stars",
        "copies_per_star": copies,
        "drop_probability": dict(chances),
        "groups": {group: list(columns) for group, columns in BAND_GROUPS.items()},
        "copies_without_a_colour": "discarded",
    }


#: Band sets the classifier is scored on (name -> groups removed from every star).
EVALUATION_BAND_SETS: Final[dict[str, tuple[str, ...]]] = {
    "all bands": (),
    "no Gaia": ("gaia",),
    "no BP/RP": ("gaia_bp_rp",),
    "Gaia only": ("tycho", "johnson", "hp"),
    "Johnson only": ("gaia", "tycho", "hp"),
    "Tycho only": ("gaia", "johnson", "hp"),
    "all bands, no parallax": ("parallax",),
    "Gaia only, no parallax": ("tycho", "johnson", "hp", "parallax"),
}
