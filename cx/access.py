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

import numpy as np
import pandas as pd

Role = Literal["analyst", "manager", "public"]
AnalystMode = Literal["password", "local", "off"]

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 600_000
LOCAL_ADDRESSES = frozenset({"localhost", "127.0.0.1", "::1"})
# no 0/O, 1/I/L: codes are read aloud and typed from e-mails
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
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


def code_numbers(codes: Iterable[str] | np.ndarray) -> np.ndarray:
    """Codes (with or without the dash) as their base-31 numbers, for a fast membership test."""
    text = np.asarray(codes, dtype=f"U{CODE_LENGTH + 1}")
    if not len(text):
        return np.empty(0, dtype=np.int64)
    text = np.char.replace(text, "-", "").astype(f"S{CODE_LENGTH}")
    digits = np.full(256, 0, dtype=np.int64)
    digits[np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)] = np.arange(len(CODE_ALPHABET))
    letters = digits[text.view(np.uint8).reshape(len(text), CODE_LENGTH)]
    return letters @ (len(CODE_ALPHABET) ** np.arange(CODE_LENGTH - 1, -1, -1, dtype=np.int64))


def spell_codes(numbers: np.ndarray) -> np.ndarray:
    """Numbers as codes such as `7KQ4-M2XP`, in a bytes array (no Python string per code)."""
    base, half = len(CODE_ALPHABET), CODE_LENGTH // 2
    alphabet = np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)
    # each half (< 31⁴) in 32 bits: numpy divides those four times faster than 64-bit numbers
    halves = np.stack(np.divmod(np.asarray(numbers, dtype=np.int64), base ** half),
                      axis=1).astype(np.int32)
    powers = (base ** np.arange(half - 1, -1, -1)).astype(np.int32)
    letters = alphabet[((halves[:, :, None] // powers) % np.int32(base)).reshape(-1, CODE_LENGTH)]
    dashed = np.full((len(numbers), CODE_LENGTH + 1), ord("-"), dtype=np.uint8)
    dashed[:, :half], dashed[:, half + 1:] = letters[:, :half], letters[:, half:]
    return dashed.view(f"S{CODE_LENGTH + 1}").ravel()


def draw_code_numbers(n: int, taken: np.ndarray) -> np.ndarray:
    """`n` distinct random code numbers, none of them in `taken` (numbers, see `code_numbers`).

    Drawn from the OS's secure random source as numbers below 31⁸ (the bias of the modulo is
    under one in ten million): a million take a fraction of a second.
    """
    space = len(CODE_ALPHABET) ** CODE_LENGTH
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        want = n - len(out) + 16
        drawn = np.frombuffer(secrets.token_bytes(8 * want), dtype=np.uint64) % np.uint64(space)
        drawn = pd.unique(drawn.astype(np.int64))
        out = np.concatenate([out, drawn[~np.isin(drawn, taken) & ~np.isin(drawn, out)]])
    return out[:n]


def draw_company_numbers(n: int, last: int) -> np.ndarray:
    """The numbers `last + 1` … `last + n` in a random order, for `n` companies in any order.

    The order sorts random keys from the OS's secure source: nothing about a name (as the MD5
    of names did) and no seed anyone could find; a million take a fraction of a second.
    """
    keys = np.frombuffer(secrets.token_bytes(8 * n), dtype=np.uint64)
    return np.argsort(keys, kind="stable").astype(np.int64) + (last + 1)


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
