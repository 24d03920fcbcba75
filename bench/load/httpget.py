"""A minimal asyncio HTTP/1.1 GET that keeps cookies (no dependency, one connection per
request): enough for a phone's first request and the static follow-along page."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class HttpError(Exception):
    """A response the benchmark counts as an error (status >= 400)."""


@dataclass
class Jar:
    """Cookies by name (one host per viewer, so no domain or path matching)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def take(self, headers: list[tuple[str, str]]) -> None:
        for name, value in headers:
            if name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def _dechunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2:]
    return bytes(out)


async def get(url: str, jar: Jar, timeout: float) -> bytes:
    """The body of `url`; cookies set by the response go into `jar`."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        cookie = f"Cookie: {jar.header()}\r\n" if jar.cookies else ""
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{cookie}"
                     "User-Agent: cx-load-bench\r\nConnection: close\r\n\r\n".encode())
        raw = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = [(k.strip().lower(), v.strip()) for k, _, v in
               (line.partition(":") for line in lines[1:])]
    jar.take(headers)
    if status >= 400 or status == 0:
        raise HttpError(f"HTTP {status} for {path}")
    if ("transfer-encoding", "chunked") in headers:
        body = _dechunk(body)
    return body
