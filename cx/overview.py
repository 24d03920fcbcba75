"""Panoramica: the headline numbers of a segment, and the sentences that describe them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx import claims, effects, fmt, scoring
from cx.i18n import t
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.scoring import NPS, Aggregate

COLUMNS = ("company", "club_nps", "club_csat", "club_ces", *PYRAMID_COLUMNS, *PILLAR_COLUMNS,
           "maturity_index", "maturity_stage", "has_journey_map", "measures_nps")


@dataclass(frozen=True)
class Overview:
    respondents: int
    companies: int
    k: int
    nps: NPS
    csat: Aggregate
    ces: Aggregate
    maturity: Aggregate
    journey_map: Aggregate
    measures_nps: Aggregate
    stages: pd.DataFrame
    pyramid: pd.DataFrame
    pillars: pd.DataFrame
    pillar_standing: effects.Standing | None = None  # None when suppressed
    stage_standing: effects.Standing | None = None  # the most common maturity stages

    @property
    def suppressed(self) -> bool:
        return self.respondents < self.k


def compute_overview(scores: pd.DataFrame, k: int) -> Overview:
    """Headline aggregates of the respondents in `scores` (one row per respondent), which
    pillars lead and trail and which stages are the most common (paired tests over the same
    respondents)."""
    shown = len(scores) >= k
    stages = scoring.stage_distribution(scores["maturity_stage"], k)
    return Overview(
        respondents=len(scores),
        companies=int(scores["company"].nunique()),
        k=k,
        nps=scoring.nps(scores["club_nps"], k),
        csat=scoring.csat(scores["club_csat"], k),
        ces=scoring.mean(scores["club_ces"], k),
        maturity=scoring.mean(scores["maturity_index"], k),
        journey_map=scoring.proportion(scores["has_journey_map"].astype("Float64"), k),
        measures_nps=scoring.proportion(scores["measures_nps"].astype("Float64"), k),
        stages=stages,
        pyramid=scoring.club_profile(scores, PYRAMID_COLUMNS, k),
        pillars=scoring.club_profile(scores, PILLAR_COLUMNS, k),
        pillar_standing=effects.standing(scores, PILLAR_COLUMNS) if shown else None,
        stage_standing=(None if stages.attrs["suppressed"]
                        else effects.category_standing(scores["maturity_stage"])),
    )


def summary(ov: Overview, lang: str) -> list[str]:
    """A few sentences on the headline numbers, written from the data."""
    if ov.suppressed:
        return [t("overview.summary_suppressed", lang, n=ov.respondents, k=ov.k)]
    lines = [t("overview.summary_base", lang, n=fmt.number(ov.respondents, lang),
               companies=fmt.number(ov.companies, lang))]
    if ov.maturity.shown and ov.stage_standing is not None:
        names = {s: t(f"stage.{s}", lang) for s in ov.stage_standing.order}
        lines.append(t("overview.summary_maturity", lang,
                       value=fmt.number(ov.maturity.value, lang),
                       stages=claims.most_common(ov.stage_standing, names, lang)))
    if ov.journey_map.shown:
        lines.append(t("overview.summary_journey", lang,
                       pct=fmt.percent_with_article(ov.journey_map.value, lang, capital=True),
                       nps=fmt.percent_with_article(ov.measures_nps.value, lang)))
    if ov.pillar_standing is not None:
        names = {m: t(f"score.{m}", lang) for m in PILLAR_COLUMNS}
        lines.append(claims.standing_sentence(ov.pillar_standing, names, lang))
    if ov.nps.shown:
        lines.append(t("overview.summary_nps", lang, nps=fmt.signed(ov.nps.value, lang),
                       promoters=fmt.percent(ov.nps.promoters, lang),
                       detractors=fmt.percent(ov.nps.detractors, lang)))
    return lines
