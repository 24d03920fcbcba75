"""The questionnaire, loaded from `data/questionnaire.toml`.

Everything else (validation, charts, scoring, personas, the upload template) is driven from
these objects, so a new question is one new block in the TOML file.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeAlias

from cx.config import QUESTIONNAIRE_PATH
from cx.question_types import TYPES, QuestionType, kind_of

ROLES = ("sociodemographic", "behavioural", "none")
PYRAMID_LEVELS = ("needs", "ease", "enjoyment")
PILLARS = ("personalisation", "integrity", "expectations", "resolution", "time_effort", "empathy")
MULTI_SEPARATOR = "|"
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
Toml: TypeAlias = dict[str, Any]  # a table as tomllib reads it


@dataclass(frozen=True)
class Option:
    code: str
    it: str
    en: str
    score: float | None = None
    family: str | None = None  # touchpoints: offline | online | contact (the seeds' kinds)
    since: int | None = None  # the first wave that offered it

    def label(self, lang: str) -> str:
        return self.it if lang == "it" else self.en


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    it: str
    en: str
    options: tuple[Option, ...] = ()
    construct: str | None = None
    role: str = "none"
    weight: float = 0.0
    ordered: bool = False
    required: bool = False
    min: float | None = None
    max: float | None = None
    integer: bool = False
    exclusive: tuple[str, ...] = ()
    # asked only when another question has (or, multiple choice, includes) one of these
    # answers; skipped by that rule, a practice scores 0 (no map covers no stage)
    asked_if: tuple[str, tuple[str, ...]] | None = None
    since: int | None = None  # the first wave that asked it (questionnaire 2027); None: always

    def asked_in(self, wave: int) -> bool:
        """Whether the questionnaire of `wave` asked this question."""
        return self.since is None or wave >= self.since

    def text(self, lang: str) -> str:
        return self.it if lang == "it" else self.en

    @property
    def qtype(self) -> QuestionType:
        """How this type of question is read, scored, summarised and charted."""
        return TYPES[self.type]

    @property
    def kind(self) -> QuestionType:
        """How it is shown: its type, or NPS for a 0–10 scale."""
        return kind_of(self)

    @property
    def is_numeric(self) -> bool:
        return self.qtype.numeric

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    def option(self, code: str) -> Option:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(f"{self.id}: unknown option {code!r}")

    def option_label(self, code: str, lang: str) -> str:
        """An option's label; a published group of several options (`a+b`, cx.privacy)
        reads as their labels joined."""
        parts = str(code).split("+")
        if len(parts) > 1:
            return " + ".join(self.option_label(part, lang) for part in parts)
        try:
            return self.option(str(code)).label(lang)
        except KeyError:
            return str(code)

    def signature(self, wave: int | None = None) -> str:
        """How the question is asked (texts, type, options, range) as stable JSON, in `wave`
        (the options it offered then): two waves whose signatures differ asked it
        differently."""
        return json.dumps({
            "type": self.type, "it": self.it, "en": self.en, "min": self.min, "max": self.max,
            "options": [[o.code, o.it, o.en] for o in self.offered(wave)],
        }, ensure_ascii=False, sort_keys=True)

    def offered(self, wave: int | None = None) -> tuple[Option, ...]:
        """The options offered in `wave` (all of them without a wave)."""
        return tuple(o for o in self.options
                     if wave is None or o.since is None or wave >= o.since)

    @property
    def bounds(self) -> tuple[float, float] | None:
        """Numeric range of the answer (Likert 1–5 included)."""
        if self.qtype.positional:
            return (1.0, float(len(self.options)))
        if self.min is not None and self.max is not None:
            return (float(self.min), float(self.max))
        return None

    @property
    def sql_type(self) -> str:
        if not self.qtype.numeric:
            return "VARCHAR"
        return "INTEGER" if self.qtype.positional or self.integer else "DOUBLE"


@dataclass(frozen=True)
class Questionnaire:
    version: int
    sections: dict[str, dict[str, str]]
    questions: tuple[Question, ...]
    by_id: dict[str, Question] = field(repr=False, compare=False, default_factory=dict)

    def __getitem__(self, qid: str) -> Question:
        return self.by_id[qid]

    def __contains__(self, qid: object) -> bool:
        return qid in self.by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def section_title(self, section: str, lang: str) -> str:
        return self.sections[section][lang]

    def in_section(self, section: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.section == section)

    def with_construct(self, prefix: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if (q.construct or "").startswith(prefix))

    def pyramid_items(self, level: str) -> tuple[Question, ...]:
        return self.with_construct(f"pyramid:{level}")

    def pillar_items(self, pillar: str) -> tuple[Question, ...]:
        return self.with_construct(f"pillar:{pillar}")

    @property
    def practices(self) -> tuple[Question, ...]:
        return self.with_construct("practice")

    def with_role(self, role: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.role == role)

    def original(self) -> Questionnaire:
        """The questionnaire before any question or option asked from a later wave."""
        return self.as_of(min((q.since for q in self.questions if q.since), default=1) - 1)

    def as_of(self, wave: int) -> Questionnaire:
        """The questionnaire as `wave` asked it: the questions and options of later waves
        left out (what the synthetic sample of 2025–2026 is drawn from, unchanged)."""
        questions = tuple(replace(q, options=q.offered(wave)) for q in self.questions
                          if q.asked_in(wave))
        return Questionnaire(self.version, self.sections, questions, {q.id: q for q in questions})


def _options(raw: Toml, scales: Toml) -> tuple[Option, ...]:
    source = raw.get("options") or scales.get(raw.get("scale", ""), {}).get("options", [])
    return tuple(
        Option(str(o["code"]), o["it"], o["en"], o.get("score"), o.get("family"), o.get("since"))
        for o in source
    )


def _row(raw: Toml) -> QuestionType:
    """The type's row (an unknown type reads as free text here; the invariants refuse it)."""
    return TYPES.get(raw["type"], TYPES["text"])


def _question(raw: Toml, scales: Toml) -> Question:
    return Question(
        id=raw["id"],
        section=raw["section"],
        type=raw["type"],
        it=raw["it"],
        en=raw["en"],
        options=_options(raw, scales),
        construct=raw.get("construct"),
        role=raw.get("role", "none"),
        weight=float(raw.get("weight", 0.0)),
        ordered=bool(raw.get("ordered", _row(raw).positional)),
        required=bool(raw.get("required", False)),
        min=raw.get("min"),
        max=raw.get("max"),
        integer=bool(raw.get("integer", _row(raw).integer)),
        exclusive=tuple(raw.get("exclusive", ())),
        asked_if=_asked_if(raw.get("asked_if")),
        since=raw.get("since"),
    )


def _asked_if(raw: Toml | None) -> tuple[str, tuple[str, ...]] | None:
    return None if raw is None else (str(raw["question"]), tuple(raw["answers"]))


def parse_questionnaire(raw: Toml) -> Questionnaire:
    scales = raw.get("scales", {})
    questions = tuple(_question(q, scales) for q in raw["questions"])
    by_id = {q.id: q for q in questions}
    problems = list(_invariant_problems(questions, raw.get("sections", {})))
    if len(by_id) != len(questions):
        problems.append("duplicate question ids")
    if problems:
        raise ValueError("; ".join(problems))
    return Questionnaire(raw["version"], raw["sections"], questions, by_id)


def _invariant_problems(questions: tuple[Question, ...], sections: Toml) -> Iterator[str]:
    for q in questions:
        if not _IDENTIFIER.match(q.id):
            yield f"{q.id}: not a safe identifier"
        if q.type not in TYPES:
            yield f"{q.id}: unknown type {q.type}"
        if q.role not in ROLES:
            yield f"{q.id}: unknown role {q.role}"
        if q.section not in sections:
            yield f"{q.id}: unknown section {q.section}"
        row = TYPES.get(q.type)
        if row is not None and row.has_options and not q.options:
            yield f"{q.id}: choice question without options"
        if q.construct == "practice" and q.weight <= 0:
            yield f"{q.id}: practice without a weight"
        unscored = any(o.score is None for o in q.options)
        if q.construct == "practice" and not (row and row.positional) and unscored:
            yield f"{q.id}: practice option without a score"
        if q.asked_if is not None:
            yield from _condition_problems(q, {x.id: x for x in questions})


def _condition_problems(q: Question, by_id: dict[str, Question]) -> Iterator[str]:
    assert q.asked_if is not None
    qid, answers = q.asked_if
    condition = by_id.get(qid)
    if condition is None or not condition.options:
        yield f"{q.id}: asked_if needs a choice question, not {qid}"
    elif set(answers) - set(condition.codes):
        yield f"{q.id}: asked_if answers not among {qid}'s options"


def load_questionnaire(path: Path | str = QUESTIONNAIRE_PATH) -> Questionnaire:
    with open(path, "rb") as fh:
        return parse_questionnaire(tomllib.load(fh))


@lru_cache(maxsize=1)
def questionnaire() -> Questionnaire:
    """The project's questionnaire (read once per process)."""
    return load_questionnaire()
