"""A crowd of viewers against a fresh server per cell, with the server's peak memory."""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import aio, client, servers, static
from bench.load.report import Cell
from cx.store.snapshots import Snapshots

OUT = servers.ROOT / "bench" / "out"
SEED = 23


def delays(arrival: str, n: int, seed: int = SEED) -> list[float]:
    """When each of `n` viewers arrives (seconds from the start): `burst0` all at once,
    `burstW` at random within W seconds (seeded), `spreadW` evenly over W seconds."""
    kind = arrival.rstrip("0123456789")
    window = float(arrival[len(kind):] or 0)
    if kind == "burst":
        rng = random.Random(seed)
        return sorted(rng.uniform(0, window) for _ in range(n)) if window else [0.0] * n
    if kind == "spread":
        return [i * window / n for i in range(n)]
    raise ValueError(f"unknown arrival {arrival!r}: burst0, burst20, spread60 …")


async def crowd(url: str, steps: tuple[client.Step, ...], arrivals: list[float],
                timeout: float, linger: bool = False) -> list[list[client.PageResult]]:
    """Every viewer's pages. With `linger`, each keeps its session open until the last
    viewer is done, as phones stay on the page during a talk (live sessions cost memory,
    and the work per run can grow with them)."""
    barrier = asyncio.Barrier(len(arrivals)) if linger and arrivals else None

    async def one(delay: float) -> list[client.PageResult]:
        held = False

        async def hold() -> None:
            nonlocal held
            held = True
            if barrier is not None:
                await barrier.wait()

        await asyncio.sleep(delay)
        try:
            return await client.visit(url, steps, timeout, hold if barrier else None)
        finally:
            if barrier is not None and not held:
                await barrier.wait()

    return list(await asyncio.gather(*(one(d) for d in arrivals)))


def sample_db() -> Path:
    """The embedded sample as a database, built once into bench/out."""
    from cx.dataset import build_database

    path = OUT / "load_sample.duckdb"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        build_database(path).close()
    return path


def private_copy(db: Path, tmp: Path) -> Path:
    """A fresh copy per server: DuckDB lets one process open a file for writing. Its published
    snapshots come along, with the release made for them (`python -m cx release`)."""
    copy = tmp / db.name
    shutil.copy(db, copy)
    snapshots = Snapshots(db).dir
    if snapshots.is_dir():
        shutil.copytree(snapshots, Snapshots(copy).dir)
    return copy


def prepare_release(db: Path) -> float:
    """Publish `db` and make its release as a writer does after an ingest (`python -m cx
    release`), so the server meets what it meets at an event; seconds it took."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cx", "release", "--db", str(db)], cwd=servers.ROOT,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def run_cell(config: servers.Config, viewers: int, arrival: str,
             steps: tuple[client.Step, ...], db: Path, timeout: float,
             options: tuple[str, ...] = (), linger: bool = True,
             env: dict[str, str] | None = None) -> Cell:
    """One cell on a fresh server, warmed by one viewer (a room meets a server that the
    presenter has already opened). Its peak memory counts the warming too: a page's first
    computation is part of what the server must hold."""
    cell = Cell(config.name, viewers, arrival, pages=len(steps))
    with tempfile.TemporaryDirectory(prefix="cx-load-") as tmp:
        try:
            with servers.serve(config, private_copy(db, Path(tmp)),
                               OUT / f"load_{config.name}.log",
                               options=(*servers.DIAGNOSTIC, *options), env=env
                               ) as (url, pgid), servers.PeakMemory(pgid) as memory:
                for _ in range(4 * config.workers):  # every worker warm (sticky: random)
                    aio.run(client.visit(url, steps, timeout))
                if config.workers > 1 and not config.bare:
                    # `cx serve` builds the follow-along page as it starts (10–15 s of one
                    # core): the room comes after it, as at an event
                    aio.run(static.wait_served(url, 60))
                cell.warm_bytes = memory.peak
                cell.visits = aio.run(crowd(url, steps, delays(arrival, viewers), timeout,
                                            linger))
            cell.peak_bytes = memory.peak
        except servers.Unavailable as exc:
            cell.skipped = str(exc)
    return cell


def run_static(config: servers.Config, phones: int, arrival: str, db: Path,
               timeout: float) -> Cell:
    """Phones loading the static follow-along page behind the proxy."""
    cell = Cell(config.name, phones, arrival, static=[])
    with tempfile.TemporaryDirectory(prefix="cx-load-") as tmp:
        try:
            with servers.serve(config, private_copy(db, Path(tmp)),
                               OUT / f"load_{config.name}_static.log") as (url, _):
                missing = aio.run(static.wait_served(url, 30))
                if missing:
                    raise servers.Unavailable(f"{static.FOLLOW_PATH} not served ({missing})")
                cell.static = aio.run(static.room(url, delays(arrival, phones), timeout))
        except servers.Unavailable as exc:
            cell.skipped, cell.static = str(exc), None
    return cell


def all_pages(url: str, timeout: float) -> tuple[client.Step, ...]:
    """Every page the app's navigation lists (home first), read from a first session."""
    pages = aio.run(client.listed_pages(url, timeout))
    return (client.Step(""), *(client.Step(p) for p in pages if p))


def memory_by_page(url: str, pgid: int, steps: tuple[client.Step, ...],
                   timeout: float) -> list[tuple[str, int]]:
    """The server's RSS after one viewer opens each page in turn (one session each: home
    then the page), to see which page's caches and queries hold the memory."""
    trace = [("(start)", servers.tree_rss(pgid))]
    for step in steps:
        aio.run(client.visit(url, (client.Step(""), step), timeout))
        trace.append((step.page, servers.tree_rss(pgid)))
    return trace
