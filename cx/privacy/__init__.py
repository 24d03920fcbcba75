"""What a viewer may see: the one place that decides it (docs/privacy.md).

The published table is the responses after global recoding of the segment dimensions
(`recoding`) and suppression of every answer that a linear combination of published figures
could isolate in a group under k (`linking`); `admission` restricts the views to one segment
dimension at a time, so that every figure is an aggregate over a union of cells the check
covers. `audit` is the disclosure auditor the tests run. Pure: no Streamlit, no SQL.
"""

from cx.privacy.admission import (
    Admission,
    Notice,
    admit,
    allowed_breakdowns,
    as_raw,
    benchmark_row,
    crosses,
)
from cx.privacy.publication import DIMENSIONS, SEGMENTS, Publication, publish
from cx.privacy.publisher import Publisher, attach, current_release, prebuild
from cx.privacy.quantiles import smoothed_median, smoothed_quantiles
from cx.privacy.recoding import group_label, members
from cx.privacy.release import Release, release

__all__ = ["DIMENSIONS", "SEGMENTS", "Admission", "Notice", "Publication", "Publisher", "Release",
           "admit", "allowed_breakdowns", "as_raw", "attach", "benchmark_row", "crosses",
           "current_release", "group_label", "members", "prebuild", "publish", "release",
           "smoothed_median", "smoothed_quantiles"]
