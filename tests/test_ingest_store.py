"""Commit, partial imports, replace, undo, the log, saved mappings and the template: nothing is
ever lost or half-written (issue 3 items 1, 4 and 6)."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest

from cx.cli import main
from cx.config import SAMPLE_CSV
from cx.dataset import build_database
from cx.filters import Filters
from cx.ingest.commit import ingest, quarantine_table, save_mapping, undo, upload_log
from cx.ingest.options import Options
from cx.ingest.pipeline import preview
from cx.ingest.problems import Refused
from cx.ingest.upload import Upload, saved_upload
from cx.respondent_scores import SCORE_COLUMNS
from cx.store import Store
from tests import survey_exports as se
from tests.conftest import respondents_in_wave


def _file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return Upload(path, name)


def test_scores_computed_in_sql_equal_the_pandas_ones(tmp_path):
    """The sample loaded by the pandas path (build_database) and by the upload path."""
    with build_database(tmp_path / "pandas.duckdb") as by_pandas, \
            Store.open(tmp_path / "sql.duckdb") as by_sql:
        assert ingest(by_sql, Upload(SAMPLE_CSV, "responses.csv")).status == "committed"
        a = by_pandas.responses().drop(columns="upload_id").set_index("respondent_id")
        b = by_sql.responses().drop(columns="upload_id").set_index("respondent_id")
    assert len(a) == 264
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index(), check_exact=True)
    assert set(SCORE_COLUMNS) <= set(a.columns)


def test_commit_bumps_the_data_version_and_logs_everything(store, tmp_path):
    version = store.data_version
    upload = _file(tmp_path, "w.csv", "company,wave,club_nps,extra\nAlfa,2030,9,x\nBeta,2030,7,\n")
    result = ingest(store, upload)
    assert (result.status, result.upload_id, result.rows_committed) == ("committed", "UP-0001", 2)
    assert store.data_version == version + 1
    entry = upload_log(store).iloc[0]
    assert (entry["file_name"], entry["source"], list(entry["waves"]), entry["mode"]) == (
        "w.csv", "canonical", [2030], "append")
    assert json.loads(entry["mapping"]) == {"company": "company", "wave": "wave",
                                            "club_nps": "club_nps", "extra": ""}
    assert store.upload_bytes("UP-0001") == upload.path.read_bytes()
    assert "AZ-" in store.query("company_codes")["code"].iloc[-1]


def test_partial_import_quarantines_the_rows_with_problems(store, tmp_path):
    text = "company,wave,club_nps\nAlfa,2030,9\nBeta,2030,11\nGamma,2030,dieci\n"
    refused = ingest(store, _file(tmp_path, "p.csv", text))
    assert refused.status == "refused" and refused.preview.rows_with_problems == 2
    before = store.fingerprint()
    result = ingest(store, _file(tmp_path, "p.csv", text), Options(accept_partial=True))
    assert (result.status, result.rows_committed, result.rows_quarantined) == ("partial", 1, 2)
    assert store.fingerprint() != before
    quarantine = store.query("quarantine_of", upload_id=result.upload_id)
    assert list(quarantine["row"]) == [3, 4]
    assert json.loads(quarantine["record"].iloc[0]) == {"company": "Beta", "wave": "2030",
                                                        "club_nps": "11"}
    problems = store.query("upload_problems", upload_id=result.upload_id)
    assert list(problems["reason"]) == ["out_of_range", "not_a_number"]
    assert set(store.responses(["company"], Filters(wave=2030))["company"]) == {"Alfa"}
    table = quarantine_table(store, result.upload_id, "it")  # as downloaded from the page
    assert table.to_dict("records") == [
        {"Riga del file": 3, "Problemi": "«club_nps»: fuori scala: ammessi valori da 0 a 10",
         "company": "Beta", "wave": "2030", "club_nps": "11"},
        {"Riga del file": 4, "Problemi": "«club_nps»: non è un numero",
         "company": "Gamma", "wave": "2030", "club_nps": "dieci"}]
    english = quarantine_table(store, result.upload_id, "en")
    assert list(english.columns[:2]) == ["File row", "Problems"]
    assert english["Problems"].iloc[1] == "“club_nps”: not a number"


def test_the_quarantine_from_the_command_line(sample_db, tmp_path, capsys):
    path = _file(tmp_path, "p.csv", "company,wave,club_nps\nAlfa,2030,9\nBeta,2030,11\n").path
    assert main(["ingest", str(path), "--db", str(sample_db), "--accept-partial"]) == 0
    out = tmp_path / "quarantena.csv"
    capsys.readouterr()
    assert main(["quarantine", "UP-0001", "--db", str(sample_db), "--out", str(out)]) == 0
    assert capsys.readouterr().err.strip() == (
        f"1 riga in quarantena di UP-0001 scritta in {out}, con i suoi problemi.")
    assert pd.read_csv(out, dtype=str).to_dict("records") == [
        {"Riga del file": "3", "Problemi": "«club_nps»: fuori scala: ammessi valori da 0 a 10",
         "company": "Beta", "wave": "2030", "club_nps": "11"}]
    for argv, code in ((["UP-0009", "--out", str(out)], 1), (["UP-0001", "--out", "q.pdf"], 2)):
        assert main(["quarantine", "--db", str(sample_db), *argv]) == code
    assert "UP-0009 non esiste" in capsys.readouterr().err


def test_undo_removes_exactly_that_upload(store, tmp_path):
    before = store.fingerprint()
    first = ingest(store, _file(tmp_path, "a.csv", "company,wave,club_nps,note\nA,2031,9,x\n"))
    mid = store.fingerprint()
    second = ingest(store, _file(tmp_path, "b.csv", "company,wave,club_nps,note\nB,2031,8,y\n"),
                    Options(accept_partial=True))
    assert undo(store, second.upload_id) == {"removed": 1, "restored": 0}
    after = store.fingerprint()
    for table in ("responses", "upload_extras", "quarantine", "archived_responses"):
        assert after[table] == mid[table], table
    assert upload_log(store).set_index("upload_id").loc[second.upload_id, "status"] == "undone"
    with pytest.raises(Refused):
        undo(store, second.upload_id)
    with pytest.raises(Refused):
        undo(store, "UP-9999")
    undo(store, first.upload_id)
    assert store.fingerprint()["responses"] == before["responses"]
    assert len(upload_log(store)) == 2, "the log keeps undone uploads"


def test_replace_swaps_a_wave_and_undo_restores_it(store, tmp_path):
    old = store.responses(filters=Filters(wave=2026)).sort_values("respondent_id")
    text = "company,wave,club_nps\nNuova,2026,10\nAltra,2026,3\n"
    result = ingest(store, _file(tmp_path, "r.csv", text), Options(mode="replace"))
    assert (result.rows_replaced, result.rows_committed) == (len(old), 2)
    assert set(store.responses(["company"], Filters(wave=2026))["company"]) == {"Nuova", "Altra"}
    assert len(store.responses(filters=Filters(wave=2025))) == 264 - len(old)
    undo(store, result.upload_id)
    back = store.responses(filters=Filters(wave=2026)).sort_values("respondent_id")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), old.reset_index(drop=True))
    assert store.fingerprint()["archived_responses"][0] == 0


def test_a_reader_sees_the_old_wave_or_the_new_one_never_a_mix(store, tmp_path):
    old = len(store.responses(["wave"], Filters(wave=2026)))
    frame = se.answers(3000, 2026, seed=3)
    path = tmp_path / "big.csv"
    path.write_bytes(se.canonical_csv(frame))
    seen: set[int] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(respondents_in_wave(store, 2026))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        result = ingest(store, Upload(path, "big.csv"), Options(mode="replace"))
    finally:
        done.set()
        reader.join()
    assert result.status == "committed"
    seen.add(respondents_in_wave(store, 2026))
    assert seen <= {old, 3000} and 3000 in seen


def test_a_saved_mapping_is_used_for_the_next_file_of_the_same_shape(store, tmp_path):
    text = "Ragione,Anno,Voto al Club\nAlfa,2032,9\n"
    pre = preview(store, _file(tmp_path, "f.csv", text))
    assert pre.verdict == "refused" and "Voto al Club" in pre.unmapped
    chosen = (("Ragione", "company"), ("Anno", "wave"), ("Voto al Club", "club_nps"))
    pre = preview(store, _file(tmp_path, "f.csv", text), Options(mapping=chosen))
    assert pre.verdict == "ok"
    save_mapping(store, pre)
    again = preview(store, _file(tmp_path, "g.csv", "Ragione,Anno,Voto al Club\nBeta,2032,7\n"))
    assert again.verdict == "ok" and again.mapped == dict(chosen)


def test_mapping_file_on_the_command_line(sample_db, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("Ragione,Anno,Voto al Club,Touch: negozio\nAlfa,2032,9,Sì\n")
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"mapping": {"Ragione": "company", "Anno": "wave",
                                               "Voto al Club": "club_nps",
                                               "Touch: negozio": "touchpoints:store"}}))
    assert main(["ingest", str(path), "--db", str(sample_db), "--mapping", str(mapping)]) == 0
    with Store.open(sample_db) as store:
        row = store.responses(["company", "club_nps", "touchpoints"], Filters(wave=2032))
    assert row.to_dict("records") == [{"company": "Alfa", "club_nps": 9, "touchpoints": "store"}]


def test_cli_shows_each_step_on_a_terminal_only(tmp_path, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = tmp_path / "f.csv"
    path.write_text("company,wave,club_nps\nAcme,2030,9\n", encoding="utf-8")
    shown = Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    assert main(["ingest", str(path), "--db", str(tmp_path / "a.duckdb")]) == 0
    steps = [line for line in shown.getvalue().splitlines() if line.endswith("…")]
    assert steps == ["Lettura del file…", "Lettura delle righe…", "Controllo delle risposte…",
                     "Scrittura nel database…"]
    path.write_text("company,wave,club_nps\nBeta,2030,8\n", encoding="utf-8")
    piped = io.StringIO()  # a pipe or a log file: only the outcome
    monkeypatch.setattr(sys, "stderr", piped)
    assert main(["ingest", str(path), "--db", str(tmp_path / "a.duckdb")]) == 0
    assert "…" not in piped.getvalue()


def test_cli_uploads_undo_and_new_empty_database(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    path = tmp_path / "f.csv"
    path.write_text("company,wave,club_nps\nAlfa,2030,9\n")
    assert main(["ingest", str(path), "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {k: report[k] for k in ("status", "upload_id", "rows_total", "rows_committed",
                                   "rows_quarantined", "problems")} == {
        "status": "committed", "upload_id": "UP-0001", "rows_total": 1, "rows_committed": 1,
        "rows_quarantined": 0, "problems": []}
    with Store.open(db) as store:
        assert store.table_counts()["responses"] == 1, "a new database starts empty"
    assert main(["uploads", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["uploads"][0]["upload_id"] == "UP-0001"
    assert main(["undo", "UP-0001", "--db", str(db)]) == 0
    assert "UP-0001" in capsys.readouterr().out
    assert main(["undo", "UP-0001", "--db", str(db)]) == 1
    assert main(["uploads", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert "Annullato" in shown and "Stato" in shown, "the log in the user's language"
    assert "undone" not in shown and "canonical" not in shown
    assert main(["uploads", "--db", str(db), "--lang", "en"]) == 0
    assert "Undone" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_template_round_trips(suffix, lang, tmp_path):
    out = tmp_path / f"modello{suffix}"
    assert main(["template", "--out", str(out), "--lang", lang]) == 0
    with Store.open(tmp_path / "t.duckdb") as store:
        pre = preview(store, Upload(out, out.name))
    assert pre.source == "canonical" and pre.header_rows == 2
    assert pre.refusal == ("headers_only", ())
    assert len(pre.mapped) == len(se.QN.ids)


def test_saved_upload_writes_a_private_temp_file():
    with saved_upload(b"company,wave\n", "../../etc/passwd") as upload:
        assert upload.name == "passwd" and upload.path.read_bytes() == b"company,wave\n"
    assert not upload.path.exists()


def test_original_bytes_are_kept_compressed_in_parts(store, tmp_path, monkeypatch):
    import cx.store.original

    monkeypatch.setattr(cx.store.original, "READ", 16384)
    rows = "".join(f"Azienda {i},2030,{i % 11}\n" for i in range(5000))
    upload = _file(tmp_path, "p.csv", "company,wave,club_nps\n" + rows)
    result = ingest(store, upload)
    assert store.upload_bytes(result.upload_id) == upload.path.read_bytes()
    parts = store.query("upload_file", upload_id=result.upload_id)
    assert set(parts["codec"]) == {"zstd"} and len(parts) > 3, "several parts, one stream"
    assert sum(len(bytes(c)) for c in parts["content"]) < upload.size / 3, "compressed"


def test_ingest_memory_can_be_capped(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_INGEST_MEMORY", "512MB")
    path = tmp_path / "f.csv"
    path.write_text("company,wave,club_nps\nAlfa,2030,9\n")
    assert main(["ingest", str(path), "--db", str(sample_db)]) == 0
    with Store.open(sample_db) as store, pytest.raises(ValueError):
        store.limit_memory("1GB'; DROP TABLE responses; --")


def test_a_commit_whose_data_changed_since_the_preview_is_refused(store, tmp_path):
    upload = _file(tmp_path, "c.csv", "company,wave,club_nps\nAlfa,2030,9\n")
    pre = preview(store, upload)
    before = store.fingerprint()
    result = ingest(store, upload, expected=(pre.respondents + 1, 0))
    assert result.status == "refused" and result.preview.refusal == ("changed", ())
    assert store.fingerprint() == before
    assert ingest(store, upload, expected=(pre.respondents, 0)).status == "committed"


def test_originals_kept_by_earlier_versions_still_open(store):
    import zlib

    data = b"company,wave\nAcme,2024\n" * 100
    packed = zlib.compress(data, 1)
    with store.transaction() as cur:  # as the zlib version wrote them: one stream in parts
        for part, piece in enumerate((packed[:10], packed[10:])):
            cur.execute("INSERT INTO upload_files VALUES ('UP-0042', $part, $content, 'zlib')",
                        {"part": part, "content": piece})
    assert store.upload_bytes("UP-0042") == data


def test_a_company_given_for_every_row_is_not_remembered(sample_db, tmp_path, capsys):
    """Issue 17 (7): f1 with `values.company = A`, then f2 of the same columns without a
    mapping: f2's rows were silently attributed to A. Now f2 is refused for its company."""
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"mapping": {"Voto": "club_nps", "Anno": "wave"},
                                   "values": {"company": "Alfa S.p.A."}}))
    first, second = tmp_path / "f1.csv", tmp_path / "f2.csv"
    first.write_text("Voto,Anno\n9,2033\n")
    second.write_text("Voto,Anno\n3,2033\n")
    assert main(["ingest", str(first), "--db", str(sample_db), "--mapping", str(mapping)]) == 0
    assert main(["ingest", str(second), "--db", str(sample_db)]) == 1
    with Store.open(sample_db) as store:
        rows = store.responses(["company", "club_nps"], Filters(wave=2033))
    assert rows.to_dict("records") == [{"company": "Alfa S.p.A.", "club_nps": 9}]


def test_an_older_replace_cannot_be_undone_before_a_later_one(store, tmp_path):
    """Issue 17 (1): replace 2026 with r1, then with r2, then undo r1: wave 2026 held the
    sample's rows plus r2's (duplicate ids) and r1's archived rows were gone for good. Now
    undo goes from the latest: r1 is refused naming r2, and undoing r2 then r1 restores all."""
    old = store.responses(filters=Filters(wave=2026)).sort_values("respondent_id")
    before = store.fingerprint()
    r1 = ingest(store, _file(tmp_path, "r1.csv", "company,wave,club_nps\nUno,2026,10\n"),
                Options(mode="replace"))
    r2 = ingest(store, _file(tmp_path, "r2.csv", "company,wave,club_nps\nDue,2026,3\n"
                             "Tre,2026,5\n"), Options(mode="replace"))
    kept = store.fingerprint()
    with pytest.raises(Refused) as refused:
        undo(store, r1.upload_id)
    assert refused.value.text("it").startswith(
        f"Il caricamento {r1.upload_id} non si può annullare da solo: dopo di lui "
        f"{r2.upload_id} ha scritto nella stessa ondata.")
    assert store.fingerprint() == kept, "nothing written"
    undo(store, r2.upload_id)
    assert set(store.responses(["company"], Filters(wave=2026))["company"]) == {"Uno"}
    undo(store, r1.upload_id)
    back = store.responses(filters=Filters(wave=2026)).sort_values("respondent_id")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), old.reset_index(drop=True))
    assert store.fingerprint()["responses"] == before["responses"]


def test_undo_of_an_upload_to_another_wave_is_not_held_back(store, tmp_path):
    a = ingest(store, _file(tmp_path, "a.csv", "company,wave,club_nps\nA,2031,9\n"))
    ingest(store, _file(tmp_path, "b.csv", "company,wave,club_nps\nB,2032,8\n"))
    assert undo(store, a.upload_id) == {"removed": 1, "restored": 0}


def test_two_sessions_replacing_a_wave_with_the_same_bytes_commit_once(store, tmp_path,
                                                                        monkeypatch):
    """Issue 17 (5): two sessions replacing a wave with the same bytes at the same time both
    committed (the same SHA-256 twice). The check now runs again under the write lock."""
    from cx.ingest import direct

    text = "respondent_id,company,club_nps\nx1,Uno,10\nx2,Due,4\n"  # the wave is chosen
    paths = [_file(tmp_path, f"s{i}.csv", text) for i in range(2)]
    both_read = threading.Barrier(2, timeout=30)
    eligible = direct.eligible

    def after_both_heads(*args, **kwargs):  # both sessions have read and checked the head
        both_read.wait()
        return eligible(*args, **kwargs)

    monkeypatch.setattr(direct, "eligible", after_both_heads)
    results = []

    def run(upload):
        results.append(ingest(store, upload, Options(mode="replace", wave=2026)))

    threads = [threading.Thread(target=run, args=(p,)) for p in paths]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(r.status for r in results) == ["committed", "refused"]
    log = upload_log(store)
    assert len(log) == 1 and log["sha256"].nunique() == 1
    assert len(store.responses(filters=Filters(wave=2026))) == 2
