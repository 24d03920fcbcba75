"""Carica dati: every export format, generated from known answers, lands as the same rows and
codes (issue 3 items 2–4, 9; issue 8 item 1)."""

from __future__ import annotations

import codecs
import hashlib
import json

import pandas as pd
import pytest

from cx.cli import main
from cx.ingest import read, scan
from cx.ingest.commit import ingest
from cx.ingest.options import Options
from cx.ingest.pipeline import preview
from cx.ingest.upload import Upload
from cx.store import Store
from tests import survey_exports as se
from tests.conftest import by_file_row, cell_value, extras_of

WAVE = 2027
ASKED_IDS = [q.id for q in se.ASKED]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return se.answers(12, WAVE)





def _same(stored: pd.DataFrame, frame: pd.DataFrame, columns: list[str]) -> None:
    assert len(stored) == len(frame)
    for col in columns:
        got = [cell_value(v) for v in stored[col]]
        want = [cell_value(v) for v in frame[col]]
        assert got == want, col


def _load(store: Store, tmp_path, name: str, data: bytes, options: Options | None = None):
    path = tmp_path / name
    path.write_bytes(data)
    result = ingest(store, Upload(path, name), options)
    assert result.status == "committed", (result.preview.refusal_text("en"),
                                          [p.as_dict("en") for p in result.preview.problems])
    return result


FORMATS = {
    # name: (writer, options, source, header rows, ids carried)
    "canonical.csv": (se.canonical_csv, Options(), "canonical", 1, True),
    "template.xlsx": (se.template_filled_xlsx, Options(), "canonical", 2, True),
    "italian_excel.csv": (se.italian_excel_csv, Options(), "generic", 1, True),
    "google_forms_it.csv": (se.google_forms_csv, Options(wave=WAVE), "google_forms", 1, False),
    "google_forms_en.csv": (lambda f: se.google_forms_csv(f, "en"), Options(wave=WAVE),
                            "google_forms", 1, False),
    "microsoft_forms.xlsx": (se.microsoft_forms_xlsx, Options(wave=WAVE), "microsoft_forms", 1,
                             False),
    "surveymonkey.csv": (se.surveymonkey_csv, Options(wave=WAVE), "surveymonkey", 2, True),
    "surveymonkey.xlsx": (se.surveymonkey_xlsx, Options(wave=WAVE), "surveymonkey", 2, True),
    "qualtrics.csv": (se.qualtrics_csv, Options(wave=WAVE), "qualtrics", 3, "R_"),
    "limesurvey_codes.csv": (se.limesurvey_codes_csv, Options(wave=WAVE), "limesurvey", 1, False),
    "limesurvey_texts.csv": (se.limesurvey_texts_csv, Options(wave=WAVE), "limesurvey", 1, False),
}


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_lands_as_the_same_answers(name, frame, empty, tmp_path):
    writer, options, source, header_rows, ids = FORMATS[name]
    result = _load(empty, tmp_path, name, writer(frame), options)
    pre = result.preview
    assert (pre.source, pre.header_rows, pre.respondents) == (source, header_rows, len(frame))
    assert result.rows_committed == len(frame) and result.rows_quarantined == 0
    stored = empty.responses()
    if ids:
        prefix = ids if isinstance(ids, str) else ""
        stored = stored.set_index("respondent_id").loc[prefix + frame["respondent_id"]]
        _same(stored.reset_index(drop=True), frame, ASKED_IDS)
    else:
        _same(by_file_row(stored), frame, ASKED_IDS)
    assert set(stored["wave"]) == {WAVE}


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ","), ("utf-16", "\t"), ("cp1252", ";"), ("latin-1", ";"), ("utf-8", "|")])
def test_encodings_and_delimiters_are_detected(encoding, delimiter, frame, empty, tmp_path):
    data = se.canonical_csv(frame, delimiter, "," if delimiter == ";" else ".", "utf-8")
    text = data.decode("utf-8").replace("Semplificare", "Città già più perché")
    raw = text.encode(encoding if encoding != "utf-16" else "utf-16")
    result = _load(empty, tmp_path, "enc.csv", raw)
    assert result.preview.delimiter == delimiter
    expected = {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "cp1252": "cp1252",
                "latin-1": "cp1252", "utf-8": "utf-8"}[encoding]
    assert result.preview.encoding == expected
    stored = empty.responses(["respondent_id", "kpi_ces", "cx_priority"])
    want = frame.set_index("respondent_id")
    got = stored.set_index("respondent_id").loc[want.index]
    assert [cell_value(v) for v in got["kpi_ces"]] == [cell_value(v) for v in want["kpi_ces"]]
    assert any("Città già più perché" in (v or "") for v in got["cx_priority"])


def test_windows_1252_letters_beyond_latin_1(empty, tmp_path):
    text = ("company;wave;pain_point;club_nps\n"
            "Caffè Rossi;2027;“Prezzi” alti – 10€;9\n")
    result = _load(empty, tmp_path, "w.csv", text.encode("cp1252"))
    assert result.preview.encoding == "cp1252"
    assert empty.responses(["pain_point"])["pain_point"].iloc[0] == "“Prezzi” alti – 10€"


def test_large_csv_is_read_by_duckdb_with_the_same_result(frame, tmp_path, monkeypatch):
    data = se.canonical_csv(frame)
    results = []
    for large in (10**9, 100):
        monkeypatch.setattr(read, "LARGE_CSV", large)
        with Store.open(tmp_path / f"{large}.duckdb") as store:
            _load(store, tmp_path, f"{large}.csv", data)
            results.append(store.responses().drop(columns="upload_id"))
    pd.testing.assert_frame_equal(results[0], results[1])


def test_large_csv_with_two_header_rows_and_bom(frame, tmp_path, monkeypatch):
    monkeypatch.setattr(read, "LARGE_CSV", 100)
    from cx.ingest.template import template_csv

    body = se.canonical_csv(frame).split(b"\n", 1)[1]
    data = b"\xef\xbb\xbf" + template_csv("it") + body
    with Store.open(tmp_path / "x.duckdb") as store:
        result = _load(store, tmp_path, "t.csv", data)
        assert (result.preview.header_rows, result.rows_committed) == (2, len(frame))
        assert result.preview.problems == ()


def _past_the_head(monkeypatch) -> None:
    """Large-CSV reading for a file of a few hundred bytes, whose head is its first 64."""
    monkeypatch.setattr(read, "LARGE_CSV", 100)
    monkeypatch.setattr(read, "HEAD_BYTES", 64)


def _windows_1252_after_the_head() -> bytes:
    rows = [f"Alfa {i};2027;prezzi alti;9" for i in range(8)]
    rows.append("Caffè Rossi;2027;“Prezzi” – 10€;9")
    return ("company;wave;pain_point;club_nps\n" + "\n".join(rows) + "\n").encode("cp1252")


def test_large_csv_not_utf8_after_its_head_is_read_again_in_its_encoding(
        empty, tmp_path, monkeypatch):
    _past_the_head(monkeypatch)
    data = _windows_1252_after_the_head()
    assert data[:64].decode("utf-8") and b"\xe8" in data[64:], "the head alone looks like UTF-8"
    result = _load(empty, tmp_path, "w.csv", data)
    assert (result.preview.encoding, result.rows_committed) == ("cp1252", 9)
    got = empty.responses(["company", "pain_point"]).set_index("company")
    assert got.loc["Caffè Rossi", "pain_point"] == "“Prezzi” – 10€"


@pytest.mark.parametrize(("tail", "refusal"), [
    ("Città;2027;x;9\n".encode() + "Perché;2027;y;9\n".encode("cp1252"), "mixed_encoding"),
    (b"Alfa 9;2027;\x00\x01\x02;9\n", "binary"),
    (b"Citt\xe0;2027;x;9\n", "bad_bom"),  # with a BOM that promised UTF-8
])
def test_large_csv_refused_for_what_lies_past_its_head(empty, tmp_path, monkeypatch, tail,
                                                       refusal):
    _past_the_head(monkeypatch)
    path = tmp_path / "x.csv"
    bom = codecs.BOM_UTF8 if refusal == "bad_bom" else b""
    path.write_bytes(bom + _windows_1252_after_the_head().split(b"Caff")[0] + tail)
    before = empty.fingerprint()
    result = ingest(empty, Upload(path, "x.csv"))
    assert (result.status, result.preview.refusal[0]) == ("refused", refusal)
    assert empty.fingerprint() == before


@pytest.mark.parametrize("large", [10**9, 10])
def test_empty_lines_keep_the_rows_numbered_as_in_a_spreadsheet(empty, tmp_path, monkeypatch,
                                                                 large):
    """DuckDB, which reads large CSVs, skips empty lines: the rows after one keep their number
    all the same (the same problems as when Python reads the file), and an empty line inside
    quotes is text."""
    monkeypatch.setattr(read, "LARGE_CSV", large)
    text = ('company,wave,club_nps,pain_point\n"A",2027,9,"prima riga\n\nterza riga"\n\n'
            "B,2027,99,x\n,,,\nC,2027,77,y\n\n\n")
    path = tmp_path / "blank.csv"
    path.write_text(text, encoding="utf-8")
    pre = preview(empty, Upload(path, "blank.csv"), Options(accept_partial=True))
    assert pre.respondents == 3
    assert [(p.row, p.value) for p in pre.problems] == [(4, "99"), (6, "77")]
    ingest(empty, Upload(path, "blank.csv"), Options(accept_partial=True))
    stored = empty.responses(["company", "pain_point"])
    assert stored.set_index("company").loc["A", "pain_point"] == "prima riga\n\nterza riga"


def test_only_empty_lines_between_rows_make_a_large_csv_be_read_again(tmp_path):
    path = tmp_path / "x.csv"
    for text, encoding, between in [("company,wave\nA,2027\nB,2027\n\n\r\n", "utf-8", False),
                                    ("company,wave\r\nA,2027\r\n\r\nB,2027\r\n", "utf-8", True),
                                    ("company,wave\nA,2027\n\nB,2027\n", "utf-16", True),
                                    ("company,wave\nA,2027\nB,2027\n", "utf-16", False)]:
        path.write_bytes(text.encode(encoding))
        for piece_size in (1 << 24, 3, 4, 5):  # the empty line across two pieces, too
            found = scan.scan(path, piece_size)
            assert found.blank_lines == between, (text, encoding, piece_size)
            assert found.sha256 == hashlib.sha256(text.encode(encoding)).hexdigest()
        hashed_only = scan.scan(path, lines=False)  # the direct path does not look for them
        assert hashed_only.blank_lines is None and hashed_only.sha256 == found.sha256


def test_labels_any_case_accents_and_spaces_become_codes(empty, tmp_path):
    text = ("Azienda;Ondata;Settore di attività;Quali touchpoint gestite con i clienti?;"
            "Esiste in azienda un ruolo dedicato alla Customer Experience?;"
            "Quanto sei soddisfatto delle attività del Club CMMC?;club_ces;kpi_csat\n"
            "Alfa;2027;  BANCHE E ASSICURAZIONI ;Sito web, E-commerce, Assistenza e ticketing "
            "online;si, a tempo parziale;5 - Molto soddisfatto;7;\"67,5\"\n"
            "Beta;2027;Banking and insurance;Web site|App;Yes, a dedicated team;Satisfied;1;N/A\n"
            "Gamma;2027;finance;website|app;Sì, un team dedicato;4;Non lo so;45%\n")
    _load(empty, tmp_path, "labels.csv", text.encode("utf-8"))
    got = empty.responses(["company", "sector", "touchpoints", "cx_role", "club_csat",
                           "club_ces", "kpi_csat"]).set_index("company")
    assert list(got["sector"]) == ["finance"] * 3
    assert got.loc["Alfa", "touchpoints"] == "website|ecommerce|ticketing"
    assert got.loc["Beta", "touchpoints"] == "website|app"
    assert list(got["cx_role"]) == ["part_time", "team", "team"]
    assert list(got["club_csat"]) == [5, 4, 4]
    assert got.loc["Alfa", "kpi_csat"] == 67.5 and got.loc["Gamma", "kpi_csat"] == 45
    assert pd.isna(got.loc["Gamma", "club_ces"]) and pd.isna(got.loc["Beta", "kpi_csat"])


def test_option_texts_with_commas_are_split_on_the_known_texts():
    from cx.ingest.recode import recoder
    from cx.questionnaire import Option, Question

    q = Question("x", "pratiche", "multi", "x", "x", options=(
        Option("a", "Sì, per l'età (60+)", "Yes, due to age (60+)"),
        Option("b", "Sì, per malattie", "Yes, due to conditions"),
        Option("c", "No", "No")))
    assert recoder(q).code("Sì, per l'età (60+), Sì, per malattie").value == "a|b"
    assert recoder(q).code("yes, due to conditions; no").value == "b|c"
    assert recoder(q).code("Sì, per la salute").reason == "unknown_option"


def test_non_answers_are_missing_never_scored(empty, tmp_path):
    text = ("company,wave,pyr_needs_1,pyr_needs_2,club_nps,cx_indicators\n"
            "A,2027,0,N/A,Non lo so,I don't know\n"
            "B,2027,4,No basis for evaluation,9,Nessuno\n")
    path = tmp_path / "na0.csv"
    path.write_bytes(text.encode("utf-8"))
    strict = preview(empty, Upload(path, "na0.csv"))
    assert [(p.row, p.column, p.value, p.reason) for p in strict.problems] == [
        (2, "pyr_needs_1", "0", "below_scale")], "a 0 is not an answer nobody mentioned"
    assert "0" in strict.problems[0].text("it") and "mappatura" in strict.problems[0].text("it")
    _load(empty, tmp_path, "na.csv", text.encode("utf-8"), Options(not_applicable=("0",)))
    got = empty.responses(["company", "pyr_needs_1", "pyr_needs_2", "club_nps",
                           "cx_indicators", "pyramid_needs"]).set_index("company")
    assert got.loc["A"].drop("pyramid_needs").isna().all()
    assert pd.isna(got.loc["A", "pyramid_needs"])
    assert got.loc["B", "pyramid_needs"] == 75.0 and got.loc["B", "cx_indicators"] == "none"


def test_every_recode_is_counted_per_column(empty, tmp_path):
    """Issue 17, item 8: what the importer changed is said, per column and kind, with counts
    («club_csat: 3 celle con «0» lette come «non applicabile»»)."""
    text = ("company,wave,club_csat,pyr_needs_1,kpi_csat\n"
            "A,2027,0,Abbastanza d'accordo,\"80,5\"\n"
            "B,2027,0,N/A,90\n"
            "C,2027,0,Abbastanza d'accordo,N/A\n"
            "D,2027,4,4,70\n")
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode("utf-8"))
    pre = preview(empty, Upload(path, "r.csv"), Options(not_applicable=("0",)))
    assert pre.verdict == "ok"
    got = {(r.column, r.note): (r.cells, r.values) for r in pre.recodes}
    assert got == {("club_csat", "not_applicable"): (3, (("0", 3),)),
                   ("pyr_needs_1", "label"): (2, (("Abbastanza d'accordo", 2),)),
                   ("pyr_needs_1", "no_answer"): (1, (("N/A", 1),)),
                   ("kpi_csat", "number"): (1, (("80,5", 1),)),
                   ("kpi_csat", "no_answer"): (1, (("N/A", 1),))}
    csat = next(r for r in pre.recodes if r.column == "club_csat")
    assert csat.text("it") == "club_csat: 3 celle con «0» lette come «non applicabile»"
    assert csat.text("en") == "club_csat: 3 cells with “0” read as “not applicable”"


def test_data_on_a_later_sheet_is_found_and_a_sheet_can_be_chosen(frame, empty, tmp_path):
    rows = [list(se.QN.ids)] + [[None if pd.isna(v) else v for v in r]
                                for r in frame.astype(object).itertuples(index=False)]
    data = se._xlsx(rows, "Dati", before={"Note": [["Esportato il 1/3/2027"]]})
    path = tmp_path / "sheets.xlsx"
    path.write_bytes(data)
    pre = preview(empty, Upload(path, "sheets.xlsx"))
    assert (pre.sheet, pre.sheets, pre.respondents) == ("Dati", ("Note", "Dati"), len(frame))
    chosen = preview(empty, Upload(path, "sheets.xlsx"), Options(sheet="Note"))
    assert chosen.verdict == "refused" and chosen.sheet == "Note"


def test_legacy_xls_is_read(tmp_path):
    import xlwt
    book = xlwt.Workbook()
    sheet = book.add_sheet("Foglio1")
    for j, v in enumerate(["company", "wave", "club_nps"]):
        sheet.write(0, j, v)
    sheet.write(1, 0, "Alfa")
    sheet.write(1, 1, 2027)
    sheet.write(1, 2, 9)
    book.save(str(tmp_path / "old.xls"))
    grid = read.read_grid(tmp_path / "old.xls")
    assert grid.kind == "xls" and grid.rows[1] == ("Alfa", "2027", "9")


def test_unmapped_columns_are_kept_with_the_upload(frame, empty, tmp_path):
    result = _load(empty, tmp_path, "gf.csv", se.google_forms_csv(frame), Options(wave=WAVE))
    extras = extras_of(empty, result.upload_id)
    assert set(extras["column"]) == {"Informazioni cronologiche"}
    assert len(extras) == len(frame)
    assert set(extras["respondent_id"]) == set(empty.responses(["respondent_id"])["respondent_id"])


def test_dry_run_json_describes_the_file_and_writes_nothing(frame, tmp_path, capsys):
    path = tmp_path / "qualtrics.csv"
    path.write_bytes(se.qualtrics_csv(frame))
    db = tmp_path / "none.duckdb"
    assert main(["ingest", str(path), "--dry-run", "--json", "--db", str(db)]) == 1  # no wave
    out = json.loads(capsys.readouterr().out)
    assert out["refusal"] and out["source"] == "qualtrics"
    assert main(["ingest", str(path), "--dry-run", "--json", "--wave", "2027",
                 "--db", str(db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert not db.exists(), "a dry run writes nothing, not even a new database"
    assert {k: out[k] for k in ("source", "encoding", "delimiter", "sheet", "header_rows",
                                "respondents")} == {
        "source": "qualtrics", "encoding": "utf-8", "delimiter": ",", "sheet": None,
        "header_rows": 3, "respondents": len(frame)}
    n = 1 + ASKED_IDS.index("cx_indicators")
    assert out["mapped"]["Q1"] == "company" and out["options"][f"Q{n}_2"] == "nps"
    assert out["mapped"][f"Q{n}_2"] == "cx_indicators"
    assert "StartDate" in out["unmapped"] and out["problems"] == []


@pytest.mark.parametrize(("header", "source", "rows"), [
    (["#", "Nome", "Submit Date (UTC)", "Network ID"], "typeform", 1),
    (["start", "end", "today", "deviceid", "Profile.Sex", "_uuid"], "kobo", 1),
    (["Response ID", "Date submitted", "Last page", "Start language", "Q1"], "limesurvey", 1),
    (["ID risposta", "Data invio", "Ultima pagina", "Lingua iniziale", "Seme"], "limesurvey", 1),
    (["ID", "Start time", "Completion time", "Email", "Name", "Q"], "microsoft_forms", 1),
    (["Timestamp", "Q"], "google_forms", 1),
    (["Informazioni cronologiche", "Q"], "google_forms", 1),
    (["V1", "V2", "V3", "Q1"], "qualtrics", 2),
    (["a", "b"], "generic", 1),
])
def test_sources_are_recognised_by_their_signature(header, source, rows):
    from cx.ingest.sources import detect

    second = tuple(f"x{i}" for i in range(len(header)))
    layout = detect((tuple(header), second, second), se.QN)
    assert (layout.source, layout.header_rows) == (source, rows)
