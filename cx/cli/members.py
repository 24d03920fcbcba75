"""`python -m cx members FILE [--dry-run] [--sheet S]`: the Club's member list (CSV/XLSX/XLS)
read, checked and stored whole (or only checked); `python -m cx synth-members --out FILE`:
a synthetic list from the database's companies plus non-respondents (registered on
`python -m cx` by `add_parsers`). Exit 0 done, 1 refused (every problem on stderr, nothing
written), 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cx import config
from cx.cli.words import Refused
from cx.i18n import t

DONE = 0


def _h(key: str, lang: str) -> str:
    return t(f"coverage.cli.help.{key}", lang)


def cmd_members(args: argparse.Namespace) -> int:
    from cx.coverage.members import MemberFileRefused, read_members
    from cx.dataset import open_shared
    from cx.store import members

    lang, path = args.lang, Path(args.file)
    if not path.is_file():
        raise Refused(t("ingest.refusal.no_file", lang, path=args.file))
    try:
        found = read_members(path, path.name, args.sheet)
    except MemberFileRefused as exc:
        raise Refused(exc.text(lang)) from exc
    if found.problems:
        raise Refused("\n".join([t("coverage.cli.refused", lang, n=len(found.problems))]
                                + [p.text(lang) for p in found.problems]))
    n = len(found.members)
    if args.dry_run:
        print(t("coverage.cli.dry_run", lang, n=n, file=path.name))
        return DONE
    with open_shared(config.db_path(args.db)) as store:
        members.replace_members(store, found.members)
        print(t("coverage.cli.done", lang, n=n, path=store.path))
    return DONE


def cmd_synth_members(args: argparse.Namespace) -> int:
    from cx.dataset import open_shared
    from cx.export import write_table
    from cx.synth.members import synth_members

    with open_shared(config.db_path(args.db)) as store:
        responses = store.responses(("company", "sector", "size_band", "region"))
    frame = synth_members(responses, args.seed)
    write_table(frame, Path(args.out), "xlsx" if args.out.lower().endswith(".xlsx") else "csv")
    print(t("coverage.cli.synth_done", args.lang, n=len(frame), path=args.out), file=sys.stderr)
    return DONE


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser, lang: str) -> None:
    """Register `members` and `synth-members`."""
    p = sub.add_parser("members", parents=[common], help=_h("members", lang),
                       description=_h("members", lang))
    p.add_argument("file", metavar=t("cli.meta.file", lang), help=_h("file", lang))
    p.add_argument("--dry-run", action="store_true", help=_h("dry_run", lang))
    p.add_argument("--sheet", metavar=t("cli.meta.sheet", lang),
                   help=t("cli.help.ingest_sheet", lang))
    p.set_defaults(run=cmd_members)
    s = sub.add_parser("synth-members", parents=[common], help=_h("synth", lang),
                       description=_h("synth", lang))
    s.add_argument("--out", required=True, metavar=t("cli.meta.file", lang),
                   help=_h("synth_out", lang))
    s.add_argument("--seed", type=int, default=21, help=t("cli.help.synth_seed", lang))
    s.set_defaults(run=cmd_synth_members)
