"""The Happy Index of a company: the seeds' «punteggio di stima», an immediate overall reading
of its customers' experience. Here a transparent composite of the customer indicators the
company declares, each put on 0–100 and averaged with equal weights:

* NPS (−100…100): (NPS + 100) / 2
* CSAT (% satisfied): as is
* CES (1…7, higher = easier, as the questionnaire asks it): (CES − 1) / 6 × 100
* CSI (0…100): as is

It is computed only from at least `MIN_INDICATORS` indicators (one indicator is that indicator,
not an overall reading), and placed in its sector and in the Club as a percentile (mid-rank)
among the companies with an index, when at least k of them have one. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

INDICATORS = ("kpi_nps", "kpi_csat", "kpi_ces", "kpi_csi")
MIN_INDICATORS = 2
_SCALE = {"kpi_nps": (-100.0, 100.0), "kpi_csat": (0.0, 100.0), "kpi_ces": (1.0, 7.0),
          "kpi_csi": (0.0, 100.0)}


@dataclass(frozen=True)
class HappyIndex:
    """A company's Happy Index, what it rests on, and where it stands."""

    value: float | None  # 0–100; None under MIN_INDICATORS indicators
    indicators: tuple[str, ...]  # the declared indicators it averages
    sector: float | None = None  # percentile among the sector's companies with an index
    sector_companies: int = 0
    club: float | None = None  # percentile among the Club's companies with an index
    club_companies: int = 0

    @property
    def shown(self) -> bool:
        return self.value is not None


def normalised(table: pd.DataFrame) -> pd.DataFrame:
    """Each declared indicator of each company (rows) on 0–100 (NaN where not declared)."""
    out = pd.DataFrame(index=table.index)
    for column in INDICATORS:
        low, high = _SCALE[column]
        values = pd.to_numeric(table[column], errors="coerce") if column in table \
            else pd.Series(np.nan, index=table.index)
        out[column] = ((values - low) / (high - low) * 100).clip(0, 100)
    return out


def indices(table: pd.DataFrame) -> pd.DataFrame:
    """Per company of a company table (columns company, sector and the KPI means): its Happy
    Index (NaN under MIN_INDICATORS indicators), how many indicators it rests on and which
    (`declared`, joined by |)."""
    scores = normalised(table)
    count = scores.notna().sum(axis=1)
    value = scores.mean(axis=1).where(count >= MIN_INDICATORS)
    declared = pd.Series("", index=table.index)
    for column in INDICATORS:
        declared = declared.where(scores[column].isna(), declared + "|" + column)
    return pd.DataFrame({"company": table["company"], "sector": table["sector"],
                         "happy": value, "indicators": count,
                         "declared": declared.str.removeprefix("|")})


def percentile(value: float, others: np.ndarray) -> float:
    """Mid-rank percentile of `value` among `others` (itself included): the share below it
    plus half the share equal to it, in %."""
    return float(stats.percentileofscore(others, value, kind="mean"))


def happy_index(company: str, peers: pd.DataFrame, k: int) -> HappyIndex:
    """The company's Happy Index from `indices` of its filter, placed among the companies of
    its sector and of the Club (k of them with an index needed for each)."""
    own = peers[peers["company"] == company]
    if own.empty:
        return HappyIndex(None, ())
    row = own.iloc[0]
    declared = tuple(c for c in str(row["declared"]).split("|") if c)
    if pd.isna(row["happy"]):
        return HappyIndex(None, declared)
    value = float(row["happy"])
    with_index = peers.dropna(subset=["happy"])
    in_sector = with_index[with_index["sector"] == row["sector"]]["happy"].to_numpy(float)
    club = with_index["happy"].to_numpy(float)
    return HappyIndex(value, declared,
                      percentile(value, in_sector) if len(in_sector) >= k else None,
                      len(in_sector),
                      percentile(value, club) if len(club) >= k else None, len(club))
