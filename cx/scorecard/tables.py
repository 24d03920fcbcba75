"""Where the company stands and how it moved, in the reader's language: the standing table
(each number, its difference to the rest of the sector and of the Club with intervals, its
change since the previous wave), the percentiles and the practices beside the peers' (the same
as numbers for the downloads: `cx.scorecard.downloads`). Shared by the page and the PDF.
Pure."""

from __future__ import annotations

import math

import pandas as pd

from cx import claims, fmt
from cx.i18n import t
from cx.questionnaire import PILLARS
from cx.scorecard.card import Scorecard
from cx.scorecard.peers import HAPPY, MEASURES
from cx.scorecard.position import Position
from cx.scorecard.standing import CLUB, SECTOR, PracticeShare, Versus

PILLAR_MEASURES = tuple(f"pillar_{p}" for p in PILLARS)
SCOPES = (SECTOR, CLUB)
# how a number is written: signed (NPS), percent, one decimal (CES), whole (CSI, 0–100 scores)
STYLE = {"kpi_nps": "signed", "club_nps": "signed", "kpi_csat": "percent",
         "club_csat": "percent", "kpi_ces": "decimal", "club_ces": "decimal"}


def measure_name(measure: str, lang: str) -> str:
    if measure == "maturity_index":
        return t("scorecard.maturity", lang)
    if measure == HAPPY:
        return t("scorecard.happy_title", lang)
    if measure.startswith(("pyramid_", "pillar_")):
        return t(f"score.{measure}", lang)
    return t(f"scorecard.{measure}", lang)


def value_text(measure: str, value: float, lang: str) -> str:
    style = STYLE.get(measure, "decimal")
    if style == "signed":
        return fmt.signed(value, lang)
    if style == "percent":
        return fmt.percent(value, lang)
    return fmt.number(value, lang, 1)


def _own(v: Versus, lang: str) -> str:
    if math.isnan(v.company):
        return "–"
    if v.measure == HAPPY:
        return value_text(v.measure, v.company, lang)
    return t("scorecard.position.own", lang, value=value_text(v.measure, v.company, lang),
             n=v.company_n)


def _reference(v: Versus | None, k: int, lang: str) -> str:
    if v is None:
        return t("scorecard.no_sector", lang)
    if not v.shown:
        return t("scorecard.too_few", lang, k=k)
    if v.measure == HAPPY:  # one value per company
        return t("scorecard.position.reference_companies", lang,
                 value=value_text(v.measure, v.reference, lang),
                 companies=fmt.number(v.companies, lang))
    return t("scorecard.position.reference", lang,
             value=value_text(v.measure, v.reference, lang),
             n=fmt.number(v.reference_n, lang), companies=fmt.number(v.companies, lang))


def _difference(v: Versus | None, lang: str) -> str:
    if v is None or not v.shown:
        return "–"
    if math.isnan(v.difference.estimate):
        return t("scorecard.position.untested", lang)
    return t("scorecard.position.difference", lang,
             value=fmt.signed(v.difference.estimate, lang, 1),
             ci=claims.interval_text(v.difference, lang),
             side=t(f"scorecard.position.side_{v.side}", lang))


def _move(position: Position, measure: str, lang: str) -> str:
    moves = position.moves
    move = moves.of(measure) if moves is not None else None
    if moves is None or move is None:
        return "–"
    if not move.comparable:
        return t("scorecard.position.not_comparable", lang)
    if math.isnan(move.change.estimate):
        return fmt.signed(move.after - move.before, lang, 1)
    return t("scorecard.position.move", lang, value=fmt.signed(move.change.estimate, lang, 1),
             ci=claims.interval_text(move.change, lang))


def columns(position: Position, lang: str) -> list[str]:
    moved = position.moves
    change = t("scorecard.position.col_move", lang,
               wave=moved.before if moved else "–", after=moved.after if moved else "–")
    return [t("scorecard.col_measure", lang), t("scorecard.col_company", lang),
            t("scorecard.position.col_sector", lang), t("scorecard.position.col_vs_sector", lang),
            t("scorecard.position.col_club", lang), t("scorecard.position.col_vs_club", lang),
            change]


def standing_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """Every number of the scorecard beside the rest of its sector and of the Club."""
    position = card.position
    assert position is not None
    rows = []
    for measure in MEASURES:
        club = position.against(measure, CLUB)
        sector = position.against(measure, SECTOR)
        if club is None or math.isnan(club.company):
            continue
        rows.append([measure_name(measure, lang), _own(club, lang),
                     _reference(sector, card.k, lang), _difference(sector, lang),
                     _reference(club, card.k, lang), _difference(club, lang),
                     _move(position, measure, lang)])
    return pd.DataFrame(rows, columns=columns(position, lang))


def percentile_lines(card: Scorecard, lang: str) -> list[str]:
    """The maturity's percentile in the sector and in the Club, or why it is withheld."""
    position = card.position
    assert position is not None
    lines = []
    for p in position.percentiles:
        if p.value is None:
            lines.append(t(f"scorecard.position.percentile_{p.scope}_few", lang, k=card.k,
                           n=fmt.number(p.companies, lang)))
        else:
            lines.append(t(f"scorecard.position.percentile_{p.scope}", lang,
                           pct=fmt.number(p.value, lang), n=fmt.number(p.companies, lang)))
    return lines


def _share(share: tuple[float, float, float, int] | None, k: int, lang: str) -> str:
    if share is None:
        return t("scorecard.too_few", lang, k=k)
    value, low, high, n = share
    return t("scorecard.position.share", lang, value=fmt.percent(value, lang),
             ci=fmt.interval(low, high, lang), n=fmt.number(n, lang))


def _has(p: PracticeShare, lang: str) -> str:
    if p.has is None:
        return t("scorecard.position.not_answered", lang)
    return t("scorecard.position.has_yes" if p.has else "scorecard.position.has_no", lang)


def practice_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """Each practice: whether the company has it, and the share of its peers that do."""
    position = card.position
    assert position is not None
    rows = [[t(f"scorecard.practice.{p.question}", lang), _has(p, lang),
             _share(p.sector, card.k, lang), _share(p.club, card.k, lang)]
            for p in position.practices]
    return pd.DataFrame(rows, columns=[
        t("scorecard.position.col_practice", lang), t("scorecard.col_company", lang),
        t("scorecard.position.col_sector_share", lang),
        t("scorecard.position.col_club_share", lang)])


def gap_frame(card: Scorecard, lang: str) -> pd.DataFrame:
    """Company − rest of the Club per pillar, named, for the gap bar."""
    position = card.position
    assert position is not None
    gaps = position.gaps(PILLAR_MEASURES)
    gaps.insert(0, "name", [measure_name(m, lang) for m in gaps["measure"]])
    gaps["label"] = [t("scorecard.position.gap_label", lang, value=fmt.signed(e, lang, 1),
                       ci=fmt.interval(lo, hi, lang, 1, signed_values=True))
                     for e, lo, hi in zip(gaps["estimate"], gaps["low"], gaps["high"])]
    gaps["verdict"] = [t(f"scorecard.position.side_{s}", lang) for s in gaps["side"]]
    return gaps


def moves_note(card: Scorecard, lang: str) -> str:
    """Which waves the change compares, or why there is none."""
    position = card.position
    if position is None or position.moves is None:
        return t("scorecard.position.no_previous", lang)
    moves = position.moves
    changed = sorted({q for m in moves.moves for q in m.changed})
    note = t("scorecard.position.moves_note", lang, before=moves.before, after=moves.after)
    if changed:
        note += " " + t("scorecard.position.changed_note", lang, questions=", ".join(changed))
    return note
