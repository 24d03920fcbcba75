"""Validation before anything is written: file-level refusals (one sentence each), and the
problems of single cells (row, column, value, reason) that the store's queries found
(`cx.store.upload.checks`)."""

from __future__ import annotations

from cx.ingest.problems import Problem, Refused
from cx.questionnaire import Questionnaire
from cx.store.upload import Plan, Staging

META = ("respondent_id", "wave", "company")


def check_size(size: int, limit_mb: int) -> None:
    if size > limit_mb * 1024 * 1024:
        raise Refused("too_large", size=round(size / 1024 / 1024), limit=limit_mb)


def check_columns(n: int, limit: int) -> None:
    if n > limit:
        raise Refused("too_many_columns", n=n, limit=limit)


def check_targets(mapping: dict[str, str]) -> None:
    """Each question, or each option of a question spread over columns, has one column."""
    whole: dict[str, str] = {}
    options: dict[str, str] = {}
    spread: dict[str, str] = {}
    for name, target in mapping.items():
        if not target:
            continue
        qid, _, option = target.partition(":")
        if option:
            clash = options.get(target) or whole.get(qid)
            options[target] = name
            spread.setdefault(qid, name)
        else:
            clash = whole.get(qid) or spread.get(qid)
            whole[qid] = name
        if clash:
            raise Refused("duplicate_target", question=qid, first=clash, second=name)


def check_plan(plan: Plan, qn: Questionnaire) -> None:
    """The columns the upload cannot do without: company, one answer, and a wave."""
    whole = plan.whole_map
    if "company" not in whole:
        raise Refused("no_company")
    answered = [q for q in whole if q not in META] + [q for q, _ in plan.options]
    if not answered:
        raise Refused("no_answers")
    if plan.wave is None and "wave" not in whole:
        raise Refused("no_wave")


def first_problems(staging: Staging, names: tuple[str, ...], limit: int) -> tuple[Problem, ...]:
    """The first problems found (`Staging.find_problems`), named by the file's columns."""
    return tuple(Problem.from_json(row, names[col], value, reason, params or "{}")
                 for row, col, value, reason, params in staging.first_problems(limit))
