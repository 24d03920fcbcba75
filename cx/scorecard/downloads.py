"""Where the company stands and how it moved as numbers, for the CSV/XLSX downloads: one row
per number (its value, each reference with its difference and interval, the verdict, the
change since the previous wave) and one per practice; headers and words in the reader's
language. Pure."""

from __future__ import annotations

import math

import pandas as pd

from cx.i18n import t
from cx.scorecard.card import Scorecard
from cx.scorecard.peers import MEASURES
from cx.scorecard.standing import CLUB, SECTOR
from cx.scorecard.tables import measure_name

SCOPES = (SECTOR, CLUB)
BY_SCOPE = ("reference", "n", "companies", "difference", "low", "high", "verdict")
SHARES = ("share", "low", "high", "companies")


def _scope(scope: str, lang: str) -> str:
    return t(f"scorecard.position.col_{scope}", lang)


def _verdict(side: str, shown: bool, k: int, lang: str) -> str:
    if not shown:
        return t("scorecard.too_few", lang, k=k)
    return t(f"scorecard.position.side_{side}", lang)


def standing_data(card: Scorecard, lang: str) -> pd.DataFrame:
    """The standing table as numbers: one row per number of the scorecard."""
    position = card.position
    assert position is not None
    word = {key: t(f"scorecard.position.data.{key}", lang) for key in (
        "code", "company_n", "previous_wave", "previous", "change", "change_low",
        "change_high", "comparable", *BY_SCOPE)}
    rows = []
    for measure in MEASURES:
        club = position.against(measure, CLUB)
        if club is None or math.isnan(club.company):
            continue
        row: dict[str, object] = {word["code"]: measure,
                                  t("scorecard.col_measure", lang): measure_name(measure, lang),
                                  t("scorecard.col_company", lang): club.company,
                                  word["company_n"]: club.company_n}
        for scope in SCOPES:
            v = position.against(measure, scope)
            if v is None:
                continue
            values = (v.reference, v.reference_n, v.companies,
                      *((v.difference.estimate, v.difference.low, v.difference.high)
                        if v.shown else (math.nan,) * 3),
                      _verdict(v.side, v.shown, card.k, lang))
            row.update({f"{_scope(scope, lang)}: {word[key]}": value
                        for key, value in zip(BY_SCOPE, values)})
        move = position.moves.of(measure) if position.moves is not None else None
        if position.moves is not None and move is not None:
            row.update({word["previous_wave"]: position.moves.before, word["previous"]: move.before,
                        word["change"]: move.change.estimate, word["change_low"]: move.change.low,
                        word["change_high"]: move.change.high,
                        word["comparable"]: t("scorecard.position.has_yes" if move.comparable
                                              else "scorecard.position.has_no", lang)})
        rows.append(row)
    return pd.DataFrame(rows)


def practice_data(card: Scorecard, lang: str) -> pd.DataFrame:
    """The practice table as numbers: the company's score, whether it has the practice, and
    the share of the other companies that do (sector, Club) with its interval."""
    position = card.position
    assert position is not None
    word = {key: t(f"scorecard.position.data.{key}", lang)
            for key in ("code", "score", *SHARES)}
    rows = []
    for p in position.practices:
        has = "not_answered" if p.has is None else ("has_yes" if p.has else "has_no")
        row: dict[str, object] = {
            word["code"]: p.question,
            t("scorecard.position.col_practice", lang): t(f"scorecard.practice.{p.question}",
                                                          lang),
            word["score"]: p.score,
            t("scorecard.col_company", lang): t(f"scorecard.position.{has}", lang)}
        for scope, share in ((SECTOR, p.sector), (CLUB, p.club)):
            values = share if share is not None else (math.nan, math.nan, math.nan, 0)
            row.update({f"{_scope(scope, lang)}: {word[key]}": value
                        for key, value in zip(SHARES, values)})
        rows.append(row)
    return pd.DataFrame(rows)
