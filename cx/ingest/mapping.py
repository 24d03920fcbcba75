"""Columns → question ids: by id, by question text in either language, by close match; a
multiple-choice question spread over one column per option maps each column to `qid:option`.
Saved mappings are keyed by the shape (a fingerprint) of a file's header."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from cx.ingest.problems import Refused
from cx.ingest.sources import IDS_TEXTS, QUESTION_OPTION, SM_SECOND_ROW, Layout, norm
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
_DASH = re.compile(r"^(.*\S)\s*[-–—:]\s*(\S.*)$")
_CODE_FORM = re.compile(r"^([a-z][a-z0-9_]*)\s*(?:\[|/|\.|:)\s*([^\]]+?)\s*\]?$")


@dataclass(frozen=True)
class Column:
    """A column of the file: its position, its (unique) name, and what its header rows say."""

    index: int
    name: str
    texts: tuple[str, ...]
    question: str = ""
    option: str = ""


def key(text: str) -> str:
    """A header as words: no accents, case, numbering ("7 - ", "Q3."), or punctuation."""
    text = _NUMBERING.sub("", norm(text), count=1)
    return " ".join(re.sub(r"[^\w']+", " ", text).replace("'", " ").split())


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for j, name in enumerate(names):
        name = name.strip() or f"column_{j + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def columns(header: tuple[tuple[str, ...], ...], layout: Layout) -> tuple[Column, ...]:
    """The columns described by the header rows of this layout."""
    first = header[0] if header else ()
    if layout.style == QUESTION_OPTION and len(header) > 1:
        return _question_option_columns(first, header[1])
    second = header[1] if layout.style == IDS_TEXTS and len(header) > 1 else ("",) * len(first)
    names = _unique([a if a.strip() else b for a, b in zip(first, second)])
    return tuple(Column(j, names[j], tuple(t for t in (first[j], second[j]) if t.strip()))
                 for j in range(len(first)))


def _question_option_columns(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[Column,
                                                                                          ...]:
    questions, current = [], ""
    for cell in first:
        current = cell.strip() or current
        questions.append(current)
    spans = {q: questions.count(q) for q in questions}
    raw = []
    for q, option in zip(questions, second):
        option = option.strip()
        single = spans[q] == 1 and (not option or norm(option) in SM_SECOND_ROW)
        raw.append(q if single else f"{q} [{option}]")
    names = _unique(raw)
    return tuple(Column(j, names[j], (names[j],), questions[j], second[j].strip())
                 for j in range(len(first)))


def shape(cols: tuple[Column, ...]) -> str:
    """A fingerprint of the header: files of the same shape reuse a saved mapping."""
    text = "\x1f".join(norm(c.name) for c in cols)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class _Index:
    ids: dict[str, str]
    texts: dict[str, str]
    options: dict[str, dict[str, str]]


def _index(qn: Questionnaire) -> _Index:
    texts = {key(alias): qid for qid, aliases in ALIASES.items() for alias in aliases}
    texts["#"] = "respondent_id"
    for q in qn.questions:
        texts[key(q.it)] = q.id
        texts[key(q.en)] = q.id
    options = {q.id: _option_keys(q) for q in qn.questions if q.type == "multi"}
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
    matcher = SequenceMatcher(a=text, autojunk=False)
    for candidate, value in choices.items():
        matcher.set_seq2(candidate)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff and ratio > best[0]:
            best = (ratio, value)
    return best


def _option_target(question: str, option: str, idx: _Index) -> tuple[float, str]:
    q_ratio, qid = _close(key(question), idx.texts)
    if not qid:
        return 0.0, ""
    if qid not in idx.options:
        return (0.9 * q_ratio, qid) if norm(option) in SM_SECOND_ROW | {""} else (0.0, "")
    o_ratio, code = _close(key(option), idx.options[qid])
    return (0.97 * q_ratio * o_ratio, f"{qid}:{code}") if code else (0.0, "")


def _splits(text: str) -> list[tuple[str, str]]:
    out = []
    for pattern in (_BRACKET, _DASH):
        found = pattern.match(text.strip())
        if found:
            out.append((found.group(1), found.group(2)))
    return out


def _by_id(text: str, idx: _Index) -> str:
    raw = text.strip().casefold()
    if raw in idx.ids:
        return raw
    found = _CODE_FORM.match(raw)
    if found and found.group(2) in idx.options.get(found.group(1), {}).values():
        return f"{found.group(1)}:{found.group(2)}"
    return ""


def _candidate(col: Column, idx: _Index) -> tuple[float, str]:
    """The best target of one column and how sure we are (0: none)."""
    for text in col.texts:
        found = _by_id(text, idx)
        if found:
            return 1.0, found
    if col.question and col.option:
        score, target = _option_target(col.question, col.option, idx)
        if target:
            return score, target
    best = (0.0, "")
    for text in col.texts:
        ratio, qid = _close(key(text), idx.texts)
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
    out = {c.name: "" for c in cols}
    for score, target, _, name in scored:
        if score > 0 and target and target not in taken:
            taken.add(target)
            out[name] = target
    return out


def check_target(target: str, qn: Questionnaire, column: str) -> str:
    """A target from the analyst (page or mapping file), validated against the questionnaire."""
    target = (target or "").strip()
    if not target:
        return ""
    qid, _, option = target.partition(":")
    if qid in qn and (not option or (qn[qid].type == "multi" and option in qn[qid].codes)):
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
