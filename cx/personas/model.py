"""Buyer Personas model: k-means on the sociodemographic and behavioural answers (encoded by
`cx.personas.features`).

The only module that imports scikit-learn. Pure (no I/O, no Streamlit) and in scikit-learn's
style: `fit_personas` returns a frozen result whose learned attributes end in `_`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cx.personas.features import (
    Feature,
    Fill,
    encode_answers,
    learn_fill,
    persona_features,
    persona_questions,
)
from cx.questionnaire import Question, Questionnaire

K_MIN, K_MAX = 2, 8
SEED = 2026
N_INIT = 10
FIT_SAMPLE = 4_000  # rows on which k is chosen; the chosen solution is then refined on all rows
SILHOUETTE_SAMPLE = 2_000
STABILITY_SEEDS = 10
STABILITY_SAMPLE = 2_000
STABILITY_WARNING = 0.8
MIN_RESPONDENTS = 20
# Dolnicar, Grün, Leisch & Schmidt (2014): about 70 respondents per segmentation variable
# before segments found by clustering are reliable rather than illustrative.
ROWS_PER_FEATURE = 70


@dataclass(frozen=True)
class Personas:
    """A fitted persona solution. Personas are numbered in a canonical order: by size
    (largest first), ties broken by the centre's coordinates."""

    questions: tuple[Question, ...]
    features: tuple[Feature, ...]
    random_state: int
    n_init: int
    fill_: dict[str, Fill]
    pipeline_: Pipeline  # StandardScaler → KMeans
    relabel_: np.ndarray  # KMeans cluster → persona index
    labels_: np.ndarray  # persona of each row given to fit
    centers_: np.ndarray  # standardised centres (z-scores against the Club), persona order
    sizes_: np.ndarray
    k_: int
    best_k_: int  # the k with the highest silhouette
    silhouette_: tuple[tuple[int, float], ...]
    stability_: tuple[float, ...]  # adjusted Rand index against each of the other seeds
    pca_: PCA
    n_samples_: int

    @property
    def stability(self) -> float:
        """Mean adjusted Rand index across the stability seeds."""
        return float(np.mean(self.stability_)) if self.stability_ else float("nan")

    @property
    def illustrative(self) -> bool:
        """Too few respondents for the number of features for personas to be reliable."""
        return self.n_samples_ < ROWS_PER_FEATURE * len(self.features)

    @property
    def mean_(self) -> np.ndarray:
        """The Club's mean of each feature (imputed answers)."""
        mean: np.ndarray = self.pipeline_.named_steps["scale"].mean_  # sklearn is untyped
        return mean

    def raw_centers(self) -> np.ndarray:
        """Centres on the features' own scale (shares for 0/1 columns, levels for scales)."""
        scale = self.pipeline_.named_steps["scale"]
        centers: np.ndarray = scale.mean_ + self.centers_ * scale.scale_
        return centers

    def transform(self, answers: pd.DataFrame) -> np.ndarray:
        """Standardised features of `answers`, imputed as in the fit."""
        raw = encode_answers(answers, self.questions, self.fill_)
        scaled: np.ndarray = self.pipeline_.named_steps["scale"].transform(raw)
        return scaled


def assign(model: Personas, answers: pd.DataFrame) -> np.ndarray:
    """The nearest persona of each respondent in `answers` (any respondent, fitted or not)."""
    if len(answers) == 0:
        return np.empty(0, dtype=np.int16)
    raw = model.pipeline_.predict(encode_answers(answers, model.questions, model.fill_))
    labels: np.ndarray = model.relabel_[raw]
    return labels


def assign_mean(model: Personas, answers: pd.DataFrame) -> int | None:
    """The persona nearest the average profile of several respondents (e.g. one company)."""
    if len(answers) == 0:
        return None
    centre = model.transform(answers).mean(axis=0)
    return int(np.argmin(((model.centers_ - centre) ** 2).sum(axis=1)))


def content_order(features: np.ndarray) -> np.ndarray:
    """Rows in an order fixed by their content (a hash), whatever order they came in:
    its head is a pseudo-random sample that does not change when rows are shuffled."""
    hashes = pd.util.hash_pandas_object(pd.DataFrame(features), index=False).to_numpy()
    return np.argsort(hashes, kind="stable")


def _k_range(n: int) -> range:
    return range(K_MIN, min(K_MAX, n - 1) + 1)


def _grid(sample: np.ndarray, random_state: int, n_init: int) -> dict[int, KMeans]:
    return {k: KMeans(k, n_init=n_init, random_state=random_state).fit(sample)
            for k in _k_range(len(sample))}


def _silhouettes(sample: np.ndarray, grid: dict[int, KMeans], random_state: int
                 ) -> dict[int, float]:
    size = min(len(sample), SILHOUETTE_SAMPLE)
    return {k: float(silhouette_score(sample, km.labels_, sample_size=size,
                                      random_state=random_state)) for k, km in grid.items()}


def canonical_relabel(labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Map cluster ids to personas ordered by size (largest first), then by centre."""
    sizes = np.bincount(labels, minlength=len(centers))
    order = sorted(range(len(centers)),
                   key=lambda c: (-sizes[c], tuple(np.round(centers[c], 9))))
    relabel = np.empty(len(centers), dtype=np.int16)
    relabel[order] = np.arange(len(centers))
    return relabel


def _stability(sample: np.ndarray, reference: np.ndarray, k: int, n_init: int,
               random_state: int) -> tuple[float, ...]:
    seeds = range(random_state + 1, random_state + 1 + STABILITY_SEEDS)
    return tuple(float(adjusted_rand_score(
        reference, KMeans(k, n_init=n_init, random_state=s).fit_predict(sample))) for s in seeds)


def fit_personas(answers: pd.DataFrame, qn: Questionnaire, k: int | None = None,
                 random_state: int = SEED, n_init: int = N_INIT) -> Personas:
    """Fit the personas; `k=None` chooses k in 2…8 by the highest silhouette."""
    return fit_transform_personas(answers, qn, k, random_state, n_init)[0]


def fit_transform_personas(answers: pd.DataFrame, qn: Questionnaire, k: int | None = None,
                           random_state: int = SEED,
                           n_init: int = N_INIT) -> tuple[Personas, np.ndarray]:
    """`fit_personas`, plus the standardised features of `answers` (what `transform` gives)."""
    if len(answers) < MIN_RESPONDENTS:
        raise ValueError(f"{len(answers)} respondents: at least {MIN_RESPONDENTS} are needed")
    # One thread: on a small shared server, OpenMP threads competing with other sessions and
    # processes made the fit 10× slower (2 s → 27 s at 100k on two busy cores).
    with threadpool_limits(limits=1):
        return _fit(answers, qn, k, random_state, n_init)


def _fit(answers: pd.DataFrame, qn: Questionnaire, k: int | None, random_state: int,
         n_init: int) -> tuple[Personas, np.ndarray]:
    questions = persona_questions(qn)
    fill = learn_fill(answers, questions)
    raw = encode_answers(answers, questions, fill)
    scaler = StandardScaler().fit(raw)
    z = scaler.transform(raw)
    sample = z[content_order(raw)[:FIT_SAMPLE]]
    grid = _grid(sample, random_state, n_init)
    silhouette = _silhouettes(sample, grid, random_state)
    best = max(silhouette, key=lambda kk: (silhouette[kk], -kk))
    chosen = best if k is None else int(np.clip(k, K_MIN, max(grid)))
    # refine the sample's solution on every row: one Lloyd run from its centres
    kmeans = KMeans(chosen, init=grid[chosen].cluster_centers_, n_init=1,
                    random_state=random_state).fit(z)
    relabel = canonical_relabel(kmeans.labels_, kmeans.cluster_centers_)
    labels = relabel[kmeans.labels_]
    centers = np.empty_like(kmeans.cluster_centers_)
    centers[relabel] = kmeans.cluster_centers_
    small = sample[:STABILITY_SAMPLE]
    stability = _stability(small, kmeans.predict(small), chosen, n_init, random_state)
    model = Personas(
        questions=questions, features=persona_features(questions), random_state=random_state,
        n_init=n_init, fill_=fill,
        pipeline_=Pipeline([("scale", scaler), ("kmeans", kmeans)]),
        relabel_=relabel, labels_=labels, centers_=centers,
        sizes_=np.bincount(labels, minlength=chosen), k_=chosen, best_k_=best,
        silhouette_=tuple(sorted(silhouette.items())), stability_=stability,
        pca_=PCA(2, random_state=random_state).fit(sample), n_samples_=len(answers),
    )
    return model, z


def second_peak(model: Personas) -> int | None:
    """Another k worth trying: the best local maximum of the silhouette curve other than the
    chosen k (silhouette often prefers two broad groups to four or five sharper portraits)."""
    curve = dict(model.silhouette_)
    peaks = [k for k, s in curve.items() if k != model.k_
             and s >= curve.get(k - 1, -np.inf) and s >= curve.get(k + 1, -np.inf)]
    return max(peaks, key=lambda k: curve[k]) if peaks else None
