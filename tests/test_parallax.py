"""The one parallax rule: Gaia error, Hipparcos error as stand-in, S/N >= 5; its users agree."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.parallax import (
    PARALLAX_SNR_MIN,
    compute_good_parallax,
    compute_parallax,
    compute_parallax_snr,
)
from sedviz.classifier.features import ABS_G, PARALLAX_SNR, compute_features
from sedviz.sed.fit import compute_sed_fit
from sedviz.views.hr import compute_abs_g

#: Gaia error given / empty / zero / negative, and no error at all.
TABLE = pd.DataFrame(
    {
        C.G_MAG: [8.0, 8.0, 8.0, 8.0, 8.0],
        C.PARALLAX: [10.0, 10.0, 10.0, 10.0, 10.0],
        C.PARALLAX_ERROR: [0.5, np.nan, 0.0, -1.0, np.nan],
        C.HIP_PARALLAX_ERROR: [4.0, 1.0, 1.0, 1.0, np.nan],
    }
)


def test_hipparcos_error_stands_in_where_the_gaia_error_is_empty_or_not_positive() -> None:
    plx, err = compute_parallax(TABLE)
    assert plx.tolist() == [10.0] * 5
    np.testing.assert_array_equal(err, [0.5, 1.0, 1.0, 1.0, np.nan])
    np.testing.assert_array_equal(compute_parallax_snr(TABLE), [20.0, 10.0, 10.0, 10.0, np.nan])
    assert compute_good_parallax(TABLE).tolist() == [True, True, True, True, False]


def test_negative_or_missing_parallax_is_never_good() -> None:
    table = pd.DataFrame({C.PARALLAX: [-3.0, np.nan], C.PARALLAX_ERROR: [0.1, 0.1]})
    assert not compute_good_parallax(table).any()
    assert not compute_good_parallax(pd.DataFrame({C.G_MAG: [1.0]})).any()  # no parallax column


def test_features_hr_and_sed_fit_follow_the_same_rule(small_catalog: pd.DataFrame) -> None:
    good = compute_good_parallax(small_catalog)
    assert 0 < good.sum() < len(small_catalog)
    features = compute_features(small_catalog)
    has_g = small_catalog[C.G_MAG].notna().to_numpy()  # Hipparcos-only rows have no G
    assert np.array_equal(features[ABS_G].notna().to_numpy(), good & has_g)
    snr = features[PARALLAX_SNR].to_numpy()
    assert np.array_equal(snr >= PARALLAX_SNR_MIN, good)
    _, hr_good = compute_abs_g(small_catalog)
    assert np.array_equal(hr_good, good)
    fit = compute_sed_fit(small_catalog)
    fitted = (fit[C.SED_FIT_STATUS] == "ok").to_numpy()
    assert np.array_equal(fit[C.LUMINOSITY_LSUN].notna().to_numpy(), good & fitted)


def test_gaia_parallax_stars_get_a_luminosity(small_catalog: pd.DataFrame) -> None:
    """The bug of issue 17: no Gaia-parallax star had L or R (their error is not shipped)."""
    gaia = (small_catalog[C.PARALLAX_SOURCE] == "gaia_dr3").to_numpy()
    assert small_catalog.loc[gaia, C.PARALLAX_ERROR].isna().all()
    fit = compute_sed_fit(small_catalog.loc[gaia])
    assert (fit[C.LUMINOSITY_STATUS] == "ok").sum() > 0.5 * gaia.sum()
    assert fit[C.RADIUS_RSUN].notna().sum() > 0.5 * gaia.sum()
