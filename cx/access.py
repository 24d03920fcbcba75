"""Who is looking: analysts see company names, a manager sees their own company, everyone else
sees anonymous codes. Pure: passwords are checked against a salted hash, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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


class Throttle:
    """Failed sign-in tries per key (a session, a client address): after `free` failures each
    further try must wait, twice as long each time up to `longest` seconds. Thread-safe; the
    clock is passed in (tests use their own)."""

    def __init__(self, free: int = 3, first: float = 1.0, longest: float = 300.0):
        self.free, self.first, self.longest = free, first, longest
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key → (failures, last failure)

    def wait(self, keys: Iterable[str], now: float) -> float:
        """Seconds before any of `keys` may try again (0: now)."""
        with self._lock:
            return max([0.0, *(self._delay(*self._failures.get(k, (0, 0.0))) - now
                               for k in keys)])

    def _delay(self, failures: int, last: float) -> float:
        extra = failures - self.free
        return last + min(self.first * 2 ** (extra - 1), self.longest) if extra > 0 else 0.0

    def failed(self, keys: Iterable[str], now: float) -> None:
        with self._lock:
            for k in keys:
                self._failures[k] = (self._failures.get(k, (0, 0.0))[0] + 1, now)

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
