"""The figures of the themes of one question, from its tally (answer, wave, company, n):

* per theme, the respondents whose answer speaks of it and their share of those who answered,
  with a 95% Wilson interval on the effective n (company-clustered: `cx.scoring.proportion`);
* coverage: the respondents whose answer no theme explains, with the same interval;
* the move of each theme between the last two waves: the 2×2 test of `cx.results.moves`
  (speaks of it / not × wave, Holm across the themes, Newcombe interval, Cramér's V) on counts
  divided by the theme's design effect across the two waves (first-order Rao–Scott), so that
  companies answering alike do not make a move look surer than it is.

An answer may speak of several themes: the shares do not add up to 100%. Pure."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cx import scoring
from cx.results import design
from cx.results.moves import option_moves

ANSWER = "answer"
TABLE_COLUMNS = ("theme", "count", "share", "low", "high", "companies", "deff")
MOVE_COLUMNS = ("before", "after", "change", "change_low", "change_high", "p_holm", "v",
                "magnitude", "significant", "n_before", "n_after")


def flags(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]], keys: tuple[str, ...]
          ) -> np.ndarray:
    """One row per tally row, one column per theme: whether its answer speaks of the theme
    (worked out once per distinct answer)."""
    codes, uniques = pd.factorize(rows[ANSWER].astype(str))
    index = {k: j for j, k in enumerate(keys)}
    per_answer = np.zeros((len(uniques), len(keys)), dtype=bool)
    for i, answer in enumerate(uniques.tolist()):
        per_answer[i, [index[x] for x in themes.get(str(answer), ()) if x in index]] = True
    found: np.ndarray = per_answer[codes]
    return found


def _shares(hits: np.ndarray, weights: np.ndarray, companies: np.ndarray, k: int
            ) -> scoring.Aggregate:
    """Share of respondents (`weights` per tally row) with a hit, interval clustered."""
    return scoring.proportion(np.repeat(hits.astype(float), weights), k,
                              np.repeat(companies, weights))


def theme_table(rows: pd.DataFrame, hit: np.ndarray, keys: tuple[str, ...], k: int
                ) -> pd.DataFrame:
    """Per theme (`hit`: `flags` of the rows), respondents, share (0–1) and its interval,
    companies, design effect; the most frequent first (ties: in the order of `keys`)."""
    weights = rows["n"].to_numpy(dtype=int)
    companies = scoring.cluster_labels(rows["company"].to_numpy())
    records: list[dict[str, object]] = []
    counts: list[int] = []
    for j, key in enumerate(keys):
        agg = _shares(hit[:, j], weights, companies, k)
        counts.append(int(weights[hit[:, j]].sum()))
        records.append({"theme": key, "count": counts[-1],
                        "share": _unit(agg.value), "low": _unit(agg.low),
                        "high": _unit(agg.high), "companies": agg.companies,
                        "deff": agg.deff})
    table = pd.DataFrame(records, columns=list(TABLE_COLUMNS))
    order = sorted(range(len(keys)), key=lambda j: (-counts[j], j))
    return table.iloc[order].reset_index(drop=True)


def _unit(value: float | None) -> float:
    return float("nan") if value is None else value / 100


def uncovered(rows: pd.DataFrame, hit: np.ndarray, k: int) -> scoring.Aggregate:
    """The respondents whose answer no theme explains (`hit`: `flags` of the rows over every
    theme): their count is `value`·n/100."""
    none = np.logical_not(np.asarray(hit, dtype=bool).any(axis=1)) if hit.shape[1] else \
        np.ones(len(rows), dtype=bool)
    return _shares(none, rows["n"].to_numpy(dtype=int),
                   scoring.cluster_labels(rows["company"].to_numpy()), k)


def theme_moves(rows: pd.DataFrame, hits: np.ndarray, keys: tuple[str, ...],
                min_base: int = 1) -> pd.DataFrame:
    """Each theme's move between the last two waves of `rows` (every wave; `hits` their
    `flags`), indexed by theme; empty below two waves, or when either wave has fewer than
    `min_base` answers (its shares would describe too few respondents)."""
    waves = sorted(int(w) for w in rows["wave"].dropna().unique())
    empty = pd.DataFrame(columns=["theme", *MOVE_COLUMNS])
    if len(waves) < 2 or not keys:
        return empty
    last = rows["wave"].isin(waves[-2:]).to_numpy()
    two = rows[last]
    weights = two["n"].to_numpy(dtype=float)
    wave = two["wave"].to_numpy(dtype=int)
    bases = {w: float(weights[wave == w].sum()) for w in waves[-2:]}
    if min(bases.values()) < min_base:
        return empty
    companies = scoring.cluster_labels(two["company"].to_numpy())
    hit = hits[last].astype(float)
    trend = []
    first = wave == waves[-2]
    for j, key in enumerate(keys):
        deff = _wave_deff(hit[:, j], weights, first, companies)
        for w in waves[-2:]:
            x = float((hit[wave == w, j] * weights[wave == w]).sum())
            trend.append({"wave": w, "series": key, "value": x / bases[w] if bases[w] else 0.0,
                          "n": bases[w] / deff})
    moves = option_moves(pd.DataFrame(trend))
    moves = moves.rename(columns={"series": "theme", "low": "change_low",
                                  "high": "change_high"})
    return moves.assign(n_before=int(bases[waves[-2]]), n_after=int(bases[waves[-1]]),
                        before=[_share(trend, key, waves[-2]) for key in moves["theme"]],
                        after=[_share(trend, key, waves[-1]) for key in moves["theme"]])


def _wave_deff(hit: np.ndarray, weights: np.ndarray, first: np.ndarray,
               companies: np.ndarray) -> float:
    """The design effect of a theme's share across two waves (`cx.results.design.deff` on the
    residuals from each wave's share), in numpy: one per theme at 100k tally rows."""
    means = np.zeros(len(hit))
    for mask in (first, ~first):
        total = weights[mask].sum()
        means[mask] = (hit[mask] * weights[mask]).sum() / total if total else 0.0
    return design.deff(hit - means, weights, companies)


def _share(trend: list[dict[str, object]], key: object, wave: int) -> float:
    return next(float(str(r["value"])) for r in trend if r["series"] == key and r["wave"] == wave)


def last_waves(rows: pd.DataFrame, min_base: int = 1) -> tuple[int, int] | None:
    """The last two waves of `rows`, if each has at least `min_base` answers."""
    bases = rows.groupby("wave")["n"].sum().sort_index()
    if len(bases) < 2 or int(bases.iloc[-2:].min()) < min_base:
        return None
    return int(bases.index[-2]), int(bases.index[-1])
