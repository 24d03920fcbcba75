"""Who is looking: analysts see company names, a manager sees their own company, everyone else
sees anonymous codes. Pure: passwords are checked against a salted hash, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from cx.store.codes import CODE_LENGTH

Role = Literal["analyst", "manager", "public"]
AnalystMode = Literal["password", "local", "off"]

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 600_000
LOCAL_ADDRESSES = frozenset({"localhost", "127.0.0.1", "::1"})
MIN_PASSWORD = 12  # an analyst password guards every name and every answer


@dataclass(frozen=True)
class Viewer:
    """The person in front of the screen, as far as the app knows."""

    role: Role = "public"
    company: str | None = None  # a manager's own company
    local_mode: bool = False  # analyst granted because the server only listens on localhost
    show_names: bool = True  # an analyst may hide names, e.g. on a projector

    @property
    def is_analyst(self) -> bool:
        return self.role == "analyst"

    def sees_name_of(self, company: str) -> bool:
        if self.is_analyst:
            return self.show_names
        return self.company is not None and company == self.company


PUBLIC = Viewer()


def display_name(company: str, code: str, viewer: Viewer) -> str:
    """The company's name for those allowed to see it, its anonymous code for everyone else."""
    return company if viewer.sees_name_of(company) else code


def hash_password(password: str, salt: bytes | None = None,
                  iterations: int = _ITERATIONS) -> str:
    """`pbkdf2_sha256$<iterations>$<salt>$<hash>` (base64): what the configuration stores."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"{_ALGORITHM}${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a hash made by `hash_password` (a malformed hash never does)."""
    try:
        algorithm, iterations, salt, digest = stored.strip().split("$")
        if algorithm != _ALGORITHM:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"),
                                     base64.b64decode(salt, validate=True), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def analyst_mode(password_hash: str | None, server_address: str | None) -> AnalystMode:
    """How the analyst role is obtained.

    With a configured hash, by password. Without one, granted to everyone when the server only
    listens on this machine (a local copy of the app), and off when it listens beyond it.
    """
    if password_hash and password_hash.strip():
        return "password"
    if server_address and server_address.strip().lower() in LOCAL_ADDRESSES:
        return "local"
    return "off"


FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host")


def local_client(ip_address: str | None, headers: Mapping[str, str]) -> bool:
    """Whether the browser runs on this machine: its connection comes from the loopback (the
    `ip_address` Streamlit gives is None), it names a local host, and no proxy says it
    forwarded the request. A TCP forwarder on another address passes remote browsers through
    from the loopback; the Host they ask for gives them away."""
    if ip_address is not None:
        return False
    lowered = {k.lower(): v for k, v in headers.items()}
    if any(h in lowered for h in FORWARDING_HEADERS):
        return False
    host = lowered.get("host")
    if host is None:  # no HTTP request behind the session (a script run in tests)
        return True
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return name.lower() in {*LOCAL_ADDRESSES, "[::1]"}


def normalise_access_code(text: str) -> str:
    """What a manager typed, as stored: upper case, spaces and dashes ignored, one dash."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def client_address(ip_address: str | None, headers: Mapping[str, str],
                   trusted: Iterable[str] = ()) -> str | None:
    """The address a sign-in try comes from, for the throttle. Streamlit's own is the
    connection's peer (None for the loopback). When that peer is a proxy we trust (the
    loopback: `cx serve`'s nginx; or one of the `trusted` networks), the `X-Real-IP` it sets
    to the address it saw, replacing any the client sent. Without it every visitor behind the
    proxy had no address, and a new session bought three new tries; behind a proxy in another
    container, every visitor had the proxy's. Any other peer's headers are never believed."""
    if ip_address is not None and not _within(ip_address, trusted):
        return ip_address
    real = {k.lower(): v for k, v in headers.items()}.get("x-real-ip", "").strip()
    return real or ip_address


def _within(address: str, networks: Iterable[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


class Throttle:
    """Failed sign-in tries per key (`session:…`, `address:…`): after `free` failures
    (`free_by_kind` for some kinds of key) each further try must wait, twice as long each time
    up to `longest` seconds; a key's failures are forgotten `forget` seconds after its last.
    An address gets more free tries than a session: a room behind one NAT shares it. A success
    forgets its session's failures, not its address's: a member's own code must not buy a new
    round of guesses. Thread-safe; the clock is passed in (tests use their own)."""

    def __init__(self, free: int = 3, first: float = 1.0, longest: float = 300.0,
                 forget: float = 900.0, free_by_kind: Mapping[str, int] | None = None):
        self.free, self.first, self.longest, self.forget = free, first, longest, forget
        self.free_by_kind = dict(free_by_kind if free_by_kind is not None else {"address": 30})
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key → (failures, last failure)

    def wait(self, keys: Iterable[str], now: float) -> float:
        """Seconds before any of `keys` may try again (0: now)."""
        with self._lock:
            return max([0.0, *(self._delay(k, now) - now for k in keys)])

    def _count(self, key: str, now: float) -> tuple[int, float]:
        failures, last = self._failures.get(key, (0, 0.0))
        return (failures, last) if now - last < self.forget else (0, 0.0)

    def _delay(self, key: str, now: float) -> float:
        failures, last = self._count(key, now)
        extra = failures - self.free_by_kind.get(key.split(":", 1)[0], self.free)
        return last + min(self.first * 2 ** (extra - 1), self.longest) if extra > 0 else 0.0

    def failed(self, keys: Iterable[str], now: float) -> None:
        with self._lock:
            for k in keys:
                self._failures[k] = (self._count(k, now)[0] + 1, now)
            if len(self._failures) > 10_000:  # a scan of many addresses: keep what counts
                self._failures = {k: v for k, v in self._failures.items()
                                  if now - v[1] < self.forget}

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for k in keys:
                if k.startswith("session:"):
                    self._failures.pop(k, None)
