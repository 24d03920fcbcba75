"""The command line of the upload log: `uploads` (the log), `undo`, `quarantine` (an upload's
rows with problems, to fix and load again) and `template` (the file to fill in), registered
beside `ingest` (`cx.cli.ingest`). The store is opened when a command runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from cx import config, fmt
from cx.cli.ingest_report import DONE, REFUSED, print_json
from cx.cli.words import helper, meta
from cx.i18n import t
from cx.ingest.problems import Refused
from cx.ingest.template import template_csv, template_xlsx

if TYPE_CHECKING:
    import pandas as pd

USAGE = 2


def cmd_uploads(args: argparse.Namespace) -> int:
    from cx.ingest.log import readable, text_table, upload_log
    from cx.store.primary import open_reader

    db = config.db_path(args.db)
    log: list[dict[str, object]] = []
    if db.exists():
        with open_reader(db) as store:
            log = upload_log(store)
    if args.json:
        rows = [{k: v for k, v in row.items() if k != "mapping"} for row in log]
        print_json({"uploads": rows})
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
    from cx.cli.release import prebuild_current
    from cx.ingest.commit import undo
    from cx.store.primary import open_reader

    db = config.db_path(args.db)
    if not db.exists():
        print(t("ingest.refusal.unknown_upload", args.lang, upload_id=args.upload_id),
              file=sys.stderr)
        return REFUSED
    with open_reader(db) as store:
        try:
            done = undo(store, args.upload_id)
        except Refused as exc:
            print(exc.text(args.lang), file=sys.stderr)
            return REFUSED
    prebuild_current(db)
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
    from cx.store.primary import open_reader

    if not db.exists():
        return None
    with open_reader(db) as store:
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
    """Register uploads, undo, quarantine and template on the `python -m cx` parser."""
    h, m = helper(lang), meta(lang)
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
