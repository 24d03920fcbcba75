"""Plausible, deterministic Italian company names for the synthetic survey."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

SURNAMES = (
    "Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi",
    "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara",
    "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Serra", "Coppola",
    "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa",
)
WORDS = (
    "Meccanica", "Servizi", "Group", "Digitale", "Logistica", "Alimentare", "Assicurazioni",
    "Energia", "Viaggi", "Salute", "Moda", "Tecnologie", "Consulting", "Retail", "Industrie",
    "Finanza", "Telecom", "Farmaceutici", "Design", "Trasporti", "Casa", "Sistemi", "Lab",
    "Distribuzione", "Hotel",
)
LEGAL = ("S.p.A.", "S.r.l.", "& C.")


def company_names(n: int) -> np.ndarray:
    """`n` distinct, deterministic, plausible Italian company names."""
    i = np.arange(n)
    base = len(SURNAMES) * len(WORDS) * len(LEGAL)
    names = (
        np.asarray(SURNAMES, dtype=object)[i % len(SURNAMES)] + " "
        + np.asarray(WORDS, dtype=object)[(i // len(SURNAMES)) % len(WORDS)] + " "
        + np.asarray(LEGAL, dtype=object)[(i // (len(SURNAMES) * len(WORDS))) % len(LEGAL)]
    )
    suffix = np.where(i >= base, " " + (i // base + 1).astype(str), "")
    named: NDArray[np.object_] = names + suffix  # numpy types sums of object arrays as Any
    return named
