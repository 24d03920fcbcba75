"""The deck says whether its figures are weighted: «Dati non pesati» on the cover and the
numbers slide, or «Pesati sul mix dei soci (deff …, n effettivo …)» with the weighted
figures in the tiles."""

from __future__ import annotations

from dataclasses import replace

from cx import fmt
from cx.coverage.report import WEIGHTED_COLUMNS, load_weighted
from cx.coverage.weighted import WeightedOverview
from cx.deck.inputs import DeckInputs
from cx.deck.opening import numbers_slide, title_slide
from cx.filters import ALL
from cx.naming import company_key
from cx.overview import compute_overview
from cx.store import members as stored
from cx.synth.members import synth_members


def _inputs(store) -> DeckInputs:
    ov = compute_overview(store.responses(WEIGHTED_COLUMNS), 5)
    return DeckInputs(ov, None, None, None, (2025, 2026, 2027), ALL, store.qn)


def test_without_a_member_list_the_deck_is_as_before(store):
    d = _inputs(store)
    assert title_slide(d, "Ondate 2025–2027", "it").subtitle.endswith("· Ondate 2025–2027")
    assert "pesat" not in numbers_slide(d, "Ondate 2025–2027", "it").note
    assert "pesat" not in title_slide(d, "Ondate 2025–2027", "it").subtitle


def test_with_a_member_list_an_unweighted_deck_says_so(store):
    d = replace(_inputs(store), member_mix=True)
    assert title_slide(d, "Ondate 2025–2027", "it").subtitle.endswith("· Dati non pesati.")
    assert numbers_slide(d, "Ondate 2025–2027", "en").note.endswith("Unweighted data.")


def test_a_weighted_deck_shows_weighted_figures_with_deff_and_effective_n(store):
    frame = synth_members(store.responses(("company", "sector", "size_band", "region")))
    frame.insert(1, "company_key", [company_key(c) for c in frame["company"]])
    stored.replace_members(store, frame)
    weighted = load_weighted(store, ALL, 5)
    assert isinstance(weighted, WeightedOverview)
    d = replace(_inputs(store), weighted=weighted)
    w = weighted.weighting
    line = (f"Pesati sul mix dei soci (deff {fmt.number(w.deff, 'it', 2)}, "
            f"n effettivo {fmt.number(w.n_effective, 'it')}).")
    assert title_slide(d, "Ondate", "it").subtitle.endswith(line)
    slide = numbers_slide(d, "Ondate", "it")
    assert slide.note.endswith(line)
    tiles = {tile.label: tile.value for tile in slide.tiles}
    assert tiles["Maturità media"] == fmt.number(weighted.maturity.value, "it")
    assert tiles["NPS del Club"] == fmt.signed(weighted.nps.value, "it")
    assert tiles["NPS del Club"] != fmt.signed(d.overview.nps.value, "it")
