"""Risultati: any question summarised for its kind, broken down by a profile variable into
privacy-safe groups with the right significance test, and followed across waves.

Pure: works on answer counts (`Store.tally`), never on individual rows, and never shows an
aggregate over fewer than k respondents. Everything is computed on codes under a `View`'s
rules (`view.rules`), so one result serves both languages; `Labels` names it for a reader.
"""

from cx.results.breakdown import Breakdown, Comparison, break_down, compare, tidy_crosstab
from cx.results.crosstab import count_text, crosstab_table
from cx.results.groups import MISSING, OTHERS, Groups, group_codes, privacy_groups, shown_groups
from cx.results.items import ITEMS, likert_family, likert_items, mark_item
from cx.results.labels import Labels, answers_table, bin_label, breakdown_label, picker_label
from cx.results.summary import Summary, bin_edges, net_agreement, summarise
from cx.results.tally import (
    BREAKDOWNS,
    NONE,
    TOTAL,
    answered,
    count_matrix,
    explorable,
    option_counts,
    sub_tally,
)
from cx.results.trend import Change, Trend, signature_changes, trend
from cx.results.verdict import (
    effect_row,
    gap_text,
    moves_table,
    moves_text,
    p_text,
    verdict_text,
    with_test,
)

__all__ = [
    "BREAKDOWNS", "ITEMS", "MISSING", "NONE", "OTHERS", "TOTAL", "Breakdown", "Change",
    "Comparison", "Groups", "Labels", "Summary", "Trend", "answered", "answers_table",
    "bin_edges", "bin_label", "break_down", "breakdown_label", "compare", "count_matrix",
    "count_text", "crosstab_table", "effect_row", "explorable", "gap_text", "group_codes",
    "likert_family", "likert_items", "mark_item", "moves_table", "moves_text", "net_agreement",
    "option_counts", "p_text",
    "picker_label", "privacy_groups", "shown_groups", "signature_changes", "sub_tally",
    "summarise", "tidy_crosstab", "trend", "verdict_text", "with_test",
]
