"""Deep links open the right page on a freshly started server (no "Page not found")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import screenshot, wait_for_app_idle

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# The first request to this module's server is a deep link: Streamlit's legacy
# pages/ router answers it (sedviz.ui.routing makes it hand over to app.py).
PAGES = [("about", "About sedviz"), ("sed", "Spectral energy distribution"), ("", "Stars")]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_deep_link_opens(page: Page, app_url: str, path: str, heading: str) -> None:
    page.goto(f"{app_url}/{path}")
    wait_for_app_idle(page)
    page.get_by_role("heading", name=heading).first.wait_for()
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stSidebarNav']").count() == 1
    screenshot(page, f"deep-link-{path or 'root'}")
