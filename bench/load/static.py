"""Phones fetching the static follow-along page (`/segui/`: its HTML and every image it
names) with plain HTTP GETs, as a room scanning the QR code does."""

from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import urljoin, urlsplit

from bench.load import httpget as http

FOLLOW_PATH = "/segui/"
_SRC = re.compile(rb"""<img[^>]+src=["']([^"']+)["']""", re.IGNORECASE)
PARALLEL = 6  # a browser's connections per host


def images(base: str, html: bytes) -> list[str]:
    """The same-host image URLs of a page (data: URIs left out)."""
    page = base.rstrip("/") + FOLLOW_PATH
    host = urlsplit(base).netloc
    urls = [urljoin(page, src.decode()) for src in _SRC.findall(html)
            if not src.startswith(b"data:")]
    return list(dict.fromkeys(u for u in urls if urlsplit(u).netloc == host))


async def phone(base: str, timeout: float) -> tuple[float | None, str | None]:
    """(seconds to the page and all its images, error kind)."""
    start = time.perf_counter()
    jar = http.Jar()
    gate = asyncio.Semaphore(PARALLEL)

    async def fetch(url: str) -> bytes:
        async with gate:
            return await http.get(url, jar, timeout)

    try:
        html = await asyncio.wait_for(fetch(base.rstrip("/") + FOLLOW_PATH), timeout)
        await asyncio.wait_for(asyncio.gather(*(fetch(u) for u in images(base, html))),
                               max(timeout - (time.perf_counter() - start), 0.001))
    except TimeoutError:
        return None, "timeout"
    except http.HttpError:
        return None, "http-error"
    except OSError:
        return None, "refused"
    return time.perf_counter() - start, None


async def wait_served(base: str, seconds: float) -> str | None:
    """None once the follow-along page answers (its builder may run after the proxy starts),
    else the last error after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            await http.get(base.rstrip("/") + FOLLOW_PATH, http.Jar(), 5)
            return None
        except (OSError, TimeoutError, http.HttpError) as exc:
            if time.monotonic() > deadline:
                return str(exc)
        await asyncio.sleep(1)


async def room(base: str, delays: list[float], timeout: float
               ) -> list[tuple[float | None, str | None]]:
    async def one(delay: float) -> tuple[float | None, str | None]:
        await asyncio.sleep(delay)
        return await phone(base, timeout)

    return list(await asyncio.gather(*(one(d) for d in delays)))
