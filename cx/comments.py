"""Free-text answers: shown without who gave them, company names blanked out, and the most
frequent meaningful words (Italian stop words from `cx/assets/stopwords_it.txt` removed).
Pure: works on (answer, count) pairs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import cast

import pandas as pd

from cx.naming import company_display, folded

STOPWORDS_PATH = Path(__file__).resolve().parent / "assets" / "stopwords_it.txt"
LEGAL_FORMS = re.compile(r"\s*(,?\s*(s\.?p\.?a\.?|s\.?r\.?l\.?s?|s\.?n\.?c\.?|s\.?a\.?s\.?|"
                         r"&\s*c\.?|spa|srl))+\s*$", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\[[^\]]*\]")
WORD = re.compile(r"[^\W\d_]+")
MIN_WORD_LENGTH = 3


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The Italian stop words (one per line, # comments)."""
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def core_name(name: str) -> str:
    """A company name without its legal form: 'Rossi Group S.p.A.' → 'Rossi Group'."""
    return LEGAL_FORMS.sub("", name).strip()


def _compared(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` folded as company names are compared (`cx.naming.folded`: no accents, case or
    invisible characters) and without spaces, so that «Caffè Borbone» with a zero-width space
    for its space is still found; with the position in `text` of each character left."""
    text_folded, origin = folded(text)
    kept = [i for i, ch in enumerate(text_folded) if ch != " "]
    return "".join(text_folded[i] for i in kept), tuple(origin[i] for i in kept)


def name_index(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Company names (full and without legal form) as compared (`_compared`), by their first
    three characters, longest first: lets a few answers be checked against thousands of names
    quickly."""
    index: dict[str, set[str]] = {}
    for name in names:
        shown = company_display(name)
        for variant in {shown, core_name(shown)}:
            key = _compared(variant)[0]
            if len(key) >= MIN_WORD_LENGTH and WORD.search(key):
                index.setdefault(key[:MIN_WORD_LENGTH], set()).add(key)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _mentions(text: str, index: dict[str, tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where names of `index` occur in compared `text`: leftmost, then longest, first."""
    spans, i = [], 0
    while i <= len(text) - MIN_WORD_LENGTH:
        name = next((n for n in index.get(text[i:i + MIN_WORD_LENGTH], ())
                     if text.startswith(n, i)), None)
        if name is None:
            i += 1
            continue
        spans.append((i, i + len(name)))
        i += len(name)
    return spans


def redact(answer: str, index: dict[str, tuple[str, ...]], placeholder: str) -> str:
    """The answer with every company name it mentions replaced by `placeholder`, however it
    is written: accents, case, invisible characters and spaces aside (`cx.naming`)."""
    text, origin = _compared(answer)
    for start, end in reversed(_mentions(text, index)):
        first, last = origin[start], origin[end - 1] + 1
        while last < len(answer) and not folded(answer[last])[0]:  # its trailing accents
            last += 1
        answer = answer[:first] + placeholder + answer[last:]
    return answer


def answer_table(answers: pd.DataFrame, index: dict[str, tuple[str, ...]],
                 placeholder: str) -> pd.DataFrame:
    """Distinct answers (`answer`, `count`) after redaction, most frequent first, then A–Z:
    never in the order they were given."""
    text = answers["answer"].astype(str).str.strip()
    redacted = text.map(lambda a: redact(a, index, placeholder))
    # as_index=False: a frame, though pandas-stubs types the sum as a Series
    table = cast(pd.DataFrame, pd.DataFrame({"answer": redacted,
                                             "count": answers["count"].astype(int)})
                 .groupby("answer", as_index=False)["count"].sum())
    return table.sort_values(["count", "answer"], ascending=[False, True], ignore_index=True)


def words(text: str) -> set[str]:
    """The meaningful words of one answer (lower case, no stop words, no placeholders)."""
    tokens = WORD.findall(PLACEHOLDER.sub(" ", text).lower())
    return {w for w in tokens if len(w) >= MIN_WORD_LENGTH and w not in stopwords()}


def word_counts(answers: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """How many answers mention each word (`word`, `count`, `share` of answers), top first."""
    counter: Counter[str] = Counter()
    for answer, count in zip(answers["answer"], answers["count"]):
        for word in words(str(answer)):
            counter[word] += int(count)
    total = int(answers["count"].sum())
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    table = pd.DataFrame(rows, columns=["word", "count"])
    table["share"] = table["count"] / total if total else 0.0
    return table
