"""Tables leaving the app: CSV and XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from cx.filters import Filters
from cx.scoring import PILLAR_COLUMNS, PYRAMID_COLUMNS, group_scores, maturity_stage
from cx.store import Store

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SCORE_EXPORT_COLUMNS = (*PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula (CSV injection) with '."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            text = out[col].astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False)
            out[col] = text.where(~risky, "'" + text)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "dati") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise_formulas(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
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
