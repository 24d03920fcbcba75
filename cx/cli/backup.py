"""`python -m cx backup` and `python -m cx restore`: a whole, checked copy of the database, and
putting one back while the app keeps running (it reads the restored data at its next page)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cx import config, fmt
from cx.cli.words import Refused, helper, meta
from cx.i18n import t

DONE = 0


def _rows(found: dict[str, tuple[int, int]], lang: str) -> str:
    return fmt.number(found.get("responses", (0, 0))[0], lang)


def cmd_backup(args: argparse.Namespace) -> int:
    from cx.store.backup import backup

    db, out = config.db_path(args.db), Path(args.out)
    if not db.exists():
        raise Refused(t("cli.no_database", args.lang, path=db))
    found = backup(db, out)
    print(t("cli.backup_done", args.lang, path=out, n=_rows(found, args.lang),
            tables=len(found)), file=sys.stderr)
    return DONE


def cmd_restore(args: argparse.Namespace) -> int:
    from cx.store.backup import before_restore, restore

    db, source = config.db_path(args.db), Path(args.file)
    if not source.is_file():
        raise Refused(t("cli.restore_no_file", args.lang, path=source))
    if not db.exists():
        raise Refused(t("cli.no_database", args.lang, path=db))
    found = restore(db, source)
    print(t("cli.restore_done", args.lang, path=db, source=source, n=_rows(found, args.lang),
            kept=before_restore(db)), file=sys.stderr)
    return DONE


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser, lang: str) -> None:
    """Register backup and restore on the `python -m cx` parser."""
    h, m = helper(lang), meta(lang)
    p = sub.add_parser("backup", parents=[common], help=h("backup"), description=h("backup"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("backup_out"))
    p.set_defaults(run=cmd_backup)
    p = sub.add_parser("restore", parents=[common], help=h("restore"), description=h("restore"))
    p.add_argument("file", metavar=m("file"), help=h("restore_file"))
    p.set_defaults(run=cmd_restore)
