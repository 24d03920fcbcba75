"""A comparison's verdict in words, significance and size together: 'Differenza statisticamente
significativa ma trascurabile (g = 0,03; test t di Welch, p = 0,033).', then its largest gap
between two groups with the interval; and the same as columns of a download."""

from __future__ import annotations

import pandas as pd

from cx import claims, fmt, stats
from cx.effects import Effect, Interval
from cx.i18n import t
from cx.results.labels import Labels


def p_text(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    return f"p < {fmt.number(0.001, lang, 3)}" if p < 0.001 else f"p = {fmt.number(p, lang, 3)}"


def verdict_text(test: stats.Significance, lang: str, effect: Effect | None = None,
                 labels: Labels | None = None) -> str:
    """Whether the groups differ and how much: a significant difference is called by its size
    (Cohen's conventions), a non-significant one keeps its size beside it; with `labels`, the
    largest gap follows."""
    if test.verdict == "untestable":
        return t("results.verdict_untestable", lang)
    details = f"{t(f'results.test_{test.test}', lang)}, {p_text(test.p, lang)}"
    if effect is None:
        return t(f"results.verdict_{test.verdict}", lang, details=details)
    named = not test.significant
    details = f"{claims.size_text(effect, lang, named)}; {details}"
    key = (f"results.verdict_significant_{effect.magnitude}" if test.significant
           else "results.verdict_not_significant")
    text = t(key, lang, details=details)
    return text if labels is None or effect.gap is None else f"{text} {gap_text(effect, labels)}"


def _pair(effect: Effect, labels: Labels) -> str:
    assert effect.gap is not None
    return t("claims.versus", labels.lang, first=labels.group(effect.gap.first),
             second=labels.group(effect.gap.second))


def gap_text(effect: Effect, labels: Labels) -> str:
    """'Scarto: B2B rispetto a B2C, +0,04 (IC 95% [+0,01; +0,07]).', naming the answer for
    shares."""
    gap, lang = effect.gap, labels.lang
    assert gap is not None
    digits, scale = claims.GAP_DIGITS[effect.unit], claims.GAP_SCALE[effect.unit]
    value = fmt.signed(gap.interval.estimate * scale, lang, digits)
    unit = "" if effect.unit == "mean" else t(f"claims.unit_{effect.unit}", lang)
    answer = "" if gap.code is None else t("results.gap_answer", lang,
                                           answer=labels.label(gap.code))
    key = "results.gap" if gap.compared <= 1 else "results.gap_largest"
    return t(key, lang, pair=_pair(effect, labels), answer=answer, value=value + unit,
             level=claims.level_text(gap.compared, lang),
             ci=claims.interval_text(gap.interval, lang, digits, scale))


def effect_row(effect: Effect | None, labels: Labels) -> str:
    """The effect size and the gap in one cell of the crosstab ('' without a test)."""
    if effect is None:
        return ""
    size = claims.size_text(effect, labels.lang, named=True)
    return size if effect.gap is None else f"{size} · {gap_text(effect, labels)}"


def with_test(table: pd.DataFrame, test: stats.Significance, effect: Effect | None,
              labels: Labels) -> pd.DataFrame:
    """A download with the test and the effect beside every row: what a reader needs to quote
    the comparison without the page."""
    lang = labels.lang
    columns: dict[str, str | float | None] = {
        "test": t(f"results.test_{test.test}", lang), "p": test.p,
        "effect_size": "" if effect is None else t(f"claims.name_{effect.size}", lang),
        "effect": None if effect is None else effect.value,
        "magnitude": "" if effect is None else t(f"claims.magnitude_{effect.magnitude}", lang)}
    gap = None if effect is None else effect.gap
    if gap is not None and effect is not None:
        scale = claims.GAP_SCALE[effect.unit]
        columns |= {"gap": _pair(effect, labels),
                    "gap_answer": "" if gap.code is None else labels.label(gap.code),
                    "gap_value": gap.interval.estimate * scale,
                    "gap_low": gap.interval.low * scale, "gap_high": gap.interval.high * scale,
                    "gap_level": gap.interval.level}
    return table.assign(**columns)


def _move_effect(row: pd.Series) -> Effect:
    return Effect("cramers_v", float(row["v"]), row["magnitude"], None, "share")


def moves_text(moves: pd.DataFrame, test: stats.Significance, labels: Labels) -> str:
    """The options that moved between the last two waves, each with its change, interval, V
    and Holm-corrected p; said even when the overall test is not significant ('' when none
    moved beyond chance)."""
    lang, moved = labels.lang, moves[moves["significant"]]
    if moved.empty:
        return ""
    level = claims.level_text(len(moves), lang)
    parts = [t("results.move", lang, answer=labels.label(str(row["series"])),
               before=fmt.percent(row["before"] * 100, lang),
               after=fmt.percent(row["after"] * 100, lang),
               change=fmt.signed(row["change"] * 100, lang, 1) + t("claims.unit_share", lang),
               level=level, ci=claims.interval_text(_interval(row), lang, 1, 100.0),
               size=claims.size_text(_move_effect(row), lang, named=True),
               p=p_text(float(row["p_holm"]), lang))
             for _, row in moved.iterrows()]
    key = "results.moves_despite" if not test.significant else "results.moves"
    return t(key, lang, moves="; ".join(parts))


def _interval(row: pd.Series) -> Interval:
    return Interval(float(row["change"]), float(row["low"]), float(row["high"]))


def moves_table(moves: pd.DataFrame, labels: Labels, waves: tuple[int, int]) -> pd.DataFrame:
    """The per-option moves as a table to read (formatted in `labels`' language), indexed by
    the answer."""
    lang = labels.lang
    rows = {
        str(waves[0]): [fmt.percent(v * 100, lang) for v in moves["before"]],
        str(waves[1]): [fmt.percent(v * 100, lang) for v in moves["after"]],
        t("results.moves_change", lang): [fmt.signed(v * 100, lang, 1) for v in moves["change"]],
        t("results.moves_ci", lang): [
            claims.interval_text(_interval(row), lang, 1, 100.0) for _, row in moves.iterrows()],
        "V": [fmt.number(v, lang, 2) for v in moves["v"]],
        "p (Holm)": [p_text(float(p), lang).removeprefix("p ").removeprefix("= ")
                     for p in moves["p_holm"]],
        t("results.moves_verdict", lang): [t("results.moves_yes" if s else "results.moves_no",
                                             lang) for s in moves["significant"]]}
    index = pd.Index([labels.label(str(c)) for c in moves["series"]],
                     name=t("results.moves_option", lang))
    return pd.DataFrame(rows, index=index)
