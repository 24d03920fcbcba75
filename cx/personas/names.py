"""Buyer Persona names: a noun from the members' CX maturity and a trait from what the persona
over-represents most, as keys of cx/locales/personas.toml (`cx.personas.text` words them). Pure.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cx.personas.model import Personas

# Persona nouns by the members' mean CX maturity index (0–100), highest first.
NOUNS = ((70.0, "pioneers"), (55.0, "builders"), (40.0, "explorers"), (25.0, "pragmatists"),
         (-math.inf, "traditionalists"))
# Name traits: (key, feature, direction). A persona is named after the practice it
# over-represents most when one stands out (at least NAME_Z standard deviations above the
# Club), otherwise after its market, size or sector; never after another persona's name.
PRACTICE_TRAITS = (
    ("data_driven", "big_data", 1), ("digital", "touchpoints=ecommerce", 1),
    ("relational", "touchpoints=contact_center", 1), ("omnichannel", "omnichannel", 1),
    ("social", "touchpoints=social", 1),
)
PROFILE_TRAITS = (
    ("b2b", "market=b2b", 1), ("b2c", "market=b2c", 1), ("large", "size_band", 1),
    ("small", "size_band", -1), ("manufacturing", "sector=manufacturing", 1),
    ("retail", "sector=retail", 1), ("finance", "sector=finance", 1),
    ("health", "sector=health", 1), ("services", "sector=services", 1),
    ("tourism", "sector=tourism", 1), ("utilities", "sector=telco_utilities", 1),
)
NAME_Z = 0.5


def _noun(maturity: float) -> str:
    if math.isnan(maturity):
        return "explorers"
    return next(noun for floor, noun in NOUNS if maturity >= floor)


def _name_candidates(model: Personas, i: int) -> list[str]:
    """Trait keys for persona `i`, best first (see PRACTICE_TRAITS)."""
    column = {f.name: j for j, f in enumerate(model.features)}
    scored = [(sign * float(model.deviations_[i, column[feature]]), key, practice)
              for traits, practice in ((PRACTICE_TRAITS, True), (PROFILE_TRAITS, False))
              for key, feature, sign in traits if feature in column]
    return [key for score, key, practice in
            sorted(scored, key=lambda c: (not (c[2] and c[0] >= NAME_Z), -c[0]))]


def persona_names(model: Personas, maturity: pd.Series) -> tuple[tuple[str, str], ...]:
    """(noun, trait) keys per persona, all distinct: the noun from the members' mean CX
    maturity, the trait from what the persona over-represents most."""
    values = pd.to_numeric(maturity, errors="coerce").to_numpy(dtype=float)
    taken: set[tuple[str, str]] = set()
    names = []
    for i in range(model.k_):
        members = values[model.labels_ == i]
        noun = _noun(float(np.nanmean(members)) if np.isfinite(members).any() else math.nan)
        name = next(((noun, key) for key in _name_candidates(model, i)
                     if (noun, key) not in taken), (noun, f"n{i + 1}"))
        taken.add(name)
        names.append(name)
    return tuple(names)
