"""Buyer Personas model: k-means on the sociodemographic and behavioural answers (encoded and
weighted by `cx.personas.features`), with k chosen, and each persona's stability measured, by
bootstrap resampling.

The only module that imports scikit-learn. Pure (no I/O, no Streamlit) and in scikit-learn's
style: `fit_personas` returns a frozen result whose learned attributes end in `_`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

from cx.personas.features import (
    Feature,
    Fill,
    column_weights,
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
STABILITY_SAMPLE = 2_000  # rows of the fit sample that are resampled
BOOTSTRAPS = 20  # resamples per k
# k-means++ starts per resample (the personas themselves take N_INIT): a resample's poor start
# counts as instability, so the figure errs on the cautious side; 5 starts chose the same k on
# the sample and on six 20,000-respondent sets, at 1.5× the time
BOOT_N_INIT = 3
# Hennig (2007), clusterboot: a cluster whose mean bootstrap Jaccard is below 0.6 has
# dissolved, 0.6–0.75 is a weak pattern, above 0.75 it is stable.
DISSOLVED, STABLE = 0.6, 0.75
# Steinley (2004): an adjusted Rand index below 0.65 is poor agreement, 0.80 and above good.
ARI_POOR, ARI_GOOD = 0.65, 0.80
MIN_RESPONDENTS = 20
# Dolnicar, Grün, Leisch & Schmidt (2014): about 70 respondents per segmentation variable
# before segments found by clustering are reliable rather than illustrative.
ROWS_PER_FEATURE = 70
Reading = Literal["dissolved", "weak", "stable"]


@dataclass(frozen=True)
class KStability:
    """How reproducible the k-means solution with k clusters is under bootstrap resampling."""

    k: int
    ari: float  # mean adjusted Rand index, resample against the reference, on common rows
    se: float  # its standard error over the resamples
    jaccard: tuple[float, ...]  # per reference cluster, its mean best bootstrap Jaccard


@dataclass(frozen=True)
class Personas:
    """A fitted persona solution. Personas are numbered in a canonical order: by size
    (largest first), ties broken by the centre's coordinates."""

    questions: tuple[Question, ...]
    features: tuple[Feature, ...]
    random_state: int
    n_init: int
    fill_: dict[str, Fill]
    mean_: np.ndarray  # the Club's mean of each feature (imputed answers)
    scale_: np.ndarray  # the Club's standard deviation of each feature
    weights_: np.ndarray  # factor of each centred feature in the distance (column_weights)
    kmeans_: KMeans  # on the weighted features
    relabel_: np.ndarray  # KMeans cluster → persona index
    labels_: np.ndarray  # persona of each row given to fit
    centers_: np.ndarray  # centres in the weighted space, persona order
    raw_centers_: np.ndarray  # centres on the features' own scale (shares, levels)
    sizes_: np.ndarray
    k_: int
    best_k_: int  # the k the resampling rule chooses (choose_k)
    stability_: tuple[KStability, ...]  # one per k tried
    jaccard_: np.ndarray  # per persona: mean bootstrap Jaccard of its sample cluster
    pca_: PCA
    n_samples_: int

    @property
    def stability(self) -> float:
        """Mean adjusted Rand index of the shown k across the bootstrap resamples."""
        return next(s.ari for s in self.stability_ if s.k == self.k_)

    @property
    def illustrative(self) -> bool:
        """Too few respondents for the number of features for personas to be reliable."""
        return self.n_samples_ < ROWS_PER_FEATURE * len(self.features)

    @property
    def deviations_(self) -> np.ndarray:
        """Each persona's distance from the Club per feature, in the Club's standard
        deviations (0 where the Club does not vary)."""
        spread = np.where(self.scale_ > 0, self.scale_, np.inf)
        deviations: np.ndarray = (self.raw_centers_ - self.mean_) / spread
        return deviations

    def embed(self, raw: np.ndarray) -> np.ndarray:
        """Encoded features (rows × features) in the weighted space the clusters live in."""
        embedded: np.ndarray = (raw - self.mean_) * self.weights_
        return embedded

    def transform(self, answers: pd.DataFrame) -> np.ndarray:
        """Weighted features of `answers`, imputed as in the fit."""
        return self.embed(encode_answers(answers, self.questions, self.fill_))


def reading(jaccard: float) -> Reading:
    """Hennig's reading of a cluster's mean bootstrap Jaccard."""
    if not jaccard >= DISSOLVED:  # NaN (never drawn) reads as dissolved
        return "dissolved"
    return "stable" if jaccard > STABLE else "weak"


def assign(model: Personas, answers: pd.DataFrame) -> np.ndarray:
    """The nearest persona of each respondent in `answers` (any respondent, fitted or not)."""
    if len(answers) == 0:
        return np.empty(0, dtype=np.int16)
    labels: np.ndarray = model.relabel_[model.kmeans_.predict(model.transform(answers))]
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


def _pairs(counts: np.ndarray) -> float:
    return float((counts * (counts - 1) / 2).sum())


def rand_index(table: np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index from the contingency table of two clusterings
    (what scikit-learn's adjusted_rand_score gives, without rebuilding the labels)."""
    both, rows, cols = _pairs(table), _pairs(table.sum(axis=1)), _pairs(table.sum(axis=0))
    expected = rows * cols / _pairs(np.array([table.sum()]))
    spread = (rows + cols) / 2 - expected
    return 1.0 if spread == 0 else (both - expected) / spread


def agreement(reference: np.ndarray, labels: np.ndarray, k: int
              ) -> tuple[float, np.ndarray]:
    """Adjusted Rand index between two clusterings of the same rows, and for each of the
    reference's `k` clusters its Jaccard with the most similar cluster of `labels` (NaN for a
    cluster with no row here), as Hennig's clusterboot compares them."""
    found = int(labels.max()) + 1
    table = np.bincount(reference * found + labels, minlength=k * found).reshape(k, found)
    union = table.sum(axis=1, keepdims=True) + table.sum(axis=0, keepdims=True) - table
    with np.errstate(invalid="ignore"):
        jaccard = (table / union).max(axis=1)
    jaccard[table.sum(axis=1) == 0] = np.nan
    return rand_index(table), jaccard


def _resample_scores(sample: np.ndarray, grid: dict[int, KMeans], random_state: int
                     ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per k, the ARI of each bootstrap resample (B) and its clusters' Jaccard (B × k), against
    the reference clustering of the fit sample (`grid`, whose first rows `sample` is).

    A resample draws as many rows as `sample`, with replacement; a row drawn twice is used
    once (clusterboot's default), and the resample is clustered afresh by k-means."""
    rng = np.random.default_rng(random_state)
    aris = {k: np.full(BOOTSTRAPS, np.nan) for k in grid}
    jaccards = {k: np.full((BOOTSTRAPS, k), np.nan) for k in grid}
    for b in range(BOOTSTRAPS):
        rows = np.unique(rng.integers(0, len(sample), len(sample)))
        for k, reference in grid.items():
            if len(rows) <= k:
                continue
            labels = KMeans(k, n_init=BOOT_N_INIT, random_state=random_state + b
                            ).fit_predict(sample[rows])
            aris[k][b], jaccards[k][b] = agreement(reference.labels_[rows], labels, k)
    return {k: (aris[k], jaccards[k]) for k in grid}


def _stability(scores: dict[int, tuple[np.ndarray, np.ndarray]]) -> tuple[KStability, ...]:
    out = []
    for k, (ari, jaccard) in sorted(scores.items()):
        valid = ari[~np.isnan(ari)]
        se = float(valid.std(ddof=1) / np.sqrt(len(valid))) if len(valid) > 1 else np.nan
        mean = float(valid.mean()) if len(valid) else np.nan
        with np.errstate(all="ignore"):  # a cluster never drawn stays NaN
            per_cluster = np.nanmean(np.where(np.isnan(jaccard).all(axis=0), 0.0, jaccard),
                                     axis=0)
        out.append(KStability(k, mean, se, tuple(float(j) for j in per_cluster)))
    return tuple(out)


def stability_floor(curve: tuple[KStability, ...]) -> float:
    """The most stable k's stability minus its standard error (NaN when none was measured)."""
    valid = [s for s in curve if not np.isnan(s.ari)]
    if not valid:
        return float("nan")
    best = max(valid, key=lambda s: (s.ari, -s.k))
    return best.ari - (0.0 if np.isnan(best.se) else best.se)


def choose_k(curve: tuple[KStability, ...]) -> int:
    """The smallest k whose stability is within one standard error of the most stable k's
    (the one-standard-error rule: among solutions the resampling cannot tell apart, the
    simplest)."""
    floor = stability_floor(curve)
    return min((s.k for s in curve if s.ari >= floor), default=curve[0].k)


def canonical_relabel(labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Map cluster ids to personas ordered by size (largest first), then by centre."""
    sizes = np.bincount(labels, minlength=len(centers))
    order = sorted(range(len(centers)),
                   key=lambda c: (-sizes[c], tuple(np.round(centers[c], 9))))
    relabel = np.empty(len(centers), dtype=np.int16)
    relabel[order] = np.arange(len(centers))
    return relabel


def fit_personas(answers: pd.DataFrame, qn: Questionnaire, k: int | None = None,
                 random_state: int = SEED, n_init: int = N_INIT) -> Personas:
    """Fit the personas; `k=None` chooses k in 2…8 by bootstrap stability (`choose_k`)."""
    return fit_encode_personas(answers, qn, k, random_state, n_init)[0]


def fit_encode_personas(answers: pd.DataFrame, qn: Questionnaire, k: int | None = None,
                        random_state: int = SEED,
                        n_init: int = N_INIT) -> tuple[Personas, np.ndarray]:
    """`fit_personas`, plus the encoded features of `answers` on their own scale (0/1 columns
    and levels; `model.embed` gives what the clusters are computed on)."""
    if len(answers) < MIN_RESPONDENTS:
        raise ValueError(f"{len(answers)} respondents: at least {MIN_RESPONDENTS} are needed")
    # One thread: on a small shared server, OpenMP threads competing with other sessions and
    # processes made the fit 10× slower (2 s → 27 s at 100k on two busy cores).
    with threadpool_limits(limits=1):
        return _fit(answers, qn, k, random_state, n_init)


def _fit(answers: pd.DataFrame, qn: Questionnaire, k: int | None, random_state: int,
         n_init: int) -> tuple[Personas, np.ndarray]:
    questions = persona_questions(qn)
    features = persona_features(questions)
    fill = learn_fill(answers, questions)
    raw = encode_answers(answers, questions, fill)
    mean, weights = raw.mean(axis=0), column_weights(raw, features)
    x = (raw - mean) * weights
    sample = x[content_order(raw)[:FIT_SAMPLE]]
    grid = _grid(sample, random_state, n_init)
    curve = _stability(_resample_scores(sample[:STABILITY_SAMPLE], grid, random_state))
    best = choose_k(curve)
    chosen = best if k is None else int(np.clip(k, K_MIN, max(grid)))
    # refine the sample's solution on every row: one Lloyd run from its centres (cluster j
    # stays cluster j, so the sample's Jaccard still belongs to it)
    kmeans = KMeans(chosen, init=grid[chosen].cluster_centers_, n_init=1,
                    random_state=random_state).fit(x)
    relabel = canonical_relabel(kmeans.labels_, kmeans.cluster_centers_)
    labels = relabel[kmeans.labels_]
    sizes = np.bincount(labels, minlength=chosen)
    centers, jaccard = np.empty_like(kmeans.cluster_centers_), np.empty(chosen)
    centers[relabel] = kmeans.cluster_centers_
    jaccard[relabel] = next(s.jaccard for s in curve if s.k == chosen)
    model = Personas(
        questions=questions, features=features, random_state=random_state, n_init=n_init,
        fill_=fill, mean_=mean, scale_=raw.std(axis=0), weights_=weights, kmeans_=kmeans,
        relabel_=relabel, labels_=labels, centers_=centers,
        raw_centers_=_member_means(raw, labels, chosen), sizes_=sizes, k_=chosen,
        best_k_=best, stability_=curve, jaccard_=jaccard,
        pca_=PCA(2, random_state=random_state).fit(sample), n_samples_=len(answers),
    )
    return model, raw


def _member_means(raw: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return np.vstack([raw[labels == i].mean(axis=0) if (labels == i).any()
                      else np.full(raw.shape[1], np.nan) for i in range(k)])


def other_stable_k(model: Personas) -> int | None:
    """Another k worth trying: the most stable k other than the one shown, when its
    stability is good (ARI ≥ ARI_GOOD)."""
    others = [s for s in model.stability_ if s.k != model.k_ and s.ari >= ARI_GOOD]
    return max(others, key=lambda s: (s.ari, -s.k)).k if others else None
