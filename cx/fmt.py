"""Numbers as users read them: Italian by default (1.234,5 · 45%), English on request."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

_LOCALES = {"it": "it_IT", "en": "en_GB"}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, lang: str = "it", digits: int = 0) -> str:
    """1234.5 → '1.234,5' (it) or '1,234.5' (en); missing → '–'."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round(float(value), digits), format=pattern,
                          locale=_LOCALES.get(lang, "it_IT"))


def percent(value: float | None, lang: str = "it", digits: int = 0) -> str:
    """A value already in % (45.2) → '45%'."""
    return "–" if _missing(value) else f"{number(value, lang, digits)}%"


def signed(value: float | None, lang: str = "it", digits: int = 0) -> str:
    """NPS-style signed number: +23, −5."""
    if _missing(value):
        return "–"
    text = number(abs(value), lang, digits)
    if round(float(value), digits) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def interval(low: float | None, high: float | None, lang: str = "it", digits: int = 0,
             signed_values: bool = False) -> str:
    """'[38–52]' style confidence interval."""
    fmt = signed if signed_values else number
    return f"[{fmt(low, lang, digits)}; {fmt(high, lang, digits)}]"
