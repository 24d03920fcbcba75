"""The closing slide: the self-serve app's address and its QR code, made locally."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno

from cx.deck.content import Slide
from cx.deck.inputs import DeckInputs
from cx.i18n import t

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def qr_png(url: str, scale: int = 12) -> bytes:
    """The QR code of `url` as a PNG, made locally (segno: no remote service)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2, dark="#1A1A1A")
    return buf.getvalue()


def closing_slide(d: DeckInputs, lang: str) -> Slide:
    """The QR code to the self-serve app; the note warns when the address is this computer's."""
    note = t("deck.closing.note", lang, url=d.public_url)
    if urlsplit(d.public_url).hostname in LOCAL_HOSTS:
        note += " " + t("deck.local_url", lang)
    return Slide("closing", t("deck.closing.title", lang), t("deck.closing.message", lang), note,
                 link=d.public_url)

