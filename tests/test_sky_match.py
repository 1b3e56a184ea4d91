"""astropy SkyCoord replaces the hand-written haversine and nearest-star search: same answers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.archive.offline import angular_distance_deg, cone_frame, positions_frame


def _haversine_deg(ra1: np.ndarray, dec1: np.ndarray, ra2: float, dec2: float) -> np.ndarray:
    """The formula the library used before (reference only)."""
    r1, d1, r2, d2 = (np.radians(np.asarray(v, dtype="float64")) for v in (ra1, dec1, ra2, dec2))
    hav = np.sin((d1 - d2) / 2) ** 2 + np.cos(d1) * np.cos(d2) * np.sin((r1 - r2) / 2) ** 2
    return np.degrees(2 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0))))


def test_separation_equals_the_previous_haversine(small_catalog: pd.DataFrame) -> None:
    ra, dec = small_catalog[C.RA].to_numpy(), small_catalog[C.DEC].to_numpy()
    for centre in ((56.75, 24.12), (0.0, -89.9), (359.99, 0.0)):
        np.testing.assert_allclose(
            angular_distance_deg(ra, dec, *centre), _haversine_deg(ra, dec, *centre), atol=1e-9
        )


def test_cone_keeps_exactly_the_stars_within_the_radius(catalog: pd.DataFrame) -> None:
    cone = cone_frame(catalog, 56.75, 24.12, 1.0)  # the Pleiades
    before = _haversine_deg(catalog[C.RA].to_numpy(), catalog[C.DEC].to_numpy(), 56.75, 24.12)
    assert set(cone[C.SOURCE_ID]) == set(catalog.loc[before <= 1.0, C.SOURCE_ID])
    assert cone[C.G_MAG].is_monotonic_increasing


def test_positions_match_the_nearest_star_within_the_radius(small_catalog: pd.DataFrame) -> None:
    stars = small_catalog.head(40)
    ra = stars[C.RA].to_numpy() + 1.0 / 3600  # 1 arcsec east in RA: cos(dec) arcsec away
    dec = stars[C.DEC].to_numpy()
    found, matched = positions_frame(small_catalog, list(ra), list(dec), match_radius_arcsec=2.0)
    assert set(found[C.SOURCE_ID]) == set(stars[C.SOURCE_ID])
    assert matched == set(range(1, 41))  # 1-based indices of the positions matched
    far, none = positions_frame(
        small_catalog, [ra[0], ra[1]], [dec[0] + 10.0 / 3600, dec[1]], match_radius_arcsec=2.0
    )
    assert list(far[C.SOURCE_ID]) == [stars[C.SOURCE_ID].iloc[1]] and none == {2}
    empty, nothing = positions_frame(small_catalog, [], [], match_radius_arcsec=2.0)
    assert empty.empty and nothing == set()
