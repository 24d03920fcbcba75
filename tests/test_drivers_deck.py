"""The deck's slide on what drives the Club's NPS (cx.deck.drivers), on the sample: after the
pillars, one key number per pillar with its interval, a message that ranks only as far as the
bootstrap carries it, and the same analysis as the page's."""

from __future__ import annotations

import pytest

from cx import fmt
from cx.deck.data import StoreSource, deck_inputs
from cx.deck.storyline import KEYS, build_deck
from cx.drivers.data import driver_names, load
from cx.drivers.model import analyse
from cx.filters import ALL, Filters
from cx.privacy import attach
from cx.questionnaire import questionnaire
from cx.store import Store
from cx.view import View


@pytest.fixture(scope="module")
def decks(sample_db_template):
    with Store.open(sample_db_template) as store:
        attach(store, 5, 8)
        source = StoreSource(store)
        out = {}
        for who, filters in (("analyst", ALL), ("visitor", Filters(published=True))):
            inputs = deck_inputs(source, View(filters, "it", 5, 8))
            out[who] = (inputs, build_deck(inputs, "it"), build_deck(inputs, "en"))
        yield out


def test_the_drivers_slide_follows_the_pillars(decks):
    assert KEYS.index("drivers") == KEYS.index("pillars") + 1
    inputs, deck, english = decks["analyst"]
    slide = next(s for s in deck.slides if s.key == "drivers")
    a = inputs.drivers
    assert a is not None and a.outcome == "club_nps" and a.ranked
    assert len(slide.tiles) == 6 and slide.figure is None
    shares = [float(row["share"]) for row in a.table.to_dict("records")]
    assert sum(shares) == pytest.approx(100)
    first = slide.tiles[0]
    assert first.value == fmt.percent(shares[0], "it")
    assert first.caption.startswith("della variabilità spiegata · IC 95% [")
    assert slide.title == "Quale pilastro spinge l'NPS del Club"
    if a.lead is not None and a.lead.holds:
        assert "pesa più degli altri pilastri" in slide.message
    else:
        assert "a pari merito" in slide.message or "Nessun pilastro" in slide.message
    assert "R² = " in slide.note and "bootstrap" in slide.note
    # the confidence of the tiles: how much the pillars explain together, and over whom
    r2 = fmt.percent_with_article(a.r2 * 100, "it")
    assert slide.subtitle.startswith(f"I pilastri spiegano insieme {r2} dell'NPS del Club")
    assert f"n = {fmt.number(a.n, 'it')}, {fmt.number(a.companies, 'it')} aziende" in \
        slide.subtitle
    assert next(s for s in english.slides if s.key == "drivers").title == \
        "Which pillar drives the Club's NPS"


def test_the_slide_is_the_pages_analysis_over_the_visitors_table(decks, sample_db_template):
    qn = questionnaire()
    inputs, _, _ = decks["visitor"]
    with Store.open(sample_db_template) as store:
        attach(store, 5, 8)
        frame = load(store, "club_nps", "pillars", Filters(published=True), qn)
    again = analyse(frame, "club_nps", driver_names("pillars", qn), 5)
    assert inputs.drivers is not None
    assert inputs.drivers.n == again.n and inputs.drivers.r2 == pytest.approx(again.r2)
