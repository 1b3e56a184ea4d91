"""Retraining logic: subsets, refusals, settings, the same held-out stars, job, card, archive sets."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.archive.fetch import ANSWER_COLUMNS
from sedviz.archive.simbad import apply_mk
from sedviz.classifier.registry import load_card, load_model, save_model
from sedviz.classifier.scoring import evaluate_stars
from sedviz.classifier.targets import compute_target_labels
from sedviz.classifier.training import (
    TRAIN,
    VALIDATION,
    compute_split,
    compute_test_mask,
)
from sedviz.retrain.compare import DISAGREEMENTS, OUTCOME, compute_held_out_mask
from sedviz.retrain.job import (
    RetrainCancelled,
    RetrainJob,
    RetrainRequest,
    plan_retrain,
    run_retrain,
)
from sedviz.retrain.subset import (
    MIN_TRAIN_PER_CLASS,
    PARAM_BOUNDS,
    RetrainParams,
    SettingsError,
    SubsetError,
    SubsetFilters,
    build_filter_subset,
    build_model_name,
    build_selection_subset,
    build_subset,
    build_upload_subset,
    build_whole_subset,
    check_params,
    check_subset,
    compute_id_hash,
    load_uploaded_ids,
    subset_counts_frame,
)
from tests.retrain_helpers import build_tiny_registry, sample_ids

pytestmark = pytest.mark.slow  # trains models on the catalogue

FAST = RetrainParams(n_trees=15, max_depth=3, learning_rate=0.3)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory, catalog: pd.DataFrame) -> Path:
    return build_tiny_registry(tmp_path_factory.mktemp("models"), catalog)


@pytest.fixture(scope="module")
def lasso(catalog: pd.DataFrame) -> tuple[int, ...]:
    return sample_ids(catalog, 2500)


# --- settings --------------------------------------------------------------------------
def test_params_defaults_and_bounds() -> None:
    assert check_params(200, 6, 0.3, True) == RetrainParams()
    params = RetrainParams(n_trees=50, early_stopping=False).xgb_params()
    assert params["n_estimators"] == 50 and params["early_stopping_rounds"] is None
    assert params["n_jobs"] == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((5000, 6, 0.2), "trees must be between 10 and 600, got 5000"),
        ((9, 6, 0.2), "trees must be between 10 and 600"),
        ((200, 12, 0.2), "depth must be between 2 and 8, got 12"),
        ((200, 6, 0.0), "learning rate must be between 0.02 and 0.5, got 0.0"),
        ((200, 6, 2), "learning rate must be between"),
        ((200.5, 6, 0.2), "trees must be a whole number"),
        ((200, 6, math.nan), "learning rate must be a finite number"),
        (("many", 6, 0.2), "trees must be a number"),
        ((200, True, 0.2), "depth must be a number"),
    ],
)
def test_params_refused_with_reason(values: tuple[object, ...], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        check_params(*values)


def test_param_bounds_hold_the_defaults() -> None:
    defaults = RetrainParams()
    for key, (low, high) in PARAM_BOUNDS.items():
        assert low <= getattr(defaults, key) <= high


# --- subsets ---------------------------------------------------------------------------
def test_id_hash_ignores_order_and_repeats() -> None:
    assert compute_id_hash([3, 1, 2]) == compute_id_hash((2, 3, 1, 1))
    assert compute_id_hash([1, 2]) != compute_id_hash([1, 3])
    assert len(compute_id_hash([1])) == 16


def test_selection_subset(catalog: pd.DataFrame, lasso: tuple[int, ...]) -> None:
    subset = build_selection_subset(catalog, lasso, "lasso on the HR diagram", "the catalogue")
    assert subset.kind == "selection" and subset.n_stars == len(lasso)
    assert subset.description == "lasso on the HR diagram: 2,500 stars of the catalogue"
    assert subset.mask(catalog).sum() == len(lasso)
    card = subset.to_card()
    assert card["id_hash"] == compute_id_hash(lasso) and card["n_stars"] == 2500


def test_filter_subset(catalog: pd.DataFrame) -> None:
    filters = SubsetFilters(
        target=C.SP_CLASS, g_bright_mag=5.0, g_faint_mag=7.0, parallax_snr_min=10, classes=("K",)
    )
    subset = build_filter_subset(catalog, filters, "the catalogue")
    chosen = catalog[subset.mask(catalog)]
    assert len(chosen) > 100
    assert chosen[C.G_MAG].between(5.0, 7.0).all() and set(chosen[C.SP_CLASS]) == {"K"}
    assert "5 <= G <= 7 mag, parallax S/N >= 10, catalogued sp_class in K" in subset.description
    assert SubsetFilters().describe() == "no filter"


def test_upload_subset(catalog: pd.DataFrame) -> None:
    hips = catalog[C.HIP].dropna().astype("int64").head(40).tolist()
    data = ("# my giants\nhip\n" + "\n".join(map(str, hips)) + "\nnot-a-number\n").encode()
    ids = load_uploaded_ids(data, "giants.csv")
    subset = build_upload_subset(catalog, ids, "giants.csv", "the catalogue")
    assert subset.n_stars == 40 and subset.kind == "upload"
    assert "uploaded list giants.csv (40 hip values, 40 found" in subset.description
    with pytest.raises(SubsetError, match="needs a 'hip' or 'source_id' column"):
        load_uploaded_ids(b"name\nVega\n", "names.csv")
    with pytest.raises(SubsetError, match="no 'hip' column"):
        build_upload_subset(catalog.drop(columns=[C.HIP]), ids, "giants.csv", "a cone")


def test_model_name_suggestion_is_valid(catalog: pd.DataFrame) -> None:
    from sedviz.classifier.registry import validate_model_name

    subset = build_whole_subset(catalog.head(10), "ten stars")
    assert validate_model_name(build_model_name(C.LUM_CLASS, subset)).startswith("lum_class-all-")


# --- refusals --------------------------------------------------------------------------
def _counts(catalog: pd.DataFrame, ids: tuple[int, ...], target: str = C.SP_CLASS) -> pd.DataFrame:
    mask = catalog[C.SOURCE_ID].isin(ids).to_numpy()
    return subset_counts_frame(catalog, target, mask)


def test_counts_use_the_whole_set_split(catalog: pd.DataFrame, lasso: tuple[int, ...]) -> None:
    counts = _counts(catalog, lasso)
    assert list(counts.columns) == ["training", "validation", "held out"]
    assert int(counts.to_numpy().sum()) == len(lasso)
    split = compute_split(catalog, C.SP_CLASS)
    inside = catalog[C.SOURCE_ID].isin(lasso)
    assert counts["training"].sum() == int((inside & (split == TRAIN)).sum())


def test_refuses_empty_and_unlabelled(catalog: pd.DataFrame) -> None:
    counts = _counts(catalog, ())
    with pytest.raises(SubsetError, match="the subset is empty"):
        check_subset(counts, C.SP_CLASS, n_stars=0)
    with pytest.raises(SubsetError, match="no star of the subset has a catalogued sp_class"):
        check_subset(counts, C.SP_CLASS, n_stars=5)


def test_refuses_one_class_naming_class_count_and_minimum(catalog: pd.DataFrame) -> None:
    k_stars = catalog[catalog[C.SP_CLASS] == "K"][C.SOURCE_ID].head(400)
    m_stars = catalog[catalog[C.SP_CLASS] == "M"][C.SOURCE_ID].head(6)
    counts = _counts(catalog, tuple(k_stars) + tuple(m_stars))
    n_k, n_m = int(counts.loc["K", "training"]), int(counts.loc["M", "training"])
    assert n_m < MIN_TRAIN_PER_CLASS <= n_k
    with pytest.raises(SubsetError) as info:
        check_subset(counts, C.SP_CLASS)
    message = str(info.value)
    assert f"K: {n_k}" in message and f"M: {n_m}" in message
    assert f"{MIN_TRAIN_PER_CLASS} or more training stars" in message and "2 classes" in message


def test_small_classes_are_left_out_not_refused(catalog: pd.DataFrame) -> None:
    parts = [catalog[catalog[C.SP_CLASS] == c][C.SOURCE_ID].head(n) for c, n in
             (("G", 300), ("K", 300), ("O", 5))]  # fmt: skip
    counts = _counts(catalog, tuple(pd.concat(parts)))
    assert check_subset(counts, C.SP_CLASS) == ("O",)


def test_refuses_too_few_validation_stars_unless_early_stopping_off(catalog: pd.DataFrame) -> None:
    split = compute_split(catalog, C.SP_CLASS)
    train = catalog[(split == TRAIN).to_numpy()]
    val = catalog[(split == VALIDATION).to_numpy()]
    ids = [train[train[C.SP_CLASS] == c][C.SOURCE_ID].head(20) for c in ("G", "K")]
    ids += [val[val[C.SP_CLASS] == c][C.SOURCE_ID].head(2) for c in ("G", "K")]
    counts = _counts(catalog, tuple(pd.concat(ids)))
    with pytest.raises(SubsetError, match=r"too few validation stars: 4 \(minimum 10\)"):
        check_subset(counts, C.SP_CLASS)
    assert check_subset(counts, C.SP_CLASS, early_stopping=False) == ()


def test_refuses_too_few_held_out_stars(catalog: pd.DataFrame, registry: Path) -> None:
    split = compute_split(catalog, C.SP_CLASS).to_numpy()
    parts = [
        catalog[(catalog[C.SP_CLASS] == c).to_numpy() & (split == part)][C.SOURCE_ID].head(n)
        for c in ("G", "K")
        for part, n in ((TRAIN, 60), (VALIDATION, 6), ("test", 10))
    ]
    subset = build_selection_subset(catalog, tuple(pd.concat(parts)), "box", "the catalogue")
    request = RetrainRequest(catalog, C.SP_CLASS, subset, FAST, held_out_scope="subset",
                             models_root=registry)  # fmt: skip
    with pytest.raises(SubsetError, match=r"too few held-out stars .*: 20 \(minimum 30\)"):
        plan_retrain(request)


# --- the same held-out stars -----------------------------------------------------------
def test_held_out_stars_do_not_depend_on_the_subset(catalog: pd.DataFrame) -> None:
    held = compute_held_out_mask(catalog, C.SP_CLASS)
    assert np.array_equal(held, compute_test_mask(catalog, C.SP_CLASS))
    assert held.flags.writeable


def test_archive_held_out_drops_stars_the_shipped_models_saw(catalog: pd.DataFrame) -> None:
    table = catalog.sample(4000, random_state=3).reset_index(drop=True)
    held = compute_held_out_mask(table, C.SP_CLASS, reference=catalog)
    split = compute_split(catalog, C.SP_CLASS)
    seen = set(catalog.loc[split.isin([TRAIN, VALIDATION]).to_numpy(), C.SOURCE_ID])
    assert not set(table.loc[held, C.SOURCE_ID]) & seen
    assert held.sum() < compute_test_mask(table, C.SP_CLASS).sum()


# --- a whole run -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def result(catalog: pd.DataFrame, registry: Path, lasso: tuple[int, ...]):  # type: ignore[no-untyped-def]
    subset = build_selection_subset(catalog, lasso, "lasso on the HR diagram", "the catalogue")
    return run_retrain(RetrainRequest(catalog, C.SP_CLASS, subset, FAST, models_root=registry))


def test_comparison_on_the_same_held_out_stars(catalog: pd.DataFrame, result) -> None:  # type: ignore[no-untyped-def]
    comp = result.comparison
    held = compute_held_out_mask(catalog, C.SP_CLASS)
    assert comp.n_held_out == result.plan.n_held_out == int(held.sum())
    assert set(comp.stars[C.SOURCE_ID]) == set(catalog.loc[held, C.SOURCE_ID])
    assert comp.active_name == "default-sp_class"
    assert int(comp.confusion_active.to_numpy().sum()) == comp.n_held_out
    assert int(comp.confusion_new.to_numpy().sum()) == comp.n_held_out
    acc = np.trace(comp.confusion_new.to_numpy()) / comp.n_held_out
    assert comp.metrics.loc["accuracy", "new"] == pytest.approx(acc)
    assert comp.metrics.loc["accuracy", "active"] == pytest.approx(comp.active_metrics["accuracy"])
    f1 = comp.f1
    assert np.allclose(f1["change"], f1["new"] - f1["active"])
    differ = comp.stars["active"] != comp.stars["new"]
    assert comp.n_disagree == int(differ.sum())
    assert comp.stars.loc[differ, OUTCOME].isin(DISAGREEMENTS).all()


def test_training_stars_never_held_out(catalog: pd.DataFrame, result, lasso) -> None:  # type: ignore[no-untyped-def]
    split = compute_split(catalog, C.SP_CLASS)
    inside = catalog[C.SOURCE_ID].isin(lasso).to_numpy()
    trained = inside & split.isin([TRAIN, VALIDATION]).to_numpy()
    kept = ~catalog[C.SP_CLASS].isin(result.plan.classes_left_out).to_numpy()
    assert result.model.training_["subset"]["train_stars"] == int(
        (inside & kept & (split == TRAIN).to_numpy()).sum()
    )
    assert not set(catalog.loc[trained, C.SOURCE_ID]) & set(result.comparison.stars[C.SOURCE_ID])


def test_kept_model_card_records_subset_metrics_params(
    tmp_path: Path, result, lasso: tuple[int, ...]
) -> None:  # type: ignore[no-untyped-def]
    save_model(result.model, "giants-1", root=tmp_path)
    card = load_card("giants-1", root=tmp_path)
    assert card["subset"]["id_hash"] == compute_id_hash(lasso)
    assert card["subset"]["description"].startswith("lasso on the HR diagram: 2,500 stars")
    assert card["retrain"]["n_trees"] == FAST.n_trees and card["retrain"]["train_s"] > 0
    assert card["metrics"]["accuracy"] == pytest.approx(result.comparison.new_metrics["accuracy"])
    assert card["comparison"]["against"] == "default-sp_class"
    assert card["params"]["max_depth"] == FAST.max_depth
    loaded = load_model("giants-1", root=tmp_path)
    assert loaded.classes_ == result.model.classes_


def test_luminosity_class_retrain(catalog: pd.DataFrame, registry: Path) -> None:
    filters = SubsetFilters(target=C.LUM_CLASS, g_faint_mag=7.5)
    subset = build_filter_subset(catalog, filters, "the catalogue")
    result = run_retrain(RetrainRequest(catalog, C.LUM_CLASS, subset, FAST, models_root=registry))
    comp = result.comparison
    assert list(comp.confusion_new.index) == ["I-II", "III", "IV", "V"]
    held = catalog.loc[compute_held_out_mask(catalog, C.LUM_CLASS)]
    expected = evaluate_stars(load_model("default-lum_class", root=registry), held, C.LUM_CLASS)
    assert comp.active_metrics["v_iv_iii"] == pytest.approx(expected["v_iv_iii"])
    assert comp.active_metrics["accuracy"] == pytest.approx(expected["accuracy"])


def test_train_on_simulated_stars_compare_on_real(catalog: pd.DataFrame, registry: Path) -> None:
    from sedviz.simulate.core import simulate_stars

    simulated = simulate_stars(40, seed=0)
    subset = build_subset(simulated, np.ones(len(simulated), bool), "simulated", "280 dwarfs")
    request = RetrainRequest(catalog, C.SP_CLASS, subset, FAST, models_root=registry,
                             simulated=simulated, simulation={"n_per_type": 40})  # fmt: skip
    result = run_retrain(request)
    assert result.model.training_["training_data"]["kind"] == "simulated"
    assert result.comparison.n_held_out == int(compute_held_out_mask(catalog, C.SP_CLASS).sum())
    lum = RetrainRequest(catalog, C.LUM_CLASS, subset, FAST, models_root=registry,
                         simulated=simulated)  # fmt: skip
    with pytest.raises(SubsetError, match=r"this subset has V: \d+"):
        plan_retrain(lum)


# --- the job ---------------------------------------------------------------------------
def test_job_reports_progress_and_finishes(catalog, registry, lasso) -> None:  # type: ignore[no-untyped-def]
    subset = build_selection_subset(catalog, lasso, "box", "the catalogue")
    params = RetrainParams(n_trees=12, max_depth=3, early_stopping=False)
    job = RetrainJob(RetrainRequest(catalog, C.SP_CLASS, subset, params, models_root=registry))
    assert job.progress.state == "waiting"
    job.start()
    assert job.wait(120)
    progress = job.progress
    assert progress.state == "done" and progress.rounds == 12 and len(progress.losses) == 12
    assert progress.fraction == 1.0
    assert job.result().model.booster_.num_boosted_rounds() == 12


def test_job_can_be_cancelled(catalog, registry, lasso) -> None:  # type: ignore[no-untyped-def]
    subset = build_selection_subset(catalog, lasso, "box", "the catalogue")
    params = RetrainParams(n_trees=600, max_depth=8, learning_rate=0.02, early_stopping=False)
    job = RetrainJob(RetrainRequest(catalog, C.SP_CLASS, subset, params, models_root=registry))
    job.start()
    deadline = time.monotonic() + 120
    while job.progress.rounds < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    job.cancel()
    assert job.wait(60)
    assert job.progress.state == "cancelled" and job.progress.rounds < 600
    with pytest.raises(RetrainCancelled):
        job.result()


def test_job_failure_is_a_message(catalog: pd.DataFrame, tmp_path: Path, lasso) -> None:  # type: ignore[no-untyped-def]
    subset = build_selection_subset(catalog, lasso, "box", "the catalogue")
    job = RetrainJob(RetrainRequest(catalog, C.SP_CLASS, subset, FAST, models_root=tmp_path))
    job.start().wait(60)
    assert job.progress.state == "failed" and "unknown model 'default-sp_class'" in (
        job.progress.message
    )


# --- archive star sets with SIMBAD types -----------------------------------------------
def test_archive_query_result_with_simbad_types(catalog: pd.DataFrame, registry: Path) -> None:
    """A cone answer in the archive schema, typed by SIMBAD, retrains like the catalogue."""
    stars = catalog[catalog[C.SP_TYPE] != ""].sample(6000, random_state=4)
    answer = stars.loc[:, [c for c in ANSWER_COLUMNS if c in stars.columns]].copy()
    answer[C.SP_CLASS], answer[C.LUM_CLASS] = "", ""
    answer[C.SP_TYPE_SOURCE] = "simbad"
    answer, note = apply_mk(answer.reset_index(drop=True))
    assert note == "" and C.HP_MAG not in answer.columns and C.B_V not in answer.columns
    assert (compute_target_labels(answer, C.SP_CLASS) != "").mean() > 0.9
    subset = build_filter_subset(answer, SubsetFilters(g_faint_mag=9.0), "a cone of 6,000 stars")
    request = RetrainRequest(answer, C.SP_CLASS, subset, FAST, reference=catalog,
                             models_root=registry)  # fmt: skip
    result = run_retrain(request)
    held = compute_held_out_mask(answer, C.SP_CLASS, reference=catalog)
    assert result.comparison.n_held_out == int(held.sum()) >= 30
    assert 0.0 <= result.comparison.metrics.loc["accuracy", "new"] <= 1.0


def test_recorded_cone_is_too_small_with_a_reason(registry: Path) -> None:
    from sedviz.archive.fetch import gaia_frame
    from sedviz.tableio import table_to_frame
    from tests.archive_fakes import gaia_cone_answer

    table = gaia_frame(table_to_frame(gaia_cone_answer()))  # real Gaia rows, no types
    subset = build_whole_subset(table, "a recorded cone")
    request = RetrainRequest(table, C.SP_CLASS, subset, FAST, models_root=registry)
    with pytest.raises(SubsetError, match="no star of the subset has a catalogued sp_class"):
        plan_retrain(request)


def test_build_subset_rejects_unknown_kind(catalog: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="unknown subset kind"):
        build_subset(catalog.head(3), np.ones(3, bool), "lasso", "x")


# --- figures ---------------------------------------------------------------------------
def test_figures_of_the_comparison(result) -> None:  # type: ignore[no-untyped-def]
    from sedviz.plots.retrain import (
        plot_confusion,
        plot_disagreement_map,
        plot_f1_change,
        plot_loss_curve,
    )

    comp = result.comparison
    heat = plot_confusion(comp.confusion_new, "New model").data[0]
    assert list(heat.x) == list(comp.confusion_new.columns)
    shares = np.asarray(heat.z, dtype=float)
    assert np.allclose(np.nansum(shares, axis=1)[comp.confusion_new.sum(axis=1) > 0], 1.0)
    bars = plot_f1_change(comp.f1).data[0]
    assert list(bars.x) == [str(c) for c in comp.f1.index]
    traces = plot_disagreement_map(comp.stars).data
    assert len(traces) == 1 + len(DISAGREEMENTS)
    placed = comp.stars["abs_g"].notna() & comp.stars["bp_rp"].notna()
    assert sum(len(t.x) for t in traces) == int(placed.sum())
    assert len(plot_loss_curve([1.0, 0.8, 0.7], 10).data[0].y) == 3
