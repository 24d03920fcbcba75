"""The command line of Carica dati: `ingest` (its report: `cx.cli.ingest_report`), and beside
it the upload log's commands (`cx.cli.uploads`), registered on `python -m cx` by `add_parsers`.
`--json` prints exactly one JSON object on stdout; messages go to stderr. Exit 0 committed, 1
refused (nothing written), 2 usage. The ingest pipeline and the store are imported when a
command runs, not when it is registered.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cx import config
from cx.cli import uploads
from cx.cli.ingest_report import DONE, REFUSED, preview_json, print_json, report, report_preview
from cx.cli.mapping_file import read_mapping
from cx.cli.words import helper, meta, year
from cx.i18n import t
from cx.ingest.problems import Refused

if TYPE_CHECKING:
    from cx.ingest.commit import Result
    from cx.ingest.options import Options
    from cx.ingest.preview import Preview
    from cx.ingest.upload import Progress, Upload
    from cx.store import Store, StoreError

MEMORY_ENV = "CX_INGEST_MEMORY"  # e.g. 1GB: DuckDB spills beyond it (bounded memory)


def _options(args: argparse.Namespace) -> Options:
    from cx.ingest.options import Options

    given = read_mapping(args.mapping)
    return Options(wave=args.wave, mode=args.mode, sheet=args.sheet, mapping=given.mapping,
                   values=given.values, accept_partial=args.accept_partial,
                   repeats=args.repeats,
                   not_applicable=given.not_applicable)


def cmd_ingest(args: argparse.Namespace) -> int:
    from cx.cli.release import prebuild_current
    from cx.ingest.upload import Upload
    from cx.store import StoreError
    from cx.store.primary import forget, open_reader

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
        store = open_reader(db)  # reads a snapshot; the commit alone locks the file
    except StoreError as exc:
        return _refuse(exc, args)
    with store:
        pre, result = _run(store, upload, options, args)
    if result is not None and result.status != "refused":
        prebuild_current(db)
    # a dry run has no result
    if created and (result is None or result.status == "refused"):  # nothing written: no file
        forget(db)
    if args.json:
        print_json(preview_json(pre, args.lang) if result is None else result.as_json(args.lang))
        return REFUSED if pre.verdict == "refused" else DONE
    if result is None:
        return report_preview(pre, args.lang)
    return report(result, args.lang)


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
    from cx.ingest.upload import silent

    if args.json or not sys.stderr.isatty():
        return silent

    def step(name: str) -> None:
        print(t(f"ingest.page.step_{name}", args.lang), file=sys.stderr, flush=True)
    return step


def _refuse(exc: Refused | StoreError, args: argparse.Namespace) -> int:
    if args.json:
        print_json({"status": "refused", "refusal": exc.text(args.lang), "problems": []})
    else:
        print(exc.text(args.lang), file=sys.stderr)
    return REFUSED


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser, lang: str) -> None:
    """Register ingest, then uploads, undo, quarantine and template (`cx.cli.uploads`), on the
    `python -m cx` parser."""
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
    uploads.add_parsers(sub, common, lang)
