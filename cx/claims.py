"""Claims in words: an effect size, a difference with its interval, and which of several scores
lead or trail, each worded only as far as its test carries it (`cx.effects`): a ranking the data
do not carry reads «a pari merito». Pure: no computation beyond formatting.
"""

from __future__ import annotations

from collections.abc import Sequence

from cx import fmt
from cx.effects import G_CUTS, Effect, Interval, magnitude
from cx.i18n import t
from cx.standing import Standing

# decimals of a gap by its unit: scale points, NPS points, percentage points
GAP_DIGITS = {"mean": 2, "nps": 1, "share": 1}
GAP_SCALE = {"mean": 1.0, "nps": 1.0, "share": 100.0}


def size_text(effect: Effect, lang: str, named: bool = False) -> str:
    """'g = 0,03' (named: 'g = 0,03, trascurabile'); a negative g (a trend that fell) keeps its
    minus sign."""
    digits = 3 if effect.size == "omega_squared" else 2
    value = fmt.signed(effect.value, lang, digits).removeprefix("+")
    text = t(f"claims.size_{effect.size}", lang, value=value)
    if named:
        text += ", " + t(f"claims.magnitude_{effect.magnitude}", lang)
    return text


def interval_text(interval: Interval, lang: str, digits: int = 1, scale: float = 1.0) -> str:
    """'[+0,1; +0,5]': the interval of a difference, signed."""
    return fmt.interval(interval.low * scale, interval.high * scale, lang, digits,
                        signed_values=True)


def level_text(compared: int, lang: str) -> str:
    """'IC 95%', or 'IC 95% simultaneo su 9 scarti (Bonferroni)' for the largest of several."""
    if compared <= 1:
        return t("claims.ci", lang)
    return t("claims.ci_simultaneous", lang, compared=compared)


def names_text(names: Sequence[str], lang: str) -> str:
    """'«A», «B» e «C»'."""
    quoted = [t("claims.quoted", lang, name=name) for name in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {t('claims.and', lang)} {quoted[-1]}"


def scaled(interval: Interval, factor: float) -> Interval:
    """The interval in other units (a difference of shares in percentage points: 100)."""
    return Interval(interval.estimate * factor, interval.low * factor, interval.high * factor,
                    interval.level)


def distance_text(interval: Interval, lang: str) -> dict[str, str]:
    """A held difference in points and its interval, unsigned: gap '4,7', low '3,9',
    high '5,5' (the keys the sentences take)."""
    return {"gap": fmt.number(interval.estimate, lang, 1),
            "low": fmt.number(interval.low, lang, 1), "high": fmt.number(interval.high, lang, 1)}


def dz_text(dz: float, lang: str) -> str:
    """'d_z = 0,07, trascurabile': a paired difference over the SD of the differences, named by
    Cohen's thresholds for d (0.2, 0.5, 0.8)."""
    return t("claims.dz", lang, value=fmt.number(abs(dz), lang, 2),
             magnitude=t(f"claims.magnitude_{magnitude(dz, G_CUTS)}", lang))


def _lead(st: Standing, names: dict[str, str], lang: str) -> str:
    if st.lead is not None:
        return t("claims.pillars.strongest", lang, name=names[st.lead.first],
                 value=fmt.number(st.mean(st.lead.first), lang), next=names[st.lead.second],
                 dz=dz_text(st.lead.dz, lang), **distance_text(st.lead.interval, lang))
    return t("claims.pillars.top_tie", lang, names=names_text([names[c] for c in st.top], lang),
             values=_range(st, st.top, lang))


def _trail(st: Standing, names: dict[str, str], lang: str) -> str:
    if st.trail is not None:
        return t("claims.pillars.weakest", lang, name=names[st.trail.second],
                 value=fmt.number(st.mean(st.trail.second), lang), next=names[st.trail.first],
                 dz=dz_text(st.trail.dz, lang), **distance_text(st.trail.interval, lang))
    return t("claims.pillars.bottom_tie", lang,
             names=names_text([names[c] for c in st.bottom], lang),
             values=_range(st, st.bottom, lang))


def _range(st: Standing, columns: Sequence[str], lang: str) -> str:
    values = sorted(st.mean(c) for c in columns)
    return t("claims.between", lang, low=fmt.number(values[0], lang),
             high=fmt.number(values[-1], lang))


def standing_sentence(st: Standing, names: dict[str, str], lang: str) -> str:
    """The strongest and weakest pillar, or who shares the lead and the last place."""
    if st.all_tied:
        return t("claims.pillars.all_tied", lang)
    text = t("claims.pillars.sentence", lang, lead=_lead(st, names, lang),
             trail=_trail(st, names, lang))
    return text[0].upper() + text[1:]


def most_common(st: Standing, names: dict[str, str], lang: str) -> str:
    """'lo stadio più frequente è «Definita» (32% …, 9,3 punti percentuali più di «Gestita»:
    IC 95% da 8,3 a 10,3)', or the stages that share the first place."""
    if st.lead is not None:
        return t("claims.stages.one", lang, name=names[st.lead.first],
                 share=fmt.percent_with_article(st.mean(st.lead.first) * 100, lang),
                 next=names[st.lead.second], **distance_text(scaled(st.lead.interval, 100), lang))
    shares = sorted(st.mean(c) * 100 for c in st.top)
    return t("claims.stages.tie", lang, names=names_text([names[c] for c in st.top], lang),
             low=fmt.percent_with_article(shares[0], lang),
             high=fmt.percent_with_article(shares[-1], lang))
