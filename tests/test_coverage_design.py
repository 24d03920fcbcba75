"""Response rates and the weights of a filter's respondents, on member lists and totals small
enough to count by hand: companies matched by name, cells merged, margins raked."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cx.coverage.design import Unweighted, weigh
from cx.coverage.mix import Mix, companies, response_rates
from cx.filters import ALL, Filters
from cx.naming import company_key

EMPTY_TOTALS = pd.DataFrame(columns=["sector", "size_band", "members"])


def _members(rows):
    frame = pd.DataFrame(rows, columns=["company", "sector", "size_band", "region"])
    frame.insert(1, "company_key", [company_key(c) for c in frame["company"]])
    return frame


def _respondents(rows):
    return pd.DataFrame(rows, columns=["company", "sector", "size_band"])


LIST = Mix(_members([("Alfa", "retail", "small", "centro"), ("Beta", "retail", "small", None),
                     ("Xeno", "retail", "small", None), ("Ypsilon", "retail", "small", None),
                     ("Gamma", "finance", "large", None), ("Delta", "finance", "large", None),
                     ("Zeta", "finance", "large", None)]), EMPTY_TOTALS)
# Alfa twice; «BETA» as written by its respondent; Gamma answered «retail» but the list says
# finance, which wins
ANSWERS = _respondents([("Alfa", "retail", "small"), ("Alfa", "retail", "small"),
                        ("BETA", "retail", "small"), ("Gamma", "retail", "large"),
                        ("Delta", "finance", "large")])


def test_response_rate_counts_member_companies_per_sector():
    rates = response_rates(companies(ANSWERS, LIST), LIST, ALL, "sector", k=2)
    assert list(rates["sector"]) == ["retail", "finance"]
    assert list(rates["members"]) == [4, 3] and list(rates["responding"]) == [2, 2]
    assert rates["rate"].tolist() == pytest.approx([50.0, 200 / 3])
    assert rates["shown"].all()
    withheld = response_rates(companies(ANSWERS, LIST), LIST, ALL, "sector", k=3)
    assert not withheld["shown"].any()  # 2 responding companies < k = 3


def test_poststratified_weights_by_hand():
    w = weigh(ANSWERS, LIST, ALL, k=2)
    assert not isinstance(w, Unweighted)
    # retail-small: 4 members / 2 companies = 2 each, Alfa's split over its two respondents;
    # finance-large: 3 / 2 = 1.5
    assert w.weights == pytest.approx([1, 1, 2, 1.5, 1.5])
    assert (w.method, w.groups, w.companies) == ("post", 2, 4)
    assert w.deff == pytest.approx(5 * 10.5 / 49)  # n Σw² / (Σw)²
    assert w.n_effective == pytest.approx(49 / 10.5)


def test_a_cell_without_respondents_joins_its_sector_and_an_unlisted_company_counts():
    mix = Mix(pd.concat([LIST.members, _members([("Omega", "retail", "micro", None)])]),
              EMPTY_TOTALS)
    answers = pd.concat([ANSWERS, _respondents([("Nuova", "retail", "small")])])
    rates = response_rates(companies(answers, mix), mix, ALL, "sector", k=1)
    assert list(rates["responding"]) == [2, 2]  # Nuova is not a listed member
    w = weigh(answers, mix, ALL, k=2)
    assert not isinstance(w, Unweighted)
    # retail micro + small: 5 members + Nuova = 6 over 3 companies = 2 each
    assert w.weights == pytest.approx([1, 1, 2, 1.5, 1.5, 2])


def test_raking_on_typed_margins_reaches_the_hand_solution():
    totals = pd.DataFrame([("retail", None, 60), ("finance", None, 40), (None, "small", 50),
                           (None, "large", 50)], columns=["sector", "size_band", "members"])
    mix = Mix(_members([]), totals)
    answers = _respondents([("c1", "retail", "small"), ("c2", "retail", "small"),
                            ("c3", "retail", "large"), ("c4", "finance", "small"),
                            ("c5", "finance", "large")])
    w = weigh(answers, mix, ALL, k=1)
    assert not isinstance(w, Unweighted) and w.method == "rake"
    b = (1 + math.sqrt(201)) / 10  # see tests/test_weighting.py
    a_retail, a_finance = 60 / (2 + b), 40 / (1 + b)
    assert w.weights == pytest.approx([a_retail, a_retail, a_retail * b, a_finance,
                                       a_finance * b], rel=1e-8)
    assert weigh(answers, mix, Filters(regions=("centro",)), k=1) == Unweighted("region")


def test_no_mix_or_too_few_companies_weigh_nothing():
    assert weigh(ANSWERS, Mix(_members([]), EMPTY_TOTALS), ALL, k=2) == Unweighted("no_mix")
    assert weigh(ANSWERS, LIST, ALL, k=5) == Unweighted("too_few")


def test_a_filter_restricts_the_members_weighted():
    w = weigh(ANSWERS[ANSWERS["company"] == "Delta"], LIST, Filters(sectors=("finance",)), k=1)
    assert not isinstance(w, Unweighted)
    assert np.sum(w.weights) == pytest.approx(3.0)  # the three finance members


def test_an_unlisted_company_sits_in_the_cell_most_of_its_respondents_gave():
    answers = _respondents([("Nuova", "finance", "large"), ("Nuova", "retail", "small"),
                            ("Nuova", "retail", "large"), ("Alfa", "finance", "micro")])
    firms = companies(answers, LIST).set_index("company")
    assert firms.loc["Nuova", ["sector", "size_band", "m"]].tolist() == ["retail", "large", 3]
    assert not firms.loc["Nuova", "listed"]
    # a listed company sits where the list puts it, whatever its respondents said
    assert firms.loc["Alfa", ["sector", "size_band"]].tolist() == ["retail", "small"]


def test_the_rate_chart_draws_no_bar_for_a_withheld_rate_and_renders():
    from cx import charts
    from cx.charts.coverage import rate_chart
    from cx.charts.titles import Titles
    from cx.coverage.report import rate_rows

    rates = response_rates(companies(ANSWERS, LIST), LIST, ALL, "sector", k=2)
    rates.loc[1, "shown"] = False  # as if finance had fewer than k responding companies
    rows = rate_rows(rates, "sector", "it", 2)
    assert rows["text"].tolist() == ["50% (2 su 4)", "< 2"]
    assert rows["responding"].isna().tolist() == [False, True]
    chart = rate_chart(rows, Titles("Tasso di risposta per settore", "", "it"))
    data = next(iter(chart.to_dict()["datasets"].values()))
    assert data[0]["share"] == 0.5 and data[1]["share"] is None
    assert charts.to_png(chart)[:4] == b"\x89PNG"
