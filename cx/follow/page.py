"""One language's follow-along page as HTML: every slide's image with its title, message,
figures and method note as text below it, the data's date, a language switch and the app's
button. Pure: a string, no I/O. Self-contained: inline CSS, no script, no font or file from
another host, relative links only (served at any prefix)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape

from babel.dates import format_date

from cx.charts.theme import BRAND, MUTED_TEXT
from cx.deck.content import Card, Deck, Slide, Tile
from cx.i18n import t

BABEL = {"it": "it_IT", "en": "en_GB"}
INK, PANEL, LINE = "#1A1A1A", "#F2F5F9", "#C9D3DE"
# mobile first; every colour pair ≥ 4.5:1 (tests/test_follow.py checks them)
STYLE = f"""
*{{box-sizing:border-box}}
body{{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",
Arial,sans-serif;color:{INK};background:#fff;overflow-wrap:anywhere}}
header{{background:{BRAND};color:#fff;padding:.5rem 0 .25rem}}
header a{{color:#fff}}
.top{{display:flex;justify-content:space-between;align-items:center;gap:1rem;font-size:.95rem}}
.top a{{display:inline-block;min-height:44px;padding:.6rem 0}}
h1{{font-size:1.6rem;line-height:1.25;margin:.5rem 0}}
.wrap{{max-width:50rem;margin:0 auto;padding:0 1rem}}
.app{{display:block;text-align:center;font-weight:700;font-size:1.15rem;text-decoration:none;
padding:.9rem 1rem;border-radius:.5rem;margin:1rem 0;background:{BRAND};color:#fff}}
header .app{{background:#fff;color:{BRAND}}}
section{{border-top:1px solid {LINE};padding:1.25rem 0 1.5rem}}
h2{{font-size:1.25rem;line-height:1.3;margin:0 0 .75rem}}
img{{display:block;width:100%;height:auto;border:1px solid {LINE};border-radius:.25rem}}
.msg{{color:{BRAND};font-weight:600;font-size:1.1rem}}
.muted,footer{{color:{MUTED_TEXT}}}
ul.tiles{{list-style:none;padding:0;display:grid;gap:.5rem;
grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr))}}
.tiles li,.card{{background:{PANEL};border-radius:.5rem;padding:.6rem .75rem}}
.tiles b{{display:block;font-size:1.5rem}}
.card{{border-left:.4rem solid;margin:.75rem 0}}
.card h3{{margin:0;font-size:1.05rem}}
.card ul{{padding-left:1.1rem;margin:.4rem 0 0}}
summary{{cursor:pointer;min-height:44px;padding:.6rem 0;color:{BRAND};font-weight:600}}
footer.wrap{{padding:0 1rem 2rem;font-size:.95rem}}
section:last-child{{border-bottom:1px solid {LINE}}}
"""


@dataclass(frozen=True)
class PageInfo:
    """What the page says besides the slides."""

    wave: int | None  # the latest wave in the data
    today: date
    app_url: str | None  # the interactive app (no button without it)
    other_lang: str  # the language the switch leads to
    other_href: str  # relative link to that language's page


def page_html(deck: Deck, images: list[str], info: PageInfo) -> str:
    """The whole page: `images[i]` is the relative path of slide i's PNG."""
    lang, n = deck.lang, len(deck.slides)
    sections = "".join(_slide(s, i, n, images[i], lang) for i, s in enumerate(deck.slides))
    head = (f'<meta charset="utf-8"><meta name="viewport" content="width=device-width,'
            f'initial-scale=1"><title>{_e(t("follow.title", lang))}</title>'
            f"<style>{STYLE}</style>")
    foot = f'<p>{_e(deck.footer())}</p><p>{_e(_updated(info, lang))}</p>{_app(info, lang)}'
    return (f'<!doctype html><html lang="{lang}"><head>{head}</head><body>'
            f'<header><div class="wrap">{_top(deck, info)}{_app(info, lang)}</div></header>'
            f'<main class="wrap">{sections}</main>'
            f'<footer class="wrap">{foot}</footer></body></html>\n')


def _top(deck: Deck, info: PageInfo) -> str:
    lang, other = deck.lang, info.other_lang
    switch = (f'<a href="{info.other_href}" hreflang="{other}" lang="{other}">'
              f'{_e(t("follow.switch", other))}</a>')
    return (f'<div class="top"><span>{_e(t("deck.kicker", lang))}</span>{switch}</div>'
            f"<h1>{_e(deck.slides[0].title)}</h1><p>{_e(_updated(info, lang))}</p>")


def _updated(info: PageInfo, lang: str) -> str:
    day = format_date(info.today, "long", locale=BABEL.get(lang, "it_IT"))
    if info.wave is None:
        return t("follow.generated", lang, date=day)
    return t("follow.updated", lang, wave=info.wave, date=day)


def _app(info: PageInfo, lang: str) -> str:
    if info.app_url is None:
        return ""
    return f'<a class="app" href="{_e(info.app_url)}">{_e(t("follow.open_app", lang))}</a>'


def _slide(slide: Slide, i: int, n: int, image: str, lang: str) -> str:
    alt = t("follow.alt", lang, i=i + 1, n=n, title=slide.title, message=slide.message)
    parts = [f'<h2>{i + 1}. {_e(slide.title)}</h2>',
             f'<img src="{image}" alt="{_e(alt)}" width="1280" height="720"'
             f'{"" if i == 0 else " loading=lazy"}>',
             f'<p class="muted">{_e(slide.subtitle)}</p>' if slide.subtitle else "",
             f'<p class="msg">{_e(slide.message)}</p>']
    if slide.tiles:
        parts.append(f'<ul class="tiles">{"".join(_tile(x) for x in slide.tiles)}</ul>')
    parts.extend(_card(card) for card in slide.cards)
    if slide.more:
        parts.append(f'<p class="muted">{_e(slide.more)}</p>')
    if slide.figure or slide.tiles or slide.cards:  # the method behind its figures
        parts.append(f'<details><summary>{_e(t("follow.method", lang))}</summary>'
                     f"<p>{_e(slide.note)}</p></details>")
    return f'<section id="s{i + 1}">{"".join(parts)}</section>'


def _tile(tile: Tile) -> str:
    return (f"<li>{_e(tile.label)}<b>{_e(tile.value)}</b>"
            f'<span class="muted">{_e(tile.caption)}</span></li>')


def _card(card: Card) -> str:
    traits = "".join(f"<li>{_bold(trait)}</li>" for trait in card.traits)
    return (f'<div class="card" style="border-color:{_e(card.colour)}">'
            f"<h3>{_e(card.name)}</h3><p>{_e(card.share)} · {_e(card.scores)}</p>"
            f"<ul>{traits}</ul></div>")


def _e(text: str) -> str:
    """User text is data, never markup."""
    return escape(text, quote=True)


def _bold(markdown: str) -> str:
    """A trait's Markdown (the question in **bold**) as HTML, escaped first."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", _e(markdown))
