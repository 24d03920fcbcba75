"""The survey's storyline: its slides in order, which the Presentazione page, the PDF and the
PowerPoint show alike, each with one message written from the data and a speaker note. Pure: no
Streamlit.
Companies are never named, and every figure respects the privacy threshold k.
"""

from __future__ import annotations

from cx.deck.closing import closing_slide
from cx.deck.content import Deck, Slide
from cx.deck.drivers import drivers_slide
from cx.deck.inputs import DeckInputs
from cx.deck.journey import indicators_slide, journey_slide
from cx.deck.maturity import pillars_slide, pyramid_slide, stages_slide
from cx.deck.opening import numbers_slide, title_slide
from cx.deck.personas import personas_slide
from cx.deck.touchpoints import big_data_slide, listening_slide, real_slide, touchpoints_slide
from cx.deck.words import filter_badge
from cx.filters import describe_scope

KEYS = ("title", "numbers", "stages", "journey", "real", "touchpoints", "pyramid", "pillars",
        "drivers", "personas", "indicators", "big_data", "listening", "closing")


def build_deck(d: DeckInputs, lang: str) -> Deck:
    """The storyline in order. Under k respondents only the title slide, which says so."""
    scope = describe_scope(d.filters, d.qn, lang, d.waves)
    return Deck(_slides(d, scope, lang), scope, d.k, lang, filter_badge(d.filters, d.qn, lang))


def _slides(d: DeckInputs, scope: str, lang: str) -> tuple[Slide, ...]:
    first = title_slide(d, scope, lang)
    if d.overview.suppressed:
        return (first,)
    return (first, numbers_slide(d, scope, lang), stages_slide(d, scope, lang),
            journey_slide(d, scope, lang), real_slide(d, scope, lang),
            touchpoints_slide(d, scope, lang), pyramid_slide(d, scope, lang),
            pillars_slide(d, scope, lang), drivers_slide(d, lang), personas_slide(d, lang),
            indicators_slide(d, scope, lang), big_data_slide(d, scope, lang),
            listening_slide(d, scope, lang), closing_slide(d, lang))

