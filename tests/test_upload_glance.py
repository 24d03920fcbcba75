"""Carica dati's look at the rows before anything is written (AppTest): the first rows decoded
(accents intact), the questions the file covers against the questionnaire, respondent ids in
the problems table, what the confirmation says (new wave, new companies), the undo's buttons
and its confirmation in the log, the log's columns."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cx.questionnaire import questionnaire
from tests.conftest import ROOT

# one row with an unknown sector (r2): its company is not counted as a new one
CSV = ("respondent_id,wave,company,sector,club_nps\n"
       "r1,2031,Caffè Rossi,finance,9\n"
       "r2,2031,Bar Nuovo,banche,7\n"
       "r3,2031,Zeta Srl,retail,5\n")


def _upload_page(lang: str = "it") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    return at.switch_page("pages/carica.py").run()


def _uploaded(lang: str = "it") -> AppTest:
    at = _upload_page(lang)
    at.file_uploader[0].set_value(("caffè.csv", CSV.encode("utf-8"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_first_rows_are_shown_decoded_with_accents_intact(app_env):
    at = _uploaded()
    qn = questionnaire()
    first = _frame_with(at, qn["company"].text("it"))
    assert list(first[qn["company"].text("it")]) == ["Caffè Rossi", "Bar Nuovo", "Zeta Srl"]
    sector = qn["sector"].text("it")
    assert first[sector].iloc[0] == qn["sector"].option_label("finance", "it") != "finance"
    assert first[sector].iloc[1] == "", "an unknown answer is not stored"
    assert list(first["Riga"]) == [2, 3, 4], "rows as numbered in the file"


def test_the_questions_the_file_covers_and_those_the_new_wave_will_lack(app_env):
    at = _uploaded()
    qn = questionnaire()
    asked = [q for q in qn.questions
             if q.id not in ("respondent_id", "wave", "company") and q.asked_in(2031)]
    missing = len(asked) - 2  # sector and club_nps
    warning = next(w.value for w in at.warning if "Il file copre" in w.value)
    assert warning == (f"Il file copre 2 delle {len(asked)} domande; queste {missing} non "
                       "avranno dati per l'ondata 2031.")
    metric = next(m for m in at.metric if m.label == "Domande coperte")
    assert metric.value == f"2 / {len(asked)}"
    listed = next(e for e in at.expander if e.label == f"Le {missing} domande senza colonna "
                                                      "nel file")
    assert qn["club_ces"].text("it") in listed.markdown[0].value
    assert qn["sector"].text("it") not in listed.markdown[0].value


def test_the_problems_table_names_the_respondent(app_env):
    at = _uploaded()
    problems = _frame_with(at, "Motivo")
    assert list(problems.columns[:2]) == ["Riga", "Rispondente"]
    assert list(problems["Rispondente"]) == ["r2"] and list(problems["Riga"]) == [3]


def test_the_confirmation_says_new_wave_and_new_companies(app_env):
    at = _uploaded()
    at.button(key="upload_partial").click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "È una **nuova ondata 2031**." in text
    assert "**2 nuove aziende**: «Caffè Rossi», «Zeta Srl»." in text, text
    assert "Bar Nuovo" not in text, "a quarantined row's company is not added"


def test_the_confirmation_of_a_replaced_wave_in_english(app_env, tmp_path):
    from cx.cli import main

    path = tmp_path / "first.csv"
    path.write_text(CSV.replace("r2,2031,Bar Nuovo,banche", "r2,2031,Bar Nuovo,retail"),
                    encoding="utf-8")
    assert main(["ingest", str(path), "--db", str(app_env)]) == 0
    at = _upload_page("en")
    at.segmented_control(key="upload_mode").set_value("replace").run()
    at.file_uploader[0].set_value(("again.csv", CSV.replace("r1,", "r9,").encode(),
                                   "text/csv")).run()
    at.button(key="upload_partial").click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "It **replaces wave 2031**." in text
    assert "No new company: all of them are already stored." in text


def test_undo_asks_yes_or_no_and_confirms_in_the_log(app_env, tmp_path):
    from cx.cli import main

    path = tmp_path / "f.csv"
    path.write_text(CSV.replace("banche", "retail"), encoding="utf-8")
    assert main(["ingest", str(path), "--db", str(app_env)]) == 0
    at = _upload_page()
    log = at.dataframe[0].value
    assert list(log.columns) == ["Caricamento", "Stato", "Data e ora", "File", "Ondate",
                                 "Righe caricate", "In quarantena"]
    assert len(at.dataframe[1].value.columns) == 10
    at.button(key="upload_undo").click().run()
    assert at.button(key="undo_confirm").label == "Sì, annulla il caricamento"
    assert at.button(key="undo_cancel").label == "No, torna indietro"
    at.button(key="undo_cancel").click().run()
    assert not at.success and list(at.dataframe[0].value["Stato"]) == [
        "Caricato"]
    at.button(key="upload_undo").click().run()
    at.button(key="undo_confirm").click().run()
    assert not at.exception
    said = "Caricamento UP-0001 annullato. Righe rimosse: 3; ripristinate: 0."
    assert [s.value for s in at.success] == [said]
    assert [t.value for t in at.toast] == [said]
    assert list(at.dataframe[0].value["Stato"]) == ["Annullato"]
