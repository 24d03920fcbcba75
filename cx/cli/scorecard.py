"""`python -m cx report --company ID --out FILE.pdf [--wave W] [--lang it|en] [--db PATH]`:
the Scheda azienda PDF from the command line (registered on `python -m cx` by `add_parser`).
Exit 0 written, 1 refused (unknown company or wave, nothing written), 2 usage. The scorecard's
modules (the PDF, the personas) are imported when the command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cx import config
from cx.cli.words import helper, meta, year
from cx.filters import Filters, describe_scope
from cx.i18n import t
from cx.view import View

DONE, REFUSED = 0, 1


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return REFUSED


def cmd_scorecard(args: argparse.Namespace) -> int:
    """Write one company's scorecard. The command line is an analyst's tool: the PDF names
    the company (and only it)."""
    from cx.dataset import open_shared
    from cx.personas.matching import company_persona
    from cx.personas.text import company_persona_sentence
    from cx.privacy import attach
    from cx.scorecard.data import find_company, scorecard_for
    from cx.scorecard.pdf import PdfContext, scorecard_pdf

    lang, filters = args.lang, Filters(wave=args.wave, published=True)
    with open_shared(config.db_path(args.db)) as store:
        attach(store, config.privacy_k(), config.comment_k())
        if args.wave is not None and args.wave not in set(store.query("waves")["wave"]):
            return _refuse(t("cli.unknown_wave", lang, wave=args.wave))
        found = find_company(store, args.company)
        if found is None:
            return _refuse(t("scorecard.pdf.cli_unknown_company", lang, company=args.company))
        name, code = found
        card = scorecard_for(store, code, filters, config.privacy_k())
        scope = describe_scope(filters, store.qn, lang)
        match = company_persona(store, name, View(filters, lang, config.privacy_k(),
                                                   config.comment_k()))
    if card is None:
        return _refuse(t("scorecard.pdf.cli_not_in_filter", lang, code=code, scope=scope))
    persona = None if match is None else company_persona_sentence(match, name, lang)
    pdf = scorecard_pdf(card, PdfContext(name, scope, lang, dt.date.today(), persona))
    Path(args.out).write_bytes(pdf)
    print(t("scorecard.pdf.cli_done", lang, code=code, path=args.out), file=sys.stderr)
    return DONE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser, lang: str) -> None:
    """Register `report` on the `python -m cx` parser."""
    h, m = helper(lang), meta(lang)
    p = sub.add_parser("report", parents=[common], help=h("report"), description=h("report"))
    p.add_argument("--company", required=True, metavar=m("company"), help=h("report_company"))
    p.add_argument("--out", required=True, metavar=m("file"), help=h("report_out"))
    p.add_argument("--wave", type=year(lang), metavar=m("year"), help=h("wave"))
    p.set_defaults(run=cmd_scorecard)
