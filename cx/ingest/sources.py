"""Which survey tool wrote a file, recognised from its own signature, and how its header is laid
out (how many header rows; whether they hold ids and texts, or questions and options)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from cx.questionnaire import Questionnaire

# header styles: one row; ids then texts (Qualtrics, the template); questions then options;
# one row whose continuation columns are blank or placeholders ("Column7": a flattened
# SurveyMonkey export), each cell holding its option's text
SINGLE, IDS_TEXTS, QUESTION_OPTION = "single", "ids_texts", "question_option"
FLAT = "question_cells"
_PLACEHOLDER = re.compile(r"^(column\s?\d+|unnamed:\s?\d+(_level_\d+)?|\.\.\.\d+)$", re.I)

SM_SECOND_ROW = {"response", "open-ended response", "risposta", "risposta aperta", "other"}
_LEGACY_V = re.compile(r"^V\d+$")
# LimeSurvey "question code and question text" headers: "id. Response ID", "Q1[SQ001]. Text"
_CODE_DOT_TEXT = re.compile(r"^([A-Za-z][\w#]*(?:\[[^\]]*\])*)\.\s+(\S.*)$", re.S)
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


@dataclass(frozen=True)
class Layout:
    source: str
    header_rows: int
    style: str = SINGLE


def norm(text: str) -> str:
    """Lower case, no accents, single spaces, typographic quotes made plain."""
    text = unicodedata.normalize("NFKD", str(text)).replace("\u2019", "'").replace("\u00a0", " ")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def _cells(row: tuple[str, ...] | None) -> set[str]:
    return {norm(c) for c in row or () if c.strip()}


def split_code(cell: str) -> tuple[str, str]:
    """LimeSurvey's "code. text" header as (code, text): "id. Response ID" → ("id", "Response
    ID"); any other header as ("", header)."""
    found = _CODE_DOT_TEXT.match(cell.strip())
    return (found.group(1), found.group(2)) if found else ("", cell)


def is_placeholder(cell: str) -> bool:
    """A header cell that names nothing: blank, or a name a tool made up ("Column7")."""
    return not cell.strip() or bool(_PLACEHOLDER.match(cell.strip()))


def _flat(first: tuple[str, ...]) -> bool:
    """One header row in which a question continues over placeholder columns."""
    return bool(first) and not is_placeholder(first[0]) \
        and any(is_placeholder(c) for c in first[1:])


def _continuation(first: tuple[str, ...], second: tuple[str, ...] | None) -> bool:
    """Two header rows: a question over several columns, blank over its continuation columns,
    with the options (or "Response") in the row below, which holds no numbers (not data)."""
    if second is None or len(first) < 2 or not first[0].strip():
        return False
    blanks = [j for j in range(1, len(first)) if not first[j].strip()]
    return bool(blanks) and all(second[j].strip() for j in blanks) \
        and not any(_NUMBER.match(c.strip()) for c in second)


@dataclass(frozen=True)
class Head:
    """The first rows of a file, as the signatures look at them."""

    first: tuple[str, ...]
    second: tuple[str, ...] | None
    third: tuple[str, ...] | None
    cells: frozenset[str]  # the first row, normalised, each cell also without a "code. " prefix


def _head(rows: tuple[tuple[str, ...], ...]) -> Head:
    first = rows[0] if rows else ()
    cells = _cells(first) | _cells(tuple(split_code(c)[1] for c in first))
    return Head(first, rows[1] if len(rows) > 1 else None, rows[2] if len(rows) > 2 else None,
                frozenset(cells))


def _one_row(head: Head) -> tuple[int, str]:
    return 1, SINGLE


@dataclass(frozen=True)
class Signature:
    """How one survey tool is recognised: the header names it writes (at least `least` of
    them, in the first `columns` cells when the tool puts them there, anywhere otherwise), or
    a cell matching one of its `patterns`, or another of its `marks`; `first_cell` if the tool
    always starts its header with it; and `header`, its header rows and style."""

    source: str
    names: frozenset[str] = frozenset()
    least: int = 1
    columns: int | None = None
    patterns: tuple[re.Pattern[str], ...] = ()
    marks: tuple[Callable[[Head], bool], ...] = ()
    first_cell: str | None = None
    header: Callable[[Head], tuple[int, str]] = _one_row

    def matches(self, head: Head) -> bool:
        """Whether the first rows carry this tool's signature."""
        if self.first_cell is not None and (not head.first
                                            or head.first[0].strip() != self.first_cell):
            return False
        return self._named(head) or any(p.search(c) for p in self.patterns for c in head.cells) \
            or any(mark(head) for mark in self.marks)

    def _named(self, head: Head) -> bool:
        if not self.names:
            return False
        if self.columns is None:
            return len(head.cells & self.names) >= self.least
        return sum(norm(c) in self.names for c in head.first[:self.columns]) >= self.least

    def layout(self, head: Head) -> Layout:
        """This tool's header layout in these rows."""
        return Layout(self.source, *self.header(head))


def _import_row(head: Head) -> bool:
    """Qualtrics' third header row of {"ImportId": ...} cells."""
    filled = [c for c in head.third or () if c.strip()]
    return bool(filled) and sum("importid" in c.casefold() for c in filled) >= len(filled) / 2


def _legacy_ids(head: Head) -> bool:
    """Old Qualtrics exports: ids V1, V2, ... over the texts."""
    return len(head.first) > 2 and all(_LEGACY_V.match(c.strip()) for c in head.first[:2])


_QUALTRICS = frozenset({"responseid", "responseset", "recordeddate", "distributionchannel",
                        "duration (in seconds)", "externalreference", "externaldatareference"})


def _qualtrics_header(head: Head) -> tuple[int, str]:
    """Ids, then texts, then (newer exports) the import ids."""
    if _import_row(head):
        return 3, IDS_TEXTS
    second = _legacy_ids(head) or bool(head.second and _cells(head.second) & _QUALTRICS)
    return (2 if second else 1), IDS_TEXTS


def _surveymonkey_header(head: Head) -> tuple[int, str]:
    """Questions over options ("Response" under a single answer), or one row."""
    if head.second is not None and bool(_cells(head.second) & SM_SECOND_ROW
                                        or _continuation(head.first, head.second)):
        return 2, QUESTION_OPTION
    return 1, FLAT if _flat(head.first) else SINGLE


# The survey tools, first match wins. Google Forms writes its timestamp first (merged files put
# it a bit later: the first three cells).
SIGNATURES = (
    Signature("qualtrics", _QUALTRICS, least=2, marks=(_import_row, _legacy_ids),
              header=_qualtrics_header),
    Signature("google_forms", frozenset({
        "timestamp", "informazioni cronologiche", "marca temporale", "horodateur",
        "zeitstempel", "marca de tiempo", "carimbo de data/hora"}), columns=3),
    Signature("microsoft_forms", frozenset({
        "start time", "completion time", "ora di inizio", "ora di completamento",
        "last modified time", "ora dell'ultima modifica"}), least=2),
    Signature("surveymonkey", frozenset({
        "respondent id", "collector id", "id rispondente", "id raccoglitore"}),
              header=_surveymonkey_header),
    Signature("limesurvey", frozenset({
        "response id", "id risposta", "date submitted", "data invio", "last page",
        "ultima pagina", "start language", "lingua iniziale", "seed", "seme", "submitdate",
        "lastpage", "startlanguage", "date last action", "data dell'ultima azione",
        "date started", "data di inizio"}), least=2),
    Signature("typeform", frozenset({
        "submit date (utc)", "start date (utc)", "network id", "stage date (utc)"}),
              first_cell="#"),
    Signature("kobo", frozenset({
        "instanceid", "_uuid", "_submission_time", "meta/instanceid", "_index",
        "_validation_status", "deviceid", "_submission__uuid"}),
              patterns=(re.compile(r"/instanceid\Z"),)),
)

SOURCES = ("canonical", *(s.source for s in SIGNATURES), "generic")


def detect(rows: tuple[tuple[str, ...], ...], qn: Questionnaire) -> Layout:
    """The tool and header layout of a file from its first rows: the first tool whose signature
    they carry, else the project's own template, else a generic file."""
    head = _head(rows)
    for signature in SIGNATURES:
        if signature.matches(head):
            return signature.layout(head)
    return _own_or_generic(head.first, head.second, qn)


def _own_or_generic(first: tuple[str, ...], second: tuple[str, ...] | None,
                    qn: Questionnaire) -> Layout:
    ids = {q.id for q in qn.questions}
    named = [c.strip().casefold() for c in first if c.strip()]
    if named and sum(c in ids for c in named) >= max(2, len(named) // 2):
        texts = {norm(q.it) for q in qn.questions} | {norm(q.en) for q in qn.questions}
        labelled = second is not None and sum(norm(c) in texts for c in second) >= 2
        return Layout("canonical", 2 if labelled else 1, IDS_TEXTS if labelled else SINGLE)
    if _continuation(first, second):
        return Layout("generic", 2, QUESTION_OPTION)
    return Layout("generic", 1, FLAT if _flat(first) else SINGLE)
