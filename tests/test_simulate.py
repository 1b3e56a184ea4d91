"""Simulated stars: reproducible, labelled as simulated, noise / reddening / gaps as asked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.tables import validate_star_table
from sedviz.errors import SedvizError
from sedviz.sed.fit import compute_extinction_ratios
from sedviz.sed.templates import compute_type_code
from sedviz.simulate.core import (
    SIM_ID_OFFSET,
    SIMULATED,
    SimulationSettings,
    compute_noise_sigma,
    simulate_stars,
)
from sedviz.simulate.io import load_simulated_table, load_simulation_record, save_simulated_table
from sedviz.simulate.templates import (
    build_template_grid,
    compute_template_abs_mags,
    compute_type_range,
)
from sedviz.simulate.to_real import REAL_TEST, SIM_TEST, sim_to_real_frame, train_sim_model

#: Noise-free, unreddened, no type scatter: photometry equals the templates.
EXACT = SimulationSettings(
    av_distribution="none", noise_scale=0.0, sys_error_mag=0.0, type_scatter_subclass=0.0
)
TINY_PARAMS = {"n_estimators": 5, "max_depth": 3, "learning_rate": 0.3}


@pytest.fixture(scope="module")
def stars() -> pd.DataFrame:
    return simulate_stars(40, seed=7)


def _template_colour(table: pd.DataFrame, blue: str, red: str) -> np.ndarray:
    code = compute_type_code(table[C.SP_CLASS].to_numpy(), table[C.SP_SUBCLASS].to_numpy())
    mags = compute_template_abs_mags(code, (blue, red))
    return mags[:, 0] - mags[:, 1]


def test_same_seed_same_table_other_seed_other_table(stars: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(simulate_stars(40, seed=7), stars)
    other = simulate_stars(40, seed=8)
    assert not np.allclose(other[C.G_MAG], stars[C.G_MAG])


def test_table_is_a_valid_star_table_marked_simulated(stars: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(validate_star_table(stars), stars)
    assert len(stars) == 7 * 40
    assert stars[C.SP_CLASS].value_counts().to_dict() == dict.fromkeys(C.SP_CLASSES, 40)
    assert stars[SIMULATED].all() and (stars[C.LUM_CLASS] == "V").all()
    assert (stars[C.SP_TYPE_SOURCE] == "simulated").all()
    assert (stars[C.PARALLAX_SOURCE] == "simulated").all()
    assert stars[C.SOURCE_ID].is_unique and (stars[C.SOURCE_ID] >= SIM_ID_OFFSET).all()
    assert stars[[C.RA, C.DEC]].isna().all().all()  # no invented sky positions
    assert C.HP_MAG not in stars.columns  # the templates have no Hp colour


def test_subclass_stays_in_the_letter_range(stars: pd.DataFrame) -> None:
    for letter, group in stars.groupby(C.SP_CLASS):
        lo, hi = compute_type_range(str(letter))
        code = compute_type_code(group[C.SP_CLASS].to_numpy(), group[C.SP_SUBCLASS].to_numpy())
        assert ((code >= lo) & (code <= hi)).all()
    assert compute_type_range("O") == (3.0, 9.5) and compute_type_range("B") == (10.0, 19.5)


def test_noise_free_colours_are_the_templates() -> None:
    exact = simulate_stars(15, seed=1, settings=EXACT)
    assert np.allclose(exact[C.B_V], _template_colour(exact, "B", "V"), atol=1e-9)
    bp_rp = exact[C.BP_MAG] - exact[C.RP_MAG]
    assert np.allclose(bp_rp, _template_colour(exact, "BP", "RP"), atol=1e-9)


def test_colour_noise_matches_the_error_columns() -> None:
    noisy = simulate_stars(150, seed=2, settings=replace(EXACT, noise_scale=1.0))
    for colour, blue in ((C.B_V, "B"), (C.V_I, "I")):
        truth = (
            _template_colour(noisy, blue, "V")
            if blue == "B"
            else -_template_colour(noisy, "I", "V")
        )
        z = (noisy[colour] - truth) / noisy[f"{colour}_error"]
        assert 0.9 < float(np.nanstd(z)) < 1.1
    assert noisy[C.B_V_ERROR].min() >= 0.005  # the floor of the noise model


def test_noise_grows_with_magnitude_and_scales() -> None:
    bright, faint = compute_noise_sigma("BT", np.array([6.0, 10.0]))
    assert faint > 3 * bright
    assert compute_noise_sigma("BT", np.array([8.0]), scale=2.0)[0] == pytest.approx(
        2 * compute_noise_sigma("BT", np.array([8.0]))[0]
    )


def test_systematic_scatter_is_added() -> None:
    scattered = simulate_stars(150, seed=3, settings=replace(EXACT, sys_error_mag=0.05))
    residual = scattered[C.B_V] - _template_colour(scattered, "B", "V")
    assert 0.045 < float(np.nanstd(residual)) < 0.055


def test_parallax_noise_matches_its_error(stars: pd.DataFrame) -> None:
    z = (stars[C.PARALLAX] - 1000.0 / stars["distance_pc"]) / stars[C.PARALLAX_ERROR]
    assert 0.85 < float(z.std()) < 1.15 and abs(float(z.mean())) < 0.15


def test_g_stays_in_range_and_reddening_reddens() -> None:
    clean = simulate_stars(30, seed=4, settings=EXACT)
    red = simulate_stars(30, seed=4, settings=replace(EXACT, av_distribution="exponential"))
    assert clean[C.G_MAG].between(3.0, 10.0).all() and red[C.G_MAG].between(3.0, 10.0).all()
    ratio_b, ratio_v = compute_extinction_ratios(("B", "V"))
    excess = red[C.B_V] - clean[C.B_V]
    assert (excess > 0).mean() > 0.99
    assert np.allclose(excess, red["a_v"] * (ratio_b - ratio_v), atol=1e-9)
    assert (red["distance_pc"] < clean["distance_pc"]).all()  # same G: dimmed stars are nearer


def test_distance_reddening_hits_the_luminous_distant_stars() -> None:
    table = simulate_stars(100, seed=5, settings=SimulationSettings(av_distribution="distance"))
    per_class = table.groupby(C.SP_CLASS)["a_v"].median()
    assert per_class["O"] > per_class["B"] > per_class["G"] > per_class["M"]
    assert (table["a_v"] > 0).all()


def test_missing_rates_are_obeyed() -> None:
    rates = {C.BT_MAG: 0.3, C.PARALLAX: 1.0, C.J_MAG: 0.0}
    table = simulate_stars(300, seed=6, settings=SimulationSettings(missing_rates=rates))
    gone = table[C.BT_MAG].isna()
    assert 0.26 < gone.mean() < 0.34
    assert (table.loc[gone, C.BT_MAG_ERROR].isna()).all()
    assert table[C.PARALLAX].isna().all() and table[C.PARALLAX_ERROR].isna().all()
    assert table[C.J_MAG].notna().all() and table[C.VT_MAG].notna().all()


def test_default_settings_leave_out_bands_the_catalogue_lacks(stars: pd.DataFrame) -> None:
    assert stars[[C.J_MAG, C.KS_MAG, C.W1_MAG]].isna().all().all()
    assert stars[C.G_MAG].notna().all()


@pytest.mark.parametrize(
    "change",
    [
        {"av_distribution": "gaussian"},
        {"missing_rates": {C.BT_MAG: 1.5}},
        {"missing_rates": {"no_such_column": 0.1}},
        {"g_range_mag": (10.0, 3.0)},
        {"sys_error_mag": -0.1},
        {"classes": ("X",)},
    ],
)
def test_bad_settings_raise(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        simulate_stars(2, settings=replace(SimulationSettings(), **change))  # type: ignore[arg-type]


def test_template_gaps_are_filled_and_marked() -> None:
    grid, filled = build_template_grid(True)
    raw, _ = build_template_grid(False)
    assert raw.loc[10.0, "BP"] != raw.loc[10.0, "BP"]  # B0V: no BP in the table
    assert np.isfinite(grid.loc[10.0, "BP"]) and filled.loc[10.0, "BP"]
    assert not filled.loc[50.0].any()  # K0V: all measured colours
    bp_rp = grid["BP"] - grid["RP"]
    assert bp_rp.loc[3.0] < bp_rp.loc[10.0] < bp_rp.loc[19.0]  # hotter is bluer


def test_io_round_trip_keeps_the_simulated_label(tmp_path: Path, stars: pd.DataFrame) -> None:
    for suffix in (".csv", ".parquet"):
        path = save_simulated_table(stars, tmp_path / f"s{suffix}", {"seed": 7})
        back = load_simulated_table(path)
        assert back[SIMULATED].all() and len(back) == len(stars)
        assert np.allclose(back[C.G_MAG], stars[C.G_MAG])
        assert load_simulation_record(path) == {"simulated": True, "seed": 7}
    assert (tmp_path / "s.csv").read_text().startswith("# SIMULATED STARS, NOT MEASUREMENTS")


def test_real_tables_are_refused(tmp_path: Path, small_catalog: pd.DataFrame) -> None:
    with pytest.raises(SedvizError, match="not a simulated table"):
        save_simulated_table(small_catalog, tmp_path / "x.csv")
    small_catalog.to_csv(tmp_path / "real.csv", index=False)
    with pytest.raises(SedvizError):
        load_simulated_table(tmp_path / "real.csv")
    with pytest.raises(SedvizError):
        train_sim_model(small_catalog, params=TINY_PARAMS)


def test_train_on_simulation_score_on_real(
    stars: pd.DataFrame, small_catalog: pd.DataFrame
) -> None:
    model = train_sim_model(stars, params=TINY_PARAMS, simulation={"seed": 7})
    record = model.training_["training_data"]
    assert record["kind"] == "simulated" and record["parallax_used"] is False
    assert record["simulation"] == {"seed": 7}
    frame = sim_to_real_frame(model, small_catalog)
    assert frame.loc[SIM_TEST, "n"] == 7 * 8  # 20 % of 40 per class held out
    assert frame.loc[REAL_TEST, "n"] > 0 and frame["accuracy"].between(0, 1).all()
    with pytest.raises(SedvizError, match="at least two"):
        train_sim_model(stars, C.LUM_CLASS, params=TINY_PARAMS)
    with pytest.raises(SedvizError, match="simulated rows"):
        sim_to_real_frame(model, stars)
