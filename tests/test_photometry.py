"""Magnitudes to fluxes: units, error propagation, sentinels, derived bands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.sed.bands import BAND_NAMES, get_band
from sedviz.sed.photometry import (
    clean_magnitudes,
    compute_band_magnitudes,
    compute_flam,
    compute_flux_frame,
    compute_flux_jy,
    compute_lam_flam,
    compute_sed_points,
)

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"


def test_flux_of_zero_magnitude_is_the_zero_point() -> None:
    flux, err = compute_flux_jy(0.03, 0.01, 100.0)
    assert flux == pytest.approx(100.0 * 10 ** (-0.012))
    assert err / flux == pytest.approx(0.01 * np.log(10) / 2.5)  # 0.921 % per 0.01 mag


def test_lam_flam_units() -> None:
    # 1 Jy at 1 micron: nu F_nu = 1e-23 * 2.998e14 = 2.998e-9 erg s^-1 cm^-2.
    assert compute_lam_flam(1.0, 1.0) == pytest.approx(2.99792458e-9)
    assert compute_flam(1.0, 1.0) == pytest.approx(2.99792458e-13)  # per Angstrom


def test_sentinels_and_non_numbers_are_missing() -> None:
    out = clean_magnitudes([99.0, -99.0, 0.0, np.nan, np.inf, "x", 8.5])
    assert np.isnan(out[:6]).all() and out[6] == 8.5


def test_derived_bands_come_from_v_and_colours(stars: pd.DataFrame) -> None:
    mags = compute_band_magnitudes(stars, ["B", "V", "I"])
    v = stars[C.V_MAG].to_numpy()
    np.testing.assert_allclose(mags.mag[:, 0], v + stars[C.B_V].to_numpy())
    np.testing.assert_allclose(mags.mag[:, 2], v - stars[C.V_I].to_numpy())
    # error of a derived band = hypot(colour error, V floor 0.02)
    row = stars.index[stars[C.B_V_ERROR] > 0][0]
    i = stars.index.get_loc(row)
    assert mags.mag_error[i, 0] == pytest.approx(np.hypot(stars.at[row, C.B_V_ERROR], 0.02))


def test_error_rules() -> None:
    table = pd.DataFrame(
        {
            C.HP_MAG: [7.0, 7.0, 7.0, 99.0],
            C.HP_MAG_ERROR: [0.004, 0.0, np.nan, 0.004],  # given, "0 = none", NaN, sentinel mag
            C.G_MAG: [7.0] * 4,  # no flux_over_error column at all -> floor
            C.BP_MAG: [7.2] * 4,
            C.BP_FLUX_OVER_ERROR: [1000.0, -1.0, np.nan, 1000.0],
        }
    )
    mags = compute_band_magnitudes(table, ["Hp", "G", "BP"])
    hp, g, bp = mags.mag_error.T
    assert hp[0] == 0.004 and hp[1] == get_band("Hp").spec.default_error_mag
    assert np.isnan(mags.mag[2, 0]) and np.isnan(mags.mag[3, 0])  # NaN error / sentinel: dropped
    np.testing.assert_allclose(g, get_band("G").spec.default_error_mag)
    assert mags.error_is_floor[:, 1].all()
    assert bp[0] == pytest.approx(2.5 / np.log(10) / 1000.0)
    assert np.isnan(mags.mag[1, 2]) and np.isnan(mags.mag[2, 2])  # negative flux, NaN error


def test_flux_frame_is_vectorised_and_keeps_missing(stars: pd.DataFrame) -> None:
    frame = compute_flux_frame(stars)
    assert list(frame.index) == list(stars.index)
    assert frame["Ks_flux_jy"].isna().all()  # the embedded catalogue has no 2MASS
    assert (frame["G_flux_jy"] > 0).all()
    assert frame["BT_flux_jy"].isna().sum() == stars[C.BT_MAG].isna().sum()


def test_sed_points_of_a_real_g2_dwarf(stars: pd.DataFrame) -> None:
    row = stars[stars[C.SP_TYPE] == "G2V"].iloc[0]  # HIP 80
    points = compute_sed_points(row)
    assert tuple(points[C.SED_BAND]) == BAND_NAMES
    by_band = points.set_index(C.SED_BAND)
    assert by_band.at["B", C.SED_SOURCE] == "derived"
    assert by_band.at["I", C.SED_SOURCE] == "derived"
    assert by_band.at["G", C.SED_SOURCE] == "measured"
    assert by_band.at["G", C.SED_ERROR_SOURCE] == "default floor"
    assert by_band.at["Hp", C.SED_ERROR_SOURCE] == "catalogue"
    not_measured = points[points[C.SED_SOURCE] == "not measured"]
    assert set(not_measured[C.SED_BAND]) == {"J", "H", "Ks", "W1", "W2", "W3", "W4"}
    assert not_measured[C.SED_FLUX_JY].isna().all()  # never zero
    v = by_band.loc["V"]
    assert v[C.SED_FLUX_JY] == pytest.approx(get_band("V").zero_point_jy * 10 ** (-0.4 * 8.40))
    assert v[C.SED_LAM_FLAM] == pytest.approx(
        v[C.SED_FLUX_JY] * 1e-23 * 2.99792458e14 / v[C.SED_WAVELENGTH_UM]
    )
