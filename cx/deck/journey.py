"""The Customer Journey slides: drawing the ideal journey against checking it, and the CX
indicators in use."""

from __future__ import annotations

import re

import pandas as pd

from cx import claims, fmt
from cx.charts.journey import funnel_chart
from cx.charts.questions import summary_plot
from cx.charts.titles import Titles
from cx.deck.content import Figure, Slide
from cx.deck.inputs import DeckInputs
from cx.deck.words import share_subject
from cx.i18n import t
from cx.journey import funnel_labelled, funnel_subtitle, gap_sentence
from cx.results import Labels
from cx.standing import Standing

WIDE_CHART = 760  # px: charts whose width includes their long labels


def journey_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """Drawing the ideal journey versus checking it in the field (the Journey page's numbers)."""
    j, title = d.journey, t("deck.journey.title", lang)
    if j is None or j.gap is None or j.funnel.empty:
        message = t("deck.journey.hidden", lang, k=d.k)
        return Slide("journey", title, message, message)
    gap = j.gap
    message = t("deck.journey.message", lang,
                draws=share_subject(gap.draws.value, lang, capital=True),
                checks=fmt.percent_with_article(gap.checks.value, lang))
    note = t("deck.journey.note", lang, gap=gap_sentence(gap, lang).replace("**", ""))
    titles = Titles(funnel_subtitle(j.funnel, lang), scope, lang)
    figure = Figure(funnel_chart, (funnel_labelled(j.funnel, lang),
                                   t("journey.funnel_alone", lang),
                                   t("journey.funnel_together", lang), titles),
                    step=46, width=WIDE_CHART)
    return Slide("journey", title, message, note, figure=figure)


def _short(label: str) -> str:
    """'NPS – Net Promoter Score' → 'NPS'; 'Feedback qualitativi: colloqui, …' → 'Feedback
    qualitativi'; 'Ascolto in tempo reale (social, …)' → 'Ascolto in tempo reale'."""
    return re.split(r" – |: | \(", label, maxsplit=1)[0]


def lead_text(used: pd.DataFrame, standing: Standing, lang: str,
              words: str = "deck.indicators") -> str:
    """The most chosen option of a checklist, or those sharing the lead when paired tests
    cannot tell them apart (`cx.journey.option_standing`); `words`: the slide's locale
    section, which names what is chosen."""
    named = used.set_index("code")
    leaders = named.loc[list(standing.top)]
    names = [_short(str(label)) for label in leaders["label"]]
    shares = leaders["share"].to_numpy(dtype=float) * 100
    if standing.lead is not None:
        return t(f"{words}.lead", lang, top=names[0],
                 share=share_subject(float(shares[0]), lang),
                 next=_short(str(named.loc[standing.lead.second, "label"])),
                 **claims.distance_text(claims.scaled(standing.lead.interval, 100), lang))
    key = f"{words}.lead_tie" if shares.min() == shares.max() else f"{words}.lead_close"
    return t(key, lang, top=f"{', '.join(names[:-1])} {t('deck.and', lang)} {names[-1]}",
             share=share_subject(float(shares.max()), lang),
             low=fmt.percent_with_article(float(shares.min()), lang),
             high=fmt.percent_with_article(float(shares.max()), lang))


def indicators_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """Which CX indicators the respondents use (several answers allowed)."""
    title = t("deck.indicators.title", lang)
    summary = d.journey.summaries.get("cx_indicators") if d.journey is not None else None
    standing = d.journey.indicators_lead if d.journey is not None else None
    if summary is None or summary.suppressed or summary.table.empty or standing is None:
        message = t("deck.indicators.hidden", lang, k=d.k)
        return Slide("indicators", title, message, message)
    labels = Labels(d.qn["cx_indicators"], d.qn, lang)
    table = labels.table(summary.table)
    exclusive = table["code"].isin(d.qn["cx_indicators"].exclusive)
    message = lead_text(table[~exclusive], standing, lang)
    none_share = float(table.loc[exclusive, "share"].sum()) * 100
    if fmt.rounded(none_share) > 0:  # «mentre nessuno non usa…» would not read
        message += t("deck.indicators.none", lang, share=share_subject(none_share, lang))
    message += "."
    n = fmt.number(summary.n, lang)
    titles = Titles(t("journey.indicators_subtitle", lang, n=n), scope, lang)
    plot = summary_plot(summary, labels, titles=titles)
    figure = Figure(plot.builder, plot.args, plot.kwargs, step=44, width=WIDE_CHART)
    return Slide("indicators", title, message, t("deck.indicators.note", lang, n=n),
                 figure=figure)

