"""The pyramid, the radar and the scorecard in the reader's language: translated titles, legend
and axis names, and the KPI tables as text. Shared by the pages and the PDF. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cx import claims, fmt
from cx.charts.pyramid import PyramidLayout, TierLabels, pyramid_chart
from cx.charts.radar import RADAR_SIZE, RadarStyle, radar_chart
from cx.charts.theme import Spec
from cx.charts.titles import Titles
from cx.companies import CLUB
from cx.i18n import t
from cx.pyramid import WeakFoundation
from cx.questionnaire import PILLARS, PYRAMID_LEVELS, questionnaire
from cx.scorecard.card import COMPANY, SECTOR, Scorecard, SectorGap
from cx.standing import Standing

INDICATOR_FORMAT = {"nps": "signed", "csat": "percent", "ces": "decimal", "csi": "whole"}


@dataclass(frozen=True)
class PeerCounts:
    """The companies behind a radar's benchmarks: the Club's, the sector's, and the k that
    each benchmark needs."""

    k: int
    club: int
    sector: int


def level_names(lang: str) -> dict[str, str]:
    return {level: t(f"score.pyramid_{level}", lang) for level in PYRAMID_LEVELS}


def tier_labels(lang: str, k: int) -> TierLabels:
    """The pyramid's tier names and score title in `lang`; k for the tiers it withholds."""
    return TierLabels(tuple(level_names(lang).items()), t("pyramid.score_title", lang), k)


def pillar_axes(lang: str) -> dict[str, str]:
    return {pillar: t(f"score.pillar_{pillar}", lang) for pillar in PILLARS}


def sector_name(sector: str | None, lang: str) -> str:
    if sector is None:
        return t("scorecard.no_sector", lang)
    return questionnaire()["sector"].option_label(sector, lang)


def radar_names(company: str, lang: str) -> dict[str, str]:
    """Legend text of each piece of a radar."""
    return {"company": company, CLUB: t("pillars.legend_club", lang),
            "band": t("pillars.legend_band", lang), SECTOR: t("pillars.legend_sector", lang)}


def company_pyramid(card: Scorecard, label: str, scope: str, lang: str) -> Spec:
    """The company's pyramid beside its sector's and the Club's (small multiples)."""
    panels = {COMPANY: label + fmt.indicative_mark(card.n, lang),
              SECTOR: t("pyramid.panel_sector", lang, sector=sector_name(card.sector, lang)),
              CLUB: t("pyramid.panel_club", lang)}
    titles = Titles(t("pyramid.company_chart", lang),
                    t("pyramid.company_subtitle", lang, scope=scope), lang)
    return pyramid_chart(card.levels, tier_labels(lang, card.k), titles,
                         PyramidLayout(tuple(panels.items()), width=300, height=210))


def company_radar(pieces: dict[str, pd.DataFrame], label: str, titles: Titles,
                  size: int = RADAR_SIZE) -> Spec:
    """A company's radar over the Club's median and band, with its sector's median."""
    lang = titles.lang
    return radar_chart(pieces, radar_names(label, lang), pillar_axes(lang), titles,
                       RadarStyle(size))


def _indicator_value(kind: str, value: float | None, lang: str) -> str:
    style = INDICATOR_FORMAT[kind.split("_")[-1]]
    if style == "signed":
        return fmt.signed(value, lang)
    if style == "percent":
        return fmt.percent(value, lang)
    return fmt.number(value, lang, 0 if style == "whole" else 1)


def _peer_text(kind: str, value: float, companies: int, k: int, lang: str) -> str:
    if companies < k or pd.isna(value):
        return t("scorecard.too_few", lang, k=k)
    return t("scorecard.value_n", lang, value=_indicator_value(kind, value, lang),
             n=fmt.number(companies, lang))


def kpi_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """Declared KPIs as text: the company's value, the sector's and the Club's medians."""
    rows = []
    for _, row in card.kpis.iterrows():
        kind = row["kpi"]
        since = questionnaire()[kind].since
        asked = since is None or any(w >= since for w in card.waves)
        own = (t("scorecard.not_declared", lang) if asked else
               t("scorecard.not_asked", lang, since=since)) if pd.isna(row["company"]) \
            else _indicator_value(kind, row["company"], lang)
        rows.append({
            t("scorecard.col_measure", lang): t(f"scorecard.{kind}", lang),
            t("scorecard.col_company", lang): own,
            t("scorecard.col_sector", lang): _peer_text(kind, row["sector"],
                                                        row["sector_companies"], card.k, lang),
            t("scorecard.col_club", lang): _peer_text(kind, row["club"], row["club_companies"],
                                                      card.k, lang),
        })
    return pd.DataFrame(rows)


def _aggregate_text(row: pd.Series, lang: str, k: int) -> str:
    if row["suppressed"] or pd.isna(row["value"]):
        return "–" if row["scope"] == COMPANY else t("scorecard.too_few", lang, k=k)
    return t("scorecard.value_n", lang,
             value=_indicator_value(row["indicator"], row["value"], lang),
             n=fmt.number(row["n"], lang) + fmt.indicative_mark(int(row["n"]), lang))


def indicator_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """The Club's own NPS, CSAT and CES as the company's respondents, its sector and the Club
    rate it, as text."""
    columns = {COMPANY: "scorecard.col_company", SECTOR: "scorecard.col_sector",
               CLUB: "scorecard.col_club"}
    rows = []
    for indicator, group in card.indicators.groupby("indicator", sort=False):
        row = {t("scorecard.col_measure", lang): t(f"scorecard.{indicator}", lang)}
        by_scope = {r["scope"]: r for _, r in group.iterrows()}
        for scope, key in columns.items():
            row[t(key, lang)] = (_aggregate_text(by_scope[scope], lang, card.k)
                                 if scope in by_scope else t("scorecard.too_few", lang, k=card.k))
        rows.append(row)
    return pd.DataFrame(rows)


def next_practice_lines(card: Scorecard, lang: str) -> tuple[str, list[str]]:
    """The next practice's name and the sentences that explain it."""
    step = card.next_practice
    if step is None:
        return t("scorecard.next_title", lang), [t("scorecard.next_none", lang)]
    q = questionnaire()[step.question]
    lines = []
    if step.current is not None and step.target:
        lines.append(t("scorecard.next_single", lang, current=q.option_label(step.current, lang),
                       target=q.option_label(step.target[0], lang)))
    elif step.target:
        targets = ", ".join(q.option_label(c, lang) for c in step.target)
        lines.append(t("scorecard.next_multi", lang, target=targets))
    lines.append(t("scorecard.next_gain", lang, gain=fmt.number(step.gain, lang, 1)))
    return t(f"scorecard.practice.{step.question}", lang), lines


def pillar_names(lang: str) -> dict[str, str]:
    """Each pillar's score column → its name."""
    return {f"pillar_{pillar}": name for pillar, name in pillar_axes(lang).items()}


def ranking_summary(standing: Standing | None, lang: str) -> str:
    """The Club's strongest and weakest pillar, or those sharing the lead and the last place
    (`cx.claims.standing_sentence`); '' without a standing."""
    return "" if standing is None else claims.standing_sentence(standing, pillar_names(lang), lang)


def missing_benchmarks(pieces: dict[str, pd.DataFrame], sector: str | None, counts: PeerCounts,
                       lang: str) -> list[str]:
    """Why a radar lacks the Club's median and band, or its sector's median."""
    notes = []
    if "band" not in pieces:
        notes.append(t("pillars.band_missing", lang, k=counts.k, n=counts.club))
    if sector is not None and SECTOR not in pieces:
        notes.append(t("pillars.sector_missing", lang, k=counts.k, n=counts.sector))
    return notes


def weak_foundation_note(found: Sequence[WeakFoundation], who: str, lang: str) -> str | None:
    """The "fondamenta deboli" sentence for one pyramid (None when its foundations hold)."""
    if not found:
        return None
    names = level_names(lang)
    pairs = "; ".join(t("pyramid.weak_pair", lang, upper=names[w.upper], lower=names[w.lower],
                        upper_value=fmt.number(w.upper_value, lang),
                        lower_value=fmt.number(w.lower_value, lang),
                        dz=claims.dz_text(w.dz, lang), **claims.distance_text(w.difference, lang))
                      for w in found)
    return t("pyramid.weak", lang, who=who, pairs=pairs)


def _gap_item(gap: SectorGap, lang: str) -> str:
    return t("scorecard.sector_item", lang, name=t(f"score.{gap.measure}", lang),
             value=fmt.signed(gap.difference.estimate, lang, 1),
             ci=claims.interval_text(gap.difference, lang), g=fmt.number(gap.g, lang, 2))


def sector_note(card: Scorecard, lang: str) -> str | None:
    """Where the company stands above or below the rest of its sector, beyond chance, and in
    line elsewhere (None when it could not be compared)."""
    gaps = card.versus_sector
    if not gaps:
        return None
    parts = []
    for side in ("above", "below"):
        items = [_gap_item(g, lang) for g in gaps if g.side == side]
        if items:
            parts.append(t(f"scorecard.sector_{side}", lang, items="; ".join(items)))
    level = sum(g.side == "in_line" for g in gaps)
    if not parts:
        parts.append(t("scorecard.sector_all_in_line", lang, n=level))
    elif level:
        parts.append(t("scorecard.sector_in_line", lang, n=level))
    return t("scorecard.sector_note", lang, sector=sector_name(card.sector, lang),
             parts="; ".join(parts))


def happy_text(card: Scorecard, lang: str) -> tuple[str, str]:
    """The Happy Index as (value, caption): what it rests on and where it stands in its sector
    and the Club; or why there is none."""
    happy = card.happy
    names = {"kpi_nps": "NPS", "kpi_csat": "CSAT", "kpi_ces": "CES", "kpi_csi": "CSI"}
    if happy is None or happy.value is None:
        declared = len(happy.indicators) if happy is not None else 0
        return "–", t("scorecard.happy_none", lang, n=declared)
    used = ", ".join(names[c] for c in happy.indicators)
    parts = [t("scorecard.happy_rests", lang, n=len(happy.indicators), used=used)]
    for scope, value, companies in (("sector", happy.sector, happy.sector_companies),
                                    ("club", happy.club, happy.club_companies)):
        parts.append(t(f"scorecard.happy_{scope}", lang, pct=fmt.number(value, lang),
                       n=fmt.number(companies, lang)) if value is not None
                     else t(f"scorecard.happy_{scope}_few", lang, k=card.k))
    return fmt.number(happy.value, lang), " · ".join(parts)
