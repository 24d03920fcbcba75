"""`python -m cx release [--db PATH] [--snapshot NAME] [--k K] [--comment-k C]`: make the
privacy layer's release of a published snapshot on disk (`cx.privacy.stored`), so that no app
process computes it. The app runs it apart for a large snapshot; `init` and `ingest` run it as
their last step. Exit 0 made (or nothing to make), 1 refused (the snapshot is gone)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cx import config
from cx.cli.words import helper, meta
from cx.i18n import t

DONE, REFUSED = 0, 1


def cmd_release(args: argparse.Namespace) -> int:
    from cx.dataset import open_shared
    from cx.privacy import prebuild
    from cx.store import Store
    from cx.store.snapshots import Snapshots

    db = config.db_path(args.db)
    k = config.privacy_k() if args.k is None else args.k
    comment_k = config.comment_k() if args.comment_k is None else args.comment_k
    if args.snapshot:
        snapshot = Snapshots(db).named(args.snapshot)
        if not snapshot.path.exists():
            print(t("release.gone", args.lang, name=args.snapshot), file=sys.stderr)
            return REFUSED
        store = Store.reader(db, snapshot=snapshot)
    else:
        store = open_shared(db)
    with store:
        start = time.perf_counter()
        n = store.response_count()
        limit = config.release_stored_from()
        path = prebuild(store, k, comment_k) if n >= limit else None
    if path is None:
        print(t("release.small", args.lang, n=n, limit=limit), file=sys.stderr)
    else:
        print(t("release.done", args.lang, path=path, n=n, k=k,
                seconds=f"{time.perf_counter() - start:.0f}"), file=sys.stderr)
    return DONE


def prebuild_current(db: Path) -> None:
    """A writing command's last step: the current snapshot's release made now when it is
    large (`cx.privacy.stored`), so the app's first visitor does not wait a minute for it.
    A small one imports nothing more (a direct ingest runs without pandas)."""
    from cx.store import Store

    with Store.reader(db) as store:
        if store.response_count() < config.release_stored_from():
            return
        from cx.privacy import prebuild

        prebuild(store, config.privacy_k(), config.comment_k())


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser, lang: str) -> None:
    """Register `release` on the `python -m cx` parser."""
    h, m = helper(lang), meta(lang)
    p = sub.add_parser("release", parents=[common], help=h("release"), description=h("release"))
    p.add_argument("--snapshot", metavar=m("file"), help=h("release_snapshot"))
    p.add_argument("--k", type=int, metavar="K", help=h("release_k"))
    p.add_argument("--comment-k", type=int, metavar="K", help=h("release_comment_k"))
    p.set_defaults(run=cmd_release)
