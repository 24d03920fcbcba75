"""What the storyline is written from, for one filter: computed by the caller (`cx.deck.data`),
cached in the app. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from cx.companies import Peers
from cx.coverage.weighted import WeightedOverview
from cx.drivers.model import Analysis
from cx.filters import Filters
from cx.journey import Journey
from cx.overview import Overview
from cx.personas.report import PersonaReport, TooFew
from cx.questionnaire import Questionnaire

DEFAULT_PUBLIC_URL = "http://localhost:8501/"  # Streamlit's own address; set CX_PUBLIC_URL


@dataclass(frozen=True)
class DeckInputs:
    """What the storyline is written from, for one filter (computed by the caller, cached in
    the app)."""

    overview: Overview
    peers: Peers | None
    personas: PersonaReport | TooFew | None
    journey: Journey | None
    waves: tuple[int, ...]
    filters: Filters
    qn: Questionnaire = field(repr=False)
    personas_k: int | None = None  # None: chosen by bootstrap stability
    public_url: str = DEFAULT_PUBLIC_URL
    drivers: Analysis | None = None  # what drives the Club's NPS (cx.deck.drivers)
    weighted: WeightedOverview | None = None  # the key numbers weighted to the member mix
    member_mix: bool = False  # a member list is known: the deck says whether it weighs

    @property
    def k(self) -> int:
        return self.overview.k

