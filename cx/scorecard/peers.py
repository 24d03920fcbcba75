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

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cx import happy_index
from cx.companies import KPI_COLUMNS
from cx.effects import Interval
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire
from cx.respondent_scores import practice_score, skipped_by_rule
from cx.results.tally import nps_points
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS

HAPPY = "happy"
CLUB_MEASURES = ("club_nps", "club_csat", "club_ces")
MEASURES = ("maturity_index", *PYRAMID_COLUMNS, *PILLAR_COLUMNS, *KPI_COLUMNS, HAPPY,
            *CLUB_MEASURES)
RESPONDENT_MEASURES = tuple(m for m in MEASURES if m != HAPPY)
FEW = 64  # answers scored in plain Python (a company's)
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
    out: dict[str, np.ndarray] = {}
    missing = np.full(len(answers), np.nan)
    for m in RESPONDENT_MEASURES:
        values = pd.to_numeric(answers[m], errors="coerce").to_numpy(dtype=float, na_value=np.nan) \
            if m in answers else missing
        if m == "club_nps":
            values = np.where(np.isnan(values), np.nan, nps_points(values))
        elif m == "club_csat":
            values = np.where(np.isnan(values), np.nan, (values >= 4) * 100.0)
        out[m] = values
    for q in qn.practices:
        if q.id not in answers:
            out[practice_key(q.id)] = missing
            continue
        # one company's handful of answers: plain Python (pandas' string methods cost ~3 ms
        # per practice whatever the rows, a tenth of a card's whole time)
        score = np.array(_few_scores(answers[q.id], q), dtype=float) if len(answers) <= FEW \
            else practice_score(answers[q.id], q).to_numpy(dtype=float, na_value=np.nan)
        out[practice_key(q.id)] = np.where(skipped_by_rule(answers, q).to_numpy(dtype=bool),
                                           0.0, score)
    return pd.DataFrame(out, index=answers.index)


def _few_scores(answers: pd.Series, q: Question) -> list[float]:
    """`cx.respondent_scores.practice_score` of a few answers, in plain Python."""
    points = {o.code: float(o.score or 0.0) for o in q.options}
    out = []
    for value in answers.tolist():
        if value is None or value is pd.NA or value == "" or (
                isinstance(value, float) and math.isnan(value)):
            out.append(math.nan)
        elif q.qtype.positional:
            out.append((float(value) - 1) / (len(q.options) - 1))
        elif q.qtype.multiple:
            out.append(min(sum(points.get(c, 0.0) for c in str(value).split(MULTI_SEPARATOR)),
                           1.0))
        else:
            out.append(points.get(str(value), math.nan))
    return out


@dataclass(frozen=True)
class Sums:
    """Column sums over a set of companies, enough for a reference without its rows: n, T
    (sum), S (sum of squares), T², T·n, n², companies, and the respondents of the companies
    with two or more (their sum, largest and second largest company)."""

    n: np.ndarray
    groups: np.ndarray
    total: np.ndarray
    squares: np.ndarray
    t2: np.ndarray
    tn: np.ndarray
    n2: np.ndarray
    shared: np.ndarray
    top1: np.ndarray
    top2: np.ndarray


def sums(n: np.ndarray, total: np.ndarray, squares: np.ndarray) -> Sums:
    shared = np.where(n > 1, n, 0.0)
    top1 = shared.max(axis=0, initial=0.0)
    # the second largest: the largest once one instance of the largest is left out
    first = shared.argmax(axis=0) if len(n) else np.zeros(n.shape[1], dtype=int)
    rest = shared.copy()
    if len(n):
        rest[first, np.arange(n.shape[1])] = 0.0
    return Sums(n.sum(axis=0), (n > 0).sum(axis=0).astype(float), total.sum(axis=0),
                squares.sum(axis=0), (total**2).sum(axis=0), (total * n).sum(axis=0),
                (n**2).sum(axis=0), shared.sum(axis=0), top1, rest.max(axis=0, initial=0.0))


def within_variance(n: np.ndarray, total: np.ndarray, squares: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """How much respondents of one company differ, per measure: the pooled within-company
    variance Σ_g Σ_i (y_i − ȳ_g)² / (N − G), and its degrees of freedom N − G (NaN variance
    where no company has two answers)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = np.where(n > 0, squares - total**2 / np.where(n > 0, n, 1.0), 0.0).sum(axis=0)
        df = n.sum(axis=0) - (n > 0).sum(axis=0)
        return np.where(df > 0, np.maximum(ss, 0.0) / df, np.nan), df


@dataclass(frozen=True)
class Moments:
    """Per company (rows) and measure (columns): respondents, sum and sum of squares; their
    sums over the Club and its within-company variance, computed once with them."""

    companies: np.ndarray
    sectors: np.ndarray
    columns: tuple[str, ...]
    n: np.ndarray
    total: np.ndarray
    squares: np.ndarray
    club: Sums
    by_sector: dict[str, Sums]
    within: tuple[np.ndarray, np.ndarray]  # σ²_w and its degrees of freedom, per measure
    mean: np.ndarray  # each company's mean (NaN without answers)
    rows: dict[str, int]  # company → its row
    sector_rows: dict[str, np.ndarray]

    def col(self, name: str) -> int:
        return self.columns.index(name)

    def others(self, company: str, sector: str | None) -> np.ndarray | slice:
        """The rows of the Club (`sector` None) or of a sector, the company's row still in:
        a slice for the Club, so that no copy is made of its every company."""
        return slice(None) if sector is None else self.sector_rows.get(
            sector, np.empty(0, dtype=int))


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
    counts = np.column_stack([n.to_numpy(float), has.astype(float)])
    totals = np.column_stack([total.to_numpy(float), np.where(has, happy, 0.0)])
    squared = np.column_stack([squares.to_numpy(float), np.where(has, happy**2, 0.0)])
    codes = sectors.to_numpy(dtype=object)
    sector_rows = {str(s): np.flatnonzero(codes == s) for s in pd.unique(codes)
                   if isinstance(s, str)}
    by_sector = {s: sums(counts[r], totals[r], squared[r]) for s, r in sector_rows.items()}
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, totals / np.where(counts > 0, counts, 1.0), np.nan)
    companies = n.index.to_numpy(dtype=object)
    return Moments(
        companies=companies, sectors=codes, columns=(*names, HAPPY),
        n=counts, total=totals, squares=squared, club=sums(counts, totals, squared),
        by_sector=by_sector, within=within_variance(counts, totals, squared), mean=mean,
        rows={str(c): i for i, c in enumerate(companies)}, sector_rows=sector_rows)


def company_happy(kpi_means: pd.DataFrame) -> np.ndarray:
    """The Happy Index of each row of KPI means (`cx.happy_index`; NaN under two indicators)."""
    scores = happy_index.normalised(kpi_means)
    count = scores.notna().sum(axis=1)
    happy = scores.mean(axis=1).where(count >= happy_index.MIN_INDICATORS)
    return happy.to_numpy(dtype=float)


@dataclass(frozen=True)
class Reference:
    """A set of companies as a reference, per measure (arrays in `Moments.columns` order)."""

    n: np.ndarray  # respondents
    companies: np.ndarray
    mean: np.ndarray
    variance: np.ndarray  # of the mean: clustered by company (see the module docstring)


def _reference(s: Sums, k: int) -> Reference:
    big_n = s.n
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s.total / big_n
        s2 = np.maximum((s.squares - s.total * mean) / (big_n - 1), 0.0)
        # Σ_g (T_g − n_g·ȳ)², expanded over the sums
        spread = np.maximum(s.t2 - 2 * mean * s.tn + mean**2 * s.n2, 0.0)
        clustered = s.groups / (s.groups - 1) * spread / big_n**2
        independent = s2 / big_n
        few = (s.shared - s.top1 < k) & (s.shared > 0)
        bound = s.n2 / big_n * independent
        variance = np.where(few, bound, np.maximum(clustered, independent))
    return Reference(big_n, s.groups, mean, variance)


def reference(m: Moments, mask: np.ndarray, k: int) -> Reference:
    """The reference made by the companies in `mask`."""
    return _reference(sums(m.n[mask], m.total[mask], m.squares[mask]), k)


def without(m: Moments, company: str, sector: str | None, k: int) -> Reference:
    """The Club (`sector` None) or a sector without one company: their sums, computed once
    per filter, less that company's row (a mask over every company would copy them for each
    card)."""
    c = m.club if sector is None else m.by_sector.get(sector)
    if c is None:
        return _reference(sums(m.n[:0], m.total[:0], m.squares[:0]), k)
    at = m.rows.get(company)
    if at is None or (sector is not None and m.sectors[at] != sector):
        return _reference(c, k)
    n, t, sq = m.n[at], m.total[at], m.squares[at]
    own_shared = np.where(n > 1, n, 0.0)
    top = np.where((own_shared > 0) & (own_shared == c.top1), c.top2, c.top1)
    return _reference(Sums(c.n - n, c.groups - (n > 0), c.total - t, c.squares - sq,
                           c.t2 - t**2, c.tn - t * n, c.n2 - n**2, c.shared - own_shared,
                           top, c.top2), k)
