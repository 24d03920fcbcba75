"""`python -m cx deck --out FILE.pdf|FILE.pptx [--lang it|en] [--wave W] [--db PATH]`: the
deck as a PDF or PowerPoint file (registered on `python -m cx` by `add_parser`). Exit 0
written, 1 refused (unknown wave, nothing written), 2 usage. The deck's modules (charts,
personas) are imported when the command runs, not when `python -m cx` starts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cx import config
from cx.cli.words import helper, meta, refuse, year
from cx.filters import Filters
from cx.i18n import t
from cx.view import View

if TYPE_CHECKING:
    from cx.deck.content import Deck

DONE, REFUSED = 0, 1
FORMATS = (".pdf", ".pptx")
K_MIN, K_MAX = 2, 8  # as cx.personas.model (tests check they agree)


def render(deck: Deck, path: str) -> bytes:
    """The deck as PDF or PPTX bytes, by the file's extension."""
    if path.lower().endswith(".pptx"):
        from cx.deck.pptx import deck_pptx

        return deck_pptx(deck)
    from cx.deck.pdf import deck_pdf

    return deck_pdf(deck)


def _out(lang: str) -> Callable[[str], str]:
    def out(text: str) -> str:
        if not text.lower().endswith(FORMATS):
            raise refuse("deck_out", lang, value=text)
        return text
    return out


def _personas(lang: str) -> Callable[[str], int | None]:
    def personas(text: str) -> int | None:
        if text == "auto":
            return None
        if not text.isdigit() or not K_MIN <= int(text) <= K_MAX:
            raise refuse("personas", lang, low=K_MIN, high=K_MAX, value=text)
        return int(text)
    return personas


def cmd_deck(args: argparse.Namespace) -> int:
    """Write the deck. Like the Presentazione page, it never names a company."""
    from cx.dataset import open_shared
    from cx.deck.data import stage_inputs
    from cx.deck.storyline import build_deck
    from cx.privacy import attach

    lang, filters = args.lang, Filters(wave=args.wave, published=True)
    with open_shared(config.db_path(args.db)) as store:
        attach(store, config.privacy_k(), config.comment_k())
        if args.wave is not None and args.wave not in set(store.query("waves")["wave"]):
            print(t("cli.unknown_wave", lang, wave=args.wave), file=sys.stderr)
            return REFUSED
        view = View(filters, lang, config.privacy_k(), config.comment_k())
        inputs = stage_inputs(store, view, args.personas, config.qr_url())
    deck = build_deck(inputs, lang)
    Path(args.out).write_bytes(render(deck, args.out))
    if inputs.overview.suppressed:
        print(deck.slides[0].message, file=sys.stderr)
    print(t("deck.cli_done", lang, n=len(deck.slides), path=args.out), file=sys.stderr)
    return DONE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser,
               lang: str) -> None:
    """Register `deck` on the `python -m cx` parser."""
    h, m = helper(lang), meta(lang)
    p = sub.add_parser("deck", parents=[common], help=h("deck"), description=h("deck"))
    p.add_argument("--out", required=True, type=_out(lang), metavar=m("file"),
                   help=h("deck_out"))
    p.add_argument("--wave", type=year(lang), metavar=m("year"), help=h("wave"))
    p.add_argument("--personas", type=_personas(lang), default=None, metavar="auto|2..8",
                   help=h("deck_personas"))
    p.set_defaults(run=cmd_deck)
