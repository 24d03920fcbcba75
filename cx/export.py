"""Tables leaving the app: CSV and XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from cx import fmt
from cx.filters import Filters
from cx.respondent_scores import maturity_stage
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.scoring import group_scores
from cx.store import Store

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SCORE_EXPORT_COLUMNS = (*PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index")
XLSX_CELL_LIMIT = 32_767  # Excel's longest cell: longer text would be cut without a word


def _risky(text: pd.Series) -> pd.Series:
    """Cells a spreadsheet would run as a formula, leading spaces or not (` =1+1` too)."""
    return text.str.lstrip(" ").str.startswith(FORMULA_PREFIXES).fillna(False)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells and headers that a spreadsheet would run as a formula (CSV
    injection) with '."""
    out = frame.copy()
    headers = pd.Series([str(c) for c in out.columns], dtype="string")
    out.columns = headers.where(~_risky(headers), "'" + headers).tolist()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            text = out[col].astype("string")
            out[col] = text.where(~_risky(text), "'" + text)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _flag_long(frame: pd.DataFrame) -> pd.DataFrame:
    """Text longer than an Excel cell holds, cut where the reader sees it was cut."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            text = out[col].astype("string")
            long = text.str.len().fillna(0) > XLSX_CELL_LIMIT
            if long.any():
                marks = text[long].map(
                    lambda v: f" […troncato: {fmt.number(len(v), 'it')} caratteri]")
                out.loc[long, col] = text[long].str[:XLSX_CELL_LIMIT - 40] + marks
    return out


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "dati") -> bytes:
    """The table as a workbook whose text cells are strings, never formulas."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise_formulas(_flag_long(frame)).to_excel(writer, index=False,
                                                        sheet_name=sheet[:31])
        for row in writer.sheets[sheet[:31]].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would store «=…» as a formula
    return buf.getvalue()


def company_scores(store: Store, filters: Filters, k: int = 1) -> pd.DataFrame:
    """One row per company and wave: n, pyramid, pillars, maturity index and stage."""
    scores = store.responses(["company", "wave", *SCORE_EXPORT_COLUMNS], filters)
    out = group_scores(scores, ["company", "wave"], SCORE_EXPORT_COLUMNS, k)
    out["maturity_stage"] = maturity_stage(out["maturity_index"])
    return out.sort_values(["wave", "company"]).reset_index(drop=True)


def write_table(frame: pd.DataFrame, out: Path | str, fmt: str) -> None:
    data = to_xlsx_bytes(frame) if fmt == "xlsx" else to_csv_bytes(frame)
    Path(out).write_bytes(data)
