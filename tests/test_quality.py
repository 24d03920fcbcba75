"""Response quality flags (issue 21, item 5): small hand-made files, each showing one flag on
known rows, through the real preview (staged in DuckDB, recoded) and the dry run's JSON."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from cx.cli import main
from cx.ingest import quality, quality_time
from cx.ingest.options import Options
from cx.ingest.pipeline import preview
from cx.ingest.upload import Upload
from cx.questionnaire import questionnaire
from cx.store import Store
from tests import survey_exports as se
from tests.conftest import ROOT

QN = questionnaire()
ITEMS = [q.id for q in QN.questions if (q.construct or "").startswith(("pyramid:", "pillar:"))]
HEAD = ["respondent_id", "wave", "company", "sector", "cj_ideal_map", "journey_stages", *ITEMS,
        "club_nps"]
REALWORLD = ROOT.parent / "shared" / "realworld"


def clean_rows() -> list[dict[str, str]]:
    """Six respondents of three companies: varied Likert answers, the journey stages only
    where there is a map, no two alike."""
    rows = []
    for i, company in enumerate(["Alfa", "Alfa", "Beta", "Beta", "Gamma", "Gamma"]):
        mapped = i % 2 == 0
        rows.append({"respondent_id": f"Q{i + 1}", "wave": "2027", "company": company,
                     "sector": "retail", "cj_ideal_map": "partial" if mapped else "none",
                     "journey_stages": "awareness|purchase" if mapped else "",
                     **{q: str((i + j) % 5 + 1) for j, q in enumerate(ITEMS)},
                     "club_nps": str(i + 3)})
    return rows


def write(tmp_path, rows: list[dict[str, str]], name: str = "risposte.csv"):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def flags_of(store: Store, path, **options) -> dict[str, list[quality.Flag]]:
    pre = preview(store, Upload(path, path.name), Options(**options))
    assert pre.quality is not None, pre.refusal_text("it")
    out: dict[str, list[quality.Flag]] = {}
    for flag in pre.quality.flags:
        out.setdefault(flag.code, []).append(flag)
    return out


def file_rows(flag: quality.Flag) -> list[int]:
    return [r.row for r in flag.rows]


def test_a_clean_file_has_no_flags(empty, tmp_path):
    pre = preview(empty, Upload(write(tmp_path, clean_rows()), "ok.csv"))
    assert pre.verdict == "ok" and pre.quality is not None
    assert pre.quality.flags == () and pre.quality.checked == 6
    assert pre.quality.timing is None, "a canonical file records no completion time"


def test_straight_lining_flags_one_answer_to_every_item(empty, tmp_path):
    rows = clean_rows()
    rows[2].update({q: "4" for q in ITEMS})  # the third respondent: file row 4
    rows[4].update({q: "2" for q in ITEMS[:7]} | {q: "" for q in ITEMS[7:]})  # 7 items: too few
    found = flags_of(empty, write(tmp_path, rows))
    assert list(found) == ["straight_lining"]
    flag = found["straight_lining"][0]
    assert file_rows(flag) == [4] and flag.rows[0].respondent == "Q3"
    assert dict(flag.rows[0].detail) == {"items": len(ITEMS), "value": 4}
    assert flag.row_text(flag.rows[0], "it") == f"{len(ITEMS)} item, tutti 4"
    assert flag.text("it").startswith("1 rispondente dà la stessa risposta")


def test_identical_answers_within_a_company_name_each_other(empty, tmp_path):
    rows = clean_rows()
    rows[1] = {**rows[0], "respondent_id": "Q2-bis", "company": " alfa "}  # rows 2 and 3
    rows[5] = {**rows[2], "respondent_id": "Q6-bis", "company": "Gamma"}  # another company
    found = flags_of(empty, write(tmp_path, rows))
    assert list(found) == ["duplicate"]
    flag = found["duplicate"][0]
    assert file_rows(flag) == [2, 3] and [r.respondent for r in flag.rows] == ["Q1", "Q2-bis"]
    assert [dict(r.detail)["others"] for r in flag.rows] == ["3", "2"]


def test_journey_stages_answered_without_a_map(empty, tmp_path):
    rows = clean_rows()
    rows[3]["journey_stages"] = "use"  # map «none»: file row 5
    found = flags_of(empty, write(tmp_path, rows))
    assert list(found) == ["skip_logic"]
    flag = found["skip_logic"][0]
    assert file_rows(flag) == [5] and flag.rows[0].respondent == "Q4"
    assert dict(flag.params)["question"] == "journey_stages"
    assert flag.row_text(flag.rows[0], "it") == "journey_stages con cj_ideal_map = «No»"
    assert "«È in corso di definizione»" in flag.text("it")


def test_every_asked_if_of_the_questionnaire_is_checked():
    """Generic over `Question.asked_if`: single and multiple-choice conditions alike."""
    conditional = [q for q in QN.questions if q.asked_if is not None]
    assert len(conditional) > 10
    frame = pd.DataFrame({"row_no": [10, 11, 12], "respondent_id": ["a", "b", "c"],
                          "touchpoints": ["store|email", "website", None],
                          "tp_apply_store": [4, 3, 2], "tp_apply_website": [None, 2, 5],
                          "cj_training": ["never", "yearly", "never"],
                          "cj_training_content": ["cx_projects", "cx_projects", None]})
    found = {dict(f.params)["question"]: [r.row for r in f.rows]
             for f in quality.skip_logic(frame, QN)}
    # b answers the store without it; c has no touchpoints (not asked: unknown, not flagged);
    # a is trained never yet names the content
    assert found == {"tp_apply_store": [11], "cj_training_content": [10]}


def test_duplicates_need_enough_answers_and_one_company():
    """On a frame without the store's hash: hashed here, the same rule."""
    def frame(answered: int) -> pd.DataFrame:
        return pd.DataFrame({"row_no": [2, 3, 4, 5], "respondent_id": ["a", "b", "c", "d"],
                             "company": ["Alfa", "Alfa", None, None], "wave": [2027] * 4,
                             **{q: [1, 1, 1, 1] for q in ITEMS[:answered]},
                             **{q: [None] * 4 for q in ITEMS[answered:]}})
    assert quality.duplicates(frame(4), QN) is None, "4 answers: fewer than MIN_ANSWERED"
    flag = quality.duplicates(frame(5), QN)
    assert flag is not None and file_rows(flag) == [2, 3], "no company: never compared"


def test_timing_columns_are_found_by_their_names():
    assert quality_time.columns(["Duration (in seconds)", "StartDate", "EndDate"], [0, 1, 2]) \
        == quality_time.Columns(("Duration (in seconds)",), (0,))
    found = quality_time.columns(["ID", "Start time", "Completion time", "Q"], [0, 1, 2])
    assert found == quality_time.Columns(("Start time", "Completion time"), (1, 2))
    assert quality_time.columns(["Informazioni cronologiche", "Q"], [0]) is None
    assert quality_time.columns(["Data di inizio", "Data invio"], [1]) is None, "mapped"


def test_durations_read_days_and_months_in_the_order_that_dates_them():
    frame = pd.DataFrame({"c0": ["10/28/2019 15:00:00", "10/29/2019 09:00:00", None],
                          "c1": ["10/28/2019 15:07:30", "10/29/2019 09:00:40", "x"]})
    seconds = quality_time.durations(frame, quality_time.Columns(("a", "b"), (0, 1)))
    assert seconds.tolist()[:2] == [450.0, 40.0] and pd.isna(seconds.iloc[2])
    frame = pd.DataFrame({"c0": ["312", "45,5", "00:05:00", "-3", "", "inf", "1e400", "x"]})
    seconds = quality_time.durations(frame, quality_time.Columns(("d",), (0,)))
    assert seconds.tolist()[:3] == [312.0, 45.5, 300.0] and seconds.iloc[3:].isna().all()
    odd = pd.DataFrame({"c0": ["9999-99-99", "2027-03-01T10:00:00+01:00", "2027-03-01 10:00"],
                        "c1": ["2027-03-01", "2027-03-01T10:05:00+01:00", "2027-03-01 09:00"]})
    seconds = quality_time.durations(odd, quality_time.Columns(("a", "b"), (0, 1)))
    assert pd.isna(seconds.iloc[0]) and seconds.iloc[1] == 300.0 and pd.isna(seconds.iloc[2]), \
        "unreadable, then time zones, then an end before its start"


def test_duration_text():
    assert [quality_time.duration_text(s) for s in (44.6, 312, 3725)] == \
        ["45 s", "5 min 12 s", "1 h 02 min"]


@pytest.mark.skipif(not REALWORLD.exists(), reason="the realworld exports are not here")
@pytest.mark.parametrize(("path", "columns", "timed"), [
    ("qualtrics/qualtRics_sample_de.csv", ("Duration (in seconds)",), 1),
    ("limesurvey/cpp-survey_results-survey.csv", ("Date started", "Date submitted"), 379),
    ("typeform/analisi-questionario_typeform_it.csv",
     ("Start Date (UTC)", "Submit Date (UTC)"), 20),
])
def test_realworld_exports_time_their_responses(path, columns, timed):
    """Real exports (../shared/realworld): the columns that time a response, and how many of
    their rows have a time (LimeSurvey's incomplete responses were never submitted)."""
    raw = pd.read_csv(REALWORLD / path, dtype=str, keep_default_na=False, header=None)
    names = list(raw.iloc[0])
    found = quality_time.columns(names, range(len(names)))
    assert found is not None and found.names == columns
    header_rows = 3 if path.startswith("qualtrics") else 1
    body = raw.iloc[header_rows:].rename(columns=lambda j: f"c{j}")
    seconds = quality_time.durations(body.replace("", None), found)
    assert int(seconds.notna().sum()) == timed and (seconds.dropna() >= 0).all()


def forms_with_times(minutes: list[float]) -> bytes:
    """A Microsoft Forms workbook whose Start and Completion times (US month first) say how
    long each response took."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(se.microsoft_forms_xlsx(se.answers(len(minutes), 2027, 3))))
    sheet = book.active
    for i, taken in enumerate(minutes, start=2):
        start = pd.Timestamp("2027-03-14 10:00:00") + pd.Timedelta(hours=i)
        end = start + pd.Timedelta(minutes=taken)
        sheet.cell(i, 2, start.strftime("%m/%d/%y %H:%M:%S"))
        sheet.cell(i, 3, end.strftime("%m/%d/%y %H:%M:%S"))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_speeders_in_a_forms_export_with_start_and_completion_times(empty, tmp_path):
    minutes = [8, 6.5, 0.5, 9, 7, 10, 1.5, 7.5]  # median 7.25 min: under 2 min 25 s is fast
    path = tmp_path / "forms.xlsx"
    path.write_bytes(forms_with_times(minutes))
    pre = preview(empty, Upload(path, path.name), Options(wave=2027))
    assert pre.source == "microsoft_forms" and pre.quality is not None
    speeders = [f for f in pre.quality.flags if f.code == "speeder"]
    assert len(speeders) == 1 and file_rows(speeders[0]) == [4, 8]
    assert [dict(r.detail)["seconds"] for r in speeders[0].rows] == [30.0, 90.0]
    timing = pre.quality.timing
    assert timing is not None and timing.columns == ("Start time", "Completion time")
    assert (timing.timed, timing.median, timing.threshold) == (8, 435.0, 145.0)
    assert "in meno di 2 min 25 s" in speeders[0].text("it")
    assert "(7 min 15 s, su 8 risposte" in speeders[0].text("it")


def _dry_run(db, path, capsys, *args: str) -> dict:
    code = main(["ingest", str(path), "--db", str(db), "--dry-run", "--json", *args])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0, payload
    return payload


def _table_snapshot(db) -> tuple[int, pd.DataFrame, int]:
    with Store.open(db) as store:
        with store.cursor() as cur:
            rows = cur.execute("SELECT * FROM responses ORDER BY respondent_id, wave").df()
            uploads = int(cur.execute("SELECT count(*) FROM uploads").fetchall()[0][0])
        return store.data_version, rows, uploads


def test_dry_run_json_lists_the_flags_and_writes_nothing(sample_db, tmp_path, capsys):
    rows = clean_rows()
    rows[2].update({q: "5" for q in ITEMS})  # straight-lining, row 4
    rows[3]["journey_stages"] = "use"  # skipped question answered, row 5
    before = _table_snapshot(sample_db)
    payload = _dry_run(sample_db, write(tmp_path, rows), capsys)
    assert payload["status"] == "preview" and payload["quality_checked"] == 6
    by_code = {f["code"]: f for f in payload["quality"]}
    assert set(by_code) == {"straight_lining", "skip_logic"}
    assert by_code["straight_lining"]["count"] == 1
    assert by_code["straight_lining"]["rows"] == [
        {"row": 4, "respondent_id": "Q3", "detail": f"{len(ITEMS)} item, tutti 5"}]
    assert by_code["skip_logic"]["question"] == "journey_stages"
    assert [r["row"] for r in by_code["skip_logic"]["rows"]] == [5]
    assert payload["completion_time"] is None
    after = _table_snapshot(sample_db)
    assert before[0] == after[0] and before[2] == after[2]
    pd.testing.assert_frame_equal(before[1], after[1])


def test_dry_run_text_says_the_flags_in_english(sample_db, tmp_path, capsys):
    rows = clean_rows()
    rows[1] = {**rows[0], "respondent_id": "Q1-copy"}
    path = write(tmp_path, rows)
    assert main(["ingest", str(path), "--db", str(sample_db), "--dry-run", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Response quality (2 rows flagged, none left out):" in out
    assert "  - 2 respondents give answers identical" in out and "\n    rows 2, 3\n" in out
    assert "The file does not record the completion time" in out


def test_the_rows_table_lists_every_flagged_row_in_the_language_asked(empty, tmp_path):
    rows = clean_rows()
    rows[2].update({q: "4" for q in ITEMS})
    rows[3]["journey_stages"] = "use"
    pre = preview(empty, Upload(write(tmp_path, rows), "r.csv"))
    assert pre.quality is not None and pre.quality.rows_flagged == 2
    table = quality.rows_table(pre.quality.flags, "en")
    assert table.values.tolist() == [
        ["Straight-lining", 4, "Q3", f"{len(ITEMS)} items, all 4"],
        ["Skips not followed", 5, "Q4", "journey_stages with cj_ideal_map = “No”"]]
