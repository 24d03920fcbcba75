"""A synthetic member list for trying the coverage and weighting: every company of the
responses (in the cell its respondents gave) plus non-respondents, fewer among large
companies (which answer more often), so that the mix of respondents differs from the Club's.
Deterministic: the same responses and seed give the same list."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx.coverage.mix import key_of
from cx.questionnaire import questionnaire
from cx.synth.names import company_names

# the share of members that answer, by size band (micro … xlarge)
RESPONSE_BY_SIZE = {"micro": 0.15, "small": 0.25, "medium": 0.4, "large": 0.55, "xlarge": 0.7}
SEED = 21


def synth_members(responses: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """company, sector, size_band, region: the responding companies and non-respondents."""
    rng = np.random.default_rng(seed)
    firms = (responses[["company", "sector", "size_band", "region"]].dropna(subset=["company"])
             .astype({"company": str}).groupby("company", sort=True).first().reset_index())
    sectors = [o.code for o in questionnaire()["sector"].options]
    sector_factor = dict(zip(sectors, rng.uniform(0.7, 1.3, len(sectors))))
    regions = firms["region"].dropna().value_counts(normalize=True).sort_index()
    extra = []
    for sector in sectors:
        for size, rate in RESPONSE_BY_SIZE.items():
            answered = int(((firms["sector"] == sector) & (firms["size_band"] == size)).sum())
            share = min(rate * float(sector_factor[sector]), 0.95)
            missing = (round(answered / share) - answered if answered
                       else int(rng.poisson(2)))
            extra += [(sector, size)] * missing
    taken = {key_of(c) for c in firms["company"]}
    names = [n for n in company_names(len(taken) + 2 * len(extra) + 100)
             if key_of(str(n)) not in taken][:len(extra)]
    others = pd.DataFrame(extra, columns=["sector", "size_band"])
    others.insert(0, "company", names)
    others["region"] = rng.choice(regions.index.to_numpy(), size=len(others),
                                  p=regions.to_numpy())
    return pd.concat([firms, others], ignore_index=True)
