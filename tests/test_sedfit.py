"""Blackbody SED fit: recovery, real stars, luminosity, bad input, de-reddening."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.tables import load_star_table
from sedviz.sed.bands import get_band
from sedviz.sed.bands_build import compute_band_mean_fnu, compute_pi_planck_jy, load_curve
from sedviz.sed.fit import compute_extinction_ratios, compute_sed_fit
from sedviz.sed.templates import compute_teff_of_type

REAL_STARS = Path(__file__).parent / "data" / "sed" / "real_stars.csv"
OPTICAL = {"BT": C.BT_MAG, "VT": C.VT_MAG, "Hp": C.HP_MAG, "G": C.G_MAG, "RP": C.RP_MAG}
_R_SUN_PC = 6.957e8 / 3.0856775814913673e16


def blackbody_mags(teff_k: float, dilution: float, columns: dict[str, str]) -> dict[str, float]:
    """Band-integrated Vega magnitudes of a blackbody, straight from the filter curves."""
    out = {}
    for band, column in columns.items():
        wave, response = load_curve(get_band(band).spec.filter_id)
        fnu = compute_band_mean_fnu(wave, response, compute_pi_planck_jy(wave, np.array([teff_k])))
        out[column] = float(-2.5 * np.log10(dilution * fnu[0] / get_band(band).zero_point_jy))
    return out


@pytest.mark.parametrize("teff_k", [3517.0, 6123.0, 9876.0])
def test_recovers_a_blackbody_computed_from_the_curves(teff_k: float) -> None:
    dilution = (1.3 * _R_SUN_PC / 40.0) ** 2
    row = blackbody_mags(teff_k, dilution, {**OPTICAL, "Ks": C.KS_MAG})
    fit = compute_sed_fit(pd.DataFrame([row])).iloc[0]
    assert fit[C.SED_FIT_STATUS] == "ok"
    assert fit[C.TEFF] == pytest.approx(teff_k, rel=0.002)
    assert fit[C.SED_N_BANDS] == 6
    assert fit[C.SED_CHI2_DOF] < 0.01
    theta_mas = 2 * np.sqrt(dilution) * 180 / np.pi * 3600e3
    assert fit[C.ANGULAR_DIAMETER_MAS] == pytest.approx(theta_mas, rel=0.005)


def test_sun_at_10_pc_has_one_solar_luminosity_and_radius() -> None:
    row = blackbody_mags(5772.0, (_R_SUN_PC / 10.0) ** 2, OPTICAL)
    row |= {C.PARALLAX: 100.0, C.PARALLAX_ERROR: 1.0}
    fit = compute_sed_fit(pd.DataFrame([row])).iloc[0]
    assert fit[C.LUMINOSITY_STATUS] == "ok"
    assert fit[C.LUMINOSITY_LSUN] == pytest.approx(1.0, rel=0.01)
    assert fit[C.RADIUS_RSUN] == pytest.approx(1.0, rel=0.01)
    assert 0 < fit[C.RADIUS_RSUN_ERROR] < 0.05


def test_real_dwarfs_get_temperatures_near_their_type(stars: pd.DataFrame) -> None:
    dwarfs = stars[stars[C.LUM_CLASS] == "V"]
    fit = compute_sed_fit(dwarfs)
    ref = compute_teff_of_type(dwarfs[C.SP_CLASS], dwarfs[C.SP_SUBCLASS])
    assert (fit[C.SED_FIT_STATUS] == "ok").all()
    assert (fit[C.SED_N_BANDS] == 9).all()
    frac = fit[C.TEFF].to_numpy() / ref - 1
    # F-K dwarfs within 10 %; A dwarfs come out hot (Balmer jump, docs/sed.md);
    # the B9Vn star is on the optical Rayleigh-Jeans tail: only its sign is checked.
    cls = dwarfs[C.SP_CLASS].to_numpy()
    assert np.all(np.abs(frac[np.isin(cls, ["F", "G", "K"])]) < 0.10), frac
    assert np.all((frac[cls == "A"] > 0) & (frac[cls == "A"] < 0.30)), frac
    assert np.all(frac[cls == "B"] > 0), frac
    rel_error = (fit[C.TEFF_ERROR] / fit[C.TEFF]).to_numpy()
    assert np.all(rel_error > 0) and np.all(rel_error[cls != "B"] < 0.1)
    assert (fit[C.LUMINOSITY_STATUS] == "ok").all()


def test_table_fit_equals_one_star_fits(small_catalog: pd.DataFrame) -> None:
    table = small_catalog.iloc[:40]
    whole = compute_sed_fit(table)
    singles = pd.concat([compute_sed_fit(table.iloc[[i]]) for i in range(len(table))])
    pd.testing.assert_frame_equal(whole, singles)


def test_bad_input_is_marked_not_fitted(stars: pd.DataFrame) -> None:
    base = stars.iloc[[0]].reset_index(drop=True)
    one_band = pd.DataFrame({C.G_MAG: [8.0], C.PARALLAX: [10.0], C.PARALLAX_ERROR: [0.1]})
    nothing = pd.DataFrame({C.G_MAG: [99.0], C.V_MAG: [-99.0], C.HP_MAG: [0.0]})
    nan_errors = base.assign(
        **{c: np.nan for c in [C.HP_MAG_ERROR, C.BT_MAG_ERROR, C.VT_MAG_ERROR]},
        **{c: np.nan for c in [C.B_V_ERROR, C.V_I_ERROR]},
        **{C.BP_MAG: np.nan, C.RP_MAG: np.nan},
    )
    fit = compute_sed_fit(pd.concat([one_band, nothing, nan_errors], ignore_index=True))
    assert list(fit[C.SED_FIT_STATUS]) == [
        "only 1 usable band(s), 3 needed",
        "no usable bands",
        "only 2 usable band(s), 3 needed",  # V and G left
    ]
    assert fit[[C.TEFF, C.TEFF_ERROR, C.SED_CHI2_DOF, C.LUMINOSITY_LSUN]].isna().all().all()
    assert list(fit[C.SED_N_BANDS]) == [1, 0, 2]
    assert (fit[C.LUMINOSITY_STATUS] == "no Teff fit").all()


def test_luminosity_needs_a_good_parallax(stars: pd.DataFrame) -> None:
    fit = compute_sed_fit(stars).set_index(stars[C.HIP])
    assert fit.at[13, C.LUMINOSITY_STATUS] == "no positive parallax"
    assert fit.at[344, C.LUMINOSITY_STATUS] == "no Teff fit"  # Mira-like M5e-M7e: < 2000 K
    assert fit.loc[[13, 344], C.LUMINOSITY_LSUN].isna().all()
    assert fit.at[13, C.SED_FIT_STATUS] == "ok"  # Teff still fitted
    no_error = stars.assign(**{C.PARALLAX_ERROR: np.nan, C.HIP_PARALLAX_ERROR: np.nan})
    assert (compute_sed_fit(no_error)[C.LUMINOSITY_STATUS] != "ok").all()
    noisy = compute_sed_fit(stars.assign(**{C.PARALLAX_ERROR: stars[C.PARALLAX] / 4.0}))
    assert set(noisy[C.LUMINOSITY_STATUS]) >= {"parallax / error below 5"}
    assert noisy[C.LUMINOSITY_LSUN].isna().all()
    no_parallax = compute_sed_fit(stars.drop(columns=[C.PARALLAX]))
    fitted = no_parallax[C.SED_FIT_STATUS] == "ok"
    assert (no_parallax.loc[fitted, C.LUMINOSITY_STATUS] == "no parallax").all()


def test_gaia_parallax_without_error_uses_the_hipparcos_error(stars: pd.DataFrame) -> None:
    """HIP 3: Gaia DR3 parallax 2.99 mas shipped without error, Hipparcos error 0.36 mas."""
    fit = compute_sed_fit(stars).set_index(stars[C.HIP])
    assert stars.set_index(C.HIP).at[3, C.PARALLAX_SOURCE] == "gaia_dr3"
    assert fit.at[3, C.LUMINOSITY_STATUS] == "ok"
    assert fit.at[3, C.LUMINOSITY_LSUN] > 0
    # S/N 2.99 / 0.36 = 8.3: the parallax error is 12 %, so L carries at least 24 %
    assert fit.at[3, C.LUMINOSITY_LSUN_ERROR] / fit.at[3, C.LUMINOSITY_LSUN] >= 0.24
    zero_error = compute_sed_fit(stars.assign(**{C.PARALLAX_ERROR: 0.0}))
    assert zero_error.set_index(stars[C.HIP]).at[3, C.LUMINOSITY_STATUS] == "ok"


def test_dereddening_makes_stars_hotter(stars: pd.DataFrame) -> None:
    plain = compute_sed_fit(stars)
    dered = compute_sed_fit(stars, av=0.3, extinction_law="G23")
    fitted = plain[C.TEFF].notna()
    assert (dered.loc[fitted, C.TEFF] > plain.loc[fitted, C.TEFF]).all()
    ratios = compute_extinction_ratios(("B", "V", "Ks", "W4"), "G23", 3.1)
    assert ratios[1] == pytest.approx(1.0, abs=0.02) and ratios[0] > 1.2
    assert 0.05 < ratios[2] < 0.15 and np.isfinite(ratios[3])
    assert np.isnan(compute_extinction_ratios(("V", "W4"), "F99", 3.1)[1])  # outside F99
    with pytest.raises(ValueError, match="unknown extinction law"):
        compute_extinction_ratios(("V",), "nonsense", 3.1)


def test_real_gaia_archive_rows_use_flux_over_error() -> None:
    table = load_star_table(Path(__file__).parent / "data" / "sed" / "gaia_dr3_cone.csv")
    fit = compute_sed_fit(table)
    assert (fit[C.SED_FIT_STATUS] == "ok").all()  # G, BP, RP: three bands, one dof
    assert (fit[C.SED_N_BANDS] == 3).all()
    # BP-RP from 0.9 to 1.9: cooler than the Sun, hotter than the grid floor
    assert fit[C.TEFF].between(2500, 6500).all(), fit[C.TEFF]
    # the G = 21 star (BP flux/error 2.7) is far less certain than the G = 16 ones
    rel = fit[C.TEFF_ERROR] / fit[C.TEFF]
    assert rel.iloc[3] > 3 * rel.iloc[:3].max()
    assert list(fit[C.LUMINOSITY_STATUS]) == ["ok", "ok", "parallax / error below 5", "no parallax"]
