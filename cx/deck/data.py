"""The deck's inputs, assembled once (`deck_inputs`) from a `Source`: the store itself
(`StoreSource`: the command line, the benchmarks, the tests) or the app's caches, which the other
pages share (`cx.ui.deck`). Every piece is computed on codes under `view.rules`, so the inputs
serve both languages; `cx.deck.slides.build_deck` writes the slides in the view's language.
Pure: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from cx.companies import Peers, company_table
from cx.coverage import load_mix
from cx.deck.drivers import DRIVERS, OUTCOME
from cx.deck.inputs import DEFAULT_PUBLIC_URL, DeckInputs
from cx.drivers.data import driver_names, load
from cx.drivers.model import Analysis, analyse
from cx.journey import Journey, Tallies, compute_journey, tally_keys
from cx.overview import COLUMNS as OVERVIEW_COLUMNS
from cx.overview import Overview, compute_overview
from cx.personas.report import (
    PersonaReport,
    TooFew,
    build_report,
    published_personas,
    report_columns,
)
from cx.privacy import crosses
from cx.questionnaire import Questionnaire
from cx.scorecard.data import load_peers
from cx.store import Store
from cx.view import View


class Source(Protocol):
    """Where the deck reads each of its pieces, under a view's rules (no language)."""

    @property
    def qn(self) -> Questionnaire: ...

    def overview(self, rules: View) -> Overview: ...

    def waves(self) -> tuple[int, ...]: ...

    def peers(self, rules: View) -> Peers: ...

    def personas(self, rules: View, personas_k: int | None) -> PersonaReport | TooFew | None: ...

    def journey(self, rules: View) -> Journey: ...

    def drivers(self, rules: View) -> Analysis: ...


@dataclass(frozen=True)
class StoreSource:
    """The deck's pieces read straight from the store."""

    store: Store

    @property
    def qn(self) -> Questionnaire:
        return self.store.qn

    def overview(self, rules: View) -> Overview:
        return compute_overview(self.store.responses(OVERVIEW_COLUMNS, rules.filters), rules.k)

    def waves(self) -> tuple[int, ...]:
        return tuple(int(w) for w in self.store.query("waves")["wave"])

    def peers(self, rules: View) -> Peers:
        filters = rules.filters
        return load_peers(self.store, filters, rules.k, company_table(self.store, filters))

    def personas(self, rules: View, personas_k: int | None) -> PersonaReport | TooFew | None:
        """The release's one model with published filters; else fitted on the filter."""
        if rules.filters.published:
            return published_personas(self.store)
        answers = self.store.responses(report_columns(self.qn), rules.filters)
        return build_report(answers, self.qn, rules, personas_k)

    def journey(self, rules: View) -> Journey:
        tallies = Tallies(lambda key: self.store.tally(key, rules.filters), tally_keys())
        return compute_journey(tallies, self.qn, rules, not crosses(rules.filters, "sector"))

    def drivers(self, rules: View) -> Analysis:
        frame = load(self.store, OUTCOME, DRIVERS, rules.filters, self.qn)
        return analyse(frame, OUTCOME, driver_names(DRIVERS, self.qn), rules.k)


def deck_inputs(source: Source, view: View, personas_k: int | None = None,
                public_url: str | None = None) -> DeckInputs:
    """Everything the storyline is written from; only the overview when it is suppressed."""
    rules = view.rules
    overview = source.overview(rules)
    waves, filters, qn = source.waves(), view.filters, source.qn
    url = public_url or DEFAULT_PUBLIC_URL
    if overview.suppressed:
        return DeckInputs(overview, None, None, None, waves, filters, qn, personas_k, url)
    return DeckInputs(overview, source.peers(rules), source.personas(rules, personas_k),
                      source.journey(rules), waves, filters, qn, personas_k, url,
                      source.drivers(rules))


def stage_inputs(store: Store, view: View, personas_k: int | None = None,
                 public_url: str | None = None) -> DeckInputs:
    """What `python -m cx deck` and the follow-along page write the deck from: the store's
    inputs, and whether a member list is known («Dati non pesati»)."""
    inputs = deck_inputs(StoreSource(store), view, personas_k, public_url)
    return replace(inputs, member_mix=not load_mix(store).empty)
