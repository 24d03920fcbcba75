"""Panoramica on a phone (390 × 844): the sidebar closed at first, the headline tiles two to a
row, a «Filtri» button that opens the filters; chips and «Rimuovi filtri» in a real browser."""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle


@pytest.fixture
def phone(browser, app_url):
    context = browser.new_context(locale="it-IT", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(app_url + "/")
    wait_idle(page)
    yield page
    context.close()


def _sidebar_open(page) -> bool:
    sidebar = page.get_by_test_id("stSidebar")
    box = sidebar.bounding_box()
    on_screen = bool(box and box["x"] >= 0 and box["width"] > 0)
    return sidebar.get_attribute("data-collapsed") == "false" and on_screen


def _tile_boxes(page) -> list[dict]:
    tiles = page.locator(".st-key-cx_tiles [data-testid='stMetric']")
    expect(tiles).to_have_count(6)
    return [tiles.nth(i).bounding_box() for i in range(6)]


def test_phone_opens_with_the_sidebar_closed_and_tiles_two_to_a_row(phone):
    expect(phone.get_by_role("heading", name="Panoramica")).to_be_visible()
    assert not _sidebar_open(phone)
    boxes = _tile_boxes(phone)
    rows = sorted({round(b["y"]) for b in boxes})
    assert len(rows) == 3, boxes  # six tiles, two to a row
    for top in rows:
        row = [b for b in boxes if round(b["y"]) == top]
        assert len(row) == 2
        left, right = sorted(row, key=lambda b: b["x"])
        assert left["x"] + left["width"] <= right["x"]
        assert right["x"] + right["width"] <= 390
    screenshot(phone, "phone_overview")


def test_the_filters_button_opens_the_filters(phone):
    button = phone.get_by_test_id("stExpandSidebarButton")
    expect(button).to_be_visible()
    assert "Filtri" in button.evaluate(
        "b => getComputedStyle(b, '::after').getPropertyValue('content')")
    button.click()
    sidebar = phone.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    expect(sidebar.get_by_role("combobox", name="Ondata")).to_be_in_viewport()
    phone.wait_for_timeout(500)  # the sidebar slides in
    assert _sidebar_open(phone)
    screenshot(phone, "phone_filters_open")


def test_desktop_keeps_three_tiles_to_a_row_and_the_sidebar_open(page, app_url):
    page.goto(app_url + "/")
    wait_idle(page)
    assert _sidebar_open(page)
    rows = sorted({round(b["y"]) for b in _tile_boxes(page)})
    assert len(rows) == 2


def test_chips_show_the_filters_and_clear_them(page, app_url):
    page.goto(app_url + "/?ondata=2026&settore=finance")
    wait_idle(page)
    chips = page.locator(".st-key-cx_chips")
    expect(chips.get_by_text("Ondata 2026")).to_be_visible()
    expect(chips.get_by_text("Settore: Banche e assicurazioni")).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").get_by_text("NPS · Banche e assicurazioni")
           ).to_be_visible()
    chips.get_by_role("button", name="Rimuovi filtri").click()
    wait_idle(page)
    expect(page.locator(".st-key-cx_chips")).to_have_count(0)
    query = parse_qs(urlparse(page.url).query)
    assert "ondata" not in query and "settore" not in query
    expect(page.get_by_test_id("stMetricLabel").get_by_text("NPS del Club")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Ondata")
           ).to_have_value("Tutte le ondate")


def test_every_page_opens_closed_with_its_filters_button(browser, app_url):
    context = browser.new_context(locale="it-IT", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(app_url + "/risultati?lang=en")
        wait_idle(page)
        assert not _sidebar_open(page)
        button = page.get_by_test_id("stExpandSidebarButton")
        assert "Filters" in button.evaluate(
            "b => getComputedStyle(b, '::after').getPropertyValue('content')")
    finally:
        context.close()
