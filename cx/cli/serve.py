"""`python -m cx serve [--workers N] [--port P] [--app FILE] [--db PATH] [--upstream HOST:PORT]`:
the app for an event, N processes behind nginx on one port (registered on `python -m cx` by
`add_parser`). Exit 0 after SIGINT/SIGTERM, 1 if it could not start (nginx missing, a worker
that never answered). `--upstream` starts no worker: only the proxy, in front of workers
started elsewhere (compose)."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from cx import config
from cx.cli.words import meta
from cx.i18n import t

DONE, REFUSED = 0, 1
MAX_WORKERS = 64


def _workers(lang: str) -> Callable[[str], int]:
    def workers(text: str) -> int:
        if not text.isdigit() or not 1 <= int(text) <= MAX_WORKERS:
            raise argparse.ArgumentTypeError(
                t("serve.check_workers", lang, high=MAX_WORKERS, value=text))
        return int(text)
    return workers


def cmd_serve(args: argparse.Namespace) -> int:
    from cx.serve.launcher import ServeError, ServeOptions, serve

    lang = args.lang
    if shutil.which("nginx") is None:
        print(t("serve.no_nginx", lang), file=sys.stderr)
        return REFUSED
    run_dir = Path(args.run_dir) if args.run_dir else config.DATA_DIR / "run" / str(args.port)
    opts = ServeOptions(workers=args.workers, port=args.port, app=Path(args.app),
                        db=config.db_path(args.db), run_dir=run_dir, host=args.host,
                        upstreams=tuple(args.upstream or ()), lang=lang)
    try:
        return serve(opts, say=lambda text: print(text, flush=True))
    except ServeError as exc:
        print(str(exc), file=sys.stderr)
        return REFUSED


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser,
               lang: str) -> None:
    """Register `serve` on the `python -m cx` parser."""
    def h(key: str) -> str:
        return t(f"serve.help.{key}", lang)

    p = sub.add_parser("serve", parents=[common], help=h("serve"), description=h("serve"))
    p.add_argument("--workers", type=_workers(lang), default=2, metavar="N", help=h("workers"))
    p.add_argument("--port", type=int, default=8500, metavar="P", help=h("port"))
    p.add_argument("--host", default="0.0.0.0", help=h("host"))
    p.add_argument("--app", default=str(config.PROJECT_ROOT / "app.py"), metavar=meta(lang)("file"),
                   help=h("app"))
    p.add_argument("--run-dir", metavar=t("serve.meta_dir", lang), help=h("run_dir"))
    p.add_argument("--upstream", action="append", metavar="HOST:PORT", help=h("upstream"))
    p.set_defaults(run=cmd_serve)
