"""The Buyer Personas slide: one card per persona, with its size, scores and traits."""

from __future__ import annotations

import pandas as pd

from cx import fmt
from cx.charts.theme import CATEGORICAL
from cx.deck.content import Card, Slide
from cx.deck.inputs import DeckInputs
from cx.deck.words import share_subject
from cx.i18n import t
from cx.personas.model import BOOTSTRAPS
from cx.personas.report import Persona, PersonaReport, TooFew
from cx.personas.text import persona_name, trait_text
from cx.questionnaire import Questionnaire

MAX_CARDS = 5  # more personas than this make the cards unreadable from the back of a room
CARD_TRAITS = {1: 5, 2: 5, 3: 4}  # traits per card by the number of cards; 3 from 4 cards up


def _outcome(rep: PersonaReport, persona: int, measure: str) -> float | None:
    rows = rep.outcomes[(rep.outcomes["persona"] == persona) & (rep.outcomes["measure"] == measure)]
    if rows.empty or bool(rows["suppressed"].iloc[0]) or pd.isna(rows["value"].iloc[0]):
        return None
    return float(rows["value"].iloc[0])


def persona_card(rep: PersonaReport, persona: Persona, qn: Questionnaire, lang: str,
                 traits: int = 3) -> Card:
    """A persona's name, size, maturity and NPS, and the traits that set it apart."""
    colour = CATEGORICAL[persona.index % len(CATEGORICAL)]
    name = persona_name(persona.name, lang)
    share = t("deck.personas.share", lang, share=fmt.percent(persona.share, lang),
              n=fmt.number(persona.n, lang))
    if persona.suppressed:
        return Card(name, share, "", (t("deck.personas.hidden_card", lang, k=rep.privacy_k),),
                    colour, hidden=True)
    scores = t("deck.personas.scores", lang,
               maturity=fmt.number(_outcome(rep, persona.index, "maturity_index"), lang),
               nps=fmt.signed(_outcome(rep, persona.index, "club_nps"), lang))
    lines = tuple(trait_text(tr, qn, lang) for tr in persona.traits[:traits]) \
        or (t("deck.personas.no_traits", lang),)
    if persona.reading == "dissolved":
        lines = (t("deck.personas.dissolved", lang), *lines[:traits - 1])
    return Card(name, share, scores, lines, colour)


def _personas_note(rep: PersonaReport, manual: bool, lang: str) -> str:
    model = rep.model
    how = t("deck.personas.how_manual", lang, k=model.k_) if manual \
        else t("deck.personas.how_auto", lang)
    note = t("deck.personas.note", lang, n=fmt.number(rep.respondents, lang), how=how,
             stability=fmt.number(model.stability, lang, 2), boots=BOOTSTRAPS)
    return note + (t("deck.personas.illustrative", lang) if model.illustrative else "")


def personas_slide(d: DeckInputs, lang: str) -> Slide:
    """One card per persona (the largest five), as many as the link asks for or the
    resampling chooses."""
    rep, title = d.personas, t("deck.personas.title", lang)
    if not isinstance(rep, PersonaReport):
        n = rep.n if isinstance(rep, TooFew) else d.overview.respondents
        needed = rep.needed if isinstance(rep, TooFew) else d.k
        message = t("deck.personas.too_few", lang, needed=needed, n=fmt.number(n, lang))
        return Slide("personas", title, message, message)
    shown = rep.personas[:MAX_CARDS]
    traits = CARD_TRAITS.get(len(shown), 3)
    cards = tuple(persona_card(rep, p, d.qn, lang, traits) for p in shown)
    rest = rep.personas[MAX_CARDS:]
    more = t("deck.personas.more", lang, count=len(rest),
             share=fmt.percent(sum(p.share for p in rest), lang)) if rest else ""
    largest = rep.personas[0]
    message = t("deck.personas.message", lang, count=len(rep.personas),
                name=persona_name(largest.name, lang),
                share=share_subject(largest.share, lang))
    return Slide("personas", title, message, _personas_note(rep, d.personas_k is not None, lang),
                 cards=cards, more=more)

