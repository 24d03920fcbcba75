"""The weights of one filter's respondents: post-stratification on sector × size cells when
the members of each cell are known, raking on the two margins otherwise; computed per
responding company (each company weighs as the members it stands for) and spread evenly
over its respondents. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cx.coverage import weighting
from cx.coverage.mix import Mix, cell_totals, codes, companies, margin_totals
from cx.filters import Filters


@dataclass(frozen=True)
class Weighting:
    """Weights of the respondents (aligned with the frame given), and what they cost."""

    method: str  # "post" (post-stratification) or "rake"
    weights: NDArray[np.float64]  # per respondent, summing to the members weighted
    companies: int
    groups: int  # weighting cells after collapsing (post) or margin categories (rake)
    deff: float  # Kish, over respondents
    n_effective: float
    trimmed: int = 0
    iterations: int = 1

    @property
    def n(self) -> int:
        return len(self.weights)


@dataclass(frozen=True)
class Unweighted:
    """Why no weights: `reason` names a text (coverage.unweighted.<reason>)."""

    reason: str


def _post(firms: pd.DataFrame, cells: pd.DataFrame, least: int) -> tuple[np.ndarray, int]:
    """Company weights by post-stratification on collapsed cells: members (plus responding
    companies missing from the list) over responding companies, per group."""
    index = {(s, z): (codes("sector").index(s), codes("size_band").index(z))
             for s in codes("sector") for z in codes("size_band")}
    unlisted = firms[~firms["listed"]]
    members = {index[(s, z)]: float(n) for s, z, n in cells.itertuples(index=False)
               if (s, z) in index}
    for s, z in zip(unlisted["sector"], unlisted["size_band"]):
        members[index[(s, z)]] = members.get(index[(s, z)], 0.0) + 1.0
    firm_cells = [index[(s, z)] for s, z in zip(firms["sector"], firms["size_band"])]
    responding = dict.fromkeys(members, 0)
    for c in firm_cells:
        responding[c] = responding.get(c, 0) + 1
    group_of = weighting.collapse(responding, least)
    groups = max(group_of.values()) + 1
    totals = np.zeros(groups)
    for cell, n in members.items():
        totals[group_of[cell]] += n
    codes_ = np.array([group_of[c] for c in firm_cells], dtype=np.intp)
    return weighting.poststratify(codes_, totals), groups


def _rake(firms: pd.DataFrame, margins: dict[str, pd.Series], least: int
          ) -> tuple[weighting.Raked, int]:
    """Company weights raked to the two margins, thin categories merged first."""
    fitted = []
    for dim, ordered in (("sector", False), ("size_band", True)):
        order = list(codes(dim))
        position = firms[dim].map({c: i for i, c in enumerate(order)}).to_numpy()
        responding = np.bincount(position.astype(np.intp), minlength=len(order))
        present = np.flatnonzero((margins[dim].reindex(order).fillna(0).to_numpy() > 0)
                                 | (responding > 0))
        merged = weighting.collapse_margin(responding[present], least, ordered)
        group = np.full(len(order), -1, dtype=np.intp)
        group[present] = merged
        target = np.zeros(int(merged.max()) + 1)
        np.add.at(target, merged, margins[dim].reindex(order).fillna(0).to_numpy()[present])
        fitted.append((group[position.astype(np.intp)], target))
    raked = weighting.rake(fitted)
    return raked, sum(len(t) for _, t in fitted)


def weigh(respondents: pd.DataFrame, mix: Mix, filters: Filters, k: int
          ) -> Weighting | Unweighted:
    """The weights of `respondents` (company, sector, size_band; one row each) to the
    members within `filters`; cells and margin categories hold at least k responding
    companies (merged until they do)."""
    if mix.empty:
        return Unweighted("no_mix")
    firms = companies(respondents, mix)
    firms = firms[firms["sector"].isin(codes("sector")) & firms["size_band"].isin(
        codes("size_band"))]  # a company without a known cell is not weighted (weight 0)
    if len(firms) < k or len(respondents) < k:
        return Unweighted("too_few")
    cells = cell_totals(mix, filters)
    try:
        if cells is not None:
            company_w, groups = _post(firms, cells, k)
            method, iterations, trimmed = "post", 1, 0
        else:
            margins = margin_totals(mix, filters)
            if margins is None:
                return Unweighted("region")
            raked, groups = _rake(firms, margins, k)
            company_w, method = raked.weights, "rake"
            iterations, trimmed = raked.iterations, raked.trimmed
    except weighting.NotConverged:
        return Unweighted("not_converged")
    per_firm = pd.Series(company_w / firms["m"].to_numpy(), index=firms["company"].to_numpy())
    weights = respondents["company"].astype(str).map(per_firm).fillna(0.0).to_numpy(float)
    return Weighting(method, weights, len(firms), groups, weighting.kish_deff(weights),
                     weighting.effective_n(weights), trimmed, iterations)
