"""Free-text answers: shown without who gave them, company names blanked out, and the most
frequent meaningful words (Italian stop words from `cx/assets/stopwords_it.txt` removed).
Pure: works on (answer, count) pairs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

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


def name_index(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Company names (full and without legal form) by their first word, lower case, longest
    first: lets a few answers be checked against thousands of names quickly."""
    index: dict[str, set[str]] = {}
    for name in names:
        for variant in {name.strip(), core_name(name)}:
            words = WORD.findall(variant.lower())
            if words and len(variant) >= MIN_WORD_LENGTH:
                index.setdefault(words[0], set()).add(variant.lower())
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def redact(answer: str, index: dict[str, tuple[str, ...]], placeholder: str) -> str:
    """The answer with every company name it mentions replaced by `placeholder`."""
    lowered = answer.lower()
    found = {name for word in set(WORD.findall(lowered)) for name in index.get(word, ())
             if name in lowered}
    for name in sorted(found, key=len, reverse=True):
        answer = re.sub(re.escape(name), placeholder, answer, flags=re.IGNORECASE)
    return answer


def answer_table(answers: pd.DataFrame, index: dict[str, tuple[str, ...]],
                 placeholder: str) -> pd.DataFrame:
    """Distinct answers (`answer`, `count`) after redaction, most frequent first, then A–Z:
    never in the order they were given."""
    text = answers["answer"].astype(str).str.strip()
    redacted = text.map(lambda a: redact(a, index, placeholder))
    table = (pd.DataFrame({"answer": redacted, "count": answers["count"].astype(int)})
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
