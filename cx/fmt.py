"""Numbers as users read them: Italian by default (1.234,5 · 45%), English on request."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_decimal

from cx.config import indicative
from cx.i18n import t

_LOCALES = {"it": "it_IT", "en": "en_GB"}


def _missing(value: float | Decimal | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def rounded(value: float | Decimal, digits: int = 0) -> Decimal:
    """Half away from zero, as readers (and the charts) round: 2.5 → 3, 62.5 → 63.

    Python's round() goes to the even neighbour (2.5 → 2), so it is not used for display.
    """
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def number(value: float | Decimal | None, lang: str = "it", digits: int = 0) -> str:
    """1234.5 → '1.235' (it) or '1,234.5' with one digit (en); missing → '–'."""
    if value is None or _missing(value):
        return "–"
    return _formatted(rounded(value, digits), digits, _LOCALES.get(lang, "it_IT"))


@lru_cache(maxsize=8192)
def _formatted(value: Decimal | float, digits: int, locale: str) -> str:
    """Babel parses the pattern on every call: the same numbers recur on every page."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def file_size(n_bytes: int, lang: str = "it") -> str:
    """3_558_305 → '3,4 MB' (it); under a megabyte in kB; no decimals from 100 MB up."""
    if n_bytes < 1024 * 1024:
        return f"{number(max(1, n_bytes / 1024), lang)} kB"
    mb = n_bytes / 1024 / 1024
    return f"{number(mb, lang, 0 if mb >= 100 else 1)} MB"


def percent(value: float | None, lang: str = "it", digits: int = 0) -> str:
    """A value already in % (45.2) → '45%'."""
    return "–" if _missing(value) else f"{number(value, lang, digits)}%"


def percent_with_article(value: float | None, lang: str, capital: bool = False) -> str:
    """A percentage as the subject of a sentence: Italian needs its article, elided before a
    vowel sound ('il 51%', 'l'80%', 'l'11%', 'lo 0%'); English needs none."""
    text = percent(value, lang)
    if lang != "it" or value is None:
        return text
    whole = int(rounded(value))
    article = "l'" if whole in (1, 8, 11) or 80 <= whole <= 89 else "lo " if whole == 0 \
        else "il "
    return (article.capitalize() if capital else article) + text


def signed(value: float | None, lang: str = "it", digits: int = 0) -> str:
    """NPS-style signed number: +23, −5."""
    if value is None or _missing(value):
        return "–"
    text = number(abs(value), lang, digits)
    if rounded(value, digits) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def interval(low: float | None, high: float | None, lang: str = "it", digits: int = 0,
             signed_values: bool = False) -> str:
    """'[38–52]' style confidence interval."""
    fmt = signed if signed_values else number
    return f"[{fmt(low, lang, digits)}; {fmt(high, lang, digits)}]"


def indicative_mark(n: int, lang: str = "it") -> str:
    """' · indicativo' after a figure on too few respondents to be more (cx.config.indicative),
    else nothing."""
    return f" · {t('app.indicative', lang)}" if indicative(n) else ""


# An abbreviation's full stop followed by the sentence's («S.p.A..», «S.p.A.**.», Markdown's
# escaped «S.p.A\.**.»): one stop ends both. An ellipsis («...») is left alone.
_DOUBLE_STOP = re.compile(r"(?<![.\\])(\\?\.)(\*{1,2}|_{1,2})?\.(?!\.)")


def single_stops(text: str) -> str:
    """`text` with no doubled full stop where a name ending in one closes a sentence
    («Mancini Group S.p.A.. Le altre» → «Mancini Group S.p.A. Le altre»)."""
    return _DOUBLE_STOP.sub(lambda m: m.group(1) + (m.group(2) or ""), text)


def file_stem(name: str) -> str:
    """A file's name without its extension, to name a file derived from it
    («bad_nps.csv» → «bad_nps»; «problemi_bad_nps.csv», not «…csv.csv»)."""
    stem, dot, extension = name.rpartition(".")
    return stem if dot and stem and extension.isalnum() and len(extension) <= 5 else name
