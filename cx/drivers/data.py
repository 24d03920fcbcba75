"""What a key-driver analysis reads: the outcomes a user may pick, the sets of drivers, the
columns each needs from the responses, and the frame of one outcome and its drivers. The
loader is written here once; `cx.ui.drivers` caches it.

Drivers are scores 0–100: the pillars and the pyramid levels as stored beside each response,
each practice as its maturity score (`cx.respondent_scores.practice_score` × 100, 0 where the
questionnaire did not ask it), the parts the maturity index is built from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cx.filters import Filters
from cx.questionnaire import Questionnaire
from cx.respondent_scores import practice_score, skipped_by_rule
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.store import Store

OUTCOMES = ("club_nps", "kpi_nps", "kpi_csat", "maturity_index")
SETS = ("pillars", "pyramid", "practices")
KEYS = ("respondent_id", "wave", "company")
SEGMENT_DIMENSIONS = ("sector", "size_band")
PERSONA = "persona"
# the maturity index is a weighted mean of the practices: it is explained by construction
DEFINED = frozenset({("maturity_index", "practices")})
ANSWERED = ":answered"


@dataclass(frozen=True)
class Segment:
    """A group of respondents inside the view: a dimension and one of its groups (a published
    group for visitors, a persona's number as text); `whole` is the view itself."""

    dimension: str = ""
    group: str = ""

    @property
    def whole(self) -> bool:
        return not self.dimension


CLUB = Segment()


def defined_by(outcome: str, driver_set: str) -> bool:
    """Whether the outcome is computed from these drivers (nothing to estimate)."""
    return (outcome, driver_set) in DEFINED


def driver_names(driver_set: str, qn: Questionnaire) -> tuple[str, ...]:
    """The drivers of a set: score columns, or practice question ids."""
    if driver_set == "pillars":
        return PILLAR_COLUMNS
    if driver_set == "pyramid":
        return PYRAMID_COLUMNS
    return tuple(q.id for q in qn.practices)


def keys(dimension: str = "") -> tuple[str, ...]:
    """The keys an analysis split by `dimension` reads beside its numbers: the company, the
    segment's dimension, the respondent's key to match personas. Nothing more: at a million
    respondents each text column is tens of MB, read for every new analysis."""
    if dimension == PERSONA:
        return ("company", "wave", "respondent_id")
    return ("company", dimension) if dimension in SEGMENT_DIMENSIONS else ("company",)


def columns(outcome: str, driver_set: str, qn: Questionnaire, dimension: str = ""
            ) -> tuple[str, ...]:
    """The responses' columns an analysis (split by `dimension`) reads, the conditions of
    practices asked only on some answers included."""
    conditions = tuple(q.asked_if[0] for q in qn.practices if q.asked_if) \
        if driver_set == "practices" else ()
    return tuple(dict.fromkeys((*keys(dimension), outcome, *driver_names(driver_set, qn),
                                *conditions)))


def driver_frame(answers: pd.DataFrame, outcome: str, driver_set: str,
                 qn: Questionnaire) -> pd.DataFrame:
    """Keys, segments, the outcome and each driver as a 0–100 score."""
    kept = [c for c in (*KEYS, *SEGMENT_DIMENSIONS) if c in answers and c != outcome]
    out = answers[[*kept, outcome]].copy()
    out[outcome] = pd.to_numeric(out[outcome], errors="coerce").astype(float)
    if driver_set != "practices":
        for name in driver_names(driver_set, qn):
            out[name] = pd.to_numeric(answers[name], errors="coerce").astype(float)
        return out
    for q in qn.practices:
        score = practice_score(answers[q.id], q).astype(float) * 100
        out[q.id] = score.where(~skipped_by_rule(answers, q), 0.0)
        if q.asked_if is not None:  # its performance: over those asked, who answered it
            out[answered(q.id)] = score
    return out


def answered(driver: str) -> str:
    """The column of a driver's score over those who answered its question, where it differs
    from the model's (a practice not asked scores 0 in the maturity index)."""
    return f"{driver}{ANSWERED}"


def load(store: Store, outcome: str, driver_set: str, filters: Filters,
         qn: Questionnaire, dimension: str = "") -> pd.DataFrame:
    """The frame of `outcome` and its drivers over the view's respondents (the published table
    for visitors: `filters.published`), with the keys a split by `dimension` needs, in storage
    order (the analysis depends on none)."""
    answers = store.responses(columns(outcome, driver_set, qn, dimension), filters,
                              ordered=False)
    return driver_frame(answers, outcome, driver_set, qn)


def in_segment(frame: pd.DataFrame, segment: Segment) -> pd.DataFrame:
    """The rows of one segment (a `persona` column added beforehand for personas)."""
    if segment.whole:
        return frame
    values = frame[segment.dimension].astype("string")
    return frame[(values == segment.group).fillna(False).to_numpy(dtype=bool)]


def with_personas(frame: pd.DataFrame, keys: pd.DataFrame, labels: Sequence[object]
                  ) -> pd.DataFrame:
    """`frame` with each respondent's persona (as text, 1-based), matched on wave and
    respondent id to `keys` (the rows the personas were fitted on, in order)."""
    numbers = pd.to_numeric(pd.Series(list(labels)), errors="coerce") + 1
    named = keys[["wave", "respondent_id"]].reset_index(drop=True)
    named[PERSONA] = numbers.astype("Int64").astype("string")
    return frame.merge(named, on=["wave", "respondent_id"], how="left")
