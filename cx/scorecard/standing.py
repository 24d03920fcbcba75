"""Where a company stands: each of its numbers against the rest of its sector and the rest of
the Club (its own respondents left out of the reference), its maturity's percentile among the
companies, and each practice beside the share of the other companies that have it. Pure.

* Difference: company mean − reference mean. Its variance adds the reference mean's
  company-clustered variance (`cx.scorecard.peers.reference`) and the company's own,
  σ²_w / m: σ²_w is the pooled within-company variance of the Club's respondents (how much two
  respondents of one company differ), m the company's respondents. One respondent cannot
  measure its own spread, two hardly: the pooled σ²_w serves any m, one included. Student's t
  with Welch–Satterthwaite's degrees of freedom (N − G for σ²_w, G − 1 for the reference).
  The Happy Index is the company's own figure (from its declared indicators): only the
  reference's uncertainty counts.
* «Sopra» / «sotto» only where the difference holds after Holm's correction across the
  numbers compared with the same reference (so its 95% interval excludes 0); else «in linea».
* A reference needs k companies and k respondents besides the company; a percentile k
  companies with a value, the company included (mid-rank: ties count half); a practice's
  share k other companies that answered it.
* A company has a practice when its mean practice score is at least half the scale
  (`ADOPTED`): a partial or complete journey map, checks and training at least every six
  months, Buyer Personas, two indicators, operational Big Data, half the touchpoints and
  stages, improvement plans at least sometimes, a dedicated person, integration 3 of 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from cx import intervals, stats
from cx.effects import NAN_INTERVAL, Interval
from cx.questionnaire import Questionnaire
from cx.scorecard.peers import (
    HAPPY,
    MEASURES,
    Moments,
    Reference,
    clipped,
    company_happy,
    practice_key,
    respondent_values,
    without,
)

ADOPTED = 0.5
SECTOR, CLUB = "sector", "club"
Side = Literal["above", "below", "in_line", "untested"]


@dataclass(frozen=True)
class Own:
    """The company's own numbers: mean and respondents per measure and practice."""

    mean: dict[str, float]
    n: dict[str, int]


def own_values(answers: pd.DataFrame, qn: Questionnaire,
               values: pd.DataFrame | None = None) -> Own:
    """The company's means from its respondents' answers (its Happy Index from its KPI means);
    `values`: their `respondent_values`, when already computed."""
    values = respondent_values(answers, qn) if values is None else values
    mean = {c: float(values[c].mean()) if values[c].notna().any() else math.nan
            for c in values.columns}
    n = {c: int(values[c].notna().sum()) for c in values.columns}
    kpis = pd.DataFrame([{c: mean[c] for c in ("kpi_nps", "kpi_csat", "kpi_ces", "kpi_csi")}])
    mean[HAPPY] = float(company_happy(kpis)[0])
    n[HAPPY] = 0 if math.isnan(mean[HAPPY]) else 1
    return Own(mean, n)


@dataclass(frozen=True)
class Versus:
    """One number of the company against one reference (the rest of its sector or Club)."""

    measure: str
    scope: str  # sector | club
    company: float
    company_n: int
    reference: float  # NaN when withheld (under k)
    reference_n: int
    companies: int
    difference: Interval
    p: float
    p_holm: float = math.nan

    @property
    def shown(self) -> bool:
        return not math.isnan(self.reference)

    @property
    def side(self) -> Side:
        if math.isnan(self.p_holm) or math.isnan(self.difference.estimate):
            return "untested"
        if self.p_holm >= stats.ALPHA:
            return "in_line"
        return "above" if self.difference.estimate > 0 else "below"


def difference(own: float, m: int, ref_mean: float, ref_var: float, groups: float,
               own_var: float, own_df: float) -> tuple[Interval, float]:
    """own − ref_mean with its 95% t interval and two-sided p (see the module docstring);
    `own_var` is σ²_w (0 for a company's own figure)."""
    a = own_var / m if m > 0 else math.nan
    b = ref_var
    se2 = a + b
    if not (se2 > 0) or groups < 2 or math.isnan(own):
        return NAN_INTERVAL, math.nan
    parts = (a**2 / own_df if a > 0 else 0.0) + b**2 / (groups - 1)
    df = se2**2 / parts
    se = math.sqrt(se2)
    diff = own - ref_mean
    half = float(sps.t.ppf(0.975, df)) * se
    p = float(2 * sps.t.sf(abs(diff / se), df))
    return Interval(diff, diff - half, diff + half), p


def _versus(own: Own, m: Moments, ref: Reference, scope: str, k: int) -> list[Versus]:
    spread = m.within
    rows = []
    for measure in MEASURES:
        j = m.col(measure)
        n_ref, groups = int(ref.n[j]), int(ref.companies[j])
        value, n_own = own.mean[measure], own.n[measure]
        if groups < k or n_ref < k:
            rows.append(Versus(measure, scope, value, n_own, math.nan, n_ref, groups,
                               NAN_INTERVAL, math.nan))
            continue
        own_var, own_df = (0.0, 1.0) if measure == HAPPY else (spread[0][j], spread[1][j])
        if math.isnan(own_var):  # no company with two answers: a respondent's whole spread
            own_var, own_df = ref.variance[j] * ref.n[j], max(ref.n[j] - 1, 1.0)
        interval, p = difference(value, n_own, float(ref.mean[j]), float(ref.variance[j]),
                                 float(groups), float(own_var), float(own_df))
        rows.append(Versus(measure, scope, value, n_own, float(ref.mean[j]), n_ref, groups,
                           clipped(interval, measure), p))
    return _holm(rows)


def _holm(rows: list[Versus]) -> list[Versus]:
    tested = [i for i, r in enumerate(rows) if not math.isnan(r.p)]
    adjusted = stats.holm([rows[i].p for i in tested]) if tested else np.array([])
    out = list(rows)
    for i, p in zip(tested, adjusted):
        r = rows[i]
        out[i] = Versus(r.measure, r.scope, r.company, r.company_n, r.reference, r.reference_n,
                        r.companies, r.difference, r.p, float(p))
    return out


def versus(own: Own, m: Moments, company: str, sector: str | None, k: int
           ) -> tuple[Versus, ...]:
    """Every number against the rest of the sector (when the company has one) and the rest of
    the Club."""
    rows = []
    if sector is not None:
        rows += _versus(own, m, without(m, company, sector, k), SECTOR, k)
    rows += _versus(own, m, without(m, company, None, k), CLUB, k)
    return tuple(rows)


@dataclass(frozen=True)
class Percentile:
    """The company's mid-rank percentile among the companies of a scope (itself included)."""

    scope: str
    value: float | None  # None under k companies
    companies: int


def _own_row(m: Moments, company: str, sector: str | None) -> int | None:
    """The company's row when it is among the rows of the scope (to leave it out)."""
    at = m.rows.get(company)
    return at if at is not None and (sector is None or m.sectors[at] == sector) else None


def percentiles(own: Own, m: Moments, company: str, sector: str | None, k: int,
                measure: str = "maturity_index") -> tuple[Percentile, ...]:
    """Its percentile in its sector and in the Club on `measure` (company means): the other
    companies' means counted below and equal to its own, itself added as one equal."""
    value = own.mean[measure]
    j = m.col(measure)
    out = []
    for scope, rows in ([(SECTOR, sector)] if sector is not None else []) + [(CLUB, None)]:
        peers = m.mean[m.others(company, rows), j]
        below, equal, count = (int((peers < value).sum()), int((peers == value).sum()),
                               int((~np.isnan(peers)).sum()))
        at = _own_row(m, company, rows)
        if at is not None and not math.isnan(m.mean[at, j]):
            mine = m.mean[at, j]
            below, equal, count = below - int(mine < value), equal - int(mine == value), count - 1
        count += 1
        shown = count >= k and not math.isnan(value)
        out.append(Percentile(scope, (below + (equal + 1) / 2) / count * 100 if shown else None,
                              count))
    return tuple(out)


@dataclass(frozen=True)
class PracticeShare:
    """Whether the company has a practice and the share of other companies that have it."""

    question: str
    score: float  # the company's mean practice score, 0–1 (NaN when not answered)
    sector: tuple[float, float, float, int] | None  # share %, low, high, companies; None < k
    club: tuple[float, float, float, int] | None

    @property
    def has(self) -> bool | None:
        return None if math.isnan(self.score) else self.score >= ADOPTED


def _shares(m: Moments, company: str, sector: str | None, columns: list[int], k: int
            ) -> list[tuple[float, float, float, int] | None]:
    """Per practice column: the share of the other companies of the scope that have it."""
    scores = m.mean[m.others(company, sector)][:, columns] if sector is not None \
        else m.mean[:, columns]
    answered = (~np.isnan(scores)).sum(axis=0)
    have = (scores >= ADOPTED - 1e-9).sum(axis=0)
    at = _own_row(m, company, sector)
    if at is not None:
        mine = m.mean[at, columns]
        answered = answered - ~np.isnan(mine)
        have = have - (mine >= ADOPTED - 1e-9)
    out: list[tuple[float, float, float, int] | None] = []
    for x, n in zip(have.tolist(), answered.tolist()):
        if n < k:
            out.append(None)
            continue
        low, high = intervals.wilson(float(x), float(n))
        out.append((x / n * 100, low, high, int(n)))
    return out


def practice_shares(own: Own, m: Moments, company: str, sector: str | None, k: int,
                    qn: Questionnaire) -> tuple[PracticeShare, ...]:
    """Each practice: the company's score and the share of the other companies (sector,
    Club) that have it, with Wilson's interval over companies."""
    columns = [m.col(practice_key(q.id)) for q in qn.practices]
    club = _shares(m, company, None, columns, k)
    in_sector = _shares(m, company, sector, columns, k) if sector is not None \
        else [None] * len(columns)
    return tuple(PracticeShare(q.id, own.mean[practice_key(q.id)], s, c)
                 for q, s, c in zip(qn.practices, in_sector, club))
