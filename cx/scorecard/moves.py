"""How a company moved since its previous wave: each of its numbers in the latest wave of the
selection against the last earlier wave it answered, with a 95% interval, or «non
confrontabile» where a question behind the number was asked differently. Pure.

* Change: mean in the later wave − mean in the earlier one. The two waves' respondents are
  different answers (often different people): variance σ²_w·(1/m₁ + 1/m₂), σ²_w the Club's
  pooled within-company variance (`cx.scorecard.peers.within`), Student's t on its N − G
  degrees of freedom. The Happy Index rests on declared values: it is not followed here.
* Comparable: every question behind the number kept its wording (Italian and English), its
  type and range, and its scored options between the two waves (`wave_questions`
  signatures). An option added or dropped that scores 0 leaves a score as it was (the 2027
  marketing touchpoints, «Altro» among the indicators: the maturity index keeps its meaning);
  any other change of options makes the number «non confrontabile».
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from cx.effects import NAN_INTERVAL, Interval
from cx.questionnaire import PILLARS, PYRAMID_LEVELS, Question, Questionnaire
from cx.scorecard.peers import RESPONDENT_MEASURES, clipped, respondent_values


@dataclass(frozen=True)
class Move:
    """One number of the company from `before` to `after` (waves)."""

    measure: str
    before: float
    after: float
    n_before: int
    n_after: int
    change: Interval
    p: float
    changed: tuple[str, ...] = ()  # questions asked differently: «non confrontabile»

    @property
    def comparable(self) -> bool:
        return not self.changed


@dataclass(frozen=True)
class Moves:
    """The company's previous and latest wave and each number's move."""

    before: int
    after: int
    moves: tuple[Move, ...]

    def of(self, measure: str) -> Move | None:
        return next((m for m in self.moves if m.measure == measure), None)


def measure_questions(measure: str, qn: Questionnaire) -> tuple[Question, ...]:
    """The questions a number is made of."""
    if measure == "maturity_index":
        return qn.practices
    for level in PYRAMID_LEVELS:
        if measure == f"pyramid_{level}":
            return qn.pyramid_items(level)
    for pillar in PILLARS:
        if measure == f"pillar_{pillar}":
            return qn.pillar_items(pillar)
    return (qn[measure],)


def _scored(q: Question, code: str) -> bool:
    return any(o.code == code and (o.score or 0.0) != 0.0 for o in q.options)


def asked_alike(q: Question, before: str, after: str) -> bool:
    """Whether two signatures of `q` ask it alike for its score (see the module docstring)."""
    a, b = json.loads(before), json.loads(after)
    if any(a.get(key) != b.get(key) for key in ("it", "en", "type", "min", "max")):
        return False
    first = {str(o[0]): o for o in a.get("options", [])}
    second = {str(o[0]): o for o in b.get("options", [])}
    if any(first[c] != second[c] for c in first.keys() & second.keys()):
        return False
    return not any(_scored(q, c) for c in first.keys() ^ second.keys())


Signatures = dict[tuple[str, int], str]  # (question, wave) → signature


def signature_map(signatures: pd.DataFrame, waves: tuple[int, ...]) -> Signatures:
    """The `wave_questions` rows of `waves` as a lookup."""
    rows = signatures[signatures["wave"].isin(waves)]
    return {(str(q), int(w)): str(s) for q, w, s in
            zip(rows["question_id"], rows["wave"], rows["signature"])}


def changed_questions(measure: str, signatures: Signatures, before: int, after: int,
                      qn: Questionnaire) -> tuple[str, ...]:
    """The questions behind `measure` asked differently in the two waves."""
    out = []
    for q in measure_questions(measure, qn):
        first, second = signatures.get((q.id, before)), signatures.get((q.id, after))
        if first is not None and second is not None and first != second \
                and not asked_alike(q, first, second):
            out.append(q.id)
    return tuple(out)


def change(after: np.ndarray, before: np.ndarray, var_w: float, df_w: float
           ) -> tuple[Interval, float]:
    """mean(after) − mean(before) with its 95% t interval on σ²_w·(1/m₁ + 1/m₂)."""
    m1, m0 = len(after), len(before)
    if m1 == 0 or m0 == 0 or not var_w > 0 or not df_w >= 1:
        return NAN_INTERVAL, math.nan
    diff = float(after.mean() - before.mean())
    se = math.sqrt(var_w * (1 / m1 + 1 / m0))
    half = float(sps.t.ppf(0.975, df_w)) * se
    return Interval(diff, diff - half, diff + half), float(2 * sps.t.sf(abs(diff / se), df_w))


def moves(history: pd.DataFrame, latest: int, signatures: pd.DataFrame, qn: Questionnaire,
          spread: dict[str, tuple[float, float]],
          values: pd.DataFrame | None = None) -> Moves | None:
    """The company's moves from its last wave before `latest` to `latest` (None when it
    answered no earlier wave); `history`: its answers in every wave (`values`: their
    `respondent_values`, when already computed); `spread`: per measure, σ²_w and its degrees
    of freedom."""
    waves = sorted(int(w) for w in history["wave"].dropna().unique())
    earlier = [w for w in waves if w < latest]
    if latest not in waves or not earlier:
        return None
    before = earlier[-1]
    values = respondent_values(history, qn) if values is None else values
    asked = signature_map(signatures, (before, latest))
    wave = history["wave"].astype(int).to_numpy()
    out = []
    for measure in RESPONDENT_MEASURES:
        column = values[measure].to_numpy(dtype=float)
        a, b = column[(wave == latest) & ~np.isnan(column)], column[(wave == before)
                                                                     & ~np.isnan(column)]
        if not len(a) or not len(b):
            continue
        interval, p = change(a, b, *spread.get(measure, (math.nan, math.nan)))
        out.append(Move(measure, float(b.mean()), float(a.mean()), len(b), len(a),
                        clipped(interval, measure), p,
                        changed_questions(measure, asked, before, latest, qn)))
    return Moves(before, latest, tuple(out))
