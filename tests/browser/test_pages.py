"""Open every page of the real app in headless Chromium and keep a screenshot of each."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

PAGES = [("stars", "Stars"), ("about", "About sedviz")]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_opens(page: object, app_url: str, path: str, heading: str) -> None:
    page.goto(f"{app_url}/{path}")  # type: ignore[attr-defined]
    wait_for_app_idle(page)
    page.get_by_role("heading", name=heading).first.wait_for()  # type: ignore[attr-defined]
    assert page.locator("[data-testid='stException']").count() == 0  # type: ignore[attr-defined]
    screenshot(page, f"page-{path}")
