"""Rounded numbers that agree with each other where a reader adds or subtracts them: parts that
sum to their rounded total (largest remainder), and promoters and detractors whose difference
is the rounded NPS. Pure; rounds half away from zero, as `cx.fmt` does."""

from __future__ import annotations

import math
from collections.abc import Sequence

from cx.fmt import rounded


def largest_remainder(values: Sequence[float], digits: int = 0) -> list[float]:
    """Each value rounded down or up so that the parts add up to their total rounded
    (Hamilton's method): [24.6, 7.6, 67.8] → [24, 8, 68], which a sentence may add
    («il 32%») beside bars that show them. Ties go to the earlier part."""
    scale = 10 ** digits
    scaled = [float(v) * scale for v in values]
    # the float sum of 24.6 + 7.6 is 32.199…: the shares' total rounds as a reader rounds it
    total = int(rounded(math.fsum(scaled)))
    floors = [math.floor(v + 1e-9) for v in scaled]
    short = total - sum(floors)
    by_remainder = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in by_remainder[:max(short, 0)]:
        floors[i] += 1
    return [f / scale for f in floors]


def difference_parts(first: float, second: float) -> tuple[float, float]:
    """Whole numbers near `first` and `second` whose difference is the rounded difference:
    promoters 26.4% and detractors 24.6% (NPS +1.8, shown +2) → 26 and 24, so that «+2, con il
    26% di promotori e il 24% di detrattori» adds up. Each moves by less than one."""
    target = int(rounded(first - second))
    candidates = [(a, a - target) for a in (math.floor(first), math.ceil(first))]
    a, b = min(candidates, key=lambda c: (abs(c[0] - first) + abs(c[1] - second), c[0]))
    return float(a), float(b)
