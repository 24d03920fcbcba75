"""The storyline as a PowerPoint file (python-pptx): one 16:9 slide per slide, laid out like the
PDF, titles and messages as real text (Arial, which Liberation Sans matches), charts and the QR
code as PNG pictures, the speaker note in the notes pane. Pure: bytes in memory.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as PptxPresentation
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.text.text import _Paragraph
from pptx.util import Emu, Pt

from cx.deck import layout as lay
from cx.deck.closing import qr_png
from cx.deck.content import Card, Deck, Slide, Tile, png_size
from cx.deck.layout import PT, Box, Text

EMU_PER_PX = 9525  # 914 400 EMU to the inch, 96 px to the inch
FONT = "Arial"
TITLE_ONLY = 5  # the default template's "Title Only" layout
LANGUAGE = {"it": MSO_LANGUAGE_ID.ITALIAN, "en": MSO_LANGUAGE_ID.ENGLISH_UK}
_BOLD = re.compile(r"(\*\*[^*]+\*\*)")


@dataclass(frozen=True)
class ParagraphStyle:
    """How a text frame's paragraphs are set: size (px), colour, weight, alignment, and the
    space (px) before every paragraph but the first."""

    size: float
    colour: str = lay.INK
    bold: bool = False
    align: PP_ALIGN = PP_ALIGN.LEFT
    space: float = 0


def _emu(px: float) -> Emu:
    return Emu(round(px * EMU_PER_PX))


def _rgb(colour: str) -> RGBColor:
    # python-pptx leaves from_string unannotated
    rgb: RGBColor = RGBColor.from_string(colour.lstrip("#"))  # type: ignore[no-untyped-call]
    return rgb


def _frame(shape: Shape, box: Box) -> None:
    """Place a shape and make its text frame wrap inside it with no inset."""
    shape.left, shape.top, shape.width, shape.height = (_emu(box.x), _emu(box.y), _emu(box.w),
                                                        _emu(box.h))
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0


def _runs(paragraph: _Paragraph, text: str, style: ParagraphStyle, lang: str) -> None:
    """`text` as runs, the **marked** parts in bold."""
    for part in _BOLD.split(text):
        if not part:
            continue
        run = paragraph.add_run()
        run.text = part.strip("*") if part.startswith("**") else part
        font = run.font
        font.name, font.size, font.color.rgb = FONT, Pt(style.size * PT), _rgb(style.colour)
        font.bold = style.bold or part.startswith("**")
        font.language_id = LANGUAGE.get(lang, MSO_LANGUAGE_ID.ITALIAN)


def _write(shape: Shape, paragraphs: list[str], style: ParagraphStyle, lang: str) -> None:
    tf = shape.text_frame
    for i, text in enumerate(paragraphs):
        paragraph = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        paragraph.alignment = style.align
        # exactly the PDF's line height
        paragraph.line_spacing = Pt(style.size * lay.LEADING * PT)
        if i:
            paragraph.space_before = Pt(style.space * PT)
        _runs(paragraph, text, style, lang)


def _text(slide: PptxSlide, block: Text, lang: str, align: PP_ALIGN = PP_ALIGN.LEFT) -> None:
    shape = slide.shapes.add_textbox(Emu(0), Emu(0), Emu(0), Emu(0))
    _frame(shape, Box(block.box.x, block.box.y, block.box.w, block.box.h + 4))
    _write(shape, [block.text], ParagraphStyle(block.size, block.colour, block.bold, align),
           lang)


def _rect(slide: PptxSlide, box: Box, colour: str) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(box.x), _emu(box.y), _emu(box.w),
                                   _emu(box.h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _picture(slide: PptxSlide, png: bytes, box: Box) -> None:
    slide.shapes.add_picture(io.BytesIO(png), _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))


def _tile(slide: PptxSlide, tile: Tile, box: Box, lang: str) -> None:
    _rect(slide, box, lay.PANEL)
    for part in lay.tile_parts(tile, box):
        _text(slide, part, lang)


def _card(slide: PptxSlide, card: Card, box: Box, style: lay.CardsStyle, lang: str) -> None:
    _rect(slide, box, lay.PANEL)
    _rect(slide, Box(box.x, box.y, box.w, 8), card.colour)
    parts = lay.card_parts(card, box, style.name_size, style.name_lines)
    for block in (parts.name, parts.share, parts.scores):
        if block is not None:
            _text(slide, block, lang)
    shape = slide.shapes.add_textbox(Emu(0), Emu(0), Emu(0), Emu(0))
    _frame(shape, parts.traits)
    _write(shape, list(card.traits), ParagraphStyle(style.trait_size, space=lay.TRAIT_GAP),
           lang)


def _body(slide: PptxSlide, s: Slide, body: Box, lang: str) -> None:
    if s.figure is not None:
        png = s.figure.png(scale=2.5)
        _picture(slide, png, lay.fit(body, *png_size(png)))
    for tile, box in zip(s.tiles, lay.grid(body, len(s.tiles), 3)):
        _tile(slide, tile, box, lang)
    if s.cards:
        boxes = lay.card_boxes(body, len(s.cards), bool(s.more))
        style = lay.cards_style(s.cards, boxes)
        for card, box in zip(s.cards, boxes):
            _card(slide, card, box, style, lang)
        if s.more:
            _text(slide, lay.fitted(s.more, lay.MORE, lay.Spot(body.bottom - 22, w=body.w)),
                  lang)
    if s.link:
        square = lay.qr_box(body)
        _picture(slide, qr_png(s.link), square)
        _text(slide, lay.fitted(s.link, lay.LINK, lay.Spot(square.bottom + 10, w=body.w)), lang,
              PP_ALIGN.CENTER)


def _title(slide: PptxSlide, block: Text, lang: str) -> None:
    """The layout's title placeholder, so that outlines and screen readers find the title."""
    shape = slide.shapes.title
    assert shape is not None  # the "Title Only" layout has a title placeholder
    _frame(shape, Box(block.box.x, block.box.y, block.box.w, block.box.h + 4))
    shape.text_frame.text = ""
    _write(shape, [block.text], ParagraphStyle(block.size, block.colour, True), lang)


def _footer(slide: PptxSlide, block: Text, lang: str) -> None:
    y = block.box.y - 8
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, _emu(lay.MARGIN), _emu(y),
                                      _emu(lay.CANVAS_W - lay.MARGIN), _emu(y))
    line.line.color.rgb = _rgb(lay.BRAND)
    line.line.width = Pt(2)
    _text(slide, block, lang)


def add_slide(prs: PptxPresentation, s: Slide, position: str, footer: str, lang: str) -> None:
    """One slide: kicker, title, message, body, footer, and the speaker note."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    frame = lay.layout(s, position, footer)
    _text(slide, frame.kicker, lang)
    _title(slide, frame.title, lang)
    if frame.subtitle is not None:
        _text(slide, frame.subtitle, lang)
    _text(slide, frame.message, lang)
    _body(slide, s, frame.body, lang)
    _footer(slide, frame.footer, lang)
    slide.notes_slide.notes_text_frame.text = s.note


def deck_pptx(deck: Deck) -> bytes:
    """The storyline as PPTX bytes, one slide per slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(lay.CANVAS_W), _emu(lay.CANVAS_H)
    prs.core_properties.title = deck.slides[0].title
    prs.core_properties.author = "Club CMMC · Osservatorio CX"
    prs.core_properties.language = deck.lang
    for i, s in enumerate(deck.slides):
        add_slide(prs, s, deck.position(i), deck.footer(), deck.lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
