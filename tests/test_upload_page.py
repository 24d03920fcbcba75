"""The Carica dati page in real Streamlit (AppTest): upload, preview, mapping, problems,
confirmation, commit, the log and undo; every page sees the new data at once."""

from __future__ import annotations

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from cx.store import Store
from tests import survey_exports as se
from tests.conftest import ROOT


def _app(lang: str = "it") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def _upload_page(lang: str = "it") -> AppTest:
    at = _app(lang)
    return at.switch_page("pages/carica.py").run()


def _google_forms(n: int = 6, bad: bool = True) -> bytes:
    data = se.google_forms_csv(se.answers(n, 2027, seed=5)).decode("utf-8")
    if bad:  # one unknown option, one formula
        lines = data.split("\r\n")
        lines[2] = lines[2].replace(",Sì, completa,", ",Forse,", 1)
        lines[2] = lines[2].split(",", 2)[0] + ",=HYPERLINK(1)," + lines[2].split(",", 2)[2]
        data = "\r\n".join(lines)
    return data.encode("utf-8")


def _problems(at: AppTest):
    """The problems table (found by its «Motivo» column: other tables follow it)."""
    return next(d.value for d in at.dataframe if "Motivo" in d.value.columns)


def _button(at: AppTest, key: str):
    return at.button(key=key)


def test_upload_preview_confirm_and_every_page_sees_it(app_env):
    at = _upload_page()
    assert not at.exception
    at.file_uploader[0].set_value(("risposte.csv", _google_forms(), "text/csv")).run()
    assert "Non so a quale ondata" in at.error[0].value, "the page asks for the wave"
    at.number_input(key="upload_wave").set_value(2027).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fonte"] == "Moduli Google" and metrics["Rispondenti"] == "6"
    assert metrics["Righe con problemi"] == "1"
    details = next(c.value for c in at.caption if c.value.startswith("Codifica"))
    assert details.startswith("Codifica UTF-8 · separatore virgola · righe d'intestazione: 1 · ")
    assert details.endswith(" kB") and "foglio" not in details, "a CSV has no sheet"
    problems = _problems(at)
    assert set(problems["Colonna"]) == {"Azienda (nome o codice)"}
    before = Store.open(app_env)
    version = before.data_version
    before.close()
    _button(at, "upload_partial").click().run()
    _button(at, "upload_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "UP-0001" in at.success[0].value and "Righe caricate: 5;" in at.success[0].value
    with Store.open(app_env) as store:
        assert store.data_version == version + 1
    at.switch_page("pages/panoramica.py").run()
    assert at.metric[0].value == "269", "the cached Panoramica read sees the new rows"


def test_the_mapping_can_be_changed_on_the_page(app_env):
    at = _upload_page()
    text = "Cliente,Anno,Voto\nAlfa,2027,9\nBeta,2027,7\n"
    at.file_uploader[0].set_value(("f.csv", text.encode(), "text/csv")).run()
    assert "Manca la colonna dell'azienda" in at.error[0].value
    assert any(e.type == "arrow_data_frame" for e in at.main.children.values()) or at.dataframe
    at.session_state["_upload_mapping"] = {"Cliente": "company", "Anno": "wave",
                                           "Voto": "club_nps"}
    at.run()
    assert not at.error and _button(at, "upload_commit").label == "Carica 2 righe"


def test_log_undo_and_template_in_english(app_env, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(_google_forms(4, bad=False))
    from cx.cli import main

    assert main(["ingest", str(path), "--wave", "2027", "--db", str(app_env)]) == 0
    at = _upload_page("en")
    assert not at.exception
    assert "Upload data" in at.title[0].value
    log = at.dataframe[0].value
    assert list(log["Upload"]) == ["UP-0001"] and list(log["Status"]) == ["Committed"]
    _button(at, "upload_undo").click().run()
    _button(at, "undo_confirm").click().run()
    assert "Upload UP-0001 undone. Rows removed: 4;" in at.success[0].value
    assert list(at.dataframe[0].value["Status"]) == ["Undone"]
    labels = [b.label for b in at.get("download_button")]
    assert "Download the Excel template" in labels and "Download the CSV template" in labels


def test_undoing_an_older_upload_of_the_same_wave_says_which_to_undo_first(app_env, tmp_path):
    from cx.cli import main
    from cx.ui.ingest_state import CHOSEN

    for name in ("f1.csv", "f2.csv"):
        path = tmp_path / name
        path.write_bytes(_google_forms(4 if name == "f1.csv" else 3, bad=False))
        assert main(["ingest", str(path), "--wave", "2027", "--db", str(app_env)]) == 0
    at = _upload_page()
    at.selectbox(key=CHOSEN).set_value("UP-0001").run()
    _button(at, "upload_undo").click().run()
    _button(at, "undo_confirm").click().run()
    assert not at.exception
    assert "Annulla prima UP-0002" in at.error[0].value
    assert list(at.dataframe[0].value["Stato"]) == ["Caricato", "Caricato"]


@pytest.fixture
def public_server():
    st_config.set_option("server.address", "0.0.0.0")
    yield
    st_config.set_option("server.address", "localhost")


def test_without_the_analyst_role_the_page_says_how_to_enable_it(app_env, public_server,
                                                                  monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    at = _upload_page()
    assert not at.file_uploader
    assert any("hash-password" in i.value for i in at.info)


def test_a_file_from_one_company_gets_its_company_on_the_page(app_env):
    """A foreign file without a company column: the analyst types its company; the mapping is
    remembered, the company is not (issue 17: the next file may come from another company)."""
    at = _upload_page()
    text = "Voto,Anno\n9,2031\n7,2031\n"
    at.file_uploader[0].set_value(("voti.csv", text.encode(), "text/csv")).run()
    assert "oppure indica l'azienda di tutte le righe" in at.error[0].value
    at.session_state["_upload_mapping"] = {"Voto": "club_nps", "Anno": "wave"}
    at.run()
    company = next(w for w in at.text_input if w.key.startswith("fixed_company_"))
    company.set_value("Rossi S.p.A.").run()
    assert not at.error and _button(at, "upload_commit").label == "Carica 2 righe"
    _button(at, "upload_save_mapping").click().run()
    _button(at, "upload_commit").click().run()
    _button(at, "upload_confirm").click().run()
    assert not at.exception and "UP-0001" in at.success[0].value
    with Store.open(app_env) as store:
        stored = store.query("upload_log")
        assert set(store.responses(["company", "wave"]).query("wave == 2031")["company"]) == {
            "Rossi S.p.A."}
    assert list(stored["source"]) == ["generic"]
    at.file_uploader[0].set_value(("voti2.csv", b"Voto,Anno\n10,2031\n", "text/csv")).run()
    assert "oppure indica l'azienda di tutte le righe" in at.error[0].value, "asked again"
    company = next(w for w in at.text_input if w.key.startswith("fixed_company_"))
    assert not company.value


def test_a_workbook_is_described_by_its_sheet_not_an_encoding():
    from cx.ingest.preview import Preview
    from cx.ui.ingest import details

    pre = Preview("r.xlsx", "0" * 64, 2_500_000, kind="xlsx", sheet="Risposte", header_rows=2)
    assert details(pre, "it") == ["foglio «Risposte»", "righe d'intestazione: 2", "2,4 MB"]
    assert details(pre, "en") == ["sheet “Risposte”", "header rows: 2", "2.4 MB"]


def test_unknown_answers_list_the_answers_allowed_once_per_column(app_env):
    at = _upload_page()
    rows = "company,wave,sector,touchpoints\nBeta,2027,banche,website|fax\nGamma,2027,Banca,store\n"
    at.file_uploader[0].set_value(("r.csv", rows.encode("utf-8"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    problems = _problems(at)
    assert list(problems["Motivo"]) == [
        "risposta non prevista", "«fax» non è una risposta prevista", "risposta non prevista"]
    allowed = at.table[0].value
    assert list(allowed.iloc[:, 0]) == ["sector", "touchpoints"]
    assert allowed.iloc[0, 1].startswith("«Manifattura e industria», «Commercio e retail», ")
    assert "«Assistenza e ticketing online»" in allowed.iloc[1, 1]


def test_a_zero_below_the_scale_is_named_then_read_as_not_applicable_when_said(app_env):
    """Issue 17, item 8, on the page: a 0 on a 1–5 scale is a problem naming the mapping; once
    the analyst says 0 means «not applicable» here, the recode is counted in the preview."""
    at = _upload_page()
    text = ("company,wave,pyr_needs_1,club_ces\nAlfa,2027,0,0\nBeta,2027,4,N/A\n"
            "Gamma,2027,0,5\n")
    at.file_uploader[0].set_value(("zeri.csv", text.encode(), "text/csv")).run()
    problems = _problems(at)
    assert list(problems["Valore"]) == ["0", "0", "0"]
    assert set(problems["Motivo"]) == {"fuori scala: ammessi valori da 1 a 5",
                                       "fuori scala: ammessi valori da 1 a 7"}
    note = next(c.value for c in at.caption if c.value.startswith("Valori sotto la scala"))
    assert "«0»" in note and "Numeri sotto la scala" in note, "how to say so, once"
    choice = next(m for m in at.multiselect if m.label.startswith("Numeri sotto la scala"))
    choice.set_value(["0"]).run()
    assert not at.exception and not any("Motivo" in d.value for d in at.dataframe)
    recodes = next(e for e in at.expander if e.label.startswith("Ricodifiche"))
    assert recodes.label == "Ricodifiche: 4 celle in 2 colonne"
    text = recodes.markdown[0].value.replace("\\", "")  # what Markdown shows: escapes read
    assert "- pyr_needs_1: 2 celle con «0» lette come «non applicabile»" in text
    assert "- club_ces: 1 cella con «N/A» letta come «nessuna risposta»" in text
    assert _button(at, "upload_commit").label == "Carica 3 righe"


def test_rows_already_loaded_are_counted_and_need_a_choice_on_the_page(app_env):
    """Issue 17, item 6, on the page: a form export loaded again with other line endings."""
    data = se.google_forms_csv(se.answers(6, 2027, seed=21))
    at = _upload_page()
    at.number_input(key="upload_wave").set_value(2027).run()
    at.file_uploader[0].set_value(("a.csv", data, "text/csv")).run()
    _button(at, "upload_commit").click().run()
    _button(at, "upload_confirm").click().run()
    assert "UP-0001" in at.success[0].value
    at.file_uploader[0].set_value(("b.csv", data.replace(b"\r\n", b"\n"), "text/csv")).run()
    assert at.warning[0].value.startswith("6 righe dicono esattamente ciò che dicono righe già "
                                          "caricate nella stessa ondata (UP-0001)")
    assert not at.error and not [b for b in at.button if b.key == "upload_commit"]
    choice = next(s for s in at.segmented_control if s.label == "Che cosa fare di queste righe?")
    choice.set_value("skip").run()
    assert not at.exception
    assert at.info[-1].value == ("Tutte le righe del file sono già caricate: non c'è nulla di "
                                 "nuovo da caricare.")
    choice = next(s for s in at.segmented_control if s.label == "Che cosa fare di queste righe?")
    choice.set_value("keep").run()
    assert _button(at, "upload_commit").label == "Carica 6 righe"
