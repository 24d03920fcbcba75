"""«Qualità delle risposte» in a real browser: a file with a straight-liner and two identical
respondents of one company is previewed on Carica dati; the flags are counted, their rows
shown, and the commit button stays. A preview writes nothing, so the shared server serves."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_idle
from tests.test_quality import ITEMS, clean_rows, write


def test_the_preview_flags_response_quality(page, app_url, tmp_path):
    rows = clean_rows()
    rows[2].update({q: "4" for q in ITEMS})  # straight-lining: row 4
    rows[5] = {**rows[4], "respondent_id": "Q6-copy"}  # rows 6 and 7 alike
    path = write(tmp_path, rows, "qualita.csv")
    page.goto(app_url + "/carica")
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    wait_idle(page)
    expect(page.locator("strong", has_text="Qualità delle risposte")).to_be_visible()
    metric = page.get_by_test_id("stMetric").filter(has_text="Righe segnalate")
    expect(metric.get_by_test_id("stMetricValue")).to_have_text("3")
    page.get_by_text("2 rispondenti danno risposte identiche").click()
    wait_idle(page)
    expander = page.get_by_test_id("stExpander").filter(
        has_text="2 rispondenti danno risposte identiche")
    expect(expander.get_by_test_id("stDataFrame")).to_be_visible()
    screenshot(page, "upload_quality_it")
    expect(page.get_by_role("button", name="Carica 6 righe")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
