"""Synthetic survey responses: the embedded sample and scale data for benchmarks.

Vectorised and deterministic (same seed, same bytes). Companies belong to one of four latent
profiles; a company's latent maturity drives its practices, which in turn correlate with its
pyramid and pillar answers, its declared KPIs and its opinion of the Club. Each profile's
companies are typical of it (weights in %, touchpoint probabilities): sharp enough that
k-means with k chosen by silhouette finds the four profiles in the embedded sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cx.questionnaire import MULTI_SEPARATOR, Questionnaire, questionnaire

MISSING_RATE = 0.03
TEXT_ANSWER_RATE = 0.7


@dataclass(frozen=True)
class Profile:
    maturity: float
    sector: dict[str, float]
    size_band: dict[str, float]
    market: dict[str, float]
    role: dict[str, float]
    region: dict[str, float]
    touch: dict[str, float]
    pains: tuple[str, ...]
    priorities: tuple[str, ...]


PROFILES = (
    Profile(  # data-driven pioneers: large B2C/both, high maturity
        0.82,
        {"finance": 45, "telco_utilities": 45, "retail": 9, "tourism": 1},
        {"large": 16, "xlarge": 83, "medium": 1},
        {"b2c": 84, "both": 16},
        {"cx": 83, "marketing": 16, "it_digital": 1},
        {"nord_ovest": 55, "nord_est": 11, "centro": 30, "sud_isole": 4},
        {"website": .98, "app": .98, "ecommerce": .94, "social": .98, "email": .98, "chat": .98,
         "contact_center": .98, "ticketing": .98, "store": .5},
        ("I clienti ci chiedono risposte immediate su tutti i canali, anche di notte.",
         "I dati sono tanti ma faticano a tradursi in azioni personalizzate in tempo reale.",
         "Il passaggio tra app e contact center fa ripetere le stesse informazioni al cliente.",
         "Le aspettative crescono più in fretta della nostra capacità di rilasciare novità.",
         "Troppi messaggi promozionali rischiano di stancare i clienti migliori."),
        ("Portare i modelli predittivi di abbandono in tutti i touchpoint.",
         "Unificare la vista cliente tra app, negozio e contact center.",
         "Misurare il CES su ogni interazione di assistenza.",
         "Personalizzare l'offerta in tempo reale con i dati di utilizzo.",
         "Collegare gli incentivi del personale all'NPS transazionale."),
    ),
    Profile(  # traditional B2B: small manufacturers and services, low maturity
        0.18,
        {"manufacturing": 94, "services": 6, "retail": 1},
        {"micro": 14, "small": 72, "medium": 14},
        {"b2b": 100, "both": 1},
        {"general_management": 50, "sales": 50, "other": 1},
        {"nord_est": 48, "nord_ovest": 26, "centro": 9, "sud_isole": 17},
        {"store": .06, "website": .94, "email": .98, "contact_center": .06, "ecommerce": .02,
         "app": .02, "social": .06, "chat": .02, "ticketing": .02},
        ("I tempi di consegna non sono mai chiari e il cliente deve telefonare per saperli.",
         "Le offerte richiedono troppi giorni e troppi passaggi interni.",
         "Non sappiamo davvero perché perdiamo un cliente.",
         "Il cliente deve cercare la persona giusta da chiamare per ogni problema.",
         "Le informazioni sui prodotti sono sparse tra cataloghi e fogli Excel."),
        ("Disegnare per la prima volta la mappa del Customer Journey.",
         "Iniziare a misurare la soddisfazione dei clienti almeno una volta l'anno.",
         "Dare al commerciale un CRM semplice da usare.",
         "Formare il personale a contatto con i clienti.",
         "Ridurre i tempi di risposta alle richieste di offerta."),
    ),
    Profile(  # digital explorers: retail and tourism, mid maturity, digital touchpoints
        0.48,
        {"retail": 76, "tourism": 24, "services": 1},
        {"small": 16, "medium": 83, "large": 1},
        {"b2c": 100, "both": 1},
        {"it_digital": 50, "marketing": 50, "customer_service": 1},
        {"nord_ovest": 30, "centro": 30, "sud_isole": 30, "nord_est": 11},
        {"website": .98, "ecommerce": .98, "social": .98, "app": .72, "email": .98, "chat": .94,
         "store": .28, "contact_center": .06, "ticketing": .28},
        ("Il carrello viene abbandonato spesso nel passaggio al pagamento.",
         "Sui social le lamentele arrivano prima che ce ne accorgiamo.",
         "Resi e rimborsi richiedono troppi passaggi al cliente.",
         "Il cliente trova prezzi diversi tra sito e negozio.",
         "La chat risponde bene di giorno ma la sera resta scoperta."),
        ("Rendere più semplice il checkout da smartphone.",
         "Integrare i canali online con il punto vendita.",
         "Avviare l'analisi dei dati di navigazione per personalizzare le offerte.",
         "Definire le Buyer Personas con dati reali.",
         "Introdurre l'NPS dopo ogni acquisto online."),
    ),
    Profile(  # structured relational: health, services, finance; people-centred
        0.62,
        {"health": 89, "services": 6, "finance": 6, "telco_utilities": 1},
        {"medium": 50, "large": 50, "xlarge": 1},
        {"both": 83, "b2c": 16, "b2b": 1},
        {"customer_service": 83, "cx": 16, "general_management": 1},
        {"centro": 44, "nord_ovest": 24, "nord_est": 24, "sud_isole": 8},
        {"contact_center": .98, "email": .98, "website": .98, "store": .94, "ticketing": .98,
         "chat": .5, "app": .28, "social": .28, "ecommerce": .02},
        ("Le attese al contact center nei momenti di punta sono ancora troppo lunghe.",
         "Il cliente racconta la sua storia più volte a operatori diversi.",
         "Le comunicazioni scritte sono poco comprensibili per molti clienti.",
         "I reclami si risolvono, ma con tempi che il cliente non capisce.",
         "Manca una presa in carico proattiva dopo un disservizio."),
        ("Formare tutti gli operatori all'ascolto empatico.",
         "Ridurre i tempi di risoluzione dei reclami.",
         "Verificare sul campo il Customer Journey ogni trimestre.",
         "Semplificare il linguaggio delle comunicazioni ai clienti.",
         "Dare a ogni cliente un referente unico."),
    ),
)

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


def _choice(rng: np.random.Generator, weights: dict[str, float], profile_idx: np.ndarray,
            key: str) -> np.ndarray:
    """Draw one option per row from its profile's weights over the option codes."""
    out = np.empty(len(profile_idx), dtype=object)
    for p, profile in enumerate(PROFILES):
        mask = profile_idx == p
        table = getattr(profile, key)
        codes = list(table)
        probs = np.asarray([table[c] for c in codes], dtype=float)
        probs = probs / probs.sum()
        out[mask] = np.asarray(codes, dtype=object)[rng.choice(len(codes), mask.sum(), p=probs)]
    return out


def _ordinal(rng: np.random.Generator, m: np.ndarray, codes: tuple[str, ...],
             noise: float = 0.3) -> np.ndarray:
    k = len(codes)
    level: NDArray[np.int_] = np.clip(np.rint(m * (k - 1) + rng.normal(0, noise, len(m))), 0,
                                      k - 1).astype(int)
    options: NDArray[np.object_] = np.asarray(codes, dtype=object)
    return options[level]


def _likert(rng: np.random.Generator, m: np.ndarray, offset: float, top: int = 5) -> np.ndarray:
    latent = 0.22 + 0.62 * m + offset + rng.normal(0, 0.14, len(m))
    return np.clip(np.rint(1 + (top - 1) * latent), 1, top).astype(int)


def _multi(rng: np.random.Generator, chosen: dict[str, np.ndarray]) -> np.ndarray:
    codes = list(chosen)
    matrix = np.column_stack([chosen[c] for c in codes])
    code_arr = np.asarray(codes, dtype=object)
    joined = np.array([MULTI_SEPARATOR.join(code_arr[row]) for row in matrix], dtype=object) \
        if len(matrix) < 50_000 else _join_fast(matrix, code_arr)
    return joined


def _join_fast(matrix: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Join chosen codes per row by unique pattern (few distinct patterns at scale)."""
    weights = 1 << np.arange(matrix.shape[1])
    keys = matrix.astype(np.int64) @ weights
    uniq, inverse = np.unique(keys, return_inverse=True)
    labels = np.array(
        [MULTI_SEPARATOR.join(codes[[(u >> j) & 1 == 1 for j in range(len(codes))]]) for u in uniq],
        dtype=object,
    )
    return labels[inverse]


def _practices(rng: np.random.Generator, m: np.ndarray, qn: Questionnaire,
               profile_idx: np.ndarray) -> dict[str, np.ndarray]:
    n = len(m)
    cols: dict[str, np.ndarray] = {}
    for qid in ("cj_ideal_map", "cj_real_checks", "cj_training", "buyer_personas", "big_data",
                "improvement_plans", "cx_role"):
        shift = {"cj_real_checks": -0.12, "cj_training": -0.08, "big_data": -0.1}.get(qid, 0.0)
        cols[qid] = _ordinal(rng, np.clip(m + shift, 0, 1), qn[qid].codes)
    indicators = {c: rng.random(n) < p for c, p in
                  {"csi": 0.1 + 0.45 * m, "nps": 0.05 + 0.85 * m, "csat": 0.15 + 0.6 * m,
                   "ces": 0.02 + 0.5 * m}.items()}
    indicators["none"] = ~np.any(np.column_stack(list(indicators.values())), axis=1)
    cols["cx_indicators"] = _multi(rng, indicators)
    codes = qn["touchpoints"].codes
    touch_p = np.array([[p.touch.get(c, 0.3) for c in codes] for p in PROFILES])[profile_idx]
    touch = rng.random(touch_p.shape) < touch_p
    touch[~touch.any(axis=1), 1] = True  # everyone has at least a web site
    cols["touchpoints"] = _multi(rng, dict(zip(codes, touch.T)))
    stage_p = 0.15 + 0.8 * m
    stages = {c: rng.random(n) < stage_p * f for c, f in
              zip(qn["journey_stages"].codes, (1.0, 0.95, 1.1, 0.8, 0.7, 0.55))}
    joined = _multi(rng, stages)
    # numpy's stubs refuse None as a value, which np.where takes for an object array
    cols["journey_stages"] = np.where(  # type: ignore[call-overload]
        cols["cj_ideal_map"] == "none", None, joined)
    cols["journey_stages"] = np.where(  # type: ignore[call-overload]
        cols["journey_stages"] == "", None, cols["journey_stages"])
    cols["omnichannel"] = _likert(rng, m, -0.05)
    return cols


def _kpis(rng: np.random.Generator, m: np.ndarray, indicators: np.ndarray) -> dict[str, np.ndarray]:
    n = len(m)
    text = pd.Series(indicators, dtype="string").fillna("")
    nps = np.clip(np.rint(-25 + 75 * m + rng.normal(0, 12, n)), -100, 100)
    csat = np.clip(np.rint(55 + 40 * m + rng.normal(0, 6, n)), 0, 100)
    ces = np.clip(np.round(2.4 + 3.6 * m + rng.normal(0, 0.5, n), 1), 1, 7)
    return {
        "kpi_nps": np.where(text.str.contains("nps").to_numpy(), nps, np.nan),
        "kpi_csat": np.where(text.str.contains("csat").to_numpy(), csat, np.nan),
        "kpi_ces": np.where(text.str.contains("ces").to_numpy(), ces, np.nan),
    }


def _texts(rng: np.random.Generator, profile_idx: np.ndarray, attr: str) -> np.ndarray:
    out = np.empty(len(profile_idx), dtype=object)
    for p, profile in enumerate(PROFILES):
        mask = profile_idx == p
        pool = np.asarray(getattr(profile, attr), dtype=object)
        out[mask] = pool[rng.integers(0, len(pool), mask.sum())]
    out[rng.random(len(out)) > TEXT_ANSWER_RATE] = None
    return out


def synthesize(respondents: int, waves: tuple[int, ...], seed: int,
               qn: Questionnaire | None = None, with_profile: bool = False) -> pd.DataFrame:
    """A canonical frame of `respondents` synthetic answers (one column per question id).

    `with_profile` adds the latent profile index as `_profile` (to test that clustering finds it).
    """
    qn = qn or questionnaire()
    rng = np.random.default_rng(seed)
    n = int(respondents)
    n_companies = max(1, round(n / 1.32))
    company_idx = np.concatenate([np.arange(min(n, n_companies)),
                                  rng.integers(0, n_companies, max(0, n - n_companies))])
    company_idx = rng.permutation(company_idx)
    company_profile = rng.choice(len(PROFILES), n_companies, p=[0.22, 0.3, 0.26, 0.22])
    base_m = np.array([p.maturity for p in PROFILES])[company_profile]
    company_m = np.clip(base_m + rng.normal(0, 0.08, n_companies), 0, 1)
    profile_idx = company_profile[company_idx]
    m = np.clip(company_m[company_idx] + rng.normal(0, 0.05, n), 0, 1)
    wave_weights = np.linspace(1.0, 1.25, len(waves))
    cols: dict[str, np.ndarray] = {
        "respondent_id": np.char.add("R", np.char.zfill(np.arange(1, n + 1).astype(str), 6)),
        "wave": np.asarray(waves)[rng.choice(len(waves), n, p=wave_weights / wave_weights.sum())],
        "company": company_names(n_companies)[company_idx],
    }
    # company-level profile answers stay stable across that company's respondents
    for key in ("sector", "size_band", "market", "region"):
        cols[key] = _choice(rng, {}, company_profile, key)[company_idx]
    size_level = pd.Series(cols["size_band"]).map(
        {c: i for i, c in enumerate(qn["size_band"].codes)}).to_numpy()
    revenue = np.clip(size_level + rng.integers(-1, 2, n), 0, 4)
    cols["revenue_band"] = np.asarray(qn["revenue_band"].codes, dtype=object)[revenue]
    cols["role"] = _choice(rng, {}, profile_idx, "role")
    cols["seniority"] = _ordinal(rng, rng.random(n), qn["seniority"].codes, noise=0.3)
    cols.update(_practices(rng, m, qn, profile_idx))
    offsets = {"needs": 0.12, "ease": 0.0, "enjoyment": -0.12}
    for q in qn.with_construct("pyramid:"):
        assert q.construct is not None  # with_construct() picked it by its construct
        cols[q.id] = _likert(rng, m, offsets[q.construct.split(":")[1]])
    for q in qn.with_construct("pillar:"):
        cols[q.id] = _likert(rng, m, rng.normal(0, 0.03))
    cols.update(_kpis(rng, m, cols["cx_indicators"]))
    cols["pain_point"] = _texts(rng, profile_idx, "pains")
    cols["cx_priority"] = _texts(rng, profile_idx, "priorities")
    cols["club_nps"] = np.clip(np.rint(5.8 + 3.4 * m + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    cols["club_csat"] = _likert(rng, m, 0.05)
    cols["club_ces"] = _likert(rng, m, 0.0, top=7)
    frame = _with_missing(rng, pd.DataFrame({q.id: cols[q.id] for q in qn.questions}), qn)
    if with_profile:
        frame["_profile"] = profile_idx
    return frame


def _with_missing(rng: np.random.Generator, frame: pd.DataFrame, qn: Questionnaire) -> pd.DataFrame:
    """Blank a few answers at random, as real respondents skip questions."""
    keep = {"respondent_id", "wave", "company", "sector", "size_band", "region"}
    for q in qn.questions:
        if q.id in keep or q.type == "text":
            continue
        mask = rng.random(len(frame)) < MISSING_RATE
        col = frame[q.id]
        if q.is_numeric:
            frame[q.id] = pd.array(np.where(mask, np.nan, col.astype(float)),
                                   dtype="Int64" if q.integer else "Float64")
        else:
            frame[q.id] = col.where(~mask, None)
    return frame


def write_canonical_csv(frame: pd.DataFrame, out: Path | str) -> None:
    """Write a canonical CSV (UTF-8, comma, LF, integers without decimals)."""
    frame.to_csv(out, index=False, lineterminator="\n")
