"""Which themes each answer speaks of. First the seeded dictionary (`lexicon.THEMES`): an
answer belongs to every theme one of whose lemmas (or stems) it uses. Then, among the answers
no dictionary theme explains, the lemma used by the most respondents becomes a theme of its
own (named by it and the lemma most often beside it), its answers set aside, and so on: a
greedy, seeded-by-nothing cover that gives the same themes whatever the order of the answers.
Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cx.themes.lexicon import THEMES
from cx.themes.text import lemmas

EMERGENT_PREFIX = "lemma:"
EMERGENT_MAX = 3  # themes found beyond the dictionary: a handful, not a word list
# words every answer about customers uses: never a theme of their own
GENERIC = frozenset({
    "cliente", "customer", "client", "azienda", "company", "business", "prodotto", "product",
    "servizio", "service", "fare", "make", "dovere", "potere", "volere", "avere", "essere",
    "need", "want", "molto", "troppo", "sempre", "ancora", "ogni", "più", "nostro", "loro",
    "volta", "modo", "cosa", "thing", "way", "good", "bene", "male", "better", "migliore",
    "migliorare", "improve"})


@dataclass(frozen=True)
class Found:
    """The themes of each distinct answer (dictionary keys, then `lemma:<seed>` for a theme
    found in the answers), and the lemmas naming each found theme."""

    themes: dict[str, frozenset[str]]
    emergent: dict[str, tuple[str, ...]]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every theme an answer belongs to, the dictionary's first, in their order."""
        used = set().union(*self.themes.values()) if self.themes else set()
        return (*(t.key for t in THEMES if t.key in used),
                *(k for k in self.emergent if k in used))


@lru_cache(maxsize=1 << 16)
def word_themes(word: str) -> frozenset[str]:
    """The dictionary themes one lemma belongs to (as a word or by a stem)."""
    return frozenset(t.key for t in THEMES
                     if word in t.lemmas or (t.stems and word.startswith(t.stems)))


def dictionary_themes(words: tuple[str, ...]) -> frozenset[str]:
    """The dictionary themes an answer's lemmas speak of."""
    return frozenset().union(*(word_themes(w) for w in words))


@lru_cache(maxsize=1 << 18)
def reading(answer: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """An answer's lemmas and dictionary themes, remembered: a filter changed reads the same
    answers again."""
    words = lemmas(answer)
    return words, dictionary_themes(words)


def _candidates(words: tuple[str, ...]) -> set[str]:
    return {w for w in words if len(w) >= 3 and w not in GENERIC and "_" not in w}


def emergent_themes(uncovered: Mapping[tuple[str, ...], int], min_size: int
                    ) -> dict[str, tuple[str, ...]]:
    """Themes among answers no dictionary theme explains (their lemmas → respondents): the
    lemma most respondents use (ties: alphabetical) if at least `min_size` use it, named with
    the lemma most often beside it when half of them use that too; its answers set aside."""
    left = dict(uncovered)
    found: dict[str, tuple[str, ...]] = {}
    while left and len(found) < EMERGENT_MAX:
        counts: Counter[str] = Counter()
        for words, n in left.items():
            for w in _candidates(words):
                counts[w] += n
        if not counts:
            break
        seed, size = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if size < max(min_size, 1):
            break
        members = {w: n for w, n in left.items() if seed in w}
        beside: Counter[str] = Counter()
        for words, n in members.items():
            for w in _candidates(words) - {seed}:
                beside[w] += n
        name: tuple[str, ...] = (seed,)
        if beside:
            second, together = min(beside.items(), key=lambda kv: (-kv[1], kv[0]))
            if 2 * together >= size:
                name = (seed, second)
        found[EMERGENT_PREFIX + seed] = name
        left = {w: n for w, n in left.items() if seed not in w}
    return found


def _emergent_of(words: tuple[str, ...], emergent: Mapping[str, tuple[str, ...]]
                 ) -> frozenset[str]:
    """The first found theme whose seed the answer uses (as the greedy cover assigned it)."""
    for key in emergent:
        if key.removeprefix(EMERGENT_PREFIX) in words:
            return frozenset({key})
    return frozenset()


def find_themes(answers: Mapping[str, int], min_size: int,
                also: tuple[str, ...] = ()) -> Found:
    """The themes of `answers` (distinct text → respondents), learning themes beyond the
    dictionary from them; `also` are further answers (other waves) given the same themes."""
    read = {a: reading(a) for a in sorted({*answers, *also})}
    words = {a: w for a, (w, _) in read.items()}
    themes = {a: found for a, (_, found) in read.items()}
    uncovered: Counter[tuple[str, ...]] = Counter()
    for a, n in answers.items():
        if not themes[a]:
            uncovered[words[a]] += int(n)
    emergent = emergent_themes(uncovered, min_size)
    for a, w in words.items():
        if not themes[a]:
            themes[a] = _emergent_of(w, emergent)
    return Found(themes, emergent)
