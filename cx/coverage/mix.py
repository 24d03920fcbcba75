"""The Club's member mix (a member list, or totals typed by sector and size) against the
companies that answered: the response rate per sector and per size band, and the population
of each weighting cell or margin under a filter. Pure: no I/O.

Companies are matched to the member list by `cx.naming.company_key`; a matched company sits
in the cell the list gives it, any other in the cell its respondents gave (their most common
answer). A responding company missing from the list still belongs to the Club's population:
it is counted beside the members of its cell when weighting, and apart in the rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import pandas as pd

from cx.filters import Filters
from cx.naming import company_key, simple
from cx.questionnaire import questionnaire

MEMBER_COLUMNS = ("company", "company_key", "sector", "size_band", "region")
TOTAL_COLUMNS = ("sector", "size_band", "members")
DIMENSIONS = ("sector", "size_band")


@cache
def codes(question: str) -> tuple[str, ...]:
    """The option codes of sector, size_band or region, in the questionnaire's order."""
    return tuple(o.code for o in questionnaire()[question].options)


def key_of(name: str) -> str:
    """`cx.naming.company_key`, at once for the plain ASCII names most companies have (their
    key is their lower case): 75,000 companies are keyed in milliseconds, not seconds."""
    return name.lower() if simple(name) else company_key(name)


@dataclass(frozen=True)
class Mix:
    """What the store holds of the Club's members: a list (one row per company) or typed
    totals (joint cells, or margins: a sector's total has no size band and the reverse)."""

    members: pd.DataFrame
    totals: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.members.empty and self.totals.empty

    @property
    def source(self) -> str | None:
        return "list" if not self.members.empty else ("totals" if not self.totals.empty else None)

    @cached_property
    def cells_by_key(self) -> dict[str, tuple[str, str]]:
        """Each listed company's key → its (sector, size band); the first row of a key wins."""
        frame = self.members
        found: dict[str, tuple[str, str]] = {}
        for key, sector, size in zip(frame["company_key"].tolist(), frame["sector"].tolist(),
                                     frame["size_band"].tolist()):
            found.setdefault(key, (sector, size))
        return found

    @property
    def joint(self) -> bool:
        """Whether the members of every sector × size cell are known."""
        return self.source == "list" or bool(
            self.totals[["sector", "size_band"]].notna().all(axis=1).any())


def companies(respondents: pd.DataFrame, mix: Mix) -> pd.DataFrame:
    """One row per responding company: its cell (from the list when matched), its
    respondents (`m`) and whether the list holds it (`listed`)."""
    frame = respondents[["company", "sector", "size_band"]].copy()
    frame["company"] = frame["company"].astype(str)
    out = frame.groupby("company", sort=True).size().rename("m").to_frame()
    for column in ("sector", "size_band"):
        out[column] = _modes(frame, column)
    out.index.name = "company"
    out = out.reset_index()
    out["company_key"] = [key_of(c) for c in out["company"]]
    cells = mix.cells_by_key
    found = [cells.get(k) for k in out["company_key"]]  # dict lookups: arrow-string isin is slow
    out["listed"] = [f is not None for f in found]
    for i, column in enumerate(("sector", "size_band")):
        out[column] = [f[i] if f is not None else own for f, own in zip(found, out[column])]
    return out


def _modes(frame: pd.DataFrame, column: str) -> pd.Series:
    """Each company's most common answer to `column` (ties: the first code in order),
    counted at once for every company (a company's respondents may disagree)."""
    counts = (frame.dropna(subset=[column]).astype({column: str})
              .groupby(["company", column], sort=True).size().rename("n").reset_index())
    counts = counts.sort_values(["company", "n"], ascending=[True, False], kind="stable")
    return counts.drop_duplicates("company").set_index("company")[column]


def members_in(mix: Mix, filters: Filters) -> pd.DataFrame:
    """The member list within the filter's sectors, sizes and regions."""
    frame = mix.members
    for column, chosen in (("sector", filters.sectors), ("size_band", filters.size_bands),
                           ("region", filters.regions)):
        if chosen:
            frame = frame[frame[column].isin(chosen)]
    return frame


def cell_totals(mix: Mix, filters: Filters) -> pd.DataFrame | None:
    """Members per sector × size cell within the filter (sector, size_band, members); None
    when only margins are known. Typed totals carry no region: None under a region filter."""
    if mix.source == "list":
        found = members_in(mix, filters).groupby(list(DIMENSIONS)).size()
        return found.rename("members").reset_index()
    if not mix.joint or filters.regions:
        return None
    cells = mix.totals.dropna(subset=list(DIMENSIONS))
    return _within(cells, filters)[list(TOTAL_COLUMNS)].reset_index(drop=True)


def margin_totals(mix: Mix, filters: Filters) -> dict[str, pd.Series] | None:
    """Members per sector and per size band within the filter (from the cells when known);
    None under a region filter on typed totals."""
    cells = cell_totals(mix, filters)
    if cells is not None:
        return {d: cells.groupby(d)["members"].sum() for d in DIMENSIONS}
    if filters.regions:
        return None
    margins = {}
    for dim, other in (("sector", "size_band"), ("size_band", "sector")):
        rows = _within(mix.totals[mix.totals[other].isna() & mix.totals[dim].notna()], filters)
        margins[dim] = rows.set_index(dim)["members"].astype(float)
    return margins


def _within(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    for column, chosen in (("sector", filters.sectors), ("size_band", filters.size_bands)):
        if chosen:
            frame = frame[frame[column].isna() | frame[column].isin(chosen)]
    return frame


def response_rates(firms: pd.DataFrame, mix: Mix, filters: Filters, dim: str,
                   k: int) -> pd.DataFrame:
    """Per category of `dim`: members, responding members and their rate (%); a rate over
    fewer than k responding companies is withheld (`shown` False). With a list, only listed
    companies count as responding members; with totals, every responding company."""
    margins = margin_totals(mix, filters)
    if margins is None:
        return pd.DataFrame(columns=[dim, "members", "responding", "rate", "shown"])
    responding = firms[firms["listed"]] if mix.source == "list" else firms
    counts = responding.groupby(dim).size()
    order = [c for c in codes(dim) if c in margins[dim].index or c in counts.index]
    table = pd.DataFrame({dim: order})
    table["members"] = [int(margins[dim].get(c, 0)) for c in order]
    table["responding"] = [int(counts.get(c, 0)) for c in order]
    table["rate"] = (100.0 * table["responding"] / table["members"].where(table["members"] > 0))
    table["shown"] = (table["responding"] >= k) & table["rate"].notna()
    return table
