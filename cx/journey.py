"""Customer Journey: how far the journey practices have spread (an adoption funnel), which
touchpoints each sector manages, the stages the maps cover, the indicators in use, Big Data,
omnichannel integration, and the gap between drawing the ideal journey and checking it in the
field. Pure: built on answer counts and on `cx.results`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from cx import fmt, results, scoring, standing, touchpoints
from cx.i18n import t
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire, questionnaire
from cx.results import Breakdown, Summary
from cx.score_columns import CHOICE_FLAGS
from cx.view import View

# A practice counts as adopted with these answers: the map drawn (partly or fully), checks in
# the field and training at least every six months, gaps turned into plans systematically. The
# first two are the stored flags Panoramica counts (one definition of «Journey ideale»).
FUNNEL = (
    CHOICE_FLAGS["has_journey_map"],
    CHOICE_FLAGS["checks_real_journey"],
    ("cj_training", ("half_yearly", "quarterly")),
    ("improvement_plans", ("systematic",)),
)
FUNNEL_COLUMNS = tuple(qid for qid, _ in FUNNEL)
FUNNEL_KEY = (*FUNNEL_COLUMNS, "company")  # by company: the intervals are clustered
BY_SECTOR = ("touchpoints", "omnichannel")
OVERALL = ("journey_stages", "cx_indicators", "big_data", "touchpoints", "listening")
LEADS = ("cx_indicators", "touchpoints", "listening")  # checklists whose lead is tested


@dataclass(frozen=True)
class Gap:
    """Drawing the ideal journey versus checking it in the field: shares in % with their
    company-clustered Wilson intervals, each over its own base (its n)."""

    draws: scoring.Aggregate  # draw the ideal map, of those who answered (Panoramica's figure)
    checks: scoring.Aggregate  # draw it and check it, of those who answered both questions
    unchecked: scoring.Aggregate  # of those who draw it (and answered on checks): do not check


@dataclass(frozen=True)
class Journey:
    """Everything the Customer Journey page shows, for one filter."""

    respondents: int
    k: int
    funnel: pd.DataFrame  # step, alone, together, count_alone, count_together, n_alone, n
    gap: Gap | None
    summaries: dict[str, Summary]  # journey_stages, cx_indicators, big_data
    by_sector: dict[str, Breakdown]  # touchpoints, omnichannel
    indicators_lead: standing.Standing | None = None  # the most used indicators, tested
    # the real journey per touchpoint and per family (questionnaire 2027, cx.touchpoints)
    real: pd.DataFrame = field(default_factory=pd.DataFrame)
    families: pd.DataFrame = field(default_factory=pd.DataFrame)
    leads: dict[str, standing.Standing | None] = field(default_factory=dict)  # of LEADS

    @property
    def suppressed(self) -> bool:
        return self.respondents < self.k


def respondents_of(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent from answer counts (column `n`)."""
    return counts.loc[counts.index.repeat(counts["n"])].drop(columns="n").reset_index(drop=True)


def funnel(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per practice (one row per respondent in `frame`): the share with it among those who
    answered it (`alone`, base `n_alone`: the first step is Panoramica's «Journey ideale»), and
    the share with it and every practice before it among those who answered them all
    (`together`, base `n`). Empty when a base is under k."""
    rows, answered, together = [], None, None
    for qid, codes in FUNNEL:
        asked = frame[qid].notna().to_numpy()
        adopted = frame[qid].isin(codes).to_numpy()
        answered = asked if answered is None else answered & asked
        together = adopted if together is None else together & adopted
        n_alone, n = int(asked.sum()), int(answered.sum())
        if n < k:
            return pd.DataFrame()
        count_alone, count_together = int(adopted.sum()), int(together.sum())
        rows.append({"step": qid, "alone": count_alone / n_alone, "together": count_together / n,
                     "count_alone": count_alone, "count_together": count_together,
                     "n_alone": n_alone, "n": n})
    return pd.DataFrame(rows)


def gap(frame: pd.DataFrame, k: int) -> Gap:
    """The ideal-versus-real gap from the first two practices (one row per respondent)."""
    (drawn_q, drawn_codes), (checked_q, checked_codes) = FUNNEL[:2]
    answered, both = frame[drawn_q].notna(), frame[[drawn_q, checked_q]].notna().all(axis=1)
    draws, checks = frame[drawn_q].isin(drawn_codes), frame[checked_q].isin(checked_codes)
    companies = scoring.cluster_labels(frame["company"])

    def share(flags: pd.Series, base: pd.Series) -> scoring.Aggregate:
        return scoring.proportion(flags.astype(float).where(base), k, companies)

    return Gap(share(draws, answered), share(draws & checks, both),
               share(~checks, both & draws))


def gap_sentence(g: Gap, lang: str) -> str:
    """The gap in one sentence, each share with its base."""
    text = t("journey.gap_sentence", lang,
             draws=fmt.percent_with_article(g.draws.value, lang, capital=True),
             draws_n=fmt.number(g.draws.n, lang),
             checks=fmt.percent_with_article(g.checks.value, lang),
             checks_n=fmt.number(g.checks.n, lang))
    u = g.unchecked
    if not u.shown or u.low is None or u.high is None:
        return text
    return text + " " + t("journey.unchecked_sentence", lang,
                          unchecked=fmt.percent_with_article(u.value, lang),
                          ci=fmt.interval(u.low, u.high, lang), n=fmt.number(u.n, lang))


def funnel_subtitle(steps: pd.DataFrame, lang: str) -> str:
    """What the funnel's bars count, and their bases (one n when every practice was answered
    by the same respondents, as in published figures)."""
    first, last = int(steps["n_alone"].iloc[0]), int(steps["n"].iloc[-1])
    if first == last and steps["n_alone"].eq(first).all():
        return t("journey.funnel_subtitle_one", lang, n=fmt.number(first, lang))
    return t("journey.funnel_subtitle", lang, first=fmt.number(first, lang),
             last=fmt.number(last, lang))


def funnel_labelled(steps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The funnel with each step named (`label`) in `lang`, as it is charted."""
    if steps.empty:
        return steps
    labels = [t(f"journey.step_{qid}", lang) for qid in steps["step"]]
    return steps.assign(label=labels)[["step", "label", *steps.columns.drop("step")]]


def compute_journey(tallies: Mapping[tuple[str, ...], pd.DataFrame], qn: Questionnaire,
                    rules: View, by_sector: bool = True) -> Journey:
    """The page from its tallies: keys FUNNEL_KEY, (q, 'wave') for OVERALL and
    (q, 'sector', 'company') for BY_SECTOR. `by_sector=False`: the comparisons by industry
    are withheld (a published view filtered on another dimension would cross it with
    industry, cx.privacy). Each tally is read when it is used and let go after (`tallies` may
    fetch on access): four of them have a row per respondent at a million respondents."""
    respondents, steps_table, drawn = _adoption(tallies[FUNNEL_KEY], rules.k)
    k = rules.k
    if respondents < k:
        return Journey(respondents, k, pd.DataFrame(), None, {}, {})
    overall = {qid: tallies[(qid, "wave")] for qid in OVERALL}  # a few rows each
    summaries = {qid: results.summarise(qn[qid], overall[qid], rules) for qid in OVERALL}
    stages = summaries["journey_stages"]
    if not stages.table.empty:  # the stages in the journey's own order, not by frequency
        order = {code: i for i, code in enumerate(qn["journey_stages"].codes)}
        table = stages.table.sort_values("code", key=lambda c: c.map(order), ignore_index=True)
        summaries["journey_stages"] = replace(stages, table=table)
    sectors = {qid: results.break_down(qn[qid], tallies[(qid, "sector", "company")], "sector",
                                       qn, rules)
               if by_sector else Breakdown("sector", "single", None, None, "crossed", k)
               for qid in BY_SECTOR}
    leads = {qid: None if summaries[qid].suppressed
             else option_standing(qn[qid], overall[qid]) for qid in LEADS}
    real = respondents_of(tallies[real_key(qn)])
    # pain points per touchpoint read a base no published margin checks (the users of a
    # touchpoint who answered on pain points): for analysts only, see test_touchpoints
    applied = touchpoints.application(real, qn, k, with_pains=not rules.filters.published)
    return Journey(respondents, k, steps_table, drawn, summaries, sectors,
                   leads["cx_indicators"], applied, touchpoints.by_family(real, qn, k), leads)


class Tallies(Mapping[tuple[str, ...], pd.DataFrame]):
    """Tallies fetched when read and never kept (`compute_journey` lets each go after use)."""

    def __init__(self, fetch: Callable[[tuple[str, ...]], pd.DataFrame],
                 keys: Iterable[tuple[str, ...]]) -> None:
        self._fetch, self._keys = fetch, tuple(keys)

    def __getitem__(self, key: tuple[str, ...]) -> pd.DataFrame:
        if key not in self._keys:
            raise KeyError(key)
        return self._fetch(key)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _adoption(steps: pd.DataFrame, k: int) -> tuple[int, pd.DataFrame, Gap | None]:
    """Respondents, the funnel and the gap from the FUNNEL_KEY tally (its rows per
    respondent are freed on return)."""
    respondents = int(steps["n"].sum())
    if respondents < k:
        return respondents, pd.DataFrame(), None
    frame = respondents_of(steps)
    steps_table = funnel(frame, k)
    return respondents, steps_table, None if steps_table.empty else gap(frame, k)


def real_key(qn: Questionnaire) -> tuple[str, ...]:
    """The tally the real journey is computed from (one row per combination: per respondent,
    in practice, with their company)."""
    return tuple(touchpoints.columns(qn))


def option_standing(q: Question, counts: pd.DataFrame) -> standing.Standing | None:
    """Which options of a multiple-choice question most respondents choose, and which are tied
    with them: each respondent chose an option or not, so options are compared in pairs over
    the same respondents (paired t-tests on the 0/1 choices, Holm-corrected). Options that
    exclude the others ('none') are left out."""
    frame = results.answered(counts, q.id)
    chosen = frame[q.id].astype(str).str.split(MULTI_SEPARATOR)
    n = frame["n"].to_numpy(dtype=int)
    # options offered in the waves of the tally (an option asked from a later wave is not
    # a tie at zero)
    waves = (sorted({int(w) for w in frame["wave"]}) if "wave" in frame else [None])
    offered = {o.code for w in waves for o in q.offered(w)}
    codes = [c for c in q.codes if c not in q.exclusive and c in offered]
    flags = pd.DataFrame({c: np.repeat([float(c in answer) for answer in chosen], n)
                          for c in codes})
    return standing.standing(flags, codes)


def tally_keys(qn: Questionnaire | None = None) -> list[tuple[str, ...]]:
    """The answer counts the page needs (one DuckDB aggregate each)."""
    return [FUNNEL_KEY, *[(q, "wave") for q in OVERALL],
            *[(q, "sector", "company") for q in BY_SECTOR], real_key(qn or questionnaire())]
