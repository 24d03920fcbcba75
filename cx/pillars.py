"""The Six Pillars (KPMG): the Club's ranking of pillars (a strongest or weakest pillar only
where paired tests carry it), the companies × pillars heatmap and the profiles a radar draws
(a company, the Club's median and interquartile band, a sector's median). Pure.
"""

from __future__ import annotations

import pandas as pd

from cx.companies import CLUB, OVERALL
from cx.questionnaire import PILLARS
from cx.score_columns import PILLAR_COLUMNS
from cx.standing import Standing

PILLAR_OF = dict(zip(PILLAR_COLUMNS, PILLARS))
HEATMAP_ROWS = 30


def pillar_ranking(profile: pd.DataFrame, standing: Standing | None) -> pd.DataFrame:
    """The pillars of a measure profile, highest mean first, with `rank` (1 = highest) and
    `role`: strongest / weakest where the standing (`cx.standing.standing` of the same
    respondents' pillar scores) carries it, top_tie / bottom_tie for the pillars sharing the
    lead or the last place, other. Suppressed pillars are left out."""
    rows = profile[profile["measure"].isin(PILLAR_COLUMNS) & ~profile["suppressed"].astype(bool)]
    rows = rows.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    out = rows.assign(pillar=rows["measure"].map(PILLAR_OF)).reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    out["role"] = [_role(m, standing) for m in out["measure"]]
    return out


def _role(measure: str, standing: Standing | None) -> str:
    if standing is None or standing.all_tied:
        return "other"
    if measure in standing.top:
        return "strongest" if standing.leader else "top_tie"
    if measure in standing.bottom:
        return "weakest" if standing.last else "bottom_tie"
    return "other"


def heatmap_table(companies: pd.DataFrame, labels: dict[str, str],
                  rows: int = HEATMAP_ROWS) -> pd.DataFrame:
    """The `rows` companies with the highest overall score (mean of the six pillars), one row
    per company and pillar: label, pillar, value, overall, rank (1 = highest)."""
    ranked = companies.dropna(subset=[OVERALL]).sort_values(
        [OVERALL, "code"], ascending=[False, True], kind="stable").head(rows)
    wide = ranked[["code", OVERALL, *PILLAR_COLUMNS]].assign(
        label=ranked["code"].map(labels), rank=range(1, len(ranked) + 1))
    long = wide.melt(["code", "label", OVERALL, "rank"], PILLAR_COLUMNS, "measure", "value")
    long["pillar"] = long["measure"].map(PILLAR_OF)
    return long.drop(columns=["measure", "code"]).sort_values(["rank", "pillar"]).reset_index(
        drop=True)


def radar_profiles(company: pd.Series | None, band: pd.DataFrame,
                   sector: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The pieces of one radar, each with a `pillar` column, keyed by kind:
    `company` (value), `club` (value = the Club's median), `band` (low = Q1, high = Q3) and
    `sector` (value = the sector's median). Suppressed pieces are left out."""
    pieces: dict[str, pd.DataFrame] = {}
    if company is not None:
        values = [company.get(c) for c in PILLAR_COLUMNS]
        frame = pd.DataFrame({"pillar": list(PILLARS), "value": values}).dropna()
        if len(frame) == len(PILLARS):
            pieces["company"] = frame
    club = band[band["measure"].isin(PILLAR_COLUMNS)]
    if len(club) == len(PILLARS) and not club["suppressed"].any():
        pillars = club["measure"].map(PILLAR_OF).tolist()
        pieces[CLUB] = pd.DataFrame({"pillar": pillars, "value": club["median"].to_numpy()})
        pieces["band"] = pd.DataFrame({"pillar": pillars, "low": club["q1"].to_numpy(),
                                       "high": club["q3"].to_numpy()})
    if sector is not None:
        rows = sector[sector["measure"].isin(PILLAR_COLUMNS)]
        if len(rows) == len(PILLARS) and not rows["suppressed"].any():
            pieces["sector"] = pd.DataFrame({"pillar": rows["measure"].map(PILLAR_OF).tolist(),
                                             "value": rows["median"].to_numpy()})
    return pieces
