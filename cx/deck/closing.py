"""The closing slide: the self-serve app's address and its QR code, made locally, but only for
an address the audience can reach (never this computer's own)."""

from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlsplit

import segno

from cx import config
from cx.deck.content import Slide
from cx.deck.inputs import DeckInputs
from cx.i18n import t

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def qr_png(url: str, scale: int = 12) -> bytes:
    """The QR code of `url` as a PNG, made locally (segno: no remote service)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2, dark="#1A1A1A")
    return buf.getvalue()


def reachable(url: str) -> bool:
    """Whether people in the room could open `url` on their phones: not this computer
    (loopback, unspecified), not a link-local address, not a name only a private network
    resolves (one label, .local, .internal…)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "." in host  # a single-label name resolves only inside its own network
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


def url_warning(url: str, lang: str) -> str | None:
    """The presenter's warning when the closing slide has no QR code, else None."""
    return None if reachable(url) else t("deck.local_url", lang, url=url)


def closing_slide(d: DeckInputs, lang: str) -> Slide:
    """The QR code to the self-serve app, or to the follow-along page that opens it; without a
    reachable address the slide invites the audience to the app without a code (the presenter
    is warned in the control bar)."""
    if not reachable(d.public_url):
        return Slide("closing", t("deck.closing.title", lang),
                     t("deck.closing.message_no_link", lang),
                     t("deck.closing.note_no_link", lang, url=d.public_url))
    message = "deck.closing.message_follow" if d.public_url == config.follow_url() \
        else "deck.closing.message"  # the code opens the slides, and from them the app
    return Slide("closing", t("deck.closing.title", lang), t(message, lang),
                 t("deck.closing.note", lang, url=d.public_url), link=d.public_url)
