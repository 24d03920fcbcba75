"""Percentiles and the markdown table of the load bench."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bench.load.client import PageResult


@dataclass
class Cell:
    """One configuration × viewers × arrival: every viewer's pages, the server's peak memory."""

    config: str
    viewers: int
    arrival: str
    visits: list[list[PageResult]] = field(default_factory=list)
    pages: int = 0  # pages per viewer's path
    peak_bytes: int = 0
    warm_bytes: int = 0  # the peak while one viewer warmed the server, before the crowd
    skipped: str | None = None  # why the configuration could not run
    static: list[tuple[float | None, str | None]] | None = None  # /segui/ phones
    trace: list[tuple[str, int]] = field(default_factory=list)  # (page, RSS bytes) in order


def quantile(values: Sequence[float], q: float) -> float:
    """Nearest-rank quantile (`q` in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def spread(values: Sequence[float]) -> str:
    """`p50 / p95 / max` in seconds, or a dash."""
    if not values:
        return "–"
    return " / ".join(f"{quantile(values, q):.2f}" for q in (0.5, 0.95, 1.0))


def errors(kinds: Iterable[str | None], missing: int = 0) -> str:
    """`0`, or the count with its kinds: `3 (2 timeout, 1 exception)`."""
    counts = Counter(k for k in kinds if k)
    if missing:
        counts["not reached"] += missing
    total = sum(counts.values())
    if not total:
        return "0"
    return f"{total} ({', '.join(f'{n} {k}' for k, n in counts.most_common())})"


HEADER = ["config", "viewers", "arrival", "first page s p50 / p95 / max",
          "next pages s p50 / p95 / max", "pages ok", "errors", "peak RSS MB"]


def row(cell: Cell) -> list[str]:
    if cell.skipped:
        return [cell.config, str(cell.viewers), cell.arrival, f"skipped: {cell.skipped}",
                "", "", "", ""]
    if cell.static is not None:
        times = [s for s, _ in cell.static if s is not None]
        return [cell.config, str(cell.viewers), cell.arrival, "/segui/ + images: "
                + spread(times), "", f"{len(times)}/{len(cell.static)}",
                errors(e for _, e in cell.static), ""]
    pages = [p for visit in cell.visits for p in visit]
    first = [p.seconds for p in pages if p.step == 0 and p.seconds is not None and not p.error]
    rest = [p.seconds for p in pages if p.step > 0 and p.seconds is not None and not p.error]
    expected = cell.pages * len(cell.visits)
    ok = len(first) + len(rest)
    return [cell.config, str(cell.viewers), cell.arrival, spread(first), spread(rest),
            f"{ok}/{expected}", errors((p.error for p in pages), expected - len(pages)),
            f"{cell.peak_bytes / 2**20:.0f}" if cell.peak_bytes else "–"]


def table(cells: list[Cell]) -> str:
    rows = [HEADER, *(row(c) for c in cells)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["| " + " | ".join(x.ljust(w) for x, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def error_texts(cells: list[Cell], most: int = 5) -> str:
    """The distinct error texts the viewers met (what the table's `exception` or
    `error-element` were), most frequent first."""
    counts = Counter(f"{c.config}: {p.detail}" for c in cells for v in c.visits for p in v
                     if p.detail)
    return "\n".join(f"- {n}× {text}" for text, n in counts.most_common(most))
