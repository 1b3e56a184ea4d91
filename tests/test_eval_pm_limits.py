"""scripts/eval_pm_limits.py: the per-class bias fit recovers a known prior shift."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPTS = Path(__file__).parents[1] / "scripts"


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(SCRIPTS))  # the script imports its sibling eval_pm_sequence
    import eval_pm_limits

    return eval_pm_limits


def test_fit_bias_undoes_a_shift_of_calibrated_log_probabilities(limits: ModuleType) -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 3)) * 2.0
    p = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in p])
    shift = np.array([0.0, 0.8, -0.5])
    b = limits._fit_bias(np.log(p) + shift, y)
    assert b[0] == 0.0
    np.testing.assert_allclose(b, -shift, atol=0.15)
