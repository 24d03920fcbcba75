"""The one-page PDF scorecard (A4, fpdf2, bundled Liberation Sans, charts as PNG through
vl-convert), in Italian or English. Pure: bytes in memory, no Streamlit, no file system but the
bundled fonts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date
from fpdf.enums import XPos, YPos

from cx import fmt
from cx.charts.titles import Titles
from cx.i18n import t
from cx.scorecard.card import Scorecard
from cx.scorecard.figures import (
    PeerCounts,
    company_pyramid,
    company_radar,
    happy_text,
    indicator_table,
    kpi_table,
    missing_benchmarks,
    next_practice_lines,
    sector_name,
    sector_note,
    weak_foundation_note,
)
from cx.scorecard.pdf_layout import (
    BABEL,
    BRAND,
    CONTENT_W,
    INK,
    MARGIN,
    MUTED,
    PAGE_W,
    WARN,
    Pdf,
    Place,
    png,
)
from cx.scorecard.pdf_position import position_page

RADAR_W = 86.0
FOOTER_Y = 279.0
# from 236 mm (lower when the pyramid's notes push the pillars down): the Buyer Persona
PERSONA_TOP = 236.0


@dataclass(frozen=True)
class PdfContext:
    """What the PDF says about its reader's view: the company as they may see it, the filter
    in words, the day."""

    label: str  # the company's name or its anonymous code, as the reader may see it
    scope: str  # the filter in words (cx.filters.describe_scope)
    lang: str
    today: dt.date
    persona: str | None = None  # cx.personas.text.company_persona_sentence, when there is one


def _header(pdf: Pdf, card: Scorecard, ctx: PdfContext) -> float:
    pdf.style(8.5, colour=MUTED)
    pdf.line_at(MARGIN, MARGIN, CONTENT_W, 4, t("scorecard.pdf.kicker", ctx.lang))
    title = ctx.label if ctx.label == card.code else f"{ctx.label} · {card.code}"
    pdf.fitted(Place(MARGIN, MARGIN + 5, CONTENT_W), title, 20, True)
    date = format_date(ctx.today, "long", locale=BABEL.get(ctx.lang, "it_IT"))
    pdf.style(9.5, colour=MUTED)
    pdf.set_xy(MARGIN, MARGIN + 15)
    pdf.multi_cell(CONTENT_W, 4.5, t("scorecard.pdf.subtitle", ctx.lang, scope=ctx.scope,
                                     n=fmt.number(card.n, ctx.lang)
                                     + fmt.indicative_mark(card.n, ctx.lang),
                                     sector=sector_name(card.sector, ctx.lang), date=date),
                   align="L")
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(0.6)
    pdf.line(MARGIN, MARGIN + 26, PAGE_W - MARGIN, MARGIN + 26)
    return MARGIN + 30


def _box(pdf: Pdf, place: Place, heading: str, big: str, lines: list[str]) -> None:
    x, y, w = place
    pdf.set_fill_color(242, 246, 250)
    pdf.rect(x, y, w, 27, style="F")
    pdf.style(9, True, BRAND)
    pdf.line_at(x + 3, y + 2.5, w - 6, 4.5, heading)
    pdf.style(12.5, True)
    pdf.set_xy(x + 3, y + 7.5)
    pdf.multi_cell(w - 6, 5.5, big, align="L")
    pdf.style(8.5, colour=MUTED)
    pdf.set_x(x + 3)
    pdf.multi_cell(w - 6, 4, " ".join(lines), align="L")


def _maturity(pdf: Pdf, card: Scorecard, ctx: PdfContext, y: float) -> float:
    lang = ctx.lang
    stage = t(f"stage.{card.stage}", lang) if card.stage else "–"
    agg = card.maturity
    big = t("scorecard.pdf.maturity_value", lang, value=fmt.number(agg.value, lang), stage=stage)
    detail = [t("app.n_ci", lang, n=agg.n, ci=fmt.interval(agg.low, agg.high, lang))
              if agg.low is not None else t("app.n_only", lang, n=agg.n)]
    half = (CONTENT_W - 4) / 2
    _box(pdf, Place(MARGIN, y, half), t("scorecard.maturity", lang), big, detail)
    name, lines = next_practice_lines(card, lang)
    _box(pdf, Place(MARGIN + half + 4, y, half), t("scorecard.next_title", lang), name, lines)
    return y + 31


def _pyramid(pdf: Pdf, card: Scorecard, ctx: PdfContext, y: float) -> float:
    image = pdf.image(png(company_pyramid(card, ctx.label, ctx.scope, ctx.lang)),
                      x=MARGIN, y=y, w=CONTENT_W)
    y = y + float(image.rendered_height) + 1
    for note, colour in ((weak_foundation_note(card.weak, ctx.label, ctx.lang), WARN),
                         (sector_note(card, ctx.lang), INK)):
        if note:
            pdf.style(8.5, colour=colour)
            pdf.set_xy(MARGIN, y)
            pdf.multi_cell(CONTENT_W, 4, note.replace("**", ""), align="L")
            y = pdf.get_y()
    return y + 2


def _table(pdf: Pdf, place: Place, heading: str, note: str, frame: pd.DataFrame) -> float:
    x, y, w = place
    pdf.style(10.5, True, BRAND)
    pdf.line_at(x, y, w, 5, heading)
    pdf.set_left_margin(x)
    pdf.set_xy(x, y + 6)
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    pdf.style(8)
    widths = (w * 0.37, w * 0.21, w * 0.21, w * 0.21)
    with pdf.table(col_widths=widths, width=w, align="LEFT", line_height=4.2,
                   text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"), padding=0.8,
                   borders_layout="HORIZONTAL_LINES") as table:
        for values in [list(frame.columns), *frame.astype(str).to_numpy().tolist()]:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.style(7.5, colour=MUTED)
    pdf.set_x(x)
    pdf.multi_cell(w, 3.4, note, align="L")
    pdf.set_left_margin(MARGIN)
    return pdf.get_y() + 3


def _pillars(pdf: Pdf, card: Scorecard, ctx: PdfContext, y: float) -> float:
    lang = ctx.lang
    titles = Titles(t("scorecard.radar_title", lang),
                    t("scorecard.radar_subtitle", lang, company=ctx.label), lang)
    radar = company_radar(card.radar, ctx.label, titles, size=380)
    image = pdf.image(png(radar), x=MARGIN, y=y, w=RADAR_W)
    notes = missing_benchmarks(card.radar, card.sector,
                               PeerCounts(card.k, card.club_companies, card.sector_companies), lang)
    pdf.style(7.5, colour=MUTED)
    pdf.set_xy(MARGIN, y + float(image.rendered_height))
    # under the radar, beside the taller tables: pyramid and pillars are a self-assessment
    for note in [*notes, t("scorecard.self_assessment", lang)]:
        pdf.multi_cell(RADAR_W, 3.4, note, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left = pdf.get_y()
    x = MARGIN + RADAR_W + 5
    w = CONTENT_W - RADAR_W - 5
    below = _table(pdf, Place(x, y + 2, w), t("scorecard.kpis_title", lang),
                   t("scorecard.kpis_note", lang), kpi_table(card, lang))
    right = _table(pdf, Place(x, below, w), t("scorecard.indicators_title", lang),
                   t("scorecard.indicators_note", lang), indicator_table(card, lang))
    value, caption = happy_text(card, lang)
    pdf.style(8, bold=True)
    pdf.set_xy(x, right + 1)
    pdf.multi_cell(w, 3.6, f"{t('scorecard.happy_title', lang)}: {value}", align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.style(7.5, colour=MUTED)
    pdf.set_x(x)
    pdf.multi_cell(w, 3.4, caption, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return max(left, pdf.get_y())


def _persona(pdf: Pdf, ctx: PdfContext, top: float) -> None:
    """The Buyer Persona at PERSONA_TOP, lower when the notes above it took more room."""
    if not ctx.persona:
        return
    top = max(PERSONA_TOP, top)
    pdf.style(11, bold=True, colour=BRAND)
    pdf.line_at(MARGIN, top, CONTENT_W, 6, t("scorecard.persona_title", ctx.lang))
    pdf.style(9)
    pdf.set_xy(MARGIN, top + 7)
    pdf.multi_cell(CONTENT_W, 4.4, ctx.persona, align="L")


def _footer(pdf: Pdf, card: Scorecard, ctx: PdfContext) -> None:
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, FOOTER_Y - 1.5, PAGE_W - MARGIN, FOOTER_Y - 1.5)
    pdf.style(7, colour=MUTED)
    pdf.set_xy(MARGIN, FOOTER_Y)
    pdf.multi_cell(CONTENT_W, 3.2, t("scorecard.pdf.footer", ctx.lang, k=card.k), align="L")


def scorecard_pdf(card: Scorecard, ctx: PdfContext) -> bytes:
    """The company's one-page scorecard as PDF bytes; with its position (where it stands and
    how it moved), a second page for it."""
    pdf = Pdf()
    pdf.set_title(f"{t('scorecard.title', ctx.lang)} · {ctx.label}")
    pdf.set_author("Club CMMC · Osservatorio CX")
    pdf.set_lang(ctx.lang)
    pdf.add_page()
    y = _header(pdf, card, ctx)
    y = _maturity(pdf, card, ctx, y)
    y = _pyramid(pdf, card, ctx, y)
    y = _pillars(pdf, card, ctx, y)
    _persona(pdf, ctx, y + 2)
    _footer(pdf, card, ctx)
    position_page(pdf, card, ctx.label, ctx.lang)  # a second page, beside the one-pager
    return bytes(pdf.output())
