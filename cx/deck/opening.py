"""The slides that open the deck: the survey and who answered, then the key numbers."""

from __future__ import annotations

from cx import fmt
from cx.coverage.report import deck_line
from cx.deck.content import Slide, Tile
from cx.deck.inputs import DeckInputs
from cx.i18n import t
from cx.scoring import Aggregate


def _caption(agg: Aggregate, lang: str, signed: bool = False, digits: int = 0) -> str:
    n = fmt.number(agg.n, lang)
    if agg.low is None or agg.high is None:
        return t("app.n_only", lang, n=n) + fmt.indicative_mark(agg.n, lang)
    return t("app.n_ci", lang, n=n, ci=fmt.interval(agg.low, agg.high, lang, digits,
                                                     signed_values=signed)) \
        + fmt.indicative_mark(agg.n, lang)


def _tile(label: str, agg: Aggregate, lang: str, k: int, style: str = "number") -> Tile:
    if not agg.shown:
        return Tile(label, "–", t("app.suppressed", lang, k=k, n=agg.n))
    digits = 1 if style == "decimal" else 0
    show = {"percent": fmt.percent, "signed": fmt.signed}.get(style, fmt.number)
    return Tile(label, show(agg.value, lang, digits),
                _caption(agg, lang, signed=style == "signed", digits=digits))


def _weighting(d: DeckInputs, lang: str, sep: str) -> str:
    """Whether the figures are weighted to the member mix, once a member list is known
    (without one the deck reads as before)."""
    if d.weighted is None and not d.member_mix:
        return ""
    return sep + deck_line(d.weighted, lang)


def title_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """The survey, its waves and filters, who answered; under k respondents, why it stops."""
    ov = d.overview
    n, companies = fmt.number(ov.respondents, lang), fmt.number(ov.companies, lang)
    subtitle = t("deck.title.subtitle", lang, scope=scope) + _weighting(d, lang, " · ")
    if ov.suppressed:
        return Slide("title", t("deck.title.title", lang),
                     t("deck.title.too_few", lang, n=n, k=d.k),
                     t("deck.title.too_few_note", lang), subtitle)
    return Slide("title", t("deck.title.title", lang),
                 t("deck.title.message", lang, n=n, companies=companies),
                 t("deck.title.note", lang, scope=scope, n=n, companies=companies, k=d.k),
                 subtitle)


def numbers_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """Respondents, companies, maturity and the Club's own NPS, CSAT and CES."""
    ov, k = d.overview, d.k
    figures = d.weighted or ov  # weighted to the member mix when asked (the cover says so)
    tiles = (
        Tile(t("overview.respondents", lang), fmt.number(ov.respondents, lang), scope),
        Tile(t("overview.companies", lang), fmt.number(ov.companies, lang),
             t("overview.companies_caption", lang,
               ratio=fmt.number(ov.respondents / max(ov.companies, 1), lang, 1))),
        _tile(t("overview.maturity", lang), figures.maturity, lang, k),
        _tile(t("overview.club_nps", lang), figures.nps, lang, k, "signed"),
        _tile(t("deck.numbers.csat", lang), figures.csat, lang, k, "percent"),
        _tile(t("deck.numbers.ces", lang), figures.ces, lang, k, "decimal"),
    )
    if figures.maturity.shown and figures.nps.shown:
        promoters, detractors = figures.nps.shown_parts
        message = t("deck.numbers.message", lang,
                    maturity=fmt.number(figures.maturity.value, lang),
                    nps=fmt.signed(figures.nps.value, lang),
                    promoters=fmt.percent_with_article(promoters, lang),
                    detractors=fmt.percent_with_article(detractors, lang))
    else:
        message = t("deck.numbers.message_base", lang, n=fmt.number(ov.respondents, lang),
                    companies=fmt.number(ov.companies, lang))
    return Slide("numbers", t("deck.numbers.title", lang), message,
                 t("deck.numbers.note", lang) + _weighting(d, lang, " "), tiles=tiles)

