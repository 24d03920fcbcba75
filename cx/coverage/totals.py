"""Members typed by hand: the editable grid (sectors × size bands, a total per sector and
per size band) ↔ the stored totals. Every cell filled: the joint cells (post-stratification);
otherwise both margins filled with the same sum (raking); anything else is incomplete."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx.coverage.mix import TOTAL_COLUMNS, Mix, codes

TOTAL = "total"  # the grid's column of sector totals, and its last row of size totals


def grid_of(mix: Mix) -> pd.DataFrame:
    """The grid as stored (or as the member list counts), NaN where nothing is known."""
    sectors, sizes = list(codes("sector")), list(codes("size_band"))
    grid = pd.DataFrame(np.nan, index=[*sectors, TOTAL], columns=[*sizes, TOTAL])
    if mix.source == "list":
        counts = mix.members.groupby(["sector", "size_band"]).size()
        rows = counts.rename("members").reset_index()
    else:
        rows = mix.totals
    for sector, size, n in rows[list(TOTAL_COLUMNS)].itertuples(index=False):
        grid.loc[sector if isinstance(sector, str) else TOTAL,
                 size if isinstance(size, str) else TOTAL] = float(n)
    if mix.source == "list":
        grid = grid.fillna(0.0)
        grid.loc[sectors, TOTAL] = grid.loc[sectors, sizes].sum(axis=1)
        grid.loc[TOTAL, sizes] = grid.loc[sectors, sizes].sum(axis=0)
    grid.loc[TOTAL, TOTAL] = np.nan
    return grid


def totals_of(grid: pd.DataFrame) -> pd.DataFrame | None:
    """The totals to store (sector, size_band, members) from the edited grid; None when it is
    incomplete or a number is negative or not whole."""
    sectors, sizes = list(codes("sector")), list(codes("size_band"))
    values = grid.apply(pd.to_numeric, errors="coerce")
    filled = values.notna()
    numbers = values.to_numpy(dtype=float)
    if np.any(numbers[filled.to_numpy()] < 0) or np.any(
            numbers[filled.to_numpy()] % 1 != 0):
        return None
    if filled.loc[sectors, sizes].all().all():
        return pd.DataFrame([(s, z, int(values.loc[s, z])) for s in sectors for z in sizes],
                            columns=list(TOTAL_COLUMNS))
    by_sector, by_size = values.loc[sectors, TOTAL], values.loc[TOTAL, sizes]
    if by_sector.notna().all() and by_size.notna().all() and by_sector.sum() == by_size.sum():
        return pd.DataFrame([(s, None, int(by_sector[s])) for s in sectors]
                            + [(None, z, int(by_size[z])) for z in sizes],
                            columns=list(TOTAL_COLUMNS))
    return None
