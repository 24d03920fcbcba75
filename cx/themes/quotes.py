"""Example answers of each theme, under the rules free text is shown by: only for a theme that
at least the comment threshold of respondents speak of (`View.text_k`, never under k), every
company name blanked out (`cx.comments.redact`), the most frequent answers first, then A–Z
(never in the order given, which could follow the respondents). Only a theme's most frequent
answers are read (`CANDIDATES`): blanking names out of a hundred thousand distinct answers
would take minutes, and answers that differ only by a name then still count together. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pandas as pd

from cx.comments import redact
from cx.themes.figures import ANSWER

MAX_QUOTES = 3
CANDIDATES = 12  # of a theme's most frequent answers, blanked and merged before the top 3
COLUMNS = ("theme", "quote", "count")


def _candidates(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]],
                keys: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Per theme, its most frequent answers (ties: A–Z), in one pass over the answers."""
    distinct = rows.groupby(ANSWER, sort=False)["n"].sum()
    order = sorted(zip(map(str, distinct.index.tolist()), map(int, distinct.tolist())),
                   key=lambda an: (-an[1], an[0]))
    found: dict[str, list[tuple[str, int]]] = {k: [] for k in keys}
    open_keys = set(keys)
    for answer, n in order:
        for key in themes.get(answer, frozenset()) & open_keys:
            found[key].append((answer, n))
            if len(found[key]) == CANDIDATES:
                open_keys.discard(key)
        if not open_keys:
            break
    return found


def theme_quotes(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]],
                 table: pd.DataFrame, threshold: int, names: dict[str, tuple[str, ...]],
                 placeholder: str, most: int = MAX_QUOTES) -> pd.DataFrame:
    """Up to `most` quotes per theme of `table` with at least `threshold` respondents."""
    keys = [str(k) for k, c in zip(table["theme"], table["count"]) if int(c) >= threshold]
    blanked: dict[str, str] = {}
    out = []
    for key, candidates in _candidates(rows, themes, keys).items():
        merged: Counter[str] = Counter()
        for answer, n in candidates:
            if answer not in blanked:
                blanked[answer] = redact(answer, names, placeholder).strip()
            merged[blanked[answer]] += n
        top = sorted(merged.items(), key=lambda qc: (-qc[1], qc[0]))[:most]
        out += [{"theme": key, "quote": q, "count": c} for q, c in top]
    return pd.DataFrame(out, columns=list(COLUMNS))
