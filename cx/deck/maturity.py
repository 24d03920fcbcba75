"""The slides on the Club's maturity: the spread over the five stages, the pyramid and the six
pillars, each with its chart."""

from __future__ import annotations

import pandas as pd

from cx import claims, fmt
from cx.charts import stage_chart
from cx.charts.pillars import ROLES, ranking_chart
from cx.charts.pyramid import PyramidLayout, pyramid_chart
from cx.charts.titles import Titles
from cx.deck.content import Figure, Slide
from cx.deck.inputs import DeckInputs
from cx.deck.words import share_subject
from cx.i18n import t
from cx.pillars import pillar_ranking
from cx.pyramid import from_measures, lowest_level, weak_foundations
from cx.score_columns import STAGES
from cx.scorecard.figures import (
    level_names,
    pillar_axes,
    pillar_names,
    ranking_summary,
    tier_labels,
)
from cx.standing import Standing

PYRAMID_SIZE = (330, 200)
ADVANCED, EARLY = STAGES[3:], STAGES[:2]


def stages_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """How the respondents spread over the five maturity stages."""
    stages, k = d.overview.stages, d.k
    n = int(stages.attrs["n"])
    title = t("deck.stages.title", lang)
    if stages.attrs["suppressed"]:
        message = t("deck.stages.hidden", lang, k=k, n=n)
        return Slide("stages", title, message, message)
    pct = stages.set_index("stage")["shown"]  # parts that add up to what the bars show
    names = {s: t(f"stage.{s}", lang) for s in STAGES}
    message = t("deck.stages.message", lang,
                advanced=share_subject(pct[list(ADVANCED)].sum(), lang, capital=True),
                early=share_subject(pct[list(EARLY)].sum(), lang),
                managed=names["gestita"], optimised=names["ottimizzata"],
                initial=names["iniziale"], developing=names["in_sviluppo"])
    mean, standing = d.overview.maturity, d.overview.stage_standing
    common = "" if standing is None else "; " + claims.most_common(standing, names, lang)
    note = t("deck.stages.note", lang, mean=fmt.number(mean.value, lang) if mean.shown else "–",
             n=fmt.number(n, lang), stages=common)
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
    weak = weak_foundations(peers.foundations, club)
    value = dict(zip(club["level"], club["value"]))
    if weak:
        w = weak[0]
        message = t("deck.pyramid.weak", lang, upper=names[w.upper], lower=names[w.lower],
                    upper_value=fmt.number(w.upper_value, lang),
                    lower_value=fmt.number(w.lower_value, lang),
                    dz=claims.dz_text(w.dz, lang), **claims.distance_text(w.difference, lang))
    else:
        message = t("deck.pyramid.solid", lang, **{
            level: fmt.number(value.get(level), lang) for level in names})
        if lowest_level(peers.foundations) == "enjoyment":
            message += " " + t("deck.pyramid.top_to_build", lang)
    n = fmt.number(peers.respondents, lang)
    note = t("deck.pyramid.note", lang, n=n, companies=fmt.number(peers.companies, lang))
    width, height = PYRAMID_SIZE
    titles = Titles(t("deck.scores_heading", lang, n=n), scope, lang)
    figure = Figure(pyramid_chart, (club, tier_labels(lang, k), titles,
                                    PyramidLayout(width=width, height=height)), square=True)
    return Slide("pyramid", title, message, note, figure=figure)


def pillars_slide(d: DeckInputs, scope: str, lang: str) -> Slide:
    """The Club's pillars from the highest mean to the lowest, a strongest or weakest one named
    only where paired tests carry it."""
    peers, k = d.peers, d.k
    title = t("deck.pillars.title", lang)
    standing = peers.pillars if peers is not None else None
    ranking = pillar_ranking(peers.club, standing) if peers is not None else pd.DataFrame()
    if len(ranking) < 2 or standing is None:
        companies = peers.companies if peers is not None else 0
        message = t("deck.pillars.hidden", lang, k=k, n=companies)
        return Slide("pillars", title, message, message)
    axes = pillar_axes(lang)
    message = standing_headline(standing, lang)
    n = fmt.number(int(ranking["n"].max()), lang)
    roles = {r: t(f"pillars.{r}", lang) for r in ROLES}
    titles = Titles(t("deck.scores_heading", lang, n=n), scope, lang)
    figure = Figure(ranking_chart, (ranking, axes, roles, titles), step=34)
    note = f"{ranking_summary(standing, lang)} {t('deck.pillars.note', lang, n=n)}"
    return Slide("pillars", title, message, note, figure=figure)


def standing_headline(standing: Standing, lang: str) -> str:
    """The pillars' standing in a line a room reads at a glance: who leads and who trails, or
    who shares those places; the intervals and sizes go to the speaker's notes."""
    top = "one" if len(standing.top) == 1 else "tie"
    bottom = "one" if len(standing.bottom) == 1 else "tie"
    names = pillar_names(lang)
    top_names = claims.names_text([names[c] for c in standing.top], lang)
    bottom_names = claims.names_text([names[c] for c in standing.bottom], lang)
    return t(f"deck.pillars.top_{top}", lang, names=top_names) + " " + \
        t(f"deck.pillars.bottom_{bottom}", lang, names=bottom_names)

