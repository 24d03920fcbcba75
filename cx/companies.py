"""Companies in the filter: one score row per company, who may see which, and the peer
benchmarks (medians, interquartile bands, sector values) shown only where at least k companies
contribute, with the tests behind the Club's claims (its strongest pillar, its foundations)
and what a company is tested against (the rest of its sector). Pure: the store runs the SQL,
nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cx import happy_index, scoring, standing
from cx.access import Viewer, display_name
from cx.filters import Filters
from cx.privacy.quantiles import smoothed_median, smoothed_quantiles
from cx.respondent_scores import maturity_stage
from cx.score_columns import LEVEL_PAIRS, PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.stats import Sample
from cx.store import Store

KPI_COLUMNS = ("kpi_nps", "kpi_csat", "kpi_ces", "kpi_csi")  # CSI: asked from 2027
OVERALL = "overall"
COMPANY_MEASURES = (*PYRAMID_COLUMNS, *PILLAR_COLUMNS, "maturity_index", *KPI_COLUMNS, OVERALL)
RESPONDENT_COLUMNS = ("company", "sector", *PYRAMID_COLUMNS, *PILLAR_COLUMNS, "club_nps",
                      "club_csat", "club_ces")
INDICATORS = ("club_nps", "club_csat", "club_ces")
CLUB = "club"
TESTED = (*PYRAMID_COLUMNS, *PILLAR_COLUMNS)  # what a company is tested against its sector on


def company_table(store: Store, filters: Filters) -> pd.DataFrame:
    """One row per company in the filter: code, sector, n and its mean scores.

    `overall` is the mean of the company's six pillar scores (what the heatmap sorts by).
    """
    table = store.query_in("company_table", filters)
    table[OVERALL] = table[list(PILLAR_COLUMNS)].mean(axis=1)
    table["maturity_stage"] = maturity_stage(table["maturity_index"])
    return table


def visible_companies(table: pd.DataFrame, viewer: Viewer, k: int) -> pd.DataFrame:
    """The companies whose own scores `viewer` may see one by one.

    Analysts see every company. Everyone else sees only their own company (a manager signed
    in with its code): a company's row describes one company, whatever its n (docs/privacy.md).
    `k` is kept for the callers' signature.
    """
    if viewer.is_analyst:
        return table
    return table.iloc[:0] if sees_none(viewer) else table[table["company"] == viewer.company]


def sees_none(viewer: Viewer) -> bool:
    """Whether `viewer` sees no company one by one (a visitor: neither analyst nor manager)."""
    return not viewer.is_analyst and not viewer.company


def company_labels(table: pd.DataFrame, viewer: Viewer) -> dict[str, str]:
    """Anonymous code → what `viewer` may read: the name, or the code itself."""
    return {code: display_name(name, code, viewer)
            for name, code in zip(table["company"], table["code"])}


def peer_band(table: pd.DataFrame, columns: tuple[str, ...], k: int) -> pd.DataFrame:
    """Median and interquartile range of each measure over companies, with how many
    companies contribute; each the mean of the k company scores around its rank (never one
    company's score), suppressed (NaN) under k companies."""
    rows = []
    for c in columns:
        values = table[c].to_numpy(dtype=float) if len(table) else np.empty(0)
        q1, median, q3 = smoothed_quantiles(values, (0.25, 0.5, 0.75), k)
        rows.append({"measure": c, "median": median, "q1": q1, "q3": q3,
                     "companies": int(np.count_nonzero(~np.isnan(values)))})
    out = pd.DataFrame(rows, columns=["measure", "median", "q1", "q3", "companies"])
    out["suppressed"] = out["companies"] < k
    out.loc[out["suppressed"], ["median", "q1", "q3"]] = np.nan
    return out


def sector_band(table: pd.DataFrame, columns: tuple[str, ...], k: int) -> pd.DataFrame:
    """Per sector and measure: the (k-smoothed) median over the sector's companies and how
    many contribute; suppressed (NaN) under k companies."""
    rows = []
    for sector, group in table.groupby("sector", observed=True):
        for c in columns:
            values = group[c].to_numpy(dtype=float)
            rows.append({"sector": sector, "measure": c,
                         "median": smoothed_median(values, k),
                         "companies": int(np.count_nonzero(~np.isnan(values)))})
    out = pd.DataFrame(rows, columns=["sector", "measure", "median", "companies"])
    out["suppressed"] = out["companies"] < k
    out.loc[out["suppressed"], "median"] = np.nan
    return out


def indicator_rows(scores: pd.DataFrame, scope: str, k: int) -> list[dict[str, object]]:
    """The Club's own indicators (its NPS, CSAT and CES) over these respondents, with
    company-clustered intervals."""
    companies = pd.Series(scoring.cluster_labels(scores["company"]), index=scores.index)
    aggregates = {"club_nps": scoring.nps(scores["club_nps"], k, companies),
                  "club_csat": scoring.csat(scores["club_csat"], k, clusters=companies),
                  "club_ces": scoring.mean(scores["club_ces"], k, companies)}
    return [{"scope": scope, "indicator": name, "value": agg.value, "low": agg.low,
             "high": agg.high, "n": agg.n, "suppressed": not agg.shown}
            for name, agg in aggregates.items()]


def hide(frame: pd.DataFrame, when: bool | pd.Series = True) -> pd.DataFrame:
    """Mark rows suppressed and drop their values (a suppressed number never leaves here)."""
    out = frame.copy()
    mask = pd.Series(when, index=out.index) | out["suppressed"].astype(bool)
    out["suppressed"] = mask
    values = [c for c in ("value", "low", "high") if c in out]
    out[values] = out[values].astype(float).mask(mask)
    return out


@dataclass(frozen=True)
class Peers:
    """Everything a company is compared with, computed once per filter."""

    k: int
    respondents: int
    companies: int
    club: pd.DataFrame  # measure, value, low, high, n, suppressed (over respondents)
    sectors: pd.DataFrame  # sector + the same, also suppressed under k companies
    band: pd.DataFrame  # measure, median, q1, q3, companies, suppressed (over companies)
    sector_band: pd.DataFrame  # sector, measure, median, companies, suppressed
    indicators: pd.DataFrame  # scope (club or a sector), indicator, value, low, high, n, ...
    pillars: standing.Standing | None = None  # the Club's leading and trailing pillars
    foundations: tuple[standing.Paired, ...] = ()  # higher − lower level, per LEVEL_PAIRS
    # per company: its Happy Index and the indicators it rests on (cx.happy_index; never shown
    # one by one, only as a company's own percentile)
    happy: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["company", "sector", "happy", "indicators", "declared"]))

    def sector_companies(self, sector: str | None) -> int:
        """How many companies of `sector` have pillar scores (what its radar median needs)."""
        rows = self.sector_band[(self.sector_band["sector"] == sector)
                                & self.sector_band["measure"].isin(PILLAR_COLUMNS)]
        return int(rows["companies"].min()) if len(rows) else 0

    def sector_profile(self, sector: str) -> pd.DataFrame:
        """The respondent-level profile of one sector (empty when it has no respondents)."""
        return self.sectors[self.sectors["sector"] == sector].drop(columns="sector")


def _sector_profiles(scores: pd.DataFrame, k: int) -> pd.DataFrame:
    frames = []
    for sector, group in scores.groupby("sector", observed=True):
        profile = scoring.club_profile(group, (*PYRAMID_COLUMNS, *PILLAR_COLUMNS), k)
        few = group["company"].nunique() < k
        frames.append(hide(profile, few).assign(sector=sector))
    columns = ["sector", "measure", "value", "low", "high", "n", "suppressed"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _indicators(scores: pd.DataFrame, k: int) -> pd.DataFrame:
    frames = [hide(pd.DataFrame(indicator_rows(scores, CLUB, k)), scores["company"].nunique() < k)]
    for sector, group in scores.groupby("sector", observed=True):
        rows = pd.DataFrame(indicator_rows(group, str(sector), k))
        frames.append(hide(rows, group["company"].nunique() < k))
    return pd.concat(frames, ignore_index=True)


def rest_sample(n: float, total: float, squares: float) -> Sample:
    """A sample's size, mean and variance from its sums (`Store.rest_of_sector`)."""
    mean = total / n if n else np.nan
    # the sum of squared deviations from the sums: squares − total²/n (never below 0)
    var = max(squares - total * mean, 0.0) / (n - 1) if n > 1 else np.nan
    return Sample(n, mean, var)


def compute_peers(scores: pd.DataFrame, table: pd.DataFrame, k: int) -> Peers:
    """Peer benchmarks of the filter from its respondents (`RESPONDENT_COLUMNS`) and its
    company table; the Club's claims are tested only where its profile is shown."""
    shown = len(table) >= k
    return Peers(
        k=k,
        respondents=len(scores),
        companies=len(table),
        club=hide(scoring.club_profile(scores, TESTED, k), not shown),
        sectors=_sector_profiles(scores, k),
        band=peer_band(table, COMPANY_MEASURES, k),
        sector_band=sector_band(table, COMPANY_MEASURES, k),
        indicators=_indicators(scores, k),
        pillars=standing.standing(scores, PILLAR_COLUMNS) if shown else None,
        foundations=standing.paired_family(scores, LEVEL_PAIRS) if shown else (),
        happy=happy_index.indices(table),
    )
