"""The Retrain page in headless Chromium: box-select stars on the HR diagram, train, compare, keep.

The app gets a private registry (a copy of the shipped defaults when they
exist, else tiny 5-round models), so keeping a model never writes into the
repository's ``models/``. Screenshots: ``test-output/screenshots/retrain-*.png``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sedviz.classifier.registry import list_model_names, load_card
from tests.browser.conftest import (
    HR_DRAWN,
    ROOT,
    box_select,
    screenshot,
    served_app,
    wait_for_app_idle,
    wait_for_subset_count,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def private_registry(folder: Path) -> Path:
    """A copy of the shipped default models, or tiny stand-ins when they are not built yet."""
    repo = ROOT / "models"
    defaults = [p for p in repo.glob("default-*") if (p / "card.json").is_file()]
    if len(defaults) == 2:
        for path in defaults:
            shutil.copytree(path, folder / path.name)
        return folder
    from sedviz.catalog.tables import load_catalog
    from tests.retrain_helpers import build_tiny_registry

    return build_tiny_registry(folder, load_catalog())


@pytest.fixture(scope="module")
def retrain_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("retrainhome")
    models = private_registry(tmp_path_factory.mktemp("models"))
    env = {"SEDVIZ_CACHE_DIR": str(home / "cache"), "HOME": str(home),
           "SEDVIZ_MODELS_DIR": str(models)}  # fmt: skip
    with served_app(env) as url:
        yield url, models


def main_text(pg: Page) -> str:
    return str(pg.inner_text("[data-testid='stMain']"))


def test_train_on_a_box_selection_and_compare(page: Page, retrain_app: tuple[str, Path]) -> None:
    url, models = retrain_app
    # Start at the root and navigate in-app: one session throughout (and no deep-link
    # "Page not found" dialog on a freshly started server).
    page.goto(url)
    wait_for_app_idle(page)
    page.get_by_role("link", name="HR diagram").click()
    wait_for_app_idle(page)
    page.wait_for_function(HR_DRAWN, timeout=120_000)
    box_select(page, 0.30, 0.55, 0.45, 0.70)
    count = wait_for_subset_count(page)
    assert count > 300, f"the box holds only {count} stars"

    # In-app navigation keeps the session (and its selection).
    page.get_by_role("link", name="Retrain").click()
    page.get_by_role("heading", name="Retrain").first.wait_for()
    wait_for_app_idle(page)
    assert f"box on the HR diagram: {count:,} stars" in main_text(page)
    trees = page.get_by_role("spinbutton", name="Trees (rounds)")
    trees.fill("40")
    trees.press("Enter")
    wait_for_app_idle(page)
    screenshot(page, "retrain-subset")

    start = time.monotonic()
    page.get_by_role("button", name="Train").click()
    page.get_by_text("New model vs the active model").wait_for(timeout=180_000)
    elapsed = time.monotonic() - start
    wait_for_app_idle(page)
    page.wait_for_timeout(1500)
    text = main_text(page)
    assert "The two models disagree on" in text
    assert page.locator(".js-plotly-plot").count() >= 4
    assert page.locator("[data-testid='stException']").count() == 0
    page.get_by_text("New model vs the active model").scroll_into_view_if_needed()
    screenshot(page, "retrain-comparison")
    page.locator(".js-plotly-plot").nth(3).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(page, "retrain-disagreement-map")

    name_box = page.get_by_role("textbox", name="Name")
    name_box.fill("browser-box")
    name_box.press("Enter")
    wait_for_app_idle(page)
    page.get_by_role("button", name="Keep").click()
    page.get_by_text("Saved as").wait_for(timeout=30_000)
    assert "browser-box" in list_model_names(root=models)
    card = load_card("browser-box", root=models)
    assert card["subset"]["description"].startswith(f"box on the HR diagram: {count:,} stars")
    screenshot(page, "retrain-kept")
    assert elapsed < 120, f"training and comparison took {elapsed:.0f} s"
