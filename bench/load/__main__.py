"""`python -m bench.load`: simulated viewers against our app and a bare Streamlit page, one
process and N behind the proxy; prints a markdown table and writes bench/out/load.md.

Examples (see bench/load/README.md):
  python -m bench.load --configs app1,bare1 --viewers 10,50 --arrival burst0 --pages 2
  python -m bench.load --memory --size 100k
  python -m bench.load --profile --sessions 50
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from pathlib import Path

from bench.load import client, runner, servers
from bench.load.report import Cell, error_texts, table
from cx.access import hash_password

GB = 2**30
MEMORY_TARGET = 1.5 * GB  # issue 23, item 6


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--configs", default="app1,bare1,app2,bare2",
                   help="appN / bareN: our app / the bare page, N processes (N > 1: cx serve)")
    p.add_argument("--viewers", default="10,50,200,500")
    p.add_argument("--arrival", default="burst20,spread60",
                   help="burst0 (all at once), burstW (random within W s), spreadW (even)")
    p.add_argument("--pages", type=int, default=len(client.PATH),
                   help="pages of the path per viewer (the issue's target: 2)")
    p.add_argument("--timeout", type=float, default=120, help="seconds per page")
    p.add_argument("--db", type=Path, help="database (default: the embedded sample)")
    p.add_argument("--phones", type=int, default=200, help="phones on /segui/ (proxy only)")
    p.add_argument("--phones-arrival", default="burst20")
    p.add_argument("--no-linger", dest="linger", action="store_false",
                   help="close each viewer's session after its last page (default: all stay "
                        "open until the last viewer is done, like phones left on the page)")
    p.add_argument("--option", action="append", default=[], metavar="SECTION.NAME=VALUE",
                   help="a Streamlit option for the single-process servers (A/B runs), "
                        "e.g. runner.postScriptGC=false")
    p.add_argument("--out", type=Path, default=runner.OUT / "load.md")
    p.add_argument("--memory", action="store_true",
                   help="item 6: 20 viewers visit every page of one process on --size")
    p.add_argument("--analysts", action="store_true",
                   help="--memory's viewers are local analysts (default: visitors, who read "
                        "the privacy layer's release, as at an event behind the proxy)")
    p.add_argument("--size", default="100k",
                   help="--memory's database: 10k, 100k or 1M (built once into bench/out, "
                        "as bench/common.py does; --db uses a given file instead)")
    p.add_argument("--profile", action="store_true",
                   help="where a new session's time goes (yappi, one process)")
    p.add_argument("--sessions", type=int, default=50, help="--profile's new sessions")
    return p.parse_args(argv)


def machine() -> str:
    load = os.getloadavg()
    return (f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.node()} · {os.cpu_count()} cores "
            f"· load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start")


def load_run(args: argparse.Namespace) -> list[Cell]:
    db = args.db or runner.sample_db()
    steps = client.PATH[:max(args.pages, 1)]
    cells: list[Cell] = []
    for name in args.configs.split(","):
        config = servers.Config(name.strip())
        for arrival in args.arrival.split(","):
            for viewers in (int(v) for v in args.viewers.split(",")):
                cell = runner.run_cell(config, viewers, arrival, steps, db, args.timeout,
                                       tuple(args.option), args.linger)
                cells.append(cell)
                print(table([cell]).splitlines()[-1], flush=True)
                if cell.skipped:
                    break  # the same reason for every cell of this configuration
            if cells[-1].skipped:
                break
        if config.workers > 1 and not cells[-1].skipped and not config.bare:
            cell = runner.run_static(config, args.phones, args.phones_arrival, db, args.timeout)
            cells.append(cell)
            print(table([cell]).splitlines()[-1], flush=True)
    return cells


# An analyst password makes the local viewers visitors: what a room behind the proxy gets
VISITORS = {"CX_ANALYST_PASSWORD_HASH": hash_password("bench-only-analyst-password")}


def memory_run(args: argparse.Namespace) -> Cell:
    """Item 6: one app process on the scale database, 20 viewers over every page."""
    from bench.common import scale_db

    if args.db:
        db, label = args.db, args.db.name
    else:
        db, built = scale_db(args.size)
        label = args.size
        if built is not None:
            print(f"built the {args.size} database in {built:.0f} s", flush=True)
    print(f"release made ahead, as ingest does: {runner.prepare_release(db):.0f} s", flush=True)
    config = servers.Config("app1")
    env = {} if args.analysts else VISITORS
    with servers.serve(config, db, runner.OUT / "load_memory.log", env=env) as (url, pgid):
        steps = runner.all_pages(url, args.timeout)
        trace = runner.memory_by_page(url, pgid, steps, args.timeout)
    print("RSS MB after one viewer's first visit of each page: " + ", ".join(
        f"{page or '(home)'} {rss / 2**20:.0f}" for page, rss in trace), flush=True)
    cell = runner.run_cell(config, 20, "burst0", steps, db, args.timeout, env=env)
    cell.arrival = f"every page, {label}, {'analysts' if args.analysts else 'visitors'}"
    cell.trace = trace
    return cell


def write(title: str, body: str, out: Path, argv: list[str]) -> None:
    text = f"## {title}\n\n{machine()}\n\n`python -m bench.load {' '.join(argv)}`\n\n{body}\n"
    print("\n" + text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    if args.profile:
        from bench.load import profiling as profile

        profile.main(args.sessions, args.db or runner.sample_db(), args.timeout,
                     tuple(args.option))
        return
    if args.memory:
        cell = memory_run(args)
        verdict = "within" if cell.peak_bytes <= MEMORY_TARGET else "OVER"
        trace = ", ".join(f"{page or '(home)'} {rss / 2**20:.0f}" for page, rss in cell.trace)
        write("Load bench: memory (issue 23, item 6)", table([cell]) + (
            f"\n\nPeak RSS {cell.peak_bytes / GB:.2f} GB: {verdict} the 1.5 GB target "
            f"(while one viewer warmed every page: {cell.warm_bytes / GB:.2f} GB)."
            f"\n\nRSS MB after one viewer's first visit of each page (a server of its own, "
            f"pages in menu order): {trace}."),
            args.out.with_name("load_memory.md"), argv)
        return
    cells = load_run(args)
    texts = error_texts(cells)
    write("Load bench (issue 23)", table(cells) + (f"\n\nErrors seen:\n{texts}" if texts
                                                   else ""), args.out, argv)


if __name__ == "__main__":
    main()
