"""Simulator physics options: band-integrated extinction, dust disk, binaries, Gaia DR3."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sedviz import columns as C
from sedviz.sed.fit import compute_extinction_ratios
from sedviz.simulate.core import SimulationSettings, simulate_stars
from sedviz.simulate.extinction import compute_band_extinction, compute_gaia_dr3_minus_dr2
from sedviz.simulate.templates import compute_companion_type, compute_template_teff

#: Noise-free, no type scatter: photometry equals templates plus the effect under test.
EXACT = SimulationSettings(
    av_distribution="none", noise_scale=0.0, sys_error_mag=0.0, type_scatter_subclass=0.0
)


def test_band_extinction_depends_on_temperature_and_nears_the_pivot_value() -> None:
    bands = ("B", "V", "BP", "RP", "G")
    teff = np.array([30000.0, 5800.0, 3500.0])
    per_av = compute_band_extinction(bands, teff, np.full(3, 0.5)) / 0.5
    pivot = compute_extinction_ratios(bands)
    # Within 15 % of the law at the pivot for every band, exact for none.
    assert np.all(np.abs(per_av / pivot - 1.0) < 0.2)
    g = bands.index("G")
    assert per_av[0, g] > per_av[1, g] > per_av[2, g]  # hot stars lose more in broad G
    ebv = per_av[:, 0] - per_av[:, 1]
    assert ebv[0] > ebv[2]
    # Nonlinear in A_V: the reddened light moves to the red, A_G / A_V falls.
    thick = compute_band_extinction(bands, teff, np.full(3, 3.0)) / 3.0
    assert (thick[:, g] < per_av[:, g]).all()
    assert np.allclose(compute_band_extinction(bands, teff, np.zeros(3)), 0.0, atol=1e-12)


def test_integrated_extinction_changes_the_colour_excess_per_star() -> None:
    settings = replace(EXACT, av_distribution="exponential", extinction_method="integrated")
    red = simulate_stars(30, seed=4, settings=settings)
    clean = simulate_stars(30, seed=4, settings=EXACT)
    excess = (red[C.B_V] - clean[C.B_V]) / red["a_v"]
    pivot_b, pivot_v = compute_extinction_ratios(("B", "V"))
    assert excess.std() > 0.003  # not one constant ratio, unlike the pivot method
    assert np.allclose(excess, pivot_b - pivot_v, rtol=0.25)  # cool stars: about -20 %
    hot = red[C.SP_CLASS].isin(["O", "B"])
    cool = red[C.SP_CLASS].isin(["K", "M"])
    assert excess[hot].median() > excess[cool].median()


def test_disk_reddening_saturates_below_the_distance_law() -> None:
    base = SimulationSettings(av_mag=1.0)
    line = simulate_stars(200, seed=5, settings=replace(base, av_distribution="distance"))
    disk = simulate_stars(200, seed=5, settings=replace(base, av_distribution="disk"))
    hot = disk[C.SP_CLASS] == "O"
    assert disk.loc[hot, "a_v"].median() < line.loc[hot, "a_v"].median()
    # Same clumpiness draws: less dust per path means further away and less A_V at the same G.
    assert (disk["a_v"] <= line["a_v"] + 1e-9).all()
    assert (disk["distance_pc"] >= line["distance_pc"] * (1 - 1e-9)).all()
    assert (disk["a_v"] >= 0).all() and disk.groupby(C.SP_CLASS)["a_v"].median()["O"] > 0.1


def test_extra_av_adds_reddening_to_every_star() -> None:
    none = simulate_stars(50, seed=6, settings=EXACT)
    extra = simulate_stars(50, seed=6, settings=replace(EXACT, av_extra_mag=0.2))
    assert (none["a_v"] == 0).all()
    assert 0.15 < extra["a_v"].mean() < 0.25
    assert ((extra[C.B_V] - none[C.B_V]).dropna() > 0).all()


def test_companions_add_light_and_keep_the_label() -> None:
    single = simulate_stars(60, seed=7, settings=EXACT)
    binary = simulate_stars(60, seed=7, settings=replace(EXACT, binary_fraction=1.0))
    assert single["companion_type_code"].isna().all()
    has = binary["companion_type_code"].notna()
    assert has.mean() > 0.5  # some companions are too light to shine
    assert (binary[C.SP_TYPE] == single[C.SP_TYPE]).all()
    # Same apparent G, extra light: the system sits further away.
    assert (binary.loc[has, "distance_pc"] > single.loc[has, "distance_pc"]).all()
    # A cooler companion makes G-RP redder (or equal, for a twin).
    red = binary[C.G_MAG] - binary[C.RP_MAG] - (single[C.G_MAG] - single[C.RP_MAG])
    assert (red[has] > -1e-9).all() and (red[has] > 1e-3).any()


def test_companion_types_follow_the_mass_sequence() -> None:
    code = np.array([20.0, 40.0, 60.0, 69.0])
    assert np.allclose(compute_companion_type(code, np.ones(4)), code)
    half = compute_companion_type(code, np.full(4, 0.5))
    assert (half[:3] > code[:3]).all() and np.isnan(half[3])  # below the lightest dwarf
    teff = compute_template_teff(np.array([10.0, 40.0, 69.5]))
    assert teff[0] > 20000 > teff[1] > 5000 > teff[2]


def test_gaia_dr3_shift_is_small_and_only_in_gaia_bands() -> None:
    shift = compute_gaia_dr3_minus_dr2(np.array([30000.0, 5800.0, 3500.0]))
    assert shift.shape == (3, 3) and np.abs(shift).max() < 0.1
    dr2 = simulate_stars(20, seed=8, settings=EXACT)
    dr3 = simulate_stars(20, seed=8, settings=replace(EXACT, gaia_dr3=True))
    assert np.allclose(dr3[C.B_V], dr2[C.B_V]) and np.allclose(dr3[C.G_MAG], dr2[C.G_MAG])
    assert not np.allclose(dr3[C.BP_MAG], dr2[C.BP_MAG])


@pytest.mark.parametrize(
    "change",
    [
        {"extinction_method": "middle"},
        {"binary_fraction": 1.5},
        {"binary_q_min": -0.1},
        {"dust_scale_height_pc": 0.0},
        {"av_extra_mag": -0.1},
    ],
)
def test_bad_physics_settings_raise(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        simulate_stars(2, settings=replace(SimulationSettings(), **change))  # type: ignore[arg-type]
