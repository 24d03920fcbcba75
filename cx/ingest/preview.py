"""`Preview`: everything found in an upload before anything is written (source, encoding,
mapping, respondents, problems), frozen; `Found`, the preview replaced at each step, so that a
refusal keeps what was found before it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cx.ingest.options import NOT_APPLICABLE_KEY, BelowScale, Options, fixed_name
from cx.ingest.problems import Problem, Recoded, Refused
from cx.ingest.quality import Quality
from cx.ingest.upload import Upload
from cx.questionnaire import Questionnaire
from cx.store.upload import Plan

if TYPE_CHECKING:
    import pandas as pd

    from cx.store.upload import Staging

FIRST_ROWS = 5  # rows shown as the app will store them, to check the file was read right
NOT_COVERED = ("respondent_id", "wave", "company")  # who answered: not questions a file covers


@dataclass(frozen=True)
class Glance:
    """The rows themselves, before anything is written: the first ones as the app will store
    them (codes: the page decodes them in its language), the respondent id of each row, and
    the companies the store does not know yet."""

    first: pd.DataFrame = field(repr=False, compare=False)  # row_no + the mapped answers
    ids: dict[int, str] = field(repr=False, compare=False)  # file row → respondent id
    new_companies: tuple[str, ...] = ()


def glance(staging: Staging, plan: Plan, known: set[str], skipped: set[int]) -> Glance:
    """What `Glance` holds, read from the staged rows (only two columns of every row); the
    companies of `skipped` rows (with problems: quarantined) are not new companies."""
    mapped = set(plan.whole_map) | {qid for qid, _ in plan.options}
    qids = [q for q in staging.qn.ids if q in mapped or q in ("respondent_id", "company")]
    first = staging.answer_frame(qids, [], limit=FIRST_ROWS)
    every = staging.answer_frame(["respondent_id", "company"], [])
    ids = dict(zip(every["row_no"].astype(int), every["respondent_id"].astype(str)))
    kept = every[~every["row_no"].isin(skipped)]
    names = sorted({str(c) for c in kept["company"].dropna()} - known)
    return Glance(first, ids, tuple(names))


def covered_questions(mapping: dict[str, str], qn: Questionnaire) -> list[str]:
    """The questions (not the respondent's id, wave or company) the mapped columns answer."""
    targets = {target.partition(":")[0] for target in mapping.values()}
    return [q.id for q in qn.questions if q.id in targets and q.id not in NOT_COVERED]


def uncovered_questions(mapping: dict[str, str], qn: Questionnaire,
                        wave: int | None) -> list[str]:
    """The questions of the questionnaire (asked in `wave`) that no column of the file answers:
    a new wave made of this file will have no data for them."""
    covered = set(covered_questions(mapping, qn))
    return [q.id for q in qn.questions if q.id not in NOT_COVERED and q.id not in covered
            and (wave is None or q.asked_in(wave))]


@dataclass(frozen=True)
class Preview:
    """Everything found in an upload before anything is written."""

    file_name: str
    sha256: str
    size: int
    options: Options = field(default_factory=Options)
    kind: str | None = None
    source: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_rows: int = 0
    columns: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # a value of each column, to help the analyst map it
    mapping: tuple[tuple[str, str], ...] = ()
    proposed: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # question id → the value given for every row
    not_applicable: tuple[str, ...] = ()  # codes below a scale read as "not applicable"
    negative_not_applicable: bool = False  # the source codes "not applicable" below zero
    recodes: tuple[Recoded, ...] = ()
    shape: str | None = None
    respondents: int = 0
    problems: tuple[Problem, ...] = ()
    problems_total: int = 0
    rows_with_problems: int = 0
    repeated: int = 0  # rows saying what a stored row of their wave says (`cx.ingest.copies`)
    repeated_in: tuple[str, ...] = ()  # the uploads holding those stored rows
    waves: tuple[int, ...] = ()
    refusal: tuple[str, tuple[tuple[str, object], ...]] | None = None
    quality: Quality | None = None  # response quality flags (a preview's; never block)
    plan: Plan | None = field(default=None, repr=False, compare=False)
    glance: Glance | None = field(default=None, repr=False, compare=False)

    @property
    def verdict(self) -> str:
        """ok (all rows can be committed), partial (with quarantine) or refused."""
        if self.refusal is not None:
            return "refused"
        left_out = self.repeated if self.options.repeats == "skip" else 0  # chosen already
        if self.rows_with_problems > left_out:
            return "partial" if self.options.accept_partial else "refused"
        return "partial" if self.rows_with_problems else "ok"

    @property
    def rows_ok(self) -> int:
        return self.respondents - self.rows_with_problems

    def refusal_text(self, lang: str) -> str | None:
        if self.refusal is None:
            return None
        return Refused(self.refusal[0], **dict(self.refusal[1])).text(lang)

    @property
    def fixed(self) -> set[str]:
        """The staged columns that hold a value given for every row (not the file's)."""
        return {fixed_name(qid) for qid, _ in self.values}

    @property
    def file_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.fixed)

    @property
    def mapped(self) -> dict[str, str]:
        """The file's columns → their targets."""
        return {name: target for name, target in self.mapping
                if target and name not in self.fixed}

    @property
    def unmapped(self) -> list[str]:
        return [name for name, target in self.mapping if not target]

    @property
    def remembered(self) -> dict[str, str]:
        """The mapping to save for files of this shape: column → target, and the codes read
        as "not applicable" (how the tool writes them, like its columns). A value given for
        every row (the company of a one-company file) is never saved: the next file of the
        same shape may come from another company."""
        return {**self.mapped, **{name: "" for name in self.unmapped},
                NOT_APPLICABLE_KEY: "|".join(self.not_applicable)}

    @property
    def below_scale(self) -> BelowScale:
        return BelowScale(frozenset(self.not_applicable), self.negative_not_applicable)


@dataclass
class Found:
    """What an upload has shown so far: a `Preview` replaced at each step (its fields typed),
    so that a refusal keeps what was found before it."""

    preview: Preview

    @classmethod
    def of(cls, upload: Upload, options: Options) -> Found:
        return cls(Preview(upload.name, "", upload.size, options))
