"""The command line of Carica dati: `ingest`, `uploads`, `undo`, `quarantine`, `template`
(registered on `python -m cx` by `add_parsers`). `--json` prints exactly one JSON object on
stdout; messages go to stderr. Exit 0 committed, 1 refused (nothing written), 2 usage. The
ingest pipeline and the store are imported when a command runs, not when it is registered.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from cx import config, fmt
from cx.cli.words import helper, meta, year
from cx.i18n import t
from cx.ingest.problems import Refused
from cx.ingest.template import template_csv, template_xlsx

if TYPE_CHECKING:
    import pandas as pd

    from cx.ingest.commit import Result
    from cx.ingest.pipeline import Options, Preview, Progress, Upload
    from cx.store import Store, StoreError

DONE, REFUSED, USAGE = 0, 1, 2
SHOWN_PROBLEMS = 20
MEMORY_ENV = "CX_INGEST_MEMORY"  # e.g. 1GB: DuckDB spills beyond it (bounded memory)


def _print_json(payload: dict[str, object]) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=str))


Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MappingFile:
    """What a mapping file gives: column → target, values for every row, and the codes below
    a rating scale that mean "not applicable" in the file (None: not said)."""

    mapping: Pairs = ()
    values: Pairs = ()
    not_applicable: tuple[str, ...] | None = None


def read_mapping(path: str | None) -> MappingFile:
    """A mapping file: {"column": "question id" | "qid:option" | null}, or {"mapping": {…},
    "values": {"question id": "value for every row"}, "not_applicable": ["0", …]}."""
    from cx.ingest.pipeline import not_applicable_codes

    if not path:
        return MappingFile()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused("bad_mapping_file", path=path) from exc
    if not isinstance(raw, dict):
        raise Refused("bad_mapping_file", path=path)
    sections = {"values", "not_applicable"}
    mapping = raw.get("mapping", raw if not sections & set(raw) else {})
    values = raw.get("values", {})
    codes = raw.get("not_applicable")
    if not isinstance(mapping, dict) or not isinstance(values, dict) \
            or not isinstance(codes, list | None):
        raise Refused("bad_mapping_file", path=path)
    return MappingFile(tuple((str(k), str(v or "")) for k, v in mapping.items()),
                       tuple((str(k), str(v if v is not None else "")) for k, v in values.items()),
                       None if codes is None else not_applicable_codes(map(str, codes)))


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
            "problems": [p.as_dict(lang) for p in pre.problems]}


def _report_problems(pre: Preview, lang: str) -> None:
    for p in pre.problems[:SHOWN_PROBLEMS]:
        print(t("ingest.cli.problem_line", lang, row=p.row, column=p.column,
                value=p.value if p.value is not None else "", reason=p.text(lang)),
              file=sys.stderr)
    if pre.problems_total > SHOWN_PROBLEMS:
        print(t("ingest.cli.more_problems", lang,
                n=fmt.number(pre.problems_total - SHOWN_PROBLEMS, lang)), file=sys.stderr)


def _report(result: Result, lang: str) -> int:
    pre = result.preview
    for recoded in pre.recodes:
        print("  " + recoded.text(lang), file=sys.stderr)
    if result.status == "refused":
        _report_problems(pre, lang)
        print(pre.refusal_text(lang) or t("ingest.refusal.problems", lang,
                                          rows=fmt.number(pre.rows_with_problems, lang)),
              file=sys.stderr)
        return REFUSED
    _report_problems(pre, lang)
    print(t("ingest.cli.committed", lang, upload_id=result.upload_id,
            n=fmt.number(result.rows_committed, lang),
            q=fmt.number(result.rows_quarantined, lang), source=_source(pre, lang)))
    return DONE


def _options(args: argparse.Namespace) -> Options:
    from cx.ingest.pipeline import Options

    given = read_mapping(args.mapping)
    return Options(wave=args.wave, mode=args.mode, sheet=args.sheet, mapping=given.mapping,
                   values=given.values, accept_partial=args.accept_partial,
                   repeats=args.repeats,
                   not_applicable=given.not_applicable)


def cmd_ingest(args: argparse.Namespace) -> int:
    from cx.ingest.pipeline import Upload
    from cx.store import Store, StoreError

    db = config.db_path(args.db)
    created = not db.exists()
    path = Path(args.file)
    try:
        if not path.is_file():
            raise Refused("no_file", path=path)
        upload = Upload(path, path.name)
        options = _options(args)
    except Refused as exc:
        return _refuse(exc, args)
    try:
        store = Store.open(db)
    except StoreError as exc:
        return _refuse(exc, args)
    with store:
        pre, result = _run(store, upload, options, args)
    # a dry run has no result
    if created and (result is None or result.status == "refused"):  # nothing written: no file
        db.unlink(missing_ok=True)
        Path(f"{db}.wal").unlink(missing_ok=True)
    if args.json:
        _print_json(preview_json(pre, args.lang) if result is None else result.as_json(args.lang))
        return REFUSED if pre.verdict == "refused" else DONE
    if result is None:
        return _report_preview(pre, args.lang)
    return _report(result, args.lang)


def _run(store: Store, upload: Upload, options: Options,
         args: argparse.Namespace) -> tuple[Preview, Result | None]:
    """The preview (a dry run) or the ingest; a mapping file used for a commit is remembered."""
    from cx.ingest.commit import ingest, save_mapping
    from cx.ingest.pipeline import preview

    if os.environ.get(MEMORY_ENV):
        store.limit_memory(os.environ[MEMORY_ENV])
    progress = _progress(args)
    if args.dry_run:
        return preview(store, upload, options, progress), None
    result = ingest(store, upload, options, progress=progress)
    if args.mapping and result.status != "refused":  # the next file of this shape is then
        save_mapping(store, result.preview)  # mapped the same way, without --mapping
        if not args.json:
            print(t("ingest.cli.mapping_saved", args.lang), file=sys.stderr)
    return result.preview, result


def _progress(args: argparse.Namespace) -> Progress:
    """Each step on stderr when someone watches a terminal (a million rows take seconds);
    nothing with --json or when stderr is a file or a pipe."""
    from cx.ingest.pipeline import silent

    if args.json or not sys.stderr.isatty():
        return silent

    def step(name: str) -> None:
        print(t(f"ingest.page.step_{name}", args.lang), file=sys.stderr, flush=True)
    return step


def _refuse(exc: Refused | StoreError, args: argparse.Namespace) -> int:
    if args.json:
        _print_json({"status": "refused", "refusal": exc.text(args.lang), "problems": []})
    else:
        print(exc.text(args.lang), file=sys.stderr)
    return REFUSED


def _source(pre: Preview, lang: str) -> str:
    return t(f"ingest.source.{pre.source or 'unknown'}", lang)


def _report_preview(pre: Preview, lang: str) -> int:
    if pre.kind is not None:  # else refused before reading (too large, already uploaded)
        print(t("ingest.cli.preview", lang, source=_source(pre, lang),
                encoding=pre.encoding or "–", n=fmt.number(pre.respondents, lang),
                mapped=len(pre.mapped), unmapped=len(pre.unmapped)))
    for recoded in pre.recodes:
        print("  " + recoded.text(lang))
    _report_problems(pre, lang)
    if pre.verdict == "refused":
        print(pre.refusal_text(lang) or t("ingest.refusal.problems", lang,
                                          rows=fmt.number(pre.rows_with_problems, lang)),
              file=sys.stderr)
        return REFUSED
    return DONE


def cmd_uploads(args: argparse.Namespace) -> int:
    from cx.ingest.log import readable, text_table, upload_log
    from cx.store import Store

    db = config.db_path(args.db)
    log: list[dict[str, object]] = []
    if db.exists():
        with Store.open(db) as store:
            log = upload_log(store)
    if args.json:
        rows = [{k: v for k, v in row.items() if k != "mapping"} for row in log]
        _print_json({"uploads": rows})
    elif not log:
        print(t("ingest.cli.no_uploads", args.lang))
    else:
        print(text_table([readable(_counted(row, args.lang), args.lang) for row in log]))
    return DONE


def _counted(row: dict[str, object], lang: str) -> dict[str, object]:
    """Counts written as numbers are in `lang` (1.234)."""
    counts = ("rows_committed", "rows_quarantined", "rows_replaced")
    # the counts are integers (or None) as the store reads them
    return {k: fmt.number(cast("int | None", v), lang) if k in counts else v
            for k, v in row.items()}


def cmd_undo(args: argparse.Namespace) -> int:
    from cx.ingest.commit import undo
    from cx.store import Store

    db = config.db_path(args.db)
    if not db.exists():
        print(t("ingest.refusal.unknown_upload", args.lang, upload_id=args.upload_id),
              file=sys.stderr)
        return REFUSED
    with Store.open(db) as store:
        try:
            done = undo(store, args.upload_id)
        except Refused as exc:
            print(exc.text(args.lang), file=sys.stderr)
            return REFUSED
    print(t("ingest.cli.undone", args.lang, upload_id=args.upload_id,
            removed=fmt.number(done["removed"], args.lang),
            restored=fmt.number(done["restored"], args.lang)))
    return DONE


def _table_file(name: str, refusal: str, lang: str) -> Path | None:
    """The file to write as CSV or XLSX; None (and why, on stderr) for another extension."""
    out = Path(name)
    if out.suffix.lower() in (".csv", ".xlsx"):
        return out
    print(t(refusal, lang), file=sys.stderr)
    return None


def cmd_quarantine(args: argparse.Namespace) -> int:
    """Write an upload's quarantined rows, as in its file, with their reasons: to fix and load
    again."""
    from cx.export import write_table

    out = _table_file(args.out, "ingest.cli.table_format", args.lang)
    if out is None:
        return USAGE
    frame = _quarantine_of(config.db_path(args.db), args.upload_id, args.lang)
    if frame is None:
        print(t("ingest.refusal.unknown_upload", args.lang, upload_id=args.upload_id),
              file=sys.stderr)
        return REFUSED
    write_table(frame, out, out.suffix.lower().lstrip("."))
    print(t("ingest.cli.quarantine_done", args.lang, n=fmt.number(len(frame), args.lang),
            upload_id=args.upload_id, path=out), file=sys.stderr)
    return DONE


def _quarantine_of(db: Path, upload_id: str, lang: str) -> pd.DataFrame | None:
    """The quarantine table of an upload; None if there is no such upload."""
    from cx.ingest.commit import quarantine_table, upload_log
    from cx.store import Store

    if not db.exists():
        return None
    with Store.open(db) as store:
        if upload_id not in set(upload_log(store)["upload_id"]):
            return None
        return quarantine_table(store, upload_id, lang)


def cmd_template(args: argparse.Namespace) -> int:
    out = _table_file(args.out, "ingest.cli.template_format", args.lang)
    if out is None:
        return USAGE
    data = template_xlsx(args.lang) if out.suffix.lower() == ".xlsx" else template_csv(args.lang)
    out.write_bytes(data)
    print(t("ingest.cli.template_done", args.lang, path=out), file=sys.stderr)
    return DONE


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser, lang: str) -> None:
    """Register ingest, uploads, undo, quarantine and template on the `python -m cx`
    parser."""
    h, m = helper(lang), meta(lang)
    p = sub.add_parser("ingest", parents=[common], help=h("ingest"), description=h("ingest"))
    p.add_argument("file", help=h("ingest_file"))
    p.add_argument("--wave", type=year(lang), metavar=m("year"), help=h("ingest_wave"))
    p.add_argument("--mode", choices=("append", "replace"), default="append",
                   help=h("ingest_mode"))
    p.add_argument("--accept-partial", action="store_true", help=h("ingest_accept_partial"))
    p.add_argument("--repeats", choices=("skip", "keep"), help=h("ingest_repeats"))
    p.add_argument("--json", action="store_true", help=h("json"))
    p.add_argument("--dry-run", action="store_true", help=h("ingest_dry_run"))
    p.add_argument("--sheet", metavar=m("sheet"), help=h("ingest_sheet"))
    p.add_argument("--mapping", metavar=m("file"), help=h("ingest_mapping"))
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("uploads", parents=[common], help=h("uploads"), description=h("uploads"))
    p.add_argument("--json", action="store_true", help=h("json"))
    p.set_defaults(run=cmd_uploads)

    p = sub.add_parser("undo", parents=[common], help=h("undo"), description=h("undo"))
    p.add_argument("upload_id", help=h("undo_id"))
    p.set_defaults(run=cmd_undo)

    p = sub.add_parser("quarantine", parents=[common], help=h("quarantine"),
                       description=h("quarantine"))
    p.add_argument("upload_id", help=h("undo_id"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("quarantine_out"))
    p.set_defaults(run=cmd_quarantine)

    p = sub.add_parser("template", parents=[common], help=h("template"),
                       description=h("template"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("template_out"))
    p.set_defaults(run=cmd_template)
