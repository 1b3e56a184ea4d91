"""Classifier features: colours, the parallax rule, missing bands, no label leakage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.features import (
    ABS_G,
    ABS_G_BRIGHT_LIMIT,
    ABS_KS,
    ABS_V,
    ABS_V_BRIGHT_LIMIT,
    FEATURE_LABELS,
    FEATURE_NAMES,
    PARALLAX_SNR,
    PARALLAX_SNR_MIN,
    REDUCED_PM_G,
    REDUCED_PM_V,
    compute_features,
    compute_sin_gal_lat,
    compute_usable_mask,
)
from tests.classifier_helpers import tiny_table


def _star(**values: float) -> pd.DataFrame:
    base = {C.SOURCE_ID: 1, C.RA: 10.0, C.DEC: 20.0, C.G_MAG: 8.0}
    return pd.DataFrame([{**base, **values}])


def test_columns_are_the_feature_names_in_order_as_float32() -> None:
    features = compute_features(tiny_table())
    assert tuple(features.columns) == FEATURE_NAMES
    assert (features.dtypes == np.float32).all()
    assert set(FEATURE_LABELS) == set(FEATURE_NAMES)
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_colours_are_blue_minus_red() -> None:
    f = compute_features(_star(phot_bp_mean_mag=8.6, phot_rp_mean_mag=7.3, bt_mag=9.5, vt_mag=8.4))
    assert f.loc[0, "bp_rp"] == pytest.approx(1.3, abs=1e-5)
    assert f.loc[0, "bp_g"] == pytest.approx(0.6, abs=1e-5)
    assert f.loc[0, "g_rp"] == pytest.approx(0.7, abs=1e-5)
    assert f.loc[0, "bt_vt"] == pytest.approx(1.1, abs=1e-5)


def test_gaia_only_star_keeps_gaia_features_and_leaves_the_rest_missing() -> None:
    f = compute_features(
        _star(phot_bp_mean_mag=8.6, phot_rp_mean_mag=7.3, parallax=10.0, parallax_error=0.1)
    )
    assert f.loc[0, ["bp_rp", "bp_g", "g_rp", ABS_G, PARALLAX_SNR]].notna().all()
    assert f.loc[0, ["b_v", "v_i", "bt_vt", "hp_vt", "v_g", "g_ks", "j_h", ABS_KS]].isna().all()
    assert compute_usable_mask(
        compute_features(_star(phot_bp_mean_mag=8.6, phot_rp_mean_mag=7.3))
    ).tolist() == [True]
    assert compute_usable_mask(compute_features(_star())).tolist() == [False]


def test_infrared_bands_are_used_when_present() -> None:
    f = compute_features(
        _star(
            j_m=6.0, h_m=5.5, ks_m=5.4, w1mpro=5.3, w2mpro=5.35, parallax=10.0, parallax_error=0.2
        )
    )
    assert f.loc[0, "j_h"] == pytest.approx(0.5, abs=1e-5)
    assert f.loc[0, "g_ks"] == pytest.approx(2.6, abs=1e-5)
    assert f.loc[0, "w1_w2"] == pytest.approx(-0.05, abs=1e-5)
    assert f.loc[0, ABS_KS] == pytest.approx(5.4 - 5.0, abs=1e-5)


@pytest.mark.parametrize(
    ("plx", "err", "has_abs"),
    [(10.0, 1.0, True), (10.0, 2.0, True), (10.0, 2.5, False), (-1.0, 0.1, False)],
)
def test_absolute_magnitude_only_with_a_good_parallax(
    plx: float, err: float, has_abs: bool
) -> None:
    f = compute_features(_star(parallax=plx, parallax_error=err))
    assert (
        f.loc[0, ABS_G].item() == pytest.approx(8.0 + 5 * np.log10(plx / 100))
        if has_abs
        else np.isnan(f.loc[0, ABS_G])
    )
    assert f.loc[0, PARALLAX_SNR] == pytest.approx(plx / err)


def test_bright_limit_exists_for_poor_parallaxes_and_is_brighter() -> None:
    f = compute_features(_star(parallax=1.0, parallax_error=1.0))
    assert np.isnan(f.loc[0, ABS_G])
    assert f.loc[0, ABS_G_BRIGHT_LIMIT] == pytest.approx(8.0 + 5 * np.log10(3.0 / 100))


def test_missing_parallax_error_falls_back_to_the_hipparcos_error() -> None:
    f = compute_features(_star(parallax=10.0, parallax_error=np.nan, hip_parallax_error=0.5))
    assert f.loc[0, PARALLAX_SNR] == pytest.approx(20.0)
    assert f.loc[0, PARALLAX_SNR] >= PARALLAX_SNR_MIN


def test_reduced_proper_motion() -> None:
    f = compute_features(_star(pmra=300.0, pmdec=400.0))
    assert f.loc[0, REDUCED_PM_G] == pytest.approx(8.0 + 5 * np.log10(0.5) + 5, abs=1e-4)


def test_galactic_latitude_at_the_pole_and_the_centre() -> None:
    sin_b = compute_sin_gal_lat(np.array([192.85948, 266.40499]), np.array([27.12825, -28.93617]))
    assert sin_b[0] == pytest.approx(1.0, abs=1e-6)
    assert sin_b[1] == pytest.approx(0.0, abs=1e-4)  # (l, b) = (0, 0)


def test_galactic_latitude_matches_the_previous_pole_formula(small_catalog: pd.DataFrame) -> None:
    """astropy's ICRS -> Galactic agrees with the hand-written pole formula it replaced."""
    ra, dec = (np.radians(small_catalog[c].to_numpy(float)) for c in (C.RA, C.DEC))
    ra_p, dec_p = np.radians(192.85948), np.radians(27.12825)
    before = np.sin(dec) * np.sin(dec_p) + np.cos(dec) * np.cos(dec_p) * np.cos(ra - ra_p)
    after = compute_sin_gal_lat(np.degrees(ra), np.degrees(dec))
    np.testing.assert_allclose(after, before, atol=1e-7)  # below float32 resolution of the feature
    assert np.isnan(compute_sin_gal_lat(np.array([np.nan]), np.array([10.0]))).all()


def test_features_do_not_depend_on_labels() -> None:
    table = tiny_table()
    scrambled = table.assign(sp_class="M", sp_type="M5III", sp_subclass=5.0, lum_class="III")
    dropped = table.drop(columns=[C.SP_CLASS, C.SP_TYPE, C.SP_SUBCLASS, C.LUM_CLASS])
    reference = compute_features(table)
    pd.testing.assert_frame_equal(compute_features(scrambled), reference)
    pd.testing.assert_frame_equal(compute_features(dropped), reference)


def test_a_star_without_gaia_gets_its_absolute_magnitude_from_v() -> None:
    star = pd.DataFrame(
        [{C.SOURCE_ID: -1, C.RA: 1.0, C.DEC: 2.0, C.V_MAG: 5.0, C.B_V: 0.6, C.V_I: 0.7,
          C.PARALLAX: 50.0, C.PARALLAX_ERROR: 1.0, C.PMRA: 300.0, C.PMDEC: 400.0}]
    )  # fmt: skip
    f = compute_features(star)
    assert np.isnan(f.loc[0, ABS_G]) and np.isnan(f.loc[0, REDUCED_PM_G])
    assert f.loc[0, ABS_V] == pytest.approx(5.0 + 5 * np.log10(0.5), abs=1e-5)
    assert f.loc[0, ABS_V_BRIGHT_LIMIT] == pytest.approx(5.0 + 5 * np.log10(0.52), abs=1e-5)
    assert f.loc[0, REDUCED_PM_V] == pytest.approx(5.0 + 5 * np.log10(500.0) - 10, abs=1e-4)
    poor = compute_features(star.assign(parallax_error=20.0))
    assert np.isnan(poor.loc[0, ABS_V]) and np.isnan(poor.loc[0, ABS_G])  # one rule for both
