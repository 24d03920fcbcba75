"""The glossary (issue 20, item 5): the seeds' words with a definition in both languages, a page
with an anchor per term and a search, links from every page's method section, and a sheet of
the upload template that the importer leaves alone."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from cx.glossary import TERMS, anchor, entries, entry, folded, glossary_rows, matching
from cx.i18n import LANGS, t
from cx.ingest.commit import ingest
from cx.ingest.pipeline import preview
from cx.ingest.sheets import NOTE_SHEETS
from cx.ingest.template import template_xlsx
from cx.ingest.upload import Upload
from cx.score_columns import STAGES
from tests import survey_exports as se
from tests.conftest import run_app

# the vocabulary of the seeds and of the brief; the anchors are links other pages (and people)
# keep: changing one breaks them
ANCHORS = {
    "customer_experience": "customer-experience",
    "customer_journey_ideale": "customer-journey-ideale",
    "customer_journey_reale": "customer-journey-reale",
    "touchpoint": "touchpoint",
    "formazione_customer_journey": "formazione-customer-journey",
    "buyer_personas": "buyer-personas",
    "csi": "csi", "nps": "nps", "csat": "csat", "ces": "ces",
    "big_data": "big-data",
    "piramide_cx": "piramide-cx",
    "six_pillars": "six-pillars",
    "indice_maturita_cx": "indice-maturita-cx",
    "happy_index": "happy-index",
    "autovalutazione": "autovalutazione",
}
PILLARS = ("personalisation", "integrity", "expectations", "resolution", "time_effort", "empathy")
LINK = re.compile(r"\]\(glossario(\?lang=en)?(?:#([\w-]+))?\)")


@pytest.mark.parametrize("key", list(TERMS))
def test_every_term_has_both_languages_and_no_placeholder(key):
    names = {lang: entry(key, lang).name for lang in LANGS}
    texts = {lang: entry(key, lang).text for lang in LANGS}
    for lang in LANGS:
        assert names[lang].strip() and len(texts[lang]) > 120, (key, lang)
        assert "{" not in texts[lang] + names[lang] and "}" not in texts[lang], (key, lang)
        assert "**" not in texts[lang], "plain prose: the definition also goes into a spreadsheet"
    assert texts["it"] != texts["en"], key
    assert set(TERMS[key]) <= set(TERMS) and key not in TERMS[key]


def test_the_seeds_vocabulary_is_there_under_stable_anchors():
    assert {key: anchor(key) for key in ANCHORS} == ANCHORS
    assert len({anchor(key) for key in TERMS}) == len(TERMS)
    with pytest.raises(KeyError):
        anchor("glossario")


@pytest.mark.parametrize("lang", LANGS)
def test_terms_are_in_alphabetical_order_of_the_reader_language(lang):
    names = [e.name for e in entries(lang)]
    assert names == sorted(names, key=folded) and len(names) == len(TERMS)
    first = {"it": "Analisi dei fattori chiave (key driver)", "en": "Big Data"}[lang]
    assert names[0] == first


@pytest.mark.parametrize("lang", LANGS)
def test_definitions_say_what_the_app_means(lang):
    text = {e.key: folded(e.text) for e in entries(lang)}
    # the app's own labels: the six pillars, the pyramid's levels, the maturity stages
    assert all(folded(t(f"score.pillar_{p}", lang)) in text["six_pillars"] for p in PILLARS)
    assert all(folded(t(f"stage.{s}", lang)) in text["indice_maturita_cx"] for s in STAGES)
    tones = {"it": ("appropriato", "rilevante", "significativo", "accattivante"),
             "en": ("appropriate", "relevant", "meaningful", "engaging")}[lang]
    families = {"it": ("marketing off-line", "marketing on-line", "canali di contatto"),
                "en": ("off-line marketing", "on-line marketing", "contact channels")}[lang]
    assert all(word in text["touchpoint"] for word in (*tones, *families))
    said = {"it": {"buyer_personas": ("aziende associate", "non descrive i loro clienti"),
                   "piramide_cx": ("risposta alle esigenze", "facilita", "piacevolezza",
                                   "autovalutazione"),
                   "autovalutazione": ("come l'azienda ritiene che i clienti giudichino",),
                   "customer_journey_reale": ("sul campo", "gap"),
                   "formazione_customer_journey": ("moment of truth",),
                   "nps": ("9–10", "0–6", "−100")},
            "en": {"buyer_personas": ("member companies", "not describe their customers"),
                   "piramide_cx": ("meeting their needs", "ease", "enjoyment",
                                   "self-assessment"),
                   "autovalutazione": ("how the company believes its customers judge",),
                   "customer_journey_reale": ("field check", "gaps"),
                   "formazione_customer_journey": ("moment of truth",),
                   "nps": ("9–10", "0–6", "−100")}}[lang]
    for key, words in said.items():
        assert all(word in text[key] for word in words), (key, words)


def test_search_takes_every_word_whatever_the_case_and_accents():
    every = entries("it")
    assert matching(every, "") == every and matching(every, "  ") == every
    assert [e.key for e in matching(every, "INTEGRITA")] == ["six_pillars"]
    assert [e.key for e in matching(every, "moment OF truth")] == ["formazione_customer_journey"]
    assert [e.key for e in matching(every, "net promoter")] == ["nps"]
    assert "nps" not in {e.key for e in matching(every, "promoter piacevolezza")}
    assert matching(every, "zzzz") == ()


# ---------------------------------------------------------------------------- the page
def _terms(at) -> dict[str, str]:
    """Anchor → name of the terms on the page (the sidebar's subheaders have no anchor)."""
    return {h.proto.anchor: h.value for h in at.subheader if h.proto.anchor}


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info")
                     for e in at.get(kind))


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_page_lists_every_term_under_its_anchor_and_searches(app_env, lang):
    at = run_app("pages/glossario.py", lang=lang)
    assert at.title[0].value == t("glossary.title", lang)
    shown = _terms(at)
    assert list(shown) == [e.anchor for e in entries(lang)], "alphabetical, one anchor each"
    assert shown["nps"] == "NPS – Net Promoter Score"
    assert shown["piramide-cx"] == {"it": "Piramide della CX", "en": "CX pyramid"}[lang]
    assert shown["autovalutazione"] == {"it": "Autovalutazione", "en": "Self-assessment"}[lang]
    texts = _texts(at)
    companies = {"it": "descrive le aziende associate al Club",
                 "en": "it describes the Club's member companies"}[lang]
    assert companies in texts, "the personas describe member companies, not their customers"
    assert "](#nps)" in texts, "an index of in-page links"

    at.text_input(key="glossario_cerca").set_value("Net Promoter").run()
    assert not at.exception
    assert list(_terms(at)) == ["nps"]
    assert t("glossary.found", lang, n=1, total=len(TERMS)) in _texts(at)

    at.text_input(key="glossario_cerca").set_value("[x](javascript:alert(1))").run()
    assert not _terms(at) and len(at.info) == 1
    assert "](javascript" not in at.info[0].value, "the query is shown literally"


@pytest.mark.parametrize("page", ["panoramica", "risultati", "personas", "piramide",
                                  "pilastri", "journey", "azienda"])
def test_every_method_section_links_to_the_glossary(app_env, page):
    at = run_app(f"pages/{page}.py")
    links = LINK.findall(_texts(at))
    assert ("", "") in links, "the sentence links the glossary itself"
    anchors = {found for lang, found in links if found}
    assert anchors and anchors <= {anchor(key) for key in TERMS}
    assert not [lang for lang, _ in links if lang], "Italian is the default: no ?lang="


def test_method_links_keep_the_language(app_env):
    at = run_app("pages/piramide.py", lang="en")
    links = LINK.findall(_texts(at))
    assert ("?lang=en", "piramide-cx") in links and ("?lang=en", "autovalutazione") in links
    assert "The words on this page are explained in the [glossary]" in _texts(at)


# ---------------------------------------------------------------------------- the template
@pytest.mark.parametrize("lang", LANGS)
def test_the_template_has_a_glossary_sheet_in_its_language(lang):
    book = load_workbook(io.BytesIO(template_xlsx(lang)))
    sheet = t("ingest.template.sheet_glossary", lang)
    assert book.sheetnames[-1] == sheet and sheet in NOTE_SHEETS
    rows = [[c.value for c in row] for row in book[sheet].iter_rows()]
    assert rows == glossary_rows(lang)
    assert rows[0] == [t("ingest.template.term", lang), t("ingest.template.definition", lang)]
    assert {row[0] for row in rows[1:]} == {e.name for e in entries(lang)}


@pytest.mark.parametrize("lang", LANGS)
def test_a_filled_template_with_its_glossary_sheet_still_imports(lang, empty, tmp_path):
    frame = se.answers(4, 2027)
    path = tmp_path / "modello.xlsx"
    path.write_bytes(se.template_filled_xlsx(frame, lang))
    result = ingest(empty, Upload(path, path.name))
    assert result.status == "committed", result.preview.refusal_text("en")
    assert result.preview.sheet == t("ingest.template.sheet_data", lang)
    assert t("ingest.template.sheet_glossary", lang) in result.preview.sheets
    assert result.preview.respondents == 4


def test_a_glossary_sheet_larger_than_the_data_is_never_read_as_answers(empty, tmp_path):
    """Three answers take fewer cells than the glossary: the sheet is skipped by name."""
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = "Foglio1"
    for row in (["company", "wave", "club_nps"], ["Alfa", 2027, 9], ["Beta", 2027, 4]):
        data.append(row)
    glossary = book.create_sheet("Glossario")
    for row in glossary_rows("it"):
        glossary.append(row)
    buf = io.BytesIO()
    book.save(buf)
    path = tmp_path / "risposte.xlsx"
    path.write_bytes(buf.getvalue())
    pre = preview(empty, Upload(path, path.name))
    assert (pre.sheet, pre.respondents) == ("Foglio1", 2)
