"""Italian pages in Italian: singular and plural, one full stop after an abbreviation, file
names without a doubled extension, and Streamlit's own labels rewritten from the catalogue."""

import re

import pytest

from cx import fmt
from cx.i18n import t
from cx.ui import streamlit_labels


@pytest.mark.parametrize("problems,rows,it,en", [
    (1, 1, "1 problema in 1 riga.", "1 problem in 1 row."),
    (3, 1, "3 problemi in 1 riga.", "3 problems in 1 row."),
    (12, 5, "12 problemi in 5 righe.", "12 problems in 5 rows."),
    (1234, 1000, "1.234 problemi in 1.000 righe.", "1,234 problems in 1,000 rows."),
])
def test_problems_caption_agrees_with_its_counts(problems, rows, it, en):
    for lang, expected in (("it", it), ("en", en)):
        text = t("ingest.page.problems_caption", lang,
                 problems=t("ingest.page.problems_n", lang, n=fmt.number(problems, lang)),
                 rows=t("ingest.page.rows_n", lang, n=fmt.number(rows, lang)))
        assert text.startswith(expected), text


@pytest.mark.parametrize("text,expected", [
    ("Mancini Group S.p.A.. Le altre aziende", "Mancini Group S.p.A. Le altre aziende"),
    ("Azienda: **Mancini S.p.A.**. Delle altre", "Azienda: **Mancini S.p.A.** Delle altre"),
    # Markdown-escaped, as widgets.literal writes a company name
    ("Azienda: **Rossi S.r.l\\.**. Delle altre", "Azienda: **Rossi S.r.l\\.** Delle altre"),
    ("Bianchi & C. S.n.c..", "Bianchi & C. S.n.c."),
    # left alone: one stop, an ellipsis, a stop inside brackets before the sentence's
    ("Rossi S.p.A. vende.", "Rossi S.p.A. vende."),
    ("e altri...", "e altri..."),
    ("(Rossi S.p.A.).", "(Rossi S.p.A.)."),
    ("Club.", "Club."),
])
def test_single_stops(text, expected):
    assert fmt.single_stops(text) == expected


def test_the_managers_sentence_ends_once():
    company = "Mancini Group S.p.A."
    for lang in ("it", "en"):
        text = fmt.single_stops(t("access.manager", lang, company=company))
        assert "S.p.A.." not in text and "S.p.A.**." not in text
        assert "Mancini Group S.p.A." in text


@pytest.mark.parametrize("name,stem", [
    ("bad_nps_11.csv", "bad_nps_11"), ("risposte 2026.xlsx", "risposte 2026"),
    ("export.tar.gz", "export.tar"), ("senza_estensione", "senza_estensione"),
    (".csv", ".csv"), ("Rossi S.p.A. risposte", "Rossi S.p.A. risposte"),
])
def test_file_stem(name, stem):
    assert fmt.file_stem(name) == stem


def test_the_problems_file_has_one_extension():
    assert f"problemi_{fmt.file_stem('bad_nps_11.csv')}.csv" == "problemi_bad_nps_11.csv"


def _rewrite(rules: list[list[str]], text: str) -> str:
    """The script's rule as Python applies it ($1 → \\1): same regular expressions."""
    for pattern, local in rules:
        if re.fullmatch(pattern, text, flags=re.S):
            return re.sub(f"^{pattern}$", re.sub(r"\$(\d)", r"\\\1", local), text, flags=re.S)
    return text


def test_streamlit_texts_in_italian():
    rules = streamlit_labels.rules("it")
    texts, labels = rules["texts"], rules["labels"]
    assert _rewrite(texts, "Select all") == "Seleziona tutto"
    assert _rewrite(texts, "Press Enter to submit form") == "Premi Invio per inviare"
    assert _rewrite(texts, "Skip to main content") == "Vai al contenuto principale"
    assert _rewrite(texts, "500MB per file • CSV, TSV, XLSX") == \
        "Fino a 500 MB per file • CSV, TSV, XLSX"
    assert _rewrite(texts, "Manifattura e industria") == "Manifattura e industria"
    assert _rewrite(labels, "Help for Ondata (anno)") == "Aiuto: Ondata (anno)"
    assert _rewrite(labels, "Open") == "Apri l'elenco"
    assert _rewrite(labels, "Opening hours") == "Opening hours", "whole values only"


def test_english_keeps_streamlits_own():
    assert streamlit_labels.rules("en") == {"texts": [], "labels": []}
    # every Italian rule comes from the catalogue, which has the English too
    for table in (streamlit_labels.TEXTS, streamlit_labels.LABELS):
        for _, key, _groups in table:
            assert t(key, "it") != t(key, "en")


def test_the_script_carries_the_rules_and_captions_are_readable():
    script = streamlit_labels.script("it")
    assert "Seleziona tutto" in script and "Aiuto: $1" in script
    assert "opacity: 1" in streamlit_labels.CSS
