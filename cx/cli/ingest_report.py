"""What `python -m cx ingest` tells: the dry run's report as JSON, and, for a person at a
terminal, the recodes, the first problems, the refusal or what was committed (messages on
stderr, the outcome on stdout)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from cx import fmt
from cx.i18n import t

if TYPE_CHECKING:
    from cx.ingest.commit import Result
    from cx.ingest.preview import Preview

DONE, REFUSED = 0, 1
SHOWN_PROBLEMS = 20
SHOWN_ROWS = 10  # rows named per quality flag


def print_json(payload: dict[str, object]) -> None:
    """The one JSON object of `--json`, on stdout."""
    print(json.dumps(payload, ensure_ascii=False, default=str))


def preview_json(pre: Preview, lang: str) -> dict[str, object]:
    """The dry-run report (issue 8): what was found, nothing written."""
    mapped = {name: target.partition(":")[0] for name, target in pre.mapped.items()}
    options = {name: target.partition(":")[2] for name, target in pre.mapped.items()
               if ":" in target}
    return {"status": "preview", "verdict": pre.verdict, "file": pre.file_name,
            "sha256": pre.sha256, "source": pre.source, "encoding": pre.encoding,
            "delimiter": pre.delimiter, "sheet": pre.sheet, "sheets": list(pre.sheets),
            "header_rows": pre.header_rows, "respondents": pre.respondents,
            "columns": list(pre.file_columns), "mapped": mapped, "options": options,
            "values": dict(pre.values), "unmapped": pre.unmapped, "waves": list(pre.waves),
            "rows_with_problems": pre.rows_with_problems, "problems_total": pre.problems_total,
            "not_applicable": list(pre.not_applicable), "repeated": pre.repeated,
            "recodes": [r.as_dict(lang) for r in pre.recodes],
            "refusal": pre.refusal_text(lang),
            "problems": [p.as_dict(lang) for p in pre.problems],
            **quality_json(pre, lang)}


def quality_json(pre: Preview, lang: str) -> dict[str, object]:
    """The response quality flags (issue 21) and the completion time, when the rows were
    checked (a file refused before its rows were read has none)."""
    found = pre.quality
    if found is None:
        return {"quality": [], "quality_checked": 0, "completion_time": None}
    return {"quality": [f.as_dict(lang) for f in found.flags], "quality_checked": found.checked,
            "completion_time": found.timing.as_dict() if found.timing else None}


def report_quality(pre: Preview, lang: str) -> None:
    """The quality flags, one a line with the first rows they concern (on stdout: what was
    found, not an error)."""
    from cx.ingest.quality import timing_text

    found = pre.quality
    if found is None:
        return
    if not found.flags:
        print(t("quality.page.none", lang, n=fmt.number(found.checked, lang)))
    else:
        print(t("quality.cli.title", lang, n=fmt.number(found.rows_flagged, lang)))
    for flag in found.flags:
        rows = ", ".join(str(r.row) for r in flag.rows[:SHOWN_ROWS])
        more = " …" if flag.count > SHOWN_ROWS else ""
        key = "quality.cli.row" if flag.count == 1 else "quality.cli.rows"
        print(f"  - {flag.text(lang)}\n    {t(key, lang, rows=rows + more)}")
    print(timing_text(found.timing, lang))


def report_problems(pre: Preview, lang: str) -> None:
    """The first problems, one a line, and how many more."""
    for p in pre.problems[:SHOWN_PROBLEMS]:
        print(t("ingest.cli.problem_line", lang, row=p.row, column=p.column,
                value=p.value if p.value is not None else "", reason=p.text(lang)),
              file=sys.stderr)
    if pre.problems_total > SHOWN_PROBLEMS:
        print(t("ingest.cli.more_problems", lang,
                n=fmt.number(pre.problems_total - SHOWN_PROBLEMS, lang)), file=sys.stderr)


def report(result: Result, lang: str) -> int:
    """An ingest's outcome for a person: what was committed, or why nothing was."""
    pre = result.preview
    for recoded in pre.recodes:
        print("  " + recoded.text(lang), file=sys.stderr)
    if result.status == "refused":
        report_problems(pre, lang)
        print(pre.refusal_text(lang) or t("ingest.refusal.problems", lang,
                                          rows=fmt.number(pre.rows_with_problems, lang)),
              file=sys.stderr)
        return REFUSED
    report_problems(pre, lang)
    print(t("ingest.cli.committed", lang, upload_id=result.upload_id,
            n=fmt.number(result.rows_committed, lang),
            q=fmt.number(result.rows_quarantined, lang), source=_source(pre, lang)))
    return DONE


def _source(pre: Preview, lang: str) -> str:
    return t(f"ingest.source.{pre.source or 'unknown'}", lang)


def report_preview(pre: Preview, lang: str) -> int:
    """A dry run's findings for a person."""
    if pre.kind is not None:  # else refused before reading (too large, already uploaded)
        print(t("ingest.cli.preview", lang, source=_source(pre, lang),
                encoding=pre.encoding or "–", n=fmt.number(pre.respondents, lang),
                mapped=len(pre.mapped), unmapped=len(pre.unmapped)))
    for recoded in pre.recodes:
        print("  " + recoded.text(lang))
    report_quality(pre, lang)
    report_problems(pre, lang)
    if pre.verdict == "refused":
        print(pre.refusal_text(lang) or t("ingest.refusal.problems", lang,
                                          rows=fmt.number(pre.rows_with_problems, lang)),
              file=sys.stderr)
        return REFUSED
    return DONE
