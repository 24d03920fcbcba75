"""What the pages, the deck and the benchmarks read of coverage and weighting, for one
filter: the response-rate tables, the weighted headline figures, and their words. Loaded
here once (`load_coverage`, `load_weighted`); `cx/ui/coverage.py` only caches them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cx import fmt
from cx.coverage import load_mix
from cx.coverage.design import Unweighted, Weighting, weigh
from cx.coverage.mix import Mix, companies, response_rates
from cx.coverage.weighted import WeightedOverview, weighted_overview
from cx.coverage.weighting import CAP
from cx.filters import Filters
from cx.i18n import t
from cx.overview import COLUMNS as OVERVIEW_COLUMNS
from cx.overview import Overview
from cx.questionnaire import questionnaire
from cx.scoring import Aggregate
from cx.store import Store

CELL_COLUMNS = ("sector", "size_band")
WEIGHTED_COLUMNS = (*OVERVIEW_COLUMNS, *CELL_COLUMNS)
# the headline figures shown weighted: (Overview attribute, label key, format)
FIGURES = (("nps", "overview.club_nps", "signed"), ("maturity", "overview.maturity", "number"),
           ("journey_map", "overview.journey_map", "percent"),
           ("measures_nps", "overview.measures_nps", "percent"),
           ("csat", "deck.numbers.csat", "percent"), ("ces", "deck.numbers.ces", "decimal"))


@dataclass(frozen=True)
class Coverage:
    """Response rates by sector and by size band, and responding companies off the list."""

    sectors: pd.DataFrame
    sizes: pd.DataFrame
    unlisted: int
    source: str  # list or totals
    members: int


def coverage_of(respondents: pd.DataFrame, mix: Mix, filters: Filters, k: int) -> Coverage:
    firms = companies(respondents, mix)
    sectors = response_rates(firms, mix, filters, "sector", k)
    sizes = response_rates(firms, mix, filters, "size_band", k)
    unlisted = int((~firms["listed"]).sum()) if mix.source == "list" else 0
    return Coverage(sectors, sizes, unlisted, mix.source or "", int(sectors["members"].sum()))


def load_coverage(store: Store, filters: Filters, k: int,
                  mix: Mix | None = None) -> Coverage | None:
    """The response rates of the filter; None without a member mix (`mix`: the store's,
    when the caller has it already)."""
    mix = load_mix(store) if mix is None else mix
    if mix.empty:
        return None
    return coverage_of(store.responses(("company", *CELL_COLUMNS), filters), mix, filters, k)


def load_weighted(store: Store, filters: Filters, k: int,
                  mix: Mix | None = None) -> WeightedOverview | Unweighted:
    """The headline figures of the filter weighted to the member mix, or why not."""
    mix = load_mix(store) if mix is None else mix
    if mix.empty:
        return Unweighted("no_mix")
    scores = store.responses(WEIGHTED_COLUMNS, filters)
    found = weigh(scores, mix, filters, k)
    return found if isinstance(found, Unweighted) else weighted_overview(scores, found, k)


def rate_rows(rates: pd.DataFrame, dim: str, lang: str, k: int) -> pd.DataFrame:
    """The rates for a chart and its table: label, members, responding (withheld below k),
    rate (%) and the words at the bar's end."""
    q = questionnaire()[dim]
    labels = {c: q.option_label(c, lang) for c in rates[dim]}
    text = [t("coverage.overview.rate_text", lang, rate=fmt.percent(r, lang),
              responding=fmt.number(n, lang), members=fmt.number(m, lang)) if shown
            else t("coverage.overview.withheld", lang, k=k)
            for r, n, m, shown in zip(rates["rate"], rates["responding"], rates["members"],
                                      rates["shown"])]
    return pd.DataFrame({"label": [labels[c] for c in rates[dim]],
                         "members": rates["members"],
                         "responding": rates["responding"].where(rates["shown"]),
                         "rate": rates["rate"].where(rates["shown"]).round(1),
                         "shown": rates["shown"], "text": text})


def _written(agg: Aggregate, form: str, lang: str) -> tuple[str, str]:
    if not agg.shown or agg.value is None:
        return "–", ""
    digits = 1 if form == "decimal" else 0
    write = {"signed": fmt.signed, "percent": fmt.percent}.get(form, fmt.number)
    ci = ("" if agg.low is None or agg.high is None
          else fmt.interval(agg.low, agg.high, lang, digits, signed_values=form == "signed"))
    return write(agg.value, lang, digits), ci


def _profiled(ov: Overview) -> dict[str, Aggregate]:
    """The unweighted pyramid levels and pillars as aggregates."""
    rows = pd.concat([ov.pyramid, ov.pillars]).to_dict("records")
    return {str(r["measure"]): Aggregate(_number(r["value"]), int(r["n"]), _number(r["low"]),
                                         _number(r["high"]), bool(r["suppressed"]))
            for r in rows}


def _number(value: object) -> float | None:
    """A cell of a profile: None where it is missing."""
    if not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def comparison(ov: Overview, wov: WeightedOverview, lang: str) -> pd.DataFrame:
    """Each headline figure, pyramid level and pillar unweighted and weighted, with
    intervals, n and deff."""
    plain_profile = _profiled(ov)
    figures = [(getattr(ov, attr), getattr(wov, attr), t(key, lang), form)
               for attr, key, form in FIGURES]
    figures += [(plain_profile[m], agg, t(f"score.{m}", lang), "number")
                for m, agg in wov.profile if m in plain_profile]
    rows = []
    for plain, weighted, label, form in figures:
        value, ci = _written(plain, form, lang)
        w_value, w_ci = _written(weighted, form, lang)
        rows.append({t("coverage.overview.col_figure", lang): label,
                     t("coverage.overview.col_unweighted", lang): value,
                     t("coverage.overview.col_unweighted_ci", lang): ci,
                     t("coverage.overview.col_weighted", lang): w_value,
                     t("coverage.overview.col_weighted_ci", lang): w_ci,
                     t("coverage.overview.col_n", lang): weighted.n,
                     t("coverage.overview.col_deff", lang): (
                         fmt.number(weighted.deff, lang, 2) if weighted.deff else "")})
    return pd.DataFrame(rows)


def weighting_line(w: Weighting, lang: str) -> str:
    """«Pesati sul mix dei soci: post-stratificazione …; deff 1,44, n effettivo 288 …»."""
    method = t(f"coverage.overview.method_{w.method}", lang, groups=w.groups,
               iterations=w.iterations, trimmed=w.trimmed)
    return t("coverage.overview.weighted_line", lang, method=method,
             deff=fmt.number(w.deff, lang, 2), n_eff=fmt.number(w.n_effective, lang),
             n=fmt.number(w.n, lang), companies=fmt.number(w.companies, lang))


def deck_line(wov: WeightedOverview | None, lang: str) -> str:
    """What the deck says of its figures: unweighted, or weighted with deff and effective n."""
    if wov is None:
        return t("coverage.deck.unweighted", lang)
    w = wov.weighting
    return t("coverage.deck.weighted", lang, deff=fmt.number(w.deff, lang, 2),
             n_eff=fmt.number(w.n_effective, lang))


def method_text(lang: str, k: int) -> str:
    return t("coverage.overview.method", lang, k=k, cap=fmt.number(CAP, lang))
