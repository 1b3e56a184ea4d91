"""Answer archive requests from the embedded catalogue (no network).

Cone searches use the catalogue's ``ra``/``dec`` (Gaia DR3, epoch J2016);
identifier lists match ``source_id`` or ``hip``; positions match within a
small radius; names resolve offline only for catalogue numbers
(``HIP 17702``, ``HD 23630``, ``Gaia DR3 ...``) and a small built-in table
of well-known objects (:data:`WELL_KNOWN_OBJECTS`).
"""

from __future__ import annotations

from collections.abc import Sequence

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import SkyCoord

from sedviz import columns as C
from sedviz.archive.inputs import catalogue_number

#: ICRS J2000 centres (deg) of well-known objects, rounded to ~1 arcsec (SIMBAD
#: values); enough for offline cone centres, not for astrometry.
WELL_KNOWN_OBJECTS: dict[str, tuple[float, float]] = {
    "pleiades": (56.750, 24.1167),
    "hyades": (66.725, 15.867),
    "praesepe": (130.100, 19.667),
    "alpha persei cluster": (51.675, 49.117),
    "coma star cluster": (186.250, 26.100),
    "ic 2602": (160.742, -64.400),
    "orion nebula": (83.8221, -5.3911),
    "sirius": (101.28716, -16.71612),
    "canopus": (95.98796, -52.69566),
    "arcturus": (213.91530, 19.18241),
    "vega": (279.23473, 38.78369),
    "capella": (79.17233, 45.99799),
    "rigel": (78.63447, -8.20164),
    "procyon": (114.82550, 5.22499),
    "betelgeuse": (88.79294, 7.40706),
    "altair": (297.69583, 8.86832),
    "aldebaran": (68.98016, 16.50930),
    "antares": (247.35192, -26.43200),
    "spica": (201.29825, -11.16132),
    "deneb": (310.35798, 45.28034),
    "regulus": (152.09296, 11.96721),
    "polaris": (37.95456, 89.26411),
}
_ALIASES = {
    "m45": "pleiades", "melotte 22": "pleiades", "seven sisters": "pleiades",
    "melotte 25": "hyades", "m44": "praesepe", "beehive": "praesepe",
    "beehive cluster": "praesepe", "ngc 2632": "praesepe", "melotte 20": "alpha persei cluster",
    "alpha per cluster": "alpha persei cluster", "melotte 111": "coma star cluster",
    "southern pleiades": "ic 2602", "m42": "orion nebula", "ngc 1976": "orion nebula",
    "alf cma": "sirius", "alf lyr": "vega", "alf ori": "betelgeuse", "bet ori": "rigel",
}  # fmt: skip


def resolve_name_offline(name: str, catalog: pd.DataFrame | None) -> tuple[float, float] | None:
    """Return ``(ra_deg, dec_deg)`` for *name* without a network, or None."""
    key = " ".join(name.lower().replace("the ", " ").split())
    key = _ALIASES.get(key, key)
    if key in WELL_KNOWN_OBJECTS:
        return WELL_KNOWN_OBJECTS[key]
    number = catalogue_number(name)
    if number is None or catalog is None or number[0] not in catalog.columns:
        return None
    rows = catalog[catalog[number[0]] == number[1]]
    if rows.empty:
        return None
    return float(rows[C.RA].iloc[0]), float(rows[C.DEC].iloc[0])


def angular_distance_deg(
    ra1: np.ndarray | float, dec1: np.ndarray | float, ra2: float, dec2: float
) -> np.ndarray:
    """Great-circle distance, degrees (:meth:`astropy.coordinates.SkyCoord.separation`)."""
    points = SkyCoord(np.asarray(ra1, float) * u.deg, np.asarray(dec1, float) * u.deg)
    return np.asarray(points.separation(SkyCoord(ra2 * u.deg, dec2 * u.deg)).deg)


def cone_frame(
    catalog: pd.DataFrame, ra_deg: float, dec_deg: float, radius_deg: float
) -> pd.DataFrame:
    """Catalogue stars within *radius_deg* of the centre, brightest first."""
    dist = angular_distance_deg(
        catalog[C.RA].to_numpy(), catalog[C.DEC].to_numpy(), ra_deg, dec_deg
    )
    return catalog[dist <= radius_deg].sort_values(C.G_MAG, kind="stable").reset_index(drop=True)


def ids_frame(catalog: pd.DataFrame, column: str, ids: Sequence[int]) -> pd.DataFrame:
    """Catalogue rows whose *column* (``source_id`` or ``hip``) is in *ids*, brightest first."""
    if column not in catalog.columns:
        return catalog.iloc[0:0].reset_index(drop=True)
    keep = catalog[column].isin(list(ids)).fillna(False).to_numpy(dtype=bool)
    return catalog[keep].sort_values(C.G_MAG, kind="stable").reset_index(drop=True)


def positions_frame(
    catalog: pd.DataFrame,
    ra_deg: Sequence[float],
    dec_deg: Sequence[float],
    match_radius_arcsec: float,
) -> tuple[pd.DataFrame, set[int]]:
    """The nearest catalogue star within the match radius of each position (if any).

    Matched with :meth:`astropy.coordinates.SkyCoord.match_to_catalog_sky`. Returns the
    stars (brightest first) and the 1-based indices of the positions matched.
    """
    picked = np.array([], dtype=np.int64)
    matched: set[int] = set()
    if len(ra_deg) and len(catalog):
        targets = SkyCoord(np.asarray(ra_deg, float) * u.deg, np.asarray(dec_deg, float) * u.deg)
        stars = SkyCoord(
            catalog[C.RA].to_numpy(float) * u.deg, catalog[C.DEC].to_numpy(float) * u.deg
        )
        nearest, separation, _ = targets.match_to_catalog_sky(stars)
        within = np.atleast_1d(separation.arcsec) <= match_radius_arcsec
        picked = np.atleast_1d(nearest)[within]
        matched = {int(k) + 1 for k in np.flatnonzero(within)}
    rows = catalog.iloc[list(dict.fromkeys(int(i) for i in picked))]
    return rows.sort_values(C.G_MAG, kind="stable").reset_index(drop=True), matched
