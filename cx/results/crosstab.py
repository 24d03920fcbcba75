"""The crosstab as people read it: one column per group (Totale last), rows 'n', the mean (or
NPS, and the median for numbers) with marks ▲▼, then the answers as 'share (count)' with marks
▲▼, and last the effect size with the largest gap (in the Totale column: it is the table's)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx import fmt
from cx.i18n import t
from cx.question_types import QuestionType
from cx.results.breakdown import Comparison
from cx.results.labels import Labels
from cx.results.verdict import effect_row

MARKS = {1: " ▲", -1: " ▼", 0: ""}


def count_text(count: int, lang: str) -> str:
    """A whole number as fmt.number writes it ('1.234' / '1,234'), without Babel's cost:
    a crosstab writes hundreds of them on every rerun."""
    return f"{int(count):,}".replace(",", "." if lang == "it" else ",")


def _cells(tab: pd.DataFrame, lang: str) -> list[str]:
    percents = np.round(tab["share"].to_numpy(dtype=float) * 100).astype(int)
    return [f"{p}% ({count_text(c, lang)}){MARKS[int(m)]}" for p, c, m in
            zip(percents, tab["count"].to_numpy(), tab["mark"].to_numpy())]


def crosstab_table(comparison: Comparison, labels: Labels) -> pd.DataFrame:
    lang, row = labels.lang, labels.q.kind
    first = t("results.word" if row.free else "results.answer", lang)
    rows = [_base_row(comparison, first, labels)]
    if comparison.means is not None:
        rows += _means_rows(labels.table(comparison.means), row, first, lang)
    tab = comparison.crosstab
    if not tab.empty:
        tab = labels.table(tab)
        # the tidy crosstab is group by group, the same codes in the same order in each
        groups = list(dict.fromkeys(tab["group_label"]))
        names = tab["label"].to_numpy()[:len(tab) // len(groups)]
        grid = np.array(_cells(tab, lang), dtype=object).reshape(len(groups), len(names))
        rows += [{first: name, **dict(zip(groups, grid[:, i]))} for i, name in
                 enumerate(names)]
    if comparison.effect is not None:
        columns = [c for c in rows[0] if c != first]
        rows.append({first: t("results.effect", lang), **dict.fromkeys(columns, ""),
                     columns[-1]: effect_row(comparison.effect, labels)})
    return pd.DataFrame(rows).set_index(first)


def _base_row(comparison: Comparison, first: str, labels: Labels) -> dict[str, str]:
    source = comparison.means if comparison.means is not None else comparison.crosstab
    column = "n" if comparison.means is not None else "base"
    base = source.groupby("group", sort=False)[column].first()
    return {first: t("results.base", labels.lang),
            **{labels.group(str(g)): count_text(v, labels.lang) for g, v in base.items()}}


def _means_rows(means: pd.DataFrame, row: QuestionType, first: str, lang: str
                ) -> list[dict[str, str]]:
    nps = row.measure == "nps"
    label = t("results.nps" if nps else "results.mean", lang)
    digits = 0 if nps else 1
    value = fmt.signed if nps else fmt.number
    records = means.to_dict("records")
    rows = [{first: label, **{r["group_label"]: value(r["value"], lang, digits) + MARKS[r["mark"]]
                              for r in records}}]
    if row.summary == "number":
        rows.append({first: t("results.median", lang), **{
            r["group_label"]: fmt.number(r["median"], lang, 1) for r in records}})
    return rows
