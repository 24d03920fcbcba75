"""The canonical template: one column per question id, the question texts in a second row, and
(in XLSX) a sheet listing every allowed answer with its code and label and a sheet with the
glossary. The importer skips both sheets (`cx.ingest.sheets.NOTE_SHEETS`)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from cx.glossary import glossary_rows
from cx.i18n import t
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire, questionnaire

if TYPE_CHECKING:
    from openpyxl import Workbook

TEMPLATE_ROWS = 1000  # rows of the XLSX that get drop-down lists


def _allowed(q: Question, lang: str) -> str:
    if q.options:
        return "; ".join(f"{o.code} = {o.label(lang)}" for o in q.options)
    if q.bounds:
        low, high = q.bounds
        return f"{low:g} … {high:g}"
    return ""


def option_rows(qn: Questionnaire, lang: str) -> list[list[str]]:
    """Question id, text, type, allowed answers: the template's second sheet."""
    header = [t(f"ingest.template.{k}", lang) for k in ("id", "question", "type", "answers")]
    rows = [header]
    for q in qn.questions:
        kind = t(f"ingest.template.type_{q.type}", lang, sep=MULTI_SEPARATOR)
        rows.append([q.id, q.text(lang), kind, _allowed(q, lang)])
    return rows


def template_csv(lang: str = "it", qn: Questionnaire | None = None) -> bytes:
    """Ids, then the question texts (the importer recognises and skips that second row)."""
    qn = qn or questionnaire()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(qn.ids)
    writer.writerow([q.text(lang) for q in qn.questions])
    return buf.getvalue().encode("utf-8")


def _glossary_sheet(book: Workbook, lang: str) -> None:
    """Term and definition of every word of the glossary, in the template's language."""
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(t("ingest.template.sheet_glossary", lang))
    for row in glossary_rows(lang):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for term, text in sheet.iter_rows(min_row=2):
        term.alignment = Alignment(vertical="top")
        text.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 110
    sheet.freeze_panes = "A2"


def template_xlsx(lang: str = "it", qn: Questionnaire | None = None) -> bytes:
    """The same two header rows, drop-down lists for choice questions, the options sheet and
    the glossary sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    qn = qn or questionnaire()
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook opens on its one worksheet
    sheet.title = t("ingest.template.sheet_data", lang)
    sheet.append(list(qn.ids))
    sheet.append([q.text(lang) for q in qn.questions])
    for j, q in enumerate(qn.questions, start=1):
        letter = get_column_letter(j)
        sheet.cell(1, j).font = Font(bold=True)
        sheet.cell(2, j).font = Font(italic=True, color="555555")
        sheet.cell(2, j).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = 24
        if q.qtype.single or q.qtype.positional:
            rule = DataValidation(type="list", formula1='"' + ",".join(q.codes) + '"',
                                  allow_blank=True)
            rule.add(f"{letter}3:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A3"
    options = book.create_sheet(t("ingest.template.sheet_options", lang))
    for row in option_rows(qn, lang):
        options.append(row)
    for letter, width in zip("ABCD", (24, 70, 28, 90)):
        options.column_dimensions[letter].width = width
    _glossary_sheet(book, lang)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
