"""The Presentazione page's Streamlit layer: the deck cached per view (its language too), the
controls (back and next, the slide number in the URL, speaker notes, PDF and PowerPoint) and
each slide drawn large. Companies are never named here, whoever is looking.

The slide is designed for a 1280 × 720 screen; larger screens zoom the whole slide (static CSS
below), as a projector scales a presentation. Charts have fixed widths: a zoomed chart must not
measure its container.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import streamlit as st

from cx import config
from cx.charts.theme import CATEGORICAL
from cx.companies import Peers
from cx.deck.closing import qr_png
from cx.deck.content import Deck, Slide
from cx.deck.data import deck_inputs
from cx.deck.drivers import DRIVERS, OUTCOME
from cx.deck.inputs import DEFAULT_PUBLIC_URL
from cx.deck.storyline import build_deck
from cx.drivers.data import CLUB
from cx.drivers.model import Analysis
from cx.journey import Journey
from cx.overview import Overview
from cx.personas.report import PersonaReport, TooFew
from cx.questionnaire import Questionnaire, questionnaire
from cx.ui import companies, coverage, data, personas, state, widgets
from cx.ui import drivers as drivers_ui
from cx.ui import journey as journey_ui
from cx.view import View

PAGE_FONT = '"Source Sans", sans-serif'  # Streamlit's own: the chart's text matches the slide's
# persona cards' type (rem: name, traits, captions) by how many share the slide
CARD_TYPE = {1: (2.0, 1.45, 1.1), 2: (2.0, 1.45, 1.1), 3: (2.0, 1.45, 1.1), 4: (1.7, 1.3, 1.0),
             5: (1.5, 1.15, 0.95)}
# zoom steps: min(width / 1280, height / 720), rounded down
ZOOMS = ((1440, 810, 1.125), (1600, 900, 1.25), (1920, 1080, 1.5), (2560, 1440, 2.0),
         (3840, 2160, 3.0))
BASE_STYLE = """
[data-testid="stMainBlockContainer"] { padding: 1.1rem 3.5rem 0.4rem; max-width: none; }
.st-key-deck_canvas { gap: 0.75rem; --deck-zoom: 1; zoom: var(--deck-zoom);
  min-height: calc(100vh / var(--deck-zoom) - 1.6rem); }
.st-key-deck_canvas > div:has(> :is(.st-key-deck_footer, .st-key-deck_note, .st-key-deck_title)) {
  margin-top: auto; }
.st-key-deck_canvas [data-testid="stElementToolbar"] { display: none; }
.st-key-deck_canvas [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
.st-key-deck_canvas [data-testid="stMarkdownContainer"] > :last-child { margin-bottom: 0; }
.st-key-deck_canvas h1 { font-size: 2.5rem; line-height: 1.2; padding: 0; }
.st-key-deck_bar p { font-size: 0.95rem; color: #5A5A5A; }
.st-key-deck_message { margin-bottom: 0.5rem; }
.st-key-deck_message p { font-size: 1.6rem; line-height: 1.3; color: #0B4F8A; margin: 0; }
.st-key-deck_figure [data-testid="stVegaLiteChart"] { zoom: 1.5; }
.st-key-deck_figure_square [data-testid="stVegaLiteChart"] { zoom: 1.45; }
.st-key-deck_tiles [data-testid="stMetricLabel"] p { font-size: 1.35rem; font-weight: 600; }
.st-key-deck_tiles [data-testid="stMetricValue"] { font-size: 4.4rem; color: #0B4F8A; }
.st-key-deck_tiles [data-testid="stCaptionContainer"] p { font-size: 1rem; }
.st-key-deck_title h1 { font-size: 3.4rem; }
.st-key-deck_subtitle p { font-size: 1.45rem; color: #5A5A5A; }
.st-key-deck_title .st-key-deck_message p { font-size: 1.9rem; }
.st-key-deck_link p { font-size: 1.6rem; font-weight: 700; color: #0B4F8A; }
.st-key-deck_body_compact [data-testid="stVegaLiteChart"] { zoom: 1.05 !important; }
.st-key-deck_body_compact [data-testid="stMetricValue"] { font-size: 2.6rem !important; }
.st-key-deck_body_compact [data-testid="stImage"] img { width: 170px !important; }
.st-key-deck_body_compact h3 { font-size: 1.25rem !important; }
.st-key-deck_body_compact [data-testid="stMarkdownContainer"] :is(p, li) {
  font-size: 1rem !important; }
.st-key-deck_note p { font-size: 1rem; line-height: 1.35; }
.st-key-deck_footer p { font-size: 0.8rem; color: #5A5A5A; margin: 0; }
.st-key-deck_first, .st-key-deck_last, div:has(> .st-key-deck_hidden) { display: none; }
.st-key-deck_badge { background: #E8F0F8; border-radius: 0.4rem; padding: 0 0.5rem; }
.st-key-deck_footer .st-key-deck_badge p { font-size: 0.8rem; font-weight: 700; color: #0B4F8A; }
.st-key-deck_mini { zoom: 0.55; }
.st-key-deck_notes_button button[kind="secondary"] {
  background: #0B4F8A; border-color: #0B4F8A; }
.st-key-deck_notes_button button[kind="secondary"] :is(p, span) { color: #FFFFFF; }
.st-key-deck_qr_warning p { color: #8A4500; font-weight: 600; }
.st-key-deck_presenter_note p { font-size: 1.15rem; line-height: 1.45; }
"""
# a phone following along (≤ 640 px): tiles stack, type and charts shrink, the bar wraps
PHONE_STYLE = """
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 0.6rem 0.75rem 0.4rem; }
  .st-key-deck_canvas { min-height: auto; }
  .st-key-deck_bar { flex-wrap: wrap; row-gap: 0.25rem; }
  .st-key-deck_canvas h1 { font-size: 1.6rem; }
  .st-key-deck_title h1 { font-size: 2rem; }
  .st-key-deck_message p, .st-key-deck_title .st-key-deck_message p { font-size: 1.15rem; }
  .st-key-deck_subtitle p { font-size: 1.05rem; }
  .st-key-deck_figure [data-testid="stVegaLiteChart"] { zoom: 0.45; }
  .st-key-deck_figure_square [data-testid="stVegaLiteChart"] { zoom: 0.6; }
  .st-key-deck_tiles [data-testid="stMetricValue"] { font-size: 2.4rem; }
  .st-key-deck_tiles [data-testid="stMetricLabel"] p { font-size: 1.05rem; }
  [class*="st-key-deck_cards_"] h3 { font-size: 1.3rem !important; min-height: 0 !important; }
  [class*="st-key-deck_cards_"] [data-testid="stMarkdownContainer"] :is(p, li) {
    font-size: 1rem !important; }
  .st-key-deck_link img { width: 200px !important; }
  .st-key-deck_link p { font-size: 1.1rem; word-break: break-all; }
  .st-key-deck_mini { zoom: 0.4; }
}
"""


def _deck_css() -> str:
    """The deck's CSS: the base rules, the persona cards' type and colours, the zoom steps."""
    cards = "".join(
        f".st-key-deck_cards_{n} h3 {{ font-size: {name}rem; line-height: 1.2; "
        f"min-height: {2.4 if n > 2 else 0}em; }}\n"  # narrow cards: names on two lines
        f".st-key-deck_cards_{n} [data-testid='stMarkdownContainer'] :is(p, li) "
        f"{{ font-size: {text}rem; line-height: 1.28; }}\n"
        f".st-key-deck_cards_{n} [data-testid='stCaptionContainer'] p "
        f"{{ font-size: {small}rem; }}\n"
        for n, (name, text, small) in CARD_TYPE.items())
    colours = "".join(f".st-key-deck_card_{i} {{ border-top: 8px solid {colour} !important; }}\n"
                      for i, colour in enumerate(CATEGORICAL))
    zooms = "".join(f"@media (min-width: {w}px) and (min-height: {h}px) "
                    f"{{ .st-key-deck_canvas {{ --deck-zoom: {z}; }} }}\n" for w, h, z in ZOOMS)
    return f"<style>{BASE_STYLE}{cards}{colours}{zooms}{PHONE_STYLE}</style>"


STYLE = _deck_css()


@dataclass(frozen=True)
class _CachedSource:
    """The deck's pieces through the caches the other pages share (a `cx.deck.data.Source`),
    each keyed on the view's rules: none on the language."""

    db: str
    data_version: int

    @property
    def qn(self) -> Questionnaire:
        return questionnaire()

    def overview(self, rules: View) -> Overview:
        return data.overview(self.db, self.data_version, rules.filters, rules.k)

    def waves(self) -> tuple[int, ...]:
        return tuple(data.waves(self.db, self.data_version))

    def peers(self, rules: View) -> Peers:
        return companies.peers(self.db, self.data_version, rules.filters, rules.k)

    def personas(self, rules: View, personas_k: int | None) -> PersonaReport | TooFew | None:
        chosen = personas.K_AUTO if personas_k is None else str(personas_k)
        return personas.report(self.db, self.data_version, rules, chosen)

    def journey(self, rules: View) -> Journey:
        return journey_ui.journey(self.db, self.data_version, rules)

    def drivers(self, rules: View) -> Analysis:
        return drivers_ui.analysis(self.db, self.data_version, rules, OUTCOME, DRIVERS, CLUB)


# Shared, not copied (a Deck is frozen): a room opening the deck does not unpickle one each
@st.cache_resource(max_entries=32, show_spinner=False)
def deck(db: str, data_version: int, view: View, personas_k: str, public_url: str) -> Deck:
    """The storyline of a view, written in its language (`personas_k` as in ?personas=). Its
    figures come from the language-free caches the other pages share: switching language
    writes the slides again, it does not compute them again."""
    manual = None if personas_k == personas.K_AUTO else int(personas_k)
    inputs = deck_inputs(_CachedSource(db, data_version), view, manual, public_url)
    inputs = replace(inputs, member_mix=coverage.has_mix(db, data_version))  # «non pesati»
    return build_deck(inputs, view.lang)


def personas_k() -> str:
    """The number of personas as the Buyer Personas page sets it (?personas=), else automatic."""
    state.bind_url(personas.K_KEY, personas.K_CODES, personas.K_AUTO)
    return str(st.session_state.get(personas.K_KEY) or personas.K_AUTO)


def public_url() -> str:
    """What the QR code opens: `CX_FOLLOW_URL` (the static follow-along page, which holds a
    crowd), else `CX_PUBLIC_URL`, else the address this browser opened the app at."""
    configured = config.qr_url()
    if configured:
        return configured
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc \
        else DEFAULT_PUBLIC_URL


def style() -> None:
    """The deck's look (static CSS: no data in it)."""
    st.html(STYLE)


def _figure(slide: Slide) -> None:
    fig = slide.figure
    assert fig is not None  # drawn only for a slide with a figure
    spec = fig.sized(widgets.spec(fig.builder, *fig.args, **dict(fig.kwargs)))
    spec["config"] = {**spec.get("config", {}), "font": PAGE_FONT}
    key = "deck_figure_square" if fig.square else "deck_figure"
    with st.container(key=key, horizontal_alignment="center"):
        # the theme off: the stage shows the chart exactly as the PDF and the PowerPoint do
        st.vega_lite_chart(spec, width="content", theme=None, key=f"deck_chart_{slide.key}")


def _tiles(slide: Slide) -> None:
    with st.container(key="deck_tiles"):
        columns = st.columns(3, gap="medium")
        for i, tile in enumerate(slide.tiles):
            with columns[i % 3], st.container(border=True):
                st.metric(tile.label, tile.value)
                st.caption(widgets.literal(tile.caption))


def _cards(slide: Slide) -> None:
    with st.container(key=f"deck_cards_{len(slide.cards)}"):
        columns = st.columns(len(slide.cards), gap="small")
        for i, (column, card) in enumerate(zip(columns, slide.cards)):
            with column, st.container(border=True, key=f"deck_card_{i}", height="stretch"):
                st.markdown(f"### {widgets.literal(card.name)}")
                st.caption(widgets.literal(card.share))
                if card.scores:
                    st.markdown(f"**{widgets.literal(card.scores)}**")
                # traits are Markdown already (the question in bold), as on the Personas page
                st.markdown("\n".join(f"- {trait}" for trait in card.traits))
        if slide.more:
            st.caption(widgets.literal(slide.more))


def _closing(slide: Slide) -> None:
    with st.container(horizontal_alignment="center", key="deck_link"):
        st.image(qr_png(slide.link or ""), width=300)
        st.markdown(widgets.literal(slide.link or ""), width="content")


def _heading(slide: Slide) -> None:
    st.title(slide.title, anchor=False)
    if slide.subtitle:
        with st.container(key="deck_subtitle"):
            st.markdown(widgets.literal(slide.subtitle))
    with st.container(key="deck_message"):
        st.markdown(widgets.literal(slide.message))


def show(d: Deck, index: int, notes: bool) -> None:
    """One slide: title, message, its chart, numbers, cards or QR code; the note if asked."""
    slide = d.slides[index]
    if slide.key == "title":
        with st.container(key="deck_title"):
            _heading(slide)
    else:
        _heading(slide)
    # with the notes showing, the body shrinks to leave them room (the presenter's view)
    with st.container(key="deck_body_compact" if notes else "deck_body"):
        if slide.figure is not None:
            _figure(slide)
        if slide.tiles:
            _tiles(slide)
        if slide.cards:
            _cards(slide)
        if slide.link:
            _closing(slide)
    if notes:
        with st.container(key="deck_note"):
            st.info(widgets.literal(slide.note), icon=":material/record_voice_over:")
    else:
        # the filter badge beside the footer: no height taken from a slide that fits exactly
        with st.container(key="deck_footer", horizontal=True, vertical_alignment="center",
                          gap="small"):
            if d.badge:  # the audience sees that the figures are a slice, not the Club
                with st.container(key="deck_badge", width="content"):
                    st.markdown(f":material/filter_alt: {widgets.literal(d.badge)}",
                                width="content")
            st.markdown(widgets.literal(d.footer()))
