"""How each option of a choice question moved between the last two waves: the overall test
across all options can miss one option that doubled, so each option is also tested on its own
(chosen / not chosen × wave, Holm-corrected across the options), with its change in points, a
Newcombe interval at the Bonferroni level of the family, and Cramér's V (|φ| of the 2×2). On
codes, in no language."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cx import effects, stats

COLUMNS = ("series", "before", "after", "change", "low", "high", "p_holm", "v", "magnitude",
           "significant", "n_before", "n_after")


def option_moves(table: pd.DataFrame) -> pd.DataFrame:
    """Per option (`series`) of a trend table (wave, series, value as a share, n: the wave's
    base), its move from the second-to-last wave to the last, in the table's order. Empty
    below two waves."""
    waves = sorted(table["wave"].unique())
    if len(waves) < 2:
        return pd.DataFrame(columns=list(COLUMNS))
    before, after = (table[table["wave"] == w].set_index("series") for w in waves[-2:])
    codes = [c for c in dict.fromkeys(table["series"]) if c in before.index and c in after.index]
    x1 = np.rint(before.loc[codes, "value"] * before.loc[codes, "n"]).to_numpy(dtype=float)
    x2 = np.rint(after.loc[codes, "value"] * after.loc[codes, "n"]).to_numpy(dtype=float)
    n1 = before.loc[codes, "n"].to_numpy(dtype=float)
    n2 = after.loc[codes, "n"].to_numpy(dtype=float)
    tables = [np.array([[a, m - a], [b, k - b]]) for a, m, b, k in zip(x1, n1, x2, n2)]
    raw = np.array([_p(tb) for tb in tables])
    tested = ~np.isnan(raw)
    p_holm = np.full(len(codes), np.nan)
    if tested.any():
        p_holm[tested] = stats.holm(raw[tested])
    level = effects.corrected_level(int(tested.sum()))
    rows = []
    for i, code in enumerate(codes):
        change = effects.newcombe_interval(x2[i], n2[i], x1[i], n1[i], level)
        v = effects.cramers_v(tables[i])
        rows.append({
            "series": code, "before": x1[i] / n1[i], "after": x2[i] / n2[i],
            "change": change.estimate, "low": change.low, "high": change.high,
            "p_holm": p_holm[i], "v": v,
            "magnitude": None if math.isnan(v) else effects.magnitude(v, effects.v_cuts(1)),
            "significant": bool(p_holm[i] < stats.ALPHA) if tested[i] else False,
            "n_before": int(n1[i]), "n_after": int(n2[i])})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _p(table: np.ndarray) -> float:
    test = stats.contingency_test(table)
    return math.nan if test.p is None else float(test.p)
