"""`python -m cx`: the command line for analysts and scripts.

Exit codes: 0 done; 1 input refused (reasons on stderr, nothing written); 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from cx import config
from cx.access import hash_password
from cx.dataset import build_database, open_or_build
from cx.deck_command import add_parser as add_deck_parser
from cx.export import company_scores, write_table
from cx.filters import Filters
from cx.i18n import t
from cx.ingest.commands import add_parsers as add_ingest_parsers
from cx.report_command import add_parser as add_report_parser
from cx.store import StoreError
from cx.synth import synthesize, write_canonical_csv

DONE, REFUSED, USAGE = 0, 1, 2
MIN_PASSWORD = 8


class Refused(Exception):
    """Input refused: the message goes to stderr and the exit code is 1."""


def _waves(text: str) -> tuple[int, ...]:
    try:
        waves = tuple(int(w) for w in text.split(",") if w.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"waves are years separated by commas: {text}") from exc
    if not waves:
        raise argparse.ArgumentTypeError("at least one wave")
    return waves


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def cmd_init(args: argparse.Namespace) -> int:
    db = config.db_path(args.db)
    if db.exists() and not args.force:
        raise Refused(t("cli.init_exists", args.lang, path=db))
    if db.exists():
        db.unlink()
        Path(f"{db}.wal").unlink(missing_ok=True)
    with build_database(db) as store:
        counts = store.table_counts()
    print(t("cli.init_done", args.lang, path=db, n=counts["responses"]))
    return DONE


def cmd_synth(args: argparse.Namespace) -> int:
    frame = synthesize(args.respondents, args.waves, args.seed)
    write_canonical_csv(frame, args.out)
    print(t("cli.synth_done", args.lang, n=len(frame), path=args.out), file=sys.stderr)
    return DONE


def cmd_export(args: argparse.Namespace) -> int:
    with open_or_build(config.db_path(args.db)) as store:
        if args.wave is not None and args.wave not in set(store.query("waves")["wave"]):
            raise Refused(t("cli.unknown_wave", args.lang, wave=args.wave))
        filters = Filters(wave=args.wave)
        frame = store.responses(filters=filters) if args.what == "responses" \
            else company_scores(store, filters)
    if args.what == "responses":
        frame = frame.drop(columns=["upload_id"])
    write_table(frame, args.out, args.format)
    print(t("cli.export_done", args.lang, n=len(frame), path=args.out), file=sys.stderr)
    return DONE


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Print the hash to configure as CX_ANALYST_PASSWORD_HASH (the password is never echoed)."""
    if sys.stdin.isatty():
        password = getpass.getpass(t("cli.password_prompt", args.lang))
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise Refused(t("cli.password_short", args.lang, n=MIN_PASSWORD))
    print(hash_password(password))
    return DONE


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $CX_DB, else data/cx.duckdb)")
    common.add_argument("--lang", choices=("it", "en"), default="it", help="message language")
    parser = argparse.ArgumentParser(
        prog="python -m cx", description="Osservatorio CX – Club CMMC survey tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="build the database from the embedded sample")
    p.add_argument("--force", action="store_true", help="overwrite an existing database")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("synth", parents=[common], help="write a synthetic canonical CSV")
    p.add_argument("--respondents", type=_positive, default=config.SAMPLE_RESPONDENTS)
    p.add_argument("--waves", type=_waves, default=config.SAMPLE_WAVES, help="e.g. 2025,2026")
    p.add_argument("--seed", type=int, default=config.SAMPLE_SEED)
    p.add_argument("--out", required=True, help="CSV file to write")
    p.set_defaults(run=cmd_synth)

    p = sub.add_parser("export", parents=[common], help="export responses or company scores")
    p.add_argument("--what", choices=("responses", "scores"), required=True)
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("--out", required=True)
    p.add_argument("--wave", type=int)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("hash-password", parents=[common],
                       help="print the hash of an analyst password (asked, or read from stdin)")
    p.set_defaults(run=cmd_hash_password)
    add_ingest_parsers(sub, common)
    add_report_parser(sub, common)
    add_deck_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return REFUSED
    except StoreError as exc:
        print(exc.text(args.lang), file=sys.stderr)
        return REFUSED
    except OSError as exc:
        print(t("cli.io_error", args.lang, error=exc), file=sys.stderr)
        return REFUSED
