"""Buyer Personas in a real browser: automatic k, another stable k that lands in the URL,
English."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle


def _open(page, app_url: str, query: str = "") -> None:
    # the home page first: a server's very first request to /personas would run the page
    # file on its own (Streamlit's legacy pages/ mode) before st.navigation is known
    page.goto(app_url + "/")
    wait_idle(page)
    page.goto(app_url + "/personas" + query)
    wait_idle(page, settle=2000)


def test_personas_automatic_then_four_then_english(page, app_url):
    _open(page, app_url)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Buyer Personas", exact=True)).to_be_visible()
    for name in ("Esploratori del commercio", "Pionieri data-driven", "Tradizionali B2B"):
        expect(main.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2)
    screenshot(page, "personas_it_auto")

    main.get_by_role("button", name="Mostra 4 personas").click()
    wait_idle(page, settle=2000)
    assert parse_qs(urlparse(page.url).query)["personas"] == ["4"]
    expect(main.get_by_role("heading", name="Costruttori relazionali")).to_be_visible()
    expect(main.get_by_role("heading", name="Esploratori del commercio")).to_have_count(0)

    page.get_by_role("radio", name="English").click()
    wait_idle(page, settle=2000)
    expect(main.get_by_text("4 personas", exact=True)).to_be_visible()
    assert parse_qs(urlparse(page.url).query)["personas"] == ["4"]
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "personas_en_4")


def test_personas_shared_link_with_a_filter(page, app_url):
    _open(page, app_url, "?personas=3&ondata=2026&lang=en")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Buyer Personas", exact=True)).to_be_visible()
    expect(main.get_by_text("3 personas", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
