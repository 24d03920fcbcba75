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
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
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


def test_a_partial_upload_and_its_quarantine_as_a_download(page, upload_app_url, tmp_path):
    path = tmp_path / "misto.csv"
    path.write_text("company,wave,sector,club_nps\nAlfa,2028,finance,9\nBeta,2028,banche,7\n",
                    encoding="utf-8")
    page.goto(upload_app_url + "/carica")
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    wait_idle(page)
    expect(page.get_by_text("Risposte ammesse", exact=True)).to_be_visible()
    page.get_by_role("button", name="Carica solo 1 riga valida…").click()
    wait_idle(page)
    page.get_by_role("dialog").get_by_role("button", name="Conferma e carica").click()
    wait_idle(page)
    expect(page.get_by_text("in quarantena: 1")).to_be_visible()
    page.get_by_role("tab", name="Registro dei caricamenti").click()
    button = page.locator(".st-key-upload_quarantine").get_by_role("button")
    expect(button).to_contain_text("Righe in quarantena (CSV)")
    with page.expect_download() as download:
        button.click()
    rows = download.value.path().read_text(encoding="utf-8").splitlines()
    assert rows[0] == "Riga del file,Problemi,company,wave,sector,club_nps"
    assert rows[1].startswith('3,"«sector»: risposta non prevista; ammesse: «Manifattura')
    assert rows[1].endswith('",Beta,2028,banche,7')


def test_the_preview_shows_decoded_rows_coverage_and_what_the_upload_does(page, upload_app_url,
                                                                         tmp_path):
    """Issue 22: «Caffè» intact in the first rows, the questions the file covers, and the
    confirmation that says «nuova ondata» and how many new companies."""
    path = tmp_path / "caffè.csv"
    path.write_text("respondent_id,wave,company,sector,club_nps\n"
                    "e1,2033,Caffè Rossi,finance,9\ne2,2033,Bar Nuovo,retail,7\n",
                    encoding="utf-8")
    page.goto(upload_app_url + "/carica")
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    wait_idle(page)
    first = page.get_by_test_id("stExpander").filter(
        has_text="Righe come verranno salvate (prime 2)")
    expect(first.get_by_test_id("stDataFrame")).to_be_visible()
    expect(first.locator("td", has_text="Caffè Rossi")).to_have_count(1)
    expect(page.get_by_text("Il file copre 2 delle", exact=False)).to_be_visible()
    expect(page.get_by_text("non avranno dati per l'ondata 2033", exact=False)).to_be_visible()
    screenshot(page, "upload_glance_it")
    page.get_by_role("button", name="Carica 2 righe").click()
    wait_idle(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("nuova ondata 2033", exact=False)).to_be_visible()
    expect(dialog.get_by_text("2 nuove aziende", exact=False)).to_be_visible()
    expect(dialog).to_contain_text("«Bar Nuovo», «Caffè Rossi»")
    screenshot(page, "upload_confirm_effects_it")
    dialog.get_by_role("button", name="Annulla").click()
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
