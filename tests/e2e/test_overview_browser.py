"""Panoramica in a real browser: Italian first, then English, then a filter."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle


def _metric_values(page) -> list[str]:
    return page.get_by_test_id("stMetricValue").all_inner_texts()


def test_overview_language_and_filter(page, app_url):
    page.goto(app_url + "/")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Panoramica")).to_be_visible()
    assert _metric_values(page)[0] == "264"
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(3)
    screenshot(page, "overview_it")

    page.get_by_role("radio", name="English").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    assert "lang=en" in page.url

    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Wave")).to_have_value("All waves")
    sidebar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="2025").click()
    wait_idle(page)
    n = int(_metric_values(page)[0])
    assert 0 < n < 264
    assert parse_qs(urlparse(page.url).query)["ondata"] == ["2025"]
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    screenshot(page, "overview_en_2025")


def test_shared_link_reproduces_the_view(page, app_url):
    page.goto(app_url + "/?lang=en&ondata=2026&settore=finance")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    n = int(_metric_values(page)[0])
    assert 0 < n < 264
    expect(page.get_by_test_id("stSidebar").get_by_text("Banking and insurance")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_kept_selections_are_relabelled_in_the_new_language(page, app_url):
    page.goto(app_url + "/?settore=finance")
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Banche e assicurazioni")).to_be_visible()
    page.get_by_role("radio", name="English").click()
    wait_idle(page)
    expect(sidebar.get_by_text("Banking and insurance")).to_be_visible()
    expect(sidebar.get_by_text("Banche e assicurazioni")).to_have_count(0)
    assert parse_qs(urlparse(page.url).query)["settore"] == ["finance"]
