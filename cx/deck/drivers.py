"""The slide of what drives the Club's NPS: each pillar's share of the explained variance with
its interval as key numbers, and only the ranking its test carries (`cx.drivers`). Pure."""

from __future__ import annotations

from cx import fmt
from cx.claims import names_text
from cx.deck.content import Slide, Tile
from cx.deck.inputs import DeckInputs
from cx.drivers.bootstrap import REPLICATES
from cx.drivers.model import Analysis
from cx.drivers.text import driver_label, r2_text, verdict
from cx.i18n import t

OUTCOME, DRIVERS = "club_nps", "pillars"  # the presenter's question: which pillar drives it


def _message(a: Analysis, lang: str) -> str:
    """The verdict, short enough for a slide."""
    assert a.lead is not None
    if a.lead.holds:
        share = float(a.table.set_index("driver")["share"][a.lead.first])
        return t("drivers.deck.lead", lang, name=driver_label(a.lead.first, lang),
                 share=fmt.percent(share, lang), next=driver_label(a.lead.second, lang),
                 gap=fmt.number(a.lead.gap, lang, 1))
    shares = a.table["share"]
    if len(a.tied) == len(a.drivers):
        return t("drivers.deck.all_tied", lang, low=fmt.percent(float(shares.min()), lang),
                 high=fmt.percent(float(shares.max()), lang))
    return t("drivers.deck.tie", lang,
             names=names_text([driver_label(d, lang) for d in a.tied], lang))


def drivers_slide(d: DeckInputs, lang: str) -> Slide:
    """Which pillar drives the Club's NPS, with what confidence; or why it cannot be said."""
    title = t("drivers.deck.title", lang)
    a = d.drivers
    if a is None or not a.ranked:
        message = verdict(a, lang) if a is not None else t("drivers.deck.none", lang)
        return Slide("drivers", title, message, message)
    tiles = tuple(Tile(driver_label(str(row["driver"]), lang),
                       fmt.percent(float(row["share"]), lang),
                       t("drivers.deck.tile", lang,
                         ci=fmt.interval(float(row["low"]), float(row["high"]), lang)))
                  for row in a.table.to_dict("records"))
    note = " ".join((r2_text(a, lang), verdict(a, lang),
                     t("drivers.deck.note", lang, replicates=REPLICATES)))
    return Slide("drivers", title, _message(a, lang), note, subtitle=_subtitle(a, lang),
                 tiles=tiles)


def _pct(share: float | None) -> float | None:
    return None if share is None else share * 100


def _subtitle(a: Analysis, lang: str) -> str:
    """How much the pillars explain together, and over whom: the confidence of the tiles."""
    assert a.r2 is not None and a.r2_low is not None and a.r2_high is not None
    return t("drivers.deck.subtitle", lang, share=fmt.percent_with_article(a.r2 * 100, lang),
             low=fmt.percent(_pct(a.r2_low), lang), high=fmt.percent(_pct(a.r2_high), lang),
             n=fmt.number(a.n, lang), companies=fmt.number(a.companies, lang))
