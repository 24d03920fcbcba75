"""One company against its peers: maturity stage, the next practice to adopt, its pyramid and
pillars beside its sector and the Club, its declared KPIs and its view of the Club. Pure.

Above, below or in line with its sector: each pyramid level and pillar of the company's
respondents against the sector's other respondents (Student's t and interval with the variance
pooled, since a company's few respondents cannot estimate their own; Hedges' g), Holm-corrected
across the scores compared; «above» or «below» only where the corrected test holds.

The next practice to adopt is the answered practice with the largest weighted gain
w·(1 − s): s is the company's practice score (0–1, mean over its respondents) and w the
practice's maturity weight. Raising it to the best answer would add up to w·(1 − s)/Σw × 100
points to the maturity index. Ties go to the practice asked first; practices the company did
not answer are not suggested (we do not know where it stands).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from cx import effects, respondent_scores, scoring, stats
from cx.companies import CLUB, KPI_COLUMNS, TESTED, Peers, indicator_rows
from cx.effects import Interval
from cx.happy_index import HappyIndex, happy_index
from cx.pillars import radar_profiles
from cx.pyramid import (
    WeakFoundation,
    foundation_tests,
    from_measures,
    level_profile,
    weak_foundations,
)
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire
from cx.scorecard.position import Position
from cx.scoring import Aggregate
from cx.stats import Sample

COMPANY, SECTOR = "company", "sector"
PANELS = (COMPANY, SECTOR, CLUB)


@dataclass(frozen=True)
class NextPractice:
    """The practice whose adoption would raise the company's maturity the most."""

    question: str
    score: float  # the company's score on it today, 0–1
    gain: float  # maturity-index points if raised to its best answer
    current: str | None  # the answer given today (single choice and Likert)
    target: tuple[str, ...]  # the next answer up, or the options still missing (multi)


def _option_scores(q: Question) -> dict[str, float]:
    if q.qtype.positional:
        return {o.code: i / (len(q.options) - 1) for i, o in enumerate(q.options)}
    return {o.code: float(o.score or 0.0) for o in q.options}


def _targets(answers: pd.Series, q: Question) -> tuple[str | None, tuple[str, ...]]:
    scores = _option_scores(q)
    given = answers.dropna().astype(str)
    if q.qtype.multiple:
        chosen = {c for text in given for c in text.split(MULTI_SEPARATOR)}
        return None, tuple(c for c, s in scores.items() if s > 0 and c not in chosen)
    counts = given.value_counts()
    current = min(counts[counts == counts.max()].index, key=lambda c: scores.get(c, 0.0))
    higher = sorted((s, c) for c, s in scores.items() if s > scores.get(current, 0.0))
    return current, (higher[0][1],) if higher else ()


def _answer_score(value: Any, q: Question, scores: dict[str, float]) -> float | None:
    # `value`: one cell of the answers, as dynamically typed as pandas leaves it
    if value is None or pd.isna(value) or value == "":
        return None
    if q.qtype.positional:
        return (float(value) - 1) / (len(q.options) - 1)
    if q.qtype.multiple:
        return min(sum(scores.get(c, 0.0) for c in str(value).split(MULTI_SEPARATOR)), 1.0)
    return scores.get(str(value))


def company_practice_score(answers: pd.Series, q: Question) -> float:
    """A company's score on one practice (0–1): the mean over its respondents of
    `cx.respondent_scores.practice_score`, computed in plain Python: a company has a handful of
    respondents, on which pandas' overhead per practice outweighs the work."""
    scores = {o.code: float(o.score or 0.0) for o in q.options}
    values = [v for v in (_answer_score(a, q, scores) for a in answers) if v is not None]
    return sum(values) / len(values) if values else float("nan")


def next_practice(answers: pd.DataFrame, qn: Questionnaire) -> NextPractice | None:
    """The unmet practice with the largest weighted gain (see the module docstring)."""
    total = sum(q.weight for q in qn.practices)
    best: NextPractice | None = None
    for q in qn.practices:
        if q.id not in answers:
            continue
        score = company_practice_score(answers[q.id], q)
        if np.isnan(score) or score >= 1.0:
            continue
        gain = q.weight * (1.0 - score) / total * 100
        if best is None or gain > best.gain + 1e-9:
            current, target = _targets(answers[q.id], q)
            best = NextPractice(q.id, score, gain, current, target)
    return best


@dataclass(frozen=True)
class SectorGap:
    """One score of the company against the rest of its sector (its own respondents left
    out): the difference with Student's 95% interval, Hedges' g, Student's p Holm-corrected
    across the scores compared."""

    measure: str
    company: float
    rest: float
    difference: Interval
    g: float
    p_holm: float

    @property
    def side(self) -> Literal["above", "below", "in_line"]:
        if not self.p_holm < stats.ALPHA:
            return "in_line"
        return "above" if self.difference.estimate > 0 else "below"


def sector_gaps(answers: pd.DataFrame, sector: str | None, peers: Peers,
                rest: Mapping[str, Sample]) -> tuple[SectorGap, ...]:
    """The company's scores against the rest of its sector (`rest`: each measure over the
    sector's respondents outside the company), where the sector is shown (k companies), the
    rest has k respondents and the company at least two."""
    if sector is None:
        return ()
    profile = peers.sector_profile(sector)
    shown = set(profile.loc[~profile["suppressed"].astype(bool), "measure"])
    tested = []
    for measure in TESTED:
        if measure not in shown or measure not in rest or rest[measure].n < peers.k:
            continue
        own, other = effects.sample(answers[measure]), rest[measure]
        difference, p = effects.student_interval(own, other)
        if own.n >= 2 and not np.isnan(p):  # one answer is a respondent, not a company
            tested.append((measure, own, other, difference, p))
    adjusted = stats.holm([p for *_, p in tested])
    return tuple(SectorGap(m, own.mean, other.mean, d, effects.hedges_g(own, other), float(p))
                 for (m, own, other, d, _), p in zip(tested, adjusted))


@dataclass(frozen=True)
class Scorecard:
    """What the Scheda azienda page and the PDF show for one company."""

    company: str
    code: str
    sector: str | None
    n: int
    waves: tuple[int, ...]
    k: int
    maturity: Aggregate
    stage: str | None
    next_practice: NextPractice | None
    levels: pd.DataFrame  # panel (company / sector / club), level, value, low, high, n, …
    weak: tuple[WeakFoundation, ...]
    radar: dict[str, pd.DataFrame]  # see pillars.radar_profiles
    kpis: pd.DataFrame  # kpi, company, company_n, sector, sector_companies, club, …
    indicators: pd.DataFrame  # indicator, scope (company / sector / club), value, low, high, n
    club_companies: int  # companies in the filter (the Club's median and band need k)
    sector_companies: int  # companies of its sector in the filter
    versus_sector: tuple[SectorGap, ...] = ()
    happy: HappyIndex | None = None  # from its declared indicators (cx.happy_index)
    position: Position | None = None  # where it stands and how it moved (cx.scorecard.position)


def _levels(answers: pd.DataFrame, sector: str | None, peers: Peers) -> pd.DataFrame:
    own = level_profile(answers, 1).assign(panel=COMPANY)
    frames = [own]
    if sector is not None:
        frames.append(from_measures(peers.sector_profile(sector)).assign(panel=SECTOR))
    frames.append(from_measures(peers.club).assign(panel=CLUB))
    return pd.concat(frames, ignore_index=True)


def _kpis(answers: pd.DataFrame, sector: str | None, peers: Peers) -> pd.DataFrame:
    rows = []
    for kpi in KPI_COLUMNS:
        own = scoring.mean(answers[kpi], 1)
        club = cast(pd.Series, peers.band.set_index("measure").loc[kpi])  # one row per measure
        sec = peers.sector_band[(peers.sector_band["sector"] == sector)
                                & (peers.sector_band["measure"] == kpi)]
        rows.append({"kpi": kpi, "company": own.value, "company_n": own.n,
                     "sector": sec["median"].iloc[0] if len(sec) else np.nan,
                     "sector_companies": int(sec["companies"].iloc[0]) if len(sec) else 0,
                     "club": club["median"], "club_companies": int(club["companies"])})
    return pd.DataFrame(rows)


def _indicators(answers: pd.DataFrame, sector: str | None, peers: Peers) -> pd.DataFrame:
    own = pd.DataFrame(indicator_rows(answers, COMPANY, 1))
    others = peers.indicators[peers.indicators["scope"].isin([sector, CLUB])]
    others = others.assign(scope=others["scope"].where(others["scope"] == CLUB, SECTOR))
    return pd.concat([own, others], ignore_index=True)


def _on_scale(agg: Aggregate) -> Aggregate:
    """The interval clipped to the 0–100 scale (a t interval on two answers can leave it)."""
    if agg.low is None or agg.high is None:
        return agg
    return replace(agg, low=max(agg.low, 0.0), high=min(agg.high, 100.0))


def build_scorecard(answers: pd.DataFrame, row: pd.Series, peers: Peers,
                    qn: Questionnaire, rest: Mapping[str, Sample] | None = None) -> Scorecard:
    """The scorecard of the company in `row` (its line of the company table), from its
    respondents' `answers` in the filter and the filter's `peers`; with `rest` (the rest of
    its sector, per measure: `Store.rest_of_sector`), also tested against it."""
    sector = None if pd.isna(row["sector"]) else str(row["sector"])
    maturity = _on_scale(scoring.mean(answers["maturity_index"], 1))
    stage = respondent_scores.maturity_stage(pd.Series([maturity.value], dtype=float)).iloc[0]
    levels = _levels(answers, sector, peers)
    sector_band = peers.sector_band[peers.sector_band["sector"] == sector]
    return Scorecard(
        company=str(row["company"]), code=str(row["code"]), sector=sector, n=len(answers),
        waves=tuple(sorted(int(w) for w in answers["wave"].dropna().unique())), k=peers.k,
        maturity=maturity, stage=None if pd.isna(stage) else str(stage),
        next_practice=next_practice(answers, qn),
        levels=levels, weak=tuple(weak_foundations(foundation_tests(answers),
                                                   levels[levels["panel"] == COMPANY])),
        radar=radar_profiles(row, peers.band, sector_band if len(sector_band) else None),
        kpis=_kpis(answers, sector, peers), indicators=_indicators(answers, sector, peers),
        club_companies=peers.companies, sector_companies=peers.sector_companies(sector),
        versus_sector=sector_gaps(answers, sector, peers, rest or {}),
        happy=happy_index(str(row["company"]), peers.happy, peers.k))
