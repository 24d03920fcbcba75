"""`python -m cx`: the command line for analysts and scripts. One module per feature registers
its commands: `database` (init, synth, export, hash-password, reissue-codes), `ingest`,
`scorecard` (report), `deck`, `follow`, `backup` (backup, restore), `release` and `serve`; `words`
holds their words in the user's language. Registering imports nothing heavy: each command
imports what it needs when it runs.

Exit codes: 0 done; 1 input refused (reasons on stderr, nothing written); 2 usage error.
"""

from __future__ import annotations

import argparse
import sys

from cx.cli import backup, database, deck, follow, ingest, members, release, scorecard, serve
from cx.cli.words import Refused, argparse_words, helper, lang_of, meta, os_error
from cx.i18n import DEFAULT_LANG, LANGS

REFUSED = 1


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The parser, its help in `lang` (build and use it inside `argparse_words(lang)`)."""
    h, m = helper(lang), meta(lang)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar=m("file"), help=h("db"))
    common.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=h("lang"))
    parser = argparse.ArgumentParser(prog="python -m cx", description=h("description"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=h("command"))

    database.add_parsers(sub, common, lang)
    ingest.add_parsers(sub, common, lang)
    scorecard.add_parser(sub, common, lang)
    deck.add_parser(sub, common, lang)
    follow.add_parser(sub, common, lang)
    members.add_parsers(sub, common, lang)
    backup.add_parsers(sub, common, lang)
    release.add_parser(sub, common, lang)
    serve.add_parser(sub, common, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = lang_of(argv)
    with argparse_words(lang):
        args = build_parser(lang).parse_args(argv)
    try:
        code: int = args.run(args)  # each command's run() returns its exit code
        return code
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return REFUSED
    except OSError as exc:
        print(os_error(exc, args.lang), file=sys.stderr)
        return REFUSED
    except Exception as exc:
        from cx.store import StoreError  # here, not on top: `--help` and `template` never open it

        if not isinstance(exc, StoreError):
            raise
        print(exc.text(args.lang), file=sys.stderr)
        return REFUSED
