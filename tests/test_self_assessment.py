"""Issue 20, items 5 and 6: the pyramid and pillar scores are the companies' self-assessment,
and the Buyer Personas describe member companies, not their customers. Said wherever the scores
are shown (charts' subtitles, intros, method sections), in the one-page PDF and on the slides,
in both languages."""

from __future__ import annotations

import datetime as dt
import io
import json

import pypdf
import pytest

from cx.deck.data import StoreSource, deck_inputs
from cx.deck.storyline import build_deck
from cx.filters import ALL
from cx.i18n import LANGS, t
from cx.scorecard.data import find_company, scorecard_for
from cx.scorecard.pdf import PdfContext, scorecard_pdf
from cx.store import Store
from cx.view import View
from tests.conftest import run_app

WORD = {"it": "autovalutazione", "en": "self-assessment"}
NOT_CUSTOMERS = {"it": "non i loro clienti", "en": "not those companies' customers"}


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info")
                     for e in at.get(kind)).casefold()


def _chart_titles(at) -> list[str]:
    """Each chart's heading and subtitle."""
    titles = [json.loads(chart.proto.spec).get("title", {}) for chart in at.get("vega_lite_chart")]
    return [f"{title.get('text')} {title.get('subtitle')}".casefold() for title in titles]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_charts_and_method_say_self_assessment(app_env, lang):
    at = run_app(lang=lang)
    titles = _chart_titles(at)
    pyramid, pillars = (t(f"overview.{c}_title_club", lang).casefold()
                        for c in ("pyramid", "pillars"))
    scores = [title for title in titles if title.startswith((pyramid, pillars))]
    assert len(scores) == 2 and all(WORD[lang] in title for title in scores), titles
    method = {"it": "autovalutazione delle aziende", "en": "companies' self-assessment"}[lang]
    assert method in _texts(at)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["piramide", "pilastri"])
def test_pyramid_and_pillars_pages_say_self_assessment(app_env, page, lang):
    at = run_app(f"pages/{page}.py", lang=lang)
    intro = at.caption[0].value.casefold()
    assert WORD[lang] in intro
    titles = _chart_titles(at)
    assert titles and all(WORD[lang] in title for title in titles), titles
    method = {"it": "come l'azienda ritiene che i clienti", "en": "how the company believes"}
    assert method[lang] in _texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_scorecard_page_says_self_assessment(app_env, lang):
    at = run_app("pages/azienda.py", lang=lang, azienda="AZ-010")
    texts = _texts(at)
    assert t("scorecard.self_assessment", lang).casefold() in texts, "under the company pyramid"
    assert WORD[lang] in at.caption[0].value.casefold(), "the intro"
    method = {"it": "- **autovalutazione**", "en": "- **self-assessment**"}[lang]
    assert method in texts
    titles = _chart_titles(at)
    # the company's pyramid, its gap from the Club per pillar and its radar
    assert len(titles) == 3 and all(WORD[lang] in title for title in titles), titles


@pytest.mark.parametrize("lang", LANGS)
def test_personas_say_they_describe_member_companies(app_env, lang):
    at = run_app("pages/personas.py", lang=lang)
    assert NOT_CUSTOMERS[lang] in at.caption[0].value.casefold(), "the intro"
    method = {"it": "- **chi descrivono**: le aziende associate al club",
              "en": "- **who they describe**: the club's member companies"}[lang]
    assert method in _texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_scorecard_pdf_says_self_assessment(sample_db_template, lang):
    with Store.open(sample_db_template) as store:
        _, code = find_company(store, "AZ-010")
        card = scorecard_for(store, code, ALL, 5)
    pdf = scorecard_pdf(card, PdfContext(code, "x", lang, dt.date(2026, 11, 23)))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(page) >= 2  # the one-pager, then where the company stands and how it moved
    text = " ".join(page[0].extract_text().split())
    assert t("scorecard.self_assessment", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_deck_slides_say_self_assessment_and_member_companies(sample_db_template, lang):
    with Store.open(sample_db_template) as store:
        deck = build_deck(deck_inputs(StoreSource(store), View(ALL, lang, 5, 8)), lang)
    slides = {s.key: s for s in deck.slides}
    for key in ("pyramid", "pillars"):
        slide = slides[key]
        assert slide.figure is not None
        heading = str(slide.figure.build()["title"]["text"]).casefold()
        assert heading.startswith(WORD[lang]), heading
        assert WORD[lang] in slide.note.casefold()
    members = {"it": "descrivono le aziende associate", "en": "describe the member companies"}
    customers = {"it": "non i loro clienti", "en": "not their customers"}
    assert members[lang] in slides["personas"].note
    assert customers[lang] in slides["personas"].note
