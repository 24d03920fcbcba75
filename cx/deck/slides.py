"""The deck: the survey's storyline as slides that the Presentazione page, the PDF and the
PowerPoint show alike, each with one message written from the data and a speaker note. Pure: no
Streamlit.
Companies are never named, and every figure respects the privacy threshold k.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import segno

from cx import charts, fmt
from cx.charts import stage_chart
from cx.charts.journey import funnel_chart
from cx.charts.pillars import ranking_chart
from cx.charts.pyramid import PyramidLayout, pyramid_chart
from cx.charts.results import choice_chart
from cx.charts.theme import CATEGORICAL, Spec
from cx.charts.titles import Titles
from cx.companies import Peers
from cx.filters import Filters, describe_scope
from cx.i18n import t
from cx.journey import Journey, gap_sentence
from cx.overview import Overview
from cx.personas.report import Persona, PersonaReport, TooFew
from cx.personas.text import persona_name, trait_text
from cx.pillars import pillar_ranking
from cx.pyramid import from_measures, weak_foundations
from cx.questionnaire import Questionnaire
from cx.score_columns import STAGES
from cx.scorecard.figures import level_names, pillar_axes, tier_labels
from cx.scoring import Aggregate

DEFAULT_PUBLIC_URL = "http://localhost:8501/"  # Streamlit's own address; set CX_PUBLIC_URL
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
KEYS = ("title", "numbers", "stages", "journey", "pyramid", "pillars", "personas", "indicators",
        "closing")
MAX_CARDS = 5  # more personas than this make the cards unreadable from the back of a room
CARD_TRAITS = {1: 5, 2: 5, 3: 4}  # traits per card by the number of cards; 3 from 4 cards up
CHART_WIDTH = 640  # px: the natural width of a bar chart on a slide (the page zooms it)
WIDE_CHART = 760  # px: charts whose width includes their long labels
PYRAMID_SIZE = (330, 200)
ADVANCED, EARLY = STAGES[3:], STAGES[:2]


@dataclass(frozen=True)
class Figure:
    """A chart as its builder and arguments: built (and cached) where it is shown."""

    builder: Callable[..., Any]
    args: tuple[Any, ...]
    step: int | None = None  # row height in px, where the builder's own is too tall for a slide
    square: bool = False  # drawn at its own size (a pyramid), never stretched
    width: int = CHART_WIDTH  # px, where the builder leaves the width to the container

    def build(self) -> Spec:
        """The chart's Vega-Lite spec at its slide size."""
        chart = self.builder(*self.args)
        return self.sized(charts.spec(chart, validate=False))

    def png(self, scale: float = 2.0) -> bytes:
        """The chart as a PNG rendered offline (vl-convert), for the PDF and the PowerPoint."""
        return charts.to_png(self.build(), scale=scale)

    def sized(self, spec: Spec) -> Spec:
        """A spec at its slide size: a fixed width where the builder leaves it to the container
        (the page zooms charts, and a zoomed chart must not measure its container)."""
        out = dict(spec)
        if out.get("width") == "container":
            out["width"] = self.width
        if self.step and isinstance(out.get("height"), dict):
            out["height"] = {"step": self.step}
        return out


@dataclass(frozen=True)
class Tile:
    """One key number: what it is, its value, its base and interval."""

    label: str
    value: str
    caption: str


@dataclass(frozen=True)
class Card:
    """One persona on the personas slide."""

    name: str
    share: str
    scores: str
    traits: tuple[str, ...]  # Markdown: the question in **bold**
    colour: str
    hidden: bool = False


@dataclass(frozen=True)
class Slide:
    """One slide: the same title, message and note on the stage, in the PDF and in the PPTX."""

    key: str
    title: str
    message: str
    note: str
    subtitle: str = ""
    figure: Figure | None = None
    tiles: tuple[Tile, ...] = ()
    cards: tuple[Card, ...] = ()
    more: str = ""
    link: str | None = None  # the closing slide's self-serve address (its QR code)


@dataclass(frozen=True)
class Deck:
    """The slides in order, with what every page's footer says."""

    slides: tuple[Slide, ...]
    scope: str  # the filter in words
    k: int
    lang: str

    def footer(self) -> str:
        """The filter in words and the privacy promise, under every slide."""
        return t("deck.footer", self.lang, scope=self.scope, k=self.k)

    def position(self, index: int) -> str:
        """'Osservatorio CX · Club CMMC · 3 di 9' for the slide at `index` (0-based)."""
        where = t("deck.position", self.lang, i=index + 1, n=len(self.slides))
        return f"{t('deck.kicker', self.lang)} · {where}"


@dataclass(frozen=True)
class DeckInputs:
    """What the storyline is written from, for one filter (computed by the caller, cached in
    the app)."""

    overview: Overview
    peers: Peers | None
    personas: PersonaReport | TooFew | None
    journey: Journey | None
    waves: tuple[int, ...]
    filters: Filters
    qn: Questionnaire = field(repr=False)
    personas_k: int | None = None  # None: chosen by silhouette
    public_url: str = DEFAULT_PUBLIC_URL

    @property
    def k(self) -> int:
        return self.overview.k


def qr_png(url: str, scale: int = 12) -> bytes:
    """The QR code of `url` as a PNG, made locally (segno: no remote service)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2, dark="#1A1A1A")
    return buf.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _caption(agg: Aggregate, lang: str, signed: bool = False, digits: int = 0) -> str:
    n = fmt.number(agg.n, lang)
    if agg.low is None or agg.high is None:
        return t("app.n_only", lang, n=n)
    return t("app.n_ci", lang, n=n, ci=fmt.interval(agg.low, agg.high, lang, digits,
                                                     signed_values=signed))


def _tile(label: str, agg: Aggregate, lang: str, k: int, style: str = "number") -> Tile:
    if not agg.shown:
        return Tile(label, "–", t("app.suppressed", lang, k=k, n=agg.n))
    digits = 1 if style == "decimal" else 0
    show = {"percent": fmt.percent, "signed": fmt.signed}.get(style, fmt.number)
    return Tile(label, show(agg.value, lang, digits),
                _caption(agg, lang, signed=style == "signed", digits=digits))


def title_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """The survey, its waves and filters, who answered; under k respondents, why it stops."""
    ov = d.overview
    n, companies = fmt.number(ov.respondents, lang), fmt.number(ov.companies, lang)
    subtitle = t("deck.title.subtitle", lang, scope=scope)
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
    tiles = (
        Tile(t("overview.respondents", lang), fmt.number(ov.respondents, lang), scope),
        Tile(t("overview.companies", lang), fmt.number(ov.companies, lang),
             t("overview.companies_caption", lang,
               ratio=fmt.number(ov.respondents / max(ov.companies, 1), lang, 1))),
        _tile(t("overview.maturity", lang), ov.maturity, lang, k),
        _tile(t("overview.club_nps", lang), ov.nps, lang, k, "signed"),
        _tile(t("deck.numbers.csat", lang), ov.csat, lang, k, "percent"),
        _tile(t("deck.numbers.ces", lang), ov.ces, lang, k, "decimal"),
    )
    if ov.maturity.shown and ov.nps.shown:
        message = t("deck.numbers.message", lang, maturity=fmt.number(ov.maturity.value, lang),
                    nps=fmt.signed(ov.nps.value, lang),
                    promoters=fmt.percent_with_article(ov.nps.promoters, lang),
                    detractors=fmt.percent_with_article(ov.nps.detractors, lang))
    else:
        message = t("deck.numbers.message_base", lang, n=fmt.number(ov.respondents, lang),
                    companies=fmt.number(ov.companies, lang))
    return Slide("numbers", t("deck.numbers.title", lang), message,
                 t("deck.numbers.note", lang), tiles=tiles)


def stages_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """How the respondents spread over the five maturity stages."""
    stages, k = d.overview.stages, d.k
    n = int(stages.attrs["n"])
    title = t("deck.stages.title", lang)
    if stages.attrs["suppressed"]:
        message = t("deck.stages.hidden", lang, k=k, n=n)
        return Slide("stages", title, message, message)
    pct = stages.set_index("stage")["pct"]
    names = {s: t(f"stage.{s}", lang) for s in STAGES}
    message = t("deck.stages.message", lang,
                advanced=fmt.percent_with_article(pct[list(ADVANCED)].sum(), lang, capital=True),
                early=fmt.percent_with_article(pct[list(EARLY)].sum(), lang),
                managed=names["gestita"], optimised=names["ottimizzata"],
                initial=names["iniziale"], developing=names["in_sviluppo"])
    # pandas-stubs: .loc refuses the Hashable label that idxmax returns
    top = stages.loc[stages["count"].idxmax()]  # type: ignore[call-overload]
    mean = d.overview.maturity
    note = t("deck.stages.note", lang, mean=fmt.number(mean.value, lang) if mean.shown else "–",
             n=fmt.number(n, lang), stage=names[top["stage"]], pct=fmt.percent(top["pct"], lang))
    titles = Titles(t("overview.stages_subtitle", lang, n=fmt.number(n, lang)), scope, lang)
    figure = Figure(stage_chart, (stages, names, titles), step=40)
    return Slide("stages", title, message, note, figure=figure)


def pyramid_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """The Club's pyramid, and whether it stands on weak foundations."""
    peers, k = d.peers, d.k
    title = t("deck.pyramid.title", lang)
    club = from_measures(peers.club).assign(panel="club") if peers is not None else None
    if club is None or club["suppressed"].all():
        companies = peers.companies if peers is not None else 0
        message = t("deck.pyramid.hidden", lang, k=k, n=companies)
        return Slide("pyramid", title, message, message)
    assert peers is not None  # club is None without peers
    names = level_names(lang)
    weak = weak_foundations(club)
    value = dict(zip(club["level"], club["value"]))
    if weak:
        w = weak[0]
        message = t("deck.pyramid.weak", lang, upper=names[w.upper], lower=names[w.lower],
                    upper_value=fmt.number(w.upper_value, lang),
                    lower_value=fmt.number(w.lower_value, lang))
    else:
        message = t("deck.pyramid.solid", lang, **{
            level: fmt.number(value.get(level), lang) for level in names})
    n = fmt.number(peers.respondents, lang)
    note = t("deck.pyramid.note", lang, n=n, companies=fmt.number(peers.companies, lang))
    width, height = PYRAMID_SIZE
    titles = Titles(t("overview.pyramid_subtitle", lang, n=n), scope, lang)
    figure = Figure(pyramid_chart, (club, tier_labels(lang, k), titles,
                                    PyramidLayout(width=width, height=height)), square=True)
    return Slide("pyramid", title, message, note, figure=figure)


def pillars_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """The Club's pillars from the strongest to the weakest."""
    peers, k = d.peers, d.k
    title = t("deck.pillars.title", lang)
    ranking = pillar_ranking(peers.club) if peers is not None else pd.DataFrame()
    if len(ranking) < 2:
        companies = peers.companies if peers is not None else 0
        message = t("deck.pillars.hidden", lang, k=k, n=companies)
        return Slide("pillars", title, message, message)
    axes = pillar_axes(lang)
    strong, weak = ranking.iloc[0], ranking.iloc[-1]
    message = t("deck.pillars.message", lang, strong=axes[strong["pillar"]],
                strong_value=fmt.number(strong["value"], lang), weak=axes[weak["pillar"]],
                weak_value=fmt.number(weak["value"], lang),
                gap=fmt.number(fmt.rounded(strong["value"]) - fmt.rounded(weak["value"]), lang))
    n = fmt.number(int(ranking["n"].max()), lang)
    roles = {r: t(f"pillars.{r}", lang) for r in ("strongest", "weakest", "other")}
    titles = Titles(t("overview.pillars_subtitle", lang, n=n), scope, lang)
    figure = Figure(ranking_chart, (ranking, axes, roles, titles), step=34)
    return Slide("pillars", title, message, t("deck.pillars.note", lang, n=n), figure=figure)


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
    lines = tuple(trait_text(tr, qn, lang) for tr in persona.traits[:traits])
    return Card(name, share, scores, lines, colour)


def _personas_note(rep: PersonaReport, manual: bool, lang: str) -> str:
    model = rep.model
    how = t("deck.personas.how_manual", lang, k=model.k_) if manual \
        else t("deck.personas.how_auto", lang)
    note = t("deck.personas.note", lang, n=fmt.number(rep.respondents, lang), how=how,
             silhouette=fmt.number(dict(model.silhouette_)[model.k_], lang, 2),
             stability=fmt.number(model.stability, lang, 2))
    return note + (t("deck.personas.illustrative", lang) if model.illustrative else "")


def personas_slide(d: DeckInputs, lang: str) -> Slide:
    """One card per persona (the largest five), as many as the link asks for or the
    silhouette chooses."""
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
                share=fmt.percent_with_article(largest.share, lang))
    return Slide("personas", title, message, _personas_note(rep, d.personas_k is not None, lang),
                 cards=cards, more=more)


def journey_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """Drawing the ideal journey versus checking it in the field (the Journey page's numbers)."""
    j, title = d.journey, t("deck.journey.title", lang)
    if j is None or j.gap is None or j.funnel.empty:
        message = t("deck.journey.hidden", lang, k=d.k)
        return Slide("journey", title, message, message)
    gap = j.gap
    message = t("deck.journey.message", lang,
                draws=fmt.percent_with_article(gap.draws.value, lang, capital=True),
                checks=fmt.percent_with_article(gap.checks.value, lang))
    note = t("deck.journey.note", lang, gap=gap_sentence(gap, lang).replace("**", ""))
    n = fmt.number(int(j.funnel["n"].iloc[0]), lang)
    titles = Titles(t("journey.funnel_subtitle", lang, n=n), scope, lang)
    figure = Figure(funnel_chart, (j.funnel, t("journey.funnel_alone", lang),
                                   t("journey.funnel_together", lang), titles),
                    step=46, width=WIDE_CHART)
    return Slide("journey", title, message, note, figure=figure)


def _short(label: str) -> str:
    """'NPS – Net Promoter Score' → 'NPS'."""
    return label.split(" – ")[0]


def indicators_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """Which CX indicators the respondents use (several answers allowed)."""
    title = t("deck.indicators.title", lang)
    summary = d.journey.summaries.get("cx_indicators") if d.journey is not None else None
    if summary is None or summary.suppressed or summary.table.empty:
        message = t("deck.indicators.hidden", lang, k=d.k)
        return Slide("indicators", title, message, message)
    table = summary.table
    exclusive = table["code"].isin(d.qn["cx_indicators"].exclusive)
    used = table[~exclusive]
    leaders = used[used["count"] == used["count"].max()]
    names = [_short(str(label)) for label in leaders["label"]]
    top = names[0] if len(names) == 1 else \
        f"{', '.join(names[:-1])} {t('deck.and', lang)} {names[-1]}"
    message = t("deck.indicators.lead_tie" if len(names) > 1 else "deck.indicators.lead", lang,
                top=top,
                share=fmt.percent_with_article(float(leaders["share"].iloc[0]) * 100, lang))
    none_share = float(table.loc[exclusive, "share"].sum()) * 100
    if none_share > 0:
        message += t("deck.indicators.none", lang, share=fmt.percent_with_article(none_share, lang))
    message += "."
    n = fmt.number(summary.n, lang)
    figure = Figure(choice_chart, (table, t("journey.indicators_subtitle", lang, n=n), scope,
                                   lang), step=44, width=WIDE_CHART)
    return Slide("indicators", title, message, t("deck.indicators.note", lang, n=n),
                 figure=figure)


def closing_slide(d: DeckInputs, lang: str) -> Slide:
    """The QR code to the self-serve app; the note warns when the address is this computer's."""
    note = t("deck.closing.note", lang, url=d.public_url)
    if urlsplit(d.public_url).hostname in LOCAL_HOSTS:
        note += " " + t("deck.local_url", lang)
    return Slide("closing", t("deck.closing.title", lang), t("deck.closing.message", lang), note,
                 link=d.public_url)


def build_deck(d: DeckInputs, lang: str) -> Deck:
    """The storyline in order. Under k respondents only the title slide, which says so."""
    scope = describe_scope(d.filters, d.qn, lang, d.waves)
    return Deck(_slides(d, scope, lang), scope, d.k, lang)


def _slides(d: DeckInputs, scope: str, lang: str) -> tuple[Slide, ...]:
    first = title_slide(d, scope, lang)
    if d.overview.suppressed:
        return (first,)
    return (first, numbers_slide(d, scope, lang), stages_slide(d, scope, lang),
            journey_slide(d, scope, lang), pyramid_slide(d, scope, lang),
            pillars_slide(d, scope, lang), personas_slide(d, lang),
            indicators_slide(d, scope, lang), closing_slide(d, lang))
