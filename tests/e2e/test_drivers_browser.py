"""Cosa spinge i risultati in a real browser: the two charts render, a link picks the
outcome and the drivers, a combination defined by construction says so."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle


def test_the_drivers_page_draws_its_charts(page, app_url):
    page.goto(app_url + "/fattori")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Cosa spinge i risultati")).to_be_visible()
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(2)
    for i in range(2):  # each chart drew its marks (Vega renders to a canvas or an SVG)
        expect(charts.nth(i).locator("canvas, svg").first).to_be_visible()
    expect(page.get_by_text("Importanza × performance").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "drivers_it")


def test_a_link_picks_the_outcome_and_the_drivers(page, app_url):
    page.goto(app_url + "/fattori?lang=en&esito=maturity_index&fattori=practices")
    wait_idle(page)
    expect(page.get_by_role("heading", name="What drives results")).to_be_visible()
    expect(page.get_by_text("by construction")).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
