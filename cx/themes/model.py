"""The themes of one free-text question in a view: found (`find`), edited by the analysts
(`edits`), counted with their intervals and moves (`figures`), quoted (`quotes`). Computed on
the question's tally under `view.rules`, in no language (`cx.themes.labels` names it)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx import scoring
from cx.questionnaire import Question
from cx.results.summary import REDACTED
from cx.results.tally import answered
from cx.themes import figures
from cx.themes.edits import Edit, apply_edits
from cx.themes.figures import ANSWER
from cx.themes.find import find_themes
from cx.themes.lexicon import THEMES
from cx.themes.quotes import theme_quotes
from cx.view import View


@dataclass(frozen=True)
class Themes:
    qid: str
    n: int  # respondents who answered in the view
    threshold: int  # answers needed before anything is shown (the comment threshold)
    table: pd.DataFrame  # figures.TABLE_COLUMNS + figures.MOVE_COLUMNS (NaN without a move)
    uncovered: scoring.Aggregate  # respondents no theme explains (share in %)
    quotes: pd.DataFrame  # quotes.COLUMNS
    emergent: dict[str, tuple[str, ...]]  # themes found beyond the dictionary → their lemmas
    labels: dict[str, tuple[str, str]]  # analysts' names (Italian, English)
    waves: tuple[int, int] | None  # the two waves a move is measured between
    dictionary: int = len(THEMES)  # themes in the seeded dictionary

    @property
    def suppressed(self) -> bool:
        return self.n < self.threshold

    @property
    def uncovered_count(self) -> int:
        value = self.uncovered.value
        return 0 if value is None else round(value * self.uncovered.n / 100)


EXTRA_PREFIX = "extra:"  # the themes' question id of a kept column of the uploads


def themed(q: Question) -> bool:
    """Whether a question's answers are themed: free text other than the company's name."""
    return q.qtype.free and q.id != "company"


def _rows(counts: pd.DataFrame, qid: str) -> pd.DataFrame:
    """The answered rows of a tally (qid, wave, company, n), the answer trimmed."""
    rows = answered(counts, qid)
    # companies as integers once: every interval clusters on them
    companies = pd.factorize(rows["company"], use_na_sentinel=False)[0]
    rows = rows.assign(**{ANSWER: rows[qid].astype(str).str.strip()}).assign(company=companies)
    return rows[rows[ANSWER] != ""].drop(columns=[qid])


def analyse(qid: str, counts: pd.DataFrame, rules: View, edits: tuple[Edit, ...] = (),
            names: dict[str, tuple[str, ...]] | None = None) -> Themes:
    """The themes of the answers in column `qid` of a tally over every wave (qid, wave,
    company, n; the view's other filters applied): a question's, or a kept column's of the
    uploads. Figures for the view's wave (all waves when none), moves between the last two."""
    every = _rows(counts, qid)
    wave = rules.filters.wave
    rows = every if wave is None else every[every["wave"] == wave]
    n, threshold = int(rows["n"].sum()), rules.text_k
    if n < threshold:
        return Themes(qid, n, threshold, pd.DataFrame(), scoring.suppressed(n),
                      pd.DataFrame(), {}, {}, None)
    selected = rows.groupby(ANSWER, sort=True)["n"].sum()
    found = find_themes(dict(zip(selected.index.tolist(), selected.tolist())), rules.text_k,
                        tuple(every[ANSWER].unique().tolist()))
    edited = apply_edits(found.themes, edits)
    keys = tuple(dict.fromkeys(x for x in (*found.keys, *(e.target for e in edits if e.target))
                               if any(x in ts for ts in edited.themes.values())))
    hits = figures.flags(every, edited.themes, keys)  # once: the figures read its rows
    chosen = np.ones(len(every), dtype=bool) if wave is None else (every["wave"] == wave
                                                                   ).to_numpy()
    table = figures.theme_table(rows, hits[chosen], keys, rules.k)
    moves = figures.theme_moves(every, hits, keys, threshold)
    table = table.merge(moves, on="theme", how="left")
    quotes = theme_quotes(rows, edited.themes, table, threshold, names or {}, REDACTED)
    return Themes(qid, n, threshold, table, figures.uncovered(rows, hits[chosen], rules.k),
                  quotes, found.emergent, edited.labels,
                  figures.last_waves(every, threshold))
