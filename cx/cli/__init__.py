"""`python -m cx`: the command line for analysts and scripts.

Exit codes: 0 done; 1 input refused (reasons on stderr, nothing written); 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from cx import config
from cx.access import MIN_PASSWORD, hash_password
from cx.cli.deck import add_parser as add_deck_parser
from cx.cli.ingest import add_parsers as add_ingest_parsers
from cx.cli.scorecard import add_parser as add_report_parser
from cx.cli.words import (
    argparse_words,
    helper,
    lang_of,
    meta,
    os_error,
    positive,
    year,
    years,
)
from cx.dataset import build_database, open_or_build
from cx.export import company_scores, to_csv_bytes, write_table
from cx.filters import Filters
from cx.i18n import DEFAULT_LANG, LANGS, t
from cx.store import Store, StoreError
from cx.synth import synthesize, write_canonical_csv

DONE, REFUSED, USAGE = 0, 1, 2


class Refused(Exception):
    """Input refused: the message goes to stderr and the exit code is 1."""


def cmd_init(args: argparse.Namespace) -> int:
    db = config.db_path(args.db)
    if db.exists() and not args.force:
        raise Refused(t("cli.init_exists", args.lang, path=db))
    if db.exists():
        # the file's lock first, as every other command takes it: while the app (or another
        # command) holds the file, it is refused, not deleted under it
        with Store.open(db):
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
        if len(password) >= MIN_PASSWORD and \
                getpass.getpass(t("cli.password_again", args.lang)) != password:
            raise Refused(t("cli.password_mismatch", args.lang))
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise Refused(t("cli.password_short", args.lang, n=MIN_PASSWORD))
    print(hash_password(password))
    return DONE


def cmd_reissue_codes(args: argparse.Namespace) -> int:
    """Retire every anonymous and private access code, issue new ones and write them for the
    Club to send out again; the file appears only once the new codes are committed."""
    db = config.db_path(args.db)
    if not db.exists():
        raise Refused(t("cli.no_database", args.lang, path=db))
    out = Path(args.out)
    part = out.with_name(out.name + ".part")
    try:
        with Store.open(db) as store, store.reissued_codes() as codes:
            table = codes.sort_values(["company", "code"])[["company", "code", "access_code"]]
            part.write_bytes(to_csv_bytes(table.rename(columns={
                "company": t("scorecard.col_name", args.lang),
                "code": t("scorecard.col_code", args.lang),
                "access_code": t("scorecard.col_access_code", args.lang)})))
        part.replace(out)
    except OSError as exc:
        exc.filename = str(out) if exc.filename == str(part) else exc.filename
        raise
    finally:
        part.unlink(missing_ok=True)
    print(t("cli.reissue_done", args.lang, n=len(table), path=out), file=sys.stderr)
    return DONE


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The parser, its help in `lang` (build and use it inside `argparse_words(lang)`)."""
    h, m = helper(lang), meta(lang)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar=m("file"), help=h("db"))
    common.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=h("lang"))
    parser = argparse.ArgumentParser(prog="python -m cx", description=h("description"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=h("command"))

    p = sub.add_parser("init", parents=[common], help=h("init"), description=h("init"))
    p.add_argument("--force", action="store_true", help=h("init_force"))
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("synth", parents=[common], help=h("synth"), description=h("synth"))
    p.add_argument("--respondents", type=positive(lang), default=config.SAMPLE_RESPONDENTS,
                   metavar=m("number"),
                   help=h("synth_respondents"))
    p.add_argument("--waves", type=years(lang), default=config.SAMPLE_WAVES, metavar=m("years"),
                   help=h("synth_waves"))
    p.add_argument("--seed", type=int, default=config.SAMPLE_SEED, metavar=m("number"),
                   help=h("synth_seed"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("synth_out"))
    p.set_defaults(run=cmd_synth)

    p = sub.add_parser("export", parents=[common], help=h("export"), description=h("export"))
    p.add_argument("--what", choices=("responses", "scores"), required=True,
                   help=h("export_what"))
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv", help=h("export_format"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("export_out"))
    p.add_argument("--wave", type=year(lang), metavar=m("year"), help=h("wave"))
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("hash-password", parents=[common], help=h("hash_password"),
                       description=h("hash_password"))
    p.set_defaults(run=cmd_hash_password)

    p = sub.add_parser("reissue-codes", parents=[common], help=h("reissue_codes"),
                       description=h("reissue_codes"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("reissue_codes_out"))
    p.set_defaults(run=cmd_reissue_codes)
    add_ingest_parsers(sub, common, lang)
    add_report_parser(sub, common, lang)
    add_deck_parser(sub, common, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = lang_of(argv)
    with argparse_words(lang):
        args = build_parser(lang).parse_args(argv)
    try:
        return args.run(args)
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return REFUSED
    except StoreError as exc:
        print(exc.text(args.lang), file=sys.stderr)
        return REFUSED
    except OSError as exc:
        print(os_error(exc, args.lang), file=sys.stderr)
        return REFUSED
