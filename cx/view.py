"""What a viewer is looking at and under which rules, as one value: the filter, the language,
the privacy threshold k and the threshold for free text. Features take a `View` instead of
threading the four through every signature; what they compute depends on `view.rules` only
(everything but the language), so a result computed once serves both languages and the
language is applied when it is presented."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cx.config import DEFAULT_COMMENT_K, DEFAULT_PRIVACY_K
from cx.filters import ALL, Filters
from cx.i18n import DEFAULT_LANG

NO_LANG = ""  # the language of a view that only computes: any text it would make is a bug


@dataclass(frozen=True)
class View:
    filters: Filters = ALL
    lang: str = DEFAULT_LANG
    k: int = DEFAULT_PRIVACY_K  # respondents behind any aggregate shown
    comment_k: int = DEFAULT_COMMENT_K  # respondents in the filter before free text is shown

    @property
    def rules(self) -> View:
        """The view without its language: the key of anything computed (and cached)."""
        return replace(self, lang=NO_LANG)

    @property
    def text_k(self) -> int:
        """Answers needed before free text is shown: never fewer than k."""
        return max(self.k, self.comment_k)

    def with_filters(self, filters: Filters) -> View:
        return replace(self, filters=filters)

    def in_lang(self, lang: str) -> View:
        return replace(self, lang=lang)
