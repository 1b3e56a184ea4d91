"""Band registry: computed pivots and zero points against published values."""

from __future__ import annotations

import numpy as np
import pytest

from sedviz.sed.bands import (
    BAND_NAMES,
    build_band_frame,
    compute_bb_mag_grid,
    get_band,
    load_band_data,
)
from sedviz.sed.bands_build import build_band_data

# (band, published Vega zero point in Jy, relative tolerance, source). Our zero
# points put Vega at 0 mag in every band with the CALSPEC STIS spectrum; the
# published ones used other Vega spectra/conventions, hence the tolerances.
PUBLISHED_ZERO_POINTS = [
    ("G", 3228.75, 0.01, "SVO Filter Profile Service, GAIA/GAIA3.G Vega"),
    ("Ks", 666.8, 0.015, "Cohen, Wheaton & Megeath 2003, AJ 126, 1090"),
    ("J", 1594.0, 0.015, "Cohen, Wheaton & Megeath 2003"),
    ("H", 1024.0, 0.015, "Cohen, Wheaton & Megeath 2003"),
    ("W1", 309.540, 0.015, "Jarrett et al. 2011, ApJ 735, 112"),
    ("W2", 171.787, 0.015, "Jarrett et al. 2011"),
    ("V", 3636.0, 0.015, "Bessell, Castelli & Plez 1998, A&A 333, 231 (Vega V = 0.03)"),
    # Bessell (1990) B curve + STIS Vega give 4.3% less than Bessell et al. 1998.
    ("B", 4063.0, 0.05, "Bessell, Castelli & Plez 1998"),
]


@pytest.mark.parametrize(("band", "published_jy", "rtol", "source"), PUBLISHED_ZERO_POINTS)
def test_zero_point_matches_published(
    band: str, published_jy: float, rtol: float, source: str
) -> None:
    assert get_band(band).zero_point_jy == pytest.approx(published_jy, rel=rtol), source


@pytest.mark.parametrize(
    ("band", "pivot_um", "rtol"),
    [
        ("G", 0.62176, 0.001),  # SVO GAIA/GAIA3.G lambda_pivot 6217.59 A
        ("Ks", 2.159, 0.005),  # Cohen et al. 2003 isophotal 2.159 um
        ("J", 1.235, 0.005),  # Cohen et al. 2003 isophotal 1.235 um
        ("W1", 3.3526, 0.01),  # Wright et al. 2010 isophotal 3.3526 um
        ("V", 0.551, 0.01),  # Bessell et al. 1998 effective 0.545-0.551 um
    ],
)
def test_pivot_wavelength(band: str, pivot_um: float, rtol: float) -> None:
    assert get_band(band).pivot_um == pytest.approx(pivot_um, rel=rtol)


def test_band_frame_is_blue_to_red_and_names_derived_bands() -> None:
    frame = build_band_frame()
    assert tuple(frame["band"]) == BAND_NAMES
    assert np.all(np.diff(frame["pivot_um"].to_numpy()) > 0)
    assert set(frame.loc[frame["derived"], "band"]) == {"B", "I"}


def test_unknown_band_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown band 'U'"):
        get_band("U")


@pytest.mark.slow
def test_shipped_table_is_what_the_filter_curves_give() -> None:
    """The cached JSON must be regenerable from the curves (nothing typed in by hand)."""
    fresh = build_band_data()
    shipped = load_band_data()
    assert fresh["teff_grid_k"] == pytest.approx(shipped["teff_grid_k"])
    for name in BAND_NAMES:
        new, old = fresh["bands"][name], shipped["bands"][name]
        assert new["pivot_um"] == pytest.approx(old["pivot_um"], rel=1e-6)
        assert new["zero_point_jy"] == pytest.approx(old["zero_point_jy"], rel=1e-6)
        assert new["bb_vega_mag"] == pytest.approx(old["bb_vega_mag"], abs=2e-5)


def test_blackbody_grid_gets_bluer_when_hotter() -> None:
    teff, mags = compute_bb_mag_grid(("B", "V", "Ks"))
    b_minus_v = mags[:, 0] - mags[:, 1]
    v_minus_k = mags[:, 1] - mags[:, 2]
    assert teff[0] == pytest.approx(2000.0) and teff[-1] == pytest.approx(50000.0)
    assert np.all(np.diff(b_minus_v) < 0) and np.all(np.diff(v_minus_k) < 0)
