"""Each option's move between two waves (cx.results.moves): found even when the overall test
misses it, each number checked against scipy and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sp
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from cx import stats
from cx.questionnaire import questionnaire
from cx.results import Labels, moves_table, moves_text
from cx.results.moves import option_moves

ROLES = questionnaire()["role"].codes  # seven options
BEFORE = [50] * 7  # 350 respondents, 50 per role
AFTER = [80, 45, 45, 45, 45, 45, 45]  # one role up from 14% to 23%, the others down a little


def _trend_table(before, after) -> pd.DataFrame:
    rows = []
    for wave, counts in ((2025, before), (2026, after)):
        n = sum(counts)
        rows += [{"wave": wave, "series": code, "value": c / n, "low": 0.0, "high": 1.0, "n": n}
                 for code, c in zip(ROLES, counts)]
    return pd.DataFrame(rows)


def test_an_option_that_moved_is_found_though_the_overall_test_misses_it():
    overall = stats.contingency_test(np.array([BEFORE, AFTER]).T)
    assert not overall.significant and overall.p == pytest.approx(0.2036, abs=1e-4)
    moves = option_moves(_trend_table(BEFORE, AFTER)).set_index("series")
    raw = [sp.chi2_contingency([[b, 350 - b], [a, 350 - a]], correction=False).pvalue
           for b, a in zip(BEFORE, AFTER)]
    holm = multipletests(raw, method="holm")[1]
    assert moves["p_holm"].to_numpy() == pytest.approx(holm)
    assert moves["significant"].tolist() == [True] + [False] * 6
    first = moves.loc[ROLES[0]]
    assert (first["before"], first["after"], first["change"]) == pytest.approx(
        (50 / 350, 80 / 350, 30 / 350))
    low, high = confint_proportions_2indep(80, 350, 50, 350, method="newcomb",
                                           alpha=0.05 / 7)
    assert (first["low"], first["high"]) == pytest.approx((low, high), abs=1e-6)
    # Cramér's V of a 2×2 is |φ| = |ad − bc| / √(row and column totals)
    a, b, c, d = 50, 300, 80, 270
    phi = abs(a * d - b * c) / math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    assert first["v"] == pytest.approx(phi) and first["magnitude"] == "small"


@pytest.mark.parametrize(("lang", "words"), [
    ("it", ("Risposta per risposta", "anche se nel complesso", "dopo Holm")),
    ("en", ("Answer by answer", "although the overall", "after Holm"))])
def test_the_move_is_said_with_its_size_and_interval(lang, words):
    moves = option_moves(_trend_table(BEFORE, AFTER))
    labels = Labels(questionnaire()["role"], questionnaire(), lang, "wave")
    overall = stats.contingency_test(np.array([BEFORE, AFTER]).T)
    text = moves_text(moves, overall, labels)
    assert all(w in text for w in words)
    assert labels.label(ROLES[0]) in text and labels.label(ROLES[1]) not in text
    assert "14% → 23%" in text and ("+8,6" if lang == "it" else "+8.6") in text
    assert ("V = 0,11, piccola" if lang == "it" else "V = 0.11, small") in text
    table = moves_table(moves, labels, (2025, 2026))
    assert list(table.index) == [labels.label(c) for c in ROLES]
    assert table.iloc[0, -1] == ("sì" if lang == "it" else "yes")


def test_nothing_is_said_when_no_option_moved():
    moves = option_moves(_trend_table(BEFORE, BEFORE))
    labels = Labels(questionnaire()["role"], questionnaire(), "it", "wave")
    assert not moves["significant"].any()
    assert moves_text(moves, stats.contingency_test(np.array([BEFORE, BEFORE]).T), labels) == ""
