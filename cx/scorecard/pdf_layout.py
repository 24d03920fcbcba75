"""The scorecard PDF's page: A4, bundled Liberation Sans, its margins, colours and text helpers,
and charts as PNG (vl-convert). Shared by the scorecard's pages (`cx.scorecard.pdf`,
`cx.scorecard.pdf_position`). Pure: bytes in memory, no file system but the bundled fonts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from cx import charts
from cx.charts.export import Chart

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FAMILY = "LiberationSans"
PAGE_W, MARGIN = 210.0, 12.0
CONTENT_W = PAGE_W - 2 * MARGIN
INK, MUTED, WARN, BRAND = (26, 26, 26), (90, 90, 90), (213, 94, 0), (11, 79, 138)
BABEL = {"it": "it_IT", "en": "en_GB"}


class Place(NamedTuple):
    """Where a block sits on the page: its top-left corner and its width (mm)."""

    x: float
    y: float
    w: float


class Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(False)  # each page laid out: nothing spills onto the next
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FAMILY, "", str(FONTS / "LiberationSans-Regular.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "LiberationSans-Bold.ttf"))

    def style(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)

    def line_at(self, x: float, y: float, w: float, h: float, text: str) -> None:
        self.set_xy(x, y)
        self.cell(w, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fitted(self, place: Place, text: str, size: float, bold: bool) -> None:
        """One line of text, shrunk until it fits the place's width (long company names)."""
        while size > 8 and self._width(text, size, bold) > place.w:
            size -= 0.5
        self.style(size, bold)
        self.line_at(place.x, place.y, place.w, size * 0.45, text)

    def _width(self, text: str, size: float, bold: bool) -> float:
        self.set_font(FAMILY, "B" if bold else "", size)
        return self.get_string_width(text)


def png(chart: Chart) -> io.BytesIO:
    return io.BytesIO(charts.to_png(chart, scale=2))
