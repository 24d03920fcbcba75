"""Where things sit on a 16:9 slide, shared by the PDF and the PowerPoint so that both look
alike: a 1280 × 720 px canvas (96 px to the inch: PowerPoint's 13⅓ × 7½ in widescreen), text
measured with the bundled Liberation Sans, which has Arial's metrics. Pure.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

from fpdf import FPDF

from cx.deck.content import Card, Slide, Tile

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FAMILY = "LiberationSans"
CANVAS_W, CANVAS_H = 1280, 720
MARGIN = 56
CONTENT_W = CANVAS_W - 2 * MARGIN
TOP = 26
FOOTER_Y = 688
GAP = 18
LEADING = 1.22  # line height / font size
PT = 0.75  # points per px at 96 px to the inch
INK, MUTED, BRAND, PANEL = "#1A1A1A", "#5A5A5A", "#0B4F8A", "#F2F6FA"
CARD_NAME_SIZES = (30, 26, 22, 19)
TRAIT_SIZES = (24, 22, 20, 18, 16, 15, 14, 13, 12)
TRAIT_GAP = 10
_MEASURE = threading.Lock()


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Text:
    """A block of text already broken into lines, at its size (px) and place."""

    box: Box
    lines: tuple[str, ...]
    size: float
    bold: bool = False
    colour: str = INK

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class TextStyle:
    """How a block of text is set: the sizes (px) to try, largest first, the lines it may take
    at one of them, its weight and colour."""

    sizes: tuple[float, ...]
    max_lines: int = 1
    bold: bool = False
    colour: str = INK


@dataclass(frozen=True)
class Spot:
    """Where a block of text starts (its top, px) and, unless it spans the content, its left
    edge and width."""

    y: float
    x: float = MARGIN
    w: float = CONTENT_W


KICKER = TextStyle((15,), colour=MUTED)
FOOTER = TextStyle((12,), 2, colour=MUTED)
TITLE = TextStyle((40, 36, 32), bold=True)
MESSAGE = TextStyle((26, 23, 20), 2, colour=BRAND)
COVER_TITLE = TextStyle((56, 50, 44), 2, bold=True)
COVER_SUBTITLE = TextStyle((24, 21), 2, colour=MUTED)
COVER_MESSAGE = TextStyle((30, 26, 22), 3, colour=BRAND)
TILE_LABEL = TextStyle((20, 18), bold=True, colour=MUTED)
TILE_VALUE = TextStyle((64, 54, 44), bold=True, colour=BRAND)
TILE_CAPTION = TextStyle((16,), 2, colour=MUTED)
CARD_SHARE = TextStyle((17, 15, 13), colour=MUTED)
CARD_SCORES = TextStyle((22, 19, 17, 15), bold=True)
MORE = TextStyle((16,), colour=MUTED)  # the personas left off the cards
LINK = TextStyle((26, 22, 18), bold=True, colour=BRAND)  # the closing slide's address


@dataclass(frozen=True)
class Layout:
    kicker: Text
    title: Text
    subtitle: Text | None
    message: Text
    body: Box
    footer: Text


@lru_cache(maxsize=1)
def _measurer() -> FPDF:
    pdf = FPDF(unit="pt", format=(CANVAS_W * PT, CANVAS_H * PT))
    pdf.add_font(FAMILY, "", str(FONTS / "LiberationSans-Regular.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "LiberationSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def wrap(text: str, size: float, width: float, bold: bool = False) -> tuple[str, ...]:
    """The lines `text` breaks into at `size` px in a box `width` px wide."""
    plain = text.replace("**", "")
    with _MEASURE:  # one shared measuring document; sessions build decks in parallel
        pdf = _measurer()
        pdf.set_font(FAMILY, "B" if bold else "", size * PT)
        # fpdf types every output mode alike: output="LINES" gives the lines alone
        lines = cast(list[str], pdf.multi_cell(width * PT, text=plain, dry_run=True,
                                               output="LINES"))
    return tuple(lines) or ("",)


def fitted(text: str, style: TextStyle, spot: Spot) -> Text:
    """`text` at the largest of the style's sizes that fits in its lines, else at the
    smallest."""
    for size in style.sizes:
        lines = wrap(text, size, spot.w, style.bold)
        if len(lines) <= style.max_lines:
            break
    return Text(Box(spot.x, spot.y, spot.w, len(lines) * size * LEADING), lines, size,
                style.bold, style.colour)


def layout(slide: Slide, kicker: str, footer: str) -> Layout:
    """Kicker, title, message and the body box below them (the title slide is centred)."""
    top = fitted(kicker, KICKER, Spot(TOP))
    foot = fitted(footer, FOOTER, Spot(FOOTER_Y))
    if slide.key == "title":
        return _title_layout(slide, top, foot)
    title = fitted(slide.title, TITLE, Spot(top.box.bottom + 14))
    message = fitted(slide.message, MESSAGE, Spot(title.box.bottom + 10))
    body_top = message.box.bottom + GAP + 4
    return Layout(top, title, None, message,
                  Box(MARGIN, body_top, CONTENT_W, FOOTER_Y - GAP - body_top), foot)


def _title_layout(slide: Slide, kicker: Text, footer: Text) -> Layout:
    title = fitted(slide.title, COVER_TITLE, Spot(200))
    subtitle = fitted(slide.subtitle, COVER_SUBTITLE, Spot(title.box.bottom + 18))
    message = fitted(slide.message, COVER_MESSAGE, Spot(subtitle.box.bottom + 36))
    return Layout(kicker, title, subtitle, message, Box(MARGIN, message.box.bottom, 0, 0), footer)


def fit(box: Box, width: float, height: float) -> Box:
    """The largest box of this aspect ratio inside `box`, centred across, at its top."""
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    return Box(box.x + (box.w - w) / 2, box.y, w, h)


def grid(box: Box, count: int, columns: int, gap: float = 24) -> list[Box]:
    """`count` equal cells in rows of `columns`, filling `box`."""
    if count == 0:
        return []
    rows = -(-count // columns)
    w = (box.w - gap * (columns - 1)) / columns
    h = (box.h - gap * (rows - 1)) / rows
    return [Box(box.x + (i % columns) * (w + gap), box.y + (i // columns) * (h + gap), w, h)
            for i in range(count)]


def qr_box(body: Box) -> Box:
    """The closing slide's QR code: a square centred in the body, room for the address below."""
    side = min(body.h - 44, 330)
    return Box(body.x + (body.w - side) / 2, body.y, side, side)


def card_boxes(body: Box, count: int, more: bool) -> list[Box]:
    """The personas' cards side by side (a line for the smaller personas below them)."""
    area = Box(body.x, body.y, body.w, body.h - (34 if more else 0))
    return grid(area, count, count, gap=20)


def tile_parts(tile: Tile, box: Box) -> tuple[Text, Text, Text]:
    """A key number's label, value and caption inside its panel."""
    x, y, w = box.x + 22, box.y + 18, box.w - 44
    return (fitted(tile.label, TILE_LABEL, Spot(y, x, w)),
            fitted(tile.value, TILE_VALUE, Spot(y + 34, x, w)),
            fitted(tile.caption, TILE_CAPTION, Spot(y + 118, x, w)))


@dataclass(frozen=True)
class CardParts:
    name: Text
    share: Text
    scores: Text | None
    traits: Box  # the traits, one paragraph each, TRAIT_GAP px apart


def card_parts(card: Card, box: Box, name_size: float, name_lines: int) -> CardParts:
    """A persona card's name, size, scores, and the box its traits fill (names at one size and
    `name_lines` tall on every card, so that the cards' lines start level)."""
    x, w = box.x + 16, box.w - 32
    lines = wrap(card.name, name_size, w, bold=True)
    name = Text(Box(x, box.y + 22, w, name_lines * name_size * LEADING), lines, name_size, True)
    share = fitted(card.share, CARD_SHARE, Spot(name.box.bottom + 6, x, w))
    scores = fitted(card.scores, CARD_SCORES, Spot(share.box.bottom + 8, x, w)) \
        if card.scores else None
    top = (scores or share).box.bottom + TRAIT_GAP
    return CardParts(name, share, scores, Box(x, top, w, box.bottom - top - 12))


@dataclass(frozen=True)
class CardsStyle:
    name_size: float
    name_lines: int
    trait_size: float


def cards_style(cards: tuple[Card, ...], boxes: list[Box]) -> CardsStyle:
    """One size for every card's name (the largest at which each fits on two lines) and for
    every card's traits (the largest at which each card's traits fit)."""
    width = boxes[0].w - 32
    name_size = next((size for size in CARD_NAME_SIZES
                      if all(len(wrap(c.name, size, width, True)) <= 2 for c in cards)),
                     CARD_NAME_SIZES[-1])
    lines = max(len(wrap(c.name, name_size, width, True)) for c in cards)
    areas = [card_parts(c, b, name_size, lines).traits for c, b in zip(cards, boxes)]
    size = min(trait_size(c.traits, a.w, a.h) for c, a in zip(cards, areas))
    return CardsStyle(name_size, lines, min(size, name_size - 2))


def trait_size(traits: tuple[str, ...], width: float, height: float) -> float:
    """The largest font size (px) at which a card's traits fit in `height`."""
    for size in TRAIT_SIZES:
        lines = sum(len(wrap(trait, size, width)) for trait in traits)
        if lines * size * LEADING + TRAIT_GAP * (len(traits) - 1) <= height:
            return size
    return TRAIT_SIZES[-1]
