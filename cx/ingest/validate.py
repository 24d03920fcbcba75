"""Validation before anything is written: file-level refusals (one sentence each) and the
problems of single cells (row, column, value, reason), found with set-based queries over the
staged upload (`cx.ingest.stage`)."""

from __future__ import annotations

from cx.ingest.problems import Problem, Refused
from cx.ingest.scores import Params
from cx.ingest.stage import Plan
from cx.questionnaire import Questionnaire

META = ("respondent_id", "wave", "company")
FORMULA_STARTS = "=+-@\t\r"  # after any spaces: a spreadsheet would run the cell
FORMULA = "^ *[" + "".join("\\" + c if c in "-]\\^" else c for c in FORMULA_STARTS) + "]"
MARKUP = r"<\s*/?\s*[a-zA-Z!?][^>]*>"
PROBLEM_COLUMNS = "row_no, col, value, reason, params"


# ---------------------------------------------------------------------------- the file
def check_size(size: int, limit_mb: int) -> None:
    if size > limit_mb * 1024 * 1024:
        raise Refused("too_large", size=round(size / 1024 / 1024), limit=limit_mb)


def check_columns(n: int, limit: int) -> None:
    if n > limit:
        raise Refused("too_many_columns", n=n, limit=limit)


def check_targets(mapping: dict[str, str]) -> None:
    """Each question, or each option of a question spread over columns, has one column."""
    whole: dict[str, str] = {}
    options: dict[str, str] = {}
    spread: dict[str, str] = {}
    for name, target in mapping.items():
        if not target:
            continue
        qid, _, option = target.partition(":")
        if option:
            clash = options.get(target) or whole.get(qid)
            options[target] = name
            spread.setdefault(qid, name)
        else:
            clash = whole.get(qid) or spread.get(qid)
            whole[qid] = name
        if clash:
            raise Refused("duplicate_target", question=qid, first=clash, second=name)


def check_plan(plan: Plan, qn: Questionnaire) -> None:
    """The columns the upload cannot do without: company, one answer, and a wave."""
    whole = plan.whole_map
    if "company" not in whole:
        raise Refused("no_company")
    answered = [q for q in whole if q not in META] + [q for q, _ in plan.options]
    if not answered:
        raise Refused("no_answers")
    if plan.wave is None and "wave" not in whole:
        raise Refused("no_wave")


# ---------------------------------------------------------------------------- the cells
def _bad_values(cols: list[int]) -> list[str]:
    return [f"SELECT s.row_no, {c}, s.c{c}, r.reason, r.params FROM upload_rows s "
            f"JOIN upload_recode r ON r.col = {c} AND r.raw = s.c{c} WHERE r.reason IS NOT NULL"
            for c in cols]


def _required(qid: str, col: int) -> str:
    return (f"SELECT s.row_no, {col}, s.c{col}, 'required', '{{}}' FROM upload_rows s "
            f"JOIN upload_answers a USING (row_no) LEFT JOIN upload_recode r ON r.col = {col} "
            f'AND r.raw = s.c{col} WHERE a."{qid}" IS NULL AND r.reason IS NULL')


def text_checks(v: str, p: Params) -> tuple[str, str]:
    """(formula, markup): whether the text cell `v` starts like a spreadsheet formula, or
    holds HTML/script tags."""
    formula = f"regexp_matches({v}, {p(FORMULA)})"
    markup = f"(contains({v}, '<') AND regexp_matches({v}, {p(MARKUP)}))"
    return formula, markup


def _text(col: int, p: Params) -> str:
    v = f"s.c{col}"
    formula, markup = text_checks(v, p)
    return (f"SELECT s.row_no, {col}, {v}, CASE WHEN {formula} THEN 'formula' ELSE 'markup' END, "
            f"'{{}}' FROM upload_rows s WHERE {formula} OR {markup}")


def _duplicates_in_file(col: int) -> str:
    rid = f"trim(s.c{col})"
    return (f"SELECT s.row_no, {col}, s.c{col}, 'duplicate_in_file', "
            f"CAST(json_object('first', d.first) AS VARCHAR) FROM upload_rows s JOIN ("
            f"SELECT {rid} AS rid, min(s.row_no) AS first FROM upload_rows s "
            f"WHERE nullif({rid}, '') IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d "
            f"ON {rid} = d.rid WHERE s.row_no > d.first")


def _duplicates_in_wave(col: int) -> str:
    return (f"SELECT a.row_no, {col}, a.respondent_id, 'duplicate_in_wave', "
            f"CAST(json_object('wave', a.wave) AS VARCHAR) FROM upload_answers a "
            f"JOIN responses r ON r.respondent_id = a.respondent_id AND r.wave = a.wave")


def _wave_mismatch(col: int, wave: int, p: Params) -> str:
    return (f"SELECT a.row_no, {col}, s.c{col}, 'wave_mismatch', "
            f"CAST(json_object('wave', {p(wave)}) AS VARCHAR) FROM upload_answers a "
            f"JOIN upload_rows s USING (row_no) WHERE a._file_wave <> {p(wave)}")


def _exclusive(qid: str, code: str, col: int, label: str, p: Params) -> str:
    wrapped = f"'|' || a.\"{qid}\" || '|'"
    return (f"SELECT a.row_no, {col}, s.c{col}, 'exclusive_option', "
            f"CAST(json_object('option', {p(label)}) AS VARCHAR) FROM upload_answers a "
            f"JOIN upload_rows s USING (row_no) WHERE contains({wrapped}, {p('|' + code + '|')}) "
            f"AND a.\"{qid}\" <> {p(code)}")


def _queries(plan: Plan, qn: Questionnaire, bad_cols: list[int], p: Params) -> list[str]:
    whole = plan.whole_map
    parts = _bad_values(bad_cols)
    parts += [_required(qid, whole[qid]) for qid in ("company", "wave")
              if qid in whole and not (qid == "wave" and plan.wave is not None)]
    parts += [_text(col, p) for qid, col in plan.whole if qn[qid].type in ("text", "id")]
    if "respondent_id" in whole:
        parts.append(_duplicates_in_file(whole["respondent_id"]))
        if plan.mode == "append":
            parts.append(_duplicates_in_wave(whole["respondent_id"]))
    if "wave" in whole and plan.wave is not None:
        parts.append(_wave_mismatch(whole["wave"], plan.wave, p))
    for qid, opts in plan.options:
        by_code = dict(opts)
        parts += [_exclusive(qid, code, by_code[code], qn[qid].option(code).label("it"), p)
                  for code in qn[qid].exclusive if code in by_code]
    return parts


def find_problems(cur, plan: Plan, qn: Questionnaire, bad_cols: list[int]) -> None:
    """Materialise `upload_problem_list` (row_no, col, value, reason, params)."""
    p = Params()
    parts = _queries(plan, qn, bad_cols, p)
    empty = ("SELECT CAST(NULL AS BIGINT) AS row_no, CAST(NULL AS INTEGER) AS col, "
             "CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS reason, "
             "CAST(NULL AS VARCHAR) AS params WHERE false")
    union = " UNION ALL ".join([empty, *parts])
    cur.execute(f"CREATE OR REPLACE TEMP TABLE upload_problem_list AS {union}", dict(p))


def problem_counts(cur) -> tuple[int, int]:
    """(problems, rows with problems)."""
    found = cur.execute("SELECT count(*), count(DISTINCT row_no) FROM upload_problem_list")
    n, rows = found.fetchall()[0]
    return int(n), int(rows)


def first_problems(cur, names: tuple[str, ...], limit: int) -> tuple[Problem, ...]:
    found = cur.execute(f"SELECT {PROBLEM_COLUMNS} FROM upload_problem_list "
                        "ORDER BY row_no, col, reason LIMIT $n", {"n": limit}).fetchall()
    return tuple(Problem.from_json(row, names[col], value, reason, params or "{}")
                 for row, col, value, reason, params in found)

