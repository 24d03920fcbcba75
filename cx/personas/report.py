"""Buyer Personas described: names, distinguishing traits, typical profile, quote, outcomes with
their significance against the rest of the Club, and the points of the map.
Pure: no I/O, no Streamlit; the clustering itself is in `cx.personas.model`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cx import scoring
from cx.personas.features import persona_questions
from cx.personas.model import (
    MIN_RESPONDENTS,
    SEED,
    Personas,
    assign_mean,
    fit_transform_personas,
)
from cx.questionnaire import Questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.store import Store
from cx.view import View

OUTCOMES = ("maturity_index", "club_nps", *PYRAMID_COLUMNS, *PILLAR_COLUMNS)
PROFILE_QUESTIONS = ("sector", "size_band", "role", "region")
QUOTE_QUESTIONS = ("pain_point", "cx_priority")  # the first one answered is quoted
MAP_POINTS = 2_000  # Vega-Lite in the browser stays fluid up to a few thousand points
ALPHA = 0.05
TRAITS_MAX, TRAITS_MIN, TRAIT_Z = 5, 3, 0.5
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


@dataclass(frozen=True)
class Trait:
    """A feature on which a persona differs from the Club."""

    question: str
    option: str | None
    kind: str
    value: float  # share 0–1 for a category or option, mean level for a scale
    club: float
    z: float  # difference in the Club's standard deviations


@dataclass(frozen=True)
class Quote:
    text: str
    question: str


@dataclass(frozen=True)
class Persona:
    index: int
    n: int
    share: float  # % of the respondents
    name: tuple[str, str]  # (noun key, trait key) in cx/locales/personas.toml
    traits: tuple[Trait, ...]
    profile: tuple[tuple[str, str, float], ...]  # (question, most common answer, % of members)
    quote: Quote | None
    suppressed: bool  # fewer members than the privacy threshold


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
    """Fit `personas_k` personas (None: chosen by silhouette) on `answers` (one row per
    respondent, already filtered) and describe them under the view's thresholds (k for any
    figure, comment_k for a quote). Works on codes: the same report serves every language."""
    privacy_k, comment_k = view.k, view.comment_k
    needed = max(MIN_RESPONDENTS, privacy_k)
    if len(answers) < needed:
        return TooFew(len(answers), needed)
    answers = answers.reset_index(drop=True)
    model, z = fit_transform_personas(answers, qn, personas_k, random_state=random_state)
    maturity = answers["maturity_index"] if "maturity_index" in answers \
        else scoring.maturity_index(answers, qn)
    names = persona_names(model, maturity)
    quotes = persona_quotes(model, z, answers, comment_k)
    profiles = typical_profiles(model.labels_, answers, model.k_)
    personas = tuple(
        Persona(i, int(model.sizes_[i]), float(model.sizes_[i] / len(answers) * 100), names[i],
                persona_traits(model, i), profiles[i], quotes[i], model.sizes_[i] < privacy_k)
        for i in range(model.k_))
    points, centres = map_frames(model, z, answers, random_state)
    ratio = model.pca_.explained_variance_ratio_
    return PersonaReport(model, personas, persona_outcomes(model.labels_, answers, privacy_k),
                         points, centres, (float(ratio[0]), float(ratio[1])), len(answers),
                         privacy_k, comment_k)


def persona_traits(model: Personas, i: int) -> tuple[Trait, ...]:
    """The 3–5 features (one per question) on which persona `i` most differs from the Club."""
    z = model.centers_[i]
    raw, club = model.raw_centers()[i], model.mean_
    best: dict[str, int] = {}
    for j, feature in enumerate(model.features):
        current = best.get(feature.question)
        if current is None or abs(z[j]) > abs(z[current]):
            best[feature.question] = j
    ranked = sorted(best.values(), key=lambda j: -abs(z[j]))[:TRAITS_MAX]
    strong = [j for j in ranked if abs(z[j]) >= TRAIT_Z]
    chosen = strong if len(strong) >= TRAITS_MIN else ranked[:TRAITS_MIN]
    # shares are means of 0/1 columns: clip the float noise of the centre's back-transform
    low, high = (0.0, 1.0)
    return tuple(Trait(f.question, f.option, f.kind,
                       float(np.clip(raw[j], low, high)) if f.kind != "scale" else float(raw[j]),
                       float(np.clip(club[j], low, high)) if f.kind != "scale" else float(club[j]),
                       float(z[j]))
                 for j in chosen for f in (model.features[j],))


def _noun(maturity: float) -> str:
    if math.isnan(maturity):
        return "explorers"
    return next(noun for floor, noun in NOUNS if maturity >= floor)


def _name_candidates(model: Personas, i: int) -> list[str]:
    """Trait keys for persona `i`, best first (see PRACTICE_TRAITS)."""
    column = {f.name: j for j, f in enumerate(model.features)}
    scored = [(sign * float(model.centers_[i, column[feature]]), key, practice)
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
    first two principal components of the standardised features."""
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


def nps_points(values: pd.Series) -> pd.Series:
    """Each respondent's contribution to the NPS: +100 promoter, −100 detractor, 0 passive."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    return pd.Series(np.select([v >= 9, v <= 6], [100.0, -100.0], 0.0),
                     index=v.index).where(v.notna())


def welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float] | None:
    """Welch's t statistic and two-sided p-value, or None when it cannot be computed."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2 or (np.var(a) == 0 and np.var(b) == 0):
        return None
    result = stats.ttest_ind(a, b, equal_var=False)
    return float(result.statistic), float(result.pvalue)


def holm(p: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (NaN where no test was run)."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="stable")]
    m = len(order)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _aggregate(measure: str, values: pd.Series, k: int) -> scoring.Aggregate:
    return scoring.nps(values, k) if measure == "club_nps" else scoring.mean(values, k)


def _outcome_row(measure: str, values: pd.Series, tested: pd.Series, members: np.ndarray,
                 k: int) -> dict[str, object]:
    mine, rest = _aggregate(measure, values[members], k), _aggregate(measure, values[~members], k)
    test = welch(tested[members].to_numpy(float), tested[~members].to_numpy(float)) \
        if mine.shown and rest.n >= k else None
    return {"measure": measure, "value": mine.value, "low": mine.low, "high": mine.high,
            "n": mine.n, "suppressed": mine.suppressed, "rest": rest.value, "rest_n": rest.n,
            "t": test[0] if test else np.nan, "p": test[1] if test else np.nan}


def persona_outcomes(labels: np.ndarray, answers: pd.DataFrame, k: int) -> pd.DataFrame:
    """Maturity, Club NPS, pyramid and pillars per persona against the rest of the Club:
    Welch's t-test per cell (on the NPS points for the NPS), Holm-adjusted over the table."""
    rows = []
    for measure in (m for m in OUTCOMES if m in answers):
        values = pd.to_numeric(answers[measure], errors="coerce").astype(float)
        tested = nps_points(answers[measure]) if measure == "club_nps" else values
        club = _aggregate(measure, values, k)
        for i in range(int(labels.max()) + 1 if len(labels) else 0):
            row = _outcome_row(measure, values, tested, labels == i, k)
            rows.append({"persona": i, **row, "club": club.value, "club_n": club.n})
    frame = pd.DataFrame(rows)
    frame["p_holm"] = holm(frame["p"].to_numpy()) if len(frame) else []
    direction = np.sign(frame["t"].fillna(0.0))
    frame["signif"] = np.where(frame["p_holm"] < ALPHA, direction, 0).astype(int)
    return frame


@dataclass(frozen=True)
class PersonaMatch:
    """The persona a company is closest to (for the company scorecard)."""

    index: int  # 0-based persona number in the report
    name: tuple[str, str]  # render with cx.personas.text.persona_name(name, lang)
    share: float  # % of the respondents in that persona
    n: int  # members of that persona
    respondents: int  # the company's answers the match is based on


def match_company(report: PersonaReport, answers: pd.DataFrame,
                  wave: int | None = None) -> PersonaMatch | None:
    """The persona nearest the average answers of one company's respondents: those of `wave`
    when the company answered in it, else all of them. None without any answer."""
    if wave is not None and "wave" in answers and (answers["wave"] == wave).any():
        answers = answers[answers["wave"] == wave]
    index = assign_mean(report.model, answers)
    if index is None:
        return None
    persona = report.personas[index]
    return PersonaMatch(index, persona.name, persona.share, persona.n, len(answers))


def company_persona(store: Store, company: str, view: View,
                    personas_k: int | None = None) -> PersonaMatch | None:
    """The persona a company is closest to, among the personas of the view's filters (the
    command line's path; the app caches the fit in `cx.ui.personas`). With published filters:
    the release's one persona model (cx.privacy), whatever the filter."""
    qn, filters = store.qn, view.filters
    found = published_personas(store) if filters.published else build_report(
        store.responses(report_columns(qn), filters), qn, view, personas_k)
    if not isinstance(found, PersonaReport):
        return None
    return match_company(found, store.query("personas_company", company=company), filters.wave)


def published_personas(store: Store) -> PersonaReport | TooFew | None:
    """The persona model everyone but analysts sees (None: withheld), from the store's
    release; imported late, since the release is built from this module."""
    from cx.privacy import current_release

    return current_release(store).personas
