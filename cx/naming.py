"""Company names as people read them: two spellings that differ only in accents, case,
invisible characters or repeated spaces name one company. Pure: no I/O.

`company_key` is what uploads compare; `folded` is the same folding with, for each character,
where it came from, so that a name found in free text can be blanked out where it was written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# blank letters (category Lo) used to pass for nothing, beside every format character (Cf:
# zero-width spaces and joiners, U+2060, U+FEFF, the soft hyphen, bidirectional marks)
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
MARKS = ("Mn", "Me")  # accents and other combining marks, dropped when comparing
SIMPLE = r"[!-~]+( [!-~]+)*"  # printable ASCII, single spaces: its key is just its lower case


def invisible(ch: str) -> bool:
    """Whether a character shows nothing: a format character or a blank letter."""
    return unicodedata.category(ch) == "Cf" or ch in BLANK_LETTERS


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """One character as compared: its compatibility form, case folded, without accents;
    " " for white space, "" for an invisible character or a lone mark."""
    if invisible(ch):
        return ""
    if ch.isspace():
        return " "
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch).casefold())
    kept = "".join(c for c in text if unicodedata.category(c) not in MARKS and not invisible(c))
    return " " if kept.isspace() else kept


def folded(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` folded as `company_key` folds it (runs of white space as one space, the ends
    kept), and the position in `text` of each folded character.

    Character by character, which gives what folding the whole text gives: NFKC then NFKD
    decomposes as NFKD alone does, and the marks whose order NFKD would fix are dropped.
    """
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        piece = _fold(ch)
        if piece == " " and out and out[-1] == " ":
            continue
        out.extend(piece)
        origin.extend([i] * len(piece))
    return "".join(out), tuple(origin)


def company_key(name: str) -> str:
    """What two spellings of one company share: NFKC, no invisible characters, no accents,
    case folded, one space between words, none at the ends."""
    return folded(name)[0].strip(" ")


def company_display(name: str) -> str:
    """A spelling as stored and shown: NFC, invisible characters removed, one space between
    words, none at the ends; accents and case as written."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", name) if not invisible(ch))
    return " ".join(text.split())


def simple(name: str) -> bool:
    """Whether `name` is printable ASCII with single spaces (the SQL `SIMPLE` test): its key is
    its lower case and it is stored as it is."""
    return re.fullmatch(SIMPLE, name) is not None
