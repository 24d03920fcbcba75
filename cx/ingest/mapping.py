"""Columns → question ids: by id, by question text in either language, by close match; a
multiple-choice question spread over one column per option maps each column to `qid:option`.
The columns themselves come from the header (`cx.ingest.header`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from cx.ingest.header import Column
from cx.ingest.problems import Refused
from cx.ingest.sources import SM_SECOND_ROW, norm, split_code
from cx.questionnaire import Question, Questionnaire

CLOSE = 0.84  # difflib ratio from which a header is taken for a question's text
ALIASES = {
    "respondent_id": ("respondent id", "response id", "responseid", "id risposta", "id",
                      "id rispondente", "codice rispondente", "#", "_uuid", "instanceid",
                      "meta/instanceid", "record id"),
    "company": ("azienda", "company", "nome azienda", "ragione sociale", "company name",
                "organizzazione", "organization", "organisation", "societa", "impresa"),
    "wave": ("ondata", "wave", "anno", "year", "anno della rilevazione", "survey year"),
}
_NUMBERING = re.compile(r"^(q\d+[a-z]?|\d+[a-z]?)(\s*[.):\]]\s*|\s+[-–—]\s+|\s+)")
_BRACKET = re.compile(r"^(.*?)\s*\[([^\[\]]+)\]\s*$")
_SEPARATOR = re.compile(r"\s*[-–—:]\s*")
_CODE_FORM = re.compile(r"^([a-z][a-z0-9_]*)\s*(?:\[|/|\.|:)\s*([^\]]+?)\s*\]?$")
_PATH = re.compile(r"^[A-Za-z_][\w-]*(?:[/.][A-Za-z_][\w-]*)+$")  # Kobo: group/question


def key(text: str) -> str:
    """A header as words: no accents, case, numbering ("7 - ", "Q3."), or punctuation."""
    text = _NUMBERING.sub("", norm(text), count=1)
    return " ".join(re.sub(r"[^\w']+", " ", text).replace("'", " ").split())


@dataclass(frozen=True)
class _Index:
    ids: dict[str, str]
    texts: dict[str, str]
    options: dict[str, dict[str, str]]
    seen: dict[str, tuple[float, str]] = field(default_factory=dict)  # header text → question

    def question(self, text: str) -> tuple[float, str]:
        """(ratio, question id) closest to a header text (the columns of a question spread
        over several share it: computed once)."""
        if text not in self.seen:
            self.seen[text] = _close(text, self.texts)
        return self.seen[text]


def _index(qn: Questionnaire) -> _Index:
    texts = {key(alias): qid for qid, aliases in ALIASES.items() for alias in aliases}
    texts["#"] = "respondent_id"
    for q in qn.questions:
        texts[key(q.it)] = q.id
        texts[key(q.en)] = q.id
    options = {q.id: _option_keys(q) for q in qn.questions if q.qtype.multiple}
    return _Index({q.id: q.id for q in qn.questions}, texts, options)


def _option_keys(q: Question) -> dict[str, str]:
    out = {}
    for o in q.options:
        for text in (o.code, o.it, o.en):
            out[key(text)] = o.code
    return out


def _close(text: str, choices: dict[str, str], cutoff: float = CLOSE) -> tuple[float, str]:
    """(ratio, value) of the closest key of `choices`, or (0, "")."""
    if text in choices:
        return 1.0, choices[text]
    best = (0.0, "")
    # the header is the second sequence, whose index difflib builds once (not per candidate)
    matcher = SequenceMatcher(b=text, autojunk=False)
    for candidate, value in choices.items():
        if 2 * min(len(text), len(candidate)) < cutoff * (len(text) + len(candidate)):
            continue  # the lengths alone rule it out
        matcher.set_seq1(candidate)
        if matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff and ratio > best[0]:
            best = (ratio, value)
    return best


def _option_target(question: str, option: str, idx: _Index) -> tuple[float, str]:
    q_ratio, qid = idx.question(key(question))
    if not qid:
        return 0.0, ""
    if qid not in idx.options:
        return (0.9 * q_ratio, qid) if norm(option) in SM_SECOND_ROW | {""} else (0.0, "")
    o_ratio, code = _close(key(option), idx.options[qid])
    return (0.97 * q_ratio * o_ratio, f"{qid}:{code}") if code else (0.0, "")


def _splits(text: str) -> list[tuple[str, str]]:
    """The ways a header may read «question [option]» or «question - option»: at every dash or
    colon, since an option may hold its own («In e-mails», «face-to-face») and legacy Qualtrics
    writes «question-option» with no spaces; the best match of question and option wins."""
    out = []
    stripped = text.strip()
    found = _BRACKET.match(stripped)
    if found:
        out.append((found.group(1), found.group(2)))
    for sep in _SEPARATOR.finditer(stripped):
        question, option = stripped[:sep.start()].strip(), stripped[sep.end():].strip()
        if question and option:
            out.append((question, option))
    return out


def _by_id(text: str, idx: _Index) -> str:
    raw = text.strip().casefold()
    if raw in idx.ids:
        return raw
    found = _CODE_FORM.match(raw)
    if found and found.group(2) in idx.options.get(found.group(1), {}).values():
        return f"{found.group(1)}:{found.group(2)}"
    return ""


def _texts(col: Column) -> list[str]:
    """The header texts of a column; LimeSurvey's "code. text" gives the code and the text, a
    Kobo group path ("profilo/pratiche/touchpoints") its last one or two names."""
    out = []
    for text in col.texts:
        code, rest = split_code(text)
        out += [code, rest] if code else [text]
        if _PATH.match(text.strip()):
            parts = re.split(r"[/.]", text.strip())
            out += ["/".join(parts[-2:]), parts[-1]]
    return out


def _option_anywhere(option: str, idx: _Index) -> tuple[float, str]:
    """The one multiple-choice option in the questionnaire with exactly this text."""
    k = key(option)
    hits = {f"{qid}:{codes[k]}" for qid, codes in idx.options.items() if k in codes}
    return (0.95, hits.pop()) if len(hits) == 1 else (0.0, "")


def _candidate(col: Column, idx: _Index) -> tuple[float, str]:
    """The best target of one column and how sure we are (0: none)."""
    texts = _texts(col)
    for text in texts:
        found = _by_id(text, idx)
        if found:
            return 1.0, found
    if col.question and col.option:
        score, target = _option_target(col.question, col.option, idx)
        if target:
            return score, target
    elif col.option:
        score, target = _option_anywhere(col.option, idx)
        if target:
            return score, target
    best = (0.0, "")
    for text in texts:
        ratio, qid = idx.question(key(text))
        best = max(best, (ratio * (0.99 if ratio == 1.0 else 0.9), qid))
        for question, option in _splits(text):
            best = max(best, _option_target(question, option, idx))
    return best


def propose(cols: tuple[Column, ...], qn: Questionnaire) -> dict[str, str]:
    """Column name → target (`qid`, `qid:option`, or "" for a column kept unmapped); each
    target goes to the column that matches it best."""
    idx = _index(qn)
    scored = sorted(((*_candidate(c, idx), c.index, c.name) for c in cols), reverse=True)
    taken: set[str] = set()
    whole: set[str] = set()  # a question answered in one column, or in one column per option
    spread: set[str] = set()
    out = {c.name: "" for c in cols}
    for score, target, _, name in scored:
        qid, _, option = target.partition(":")
        if score <= 0 or not target or target in taken or qid in (whole if option else spread):
            continue
        taken.add(target)
        (spread if option else whole).add(qid)
        out[name] = target
    return out


def check_target(target: str, qn: Questionnaire, column: str) -> str:
    """A target from the analyst (page or mapping file), validated against the questionnaire."""
    target = (target or "").strip()
    if not target:
        return ""
    qid, _, option = target.partition(":")
    if qid in qn and (not option or (qn[qid].qtype.multiple and option in qn[qid].codes)):
        return target
    raise Refused("bad_target", column=column, target=target)


def merge(proposed: dict[str, str], *overrides: dict[str, str] | None,
          qn: Questionnaire) -> dict[str, str]:
    """The proposal with saved and explicit choices applied (unknown columns ignored)."""
    out = dict(proposed)
    for override in overrides:
        chosen = {name: check_target(target or "", qn, name)
                  for name, target in (override or {}).items() if name in out}
        wanted = set(chosen.values()) - {""}
        for name in out:  # a target chosen for one column leaves the column proposed for it
            if name not in chosen and out[name] in wanted:
                out[name] = ""
        out.update(chosen)
    return out
