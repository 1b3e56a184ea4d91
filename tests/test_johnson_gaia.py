"""The one Johnson-Cousins -> Gaia relation: its fitter, the match's G and the HR estimates."""

from __future__ import annotations

import numpy as np
import pytest

from sedviz.catalog.johnson_gaia import (
    BP_MINUS_RP,
    DEGREE,
    ESTIMATE_V_I_RANGE,
    G_MINUS_V,
    estimate_bp_rp,
    estimate_g_mag,
    expected_g_mag,
    fit_clipped_polynomial,
    in_relation_range,
)


def test_fit_recovers_a_known_relation_despite_outliers() -> None:
    v_i = np.linspace(-0.3, 4.5, 400)
    true = np.array([-0.016, -0.028, -0.248, 0.037, -0.003])
    g_v = np.polynomial.polynomial.polyval(v_i, true)
    g_v[::40] += 2.0  # outliers (blends, variables) are clipped
    g_v[5] = np.nan  # ignored
    fit = fit_clipped_polynomial(v_i, g_v)
    np.testing.assert_allclose(fit.coefficients, true, atol=1e-6)
    assert fit.scatter < 1e-6 and fit.n_kept == 400 - 10 - 1
    assert len(fit.coefficients) == DEGREE + 1 == len(G_MINUS_V) == len(BP_MINUS_RP)


def test_fit_is_deterministic_and_clips_at_the_given_distance() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 2, 500)
    y = 0.5 * x + rng.normal(0, 0.05, 500)
    y[:20] += 0.2  # inside a 0.3 mag clip, outside a 0.1 mag one
    assert fit_clipped_polynomial(x, y) == fit_clipped_polynomial(x, y)
    assert fit_clipped_polynomial(x, y).n_kept == 500
    assert fit_clipped_polynomial(x, y, clip=0.1).n_kept < 480


def test_the_estimate_is_the_match_relation_inside_its_range() -> None:
    v_mag = np.full(7, 5.0)
    v_i = np.array([-0.3, -0.25, 0.0, 1.0, 3.2, 4.0, np.nan])
    estimate = estimate_g_mag(v_mag, v_i)
    inside = (v_i >= ESTIMATE_V_I_RANGE[0]) & (v_i <= ESTIMATE_V_I_RANGE[1])
    np.testing.assert_array_equal(estimate[inside], expected_g_mag(v_mag, v_i)[inside])
    assert np.isnan(estimate[~inside]).all() and np.isnan(estimate_bp_rp(v_i)[~inside]).all()
    assert expected_g_mag(np.array([5.0]), np.array([0.0]))[0] == pytest.approx(5 + G_MINUS_V[0])
    # a star with V-I 4.0 is matched through the relation but not placed by an estimate
    assert in_relation_range(np.array([4.0, 5.0, -0.4, np.nan])).tolist() == [True] + [False] * 3


def test_bp_rp_grows_with_v_i_where_estimates_are_shown() -> None:
    v_i = np.linspace(*ESTIMATE_V_I_RANGE, 200)
    assert (np.diff(estimate_bp_rp(v_i)) > 0).all()  # redder in V - I, redder in BP - RP
