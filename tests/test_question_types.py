"""The question-type registry: every layer reads a type's row, so a new type is a new row."""

from dataclasses import replace

import pandas as pd
import pytest

from cx import question_types, results
from cx.charts import questions as charts
from cx.question_types import TYPES, QuestionType
from cx.questionnaire import parse_questionnaire, questionnaire
from cx.results import Labels
from cx.results.summary import SUMMARIES
from cx.view import View

QN = questionnaire()


@pytest.mark.parametrize("row", [*TYPES.values(), question_types.NPS], ids=lambda r: r.name)
def test_every_row_names_ways_that_exist(row):
    if row.free and row.name == "id":
        return  # identifiers are never shown
    assert row.summary in {*SUMMARIES, "text"}
    assert row.chart in charts.CHARTS
    assert row.comparison in {*charts.COMPARISONS, ""}
    assert row.measure in ("share", "mean", "nps", "")


def test_every_question_of_the_questionnaire_has_a_row():
    assert {q.type for q in QN.questions} <= set(TYPES)
    assert QN["club_nps"].kind is question_types.NPS and QN["club_ces"].kind.name == "scale"


def _one_question(kind: str) -> dict:
    return {"version": 1, "sections": {"s": {"it": "S", "en": "S"}},
            "questions": [{"id": "q1", "section": "s", "type": kind, "it": "Voto", "en": "Vote",
                           "min": 1, "max": 10}]}


def test_an_unknown_type_is_refused_with_its_name():
    with pytest.raises(ValueError, match="q1: unknown type rating"):
        parse_questionnaire(_one_question("rating"))


def test_a_new_type_is_one_new_row(monkeypatch):
    """A 'rating' read as a whole number and shown like a scale: nothing else is written."""
    rating = replace(TYPES["scale"], name="rating")
    monkeypatch.setitem(TYPES, "rating", rating)
    q = parse_questionnaire(_one_question("rating"))["q1"]
    assert q.integer and q.sql_type == "INTEGER" and q.is_numeric and q.kind is rating
    counts = pd.DataFrame({"q1": [3, 7, 9], "n": [2, 2, 2]})
    s = results.summarise(q, counts, View(k=5))
    assert s.headline.value == pytest.approx(19 / 3) and s.table["count"].sum() == 6
    plot = charts.summary_plot(s, Labels(q, QN, "en"))
    assert plot.builder is charts.charts.score_chart


def test_traits_follow_how_the_answer_is_written():
    assert TYPES["multi"].multiple and TYPES["multi"].counted
    assert TYPES["likert"].positional and TYPES["likert"].numeric
    assert TYPES["text"].free and not TYPES["text"].has_options
    assert isinstance(TYPES["number"], QuestionType) and not TYPES["number"].integer
