"""The themes read in a language: each theme's name (the analyst's, else the dictionary's,
else its lemmas), the table to read and download, the moves said in words (only those a test
carries, with effect size), the coverage sentence. Pure."""

from __future__ import annotations

import math

import pandas as pd

from cx import claims, fmt
from cx.effects import Effect, Interval
from cx.i18n import t
from cx.results.verdict import p_text
from cx.themes.find import EMERGENT_PREFIX
from cx.themes.model import Themes


def theme_label(th: Themes, key: str, lang: str) -> str:
    """The analyst's name of a theme, else the dictionary's, else «lemma · lemma»."""
    if key in th.labels:
        return th.labels[key][0 if lang == "it" else 1]
    if key.startswith(EMERGENT_PREFIX):
        words = th.emergent.get(key, (key.removeprefix(EMERGENT_PREFIX),))
        return t("themes.emergent_name", lang, words=" · ".join(words))
    return t(f"themes.theme.{key}", lang)


def chart_table(th: Themes, lang: str) -> pd.DataFrame:
    """What the chart draws: label, share, interval (0–1), count."""
    table = th.table
    return pd.DataFrame({"label": [theme_label(th, k, lang) for k in table["theme"]],
                         "share": table["share"], "low": table["low"], "high": table["high"],
                         "count": table["count"].astype(int)})


def _change_text(row: pd.Series, lang: str) -> str:
    if pd.isna(row.get("change")):
        return "–"
    ci = fmt.interval(row["change_low"] * 100, row["change_high"] * 100, lang, 1,
                      signed_values=True)
    return f"{fmt.signed(row['change'] * 100, lang, 1)} {ci}"


def read_table(th: Themes, lang: str) -> pd.DataFrame:
    """The table to read: theme, respondents, share and interval, change between the last two
    waves with its interval and whether it is beyond chance."""
    rows = []
    for _, r in th.table.iterrows():
        moved = bool(r.get("significant")) if not pd.isna(r.get("significant")) else False
        rows.append({
            t("themes.col_theme", lang): theme_label(th, str(r["theme"]), lang),
            t("themes.col_count", lang): int(r["count"]),
            t("themes.col_share", lang): fmt.percent(r["share"] * 100, lang),
            t("themes.col_ci", lang): fmt.interval(r["low"] * 100, r["high"] * 100, lang),
            t("themes.col_change", lang): _change_text(r, lang),
            t("themes.col_moved", lang): t("themes.yes" if moved else "themes.no", lang)})
    return pd.DataFrame(rows)


def download_table(th: Themes, lang: str) -> pd.DataFrame:
    """The figures as numbers, for CSV/XLSX: every column, the theme named."""
    return th.table.assign(label=[theme_label(th, k, lang) for k in th.table["theme"]],
                           n=th.n)


def moves_text(th: Themes, lang: str) -> str:
    """The themes that moved beyond chance between the last two waves ('' when none did),
    each with its change, simultaneous interval, Cramér's V and Holm-corrected p."""
    if th.waves is None or "significant" not in th.table:
        return ""
    moved = th.table[th.table["significant"].fillna(False).astype(bool)]
    if moved.empty:
        return ""
    tested = int(th.table["p_holm"].notna().sum())
    parts = []
    for _, r in moved.iterrows():
        interval = Interval(float(r["change"]), float(r["change_low"]), float(r["change_high"]))
        effect = Effect("cramers_v", float(r["v"]), r["magnitude"], None, "share")
        parts.append(t("themes.move", lang, theme=theme_label(th, str(r["theme"]), lang),
                       before=fmt.percent(r["before"] * 100, lang),
                       after=fmt.percent(r["after"] * 100, lang),
                       change=fmt.signed(r["change"] * 100, lang, 1),
                       level=claims.level_text(tested, lang),
                       ci=claims.interval_text(interval, lang, 1, 100.0),
                       size=claims.size_text(effect, lang, named=True),
                       p=p_text(float(r["p_holm"]), lang)))
    return t("themes.moves", lang, before=th.waves[0], after=th.waves[1],
             moves="; ".join(parts))


def coverage_text(th: Themes, lang: str) -> str:
    """How many answers no theme explains, with the share's interval."""
    agg = th.uncovered
    if agg.value is None or agg.low is None or agg.high is None or math.isnan(agg.value):
        return ""
    return t("themes.coverage", lang, count=th.uncovered_count, n=fmt.number(th.n, lang),
             share=fmt.percent(agg.value, lang),
             ci=fmt.interval(agg.low, agg.high, lang),
             themes=len(th.table))
