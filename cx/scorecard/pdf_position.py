"""The scorecard PDF's second page: where the company stands and how it moved (the standing
table, the maturity percentiles, the gap bar per pillar, the practices beside the peers') and
the radar's values listed. Pure: bytes in memory through `cx.scorecard.pdf_layout`."""

from __future__ import annotations

import pandas as pd
from fpdf.enums import XPos, YPos

from cx.charts.gaps import gap_chart
from cx.charts.radar import legend_values
from cx.charts.titles import Titles
from cx.i18n import t
from cx.scorecard import tables
from cx.scorecard.card import Scorecard
from cx.scorecard.figures import pillar_axes, radar_names
from cx.scorecard.pdf_layout import BRAND, CONTENT_W, MARGIN, MUTED, Pdf, png

STANDING_WIDTHS = (0.15, 0.13, 0.15, 0.165, 0.15, 0.165, 0.09)
PRACTICE_WIDTHS = (0.34, 0.12, 0.27, 0.27)
BOTTOM = 285.0  # a block that would start below this, less its height, goes on a new page


def _room(pdf: Pdf, y: float, height: float) -> float:
    """Where a block of `height` mm starts: here, or at the top of a new page."""
    if y + height <= BOTTOM:
        return y
    pdf.add_page()
    return MARGIN


def _heading(pdf: Pdf, y: float, text: str) -> float:
    pdf.style(10.5, True, BRAND)
    pdf.line_at(MARGIN, y, CONTENT_W, 5, text)
    return y + 6


def _note(pdf: Pdf, y: float, text: str, size: float = 7.5) -> float:
    pdf.style(size, colour=MUTED)
    pdf.set_xy(MARGIN, y)
    pdf.multi_cell(CONTENT_W, size * 0.45, text, align="L", new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    return pdf.get_y() + 1


def _table(pdf: Pdf, y: float, frame: pd.DataFrame, widths: tuple[float, ...]) -> float:
    pdf.set_xy(MARGIN, y)
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    pdf.style(6)
    aligns = ("LEFT", *("RIGHT",) * (len(widths) - 1))
    with pdf.table(col_widths=tuple(w * CONTENT_W for w in widths), width=CONTENT_W,
                   align="LEFT", line_height=3.2, text_align=aligns, padding=0.6,
                   borders_layout="HORIZONTAL_LINES") as table:
        for values in [list(frame.columns), *frame.astype(str).to_numpy().tolist()]:
            row = table.row()
            for value in values:
                row.cell(value)
    return pdf.get_y() + 1.5


def _gaps(pdf: Pdf, card: Scorecard, label: str, lang: str, y: float) -> float:
    gaps = tables.gap_frame(card, lang)
    if gaps.empty:
        return _note(pdf, y, t("scorecard.position.gap_none", lang, k=card.k))
    titles = Titles(t("scorecard.position.gap_title", lang),
                    t("scorecard.position.gap_subtitle", lang, company=label), lang)
    chart = gap_chart(gaps, t("scorecard.position.gap_axis", lang), titles, width=380)
    y = _room(pdf, y, 62)
    image = pdf.image(png(chart), x=MARGIN, y=y, w=CONTENT_W * 0.62)
    return y + float(image.rendered_height) + 1


def _radar_values(pdf: Pdf, card: Scorecard, label: str, lang: str, y: float) -> float:
    lines = legend_values(card.radar, radar_names(label, lang), pillar_axes(lang))
    if not lines:
        return y
    y = _heading(pdf, _room(pdf, y, 30), t("scorecard.position.radar_values", lang))
    return _note(pdf, y, "\n".join(lines), 7)


def position_page(pdf: Pdf, card: Scorecard, label: str, lang: str) -> None:
    """The second page, when the card carries its position."""
    if card.position is None:
        return
    pdf.add_page()
    y = _heading(pdf, MARGIN, f"{t('scorecard.position.pdf_title', lang)} · {label}")
    y = _note(pdf, y, t("scorecard.position.intro", lang))
    pdf.style(8.5, True)
    pdf.set_xy(MARGIN, y)
    pdf.multi_cell(CONTENT_W, 4, f"{t('scorecard.position.percentile_title', lang)}: "
                   + " · ".join(tables.percentile_lines(card, lang)), align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = _table(pdf, pdf.get_y() + 1.5, tables.standing_table(card, lang), STANDING_WIDTHS)
    y = _note(pdf, y, tables.moves_note(card, lang))
    y = _gaps(pdf, card, label, lang, y)
    y = _heading(pdf, _room(pdf, y, 70), t("scorecard.position.practices_title", lang))
    y = _table(pdf, y, tables.practice_table(card, lang), PRACTICE_WIDTHS)
    y = _note(pdf, y, t("scorecard.position.practices_note", lang))
    _radar_values(pdf, card, label, lang, y + 1)
