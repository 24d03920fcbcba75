"""Which survey tool wrote a file, recognised from its own signature, and how its header is laid
out (how many header rows; whether they hold ids and texts, or questions and options)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cx.questionnaire import Questionnaire

SOURCES = ("canonical", "google_forms", "microsoft_forms", "surveymonkey", "qualtrics",
           "limesurvey", "typeform", "kobo", "generic")
# header styles: one row; ids then texts (Qualtrics, the template); questions then options;
# one row whose continuation columns are blank or placeholders ("Column7": a flattened
# SurveyMonkey export), each cell holding its option's text
SINGLE, IDS_TEXTS, QUESTION_OPTION = "single", "ids_texts", "question_option"
FLAT = "question_cells"
_PLACEHOLDER = re.compile(r"^(column\s?\d+|unnamed:\s?\d+(_level_\d+)?|\.\.\.\d+)$", re.I)

GOOGLE_TIMESTAMPS = {"timestamp", "informazioni cronologiche", "marca temporale",
                     "horodateur", "zeitstempel", "marca de tiempo", "carimbo de data/hora"}
MICROSOFT = {"start time", "completion time", "ora di inizio", "ora di completamento",
             "last modified time", "ora dell'ultima modifica"}
SURVEYMONKEY = {"respondent id", "collector id", "id rispondente", "id raccoglitore"}
LIMESURVEY = {"response id", "id risposta", "date submitted", "data invio", "last page",
              "ultima pagina", "start language", "lingua iniziale", "seed", "seme",
              "submitdate", "lastpage", "startlanguage", "date last action",
              "data dell'ultima azione", "date started", "data di inizio"}
TYPEFORM = {"submit date (utc)", "start date (utc)", "network id", "stage date (utc)"}
KOBO = {"instanceid", "_uuid", "_submission_time", "meta/instanceid", "_index",
        "_validation_status", "deviceid", "_submission__uuid"}
QUALTRICS = {"responseid", "responseset", "recordeddate", "distributionchannel",
             "duration (in seconds)", "externalreference", "externaldatareference"}
SM_SECOND_ROW = {"response", "open-ended response", "risposta", "risposta aperta", "other"}
_LEGACY_V = re.compile(r"^V\d+$")
# LimeSurvey "question code and question text" headers: "id. Response ID", "Q1[SQ001]. Text"
_CODE_DOT_TEXT = re.compile(r"^([A-Za-z][\w#]*(?:\[[^\]]*\])*)\.\s+(\S.*)$", re.S)
TIMESTAMP_COLUMNS = 3  # Google Forms writes the timestamp first; merged files put it a bit later
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


def _is_import_row(row: tuple[str, ...]) -> bool:
    filled = [c for c in row if c.strip()]
    return bool(filled) and sum("importid" in c.casefold() for c in filled) >= len(filled) / 2


def _continuation(first: tuple[str, ...], second: tuple[str, ...] | None) -> bool:
    """Two header rows: a question over several columns, blank over its continuation columns,
    with the options (or "Response") in the row below, which holds no numbers (not data)."""
    if second is None or len(first) < 2 or not first[0].strip():
        return False
    blanks = [j for j in range(1, len(first)) if not first[j].strip()]
    return bool(blanks) and all(second[j].strip() for j in blanks) \
        and not any(_NUMBER.match(c.strip()) for c in second)


def detect(rows: tuple[tuple[str, ...], ...], qn: Questionnaire) -> Layout:
    """The tool and header layout of a file from its first rows."""
    first = rows[0] if rows else ()
    second = rows[1] if len(rows) > 1 else None
    third = rows[2] if len(rows) > 2 else None
    cells = _cells(first) | _cells(tuple(split_code(c)[1] for c in first))
    if third is not None and _is_import_row(third):
        return Layout("qualtrics", 3, IDS_TEXTS)
    if len(first) > 2 and _LEGACY_V.match(first[0].strip()) and _LEGACY_V.match(first[1].strip()):
        return Layout("qualtrics", 2, IDS_TEXTS)
    if len(cells & QUALTRICS) >= 2:
        return Layout("qualtrics", 2 if second and _cells(second) & QUALTRICS else 1, IDS_TEXTS)
    if any(norm(c) in GOOGLE_TIMESTAMPS for c in first[:TIMESTAMP_COLUMNS]):
        return Layout("google_forms", 1)
    if len(cells & MICROSOFT) >= 2:
        return Layout("microsoft_forms", 1)
    if cells & SURVEYMONKEY:
        two = second is not None and bool(_cells(second) & SM_SECOND_ROW
                                          or _continuation(first, second))
        if two:
            return Layout("surveymonkey", 2, QUESTION_OPTION)
        return Layout("surveymonkey", 1, FLAT if _flat(first) else SINGLE)
    if len(cells & LIMESURVEY) >= 2:
        return Layout("limesurvey", 1)
    if first and first[0].strip() == "#" and cells & TYPEFORM:
        return Layout("typeform", 1)
    if cells & KOBO or any("/" in c and c.split("/")[-1] == "instanceid" for c in cells):
        return Layout("kobo", 1)
    return _own_or_generic(first, second, qn)


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
