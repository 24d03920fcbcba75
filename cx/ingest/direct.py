"""The direct path: a CSV whose cells are already written in the questionnaire's codes
(the app's own template, an export of the app) goes from the file into `responses` in one
INSERT, checked as DuckDB reads it, with no staged copy of its cells.

It commits exactly what the thorough path (`cx.ingest.pipeline.prepare`) would, or nothing: a
cell the thorough path would recode, question or read differently (a label, `05`, `5.5`, a
formula, a missing company) aborts the INSERT through DuckDB's `error()`; afterwards every
distinct code written must be one the recoder keeps as it is, no respondent id may repeat, and
no company name may be another spelling of a company (`cx.naming`: accents, case, invisible
characters, spaces), which the thorough path would store as that company. Any miss rolls the
transaction back and the caller takes the thorough path, which names every problem. Only the
time differs: a clean file of any size is written in one pass (`make bench` measures both).
"""

from __future__ import annotations

from cx.ingest.head import Head
from cx.ingest.recode import recoder
from cx.ingest.written import number_text
from cx.questionnaire import Question
from cx.store.upload import Staging
from cx.store.upload.direct import DirectInsert, listed


class Missed(Exception):
    """The upload is not for the direct path: roll back, take the thorough one."""


def eligible(head: Head, values: tuple[tuple[str, str], ...]) -> bool:
    """A UTF-8 CSV (its head read, its body left to DuckDB), every column mapped to a whole
    question, ids given, the wave either in the file or chosen (not both: the thorough path
    compares them), appended, or replacing a chosen wave; `values`: those given for every row
    (none here)."""
    grid, plan = head.grid, head.plan
    whole = plan.whole_map
    return (grid.kind == "csv" and grid.encoding in ("utf-8", "utf-8-sig")
            and not values and not plan.options
            and not plan.unmapped and "respondent_id" in whole
            and (plan.wave is None) == ("wave" in whole)
            and (plan.mode == "append" or plan.wave is not None))


def kept(q: Question, value: float | str) -> bool:
    """Whether the recoder keeps this written code as it is (the thorough path's identity)."""
    text = number_text(float(value)) if q.sql_type == "DOUBLE" else str(value)
    coded = recoder(q).code(text)
    if coded.reason is not None or coded.value is None:
        return False
    if q.sql_type == "VARCHAR":
        return coded.value == value
    return float(coded.value) == float(value)


def insert(staging: Staging, head: Head, upload_id: str, path: str) -> int:
    """Write the rows with their scores; Missed at the first cell not as the thorough path
    would write it (the transaction must then be rolled back)."""
    written = staging.insert_direct(DirectInsert(head.plan, kept, upload_id, path, head.width,
                                                 head.grid.delimiter or ",", head.skip))
    if written is None:  # our error(), a malformed line, bytes that are not UTF-8
        raise Missed("insert")
    return written


def verify(staging: Staging, head: Head, upload_id: str) -> None:
    """Missed unless every distinct code written is kept as it is by the recoder, no
    respondent id repeats, in the file or (appending) in its wave, and every company name is
    stored as written (`cx.naming`: no other spelling of it in the file or the database)."""
    qn = staging.qn
    coded = [qn[qid] for qid, _ in head.plan.whole
             if not qn[qid].qtype.free and not listed(qn[qid])]
    found = staging.upload_distinct(upload_id, [q.id for q in coded])
    for q, values in zip(coded, found):
        if not all(kept(q, v) for v in values):
            raise Missed(q.id)
    if staging.upload_repeats(upload_id, same_wave=head.plan.mode == "append"):
        raise Missed("respondent_id")
    if staging.upload_renames(upload_id):  # the thorough path picks the first spelling
        raise Missed("company")
