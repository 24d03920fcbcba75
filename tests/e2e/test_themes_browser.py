"""«Temi» in a real browser: the themes of the main pain point on Risultati, an example answer
opened, the themes' table downloaded as CSV."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle
from tests.e2e.test_results_browser import open_page


def test_pain_point_themes_with_quotes_and_csv(page, app_url, tmp_path):
    open_page(page, app_url + "/risultati?domanda=pain_point")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Temi", exact=True)).to_be_visible()
    expect(main.get_by_text("Temi nelle risposte", exact=False).first).to_be_visible()
    expect(main.get_by_text("Copertura", exact=False).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

    quotes = main.get_by_test_id("stExpander").filter(has_text="Assistenza e reclami")
    quotes.first.locator("summary").click()
    wait_idle(page, settle=500)
    expect(quotes.first.get_by_text("rispondenti)", exact=False).first).to_be_visible()
    screenshot(page, "results_themes_it")

    main.get_by_role("button", name="Scarica").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Dati CSV").click()
    download = download_info.value
    assert download.suggested_filename == "pain_point_themes.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert "theme" in text.splitlines()[0] and "service" in text
