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
        rows.append([_number(rec.get(q.id), decimal) if q.is_numeric and q.type != "likert"
                     else _label(q, rec.get(q.id), "code") if q.type == "likert"
                     else _text(rec.get(q.id))
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


# ---------------------------------------------------------------------------- real-world quirks
# Each writer reproduces what a file of ../shared/realworld taught us (named in its docstring),
# generated from canonical answers so that a test knows what must land in the database.
BOM = "\ufeff".encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records")


def limesurvey_fulltext_csv(frame: pd.DataFrame) -> bytes:
    """LimeSurvey "question code. question text" export (griditem_results_fulltext): headers
    `id. Response ID`, `touchpoints[store]. Text [Store]`, UTF-8 BOM, full answer texts, one
    Yes/No column per option (N/A when the question was not shown), "I don't know" for a Likert
    left unanswered, incomplete responses (no submit date)."""
    head = ["id. Response ID", "submitdate. Date submitted", "lastpage. Last page",
            "startlanguage. Start language", "seed. Seed"]
    for q in ASKED:
        head += ([f"{q.id}[{o.code}]. {q.en} [{o.en}]" for o in q.options] if q.type == "multi"
                 else [f"{q.id}. {q.en}"])
    rows = [head]
    for i, rec in enumerate(_records(frame), start=1):
        row = [str(rec["respondent_id"]), "" if i % 4 == 0 else "2027-03-01 10:00:00",
               str(i % 6), "en", ""]
        for q in ASKED:
            value, chosen = rec[q.id], _codes(rec[q.id]) if q.type == "multi" else []
            if q.type == "multi":
                row += (["Yes" if o.code in chosen else "No" for o in q.options] if chosen
                        else ["N/A"] * len(q.options))
            else:
                row.append(_label(q, value, "en") or ("I don't know" if q.type == "likert"
                                                      else ""))
        rows.append(row)
    return BOM + _csv(rows)


def google_forms_merged_csv(frame: pd.DataFrame) -> bytes:
    """Two Google Forms merged and re-saved by Excel (surveycovid19): a `Datasource` column
    before `Timestamp`, mixed timestamp formats, multiple choices joined by ", "."""
    rows = [["Datasource", "Timestamp"] + [q.en for q in ASKED]]
    for i, rec in enumerate(_records(frame)):
        stamp = f"3/{18 + i % 9}/20 18:42" if i % 2 else f"2020-03-{10 + i % 9} 11:57:19"
        row = ["Google1" if i % 2 else "Google2", stamp]
        row += [_joined(q, rec[q.id], "en", ", ") if q.type == "multi"
                else _label(q, rec[q.id], "en") for q in ASKED]
        rows.append(row)
    return _csv(rows)


QUALTRICS_LEGACY_META = (("V1", "ResponseID"), ("V2", "ResponseSet"), ("V3", "Name"),
                         ("V4", "ExternalDataReference"), ("V5", "EmailAddress"),
                         ("V6", "IPAddress"), ("V7", "Status"), ("V8", "StartDate"),
                         ("V9", "EndDate"), ("V10", "Finished"))


def qualtrics_legacy_csv(frame: pd.DataFrame) -> bytes:
    """Legacy Qualtrics (qualtRics_sample_legacy, No_Basis_for_Evaluation): UTF-8 BOM, two
    header rows (V1…V10 + Q ids, then ResponseID… + "Question-Option" texts), a trailing comma
    on every line; numeric codes where non-substantive choices are recoded negative: -1 "No
    basis for evaluation" on a Likert, -99 "seen but unanswered" on the 0–10 scale."""
    ids, texts = [m[0] for m in QUALTRICS_LEGACY_META], [m[1] for m in QUALTRICS_LEGACY_META]
    for n, q in enumerate(ASKED, start=1):
        if q.type == "multi":
            ids += [f"Q{n}_{k}" for k in range(1, len(q.options) + 1)]
            texts += [f"{q.en}-{o.en}" for o in q.options]
        else:
            ids.append(f"Q{n}")
            texts.append(q.en)
    location = ["LocationLatitude", "LocationLongitude", "LocationAccuracy", ""]
    rows = [[*ids, *location], [*texts, *location]]
    for rec in _records(frame):
        row = [f"R_{rec['respondent_id']}", "Default Response Set", "Anonymous", "", "", "",
               "0", "2027-03-01 10:00:00", "2027-03-01 10:05:00", "1"]
        for q in ASKED:
            row += _qualtrics_legacy_cells(q, rec[q.id])
        rows.append([*row, "42.401901245117", "-71.119300842285", "-1", ""])
    return BOM + _csv(rows)


def _qualtrics_legacy_cells(q: Question, value) -> list[str]:
    if q.type == "multi":
        return ["1" if o.code in _codes(value) else "" for o in q.options]
    if q.type == "likert":
        return ["-1" if _missing(value) else str(value)]
    if q.id == "club_nps":
        return ["-99" if _missing(value) else _number(value)]
    return [_label(q, value, "en")]


def qualtrics_insights_csv(frame: pd.DataFrame) -> bytes:
    """A 2016 "Insights" Qualtrics export: the ImportId row written as Python dicts
    (`{'ImportId': 'QID1'}`, QualtricsTools_*_Insights), not JSON."""
    text = qualtrics_csv(frame).decode("utf-8")
    lines = text.split("\r\n")
    fields = next(csv.reader([lines[2]]))
    lines[2] = _csv([[str(json.loads(f)) for f in fields]]).decode("utf-8").rstrip("\r\n")
    return "\r\n".join(lines).encode("utf-8")


TYPEFORM_TAIL = ("audience_survey_id", "Response Type", "Start Date (UTC)", "Stage Date (UTC)",
                 "Submit Date (UTC)", "Network ID", "Tags", "Ending")


def typeform_csv(frame: pd.DataFrame) -> bytes:
    """Italian Typeform (analisi-questionario): `#` token first, question texts (one with a
    trailing space), multiple choice as one column per option named after the option and
    holding its text, an empty "Other" column after each (duplicate headers), metadata last."""
    head = ["#"]
    for q in ASKED:
        if q.type == "multi":
            head += [o.it for o in q.options] + ["Other"]
        else:
            head.append(q.it + (" " if q.id == "sector" else ""))
    rows = [head + list(TYPEFORM_TAIL)]
    for rec in _records(frame):
        row = [f"tok{rec['respondent_id']}"]
        for q in ASKED:
            chosen = _codes(rec[q.id]) if q.type == "multi" else []
            row += ([o.it if o.code in chosen else "" for o in q.options] + [""]
                    if q.type == "multi" else
                    [_label(q, rec[q.id], "code" if q.type == "likert" else "it")])
        rows.append([*row, "", "completed", "2027-03-01 09:49:23", "", "2027-03-01 09:54:16",
                     "07425a04fc", "", "Grazie!"])
    return _csv(rows, line="\n")


def kobo_csv(frame: pd.DataFrame, sep: str = "/") -> bytes:
    """KoboToolbox (koboloadeR_MainDataFrame): group paths as headers (`profilo/sector`, or
    with "." as koboloadeR writes them), XML codes as values, a multiple choice as its codes
    joined by spaces, `NA`/`NoAnswer` for an unanswered choice, every field quoted."""
    head = ["start", "end", "today", "deviceid"]
    head += [f"{q.section}{sep}{q.id}" for q in ASKED]
    head += ["meta/instanceID", "_id", "_submission_time", "_index"]
    rows = [head]
    for i, rec in enumerate(_records(frame), start=1):
        row = ["2027-03-01T10:00:00", "2027-03-01T10:05:00", "2027-03-01", f"dev{i}"]
        for q in ASKED:
            value = rec[q.id]
            if _missing(value) or value == "":  # (free text left empty: "NA" would be text)
                row.append("" if q.type == "text" else "NA" if i % 2 else "NoAnswer")
            elif q.type == "multi":
                row.append(" ".join(_codes(value)))
            else:
                row.append(_number(value) if q.is_numeric and q.type != "likert" else str(value))
        rows.append([*row, f"uuid:{rec['respondent_id']}", str(i), "2027-03-01", str(i)])
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def surveymonkey_flat_csv(frame: pd.DataFrame) -> bytes:
    """A SurveyMonkey export flattened by hand (longterm_October2017): the two header rows
    collapsed into one, a multiple choice's continuation columns named `Column2`, `Column3`…,
    each cell holding its option's text or nothing; answers ending with a full stop."""
    head, n = [], 1
    for q in ASKED:
        if q.type == "multi":
            head.append(q.en)
            head += [f"Column{n + k}" for k in range(1, len(q.options))]
            n += len(q.options) - 1
        else:
            head.append(q.en)
    rows = [head]
    for rec in _records(frame):
        row = []
        for q in ASKED:
            value = rec[q.id]
            if q.type == "multi":
                row += [o.en + "." if o.code in _codes(value) else "" for o in q.options]
            elif q.type in ("single", "likert") and not _missing(value):
                row.append(_label(q, value, "en") + ".")
            else:
                row.append(_label(q, value, "en"))
        rows.append(row)
    return _csv(rows)


def two_header_semicolon_csv(frame: pd.DataFrame) -> bytes:
    """A LimeSurvey-derived CSV saved by hand (informal-models_results-survey_de): `;`, UTF-8
    BOM, two header rows (the question over its first column, blank over its continuation
    columns; the options below), Sì/No per option, decimal comma."""
    first, second = [], []
    for q in ASKED:
        if q.type == "multi":
            first += [q.it] + [""] * (len(q.options) - 1)
            second += [o.it for o in q.options]
        else:
            first.append(q.it)
            second.append("")
    rows = [first, second]
    for rec in _records(frame):
        row = []
        for q in ASKED:
            value = rec[q.id]
            if q.type == "multi":
                row += ["Sì" if o.code in _codes(value) else "No" for o in q.options]
            elif q.type in ("single", "likert"):
                row.append(_label(q, value, "it"))
            else:
                row.append(_number(value, ",") if q.is_numeric else _text(value))
        rows.append(row)
    return BOM + _csv(rows, ";")


# A customer-satisfaction extract (airline_passenger_satisfaction): foreign headers, 0–5
# ratings where 0 means "not applicable", a binary satisfaction label; usable with a mapping.
AIRLINE_ITEMS = {"Ease of Online Booking": "pyr_ease_1", "Online Boarding": "pyr_ease_2",
                 "Seat Comfort": "pyr_enjoyment_1", "In-flight Entertainment": "pyr_enjoyment_2",
                 "On-board Service": "pil_empathy_1", "Check-in Service": "pil_time_effort_1",
                 "Baggage Handling": "pil_resolution_1", "Cleanliness": "pil_integrity_1"}
AIRLINE_MAPPING = {"mapping": {"ID": "respondent_id", **AIRLINE_ITEMS},
                   "values": {"company": "Compagnia aerea", "sector": "tourism"},
                   "not_applicable": ["0"]}


def airline_csv(frame: pd.DataFrame) -> bytes:
    """ID, profile columns, the rating items (0 where the canonical answer is missing), and
    `Satisfaction`, CRLF."""
    rows = [["ID", "Gender", "Age", "Customer Type", "Class", *AIRLINE_ITEMS, "Satisfaction"]]
    for i, rec in enumerate(_records(frame), start=1):
        ratings = ["0" if _missing(rec[q]) else str(rec[q]) for q in AIRLINE_ITEMS.values()]
        rows.append([str(rec["respondent_id"]), "Female" if i % 2 else "Male", str(20 + i),
                     "Returning", "Business", *ratings,
                     "Satisfied" if i % 3 else "Neutral or Dissatisfied"])
    return _csv(rows)


# A learners' NPS survey (The Carpentries): a 0–10 "likely to recommend" with blanks and `NA`,
# Likert labels in Title Case or as "Neutral", a multiple choice joined by ";".
NPS_SURVEY_MAPPING = {"mapping": {"MemberSite": "company", "LikelyToRecommend": "club_nps",
                                  "AtmosphereWelcoming": "pyr_enjoyment_1",
                                  "LearnedSkills": "pyr_needs_1", "ToolsUsed": "touchpoints"}}
_CARPENTRIES_AGREE = {"1": "Strongly Disagree", "2": "Disagree", "3": "Neutral", "4": "Agree",
                      "5": "Strongly Agree"}


def nps_survey_csv(frame: pd.DataFrame) -> bytes:
    rows = [["Date", "MemberSite", "LikelyToRecommend", "AtmosphereWelcoming", "LearnedSkills",
             "ToolsUsed", "Comments"]]
    q = QN["touchpoints"]
    for i, rec in enumerate(_records(frame), start=1):
        nps = rec["club_nps"]
        rows.append([f"9/{i}/18 15:29", rec["company"],
                     ("NA" if i % 2 else "") if _missing(nps) else _number(nps),
                     _CARPENTRIES_AGREE.get(_text(rec["pyr_enjoyment_1"]), "NA"),
                     _CARPENTRIES_AGREE.get(_text(rec["pyr_needs_1"]), "I don't know"),
                     ";".join(q.option_label(c, "en") for c in _codes(rec["touchpoints"])),
                     "Great, thanks."])
    return _csv(rows)
