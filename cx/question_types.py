"""The closed set of question types, as a table: how each type's answer is written (and so
validated, recoded and stored by the importer), scored as a practice, summarised, compared
between groups, followed across waves and charted. Every layer reads these rows instead of
comparing type names, so a new type is a new row (and, if it brings a new way of being shown,
a new entry in the tables that name these ways: `cx.results`, `cx.charts.questions`).

A 0–10 scale is read as an NPS question: the row `NPS` refines `scale` (`kind_of`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cx.questionnaire import Question

# how one answer is written
ID, TEXT, CODE, CODES, LEVEL, NUMBER = "id", "text", "code", "codes", "level", "number"
NPS_BOUNDS = (0.0, 10.0)


@dataclass(frozen=True)
class QuestionType:
    name: str
    # id | text (kept as given) | code (one option) | codes (several options) | level (an
    # option that is its position on an agreement scale, 1..n) | number
    answer: str
    integer: bool = False  # numbers are whole unless the questionnaire says otherwise
    # a rating: a number below its scale may be a tool's "not applicable", and a cell such as
    # "10 - Extremely likely" is read by its leading number
    rating: bool = False
    summary: str = ""  # how its answers are summarised (cx.results): choice, likert, scale…
    chart: str = ""  # its chart alone (cx.charts.questions)
    comparison: str = ""  # its chart between groups; "" when groups are compared in words only
    measure: str = ""  # what is followed across waves: share | mean | nps; "" not followed

    @property
    def free(self) -> bool:
        """Kept as written: never recoded, validated against options or scored."""
        return self.answer in (ID, TEXT)

    @property
    def has_options(self) -> bool:
        return self.answer in (CODE, CODES, LEVEL)

    @property
    def single(self) -> bool:
        """One option per answer, kept as its code (ordered or not)."""
        return self.answer == CODE

    @property
    def multiple(self) -> bool:
        """Several options in one answer (joined by cx.questionnaire.MULTI_SEPARATOR)."""
        return self.answer == CODES

    @property
    def positional(self) -> bool:
        """Option codes are positions 1..n, the answer is a number: Likert agreement."""
        return self.answer == LEVEL

    @property
    def numeric(self) -> bool:
        return self.answer in (LEVEL, NUMBER)

    @property
    def counted(self) -> bool:
        """Summarised as shares of options (compared with a test of counts)."""
        return self.answer in (CODE, CODES)


TYPES: dict[str, QuestionType] = {row.name: row for row in (
    QuestionType("id", ID),
    QuestionType("single", CODE, summary="choice", chart="choice", comparison="shares",
                 measure="share"),
    QuestionType("multi", CODES, summary="choice", chart="choice", comparison="heatmap",
                 measure="share"),
    QuestionType("likert", LEVEL, integer=True, summary="likert", chart="likert",
                 comparison="likert", measure="mean"),
    QuestionType("scale", NUMBER, integer=True, rating=True, summary="scale", chart="score",
                 comparison="means", measure="mean"),
    QuestionType("number", NUMBER, summary="number", chart="histogram", comparison="means",
                 measure="mean"),
    QuestionType("text", TEXT, summary="text", chart="words"),
)}
NPS = replace(TYPES["scale"], name="nps", measure="nps")


def type_of(q: Question) -> QuestionType:
    return TYPES[q.type]


def kind_of(q: Question) -> QuestionType:
    """The row that says how `q` is shown: its type's, or NPS for a 0–10 scale."""
    row = TYPES[q.type]
    return NPS if row.name == "scale" and q.bounds == NPS_BOUNDS else row
