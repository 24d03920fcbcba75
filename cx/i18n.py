"""User-facing text in Italian (default) and English.

The catalogue is split by area into `cx/locales/*.toml`; each leaf is `{ it = "…", en = "…" }`
(plus, for a text with a count, `count = "n"`, `it_one` and `en_one`) and its key is the dotted
path (`nav.overview`). A missing key raises: tests check that every key has both languages.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

LANGS = ("it", "en")
DEFAULT_LANG = "it"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) & set(LANGS):
            out[path] = value
        elif isinstance(value, dict):
            out.update(_flatten(value, path + "."))
    return out


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for entry in sorted(resources.files("cx.locales").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            for key, value in _flatten(tomllib.loads(entry.read_text("utf-8"))).items():
                if key in merged:
                    raise ValueError(f"duplicate translation key {key} in {entry.name}")
                merged[key] = value
    return merged


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text for `key` in `lang`, with `{placeholders}` filled from `values`.

    An entry may name its `count` placeholder and give `it_one`/`en_one` for a count of 1
    («Carica 1 riga», not «Carica 1 righe»).
    """
    entry, lang = catalogue()[key], normalise_lang(lang)
    text = entry[lang]
    count = entry.get("count")
    if count and str(values.get(count)) == "1":
        text = entry.get(f"{lang}_one", text)
    return text.format(**values) if values else text
