"""The deck's slides as phone-sized PNG images: the PDF of `python -m cx deck` (the one slide
renderer, charts through vl-convert) rasterised page by page with PDFium, then reduced to a
palette (flat colours and text: a quarter of the bytes, no visible loss). No Streamlit."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from cx.deck.content import Deck
from cx.deck.pdf import deck_pdf

WIDTH = 1280  # px: sharp on a phone's 3× screen (390 css px), a fraction of a full slide's


def slide_pngs(deck: Deck, width: int = WIDTH) -> list[bytes]:
    """One PNG per slide, `width` pixels wide, in the deck's order."""
    document = pdfium.PdfDocument(deck_pdf(deck))
    try:
        return [_png(document[i], width) for i in range(len(document))]
    finally:
        document.close()


def _png(page: pdfium.PdfPage, width: int) -> bytes:
    image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
    page.close()
    buf = io.BytesIO()
    palette = image.quantize(256, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def write_png(path: Path, png: bytes) -> None:
    """Write one slide image (its own function: the tests make it fail mid-build)."""
    path.write_bytes(png)
