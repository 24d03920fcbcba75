"""Buyer Personas features: which answers the personas are built from, how each becomes numbers
(categories one-hot, checklists one 0/1 column per option, scales one number), missing answers
imputed, and how much each column weighs in the distance (every question the same). Pure: no
I/O, no Streamlit, no scikit-learn (that is `cx.personas.model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, SupportsFloat, TypeAlias, cast

import numpy as np
import pandas as pd

from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire

FEATURE_ROLES = ("sociodemographic", "behavioural")
Kind = Literal["category", "option", "scale"]
Fill: TypeAlias = str | float | None  # a missing answer's stand-in: a code, a number or none


@dataclass(frozen=True)
class Feature:
    """One column of the feature matrix."""

    question: str
    option: str | None  # the option a 0/1 column stands for; None for a number
    kind: Kind  # category: one-hot of a single choice · option: multi choice · scale: number

    @property
    def name(self) -> str:
        return self.question if self.option is None else f"{self.question}={self.option}"


def persona_questions(qn: Questionnaire) -> tuple[Question, ...]:
    """The questions the personas are built from (role sociodemographic or behavioural), as
    every wave asked them: an option added later (`since`) would split the personas by wave."""
    return tuple(q for q in qn.original().questions
                 if q.role in FEATURE_ROLES and not q.qtype.free)


def _kind(q: Question) -> Kind:
    if q.qtype.multiple:
        return "option"
    if q.qtype.single and not q.ordered:
        return "category"
    return "scale"


def persona_features(questions: tuple[Question, ...]) -> tuple[Feature, ...]:
    """Categories one-hot, multiple choice one 0/1 column per option, scales one number."""
    out: list[Feature] = []
    for q in questions:
        kind = _kind(q)
        if kind == "scale":
            out.append(Feature(q.id, None, kind))
        else:
            out.extend(Feature(q.id, code, kind) for code in q.codes)
    return tuple(out)


def _number(q: Question, value: object) -> float | None:
    """One answer as a number: ordered options by position (0, 1, …), scales by value."""
    if q.qtype.single:
        return float(q.codes.index(value)) if value in q.codes else None
    try:
        number = float(cast(SupportsFloat, value))  # any answer: what float() refuses is caught
    except (TypeError, ValueError):
        return None
    low, high = q.bounds or (-np.inf, np.inf)
    return number if low <= number <= high else None


def _column_numbers(q: Question, values: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = [_number(q, u) for u in uniques] + [None]
    return np.asarray([np.nan if v is None else v for v in table], dtype=float)[codes]


def learn_fill(answers: pd.DataFrame, questions: tuple[Question, ...]) -> dict[str, Fill]:
    """The value that replaces a missing answer, per question.

    Single choice: the most common answer. Ordered scales and numbers: the median. Multiple
    choice: nothing (an unanswered checklist counts as no option ticked).
    """
    fill: dict[str, Fill] = {}
    for q in questions:
        kind = _kind(q)
        values = answers[q.id] if q.id in answers else pd.Series(dtype="string")
        if kind == "category":
            counts = values.astype("string").value_counts().reindex(list(q.codes), fill_value=0)
            fill[q.id] = str(counts.idxmax()) if counts.max() > 0 else None
        elif kind == "scale":
            median = pd.Series(_column_numbers(q, values)).median()
            fill[q.id] = float(median) if pd.notna(median) else 0.0
        else:
            fill[q.id] = None
    return fill


def _encode_value(q: Question, value: object, fill: Fill) -> list[float]:
    """The feature row of one distinct answer (a missing or unknown answer takes `fill`)."""
    kind = _kind(q)
    if kind == "scale":
        number = _number(q, value)
        assert fill is not None  # learn_fill gives every scale a number
        return [number if number is not None else float(fill)]
    if kind == "category":
        chosen = value if value in q.codes else fill
        return [1.0 if c == chosen else 0.0 for c in q.codes]
    ticked = set(value.split(MULTI_SEPARATOR)) if isinstance(value, str) else set()
    return [1.0 if c in ticked else 0.0 for c in q.codes]


def _block(q: Question, values: pd.Series, fill: Fill) -> np.ndarray:
    # encode each distinct answer once: at 100k rows there are only a few hundred of them
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = [_encode_value(q, u, fill) for u in uniques]
    table.append(_encode_value(q, None, fill))  # code −1 (missing) picks this last row
    return np.asarray(table, dtype=float)[codes]


def encode_answers(answers: pd.DataFrame, questions: tuple[Question, ...],
                   fill: dict[str, Fill]) -> np.ndarray:
    """The feature matrix (rows × features), missing answers imputed with `fill`."""
    blocks = []
    for q in questions:
        values = answers[q.id] if q.id in answers else pd.Series([None] * len(answers))
        blocks.append(_block(q, values.reset_index(drop=True), fill[q.id]))
    return np.hstack(blocks) if blocks else np.empty((len(answers), 0))


def column_weights(raw: np.ndarray, features: tuple[Feature, ...]) -> np.ndarray:
    """The factor of each column in the distance, so that every question carries the same
    variance (1) whatever its number of options.

    A scale is standardised. A question of 0/1 columns (a category's levels, a checklist's
    options) stays in 0/1 units and is divided by the square root of its columns' total
    variance: every disagreement on it then weighs the same, however rare the levels (a
    standardised 0/1 column would weigh 1 / (p (1 − p)): 50 times a common one for a level
    chosen by 2%). A question nobody answers differently weighs 0.
    """
    variance = raw.var(axis=0) if len(raw) else np.zeros(len(features))
    weights = np.zeros(len(features))
    questions = np.asarray([f.question for f in features])
    for question in dict.fromkeys(questions):
        block = questions == question
        total = float(variance[block].sum())
        if total > 0:
            scale = features[int(np.argmax(block))].kind == "scale"
            weights[block] = 1 / np.sqrt(variance[block] if scale else total)
    return weights
