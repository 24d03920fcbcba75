"""An answer as lemmas: words (letters only, as `cx.comments` reads them), lower case, stop
words of Italian and English dropped, each lemmatised by simplemma (offline dictionaries,
Italian first, then English), and two-word names joined (`lexicon.PHRASES`). Pure."""

from __future__ import annotations

from functools import lru_cache

from cx.comments import PLACEHOLDER, WORD, stopwords
from cx.themes.lexicon import PHRASES

# English function words (the Italian ones are `cx/assets/stopwords_it.txt`): enough that the
# words left name what an answer is about
_ENGLISH = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each even ever every
few for from further get gets got had has have having he her here hers him his how i if in
into is it its itself just least less let lot lots many me might more most much must my no nor
not now of off often on once one only or other our ours out over own per quite rather really
same she should so some still such than that the their theirs them then there these they this
those through to too under until up us very was we were what when where which while who whom
why will with within without would yet you your yours
"""
ENGLISH_STOPWORDS = frozenset(_ENGLISH.split())
MIN_LEMMA = 2


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return stopwords() | ENGLISH_STOPWORDS


@lru_cache(maxsize=65536)
def lemma(word: str, langs: tuple[str, ...] = ("it", "en")) -> str:
    """The word's lemma in the first of `langs` that knows it (else the word itself)."""
    import simplemma  # its dictionaries load on first use

    return str(simplemma.lemmatize(word, lang=langs)).lower()


def languages(words: list[str]) -> tuple[str, ...]:
    """English first for an answer with more English function words than Italian ones
    («rude» is not «rudere»), Italian first otherwise."""
    english = sum(w in ENGLISH_STOPWORDS for w in words)
    italian = sum(w in stopwords() for w in words)
    return ("en", "it") if english > italian else ("it", "en")


def tokens(answer: str) -> tuple[list[str], tuple[str, ...]]:
    """The answer's meaningful words in order, lower case (placeholders of redacted names out),
    and the order of languages to lemmatise them in."""
    found = WORD.findall(PLACEHOLDER.sub(" ", answer).lower())
    kept = [w for w in found if len(w) >= MIN_LEMMA and w not in _stopwords()]
    return kept, languages(found)


def lemmas(answer: str) -> tuple[str, ...]:
    """The answer's lemmas in order, two-word names joined into one (`PHRASES`); each pair is
    looked up both as written and lemmatised («buyer personas», «tempi reali»)."""
    words, langs = tokens(answer)
    found = [lemma(w, langs) for w in words]
    out: list[str] = []
    i = 0
    while i < len(found):
        if i + 1 < len(found):
            joined = (PHRASES.get((found[i], found[i + 1]))
                      or PHRASES.get((words[i], words[i + 1])))
            if joined:
                out.append(joined)
                i += 2
                continue
        if found[i] not in _stopwords():
            out.append(found[i])
        i += 1
    return tuple(out)
