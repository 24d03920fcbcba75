"""`python -m cx init | synth | export | hash-password | reissue-codes`: the database, the
sample, the exports and the access codes (registered on `python -m cx` by `add_parsers`). Each
command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from cx import config
from cx.cli.words import Refused, helper, meta, positive, year, years
from cx.filters import Filters
from cx.i18n import t

DONE = 0


def cmd_init(args: argparse.Namespace) -> int:
    from cx.cli.release import prebuild_current
    from cx.dataset import build_database
    from cx.store import primary
    from cx.store.snapshots import Snapshots

    db = config.db_path(args.db)
    if db.exists() and not args.force:
        raise Refused(t("cli.init_exists", args.lang, path=db))
    if db.exists():
        # the file's lock first, as every writer takes it: while a write is running it waits
        # for its end, it does not delete the file under it
        with primary.held(db):
            db.unlink()
            Path(f"{db}.wal").unlink(missing_ok=True)
    with build_database(db, later=(config.SAMPLE_NEXT_CSV,)) as store:
        counts = store.table_counts()
        Snapshots(db).publish(store)  # a running app reads it at its next page
    prebuild_current(db)
    print(t("cli.init_done", args.lang, path=db, n=counts["responses"]))
    return DONE


def cmd_synth(args: argparse.Namespace) -> int:
    from cx.synth import next_wave, synthesize, write_canonical_csv

    frame = synthesize(args.respondents, args.waves, args.seed, with_profile=args.after is not None)
    if args.after is not None:  # the same Club a wave later: the sample's 2027 file
        frame = next_wave(frame, args.after, args.after_respondents, args.seed)
    write_canonical_csv(frame, args.out)
    print(t("cli.synth_done", args.lang, n=len(frame), path=args.out), file=sys.stderr)
    return DONE


def cmd_export(args: argparse.Namespace) -> int:
    from cx.dataset import open_shared
    from cx.export import company_scores, write_table

    with open_shared(config.db_path(args.db)) as store:
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
    from cx.access import MIN_PASSWORD, hash_password

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
    from cx.export import to_csv_bytes
    from cx.store.primary import open_reader

    db = config.db_path(args.db)
    if not db.exists():
        raise Refused(t("cli.no_database", args.lang, path=db))
    out = Path(args.out)
    part = out.with_name(out.name + ".part")
    try:
        with open_reader(db) as store, store.reissued_codes() as codes:
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


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser, lang: str) -> None:
    """Register init, synth, export, hash-password and reissue-codes on the `python -m cx`
    parser."""
    h, m = helper(lang), meta(lang)
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
    p.add_argument("--after", type=int, default=None, metavar=m("year"), help=h("synth_after"))
    p.add_argument("--after-respondents", type=positive(lang),
                   default=config.SAMPLE_NEXT_RESPONDENTS, metavar=m("number"),
                   help=h("synth_after_respondents"))
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
