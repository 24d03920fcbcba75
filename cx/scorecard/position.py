"""Where a company stands and how it moved, in one value beside its scorecard: its numbers
against the rest of its sector and of the Club (`cx.scorecard.standing`), its maturity's
percentiles, its practices beside its peers', and its moves since its previous wave
(`cx.scorecard.moves`). Pure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx.questionnaire import Questionnaire
from cx.scorecard.moves import Moves, moves
from cx.scorecard.peers import Moments, respondent_values
from cx.scorecard.standing import (
    CLUB,
    Percentile,
    PracticeShare,
    Versus,
    own_values,
    percentiles,
    practice_shares,
    versus,
)


@dataclass(frozen=True)
class Position:
    """Everything the scorecard adds on where the company stands and how it moved."""

    k: int
    versus: tuple[Versus, ...]
    percentiles: tuple[Percentile, ...]
    practices: tuple[PracticeShare, ...]
    moves: Moves | None

    def against(self, measure: str, scope: str) -> Versus | None:
        return next((v for v in self.versus if v.measure == measure and v.scope == scope), None)

    def percentile(self, scope: str) -> Percentile | None:
        return next((p for p in self.percentiles if p.scope == scope), None)

    def gaps(self, measures: tuple[str, ...], scope: str = CLUB) -> pd.DataFrame:
        """measure, estimate, low, high, side of the differences shown (for the gap bar)."""
        rows = [{"measure": v.measure, "estimate": v.difference.estimate,
                 "low": v.difference.low, "high": v.difference.high, "side": v.side}
                for m in measures if (v := self.against(m, scope)) is not None and v.shown]
        return pd.DataFrame(rows, columns=["measure", "estimate", "low", "high", "side"])


def build_position(answers: pd.DataFrame, history: pd.DataFrame, row: pd.Series, m: Moments,
                   signatures: pd.DataFrame, qn: Questionnaire, k: int) -> Position:
    """The position of the company in `row` (its company-table line, sector as published for
    the viewer), from its `answers` in the filter, its `history` (every wave), the filter's
    moments and the questions' signatures per wave."""
    company = str(row["company"])
    sector = None if pd.isna(row["sector"]) else str(row["sector"])
    values = respondent_values(history, qn)  # once: the filter's answers are among them
    mine = history["respondent_id"].isin(answers["respondent_id"]).to_numpy()
    own = own_values(answers, qn, values[mine])
    var_w, df_w = m.within
    spread = {c: (float(var_w[j]), float(df_w[j])) for j, c in enumerate(m.columns)}
    waves = answers["wave"].dropna()
    latest = int(waves.max()) if len(waves) else None
    return Position(
        k=k,
        versus=versus(own, m, company, sector, k),
        percentiles=percentiles(own, m, company, sector, k),
        practices=practice_shares(own, m, company, sector, k, qn),
        moves=None if latest is None else moves(history, latest, signatures, qn, spread,
                                                values))
