"""The segment a user is looking at: wave, sectors, size bands, regions; and the same in words,
for subtitles, captions, the scorecard's PDF and the deck's slides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cx.i18n import t

if TYPE_CHECKING:
    from cx.questionnaire import Questionnaire

FILTER_QUESTIONS = ("sector", "size_band", "region")


@dataclass(frozen=True)
class Filters:
    wave: int | None = None
    sectors: tuple[str, ...] = ()
    size_bands: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # read the privacy layer's published table (everyone but analysts), not the responses;
    # the values above are then published groups (cx.privacy.admit)
    published: bool = False

    def params(self) -> dict[str, object]:
        """Bound parameters for the store's filter clause."""
        return {
            "wave": self.wave,
            "sectors": list(self.sectors),
            "size_bands": list(self.size_bands),
            "regions": list(self.regions),
        }


ALL = Filters()


def describe_scope(filters: Filters, qn: Questionnaire, lang: str,
                   waves: Sequence[int] = ()) -> str:
    """The filter in words: 'Ondata 2026 · Banche e assicurazioni'. Given the waves in the data,
    all waves are read by year: 'Ondate 2025–2026' (one wave: 'Ondata 2026')."""
    if filters.wave or len(waves) == 1:
        parts = [t("filters.one_wave", lang, wave=filters.wave or waves[0])]
    elif waves:
        parts = [t("filters.wave_range", lang, first=min(waves), last=max(waves))]
    else:
        parts = [t("filters.all_waves", lang)]
    for qid, codes in zip(FILTER_QUESTIONS, (filters.sectors, filters.size_bands,
                                             filters.regions)):
        if codes:
            parts.append(", ".join(qn[qid].option_label(c, lang) for c in codes))
    return " · ".join(parts)


def describe_wave(filters: Filters, lang: str) -> str:
    """The filter's wave inside a sentence ('ondata: 2026', 'ondata: tutte le ondate')."""
    return str(filters.wave) if filters.wave else t("filters.all_waves", lang).lower()
