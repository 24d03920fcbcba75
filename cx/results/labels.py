"""Results in a reader's language: the names of options, levels, groups and bins added to the
tables the computations return on codes, and the words for pickers and breakdowns. A result
computed once is read in either language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx import fmt
from cx.i18n import t
from cx.questionnaire import Question, Questionnaire
from cx.results.groups import MISSING, OTHERS
from cx.results.items import ITEMS
from cx.results.summary import NPS_CATEGORIES, REDACTED
from cx.results.tally import NONE, TOTAL

SPECIAL_GROUPS = {OTHERS: "results.others", MISSING: "results.not_stated",
                  TOTAL: "results.total"}
# a table's code columns and the column that names them, inserted right after
NAMED = (("code", "label"), ("group", "group_label"), ("category", "category_label"),
         ("series", "series_label"))


def picker_label(q: Question, qn: Questionnaire, lang: str) -> str:
    """'Sezione · testo': the question picker is searchable by either."""
    return f"{qn.section_title(q.section, lang)} · {q.text(lang)}"


def breakdown_label(by: str, lang: str) -> str:
    return t(f"results.by.{by}", lang)


def bin_label(start: float, end: float, lang: str) -> str:
    """'10–20', '2,5–3', '−20 – −10' (a real minus sign; spaced when a bound is negative)."""
    text = [fmt.number(x, lang, 0 if float(x).is_integer() else 1).replace("-", "−")
            for x in (start, end)]
    return (" – " if min(start, end) < 0 else "–").join(text)


@dataclass(frozen=True)
class Labels:
    """How the codes of one question's tables read in `lang`, its groups being those of `by`
    (a profile question, "wave", ITEMS for Likert statements, or NONE)."""

    q: Question
    qn: Questionnaire
    lang: str
    by: str = NONE

    def label(self, code: str) -> str:
        """An answer's code as it reads: an option, a level, an NPS category or a word."""
        if self.q.qtype.free:
            return code  # a word of free text
        if self.q.kind.measure == "nps" and code in NPS_CATEGORIES:
            return t(f"results.nps_{code}", self.lang)
        return self.q.option_label(code, self.lang)

    def group(self, code: str) -> str:
        if code in SPECIAL_GROUPS:
            return t(SPECIAL_GROUPS[code], self.lang)
        if self.by == ITEMS and code in self.qn:
            return self.qn[code].text(self.lang)
        if self.by in (NONE, "wave", ITEMS):
            return code
        return self.qn[self.by].option_label(code, self.lang)

    def series(self, code: str) -> str:
        return "" if code == TOTAL else self.label(code)

    def category(self, code: str) -> str:
        return t(f"results.nps_{code}", self.lang)

    def table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` with a label beside each code column (bins of a histogram labelled at the
        end), as it is charted and downloaded."""
        named = frame.copy()
        for column, label in NAMED:
            if column in named and label not in named:
                name = getattr(self, "label" if column == "code" else column)
                words = {v: name(str(v)) for v in pd.unique(named[column])}
                named.insert(list(named.columns).index(column) + 1, label,
                             named[column].map(words).astype(object))
        if "start" in named and "label" not in named:
            named["label"] = [bin_label(a, b, self.lang)
                              for a, b in zip(named["start"], named["end"])]
        return named

    def group_title(self) -> str:
        """What the groups are: 'Settore', 'Ondata'…"""
        return breakdown_label(self.by, self.lang)

    def merged(self, codes: tuple[str, ...]) -> str:
        return ", ".join(self.group(c) for c in codes)


def answers_table(answers: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Free-text answers with blanked names read as '[azienda]' / '[company]', most frequent
    first, then A–Z."""
    text = answers["answer"].str.replace(REDACTED, t("results.redacted", lang), regex=False)
    return (answers.assign(answer=text)
            .sort_values(["count", "answer"], ascending=[False, True], ignore_index=True))

