"""Key-driver analysis of one outcome in one group of respondents. Pure.

Over the respondents who answered the outcome: the R² of the linear model of the outcome on
the standardized drivers, each driver's share of it (LMG, or Johnson's weights beyond
`importance.MAX_EXACT` drivers), company-bootstrap intervals for both, the verdict on the
ranking (a driver leads only when the interval of its lead over the second excludes zero) and
the importance × performance quadrants. A driver value left blank is replaced by the group's
mean of that driver (the few blanks then neither add nor remove respondents).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from cx import scoring
from cx.drivers import bootstrap, importance
from cx.drivers.data import ANSWERED

MIN_N = 30  # respondents, whatever the drivers
PER_DRIVER = 10  # respondents per driver
MIN_COMPANIES = 10  # companies the bootstrap resamples
MIN_R2 = 0.05  # adjusted R² under which nothing is ranked
MIN_R2_LOW = 0.02  # nor when the interval of R² reaches down to this
ALPHA = 0.05
QUADRANTS = ("keep", "improve", "monitor", "overinvested")
COLUMNS = ("driver", "share", "low", "high", "contribution", "performance", "perf_low",
           "perf_high", "perf_n", "quadrant", "rank")


@dataclass(frozen=True)
class Lead:
    """The driver with the largest share against the second: the difference in share
    points with its bootstrap interval."""

    first: str
    second: str
    gap: float
    low: float
    high: float

    @property
    def holds(self) -> bool:
        return self.low > 0


@dataclass(frozen=True)
class Analysis:
    """What the page, the slide and the downloads show of one key-driver analysis.
    `status`: ok, too_few (n under `needed`), too_little (the model explains too little to
    rank), defined (the outcome is computed from the drivers)."""

    outcome: str
    drivers: tuple[str, ...]
    status: str
    n: int
    companies: int
    needed: int
    method: str = "lmg"
    r2: float | None = None
    r2_low: float | None = None
    r2_high: float | None = None
    adjusted: float | None = None
    p_value: float | None = None
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS),
                                repr=False, compare=False)
    lead: Lead | None = None
    tied: tuple[str, ...] = ()  # drivers whose share the first's does not exceed
    imputed: int = 0  # driver values replaced by the group's mean
    dropped: tuple[str, ...] = ()  # drivers without variance in the group

    @property
    def ranked(self) -> bool:
        return self.status == "ok"


def needed(k: int, drivers: int) -> int:
    """Respondents needed to analyse `drivers` drivers: max(k, 30, 10 per driver)."""
    return max(k, MIN_N, PER_DRIVER * drivers)


def _prepared(frame: pd.DataFrame, outcome: str, drivers: tuple[str, ...]
              ) -> tuple[pd.DataFrame, int, tuple[str, ...]]:
    """Rows with the outcome, blanks of drivers filled with their mean; drivers without
    variance dropped."""
    used = frame[[*dict.fromkeys((*drivers, outcome)), "company"]]  # not the keys' text
    rows = used[pd.to_numeric(used[outcome], errors="coerce").notna()]
    values = rows[list(drivers)].apply(pd.to_numeric, errors="coerce").astype(float)
    keep = tuple(d for d in drivers if values[d].notna().sum() > 1 and values[d].std() > 0)
    imputed = int(values[list(keep)].isna().sum().sum())
    out = values[list(keep)].fillna(values[list(keep)].mean())
    out[outcome] = pd.to_numeric(rows[outcome], errors="coerce").astype(float)
    # companies numbered by name, not by row: the rows come in storage order (sorting a
    # million held 170 MB more), and the bootstrap draws companies by their number
    out["company"] = pd.factorize(rows["company"], sort=True, use_na_sentinel=False)[0]
    return out, imputed, tuple(d for d in drivers if d not in keep)


def _f_test(r2: float, n: int, p: int) -> tuple[float, float]:
    """Adjusted R² and the overall F test's p-value, on `n` (the companies when fewer:
    respondents of one company are not independent)."""
    df2 = n - p - 1
    if df2 <= 0:
        return float("nan"), 1.0
    adjusted = 1 - (1 - r2) * (n - 1) / df2
    f = (r2 / p) / max((1 - r2) / df2, 1e-12)
    return adjusted, float(stats.f.sf(f, p, df2))


def _performance(frame: pd.DataFrame, drivers: tuple[str, ...], k: int) -> pd.DataFrame:
    """Each driver's mean score over the group's respondents who answered it (the outcome
    answered or not: the same mean the pillars' and pyramid's pages show), company-clustered.
    A practice asked only on some answers is read over those who answered it (`ANSWERED`)."""
    clusters = scoring.cluster_labels(frame["company"])
    rows = []
    for d in drivers:
        column = frame[d + ANSWERED] if d + ANSWERED in frame else frame[d]
        agg = scoring.mean(pd.to_numeric(column, errors="coerce"), k, clusters)
        rows.append({"driver": d, "performance": agg.value, "perf_low": agg.low,
                     "perf_high": agg.high, "perf_n": agg.n})
    return pd.DataFrame(rows)


def _lead(shares: np.ndarray, boot: np.ndarray, names: tuple[str, ...]
          ) -> tuple[Lead, tuple[str, ...]]:
    order = np.argsort(-shares, kind="stable")
    first = int(order[0])
    gaps = boot[:, [first]] - boot  # the first's share minus each other's, per replicate
    low, high = bootstrap.percentile(gaps)
    tied = tuple(names[int(j)] for j in order if j == first or low[j] <= 0)
    second = int(order[1])
    lead = Lead(names[first], names[second], float(shares[first] - shares[second]),
                float(low[second]), float(high[second]))
    return lead, tied


def _quadrants(table: pd.DataFrame) -> pd.Series:
    """Importance above or below an equal share (100/p), performance above or below the
    drivers' mean."""
    important = table["share"] >= 100 / len(table)
    strong = table["performance"] >= table["performance"].mean()
    return pd.Series(np.select([important & strong, important & ~strong, ~important & ~strong],
                               list(QUADRANTS[:3]), QUADRANTS[3]), index=table.index)


def analyse(frame: pd.DataFrame, outcome: str, drivers: tuple[str, ...], k: int,
            replicates: int = bootstrap.REPLICATES, seed: int = bootstrap.SEED) -> Analysis:
    """The key-driver analysis of `outcome` on `drivers` over `frame` (a `company` column and
    one numeric column each), withheld under `needed(k, drivers)` respondents."""
    data, imputed, dropped = _prepared(frame, outcome, drivers)
    kept = tuple(d for d in drivers if d not in dropped)
    codes = data["company"].to_numpy(dtype=np.intp)  # 0..G−1 by name (`_prepared`)
    count = int(codes.max()) + 1 if len(codes) else 0
    base = Analysis(outcome, kept, "too_few", len(data), count, needed(k, len(drivers)),
                    imputed=imputed, dropped=dropped)
    if len(data) < base.needed or count < max(k, MIN_COMPANIES) or len(kept) < 2:
        return base
    values = data[[*kept, outcome]].to_numpy(dtype=float)
    del data  # its copy in `values` is what the sums read
    sums = bootstrap.company_sums(values, *bootstrap.units(codes, count, seed))
    del values
    corr = bootstrap.correlations(sums.sum(axis=0), len(kept) + 1)
    reps = bootstrap.replicate_correlations(sums, len(kept) + 1, replicates, seed)
    parts, method = importance.contributions(np.concatenate([corr[None], reps]))
    r2 = parts.sum(axis=-1)
    shares = parts / np.where(r2 > 0, r2, np.nan)[:, None] * 100
    r2_low, r2_high = bootstrap.percentile(r2[1:])
    low, high = bootstrap.percentile(shares[1:])
    adjusted, p_value = _f_test(float(r2[0]), min(base.n, count), len(kept))
    table = pd.DataFrame({"driver": kept, "share": shares[0], "low": low, "high": high,
                          "contribution": parts[0]}).merge(
        _performance(frame, kept, k), on="driver")
    table["quadrant"] = _quadrants(table)
    table["rank"] = table["share"].rank(ascending=False, method="first").astype(int)
    lead, tied = _lead(shares[0], shares[1:], kept)
    little = adjusted < MIN_R2 or p_value >= ALPHA or float(r2_low) <= MIN_R2_LOW
    return replace(base, status="too_little" if little else "ok", method=method,
                   r2=float(r2[0]), r2_low=float(r2_low), r2_high=float(r2_high),
                   adjusted=adjusted, p_value=p_value,
                   table=table.sort_values("rank").reset_index(drop=True), lead=lead, tied=tied)
