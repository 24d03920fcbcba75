"""Example answers of each theme, under the rules free text is shown by: only for a theme that
at least the comment threshold of respondents speak of (`View.text_k`, never under k), every
company name blanked out (`cx.comments.redact`), the most frequent answers first, then A–Z
(never in the order given, which could follow the respondents). Pure."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cx.comments import answer_table
from cx.themes.figures import ANSWER

MAX_QUOTES = 3
COLUMNS = ("theme", "quote", "count")


def theme_quotes(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]],
                 table: pd.DataFrame, threshold: int, names: dict[str, tuple[str, ...]],
                 placeholder: str, most: int = MAX_QUOTES) -> pd.DataFrame:
    """Up to `most` quotes per theme of `table` with at least `threshold` respondents."""
    distinct = (rows.groupby(ANSWER, sort=True)["n"].sum().reset_index()
                .rename(columns={"n": "count"}))
    out = []
    for key, count in zip(table["theme"], table["count"]):
        if int(count) < threshold:
            continue
        mine = distinct[[key in themes.get(str(a), frozenset()) for a in distinct[ANSWER]]]
        shown = answer_table(mine.rename(columns={ANSWER: "answer"}), names, placeholder)
        out += [{"theme": key, "quote": q, "count": int(c)}
                for q, c in zip(shown["answer"].head(most), shown["count"].head(most))]
    return pd.DataFrame(out, columns=list(COLUMNS))
