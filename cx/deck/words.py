"""Small pieces of the slides' wording: a share as the subject of a sentence that still reads
at 0% and 100%, and the filter badge. Pure."""

from __future__ import annotations

from cx import fmt
from cx.filters import FILTER_QUESTIONS, Filters
from cx.i18n import t
from cx.questionnaire import Questionnaire


def share_subject(value: float | None, lang: str, capital: bool = False) -> str:
    """A share (in %) as the subject of «… dei rispondenti»: 'il 45%', and where a number would
    read oddly, words: 0% → 'nessuno' («nessuno dei rispondenti ha…»), 100% → 'la totalità'
    («la totalità dei rispondenti ha…»); the verb stays singular either way."""
    if value is None:
        return fmt.percent_with_article(value, lang, capital)
    whole = fmt.rounded(value)
    if whole in (0, 100):
        text = t("deck.share_none" if whole == 0 else "deck.share_all", lang)
        return text[:1].upper() + text[1:] if capital else text
    return fmt.percent_with_article(value, lang, capital)


def filter_badge(filters: Filters, qn: Questionnaire, lang: str) -> str:
    """«Filtro: Settore = Manifattura · Ondata = 2026» for a deck narrowed by filters; empty
    for the whole Club."""
    parts = [t("deck.badge_part", lang, name=t("filters.wave", lang), values=filters.wave)] \
        if filters.wave else []
    for qid, codes in zip(FILTER_QUESTIONS, (filters.sectors, filters.size_bands,
                                             filters.regions)):
        if codes:
            values = ", ".join(qn[qid].option_label(c, lang) for c in codes)
            parts.append(t("deck.badge_part", lang, name=t(f"filters.{qid}", lang),
                           values=values))
    return t("deck.badge", lang, filters=" · ".join(parts)) if parts else ""
