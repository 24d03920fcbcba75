"""A test's verdict in words: 'Differenza significativa al 95% (test del chi quadrato,
p = 0,003).'"""

from __future__ import annotations

from cx import fmt, stats
from cx.i18n import t


def p_text(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    return f"p < {fmt.number(0.001, lang, 3)}" if p < 0.001 else f"p = {fmt.number(p, lang, 3)}"


def verdict_text(test: stats.Significance, lang: str) -> str:
    if test.verdict == "untestable":
        return t("results.verdict_untestable", lang)
    return t(f"results.verdict_{test.verdict}", lang, test=t(f"results.test_{test.test}", lang),
             p=p_text(test.p, lang))
