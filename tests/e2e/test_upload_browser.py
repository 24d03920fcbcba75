"""Carica dati in a real browser: a Google-Forms-style CSV is uploaded through the page,
confirmed, and its respondents are counted in Panoramica. The app runs on its own database copy
(the upload changes the data other browser tests count)."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests import survey_exports as se
from tests.e2e.conftest import screenshot, serve, wait_idle

RESPONDENTS = 7


@pytest.fixture(scope="module")
def upload_app_url(sample_db_template, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e_upload") / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    with serve(db, db.parent / "streamlit.log") as url:
        yield url


def test_upload_confirm_and_see_it_in_panoramica(page, upload_app_url, tmp_path):
    path = tmp_path / "risposte_moduli_google.csv"
    path.write_bytes(se.google_forms_csv(se.answers(RESPONDENTS, 2027, seed=21)))
    page.goto(upload_app_url + "/")
    wait_idle(page)
    assert page.get_by_test_id("stMetricValue").first.inner_text() == "264"
    page.goto(upload_app_url + "/carica")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Carica dati")).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_idle(page)
    expect(page.get_by_text("Non so a quale ondata")).to_be_visible()
    wave = page.get_by_test_id("stNumberInputField")
    wave.fill("2027")
    wave.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("Moduli Google", exact=True)).to_be_visible()
    screenshot(page, "upload_preview_it")
    page.get_by_role("button", name=f"Carica {RESPONDENTS} righe").click()
    wait_idle(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Confermi il caricamento?")).to_be_visible()
    dialog.get_by_role("button", name="Conferma e carica").click()
    wait_idle(page)
    expect(page.get_by_text("Caricamento UP-0001 registrato")).to_be_visible()
    page.get_by_role("link", name="Panoramica").click()
    wait_idle(page)
    assert page.get_by_test_id("stMetricValue").first.inner_text() == str(264 + RESPONDENTS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
