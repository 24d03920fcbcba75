"""Paths and thresholds. No I/O at import time."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
QUESTIONNAIRE_PATH = DATA_DIR / "questionnaire.toml"
SAMPLE_CSV = DATA_DIR / "sample" / "responses.csv"
DEFAULT_DB = DATA_DIR / "cx.duckdb"
SAMPLE_SEED = 2026
SAMPLE_RESPONDENTS = 264
SAMPLE_WAVES = (2025, 2026)
# the sample's next wave (questionnaire 2027), drawn from the same companies, in a file of its
# own as a member would upload it
SAMPLE_NEXT_CSV = DATA_DIR / "sample" / "responses_2027.csv"
SAMPLE_NEXT_WAVE = 2027
SAMPLE_NEXT_RESPONDENTS = 150

DEFAULT_PRIVACY_K = 5
DEFAULT_COMMENT_K = 8
# below this many respondents a figure is shown as indicative: its interval is wide and rests
# on the approximations of small samples (`indicative`)
INDICATIVE_N = 30


def indicative(n: int) -> bool:
    """The one rule: a figure on 1 to `INDICATIVE_N` − 1 respondents is indicative."""
    return 0 < n < INDICATIVE_N


def db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else the `CX_DB` environment variable, else `data/cx.duckdb`."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("CX_DB")
    return Path(env) if env else DEFAULT_DB


def _int_env(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return max(1, value)


def privacy_k() -> int:
    """Minimum respondents behind any aggregate shown (`CX_PRIVACY_K`, default 5)."""
    return _int_env("CX_PRIVACY_K", DEFAULT_PRIVACY_K)


RELEASE_STORED_FROM = 50_000  # respondents from which visitors' data lives on disk
RELEASE_STORED_FROM_ENV = "CX_RELEASE_STORED_FROM"


def release_stored_from() -> int:
    """Respondents from which the privacy layer's release is made once, on disk beside its
    snapshot, rather than in each app process (`CX_RELEASE_STORED_FROM`, cx.privacy.stored)."""
    return max(0, _int_env(RELEASE_STORED_FROM_ENV, RELEASE_STORED_FROM))


def comment_k() -> int:
    """Minimum respondents in the filter before free-text answers are shown (`CX_COMMENT_K`)."""
    return _int_env("CX_COMMENT_K", DEFAULT_COMMENT_K)


def public_url() -> str | None:
    """Where members use the app themselves (`CX_PUBLIC_URL`): the presentation's QR code."""
    value = os.environ.get("CX_PUBLIC_URL", "").strip()
    return value or None


def follow_dir() -> Path:
    """Where the static follow-along page is published (`CX_FOLLOW_DIR`, else `data/follow/`)."""
    env = os.environ.get("CX_FOLLOW_DIR", "").strip()
    return Path(env) if env else DATA_DIR / "follow"


def follow_url() -> str | None:
    """The follow-along page's public address (`CX_FOLLOW_URL`), served by the proxy."""
    value = os.environ.get("CX_FOLLOW_URL", "").strip()
    return value or None


TRUSTED_PROXIES_ENV = "CX_TRUSTED_PROXIES"


def trusted_proxies() -> tuple[str, ...]:
    """Addresses or networks of proxies in front of the app whose word on the client's address
    is believed (`CX_TRUSTED_PROXIES`, comma-separated, e.g. `172.16.0.0/12`): the sign-in
    throttle counts per client, not per proxy. This machine's own nginx is always believed.
    Raises ValueError naming an entry that is not an address or a network."""
    entries = [e.strip() for e in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",")]
    for entry in filter(None, entries):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(entry) from None
    return tuple(filter(None, entries))


def qr_url() -> str | None:
    """What the deck's QR code opens: the follow-along page when it has an address (it holds
    any crowd), else the app."""
    return follow_url() or public_url()
