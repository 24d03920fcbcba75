"""Answers as written by people and tools → the questionnaire's codes.

Labels in Italian or English, any case, accents or spaces, "5 - Molto" numbering; Sì/Si/Yes/1/
TRUE, or the option's own text, as "chosen" in a column per option; decimal comma; multiple
choices joined by `|`, `;`, or `", "` split on the known option texts (which may contain commas
themselves). Non-answers ("N/A", "Non lo so", "I don't know", "No basis for evaluation") are
missing, never scored. A rating below its scale (0 on 1–5, -1, -99) is out of range, unless the
file's source is known to code "not applicable" so (Qualtrics' negative codes) or the analyst
said so for this file (`BelowScale`). Each recode carries a `note` saying what was done, so the
preview can count them per column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from cx.ingest.options import STRICT, BelowScale
from cx.ingest.sources import norm
from cx.ingest.written import (
    FALSE,
    TRUE,
    bracketed,
    non_answer,
    number_text,
    option_texts,
    parse_number,
    vkey,
)
from cx.questionnaire import MULTI_SEPARATOR, Question

# a Likert's middle option, and adverbs that tools use interchangeably on the ends of a scale
MIDDLE = ("neutral", "neutro", "neutrale", "indifferente", "neither", "neutre", "weder noch")
INTENSE = ("strongly", "very", "extremely", "completely", "totally", "fully")
MILD = ("somewhat", "slightly", "moderately")
_NUMBERED = re.compile(r"^\(?(-?\d+)\)?\s*[-–—=:.)]\s*(\S.*)$")
_LEADING_NUMBER = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*(?:[-–—=:.)(]|$)")
_SEPARATOR = re.compile(r"\s*[,;|/\n]\s*")


# what a recode did (`Coded.note`): a non-answer word read as missing, a rating below the scale
# read as "not applicable", a label read as its code, a number written otherwise ("3,5")
NO_ANSWER, NOT_APPLICABLE, LABEL, NUMBER = "no_answer", "not_applicable", "label", "number"


@dataclass(frozen=True)
class Coded:
    """The canonical text of an answer (None: missing), or why it cannot be coded; `note`:
    what the recode did, when it changed what was written."""

    value: str | None
    reason: str | None = None
    params: tuple[tuple[str, object], ...] = ()
    note: str | None = None


MISSING_ANSWER = Coded(None)
NO_ANSWER_GIVEN = Coded(None, note=NO_ANSWER)
READ_AS_NOT_APPLICABLE = Coded(None, note=NOT_APPLICABLE)


def _problem(reason: str, **params: object) -> Coded:
    return Coded(None, reason, tuple(sorted(params.items())))


def _likert_synonyms(q: Question) -> dict[str, str]:
    """Other ways tools write a Likert's labels: "Neutral" for the middle option, "Somewhat
    agree" for "Agree", "Very/Extremely/Completely" for "Strongly"."""
    out: dict[str, str] = {}
    if len(q.options) % 2:
        out.update({word: q.options[len(q.options) // 2].code for word in MIDDLE})
    for o in q.options:
        first, _, rest = vkey(o.en).partition(" ")
        if first in INTENSE and rest:
            out.update({f"{word} {rest}": o.code for word in INTENSE})
        elif o is not q.options[len(q.options) // 2]:
            out.update({f"{word} {vkey(o.en)}": o.code for word in MILD})
    return out


def _bound(value: float) -> object:
    return int(value) if float(value).is_integer() else value


class Recoder:
    """Codes the answers of one question (built once per question)."""

    def __init__(self, q: Question, below: BelowScale = STRICT):
        self.q = q
        self.below = below
        self.labels: dict[str, str] = {}
        for o in q.options:
            for text in (o.code, o.it, o.en):
                self.labels.setdefault(vkey(text), o.code)
        if q.qtype.positional:
            for text, code in _likert_synonyms(q).items():
                self.labels.setdefault(text, code)

    def code(self, raw: str | None) -> Coded:
        """The canonical answer for a cell of a column mapped to the whole question."""
        if raw is None:
            return MISSING_ANSWER
        row = self.q.qtype
        if row.single or row.positional:
            coded = self._choice(raw)
        elif row.multiple:
            coded = self._multi(raw)
        elif row.numeric:
            coded = self._number(raw)
        else:
            return Coded(raw.strip() or None)
        return _noted(coded, raw)

    def _option(self, text: str) -> str | None:
        k = vkey(text)
        if k in self.labels:
            return self.labels[k]
        numbered = _NUMBERED.match(k) if parse_number(k) is None else None  # not "2.5"
        if numbered:
            by_label = self.labels.get(vkey(numbered.group(2)))
            if by_label:
                return by_label
            if self.q.qtype.positional and numbered.group(1) in self.q.codes:
                return numbered.group(1)
        return None

    def _choice(self, raw: str) -> Coded:
        code = self._option(raw)
        if code is not None:
            return Coded(code)
        if non_answer(raw):
            return NO_ANSWER_GIVEN
        if self.q.qtype.positional:
            return self._likert_number(raw)
        return _problem("unknown_option", question=self.q.id)

    def _likert_number(self, raw: str) -> Coded:
        value = parse_number(raw)
        if value is None:
            return _problem("unknown_option", question=self.q.id)
        top = len(self.q.options)
        if value < 1 and self.below.means_not_applicable(value):
            return READ_AS_NOT_APPLICABLE
        if value < 1 and value.is_integer():
            return _problem("below_scale", min=1, max=top, value=number_text(value))
        if not value.is_integer() or not 1 <= value <= top:
            return _problem("out_of_range", min=1, max=top)
        return Coded(str(int(value)))

    def _number(self, raw: str) -> Coded:
        if non_answer(raw):
            return NO_ANSWER_GIVEN
        value = parse_number(raw)
        if value is None and self.q.qtype.rating:
            lead = _LEADING_NUMBER.match(raw.strip())  # "10 - Extremely likely"
            value = parse_number(lead.group(1)) if lead else None
        if value is None:
            return _problem("not_a_number")
        if self._not_applicable(value):
            return READ_AS_NOT_APPLICABLE
        if self.q.integer and not value.is_integer():
            return _problem("not_integer")
        low, high = self.q.bounds or (None, None)
        if self.q.qtype.rating and low is not None and high is not None and value < low \
                and value.is_integer():
            return _problem("below_scale", min=_bound(low), max=_bound(high),
                            value=number_text(value))
        if low is not None and high is not None and not low <= value <= high:
            return _problem("out_of_range", min=_bound(low), max=_bound(high))
        return Coded(number_text(value))

    def _not_applicable(self, value: float) -> bool:
        """A rating below its scale that this file's `BelowScale` reads as "not applicable"
        (a value inside the scale never is: 0 on a 0–10 NPS is an answer)."""
        low = self.q.min
        if not self.q.qtype.rating or low is None or value >= low:
            return False
        return self.below.means_not_applicable(value)

    def _multi(self, raw: str) -> Coded:
        text = raw.strip()
        if non_answer(text) and vkey(text) not in self.labels:
            return NO_ANSWER_GIVEN
        parts = text.split(MULTI_SEPARATOR) if MULTI_SEPARATOR in text else self._words(text)
        if parts is not None:
            codes, unknown = self._codes(parts)
            if unknown:  # the parts are as written: name the first one not understood
                return _problem("unknown_part", question=self.q.id, part=unknown[0].strip())
        else:
            codes, unknown = self._tokens(norm(text))
            if unknown:
                return _problem("unknown_option", question=self.q.id)
        chosen = [c for c in self.q.codes if c in codes]
        clash = [c for c in self.q.exclusive if c in chosen]
        if clash and len(chosen) > 1:
            return _problem("exclusive_option", option=self.q.option(clash[0]).label("it"))
        return Coded(MULTI_SEPARATOR.join(chosen) or None)

    def _words(self, text: str) -> list[str] | None:
        """Kobo joins the chosen options' codes with spaces ("store website")."""
        words = text.split()
        if len(words) > 1 and vkey(text) not in self.labels \
                and all(vkey(w) in self.labels for w in words):
            return words
        return None

    def _codes(self, parts: list[str]) -> tuple[set[str], list[str]]:
        codes, unknown = set(), []
        for part in parts:
            if not part.strip():
                continue
            code = self.labels.get(vkey(part))
            (codes.add(code) if code else unknown.append(part))
        return codes, unknown

    def _tokens(self, text: str) -> tuple[set[str], list[str]]:
        """Split on the known option texts first (they may contain commas), longest first."""
        keys = sorted(self.labels, key=len, reverse=True)
        codes, unknown, pos = set(), [], 0
        while pos < len(text):
            sep = _SEPARATOR.match(text, pos)
            if sep and sep.end() > pos:
                pos = sep.end()
                continue
            hit = next((k for k in keys if k and text.startswith(k, pos)
                        and _ends_token(text, pos + len(k))), None)
            if hit is None:
                nxt = _SEPARATOR.search(text, pos)
                end = nxt.start() if nxt else len(text)
                unknown.append(text[pos:end])
                pos = end
                continue
            codes.add(self.labels[hit])
            pos += len(hit)
        return codes, unknown

    def flag(self, raw: str | None, option: str, own: frozenset[str] = frozenset()) -> Coded:
        """A cell of a column holding one option: chosen (yes, 1, ✓, the option's label or the
        column's own option text `own`) → the option's code, else None."""
        if raw is None:
            return MISSING_ANSWER
        k = vkey(raw)
        if k in TRUE or k in own or self.labels.get(k) == option:
            return Coded(option)
        if k in FALSE or non_answer(raw):
            return MISSING_ANSWER
        return _problem("not_yes_no")

    def flags(self, values: list[str], option: str, header: str) -> dict[str, Coded]:
        """The cells (distinct values) of a column holding one option. Besides yes/no, a column
        may hold its option's text or nothing (SurveyMonkey, Typeform): the text in its header
        ("Q [Option]", or the header itself), or, when the header names no option ("Column7"),
        the one text the column holds."""
        own = {vkey(t) for t in option_texts(header)}
        other = {vkey(v) for v in values if not self._yes_no(v) and vkey(v) not in own}
        if len(other) == 1 and not bracketed(header):
            own |= other
        return {raw: self.flag(raw, option, frozenset(own)) for raw in values}

    def _yes_no(self, raw: str) -> bool:
        k = vkey(raw)
        return k in TRUE or k in FALSE or non_answer(raw)


def _ends_token(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    rest = text[end:]
    return bool(_SEPARATOR.match(rest)) or rest.strip(" .") == ""


def _noted(coded: Coded, raw: str) -> Coded:
    """The coded answer with a note when it is not the text as written (spaces aside): a
    number written otherwise ("3,5", "05"), or a label. Problems and missing answers keep
    theirs."""
    if coded.reason is not None or coded.value is None or coded.note is not None \
            or raw.strip() == coded.value:
        return coded
    return replace(coded, note=NUMBER if parse_number(raw) is not None else LABEL)


@lru_cache(maxsize=1024)
def recoder(q: Question, below: BelowScale = STRICT) -> Recoder:
    return Recoder(q, below)
