"""Carica dati in a real browser: a Google-Forms-style CSV is uploaded through the page,
confirmed, and its respondents are counted in Panoramica. The app runs on its own database copy
(the upload changes the data other browser tests count)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests import survey_exports as se
from tests.conftest import ROOT
from tests.e2e.conftest import _free_port, screenshot, wait_idle

RESPONDENTS = 7


@pytest.fixture(scope="module")
def upload_app_url(sample_db_template, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e_upload") / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    port = _free_port()
    log = open(db.parent / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT, env={**os.environ, "CX_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.25)
    else:
        proc.kill()
        log.seek(0)
        raise RuntimeError("streamlit did not start:\n" + log.read())
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


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
