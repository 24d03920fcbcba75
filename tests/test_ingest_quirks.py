"""The quirks of real survey exports (../shared/realworld), reproduced by generated fixtures:
each tool's signature recognised, respondents counted right, answers landing as the same codes,
non-answers kept missing, and a saved mapping making a foreign file usable (issue 8)."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pandas as pd
import pytest

from cx.cli import main
from cx.cli.mapping_file import MappingFile, read_mapping
from cx.config import QUESTIONNAIRE_PATH
from cx.ingest.commit import ingest, save_mapping
from cx.ingest.options import BelowScale, Options
from cx.ingest.pipeline import preview
from cx.ingest.problems import Refused
from cx.ingest.recode import Recoder
from cx.ingest.upload import Upload
from cx.ingest.written import option_texts
from cx.questionnaire import Option, Question, parse_questionnaire
from cx.store import Store
from tests import survey_exports as se
from tests.conftest import by_file_row, cell_value, extras_of

WAVE = 2027
ASKED_IDS = [q.id for q in se.ASKED]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return se.answers(12, WAVE, seed=11)


def _column(frame: pd.DataFrame, col: str) -> list:
    return [cell_value(v) for v in frame[col]]


def _load(store: Store, tmp_path, name: str, data: bytes, options: Options | None = None):
    path = tmp_path / name
    path.write_bytes(data)
    result = ingest(store, Upload(path, name), options or Options(wave=WAVE))
    assert result.status == "committed", (result.preview.refusal_text("en"),
                                          [p.as_dict("en") for p in result.preview.problems[:5]])
    return result


def _by_id(stored: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    return stored.set_index("respondent_id").loc[list(ids)].reset_index()


# name: (writer, source, header rows, how stored rows line up with the frame's)
QUIRKS = {
    "limesurvey_fulltext.csv": (se.limesurvey_fulltext_csv, "limesurvey", 1, ""),
    "google_forms_merged.csv": (se.google_forms_merged_csv, "google_forms", 1, None),
    "qualtrics_legacy.csv": (se.qualtrics_legacy_csv, "qualtrics", 2, "R_"),
    "qualtrics_insights.csv": (se.qualtrics_insights_csv, "qualtrics", 3, "R_"),
    "typeform_it.csv": (se.typeform_csv, "typeform", 1, "tok"),
    "kobo_slash.csv": (se.kobo_csv, "kobo", 1, "uuid:"),
    "kobo_dot.csv": (lambda f: se.kobo_csv(f, "."), "kobo", 1, "uuid:"),
    "surveymonkey_flattened.csv": (se.surveymonkey_flat_csv, "generic", 1, None),
    "two_header_semicolon.csv": (se.two_header_semicolon_csv, "generic", 2, None),
}


@pytest.mark.parametrize("name", list(QUIRKS))
def test_each_quirk_lands_as_the_same_answers(name, frame, empty, tmp_path):
    writer, source, header_rows, prefix = QUIRKS[name]
    result = _load(empty, tmp_path, name, writer(frame))
    pre = result.preview
    assert (pre.source, pre.header_rows, pre.respondents) == (source, header_rows, len(frame))
    stored = empty.responses()
    stored = by_file_row(stored) if prefix is None else _by_id(stored,
                                                           prefix + frame["respondent_id"])
    for col in ASKED_IDS:
        assert _column(stored, col) == _column(frame, col), col


def test_typeform_option_columns_and_duplicate_headers(frame, empty, tmp_path):
    pre = _load(empty, tmp_path, "t.csv", se.typeform_csv(frame)).preview
    assert pre.mapped["Sito web"] == "touchpoints:website"
    assert {"Other", "Other (2)", "Other (3)"} <= set(pre.unmapped)
    assert pre.mapped["Settore di attività"] == "sector", "the trailing space is ignored"


def test_flattened_continuation_columns_map_to_options(frame, empty, tmp_path):
    pre = preview(empty, _path(tmp_path, "f.csv", se.surveymonkey_flat_csv(frame)),
                  Options(wave=WAVE))
    q = se.QN["touchpoints"]
    options = {target for target in pre.mapped.values() if target.startswith("touchpoints:")}
    chosen = {c for v in frame["touchpoints"].dropna() for c in v.split("|")}
    assert options == {f"touchpoints:{c}" for c in chosen} and len(chosen) > 1
    assert q.en not in pre.mapped or pre.mapped[q.en].startswith("touchpoints:")


def _path(tmp_path, name: str, data: bytes) -> Upload:
    path = tmp_path / name
    path.write_bytes(data)
    return Upload(path, name)


AGREE = Question("x", "piramide", "likert", "x", "x", options=tuple(
    Option(str(i), it, en) for i, (it, en) in enumerate([
        ("Per niente d'accordo", "Strongly disagree"), ("Poco d'accordo", "Disagree"),
        ("Né d'accordo né in disaccordo", "Neither agree nor disagree"),
        ("Abbastanza d'accordo", "Agree"), ("Del tutto d'accordo", "Strongly agree")], 1)))


@pytest.mark.parametrize(("raw", "code"), [
    ("Strongly Agree", "5"), ("Neither Agree nor Disagree", "3"), ("Neutral", "3"),
    ("Neutro", "3"), ("Somewhat agree", "4"), ("Somewhat disagree", "2"),
    ("Completely agree", "5"), ("Very disagree", "1"), ("4 - Abbastanza d'accordo", "4"),
    ("Agree.", "4"), ("2", "2"),
    ("I don't know", None), ("Non lo so", None), ("N/A", None), ("NA", None),
    ("No basis for evaluation", None), ("I've never had squash", None),
    ("I don't remember.", None), ("Not sure", None),
])
def test_likert_labels_and_non_answers(raw, code):
    coded = Recoder(AGREE).code(raw)
    assert (coded.value, coded.reason) == (code, None)
    assert coded.note == (None if raw == code else "label" if code else "no_answer")


@pytest.mark.parametrize("raw", ["0", "-1", "-99"])
def test_below_a_likert_is_out_of_range_unless_the_file_says_not_applicable(raw):
    """Issue 17, item 8: a 0 on a 1–5 scale (or a negative number) was «no answer» without a
    word. It is out of range, unless the analyst named it (mapping) or the source codes its
    non-substantive options below zero (Qualtrics)."""
    strict = Recoder(AGREE).code(raw)
    assert (strict.value, strict.reason) == (None, "below_scale")
    assert dict(strict.params) == {"min": 1, "max": 5, "value": raw}
    named = Recoder(AGREE, BelowScale(frozenset({raw}))).code(raw)
    assert (named.value, named.reason, named.note) == (None, None, "not_applicable")
    qualtrics = Recoder(AGREE, BelowScale(negative=True)).code(raw)
    assert qualtrics.reason == (None if raw != "0" else "below_scale")
    assert Recoder(AGREE, BelowScale(frozenset({"0"}))).code("3").value == "3"


def test_a_likert_beyond_the_scale_is_still_a_problem():
    assert Recoder(AGREE).code("6").reason == "out_of_range"
    assert Recoder(AGREE).code("2.5").reason == "out_of_range"
    assert Recoder(AGREE).code("Moderately agree, mostly").reason == "unknown_option"


@pytest.mark.parametrize(("qid", "raw", "value", "reason"), [
    ("club_nps", "0", "0", None),  # 0 is an answer on a 0–10 scale
    ("club_nps", "-99", None, "below_scale"),  # unless the file says it means "unanswered"
    ("club_nps", "10 - Extremely likely", "10", None),
    ("club_nps", "11", None, "out_of_range"),
    ("club_ces", "0", None, "below_scale"),  # 0 below a 1–7 scale
    ("club_ces", "8", None, "out_of_range"),
    ("kpi_nps", "-20", "-20", None),  # a number may be negative
    ("kpi_csat", "Not applicable", None, None),
])
def test_numbers_scales_and_not_applicable(qid, raw, value, reason):
    coded = Recoder(se.QN[qid]).code(raw)
    assert (coded.value, coded.reason) == (value, reason)


def test_a_code_below_the_scale_named_by_the_file_is_not_applicable_only_there():
    qualtrics = BelowScale(negative=True)
    assert Recoder(se.QN["club_nps"], qualtrics).code("-99").note == "not_applicable"
    assert Recoder(se.QN["club_ces"], qualtrics).code("0").reason == "below_scale"
    zero = BelowScale(frozenset({"0"}))
    assert Recoder(se.QN["club_ces"], zero).code("0").note == "not_applicable"
    assert Recoder(se.QN["club_nps"], zero).code("0").value == "0"  # inside its scale
    assert Recoder(se.QN["kpi_nps"], qualtrics).code("-20").value == "-20"  # not a rating


def test_html_entities_and_space_joined_codes():
    q = Question("inc", "profilo", "single", "Reddito", "Income", options=(
        Option("low", "< 1000€", "< 1000€"), Option("high", "> 2000€", "> 2000€")))
    assert Recoder(q).code("&gt; 2000€").value == "high"
    touch = Recoder(se.QN["touchpoints"])
    assert touch.code("store website app").value == "store|website|app"
    assert touch.code("Social media").value == "social"


def test_one_column_per_option_holds_yes_no_or_the_option_text():
    touch = Recoder(se.QN["touchpoints"])
    flags = touch.flags(["Yes", "No", "N/A"], "app", "touchpoints[app]")
    assert {k: v.value for k, v in flags.items()} == {"Yes": "app", "No": None, "N/A": None}
    typeform = touch.flags(["Social media"], "social", "Social media")
    assert typeform["Social media"].value == "social"
    flattened = touch.flags(["Our own app.", "No"], "app", "Column7")
    assert flattened["Our own app."].value == "app", "the one text of a placeholder column"
    surveymonkey = touch.flags(["Mobile app"], "app", "Which touchpoints? [Mobile app]")
    assert surveymonkey["Mobile app"].value == "app"
    clash = touch.flags(["forse"], "app", "touchpoints[app]")
    assert clash["forse"].reason == "not_yes_no"
    assert touch.flags(["a", "b"], "app", "Column7")["a"].reason == "not_yes_no"
    assert option_texts("Check all statements-Squash are great")[-1] == "Squash are great"


def test_blank_rows_are_not_respondents(empty, tmp_path):
    text = ("company,wave,club_nps\r\n\r\nAlfa,2027,9\r\n,,\r\n  ,  ,\r\nBeta,2027,7\r\n"
            "\r\n")
    pre = preview(empty, _path(tmp_path, "b.csv", text.encode()))
    assert (pre.respondents, pre.verdict) == (2, "ok")


def test_formatted_empty_rows_at_the_end_of_a_sheet(empty, tmp_path):
    rows = [["ID", "company", "club_nps"], [2, "Alfa", 9], [1, "Beta", "Non lo so"]]
    rows += [[None, None, None]] * 100
    data = se._xlsx(rows, "Risposte", before={"Istruzioni": [["Leggimi"]]})
    pre = preview(empty, _path(tmp_path, "s.xlsx", data), Options(wave=WAVE))
    assert (pre.sheet, pre.respondents, pre.verdict) == ("Risposte", 2, "ok")


def test_header_label_and_import_rows_are_not_respondents(frame, empty, tmp_path):
    for name, data, rows in (("q.csv", se.qualtrics_csv(frame), 3),
                             ("l.csv", se.qualtrics_legacy_csv(frame), 2)):
        pre = preview(empty, _path(tmp_path, name, data), Options(wave=WAVE))
        assert (pre.header_rows, pre.respondents) == (rows, len(frame))
        assert pre.problems == ()


def _mapping_file(tmp_path, mapping: dict) -> str:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    return str(path)


def test_a_foreign_file_with_a_mapping_then_the_same_shape_without(frame, tmp_path, capsys):
    """The airline-style file: 0 = not applicable is missing; the next file of the same shape
    needs no column mapping, but its company and sector are asked again (issue 17: values for
    every row are never remembered, the next file may come from another company)."""
    db = tmp_path / "m.duckdb"
    first, second = frame.iloc[:8], frame.iloc[8:]
    (tmp_path / "a1.csv").write_bytes(se.airline_csv(first))
    (tmp_path / "a2.csv").write_bytes(se.airline_csv(second))
    argv = ["--db", str(db), "--wave", str(WAVE), "--json"]
    assert main(["ingest", str(tmp_path / "a2.csv"), "--dry-run", *argv]) == 1
    assert "azienda" in json.loads(capsys.readouterr().out)["refusal"]
    mapping = _mapping_file(tmp_path, se.AIRLINE_MAPPING)
    assert main(["ingest", str(tmp_path / "a1.csv"), "--mapping", mapping, *argv]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows_committed"] == len(first)
    records = list(csv.DictReader(io.StringIO((tmp_path / "a1.csv").read_text("utf-8"))))
    zeros = {c: sum(r[c] == "0" for r in records) for c in se.AIRLINE_ITEMS}
    said = {r["column"]: r["cells"] for r in report["recodes"] if r["kind"] == "not_applicable"}
    assert said == {c: n for c, n in zeros.items() if n}, "each recode is counted"
    assert main(["ingest", str(tmp_path / "a2.csv"), *argv]) == 1, "its company is asked"
    assert "azienda" in json.loads(capsys.readouterr().out)["refusal"]
    values = _mapping_file(tmp_path, {"values": se.AIRLINE_MAPPING["values"]})
    assert main(["ingest", str(tmp_path / "a2.csv"), "--mapping", values, *argv]) == 0, \
        "the columns map themselves: only the values are given"
    capsys.readouterr()
    with Store.open(db) as store:
        stored = _by_id(store.responses(), frame["respondent_id"])
    assert set(stored["company"]) == {"Compagnia aerea"} and set(stored["sector"]) == {"tourism"}
    for qid in se.AIRLINE_ITEMS.values():
        assert _column(stored, qid) == _column(frame, qid), qid  # the zeros became missing
    assert stored["pyramid_ease"].notna().any()


def test_an_nps_survey_mapped_on_the_command_line(frame, tmp_path, capsys):
    db = tmp_path / "n.duckdb"
    (tmp_path / "n.csv").write_bytes(se.nps_survey_csv(frame))
    mapping = _mapping_file(tmp_path, se.NPS_SURVEY_MAPPING)
    assert main(["ingest", str(tmp_path / "n.csv"), "--mapping", mapping, "--wave", "2018",
                 "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []
    with Store.open(db) as store:
        stored = by_file_row(store.responses())
    for qid in ("company", "club_nps", "pyr_enjoyment_1", "pyr_needs_1", "touchpoints"):
        assert _column(stored, qid) == _column(frame, qid), qid


def test_values_for_every_row_are_not_saved_with_the_mapping(frame, empty, tmp_path):
    data = se.airline_csv(frame)
    options = Options(wave=WAVE, mapping=tuple(se.AIRLINE_MAPPING["mapping"].items()),
                      values=(("company", "Volo Srl"),), not_applicable=("0",))
    pre = preview(empty, _path(tmp_path, "a.csv", data), options)
    assert pre.verdict == "ok" and dict(pre.values) == {"company": "Volo Srl"}
    assert "=company" not in pre.file_columns and "=company" not in pre.mapped
    save_mapping(empty, pre)
    again = preview(empty, _path(tmp_path, "b.csv", data), Options(wave=WAVE))
    assert again.mapped == pre.mapped, "the columns are remembered"
    assert dict(again.values) == {} and again.refusal == ("no_company", ()), "not the company"
    removed = preview(empty, _path(tmp_path, "c.csv", data),
                      Options(wave=WAVE, values=(("company", ""),)))
    assert removed.refusal == ("no_company", ())


def test_a_value_for_every_row_wins_over_a_column_and_problems_keep_their_rows(empty,
                                                                              tmp_path):
    text = "company,wave,club_nps\nAlfa,2027,9\n\nBeta,2027,11\n"
    pre = preview(empty, _path(tmp_path, "v.csv", text.encode()),
                  Options(values=(("company", "Gruppo Unico"),), accept_partial=True))
    assert "company" not in pre.mapped and pre.mapping[-1] == ("=company", "company")
    assert [(p.row, p.column, p.reason) for p in pre.problems] == [(4, "club_nps",
                                                                    "out_of_range")]
    result = ingest(empty, _path(tmp_path, "v.csv", text.encode()),
                    Options(values=(("company", "Gruppo Unico"),), accept_partial=True))
    assert (result.rows_committed, result.rows_quarantined) == (1, 1)
    assert set(empty.responses(["company"])["company"]) == {"Gruppo Unico"}
    extras = extras_of(empty, result.upload_id)
    assert set(extras["column"]) == {"company"}, "the file's own column is kept, not lost"


@pytest.mark.parametrize("qid", ["wave", "respondent_id", "no_such_question"])
def test_a_value_for_every_row_must_be_a_question(qid, empty, tmp_path):
    pre = preview(empty, _path(tmp_path, "v.csv", b"company,wave,club_nps\nA,2027,9\n"),
                  Options(values=((qid, "x"),)))
    assert pre.refusal == ("bad_fixed", (("question", qid),))
    assert qid in pre.refusal_text("it") and qid in pre.refusal_text("en")


def test_mapping_file_with_values_and_its_errors(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"mapping": {"A": "company"}, "values": {"sector": "retail"}}))
    assert read_mapping(str(path)) == MappingFile((("A", "company"),), (("sector", "retail"),))
    path.write_text(json.dumps({"A": "company"}))
    assert read_mapping(str(path)) == MappingFile((("A", "company"),), ())
    path.write_text(json.dumps({"values": {"company": "X"}}))
    assert read_mapping(str(path)) == MappingFile((), (("company", "X"),))
    path.write_text(json.dumps({"not_applicable": [0, "-1", "-99.0"]}))
    assert read_mapping(str(path)) == MappingFile(not_applicable=("0", "-1", "-99"))
    path.write_text(json.dumps({"not_applicable": ["zero"]}))
    with pytest.raises(Refused) as refused:
        read_mapping(str(path))
    assert refused.value.code == "bad_not_applicable"
    for bad in ([1, 2], {"mapping": [1]}, {"values": "x"}, {"not_applicable": "0"}):
        path.write_text(json.dumps(bad))
        with pytest.raises(Refused):
            read_mapping(str(path))


def test_option_texts_with_commas_split_on_the_known_texts(frame, tmp_path):
    """Multiple choices joined by ", " whose options contain commas themselves (surveycovid19:
    "Yes, due to their age (60+), Yes, due to existing medical conditions (…)")."""
    raw = tomllib.loads(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    labels = {"website": "Sì, sito web (anche blog, landing page)",
              "ticketing": "Sì, assistenza online, ticketing e FAQ", "app": "App"}
    touch = next(q for q in raw["questions"] if q["id"] == "touchpoints")
    for option in touch["options"]:
        option["it"] = labels.get(option["code"], option["it"])
    qn = parse_questionnaire(raw)
    buf = io.StringIO()
    rows = [["company", "wave", "Quali touchpoint gestite con i clienti?"]]
    rows += [[rec["company"], WAVE, ", ".join(qn["touchpoints"].option_label(c, "it")
                                              for c in se._codes(rec["touchpoints"]))]
             for rec in frame.to_dict("records")]
    csv.writer(buf).writerows(rows)
    with Store.open(tmp_path / "c.duckdb", qn=qn) as store:
        _load(store, tmp_path, "c.csv", buf.getvalue().encode(), Options())
        stored = by_file_row(store.responses(["respondent_id", "touchpoints"]))
    assert any("," in r[2] and r[2].count(",") > 2 for r in rows[1:])
    assert _column(stored, "touchpoints") == _column(frame, "touchpoints")


@pytest.mark.parametrize(("header", "target"), [
    ("At which touchpoints do you collect customers' pain points?-In e-mails",
     "tp_pain_points:at_email"),  # legacy Qualtrics: no spaces, a hyphen in the option
    ("Who takes part in the Customer Journey training? - Front-line staff",
     "cj_training_audience:front_line"),
    ("How do you listen to your customers? - Qualitative feedback: face-to-face conversations, "
     "focus groups, interviews", "listening:qualitative"),
])
def test_an_option_with_its_own_hyphen_is_split_where_the_question_ends(header, target):
    from cx.ingest import mapping
    from cx.ingest.header import Column

    idx = mapping._index(se.QN)
    best = max(mapping._option_target(q, o, idx) for q, o in mapping._splits(header))
    assert best[1] == target and best[0] > 0.9
    assert mapping.propose((Column(0, "Q1", (header,)),), se.QN)["Q1"] == target
