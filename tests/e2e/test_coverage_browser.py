"""Coverage and weighting in a real browser: an analyst uploads the member list on Carica
dati, then Panoramica shows the response rates and, with «Pesi: mix dei soci», the headline
figures weighted beside the unweighted ones."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from cx.store import Store
from cx.synth.members import synth_members
from tests.e2e.conftest import screenshot, serve, wait_idle


@pytest.fixture
def members_file(sample_db_template, tmp_path):
    with Store.open(sample_db_template) as store:
        frame = synth_members(store.responses(("company", "sector", "size_band", "region")))
    path = tmp_path / "soci.csv"
    frame.to_csv(path, index=False, sep=";")
    return path, len(frame)


@pytest.fixture
def own_url(sample_db_template, tmp_path):
    db = tmp_path / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    with serve(db, tmp_path / "streamlit.log") as url:
        yield url


def test_upload_the_member_list_then_weigh_panoramica(page, own_url, members_file):
    path, n = members_file
    page.goto(own_url + "/")
    wait_idle(page)
    expect(page.get_by_text("Pesi: mix dei soci")).to_have_count(0)  # no list: as before
    page.goto(own_url + "/carica")
    wait_idle(page)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Elenco soci")
    uploader.locator("input[type='file']").set_input_files(str(path))
    wait_idle(page)
    expect(page.get_by_text(f"{n} soci letti, nessun problema.")).to_be_visible()
    page.get_by_role("button", name=f"Salva l'elenco ({n} soci)").click()
    wait_idle(page)
    expect(page.get_by_text("Elenco soci salvato.")).to_be_visible()

    page.goto(own_url + "/")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Copertura: tasso di risposta dei soci")
           ).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(5)
    page.get_by_text("Pesi: mix dei soci").click()
    wait_idle(page)
    expect(page.get_by_text("NPS del Club · pesato")).to_be_visible()
    expect(page.get_by_text("Pesati sul mix dei soci: post-stratificazione")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "coverage_weighted")
