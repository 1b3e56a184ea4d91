"""Behaviour guards on the shipped default models (not timings): band sets and domain.

These load ``models/default-*`` as the app does. The figures themselves are
measured by ``scripts/eval_pm_sequence.py`` and ``scripts/eval_domain.py`` and
recorded in docs/classifier.md; here only the floors of issue 15 are held.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from sedviz import columns as C
from sedviz.classifier.model import StarClassifier
from sedviz.classifier.predict import classify_frame
from sedviz.classifier.registry import load_model
from sedviz.classifier.targets import DOMAIN_NOTE, IN_DOMAIN
from tests.archive_fakes import gaia_cone_answer

ROOT = Path(__file__).parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def letter_model() -> StarClassifier:
    return load_model(None, target=C.SP_CLASS)


def test_faint_gaia_archive_stars_are_out_of_the_shipped_models_domain() -> None:
    """astroquery's recorded Gaia DR3 cone (50 real stars, G 16-21) is outside both defaults."""
    table = gaia_cone_answer().to_pandas()
    assert len(table) == 50
    for target in (C.SP_CLASS, C.LUM_CLASS):
        out = classify_frame(load_model(None, target=target), table, explain=True)
        assert not out[IN_DOMAIN].any()
        assert out[DOMAIN_NOTE].str.contains("fainter than the training stars").all()
        assert not out["explain_1_feature"].isin(["bands_not_measured"]).any()


def test_pecaut_mamajek_dwarfs_without_gaia_bands(letter_model: StarClassifier) -> None:
    """B9V..K9V given as V, B-V, V-Ic, BT/VT and a parallax: >= 85 % letters right."""
    frame = _script("eval_pm_sequence").score_pm_sequence(letter_model).set_index("band set")
    assert frame.loc["no Gaia", "share"] >= 0.85, frame.loc["no Gaia", "misses"]
    assert frame.loc["Johnson + parallax", "share"] >= 0.80, frame.loc["Johnson + parallax"]


def test_pecaut_mamajek_dwarfs_with_every_band(letter_model: StarClassifier) -> None:
    """All bands: at least 80 % of B9V..K9V right (the figure measured is in the docs)."""
    frame = _script("eval_pm_sequence").score_pm_sequence(letter_model).set_index("band set")
    assert frame.loc["all bands", "share"] >= 0.80, frame.loc["all bands", "misses"]


@pytest.mark.xfail(
    strict=True,
    reason="issue 15 asks >= 95 % with all bands; the catalogue's own labels call the "
    "colours of P&M K8V-K9V 'M' and F9.5V 'G' (scripts/eval_pm_limits.py, docs/classifier.md), "
    "so 36-38 of 43 is what it reaches",
)
def test_pecaut_mamajek_dwarfs_with_every_band_reach_the_issue_target(
    letter_model: StarClassifier,
) -> None:
    frame = _script("eval_pm_sequence").score_pm_sequence(letter_model).set_index("band set")
    assert frame.loc["all bands", "share"] >= 0.95


def test_pecaut_mamajek_u_b_only_in_its_own_row(letter_model: StarClassifier) -> None:
    """The table's U-B is given in the separate row only, never in the issue's three band sets."""
    script = _script("eval_pm_sequence")
    assert C.U_B not in script.build_pm_sequence_table().columns
    with_u_b = script.build_pm_sequence_table(with_u_b=True).set_index(C.SP_TYPE)
    assert with_u_b.loc["A0V", C.U_B] == pytest.approx(-0.005)
    assert with_u_b[C.U_B].notna().all()
    frame = script.score_pm_sequence(letter_model)
    assert frame["band set"].tolist() == [*script.BAND_SETS, script.WITH_U_B]
