"""The storyline as a PDF: one 16:9 page per slide (fpdf2, the bundled Liberation Sans, charts
as PNG through vl-convert, the QR code from segno). Pure: bytes in memory, no Streamlit.
"""

from __future__ import annotations

import io

from fpdf import FPDF

from cx.deck import layout as lay
from cx.deck.closing import qr_png
from cx.deck.content import Card, Deck, Slide, Tile, png_size
from cx.deck.layout import PT, Box, Text
from cx.i18n import t


def _rgb(colour: str) -> tuple[int, int, int]:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return red, green, blue


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="pt", format=(lay.CANVAS_H * PT, lay.CANVAS_W * PT))
        self.set_auto_page_break(False)  # a slide never spills onto a second page
        self.set_margins(0, 0, 0)
        self.add_font(lay.FAMILY, "", str(lay.FONTS / "LiberationSans-Regular.ttf"))
        self.add_font(lay.FAMILY, "B", str(lay.FONTS / "LiberationSans-Bold.ttf"))

    def style(self, size: float, bold: bool = False, colour: str = lay.INK) -> None:
        self.set_font(lay.FAMILY, "B" if bold else "", size * PT)
        self.set_text_color(*_rgb(colour))

    def text_block(self, block: Text, align: str = "L") -> None:
        """Lines already broken by the layout, one cell each."""
        self.style(block.size, block.bold, block.colour)
        height = block.size * lay.LEADING
        for i, line in enumerate(block.lines):
            self.set_xy(block.box.x * PT, (block.box.y + i * height) * PT)
            self.cell(block.box.w * PT, height * PT, line, align=align)

    def paragraph(self, box: Box, text: str, size: float, colour: str = lay.INK,
                  markdown: bool = False) -> float:
        """Wrapped text from the top of `box`; returns where it ends (px)."""
        self.style(size, colour=colour)
        self.set_xy(box.x * PT, box.y * PT)
        self.multi_cell(box.w * PT, size * lay.LEADING * PT, text, align="L", markdown=markdown)
        return self.get_y() / PT

    def panel(self, box: Box, colour: str = lay.PANEL) -> None:
        self.set_fill_color(*_rgb(colour))
        self.rect(box.x * PT, box.y * PT, box.w * PT, box.h * PT, style="F")

    def picture(self, png: bytes, box: Box) -> None:
        self.image(io.BytesIO(png), x=box.x * PT, y=box.y * PT, w=box.w * PT, h=box.h * PT)


def _tile(pdf: _Pdf, tile: Tile, box: Box) -> None:
    pdf.panel(box)
    for part in lay.tile_parts(tile, box):
        pdf.text_block(part)


def _card(pdf: _Pdf, card: Card, box: Box, style: lay.CardsStyle) -> None:
    pdf.panel(box)
    pdf.panel(Box(box.x, box.y, box.w, 8), card.colour)
    parts = lay.card_parts(card, box, style.name_size, style.name_lines)
    for block in (parts.name, parts.share, parts.scores):
        if block is not None:
            pdf.text_block(block)
    y = parts.traits.y - lay.TRAIT_GAP
    for trait in card.traits:
        y = pdf.paragraph(Box(parts.traits.x, y + lay.TRAIT_GAP, parts.traits.w, 0), trait,
                          style.trait_size, markdown=True)


def _body(pdf: _Pdf, slide: Slide, body: Box) -> None:
    if slide.figure is not None:
        png = slide.figure.png(scale=2.5)
        width, height = png_size(png)
        pdf.picture(png, lay.fit(body, width, height))
    for tile, box in zip(slide.tiles, lay.grid(body, len(slide.tiles), 3)):
        _tile(pdf, tile, box)
    if slide.cards:
        boxes = lay.card_boxes(body, len(slide.cards), bool(slide.more))
        style = lay.cards_style(slide.cards, boxes)
        for card, box in zip(slide.cards, boxes):
            _card(pdf, card, box, style)
        if slide.more:
            pdf.paragraph(Box(body.x, body.bottom - 22, body.w, 22), slide.more, 16, lay.MUTED)
    if slide.link:
        square = lay.qr_box(body)
        pdf.picture(qr_png(slide.link), square)
        pdf.text_block(lay.fitted(slide.link, lay.LINK, lay.Spot(square.bottom + 10, w=body.w)),
                       align="C")


def draw_slide(pdf: _Pdf, slide: Slide, position: str, footer: str) -> None:
    """One page: kicker and position, title, message, body, footer."""
    pdf.add_page()
    frame = lay.layout(slide, position, footer)
    pdf.text_block(frame.kicker)
    pdf.text_block(frame.title)
    if frame.subtitle is not None:
        pdf.text_block(frame.subtitle)
    pdf.text_block(frame.message)
    _body(pdf, slide, frame.body)
    pdf.set_draw_color(*_rgb(lay.BRAND))
    pdf.set_line_width(2)
    y = (frame.footer.box.y - 8) * PT
    pdf.line(lay.MARGIN * PT, y, (lay.CANVAS_W - lay.MARGIN) * PT, y)
    pdf.text_block(frame.footer)


def deck_pdf(deck: Deck) -> bytes:
    """The storyline as PDF bytes, one page per slide."""
    pdf = _Pdf()
    pdf.set_title(f"{t('deck.kicker', deck.lang)} · {deck.slides[0].title}")
    pdf.set_author("Club CMMC · Osservatorio CX")
    pdf.set_lang(deck.lang)
    for i, slide in enumerate(deck.slides):
        draw_slide(pdf, slide, deck.position(i), deck.footer())
    return bytes(pdf.output())
