"""Response quality (issue 21): what an analyst may want to look at before committing an
upload. Straight-lining on the pyramid and pillar items, two respondents of one company with
identical answers, answers to a question the questionnaire skips (`Question.asked_if`), and,
where the export records it, speeders (`cx.ingest.quality_time`). Pure functions over the
staged, recoded rows; a flag never drops nor blocks a row: the analyst decides."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cx import fmt
from cx.i18n import t
from cx.ingest import quality_time
from cx.ingest.quality_time import Timing
from cx.questionnaire import MULTI_SEPARATOR, Questionnaire, questionnaire

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from cx.store.upload import Plan, Staging

MIN_ITEMS = 8  # straight-lining: at least this many Likert items answered, all alike
LIKERT_BLOCKS = ("pyramid:", "pillar:")  # the constructs whose items are read together
MIN_ANSWERED = 5  # duplicates: two nearly blank rows are not «identical answers»
NOT_COMPARED = ("respondent_id", "wave", "company")  # duplicates: compared within these
SHOWN_OTHERS = 3  # duplicates: the other rows named in a row's detail
CODES = ("straight_lining", "duplicate", "skip_logic", "speeder")
ROW = "row_no"
KEY, ANSWERED = "_answers", "_answered"  # duplicates: hashed answers, how many (the store's)
Params = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Flagged:
    """One row flagged: its number in the file, its respondent id, what was seen there."""

    row: int
    respondent: str
    detail: Params = ()


@dataclass(frozen=True)
class Flag:
    """A kind of response quality issue (`code`), the rows showing it, and its parameters."""

    code: str  # one of CODES
    rows: tuple[Flagged, ...]
    params: Params = ()

    @property
    def count(self) -> int:
        return len(self.rows)

    def text(self, lang: str) -> str:
        return t(f"quality.flag.{self.code}", lang, n=fmt.number(self.count, lang),
                 **_words(dict(self.params), lang))

    def row_text(self, row: Flagged, lang: str) -> str:
        return t(f"quality.row.{self.code}", lang, **_words(dict(row.detail), lang))

    def as_dict(self, lang: str) -> dict[str, object]:
        return {"code": self.code, "count": self.count, "message": self.text(lang),
                **dict(self.params),
                "rows": [{"row": r.row, "respondent_id": r.respondent,
                          "detail": self.row_text(r, lang)} for r in self.rows]}


@dataclass(frozen=True)
class Quality:
    """The flags of an upload, how many rows were checked, and its completion times."""

    flags: tuple[Flag, ...] = ()
    checked: int = 0
    timing: Timing | None = None

    @property
    def rows_flagged(self) -> int:
        return len({r.row for f in self.flags for r in f.rows})


def timing_text(timing: Timing | None, lang: str,
                shown: Callable[[str], str] = str) -> str:
    """The completion time in a sentence: its median and the speeders' threshold, too few
    times for a median, or none in the file (`shown` quotes a column name for its medium)."""
    if timing is None:
        return t("quality.page.no_timing", lang)
    columns = ", ".join(t("ingest.reason.quoted", lang, text=shown(c)) for c in timing.columns)
    if timing.median is None or timing.threshold is None:
        return t("quality.page.timing_few", lang, columns=columns,
                 timed=fmt.number(timing.timed, lang))
    return t("quality.page.timing", lang, columns=columns,
             median=quality_time.duration_text(timing.median, lang),
             threshold=quality_time.duration_text(timing.threshold, lang),
             timed=fmt.number(timing.timed, lang))


def rows_table(flags: Sequence[Flag], lang: str) -> pd.DataFrame:
    """Every flagged row: the flag's short name, the file row, the respondent, the detail."""
    import pandas as pd

    heads = [t(f"quality.page.{k}", lang) for k in ("flag", "row", "respondent", "detail")]
    return pd.DataFrame([(t(f"quality.short.{f.code}", lang), r.row, r.respondent,
                          f.row_text(r, lang)) for f in flags for r in f.rows], columns=heads)


def _words(params: dict[str, object], lang: str) -> dict[str, object]:
    """Parameters as shown: durations in minutes and seconds, a condition's answers as labels,
    numbers in the language's format."""
    out: dict[str, object] = {}
    for key, value in params.items():
        if key in ("seconds", "median", "threshold"):
            out[key] = quality_time.duration_text(float(str(value)), lang)
        elif key in ("answers", "answer"):  # the codes that ask it; what was answered
            out[key] = _labels(str(params["condition"]), str(value), lang)
        elif isinstance(value, int):
            out[key] = fmt.number(value, lang)
        else:
            out[key] = value
    return out


def _labels(qid: str, codes: str, lang: str) -> str:
    q = questionnaire().by_id.get(qid)
    parts = [c for c in codes.split(MULTI_SEPARATOR) if c]
    shown = [q.option_label(c, lang) if q else c for c in parts]
    return ", ".join(t("ingest.reason.quoted", lang, text=s) for s in shown)


def _flagged(frame: pd.DataFrame, mask: pd.Series | np.ndarray,
             details: Sequence[Params] | None = None) -> tuple[Flagged, ...]:
    import numpy as np

    rows = frame.loc[np.asarray(mask, dtype=bool), [ROW, "respondent_id"]]
    extra = details or [()] * len(rows)
    return tuple(Flagged(int(r), str(i), d)
                 for (r, i), d in zip(rows.itertuples(index=False), extra))


def straight_lining(frame: pd.DataFrame, qn: Questionnaire) -> Flag | None:
    """Respondents giving one same answer to all of (at least `MIN_ITEMS`) Likert items of the
    pyramid and pillar blocks."""
    import numpy as np

    items = [q.id for q in qn.questions if q.id in frame and q.qtype.positional
             and (q.construct or "").startswith(LIKERT_BLOCKS)]
    if len(items) < MIN_ITEMS:
        return None
    values = frame[items].to_numpy(dtype=float, na_value=np.nan)
    answered = (~np.isnan(values)).sum(axis=1)
    with np.errstate(all="ignore"):  # an all-blank row: min and max are NaN (not flagged)
        same = np.nanmax(values, axis=1) == np.nanmin(values, axis=1) if values.size else \
            np.zeros(len(frame), dtype=bool)
    mask = (answered >= MIN_ITEMS) & same
    if not mask.any():
        return None
    first = np.nanmax(values[mask], axis=1)
    details = [(("items", int(n)), ("value", int(v))) for n, v in zip(answered[mask], first)]
    return Flag("straight_lining", _flagged(frame, mask, details),
                (("items", MIN_ITEMS),))


def answers_key(frame: pd.DataFrame, compared: list[str]) -> tuple[pd.Series, pd.Series]:
    """(one 64-bit hash of each row's answers to `compared`, how many it answered): as the
    store computed them (`KEY`, `ANSWERED`), else here."""
    import pandas as pd

    if KEY in frame:
        return frame[KEY], frame[ANSWERED]
    return (pd.util.hash_pandas_object(frame[compared], index=False),
            frame[compared].notna().sum(axis=1))


def duplicates(frame: pd.DataFrame, qn: Questionnaire) -> Flag | None:
    """Respondents of one company (and wave) whose answers are identical on every question but
    the respondent id (compared by a 64-bit hash: two different rows share one with odds of
    about 1 in 10^19): each row names the others."""
    compared = [q.id for q in qn.questions if q.id in frame and q.id not in NOT_COMPARED]
    if "company" not in frame or not (compared or KEY in frame):
        return None
    key, answered = answers_key(frame, compared)
    company = frame["company"].astype("string").str.strip().str.casefold()
    eligible = ((answered >= MIN_ANSWERED) & company.notna()).to_numpy(dtype=bool)
    keyed = frame.loc[eligible, [c for c in ("wave",) if c in frame]].assign(
        company=company[eligible], key=key[eligible])
    twins = keyed.duplicated(keep=False)
    if not twins.any():
        return None
    groups = keyed[twins].groupby(list(keyed.columns), dropna=False, sort=False).ngroup()
    rows = frame.loc[groups.index, ROW]
    members = rows.groupby(groups.to_numpy()).apply(list).to_dict()
    details = [(("company", str(frame.at[i, "company"]).strip()),
                ("others", ", ".join([str(o) for o in members[g] if o != r][:SHOWN_OTHERS])))
               for i, g, r in zip(groups.index, groups.to_numpy(), rows)]
    mask = frame.index.isin(groups.index)
    return Flag("duplicate", _flagged(frame, mask, details),
                (("min_answered", MIN_ANSWERED),))


def skips(condition: pd.Series, wanted: Sequence[str]) -> np.ndarray:
    """Per row, whether its answer to a condition skips the question asked only after `wanted`
    (a multiple-choice condition asks it when any of its answers is wanted; no answer skips
    nothing). Judged once per distinct answer."""
    import numpy as np
    import pandas as pd

    codes, distinct = pd.factorize(condition.astype("string"))
    chosen = set(wanted)
    skipped = [bool(str(v).strip()) and not set(str(v).split(MULTI_SEPARATOR)) & chosen
               for v in distinct]
    return np.array([*skipped, False], dtype=bool)[codes]  # code -1 (no answer): the last


def skip_logic(frame: pd.DataFrame, qn: Questionnaire) -> list[Flag]:
    """For each question the questionnaire asks only after some answers (`asked_if`): the
    respondents who answered it although their answer to the condition skips it (staged
    answers hold no empty text: a blank is missing)."""
    flags = []
    for q in qn.questions:
        if q.asked_if is None or q.id not in frame or q.asked_if[0] not in frame:
            continue
        condition = frame[q.asked_if[0]]
        mask = frame[q.id].notna().to_numpy(dtype=bool) & skips(condition, q.asked_if[1])
        if mask.any():
            details = [(("answer", str(v)), ("condition", q.asked_if[0]), ("question", q.id))
                       for v in condition[mask]]
            flags.append(Flag("skip_logic", _flagged(frame, mask, details), (
                ("question", q.id), ("condition", q.asked_if[0]),
                ("answers", MULTI_SEPARATOR.join(q.asked_if[1])))))
    return flags


def check(frame: pd.DataFrame, qn: Questionnaire,
          times: quality_time.Columns | None = None) -> Quality:
    """Every flag of the rows of `frame` (a row number, its answers and, if any, the columns of
    `times` named by their staged column)."""
    flags = [straight_lining(frame, qn), duplicates(frame, qn), *skip_logic(frame, qn)]
    timing, speeders = quality_time.speeders(frame, times) if times else (None, None)
    if speeders is not None:
        flags.append(Flag("speeder", _flagged(frame, speeders.mask, speeders.details),
                          speeders.params))
    return Quality(tuple(f for f in flags if f is not None), len(frame), timing)


def assess(staging: Staging, plan: Plan) -> Quality:
    """The flags of an upload staged on `staging` (its answers as recoded by `plan`): the
    store reads back only the answers the flags look at, and hashes the rest."""
    qn = staging.qn
    mapped = set(plan.whole_map) | {qid for qid, _ in plan.options}
    looked_at = set(NOT_COMPARED)
    for q in qn.questions:
        if q.asked_if is not None:
            looked_at |= {q.id, q.asked_if[0]}
        elif q.qtype.positional and (q.construct or "").startswith(LIKERT_BLOCKS):
            looked_at.add(q.id)
    times = quality_time.columns(plan.names, plan.unmapped)
    frame = staging.answer_frame(
        [q.id for q in qn.questions if q.id in looked_at and (q.id in mapped
                                                                or q.id in NOT_COMPARED)],
        times.staged if times else [],
        [q.id for q in qn.questions if q.id in mapped and q.id not in NOT_COMPARED])
    return check(frame, qn, times)
