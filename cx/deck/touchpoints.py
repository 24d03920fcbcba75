"""The slides of what questionnaire 2027 asks and the journey's checklists: the real Customer
Journey per touchpoint, the touchpoints managed, Big Data and how members listen to their
customers. A wave that did not ask a question says so on its slide."""

from __future__ import annotations

from dataclasses import replace

from cx import fmt
from cx.charts.journey import application_chart
from cx.charts.questions import summary_plot
from cx.charts.titles import Titles
from cx.deck.content import Figure, Slide
from cx.deck.inputs import DeckInputs
from cx.deck.journey import WIDE_CHART, lead_text
from cx.deck.words import share_subject
from cx.i18n import t
from cx.results import TOTAL, Labels, Summary, verdict_text
from cx.rounding import largest_remainder


def _not_asked(d: DeckInputs, qid: str) -> int | None:
    """The wave that first asked `qid`, when no wave of the deck's selection did."""
    since = d.qn[qid].since
    waves = (d.filters.wave,) if d.filters.wave is not None else d.waves
    return since if since is not None and all(w < since for w in waves) else None


def _hidden(key: str, title: str, d: DeckInputs, qid: str, lang: str) -> Slide:
    since = _not_asked(d, qid)
    message = (t("deck.not_asked", lang, since=since) if since is not None
               else t(f"deck.{key}.hidden", lang, k=d.k))
    return Slide(key, title, message, message)


def real_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """How far the ideal journey is applied at each touchpoint (the seeds' real journey)."""
    title = t("deck.real.title", lang)
    table = d.journey.real if d.journey is not None else None
    shown = table[~table["suppressed"]] if table is not None and len(table) else None
    if shown is None or shown.empty:
        return _hidden("real", title, d, "tp_apply_store", lang)
    names = {o.code: o.label(lang) for o in d.qn["touchpoints"].options}
    labelled = shown.assign(label=shown["touchpoint"].map(names))
    low, high = labelled.iloc[0], labelled.iloc[-1]  # largest gap first
    message = t("deck.real.message", lang, low=fmt.number(float(low["value"]), lang),
                low_name=low["label"], high=fmt.number(float(high["value"]), lang),
                high_name=high["label"])
    n = fmt.number(int(labelled["n"].max()), lang)
    titles = Titles(t("deck.real.subtitle", lang, n=n), scope, lang)
    # thirteen touchpoints on a 1080-px stage: rows as tight as the labels allow
    figure = Figure(application_chart, (labelled, titles), step=20, width=WIDE_CHART)
    return Slide("real", title, message, t("deck.real.note", lang), figure=figure)


def _checklist_slide(d: DeckInputs, scope: str, lang: str, key: str, qid: str) -> Slide:
    """A checklist's shares with its tested lead in the message."""
    title = t(f"deck.{key}.title", lang)
    summary: Summary | None = d.journey.summaries.get(qid) if d.journey is not None else None
    standing = d.journey.leads.get(qid) if d.journey is not None else None
    if summary is None or summary.suppressed or summary.table.empty or standing is None:
        return _hidden(key, title, d, qid, lang)
    labels = Labels(d.qn[qid], d.qn, lang)
    table = labels.table(summary.table)
    exclusive = table["code"].isin(d.qn[qid].exclusive)
    message = lead_text(table[~exclusive], standing, lang, f"deck.{key}") + "."
    n = fmt.number(summary.n, lang)
    titles = Titles(t(f"deck.{key}.subtitle", lang, n=n), scope, lang)
    plot = summary_plot(summary, labels, titles=titles)
    rows = len(summary.table)
    figure = Figure(plot.builder, plot.args, plot.kwargs, step=20 if rows > 8 else 34,
                    width=WIDE_CHART)
    return Slide(key, title, message, t(f"deck.{key}.note", lang, n=n), figure=figure)


def touchpoints_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """The touchpoints managed; the note adds how integrated the channels are (omnichannel)
    and whether industries differ on it, as the Journey page tests it."""
    slide = _checklist_slide(d, scope, lang, "touchpoints", "touchpoints")
    omni = d.journey.by_sector.get("omnichannel") if d.journey is not None else None
    if slide.figure is None or omni is None or not omni.shown or omni.comparison is None:
        return slide
    means = omni.comparison.means
    total = means[means["group"] == TOTAL] if means is not None else None
    if total is None or total.empty:
        return slide
    verdict = verdict_text(omni.comparison.test, lang, omni.comparison.effect).replace("**", "")
    note = slide.note + " " + t("deck.touchpoints.omnichannel", lang,
                                mean=fmt.number(float(total["value"].iloc[0]), lang, 1),
                                verdict=verdict)
    return replace(slide, note=note)


def listening_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    return _checklist_slide(d, scope, lang, "listening", "listening")


def big_data_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """How far members use Big Data for CX: the share at the two most advanced levels."""
    title = t("deck.big_data.title", lang)
    summary = d.journey.summaries.get("big_data") if d.journey is not None else None
    if summary is None or summary.suppressed or summary.table.empty:
        return _hidden("big_data", title, d, "big_data", lang)
    q = d.qn["big_data"]
    labels = Labels(q, d.qn, lang)
    advanced = q.codes[-2:]
    # the two bars' shares as the chart shows them, rounded so that they add up (cx.rounding)
    shown = largest_remainder([float(v) * 100 for v in summary.table["share"]])
    share = sum(v for v, c in zip(shown, summary.table["code"]) if c in advanced)
    message = t("deck.big_data.message", lang,
                share=share_subject(share, lang, capital=True),
                first=q.option_label(advanced[0], lang), second=q.option_label(advanced[1], lang))
    n = fmt.number(summary.n, lang)
    titles = Titles(t("journey.big_data_subtitle", lang, n=n), scope, lang)
    plot = summary_plot(summary, labels, titles=titles)
    figure = Figure(plot.builder, plot.args, plot.kwargs, step=40, width=WIDE_CHART)
    return Slide("big_data", title, message, t("deck.big_data.note", lang, n=n), figure=figure)
