"""What a company's standing is computed from, once per filter: for every company its
respondents' count, sum and sum of squares of each measure (`Moments`), and the reference any
set of companies makes (`reference`: its mean over respondents with a company-clustered
variance). Pure: no Streamlit.

Measures are the scorecard's numbers on respondents: the maturity index, the pyramid levels,
the pillars, the declared KPIs, the Club's NPS (each respondent's +100 / 0 / −100), CSAT (100
for a 4 or 5, else 0) and CES, and each practice's score (0–1, a structural skip scoring 0 as
in the maturity index). The Happy Index is a company's own figure: one value per company.

The variance of a reference mean is the CR1 sandwich over its companies,
G/(G−1) · Σ_g (T_g − n_g·ȳ)² / N² (T_g: the company's sum), never below the variance under
independence s²/N; when the companies with two or more respondents hold fewer than k besides the
largest, it is Kish's bound Σn_g²/N · s²/N instead (`cx.intervals`, docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cx import happy_index
from cx.companies import KPI_COLUMNS
from cx.effects import Interval
from cx.questionnaire import Questionnaire
from cx.respondent_scores import practice_score, skipped_by_rule
from cx.results.tally import nps_points
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS

HAPPY = "happy"
CLUB_MEASURES = ("club_nps", "club_csat", "club_ces")
MEASURES = ("maturity_index", *PYRAMID_COLUMNS, *PILLAR_COLUMNS, *KPI_COLUMNS, HAPPY,
            *CLUB_MEASURES)
RESPONDENT_MEASURES = tuple(m for m in MEASURES if m != HAPPY)
# the widest a difference of two values can be (a t interval on few answers can pass it)
SPAN = {"kpi_nps": 200.0, "club_nps": 200.0, "kpi_ces": 6.0, "club_ces": 6.0}


def clipped(interval: Interval, measure: str) -> Interval:
    """A difference's interval within what two values of `measure` can differ by."""
    span = SPAN.get(measure, 100.0)
    return replace(interval, low=max(interval.low, -span), high=min(interval.high, span))


def practice_key(qid: str) -> str:
    return f"practice:{qid}"


def columns(qn: Questionnaire) -> tuple[str, ...]:
    """The response columns the standing reads."""
    return ("company", "sector", "wave", *RESPONDENT_MEASURES, *(q.id for q in qn.practices))


def respondent_values(answers: pd.DataFrame, qn: Questionnaire) -> pd.DataFrame:
    """Each respondent's value of every measure and practice (NaN where not answered)."""
    out = pd.DataFrame(index=answers.index)
    for m in RESPONDENT_MEASURES:
        values = pd.to_numeric(answers[m], errors="coerce").astype(float) if m in answers \
            else pd.Series(np.nan, index=answers.index)
        if m == "club_nps":
            values = pd.Series(np.where(values.isna(), np.nan, nps_points(values.to_numpy())),
                               index=answers.index)
        elif m == "club_csat":
            values = values.where(values.isna(), (values >= 4) * 100.0)
        out[m] = values
    for q in qn.practices:
        if q.id not in answers:
            out[practice_key(q.id)] = np.nan
            continue
        score = practice_score(answers[q.id], q)
        out[practice_key(q.id)] = score.where(~skipped_by_rule(answers, q), 0.0).astype(float)
    return out


@dataclass(frozen=True)
class Moments:
    """Per company (rows) and measure (columns): respondents, sum and sum of squares."""

    companies: np.ndarray
    sectors: np.ndarray
    columns: tuple[str, ...]
    n: np.ndarray
    total: np.ndarray
    squares: np.ndarray

    def col(self, name: str) -> int:
        return self.columns.index(name)

    def means(self, name: str) -> np.ndarray:
        """Each company's mean of one measure (NaN without answers)."""
        j = self.col(name)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.n[:, j] > 0, self.total[:, j] / self.n[:, j], np.nan)


def moments(answers: pd.DataFrame, qn: Questionnaire) -> Moments:
    """The filter's moments from its responses (`columns(qn)`)."""
    values = respondent_values(answers, qn)
    names = list(values.columns)
    grouped = values.assign(company=answers["company"].to_numpy()).groupby(
        "company", sort=True, observed=True)
    n = grouped.count()[names]
    total = grouped.sum(min_count=1)[names].fillna(0.0)
    squares = (values**2).assign(company=answers["company"].to_numpy()).groupby(
        "company", sort=True, observed=True).sum()[names]
    sectors = answers.groupby("company", sort=True, observed=True)["sector"].first()
    happy = company_happy(pd.DataFrame(total[list(KPI_COLUMNS)].to_numpy()
                                       / n[list(KPI_COLUMNS)].replace(0, np.nan).to_numpy(),
                                       columns=list(KPI_COLUMNS)))
    has = ~np.isnan(happy)
    return Moments(
        companies=n.index.to_numpy(dtype=object), sectors=sectors.to_numpy(dtype=object),
        columns=(*names, HAPPY),
        n=np.column_stack([n.to_numpy(float), has.astype(float)]),
        total=np.column_stack([total.to_numpy(float), np.where(has, happy, 0.0)]),
        squares=np.column_stack([squares.to_numpy(float), np.where(has, happy**2, 0.0)]))


def company_happy(kpi_means: pd.DataFrame) -> np.ndarray:
    """The Happy Index of each row of KPI means (`cx.happy_index`; NaN under two indicators)."""
    frame = kpi_means.assign(company="", sector="")
    return happy_index.indices(frame)["happy"].to_numpy(dtype=float)


@dataclass(frozen=True)
class Reference:
    """A set of companies as a reference, per measure (arrays in `Moments.columns` order)."""

    n: np.ndarray  # respondents
    companies: np.ndarray
    mean: np.ndarray
    variance: np.ndarray  # of the mean: clustered by company (see the module docstring)


def reference(m: Moments, mask: np.ndarray, k: int) -> Reference:
    """The reference made by the companies in `mask`."""
    n, total, squares = m.n[mask], m.total[mask], m.squares[mask]
    big_n = n.sum(axis=0)
    groups = (n > 0).sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total.sum(axis=0) / big_n
        s2 = (squares.sum(axis=0) - total.sum(axis=0) * mean) / (big_n - 1)
        s2 = np.maximum(s2, 0.0)
        spread = ((total - n * mean) ** 2).sum(axis=0)
        clustered = groups / (groups - 1) * spread / big_n**2
        independent = s2 / big_n
        shared = np.where(n > 1, n, 0.0)
        few = (shared.sum(axis=0) - shared.max(axis=0, initial=0.0) < k) & (shared.sum(axis=0) > 0)
        bound = (n**2).sum(axis=0) / big_n * independent
        variance = np.where(few, bound, np.maximum(clustered, independent))
    return Reference(big_n, groups, mean, variance)


def within(m: Moments, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How much respondents of one company differ, per measure: the pooled within-company
    variance Σ_g Σ_i (y_i − ȳ_g)² / (N − G) over the companies in `mask`, and its degrees of
    freedom N − G (NaN variance where no company has two answers)."""
    n, total, squares = m.n[mask], m.total[mask], m.squares[mask]
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = np.where(n > 0, squares - total**2 / np.where(n > 0, n, 1.0), 0.0).sum(axis=0)
        df = n.sum(axis=0) - (n > 0).sum(axis=0)
        return np.where(df > 0, np.maximum(ss, 0.0) / df, np.nan), df
