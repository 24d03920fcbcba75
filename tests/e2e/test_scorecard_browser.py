"""Six Pillars and Scheda azienda in a real browser: two companies' radars side by side, then
the one-page PDF downloaded from the scorecard."""

import io
from urllib.parse import parse_qs, urlparse

import pypdf
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle


def _pick(page, key: str, option: str) -> None:
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    box.click()
    box.fill(option)  # the list is long and virtualised: filter it as a user would
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def test_two_radars_then_the_pdf(page, app_url):
    page.goto(app_url + "/")
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Six Pillars").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Six Pillars", exact=True)).to_be_visible()
    _pick(page, "aziende", "AZ-010")
    _pick(page, "aziende", "AZ-042")
    assert parse_qs(urlparse(page.url).query)["aziende"] == ["AZ-010", "AZ-042"]
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(4)  # two radars, the pillar ranking, the heatmap
    first, second = charts.nth(0).bounding_box(), charts.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + 300, "side by side"
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "pillars_two_radars")

    page.goto(app_url + "/azienda?azienda=AZ-010")
    wait_idle(page)
    expect(page.get_by_role("heading", name="AZ-010")).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Scarica la scheda (PDF)").click()
    pdf = open(download.value.path(), "rb").read()
    assert pdf[:5] == b"%PDF-"
    assert download.value.suggested_filename == "scheda-AZ-010.pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2 and "AZ-010" in reader.pages[0].extract_text()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "scorecard_it")
