"""«Qualità delle risposte» on Carica dati (AppTest): the flags of the preview counted, their
rows in a table, the completion time said; the commit is not blocked by them."""

from __future__ import annotations

import csv
import io

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_quality import ITEMS, clean_rows


def _page(lang: str = "it") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    return at.switch_page("pages/carica.py").run()


def _csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _flagged() -> bytes:
    rows = clean_rows()
    rows[2].update({q: "4" for q in ITEMS})  # straight-lining: row 4
    rows[3]["journey_stages"] = "use"  # answered without a map: row 5
    rows[5] = {**rows[4], "respondent_id": "Q6-copy"}  # Gamma twice alike: rows 6 and 7
    return _csv(rows)


def test_the_preview_shows_the_quality_flags_with_their_rows(app_env):
    at = _page()
    at.file_uploader[0].set_value(("qualita.csv", _flagged(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.value == "**Qualità delle risposte**" for m in at.markdown)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Risposte tutte uguali"] == "1"
    assert metrics["Doppioni in azienda"] == "2"
    assert metrics["Salti non rispettati"] == "1"
    assert metrics["Troppo veloci"] == "0"
    assert metrics["Righe segnalate"] == "4"
    labels = [e.label.replace("\\", "") for e in at.expander]  # as Markdown shows them
    straight = next(e for e in at.expander if e.label.startswith("1 rispondente dà la stessa"))
    table = straight.dataframe[0].value
    assert list(table.columns) == ["Riga del file", "Codice rispondente", "Dettaglio"]
    assert table.values.tolist() == [[4, "Q3", f"{len(ITEMS)} item, tutti 4"]]
    twins = next(e for e in at.expander if e.label.startswith("2 rispondenti danno risposte"))
    assert twins.dataframe[0].value["Riga del file"].tolist() == [6, 7]
    assert any(label.startswith("journey_stages: 1 rispondente risponde anche se la sua "
                                "risposta a cj_ideal_map salta") for label in labels)
    assert any(c.value.startswith("Il file non riporta il tempo di compilazione")
               for c in at.caption)
    assert "Metodo" in labels
    commit = at.button(key="upload_commit")
    assert commit.label == "Carica 6 righe", "flags never block the commit"
    downloads = [b.label for b in at.get("download_button")]
    assert "Righe segnalate (CSV)" in downloads and "Righe segnalate (XLSX)" in downloads


def test_a_clean_file_says_so_in_english(app_env):
    at = _page("en")
    at.file_uploader[0].set_value(("ok.csv", _csv(clean_rows()), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.value == "**Response quality**" for m in at.markdown)
    assert any(c.value == "No response quality flags (6 rows checked)." for c in at.caption)
    assert not [m for m in at.metric if m.label == "Rows flagged"]
