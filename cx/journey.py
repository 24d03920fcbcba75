"""Customer Journey: how far the journey practices have spread (an adoption funnel), which
touchpoints each sector manages, the stages the maps cover, the indicators in use, Big Data,
omnichannel integration, and the gap between drawing the ideal journey and checking it in the
field. Pure: built on answer counts and on `cx.results`."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cx import effects, fmt, results, scoring
from cx.i18n import t
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire
from cx.results import Breakdown, Summary
from cx.view import View

# A practice counts as adopted with these answers: the map drawn (partly or fully), checks in
# the field and training at least every six months, gaps turned into plans systematically.
FUNNEL = (
    ("cj_ideal_map", ("partial", "complete")),
    ("cj_real_checks", ("half_yearly", "quarterly")),
    ("cj_training", ("half_yearly", "quarterly")),
    ("improvement_plans", ("systematic",)),
)
FUNNEL_COLUMNS = tuple(qid for qid, _ in FUNNEL)
BY_SECTOR = ("touchpoints", "omnichannel")
OVERALL = ("journey_stages", "cx_indicators", "big_data")


@dataclass(frozen=True)
class Gap:
    """Drawing the ideal journey versus checking it in the field (shares in %, with CIs)."""

    draws: scoring.Aggregate  # draw the ideal map
    checks: scoring.Aggregate  # draw it and check it in the field
    gap: scoring.Aggregate  # draw it but do not check it: draws − checks
    unchecked: float  # of those who draw it, % who do not check it


@dataclass(frozen=True)
class Journey:
    """Everything the Customer Journey page shows, for one filter."""

    respondents: int
    k: int
    funnel: pd.DataFrame  # step, alone, together, count_alone, count_together, n
    gap: Gap | None
    summaries: dict[str, Summary]  # journey_stages, cx_indicators, big_data
    by_sector: dict[str, Breakdown]  # touchpoints, omnichannel
    indicators_lead: effects.Standing | None = None  # the most used indicators, tested

    @property
    def suppressed(self) -> bool:
        return self.respondents < self.k


def _adopted(frame: pd.DataFrame) -> list[NDArray[np.bool_]]:
    return [frame[qid].isin(codes).to_numpy() for qid, codes in FUNNEL]


def funnel(counts: pd.DataFrame, k: int) -> pd.DataFrame:
    """Share of respondents (who answered all four practices) with each practice on its own
    (`alone`) and together with every practice before it (`together`)."""
    frame = counts.dropna(subset=list(FUNNEL_COLUMNS))
    n = int(frame["n"].sum())
    if n < k:
        return pd.DataFrame()
    weights = frame["n"].to_numpy()
    rows, together = [], None
    for (qid, _), adopted in zip(FUNNEL, _adopted(frame)):
        together = adopted if together is None else together & adopted
        alone_n, together_n = int(weights[adopted].sum()), int(weights[together].sum())
        rows.append({"step": qid, "alone": alone_n / n, "together": together_n / n,
                     "count_alone": alone_n, "count_together": together_n, "n": n})
    return pd.DataFrame(rows)


def gap(steps: pd.DataFrame) -> Gap | None:
    """The ideal-versus-real gap from the first two funnel steps (Wilson CIs)."""
    if steps.empty:
        return None
    first, second = steps.iloc[0], steps.iloc[1]
    n = int(first["n"])

    def share(count: int) -> scoring.Aggregate:
        low, high = scoring.wilson(count, n)
        return scoring.Aggregate(count / n * 100, n, low, high)

    drawn, checked = int(first["count_together"]), int(second["count_together"])
    unchecked = (drawn - checked) / drawn * 100 if drawn else 0.0
    return Gap(share(drawn), share(checked), share(drawn - checked), unchecked)


def gap_sentence(g: Gap, lang: str) -> str:
    """The gap in one sentence, with its numbers."""
    return t("journey.gap_sentence", lang,
             draws=fmt.percent_with_article(g.draws.value, lang, capital=True),
             checks=fmt.percent_with_article(g.checks.value, lang),
             gap=fmt.number(g.gap.value, lang), ci=fmt.interval(g.gap.low, g.gap.high, lang),
             unchecked=fmt.percent_with_article(g.unchecked, lang), n=fmt.number(g.draws.n, lang))


def funnel_labelled(steps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The funnel with each step named (`label`) in `lang`, as it is charted."""
    if steps.empty:
        return steps
    labels = [t(f"journey.step_{qid}", lang) for qid in steps["step"]]
    return steps.assign(label=labels)[["step", "label", *steps.columns.drop("step")]]


def compute_journey(tallies: dict[tuple[str, ...], pd.DataFrame], qn: Questionnaire,
                    rules: View, by_sector: bool = True) -> Journey:
    """The page from its tallies: keys FUNNEL_COLUMNS, (q,) for OVERALL, (q, 'sector').
    `by_sector=False`: the comparisons by industry are withheld (a published view filtered on
    another dimension would cross it with industry, cx.privacy)."""
    steps = tallies[FUNNEL_COLUMNS]
    respondents, k = int(steps["n"].sum()), rules.k
    if respondents < k:
        return Journey(respondents, k, pd.DataFrame(), None, {}, {})
    steps_table = funnel(steps, k)
    summaries = {qid: results.summarise(qn[qid], tallies[(qid,)], rules) for qid in OVERALL}
    stages = summaries["journey_stages"]
    if not stages.table.empty:  # the stages in the journey's own order, not by frequency
        order = {code: i for i, code in enumerate(qn["journey_stages"].codes)}
        table = stages.table.sort_values("code", key=lambda c: c.map(order), ignore_index=True)
        summaries["journey_stages"] = replace(stages, table=table)
    sectors = {qid: results.break_down(qn[qid], tallies[(qid, "sector")], "sector", qn, rules)
               if by_sector else Breakdown("sector", "single", None, None, "crossed", k)
               for qid in BY_SECTOR}
    lead = (None if summaries["cx_indicators"].suppressed
            else option_standing(qn["cx_indicators"], tallies[("cx_indicators",)]))
    return Journey(respondents, k, steps_table, gap(steps_table), summaries, sectors, lead)


def option_standing(q: Question, counts: pd.DataFrame) -> effects.Standing | None:
    """Which options of a multiple-choice question most respondents choose, and which are tied
    with them: each respondent chose an option or not, so options are compared in pairs over
    the same respondents (paired t-tests on the 0/1 choices, Holm-corrected). Options that
    exclude the others ('none') are left out."""
    frame = results.answered(counts, q.id)
    chosen = frame[q.id].astype(str).str.split(MULTI_SEPARATOR)
    n = frame["n"].to_numpy(dtype=int)
    codes = [c for c in q.codes if c not in q.exclusive]
    flags = pd.DataFrame({c: np.repeat([float(c in answer) for answer in chosen], n)
                          for c in codes})
    return effects.standing(flags, codes)


def tally_keys() -> list[tuple[str, ...]]:
    """The answer counts the page needs (one DuckDB aggregate each)."""
    return [FUNNEL_COLUMNS, *[(q,) for q in OVERALL], *[(q, "sector") for q in BY_SECTOR]]
