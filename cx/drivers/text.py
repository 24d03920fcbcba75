"""Key drivers in words: names of outcomes and drivers, the verdict on the ranking (a lead only
when its interval excludes zero, `cx.claims` style), the R² and the table as downloaded.
Pure: formatting only."""

from __future__ import annotations

import pandas as pd

from cx import fmt
from cx.claims import names_text
from cx.drivers.model import Analysis
from cx.i18n import t
from cx.results.verdict import p_text


def driver_label(name: str, lang: str) -> str:
    """A pillar or pyramid level by its score's name, a practice by its short name."""
    if name.startswith(("pillar_", "pyramid_")):
        return t(f"score.{name}", lang)
    return t(f"drivers.practice.{name}", lang)


def outcome_label(outcome: str, lang: str) -> str:
    return t(f"drivers.outcome.{outcome}", lang)


def r2_text(a: Analysis, lang: str) -> str:
    """'R² = 0,16 (IC 95% [0,10; 0,27]): i fattori spiegano il 16% …'."""
    assert a.r2 is not None
    return t("drivers.r2", lang, r2=fmt.number(a.r2, lang, 2),
             ci=fmt.interval(a.r2_low, a.r2_high, lang, 2),
             share=fmt.percent_with_article(a.r2 * 100, lang),
             outcome=outcome_label(a.outcome, lang),
             n=fmt.number(a.n, lang), companies=fmt.number(a.companies, lang))


def _shares_range(a: Analysis, names: tuple[str, ...], lang: str) -> dict[str, str]:
    shares = a.table.set_index("driver").loc[list(names), "share"]
    return {"low": fmt.percent(float(shares.min()), lang),
            "high": fmt.percent(float(shares.max()), lang)}


def verdict(a: Analysis, lang: str) -> str:
    """What the analysis may claim: nothing under its n, nothing when the model explains too
    little, a leading driver only when its lead over the second is significant."""
    if a.status == "defined":
        return t("drivers.defined", lang)
    if a.status == "too_few":
        return t("drivers.too_few", lang, n=fmt.number(a.n, lang), needed=a.needed,
                 companies=fmt.number(a.companies, lang))
    if a.status == "too_little":
        return t("drivers.too_little", lang, r2=fmt.number(a.r2, lang, 2),
                 adjusted=fmt.number(a.adjusted, lang, 2),
                 p=p_text(a.p_value, lang))
    assert a.lead is not None
    lead = a.lead
    if lead.holds:
        shares = a.table.set_index("driver")["share"]
        return t("drivers.lead", lang, name=driver_label(lead.first, lang),
                 share=fmt.percent(float(shares[lead.first]), lang),
                 next=driver_label(lead.second, lang), gap=fmt.number(lead.gap, lang, 1),
                 low=fmt.number(lead.low, lang, 1), high=fmt.number(lead.high, lang, 1),
                 outcome=outcome_label(a.outcome, lang))
    names = [driver_label(d, lang) for d in a.tied]
    if len(a.tied) == len(a.drivers):
        return t("drivers.all_tied", lang, outcome=outcome_label(a.outcome, lang),
                 **_shares_range(a, a.tied, lang))
    return t("drivers.tie", lang, names=names_text(names, lang),
             outcome=outcome_label(a.outcome, lang), **_shares_range(a, a.tied, lang))


def quadrant_label(quadrant: str, lang: str) -> str:
    return t(f"drivers.quadrant.{quadrant}", lang)


def table(a: Analysis, lang: str) -> pd.DataFrame:
    """The drivers as shown and downloaded: share of R² with its interval, performance with
    its interval, quadrant, n."""
    cols = {k: t(f"drivers.column.{k}", lang) for k in (
        "driver", "share", "low", "high", "n", "companies", "performance", "perf_low",
        "perf_high", "perf_n", "quadrant")}
    out = a.table.assign(driver=[driver_label(d, lang) for d in a.table["driver"]],
                         quadrant=[quadrant_label(q, lang) for q in a.table["quadrant"]],
                         n=a.n, companies=a.companies)
    return out[list(cols)].rename(columns=cols).round(1)
