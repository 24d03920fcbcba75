"""Hypothesis strategies that build upload files for the fuzzing harness (issue 17).

A small valid table in the template's columns (ids from the questionnaire, a few rows), then
mutations of its cells, rows and columns, then bytes: a CSV in an encoding and a dialect (with
damage done to the text itself), or an XLSX written with openpyxl from the same table. Sizes
come from `Limits`, so that CI stays fast and `make fuzz` goes further.
"""

from __future__ import annotations

import csv
import io
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

from cx.questionnaire import Question, questionnaire

QN = questionnaire()
META = ("respondent_id", "wave", "company")
ANSWERS = tuple(q.id for q in QN.questions if q.id not in META)
NEW_WAVE, SAMPLE_WAVE = "2031", "2026"  # a wave the sample lacks, and one it holds
SAMPLE_ID = "R000001"  # a respondent of the sample database, in wave 2026
# names no company of the sample shares (by case or accents), some written in ways a CSV or a
# company key must cope with; the first one is a company of the sample
COMPANIES = ("Rossi Digitale S.p.A.", "Città Nuova S.r.l.", "Acme & Figli", 'L\'Officina "Blu"',
             "Café; Noir S.n.c.", "Pipe|Co, Tab Srl", "Ünterberg Snc", "O’Reilly Italia",
             "Doppio  Spazio Srl", "Zeta\tTab Spa", "Nome\nSu due righe", "Ω Omega 🙂")
HEADER_STYLES = ("ids", "ids", "ids", "it", "en")  # ids as the template, or a tool's texts
BY_TEXT = {text: q.id for q in QN.questions for text in (q.id, q.it, q.en)}
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1")  # -le: no BOM
DELIMITERS = (",", ";", "\t", "|")
# free text: letters (accented too), digits, the delimiters, quotes and line breaks; never a
# first character that makes it a formula or markup
TEXT_BODY = string.ascii_letters + string.digits + " àèéìòùÀÉç€’“”…ß.,;:!?'\"()|/\\\n\t%&*#_"
FIRST = string.ascii_letters + "àèéÀÉ"
EXTRA_HEADERS = ("Note interne", "colonna_extra", "Commento del consulente", "Timestamp")
FORMULAS = ("=1+1", "+39 333 1234567", "-2+3", "@SUM(A1:A9)", ' =HYPERLINK("http://x")',
            "\t=1", "=cmd|' /C calc'!A0", "\r=1")
MARKUP = ("<b>grassetto</b>", "<script>alert(1)</script>", "**grassetto**",
          "[link](http://x.it)", "# Titolo", "`codice`", "<img src=x onerror=alert(1)>",
          "a < b > c", "&lt;b&gt;", "_corsivo_", "| a | b |", "<!-- nota -->", "</div>")
ODD = ('"', '""', 'a"b', "riga1\nriga2", "riga1\r\nriga2", "\r", "'", ";", ",", "\t", "|",
       "\u200b", "\ufeff", "e\u0301", "🙂", "\u202eevil", "\u00a0", "  ", "\n", "\x07", "\x00",
       "N/A", "Non lo so", "TRUE", "1e3", "∞", "NaN", "null")


@dataclass(frozen=True)
class Limits:
    """How large the generated files get."""

    rows: int = 6
    huge: int = 200_000  # characters of the longest cell
    mutations: int = 6


@dataclass(frozen=True)
class Table:
    """A header and rows of text cells (rows may be shorter or longer than the header)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    texts_row: bool = False  # the template's second header row (question texts)
    texts_width: int | None = None  # its cells, when an exporter dropped the trailing ones
    leading_blank: int = 0  # empty rows before the header
    notes: tuple[str, ...] = ()  # the mutations applied, for the failure report

    def with_note(self, note: str) -> Table:
        return replace(self, notes=(*self.notes, note))


@dataclass(frozen=True)
class Sample:
    """A generated upload: its bytes and how they were written."""

    name: str
    data: bytes = field(repr=False)
    kind: str  # csv | xlsx
    table: Table
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None  # the XLSX sheet holding the table
    damage: tuple[str, ...] = ()  # what was done to the CSV's text after writing it

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        """How Hypothesis shows a failing example: the first bytes, not megabytes of them."""
        head = self.data[:3000]
        printer.text(f"Sample(name={self.name!r}, kind={self.kind!r}, encoding={self.encoding!r}, "
                     f"delimiter={self.delimiter!r}, sheet={self.sheet!r}, damage={self.damage!r}, "
                     f"notes={self.table.notes!r}, {len(self.data)} bytes: {head!r}"
                     f"{'…' if len(self.data) > len(head) else ''})")


@dataclass(frozen=True)
class Flags:
    """The command-line options of one run of `ingest` (dry run and commit alike)."""

    accept_partial: bool = False
    mode: str = "append"
    wave: str | None = None
    lang: str = "it"
    json: bool = True
    large: bool = False  # the CSV's body read by DuckDB (`read.LARGE_CSV` lowered)

    def argv(self) -> list[str]:
        out = ["--lang", self.lang, "--mode", self.mode]
        out += ["--accept-partial"] if self.accept_partial else []
        out += ["--wave", self.wave] if self.wave is not None else []
        return out + (["--json"] if self.json else [])


def text_answers(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: a + b, st.sampled_from(FIRST),
                     st.text(TEXT_BODY, max_size=max_size))


def _likert(q: Question) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(q.codes), st.sampled_from([o.it for o in q.options]),
                     st.sampled_from([o.en for o in q.options]), st.just(""))


def _number(q: Question) -> st.SearchStrategy[str]:
    low, high = q.bounds or (0, 10)
    return st.one_of(st.integers(int(low), int(high)).map(str), st.just(""))


def _multi(q: Question) -> st.SearchStrategy[str]:
    codes = [c for c in q.codes if c not in q.exclusive]
    return st.lists(st.sampled_from(codes), unique=True, max_size=3).map("|".join)


def _single(q: Question) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(q.codes), st.sampled_from([o.it for o in q.options]),
                     st.just(""))


VALID: dict[str, Callable[[Question], st.SearchStrategy[str]]] = {
    "likert": _likert, "scale": _number, "number": _number, "multi": _multi,
    "single": _single, "text": lambda q: st.one_of(text_answers(), st.just("")),
}


def valid_cell(qid: str, row: int, wave: str) -> st.SearchStrategy[str]:
    """A cell a clean export would hold for question `qid` in data row `row`."""
    if qid == "respondent_id":
        return st.just(f"FZ{row + 1:04d}")
    if qid == "wave":
        return st.just(wave)
    if qid == "company":
        return st.sampled_from(COMPANIES)
    q = QN[qid]
    return VALID[q.type](q)


@st.composite
def valid_tables(draw, limits: Limits = Limits()) -> Table:
    """A table a clean export could be: some of the questionnaire's columns, a few rows."""
    meta = [qid for qid in META if draw(st.integers(0, 9)) < 9]
    if draw(st.booleans()):
        answers = list(ANSWERS)
    else:
        answers = draw(st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=8, unique=True))
    qids = meta + answers
    if draw(st.booleans()):
        qids = draw(st.permutations(qids))
    wave = draw(st.sampled_from((NEW_WAVE, NEW_WAVE, SAMPLE_WAVE)))
    n = draw(st.integers(1, limits.rows))
    rows = tuple(tuple(draw(valid_cell(qid, i, wave)) for qid in qids) for i in range(n))
    style = draw(st.sampled_from(HEADER_STYLES))
    header = tuple(QN[qid].text(style) if style in ("it", "en") else qid for qid in qids)
    return Table(header, rows, texts_row=style == "ids" and draw(st.integers(0, 3)) == 3)


def repeated(unit: str, size: int) -> str:
    """`unit` repeated up to `size` characters."""
    return (unit * (size // max(1, len(unit)) + 1))[:size]


def huge_cells(limits: Limits) -> st.SearchStrategy[str]:
    """A long cell: a short piece repeated (Hypothesis would take long to draw 200 KB)."""
    return st.builds(repeated,
                     st.sampled_from(("x", "Lorem ipsum, dolor; sit\n", "àè€ ", '""', "|\t")),
                     st.integers(1, limits.huge))


def scale_edges(qid: str | None) -> st.SearchStrategy[str]:
    """Values at and past the ends of a numeric question's range, and near-numbers."""
    q = QN.by_id.get(qid or "")
    low, high = (q.bounds if q is not None and q.bounds else (1.0, 5.0))
    lo, hi = int(low), int(high)
    return st.sampled_from((str(lo - 1), str(lo), str(hi), str(hi + 1), "0", "-1", "1.5",
                            "2,5", f"{hi} ", f" {lo}", "05", f"{hi}.0", "cinque", "−1", "10%",
                            "3 - Neutro", "1.234", "1e1", "99999999999999999999"))


def nasty_cells(qid: str | None, limits: Limits) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(FORMULAS), st.sampled_from(MARKUP), scale_edges(qid),
                     st.sampled_from(ODD), huge_cells(limits), st.sampled_from(("", " ")),
                     st.text(max_size=12), st.sampled_from(COMPANIES))


def _qid(table: Table, col: int) -> str | None:
    return BY_TEXT.get(table.header[col].strip()) if col < len(table.header) else None


def _set(rows, r: int, c: int, value: str):
    row = list(rows[r])
    row += [""] * (c + 1 - len(row))
    row[c] = value
    return (*rows[:r], tuple(row), *rows[r + 1:])


@st.composite
def _cell(draw, table: Table, limits: Limits) -> Table:
    if not table.rows or not table.header:
        return table
    r = draw(st.integers(0, len(table.rows) - 1))
    c = draw(st.integers(0, len(table.header) - 1))
    value = draw(nasty_cells(_qid(table, c), limits))
    return replace(table, rows=_set(table.rows, r, c, value)).with_note(
        f"cell[{r}][{c}]={value[:40]!r}")


@st.composite
def _header(draw, table: Table, limits: Limits) -> Table:
    if not table.header:
        return table
    c = draw(st.integers(0, len(table.header) - 1))
    old = table.header[c]
    new = draw(st.sampled_from((old.upper(), f" {old} ", "", old.replace("_", " "),
                                table.header[0], f"<b>{old}</b>", "=" + old, old + "\u200b",
                                repeated(old, limits.huge), "id", "Azienda")))
    header = (*table.header[:c], new, *table.header[c + 1:])
    return replace(table, header=header).with_note(f"header[{c}]={new[:40]!r}")


def _column(table: Table, qid: str) -> int | None:
    """The first column of question `qid` (by id or text)."""
    return next((j for j in range(len(table.header)) if _qid(table, j) == qid), None)


def _row_index(draw, table: Table) -> int:
    return draw(st.integers(0, len(table.rows) - 1))


@st.composite
def _rows(draw, table: Table, limits: Limits) -> Table:
    """Duplicated, blank, short and long rows."""
    if not table.rows:
        return table
    r = _row_index(draw, table)
    kind = draw(st.sampled_from(("duplicate", "blank", "spaces", "short", "long", "long_empty")))
    row = table.rows[r]
    new = {"duplicate": row, "blank": ("",) * len(table.header),
           "spaces": (" ",) * len(table.header), "short": row[: max(0, len(row) - 2)],
           "long": (*row, "oltre"), "long_empty": (*row, "", "")}[kind]
    if kind in ("duplicate", "blank", "spaces"):
        rows = (*table.rows[:r + 1], new, *table.rows[r + 1:])
    else:
        rows = (*table.rows[:r], new, *table.rows[r + 1:])
    return replace(table, rows=rows).with_note(f"row {r}: {kind}")


@st.composite
def _ids(draw, table: Table, limits: Limits) -> Table:
    """Duplicated and missing respondent ids, or one the sample database already holds."""
    c = _column(table, "respondent_id")
    if c is None or not table.rows:
        return table
    r, other = _row_index(draw, table), _row_index(draw, table)
    kind = draw(st.sampled_from(("duplicate", "missing", "sample", "padded")))
    source = table.rows[other][c] if c < len(table.rows[other]) else ""
    value = {"duplicate": source, "missing": "", "sample": SAMPLE_ID,
             "padded": f" {source} "}[kind]
    return replace(table, rows=_set(table.rows, r, c, value)).with_note(f"id {r}: {kind}")


@st.composite
def _columns(draw, table: Table, limits: Limits) -> Table:
    """Extra, missing, duplicated and empty columns."""
    kind = draw(st.sampled_from(("drop", "extra", "empty", "duplicate", "unnamed_empty")))
    width = len(table.header)
    if kind == "drop" and width:
        c = draw(st.integers(0, width - 1))
        return replace(table, header=table.header[:c] + table.header[c + 1:],
                       rows=tuple(r[:c] + r[c + 1:] for r in table.rows)).with_note(f"drop {c}")
    if kind == "duplicate" and width:
        c = draw(st.integers(0, width - 1))
        return replace(table, header=(*table.header, table.header[c]),
                       rows=tuple((*r, r[c] if c < len(r) else "") for r in table.rows)
                       ).with_note(f"duplicate column {c}")
    name = {"extra": draw(st.sampled_from(EXTRA_HEADERS)), "empty": "colonna_vuota",
            "unnamed_empty": "", "drop": "", "duplicate": ""}[kind]
    cells = [draw(text_answers(12)) if kind == "extra" else "" for _ in table.rows]
    return replace(table, header=(*table.header, name),
                   rows=tuple((*r, *[""] * (width - len(r)), v) for r, v in zip(table.rows, cells))
                   ).with_note(f"column: {kind}")


def _unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(ch))


SPELLINGS = {"upper": str.upper, "lower": str.lower, "unaccented": _unaccented,
             "decomposed": lambda t: unicodedata.normalize("NFD", t),
             "spaced": lambda t: t.replace(" ", "  "), "zero-width": lambda t: t + "\u200b",
             "sample's, lower": lambda t: COMPANIES[0].lower()}


@st.composite
def _companies(draw, table: Table, limits: Limits) -> Table:
    """Another spelling of a company of the file (or of the sample database) in another row."""
    c = _column(table, "company")
    if c is None or not table.rows:
        return table
    r, other = _row_index(draw, table), _row_index(draw, table)
    kind = draw(st.sampled_from(tuple(SPELLINGS)))
    source = table.rows[other][c] if c < len(table.rows[other]) else ""
    return replace(table, rows=_set(table.rows, r, c, SPELLINGS[kind](source))).with_note(
        f"company {r}: {kind} of row {other}")


MUTATIONS = (_cell, _cell, _cell, _header, _rows, _ids, _columns, _companies)


@st.composite
def tables(draw, limits: Limits = Limits()) -> Table:
    """A valid table with up to `limits.mutations` mutations; about one in five is left
    clean, so that commits (and undo) are exercised as often as refusals."""
    table = draw(valid_tables(limits))
    n = draw(st.integers(0, limits.mutations))
    if draw(st.integers(0, 4)) == 0:
        n = 0
    for _ in range(n):
        table = draw(draw(st.sampled_from(MUTATIONS))(table, limits))
    if draw(st.integers(0, 5)) == 5:
        table = replace(table, leading_blank=draw(st.integers(1, 3)))
    if table.texts_row and draw(st.integers(0, 5)) == 5:
        width = draw(st.integers(0, max(0, len(table.header) - 1)))
        table = replace(table, texts_width=width).with_note(f"texts row of {width} cells")
    return table


def texts_row(header: tuple[str, ...], lang: str = "it") -> tuple[str, ...]:
    return tuple(QN[h].text(lang) if h in QN else "" for h in header)


def grid(table: Table) -> list[list[str]]:
    """The rows of the file as written: blank rows, header, question texts, data."""
    out: list[list[str]] = [[] for _ in range(table.leading_blank)]
    out.append(list(table.header))
    if table.texts_row:
        out.append(list(texts_row(table.header))[:table.texts_width])
    return out + [list(r) for r in table.rows]


QUOTING = {"minimal": csv.QUOTE_MINIMAL, "all": csv.QUOTE_ALL, "nonnumeric": csv.QUOTE_NONNUMERIC}


@st.composite
def csv_files(draw, table: Table) -> Sample:
    encoding = draw(st.sampled_from(ENCODINGS))
    delimiter = draw(st.sampled_from(DELIMITERS))
    quoting = draw(st.sampled_from(tuple(QUOTING)))
    newline = draw(st.sampled_from(("\n", "\r\n", "\r\n", "\r")))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=QUOTING[quoting], lineterminator=newline)
    for row in grid(table):
        writer.writerow(row)
    text, damage = draw(damaged_text(buf.getvalue(), newline))
    data = text.encode(encoding, errors="replace")  # ? for what the encoding cannot write
    return Sample(draw(st.sampled_from(("risposte.csv", "export.CSV", "dati.txt"))), data, "csv",
                  table, encoding, delimiter, damage=(f"{quoting} quoting, {newline!r}", *damage))


@st.composite
def damaged_text(draw, text: str, newline: str) -> tuple[str, tuple[str, ...]]:
    """The written CSV, sometimes damaged: a stray quote, cut short, no final line break,
    empty lines between rows."""
    damage: list[str] = []
    if text and draw(st.integers(0, 7)) == 7:
        at = draw(st.integers(0, len(text)))
        text, damage = text[:at] + '"' + text[at:], [f"stray quote at {at}"]
    if text and draw(st.integers(0, 9)) == 9:
        at = draw(st.integers(1, len(text)))
        text, damage = text[:at], [*damage, f"cut at {at}"]
    if draw(st.integers(0, 5)) == 5:
        text, damage = text.rstrip("\r\n"), [*damage, "no final line break"]
    if draw(st.integers(0, 7)) == 7:
        lines = text.split(newline)
        at = draw(st.integers(0, len(lines)))
        text, damage = newline.join([*lines[:at], "", *lines[at:]]), [*damage, f"empty line {at}"]
    return text, tuple(damage)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl refuses to write them
NUMBER = re.compile(r"-?\d{1,9}|-?\d{1,6}\.\d{1,6}")


def _xlsx_value(cell: str, typed: bool) -> object:
    cell = _ILLEGAL.sub("", cell)
    if typed and NUMBER.fullmatch(cell):
        return float(cell) if "." in cell else int(cell)
    return cell if cell != "" else None


@st.composite
def xlsx_files(draw, table: Table) -> Sample:
    """The same table in a workbook; numbers as numbers or as text; sometimes with the
    template's options sheet, or an instructions sheet first."""
    from openpyxl import Workbook

    typed = draw(st.booleans())
    book = Workbook()
    sheet = book.active
    if draw(st.integers(0, 3)) == 3:
        sheet.title = "Istruzioni"
        sheet.append(["Compilare il foglio Risposte"])
        sheet = book.create_sheet("Risposte")
    else:
        sheet.title = draw(st.sampled_from(("Risposte", "Sheet1", "Dati 2031")))
    for row in grid(table):
        sheet.append([_xlsx_value(c, typed) for c in row] or [None])
    if draw(st.integers(0, 2)) == 2:
        options = book.create_sheet("Opzioni")
        options.append(["id", "domanda"])
        options.append(["company", "Azienda"])
    buf = io.BytesIO()
    book.save(buf)
    return Sample(draw(st.sampled_from(("risposte.xlsx", "export.XLSX", "dati.csv"))),
                  buf.getvalue(), "xlsx", table, sheet=sheet.title,
                  damage=("typed numbers",) if typed else ())


@st.composite
def samples(draw, limits: Limits = Limits()) -> Sample:
    table = draw(tables(limits))
    return draw(xlsx_files(table) if draw(st.integers(0, 3)) == 3 else csv_files(table))


@st.composite
def flags(draw) -> Flags:
    """Mostly appends; sometimes a partial import, a replaced wave, a chosen wave (right,
    wrong or not a year: a usage error), English, text output, the large-file path. (The first
    choice of each draw is the common one: Hypothesis starts from it and shrinks towards it.)"""
    pick = draw(st.integers(0, 99))
    wave = None if pick < 80 else NEW_WAVE if pick < 88 else SAMPLE_WAVE if pick < 96 else \
        draw(st.sampled_from(("1999", "oggi")))
    mode = "replace" if draw(st.integers(0, 4)) == 4 else "append"
    return Flags(accept_partial=draw(st.booleans()), mode=mode, wave=wave,
                 lang="en" if draw(st.integers(0, 3)) == 3 else "it",
                 json=draw(st.integers(0, 3)) < 3, large=draw(st.integers(0, 4)) == 4)
