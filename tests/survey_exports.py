"""Exports as each survey tool would write them, generated from canonical answers (synthetic
respondents), reproducing the quirks that matter: headers, header rows, labels instead of codes,
how multiple choices are written, delimiters, decimal commas and encodings."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from cx.questionnaire import MULTI_SEPARATOR, Question, questionnaire
from cx.synth import synthesize

QN = questionnaire()
# the questions an external form asks (the respondent id and the wave are not questions)
ASKED = [q for q in QN.questions if q.id not in ("respondent_id", "wave")]


def answers(n: int = 12, wave: int = 2027, seed: int = 7) -> pd.DataFrame:
    """Canonical answers: one wave, codes, some answers missing."""
    frame = synthesize(n, (wave,), seed)
    frame["respondent_id"] = [f"X{i:03d}" for i in range(1, n + 1)]
    return frame


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _text(value) -> str:
    return "" if _missing(value) else str(value)


def _label(q: Question, code, lang: str) -> str:
    if _missing(code):
        return ""
    if q.type in ("single", "likert"):
        return q.option_label(str(code), lang)
    return _number(code) if q.is_numeric else str(code)


def _number(value, decimal: str = ".") -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    text = str(int(value)) if value.is_integer() else repr(value)
    return text.replace(".", decimal)


def _codes(value) -> list[str]:
    if _missing(value):
        return []
    return [c for c in str(value).split(MULTI_SEPARATOR) if c]


def _joined(q: Question, value, lang: str, sep: str) -> str:
    return sep.join(q.option_label(c, lang) for c in _codes(value))


def _csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8",
         line: str = "\r\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=line).writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")  # as Excel: "?" for the unknown


def _xlsx(rows: list[list[object]], sheet: str = "Sheet1", before: dict | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    if before:  # sheets of notes before the data
        first.title = next(iter(before))
        for row in before[first.title]:
            first.append(row)
        data = book.create_sheet(sheet)
    else:
        first.title = sheet
        data = first
    for row in rows:
        data.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- formats
def canonical_csv(frame: pd.DataFrame, delimiter: str = ",", decimal: str = ".",
                  encoding: str = "utf-8") -> bytes:
    rows = [list(QN.ids)]
    for rec in frame.to_dict("records"):
        rows.append([_number(rec[q.id], decimal) if q.is_numeric and q.type != "likert"
                     else _label(q, rec[q.id], "code") if q.type == "likert"
                     else _text(rec[q.id])
                     for q in QN.questions])
    return _csv(rows, delimiter, encoding, "\n")


def italian_excel_csv(frame: pd.DataFrame) -> bytes:
    """What Italian Excel writes: `;`, decimal comma, Windows-1252, Italian labels."""
    rows = [[q.text("it") for q in QN.questions]]
    for rec in frame.to_dict("records"):
        row = []
        for q in QN.questions:
            value = rec[q.id]
            if q.type == "multi":
                row.append(_joined(q, value, "it", MULTI_SEPARATOR))
            elif q.type in ("single", "likert"):
                row.append(_label(q, value, "it"))
            elif q.is_numeric:
                row.append(_number(value, ","))
            else:
                row.append(_text(value))
        rows.append(row)
    return _csv(rows, ";", "cp1252")


def google_forms_csv(frame: pd.DataFrame, lang: str = "it") -> bytes:
    """Timestamp first, question texts as headers, labels, multiple choices joined by ", "."""
    stamp = "Informazioni cronologiche" if lang == "it" else "Timestamp"
    rows = [[stamp] + [q.text(lang) for q in ASKED]]
    for i, rec in enumerate(frame.to_dict("records")):
        row = [f"2027/03/{1 + i % 28:02d} 10:{i % 60:02d}:00"]
        for q in ASKED:
            value = rec[q.id]
            row.append(_joined(q, value, lang, ", ") if q.type == "multi"
                       else _label(q, value, lang))
        rows.append(row)
    return _csv(rows)


def microsoft_forms_xlsx(frame: pd.DataFrame) -> bytes:
    """ID, Start time, Completion time, Email, Name; multiple choices as "a;b;"."""
    head = ["ID", "Start time", "Completion time", "Email", "Name"]
    rows: list[list[object]] = [head + [q.en for q in ASKED]]
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        row: list[object] = [i, "3/1/27 10:00:00", "3/1/27 10:05:00", "anonymous", ""]
        for q in ASKED:
            value = rec[q.id]
            if q.type == "multi":
                row.append("".join(q.option_label(c, "en") + ";" for c in _codes(value)))
            elif q.is_numeric and q.type != "likert":
                row.append(None if value is None or pd.isna(value) else float(value))
            else:
                row.append(_label(q, value, "en") or None)
        rows.append(row)
    return _xlsx(rows, "Form1")


def _surveymonkey_rows(frame: pd.DataFrame) -> list[list[str]]:
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    second = ["", "", "", ""]
    for q in ASKED:
        if q.type == "multi":
            first += [q.en] + [""] * (len(q.options) - 1)
            second += [o.en for o in q.options]
        else:
            first.append(q.en)
            second.append("Open-Ended Response" if q.type == "text" else "Response")
    rows = [first, second]
    for rec in frame.to_dict("records"):
        row = [str(rec["respondent_id"]), "1234", "03/01/2027", "03/01/2027"]
        for q in ASKED:
            chosen = _codes(rec[q.id]) if q.type == "multi" else []
            row += ([o.en if o.code in chosen else "" for o in q.options] if q.type == "multi"
                    else [_label(q, rec[q.id], "en")])
        rows.append(row)
    return rows


def surveymonkey_csv(frame: pd.DataFrame) -> bytes:
    return _csv(_surveymonkey_rows(frame))


def surveymonkey_xlsx(frame: pd.DataFrame) -> bytes:
    return _xlsx(_surveymonkey_rows(frame), "Sheet")


def qualtrics_csv(frame: pd.DataFrame) -> bytes:
    """Ids, question texts, ImportId JSON; Likert as numbers, options one column each ("1")."""
    meta = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId"]
    ids, texts, imports = list(meta), list(meta), [json.dumps({"ImportId": m}) for m in meta]
    for n, q in enumerate(ASKED, start=1):
        if q.type == "multi":
            for k, o in enumerate(q.options, start=1):
                ids.append(f"Q{n}_{k}")
                texts.append(f"{q.en} - {o.en}")
                imports.append(json.dumps({"ImportId": f"QID{n}", "choiceId": str(k)}))
        else:
            ids.append(f"Q{n}")
            texts.append(q.en)
            imports.append(json.dumps({"ImportId": f"QID{n}"}))
    rows = [ids, texts, imports]
    for rec in frame.to_dict("records"):
        row = ["2027-03-01 10:00:00", "2027-03-01 10:05:00", "0", "100", "1",
               f"R_{rec['respondent_id']}"]
        for q in ASKED:
            value = rec[q.id]
            if q.type == "multi":
                row += ["1" if o.code in _codes(value) else "" for o in q.options]
            elif q.type == "single":
                row.append(_label(q, value, "en"))
            else:
                row.append(_label(q, value, "code") if q.type == "likert" else
                           _number(value) if q.is_numeric else _label(q, value, "en"))
        rows.append(row)
    return _csv(rows)


def limesurvey_codes_csv(frame: pd.DataFrame) -> bytes:
    """Question codes (ours), answer codes, multiple choice as code[option] = Y."""
    meta = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    head = list(meta)
    for q in ASKED:
        head += [f"{q.id}[{o.code}]" for o in q.options] if q.type == "multi" else [q.id]
    rows = [head]
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        row = [str(i), "2027-03-01 10:00:00", "5", "it", "123"]
        for q in ASKED:
            value = rec[q.id]
            if q.type == "multi":
                row += ["Y" if o.code in _codes(value) else "" for o in q.options]
            else:
                row.append(_number(value) if q.is_numeric and q.type != "likert"
                           else _text(value))
        rows.append(row)
    return _csv(rows, line="\n")


def limesurvey_texts_csv(frame: pd.DataFrame) -> bytes:
    """Italian metadata headers, "N - text [Option]" headers, labels, Sì/No per option."""
    meta = ["ID risposta", "Data invio", "Ultima pagina", "Lingua iniziale", "Seme"]
    head = list(meta)
    for n, q in enumerate(ASKED, start=1):
        head += ([f"{n} - {q.it} [{o.it}]" for o in q.options] if q.type == "multi"
                 else [f"{n} - {q.it}"])
    rows = [head]
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        row = [str(i), "2027-03-01 10:00:00", "5", "it", "123"]
        for q in ASKED:
            value = rec[q.id]
            if q.type == "multi":
                row += (["N/A"] * len(q.options) if not _codes(value) else
                        ["Sì" if o.code in _codes(value) else "No" for o in q.options])
            else:
                row.append(_label(q, value, "it"))
        rows.append(row)
    return _csv(rows) + b""


def template_filled_xlsx(frame: pd.DataFrame, lang: str = "it") -> bytes:
    """The app's own XLSX template, filled in."""
    from openpyxl import load_workbook

    from cx.ingest.template import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx(lang)))
    sheet = book.worksheets[0]
    for rec in frame.to_dict("records"):
        sheet.append([None if _missing(rec[q.id])
                      else float(rec[q.id]) if q.is_numeric else str(rec[q.id])
                      for q in QN.questions])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
