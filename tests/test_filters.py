"""The filter in words (cx.filters): one description for the pages' subtitles, the scorecard's
PDF, the deck's slides and the overview's caption."""

import pytest

from cx.filters import ALL, Filters, describe_scope, describe_wave
from cx.questionnaire import questionnaire

SEGMENTS = Filters(wave=2026, sectors=("manufacturing", "retail"), size_bands=("small",),
                   regions=("nord_ovest",))


@pytest.mark.parametrize(("filters", "waves", "lang", "words"), [
    (ALL, (), "it", "Tutte le ondate"),
    (ALL, (), "en", "All waves"),
    (Filters(wave=2026), (), "it", "Ondata 2026"),
    (SEGMENTS, (), "it",
     "Ondata 2026 · Manifattura e industria, Commercio e retail · 10–49 · Nord-Ovest"),
    (ALL, (2025, 2026), "it", "Ondate 2025–2026"),
    (ALL, (2026,), "en", "Wave 2026"),
    (Filters(wave=2025), (2025, 2026), "en", "Wave 2025"),
], ids=["all-it", "all-en", "wave", "segments", "range", "one-wave-in-data", "wave-of-two"])
def test_the_filter_in_words(filters, waves, lang, words):
    assert describe_scope(filters, questionnaire(), lang, waves) == words


@pytest.mark.parametrize(("filters", "lang", "words"), [
    (Filters(wave=2026), "it", "2026"), (ALL, "it", "tutte le ondate"), (ALL, "en", "all waves"),
])
def test_the_wave_inside_a_sentence(filters, lang, words):
    assert describe_wave(filters, lang) == words
