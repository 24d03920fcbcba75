"""Respondents nested in companies (cx.results.design): the design effect by hand, Welch's
tests on effective sizes against scipy, and the property that matters: answering twice from
the same company does not make a difference more significant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sp

from cx import stats
from cx.questionnaire import questionnaire
from cx.results import break_down
from cx.results.design import choices_deff, deff, numbers_deff
from cx.view import View

QN = questionnaire()
VIEW = View(k=5, comment_k=8)


def test_deff_by_hand():
    # two companies of two respondents with the same residual: (1 + 1)² + (−1 − 1)² over 4
    assert deff(np.array([1.0, 1.0, -1.0, -1.0]), np.ones(4), np.array(["A", "A", "B", "B"])) == 2
    # a tally row of two respondents counts twice, inside its company
    assert deff(np.array([1.0, -1.0]), np.array([2.0, 2.0]), np.array(["A", "B"])) == 2
    # one respondent per company: independent
    assert deff(np.array([1.0, -1.0, 2.0]), np.ones(3), np.array(["A", "B", "C"])) == 1
    # colleagues who disagree would make it smaller than 1: never taken below 1
    assert deff(np.array([1.0, -1.0]), np.ones(2), np.array(["A", "A"])) == 1
    assert deff(np.zeros(3), np.ones(3), np.array(["A", "A", "B"])) == 1


def test_residuals_are_taken_within_groups():
    """A company-level difference between groups is the effect tested, not a clustering: two
    groups whose members all answer their group's value have no within-group variance."""
    values, groups = np.array([1.0, 1.0, 5.0, 5.0]), np.array(["x", "x", "y", "y"])
    assert numbers_deff(values, np.ones(4), groups, np.array(["A", "A", "B", "B"])) == 1
    flags = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    assert choices_deff(flags, np.ones(4), groups, np.array(["A", "A", "B", "B"])) == 1


@pytest.mark.parametrize("k", [2, 4])
def test_welch_from_summaries_is_scipys(k):
    rng = np.random.default_rng(k)
    groups = [rng.normal(3 + i * 0.2, 1 + i * 0.1, 30 + 5 * i) for i in range(k)]
    mine = stats.welch_summary([stats.Sample(len(g), g.mean(), g.var(ddof=1)) for g in groups])
    theirs = (sp.ttest_ind(*groups, equal_var=False) if k == 2
              else sp.f_oneway(*groups, equal_var=False))
    assert abs(mine.statistic) == pytest.approx(abs(theirs.statistic))
    assert mine.p == pytest.approx(theirs.pvalue)


def _tally(qid: str, values, sectors, n: int) -> pd.DataFrame:
    """One company per answer; `n` respondents each, answering alike."""
    return pd.DataFrame({qid: values, "sector": sectors,
                         "company": [f"c{i}" for i in range(len(values))], "n": n})


def test_answering_twice_from_one_company_does_not_add_evidence_for_a_choice():
    rng = np.random.default_rng(3)
    sectors = np.repeat(["retail", "finance"], 60)
    answers = np.where(rng.random(120) < np.where(sectors == "retail", 0.55, 0.4),
                       "complete", "none")
    q = QN["cj_ideal_map"]
    once = break_down(q, _tally(q.id, answers, sectors, 1), "sector", QN, VIEW).comparison
    twice = break_down(q, _tally(q.id, answers, sectors, 2), "sector", QN, VIEW).comparison
    naive = break_down(q, _tally(q.id, answers, sectors, 2).drop(columns="company"), "sector",
                       QN, VIEW).comparison
    assert once.deff == 1 and twice.deff == pytest.approx(2)
    assert twice.test.statistic == pytest.approx(once.test.statistic)  # X² / δ̄ (Rao–Scott)
    assert naive.test.statistic == pytest.approx(2 * once.test.statistic)  # what it corrects
    gap = (twice.effect.gap.interval.low, twice.effect.gap.interval.high)
    assert gap == pytest.approx((once.effect.gap.interval.low, once.effect.gap.interval.high))


def test_answering_twice_from_one_company_does_not_add_evidence_for_a_mean():
    rng = np.random.default_rng(5)
    sectors = np.repeat(["retail", "finance", "utilities"], 40)
    ces = np.clip(np.rint(rng.normal(np.repeat([4.0, 4.4, 4.2], 40), 1.2)), 1, 7)
    q = QN["club_ces"]
    once = break_down(q, _tally(q.id, ces, sectors, 1), "sector", QN, VIEW).comparison
    twice = break_down(q, _tally(q.id, ces, sectors, 2), "sector", QN, VIEW).comparison
    assert twice.deff == pytest.approx(2)
    # the same evidence, up to the variances' n − 1 (2n − 1 with every answer doubled)
    assert twice.test.statistic == pytest.approx(once.test.statistic, rel=0.03)
    assert twice.test.p == pytest.approx(once.test.p, rel=0.1)
    means = twice.means.set_index("group")
    plain = once.means.set_index("group")
    widths = (means["high"] - means["low"]) / (plain["high"] - plain["low"])
    assert widths.to_numpy() == pytest.approx(1.0, abs=0.03)  # √2 wider than 2n would give
