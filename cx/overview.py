"""Panoramica: the headline numbers of a segment, and the sentences that describe them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx import claims, fmt, scoring, standing
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
    maturity: Aggregate  # per respondent
    maturity_by_company: Aggregate  # each company weighs one; n counts companies; analysts
    journey_map: Aggregate
    measures_nps: Aggregate
    stages: pd.DataFrame
    pyramid: pd.DataFrame
    pillars: pd.DataFrame
    pillar_standing: standing.Standing | None = None  # None when suppressed
    stage_standing: standing.Standing | None = None  # the most common maturity stages

    @property
    def suppressed(self) -> bool:
        return self.respondents < self.k


def compute_overview(scores: pd.DataFrame, k: int, by_company: bool = False) -> Overview:
    """Headline aggregates of the respondents in `scores` (one row per respondent), their
    intervals clustered by company. With `by_company` (for analysts: see `maturity_note`) the
    maturity, pyramid and pillars also per company, from k companies."""
    companies = pd.Series(scoring.cluster_labels(scores["company"]), index=scores.index)
    per_company = (scoring.company_mean(scores["maturity_index"], companies, k) if by_company
                   else scoring.suppressed(int(companies.nunique())))
    shown = len(scores) >= k
    stages = scoring.stage_distribution(scores["maturity_stage"], k)
    return Overview(
        respondents=len(scores),
        companies=int(companies.nunique()),
        k=k,
        nps=scoring.nps(scores["club_nps"], k, companies),
        csat=scoring.csat(scores["club_csat"], k, clusters=companies),
        ces=scoring.mean(scores["club_ces"], k, companies),
        maturity=scoring.mean(scores["maturity_index"], k, companies),
        maturity_by_company=per_company,
        journey_map=scoring.proportion(scores["has_journey_map"].astype("Float64"), k, companies),
        measures_nps=scoring.proportion(scores["measures_nps"].astype("Float64"), k, companies),
        stages=stages,
        pyramid=scoring.club_profile(scores, PYRAMID_COLUMNS, k, by_company),
        pillars=scoring.club_profile(scores, PILLAR_COLUMNS, k, by_company),
        pillar_standing=standing.standing(scores, PILLAR_COLUMNS) if shown else None,
        stage_standing=(None if stages.attrs["suppressed"]
                        else standing.category_standing(scores["maturity_stage"])),
    )


def maturity_note(ov: Overview, lang: str) -> str:
    """What the average maturity counts: respondents, and beside it the mean per company
    (computed for analysts only: with the mean per respondent it weighs a company's answers
    apart from the others', which published figures never do, and from k companies)."""
    by_company = ov.maturity_by_company
    if not by_company.shown or by_company.low is None or by_company.high is None:
        return t("overview.maturity_note_respondents", lang)
    return t("overview.maturity_note", lang, value=fmt.number(by_company.value, lang),
             ci=fmt.interval(by_company.low, by_company.high, lang))


def summary(ov: Overview, lang: str, segment: str = "") -> list[str]:
    """A few sentences on the headline numbers, written from the data; the NPS named after
    the `segment` in words when one is chosen, else the Club's."""
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
        promoters, detractors = ov.nps.shown_parts
        key = "overview.summary_nps_segment" if segment else "overview.summary_nps"
        lines.append(t(key, lang, segment=segment, nps=fmt.signed(ov.nps.value, lang),
                       promoters=fmt.percent(promoters, lang),
                       detractors=fmt.percent(detractors, lang)))
    return lines


def by_score(profile: pd.DataFrame) -> pd.DataFrame:
    """A profile's measures highest first (withheld ones last), as Six Pillars ranks them."""
    return profile.sort_values(["suppressed", "value"], ascending=[True, False], kind="stable",
                               na_position="last").reset_index(drop=True)


def answered(profile: pd.DataFrame) -> bool:
    """Whether anyone answered the measures of a profile (a wave may not ask them)."""
    return bool(len(profile)) and int(profile["n"].max()) > 0
