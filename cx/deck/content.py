"""What a slide holds (a chart, key numbers, persona cards, a link) and the deck it belongs to:
the values the storyline writes and the page, the PDF and the PowerPoint draw alike. Pure."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cx import charts
from cx.charts.theme import Spec
from cx.i18n import t

CHART_WIDTH = 640  # px: the natural width of a bar chart on a slide (the page zooms it)


@dataclass(frozen=True)
class Figure:
    """A chart as its builder and arguments: built (and cached) where it is shown."""

    builder: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = ()
    step: int | None = None  # row height in px, where the builder's own is too tall for a slide
    square: bool = False  # drawn at its own size (a pyramid), never stretched
    width: int = CHART_WIDTH  # px, where the builder leaves the width to the container

    def build(self) -> Spec:
        """The chart's Vega-Lite spec at its slide size."""
        chart = self.builder(*self.args, **dict(self.kwargs))
        return self.sized(charts.spec(chart, validate=False))

    def png(self, scale: float = 2.0) -> bytes:
        """The chart as a PNG rendered offline (vl-convert), for the PDF and the PowerPoint."""
        return charts.to_png(self.build(), scale=scale)

    def sized(self, spec: Spec) -> Spec:
        """A spec at its slide size: a fixed width where the builder leaves it to the container
        (the page zooms charts, and a zoomed chart must not measure its container)."""
        out = dict(spec)
        if out.get("width") == "container":
            out["width"] = self.width
        if self.step and isinstance(out.get("height"), dict):
            out["height"] = {"step": self.step}
        return out


@dataclass(frozen=True)
class Tile:
    """One key number: what it is, its value, its base and interval."""

    label: str
    value: str
    caption: str


@dataclass(frozen=True)
class Card:
    """One persona on the personas slide."""

    name: str
    share: str
    scores: str
    traits: tuple[str, ...]  # Markdown: the question in **bold**
    colour: str
    hidden: bool = False


@dataclass(frozen=True)
class Slide:
    """One slide: the same title, message and note on the stage, in the PDF and in the PPTX."""

    key: str
    title: str
    message: str
    note: str
    subtitle: str = ""
    figure: Figure | None = None
    tiles: tuple[Tile, ...] = ()
    cards: tuple[Card, ...] = ()
    more: str = ""
    link: str | None = None  # the closing slide's self-serve address (its QR code)


@dataclass(frozen=True)
class Deck:
    """The slides in order, with what every page's footer says."""

    slides: tuple[Slide, ...]
    scope: str  # the filter in words
    k: int
    lang: str
    badge: str = ""  # «Filtro: Settore = Manifattura» when the deck is narrowed by filters

    def footer(self) -> str:
        """The filter in words and the privacy promise, under every slide."""
        return t("deck.footer", self.lang, scope=self.scope, k=self.k)

    def position(self, index: int) -> str:
        """'Osservatorio CX · Club CMMC · 3 di 9' for the slide at `index` (0-based)."""
        where = t("deck.position", self.lang, i=index + 1, n=len(self.slides))
        return f"{t('deck.kicker', self.lang)} · {where}"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height

