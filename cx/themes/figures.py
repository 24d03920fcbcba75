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
    """One row per tally row, one column per theme: whether its answer speaks of the theme."""
    index = {k: j for j, k in enumerate(keys)}
    per_answer = {a: [index[x] for x in ts if x in index] for a, ts in themes.items()}
    out = np.zeros((len(rows), len(keys)), dtype=bool)
    for i, answer in enumerate(rows[ANSWER].astype(str)):
        out[i, per_answer.get(answer, [])] = True
    return out


def _shares(hits: np.ndarray, weights: np.ndarray, companies: np.ndarray, k: int
            ) -> scoring.Aggregate:
    """Share of respondents (`weights` per tally row) with a hit, interval clustered."""
    return scoring.proportion(np.repeat(hits.astype(float), weights), k,
                              np.repeat(companies, weights))


def theme_table(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]],
                keys: tuple[str, ...], k: int) -> pd.DataFrame:
    """Per theme: respondents, share (0–1) and its interval, companies, design effect; the
    most frequent first (ties: in the order of `keys`)."""
    weights = rows["n"].to_numpy(dtype=int)
    companies = scoring.cluster_labels(rows["company"].to_numpy())
    hit = flags(rows, themes, keys)
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


def uncovered(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]], k: int
              ) -> scoring.Aggregate:
    """The respondents whose answer no theme explains: their count is `value`·n/100."""
    weights = rows["n"].to_numpy(dtype=int)
    none = np.array([not themes.get(str(a)) for a in rows[ANSWER]], dtype=bool)
    return _shares(none, weights, scoring.cluster_labels(rows["company"].to_numpy()), k)


def theme_moves(rows: pd.DataFrame, themes: Mapping[str, frozenset[str]],
                keys: tuple[str, ...], min_base: int = 1) -> pd.DataFrame:
    """Each theme's move between the last two waves of `rows` (every wave), indexed by theme;
    empty below two waves, or when either wave has fewer than `min_base` answers (its shares
    would describe too few respondents)."""
    waves = sorted(int(w) for w in rows["wave"].dropna().unique())
    empty = pd.DataFrame(columns=["theme", *MOVE_COLUMNS])
    if len(waves) < 2 or not keys:
        return empty
    two = rows[rows["wave"].isin(waves[-2:])]
    weights = two["n"].to_numpy(dtype=float)
    wave = two["wave"].to_numpy(dtype=int)
    bases = {w: float(weights[wave == w].sum()) for w in waves[-2:]}
    if min(bases.values()) < min_base:
        return empty
    companies = scoring.cluster_labels(two["company"].to_numpy())
    hit = flags(two, themes, keys).astype(float)
    trend = []
    for j, key in enumerate(keys):
        deff = design.numbers_deff(hit[:, j], weights, wave, companies)
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


def _share(trend: list[dict[str, object]], key: object, wave: int) -> float:
    return next(float(str(r["value"])) for r in trend if r["series"] == key and r["wave"] == wave)


def last_waves(rows: pd.DataFrame, min_base: int = 1) -> tuple[int, int] | None:
    """The last two waves of `rows`, if each has at least `min_base` answers."""
    bases = rows.groupby("wave")["n"].sum().sort_index()
    if len(bases) < 2 or int(bases.iloc[-2:].min()) < min_base:
        return None
    return int(bases.index[-2]), int(bases.index[-1])
