"""A link to a page, opened as the very first request of a freshly started server."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_idle


@pytest.mark.parametrize(("path", "heading"), [("piramide?lang=en", "CX Pyramid"),
                                                ("personas", "Buyer Personas"),
                                                ("panoramica?lang=en", "Overview")])
def test_a_shared_link_opens_its_page_inside_the_app(page, fresh_app_url, path, heading):
    page.goto(f"{fresh_app_url}/{path}")
    wait_idle(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="English")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
