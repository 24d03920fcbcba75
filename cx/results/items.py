"""A Likert statement among the others of its section asked on the same scale: the chart that
shows one statement draws them all, the chosen one marked."""

from __future__ import annotations

import pandas as pd

from cx.questionnaire import Question, Questionnaire
from cx.view import View

ITEMS = "_items"  # the `by` of a table whose groups are statements (question ids)
MARK = "▶ "


def likert_family(q: Question, qn: Questionnaire) -> tuple[Question, ...]:
    """The Likert items of q's section asked on the same scale (q included)."""
    if not q.qtype.positional:
        return ()
    return tuple(o for o in qn.in_section(q.section)
                 if o.qtype.positional and o.options == q.options)


def likert_items(items: tuple[Question, ...], stacked: pd.DataFrame, view: View
                 ) -> pd.DataFrame:
    """Shares per item (`group`) and level (`code`) for the Likert chart (items answered by
    fewer than k left out); `stacked` has columns question, value, n."""
    codes = pd.to_numeric(stacked["value"]).round().astype(int).astype(str)
    counts = stacked.groupby([stacked["question"], codes])["n"].sum().to_dict()
    rows = []
    for item in items:
        per_level = [counts.get((item.id, code), 0) for code in item.codes]
        base = int(sum(per_level))
        if base < view.k:
            continue
        rows += [{"code": code, "group": item.id, "count": int(c), "base": base,
                  "share": c / base} for code, c in zip(item.codes, per_level)]
    return pd.DataFrame(rows)


def mark_item(items: pd.DataFrame, qid: str) -> pd.DataFrame:
    """The labelled items table with the chosen statement marked ▶ (it stays in its sorted
    place)."""
    chosen = items["group"] == qid
    return items.assign(group_label=items["group_label"].where(
        ~chosen, MARK + items["group_label"]))
