"""`python -m cx follow [--out DIR] [--db PATH]`: publish the follow-along page now (the deck
as a static site, cx/follow/), registered on `python -m cx` by `add_parser`. Exit 0 published,
1 refused (another publication under way: nothing written), 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cx import config
from cx.cli.words import helper, meta
from cx.i18n import t

DONE, REFUSED = 0, 1


def cmd_follow(args: argparse.Namespace) -> int:
    """Build and publish the page whatever the published version (an analyst asked for it)."""
    from cx.follow import refresh
    from cx.follow.publish import CURRENT, VERSION

    out = Path(args.out) if args.out else config.follow_dir()
    app_url = args.app_url or config.public_url()
    if not refresh(config.db_path(args.db), out, app_url, force=True):
        print(t("follow.busy", args.lang, path=out), file=sys.stderr)
        return REFUSED
    current = out / CURRENT
    slides = len(list((current / "img").glob("*.png")))
    version = (current / VERSION).read_text("utf-8").strip()
    print(t("follow.done", args.lang, path=current, n=slides, version=version), file=sys.stderr)
    return DONE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser,
               lang: str) -> None:
    """Register `follow` on the `python -m cx` parser."""
    h, m = helper(lang), meta(lang)
    p = sub.add_parser("follow", parents=[common], help=h("follow"), description=h("follow"))
    p.add_argument("--out", metavar=m("dir"), help=h("follow_out"))
    p.add_argument("--app-url", metavar="URL", help=h("follow_app_url"))
    p.set_defaults(run=cmd_follow)
