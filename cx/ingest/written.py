"""Answers as people and tools write them, before they are codes: the words for no answer, for
yes and for no; numbers with a decimal comma or grouped thousands; the option a column header
names. Pure text, no question decided here
(`cx.ingest.recode` decides)."""

from __future__ import annotations

import html
import re

from cx.ingest.sources import norm

MISSING = frozenset({
    "", "n/a", "na", "n.a.", "n.a", "n/d", "nd", "n.d.", "-", "--", "---", "—", "–", ".", "?",
    "non lo so", "non so", "non saprei", "non ricordo", "i don't know", "i dont know",
    "don't know", "dont know", "do not know", "i don't remember", "prefer not to say",
    "prefer not to answer", "preferisco non rispondere", "no basis for evaluation",
    "not applicable", "non applicabile", "non pertinente", "null", "nan", "#n/a", "missing",
    "no answer", "nessuna risposta", "noanswer", "keine angabe", "weiss nicht", "not sure",
    "i'm not sure", "unsure", "non sono sicuro", "non sono sicura", "no opinion",
    "nessuna opinione", "can't say", "cannot say", "not answered", "non risponde",
    "never tried it", "no basis", "k.a.", "nicht zutreffend", "#n/d",
})
# non-substantive answers written as a sentence: "I've never had squash", "Non ho mai usato…"
_NEVER = re.compile(r"^(i'?ve never|i have never|i never|never (had|tried|used)|non ho mai|"
                    r"mai (usato|provato))\b")
TRUE = frozenset({"si", "sì", "yes", "y", "s", "1", "1.0", "true", "vero", "x", "✓", "✔",
                  "checked", "selected", "selezionato", "selezionata", "ja", "oui"})
FALSE = frozenset({"no", "n", "0", "0.0", "false", "falso", "not selected", "non selezionato",
                   "unchecked", "nein", "non"})


def vkey(text: str) -> str:
    """An answer as compared with option texts: normalised, HTML entities read (Typeform
    writes `&gt; 2000€`), trailing full stop dropped."""
    text = norm(html.unescape(text) if "&" in text else text).strip().strip('"').strip()
    return text[:-1].rstrip() if text.endswith(".") and len(text) > 1 else text


def non_answer(text: str) -> bool:
    """Whether an answer says "no answer" (N/A, I don't know, I've never had…)."""
    k = vkey(text)
    return k in MISSING or bool(_NEVER.match(k))


def parse_number(text: str) -> float | None:
    """'3,5' · '1.234,5' · '−20' · '45%' → a float (None when it is not a number)."""
    t = text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    t = t.removesuffix("%")
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[-+]?\d*,\d+", t):
        t = t.replace(",", ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3}){2,}(\.\d+)?", t):
        t = t.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", t):
        return None
    return float(t)


def number_text(value: float) -> str:
    """A number as the recoder writes it: 3 for 3.0, 3.5 as it is."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


_BRACKETED = re.compile(r"^.*\[[^\[\]]+\]$")
_DASHED = re.compile(r"^.*\S\s*(?:\s[-–—]|-|:)\s*(\S[^-–—:]*)$")


def option_texts(header: str) -> list[str]:
    """The texts a column header may give its option: "Q [Option]" → Option, "Q - Option" →
    Option (Qualtrics), else the header itself (Typeform names the column after the option)."""
    header = header.strip()
    found = _BRACKETED.match(header)
    if found:
        return [header[header.rindex("[") + 1:-1]]
    dashed = _DASHED.match(header)
    return [header, dashed.group(1)] if dashed else [header]


def bracketed(header: str) -> bool:
    """Whether a header names its option in brackets: "Q [Option]"."""
    return bool(_BRACKETED.match(header.strip()))
