"""Buyer Personas described: the report of a fit with each persona's name, distinguishing
traits (`cx.personas.traits`), typical profile, quote and stability, the outcomes
(`cx.personas.outcomes`) and the points of the map. Pure: no I/O, no Streamlit; the clustering
itself is in `cx.personas.model`, the names in `cx.personas.names`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx import respondent_scores
from cx.personas.features import persona_questions
from cx.personas.model import (
    MIN_RESPONDENTS,
    SEED,
    Personas,
    Reading,
    fit_encode_personas,
    reading,
)
from cx.personas.names import persona_names
from cx.personas.outcomes import OUTCOMES, built_from, persona_outcomes
from cx.personas.traits import Trait, persona_traits, trait_p_values
from cx.questionnaire import Questionnaire
from cx.rounding import largest_remainder
from cx.store import Store
from cx.view import View

PROFILE_QUESTIONS = ("sector", "size_band", "role", "region")
QUOTE_QUESTIONS = ("pain_point", "cx_priority")  # the first one answered is quoted
MAP_POINTS = 2_000  # Vega-Lite in the browser stays fluid up to a few thousand points


@dataclass(frozen=True)
class Quote:
    text: str
    question: str


@dataclass(frozen=True)
class Persona:
    index: int
    n: int
    share: float  # % of the respondents, whole, the personas' adding up to 100 (cx.rounding)
    name: tuple[str, str]  # (noun key, trait key) in cx/locales/personas.toml
    traits: tuple[Trait, ...]  # only those that pass the test and the floor: maybe none
    profile: tuple[tuple[str, str, float], ...]  # (question, most common answer, % of members)
    quote: Quote | None
    suppressed: bool  # fewer members than the privacy threshold
    jaccard: float  # mean bootstrap Jaccard of the persona (Hennig's clusterboot)

    @property
    def reading(self) -> Reading:
        """Stable, weak pattern or dissolved (Hennig's reading of the Jaccard)."""
        return reading(self.jaccard)


@dataclass(frozen=True)
class PersonaReport:
    model: Personas
    personas: tuple[Persona, ...]
    outcomes: pd.DataFrame  # one row per persona × outcome, with the test against the rest
    points: pd.DataFrame  # map: a sample of respondents with x, y, persona and profile
    centres: pd.DataFrame  # map: x, y, persona
    explained: tuple[float, float]  # share of variance on each map axis
    respondents: int
    privacy_k: int
    comment_k: int


@dataclass(frozen=True)
class TooFew:
    """Not enough respondents in the filter to build personas."""

    n: int
    needed: int


def report_columns(qn: Questionnaire) -> tuple[str, ...]:
    """The columns `build_report` reads."""
    features = tuple(q.id for q in persona_questions(qn))
    extra = ("respondent_id", "company", *PROFILE_QUESTIONS, *QUOTE_QUESTIONS, *OUTCOMES)
    return tuple(dict.fromkeys((*features, *extra)))


def build_report(answers: pd.DataFrame, qn: Questionnaire, view: View,
                 personas_k: int | None = None, random_state: int = SEED
                 ) -> PersonaReport | TooFew:
    """Fit `personas_k` personas (None: chosen by bootstrap stability) on `answers` (one row
    per respondent, already filtered) and describe them under the view's thresholds (k for any
    figure, comment_k for a quote). Works on codes: the same report serves every language."""
    privacy_k, comment_k = view.k, view.comment_k
    needed = max(MIN_RESPONDENTS, privacy_k)
    if len(answers) < needed:
        return TooFew(len(answers), needed)
    answers = answers.reset_index(drop=True)
    model, raw = fit_encode_personas(answers, qn, personas_k, random_state=random_state)
    z = model.embed(raw)
    maturity = answers["maturity_index"] if "maturity_index" in answers \
        else respondent_scores.maturity_index(answers, qn)
    personas = _personas(model, raw, z, answers, maturity, view)
    points, centres = map_frames(model, z, answers, random_state)
    ratio = model.pca_.explained_variance_ratio_
    untested = built_from(qn, frozenset(q.id for q in model.questions))
    return PersonaReport(model, personas,
                         persona_outcomes(model.labels_, answers, privacy_k, untested),
                         points, centres, (float(ratio[0]), float(ratio[1])), len(answers),
                         privacy_k, comment_k)


def _personas(model: Personas, raw: np.ndarray, z: np.ndarray, answers: pd.DataFrame,
              maturity: pd.Series, view: View) -> tuple[Persona, ...]:
    names = persona_names(model, maturity)
    quotes = persona_quotes(model, z, answers, view.comment_k)
    profiles = typical_profiles(model.labels_, answers, model.k_)
    p_holm = trait_p_values(model, raw)
    shares = largest_remainder([float(size / len(answers) * 100) for size in model.sizes_])
    return tuple(
        Persona(i, int(model.sizes_[i]), shares[i], names[i],
                persona_traits(model, p_holm, i, raw), profiles[i], quotes[i],
                model.sizes_[i] < view.k, float(model.jaccard_[i]))
        for i in range(model.k_))


def typical_profiles(labels: np.ndarray, answers: pd.DataFrame,
                     k: int) -> list[tuple[tuple[str, str, float], ...]]:
    """Per persona, the most common answer (and its share among members) to each profile
    question."""
    out: list[list[tuple[str, str, float]]] = [[] for _ in range(k)]
    for qid in PROFILE_QUESTIONS:
        if qid not in answers:
            continue
        table = pd.crosstab(labels, answers[qid].astype("string"))
        for i in table.index:
            row = table.loc[i]
            if row.sum() > 0:
                out[int(i)].append((qid, str(row.idxmax()), float(row.max() / row.sum() * 100)))
    return [tuple(p) for p in out]


def _text(answers: pd.DataFrame, qid: str) -> pd.Series:
    if qid not in answers:
        return pd.Series(pd.NA, index=answers.index, dtype="string")
    text = answers[qid].astype("string").str.strip()
    return text.where(text != "")


def persona_quotes(model: Personas, z: np.ndarray, answers: pd.DataFrame,
                   comment_k: int) -> list[Quote | None]:
    """Per persona with at least `comment_k` members: the free-text answer of the member
    nearest the centre among those who wrote one (pain point first, else CX priority)."""
    texts = {qid: _text(answers, qid) for qid in QUOTE_QUESTIONS}
    has_text = np.zeros(len(answers), dtype=bool)
    for text in texts.values():
        has_text |= text.notna().to_numpy()
    rows = np.flatnonzero(has_text)
    quotes: list[Quote | None] = [None] * model.k_
    if len(rows) == 0:
        return quotes
    labels = model.labels_[rows]
    distance = ((z[rows] - model.centers_[labels]) ** 2).sum(axis=1)
    for i in range(model.k_):
        members = np.flatnonzero(labels == i)
        if model.sizes_[i] < comment_k or len(members) == 0:
            continue
        row = rows[members[np.argmin(distance[members])]]
        qid = next(q for q in QUOTE_QUESTIONS if pd.notna(texts[q].iloc[row]))
        quotes[i] = Quote(str(texts[qid].iloc[row]), qid)
    return quotes


def map_frames(model: Personas, z: np.ndarray, answers: pd.DataFrame,
               random_state: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map points (a fixed-seed sample of at most MAP_POINTS respondents) and centres, on the
    first two principal components of the weighted features (the space the personas are
    found in)."""
    n = len(answers)
    rng = np.random.default_rng(random_state)
    rows = np.sort(rng.choice(n, MAP_POINTS, replace=False)) if n > MAP_POINTS else np.arange(n)
    sample = answers.iloc[rows]
    xy = model.pca_.transform(z[rows])
    keep = [c for c in ("company", *PROFILE_QUESTIONS) if c in sample]
    points = sample[keep].reset_index(drop=True).assign(
        x=xy[:, 0], y=xy[:, 1], persona=model.labels_[rows])
    cxy = model.pca_.transform(model.centers_)
    centres = pd.DataFrame({"x": cxy[:, 0], "y": cxy[:, 1], "persona": np.arange(model.k_)})
    return points, centres


def published_personas(store: Store) -> PersonaReport | TooFew | None:
    """The persona model everyone but analysts sees (None: withheld), from the store's
    release; imported late, since the release is built from this module."""
    from cx.privacy import current_release

    return current_release(store).personas
