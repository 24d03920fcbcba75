"""The privacy layer as a visitor meets it in a real browser: crossed filters narrowed with a
notice, no company one by one, the personas map without respondents, the guarantee linked."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle


def test_visitor_sees_why_views_are_narrowed(page, visitor_url):
    page.goto(visitor_url + "/?settore=finance&area=sud_isole")
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("si filtra su una dimensione alla volta")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "privacy_crossed_filters_it")

    page.goto(visitor_url + "/pilastri?aziende=AZ-010")
    wait_idle(page)
    expect(page.get_by_text("Le singole aziende non sono mostrate")).to_be_visible()
    expect(page.locator(".st-key-aziende")).to_have_count(0)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2)  # Club radar, ranking

    page.goto(visitor_url + "/personas?lang=en")
    wait_idle(page)
    expect(page.get_by_text("Personas are computed once over all publishable")).to_be_visible()
    page.get_by_text("How anonymity is protected").click()
    expect(page.get_by_text("The guarantee.")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "privacy_personas_en")
