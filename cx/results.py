"""Risultati: any question summarised for its type, broken down by a profile variable into
privacy-safe groups with the right significance test, and followed across waves.

Pure: works on answer counts (`Store.tally`: one row per combination of answers, with `n`),
never on individual rows, and never shows an aggregate over fewer than k respondents.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from cx import comments, fmt, scoring, stats
from cx.i18n import t
from cx.privacy.quantiles import smoothed_median
from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire

NONE = "none"
BREAKDOWNS = (NONE, "sector", "size_band", "region", "market", "role", "wave")
HIDDEN_QUESTIONS = ("respondent_id", "company", "wave")  # identifiers and the survey year
OTHERS = "_altri"
MISSING = "_na"
TOTAL = "_totale"
NPS_BOUNDS = (0.0, 10.0)
NPS_CATEGORIES = ("detractor", "passive", "promoter")
NICE_WIDTHS = (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 250, 500, 1000)
MAX_BINS = 20
# what changed between two waves, by the keys of Question.signature()
ASPECTS = (("text", ("it", "en")), ("options", ("options",)), ("scale", ("type", "min", "max")))
MARKS = {1: " ▲", -1: " ▼", 0: ""}
CROSSTAB_COLUMNS = ("code", "label", "group", "group_label", "count", "base", "share", "mark")


def kind_of(q: Question) -> str:
    """single | multi | likert | nps (a 0–10 scale) | scale | number | text."""
    return "nps" if q.type == "scale" and q.bounds == NPS_BOUNDS else q.type


def explorable(qn: Questionnaire) -> tuple[Question, ...]:
    """The questions a user may explore: all but identifiers (respondent, company, wave)."""
    return tuple(q for q in qn.questions if q.type != "id" and q.id not in HIDDEN_QUESTIONS)


def picker_label(q: Question, qn: Questionnaire, lang: str) -> str:
    """'Sezione · testo': the question picker is searchable by either."""
    return f"{qn.section_title(q.section, lang)} · {q.text(lang)}"


def breakdown_label(by: str, lang: str) -> str:
    return t(f"results.by.{by}", lang)


def answered(counts: pd.DataFrame, qid: str) -> pd.DataFrame:
    """The rows of a tally whose answer to `qid` is given (non-empty)."""
    values = counts[qid]
    keep = values.notna()
    if not pd.api.types.is_numeric_dtype(values):
        keep &= values.astype("string").str.strip().fillna("") != ""
    return counts[keep.to_numpy(dtype=bool)]


def sub_tally(counts: pd.DataFrame, columns: tuple[str, ...], wave: int | None = None
              ) -> pd.DataFrame:
    """A tally of fewer columns (of one wave, if given) summed from a wider tally that has a
    `wave` column: what Store.tally would return for them, without another query."""
    rows = counts if wave is None else counts[counts["wave"] == wave]
    return rows.groupby(list(columns), dropna=False, sort=False)["n"].sum().reset_index()


def _numbers(frame: pd.DataFrame, qid: str) -> np.ndarray:
    """One value per respondent, rebuilt from (value, n) pairs."""
    values = pd.to_numeric(frame[qid]).to_numpy(dtype=float)
    return np.repeat(values, frame["n"].to_numpy(dtype=int))


def _nps_points(values: np.ndarray) -> np.ndarray:
    """Each respondent's contribution to the NPS (+100 / 0 / −100): their mean is the NPS, so a
    test of means on it is a test of NPS differences."""
    return np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0))


def _option_codes(q: Question, values: pd.Series) -> pd.Series:
    if q.type == "likert":
        return pd.to_numeric(values).round().astype(int).astype(str)
    return values.astype(str)


def count_matrix(codes: np.ndarray, groups: np.ndarray | None, n: np.ndarray,
                 order: list[str]) -> pd.DataFrame:
    """Respondents per code (rows: `order`, then any other code found) and group (columns,
    in order of appearance; one column TOTAL without groups). Numpy, not a pandas pivot:
    this runs several times per page view."""
    group_index, group_names = (np.zeros(len(codes), dtype=int), np.array([TOTAL])) \
        if groups is None else pd.factorize(groups)
    code_index, code_names = pd.factorize(codes)
    matrix = np.zeros((len(code_names), len(group_names)), dtype=np.int64)
    np.add.at(matrix, (code_index, group_index), n.astype(np.int64))
    found = [str(c) for c in code_names]
    rows = [*order, *sorted(set(found) - set(order))]
    table = pd.DataFrame(matrix, index=found, columns=[str(g) for g in group_names])
    return table.reindex(rows, fill_value=0)


def option_counts(q: Question, frame: pd.DataFrame, groups: pd.Series | None = None
                  ) -> pd.DataFrame:
    """Respondents per option code (rows, questionnaire order) and group (columns). For
    multiple choice a respondent counts once in each option they chose."""
    codes = _option_codes(q, frame[q.id])
    n = frame["n"].to_numpy(dtype=int)
    group_values = None if groups is None else groups.to_numpy()
    if q.type != "multi":
        return count_matrix(codes.to_numpy(), group_values, n, list(q.codes))
    chosen = codes.str.split(MULTI_SEPARATOR)
    # pandas-stubs types .str.len() for strings only; it counts the split lists' items too
    lengths = chosen.str.len().to_numpy(dtype=int)  # type: ignore[misc]
    flat = np.concatenate(chosen.to_numpy()) if len(chosen) else np.array([], dtype=str)
    repeated = None if group_values is None else np.repeat(group_values, lengths)
    return count_matrix(flat, repeated, np.repeat(n, lengths), list(q.codes))


def _display_order(q: Question, table: pd.DataFrame) -> pd.DataFrame:
    """Ordered scales keep their order; other options by frequency, 'none'-type options last."""
    if q.ordered or q.type == "likert":
        return table.reset_index(drop=True)
    last = table["code"].isin(q.exclusive)
    table = table.assign(_last=last).sort_values(["_last", "count"], ascending=[True, False],
                                                 kind="stable")
    return table.drop(columns="_last").reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    """A question's answers in the current filter, summarised for its type."""

    qid: str
    kind: str
    respondents: int  # in the filter
    n: int  # who answered
    threshold: int  # answers needed before anything is shown (k; the comment threshold for text)
    table: pd.DataFrame
    headline: scoring.Aggregate | None = None
    median: float | None = None
    net: float | None = None  # Likert: share agreeing − share disagreeing
    answers: pd.DataFrame | None = None  # free text

    @property
    def suppressed(self) -> bool:
        return self.n < self.threshold


def summarise(q: Question, counts: pd.DataFrame, k: int, lang: str, comment_k: int = 8,
              names: dict[str, tuple[str, ...]] | None = None) -> Summary:
    """Summary of `q` from its tally (`counts` has columns q.id and n); `names` is the
    company-name index (comments.name_index) used to blank names out of free text."""
    frame = answered(counts, q.id)
    n, kind = int(frame["n"].sum()), kind_of(q)
    threshold = max(k, comment_k) if kind == "text" else k
    base = Summary(q.id, kind, int(counts["n"].sum()), n, threshold, pd.DataFrame())
    if n < threshold:
        return base
    builders = {"single": _choice_summary, "multi": _choice_summary, "likert": _likert_summary,
                "nps": _scale_summary, "scale": _scale_summary, "number": _number_summary}
    if kind == "text":
        return _text_summary(base, q, frame, lang, names or {})
    return builders[kind](base, q, frame, lang)


def _choice_summary(base: Summary, q: Question, frame: pd.DataFrame, lang: str) -> Summary:
    counts = option_counts(q, frame)[TOTAL]
    table = pd.DataFrame({"code": counts.index, "count": counts.to_numpy()})
    table["label"] = [q.option_label(c, lang) for c in table["code"]]
    table["share"] = table["count"] / base.n
    bounds = [scoring.wilson(int(c), base.n) for c in table["count"]]
    table["low"] = [lo / 100 for lo, _ in bounds]
    table["high"] = [hi / 100 for _, hi in bounds]
    return replace(base, table=_display_order(q, table))


def net_agreement(shares: pd.Series, levels: int) -> float:
    """Share above the neutral level − share below it (levels 1..levels, in order)."""
    values = shares.to_numpy(dtype=float)
    half = levels // 2
    return float(values[levels - half:].sum() - values[:half].sum())


def _likert_summary(base: Summary, q: Question, frame: pd.DataFrame, lang: str) -> Summary:
    table = likert_table(q, option_counts(q, frame), {TOTAL: t("results.total", lang)}, lang)
    shares = table.set_index("code")["share"].reindex(list(q.codes)).fillna(0.0)
    return replace(base, table=table, headline=scoring.mean(_numbers(frame, q.id)),
                   net=net_agreement(shares, len(q.codes)))


def likert_table(q: Question, counts: pd.DataFrame, labels: dict[str, str], lang: str
                 ) -> pd.DataFrame:
    """Tidy shares per (group, level), in the crosstab layout the Likert chart draws."""
    rows = []
    for group, label in labels.items():
        column = counts[group] if group in counts else pd.Series(0, index=counts.index)
        total = int(column.sum())
        for code, count in column.items():
            rows.append({"code": code, "label": q.option_label(str(code), lang), "group": group,
                         "group_label": label, "count": int(count), "base": total,
                         "share": count / total if total else 0.0})
    return pd.DataFrame(rows)


def _scale_summary(base: Summary, q: Question, frame: pd.DataFrame, lang: str) -> Summary:
    values = _numbers(frame, q.id)
    low, high = q.bounds or (float(values.min()), float(values.max()))
    points = np.arange(int(low), int(high) + 1)
    counts = pd.Series(values).round().value_counts().reindex(points, fill_value=0)
    table = pd.DataFrame({"value": points, "count": counts.to_numpy()})
    table["label"] = table["value"].astype(str)
    table["share"] = table["count"] / base.n
    if base.kind == "nps":
        table["category"] = [_nps_category(v) for v in points]
        table["category_label"] = [t(f"results.nps_{c}", lang) for c in table["category"]]
        return replace(base, table=table, headline=scoring.nps(values))
    return replace(base, table=table, headline=scoring.mean(values))


def _nps_category(value: float | np.integer[Any]) -> str:
    return "promoter" if value >= 9 else "detractor" if value <= 6 else "passive"


def bin_edges(low: float, high: float) -> np.ndarray:
    """At most 20 bins of a round width (0.5, 1, 2, 5, 10 …) covering [low, high]."""
    span = max(high - low, 1e-9)
    width = next((w for w in NICE_WIDTHS if span / w <= MAX_BINS), NICE_WIDTHS[-1])
    start = np.floor(low / width) * width
    count = max(int(np.ceil((high - start) / width - 1e-9)), 1)
    edges: np.ndarray = start + width * np.arange(count + 1)
    return edges


def bin_label(start: float, end: float, lang: str) -> str:
    """'10–20', '2,5–3', '−20 – −10' (a real minus sign; spaced when a bound is negative)."""
    text = [fmt.number(x, lang, 0 if float(x).is_integer() else 1).replace("-", "−")
            for x in (start, end)]
    return (" – " if min(start, end) < 0 else "–").join(text)


def _number_summary(base: Summary, q: Question, frame: pd.DataFrame, lang: str) -> Summary:
    values = pd.to_numeric(frame[q.id]).to_numpy(dtype=float)
    weights = frame["n"].to_numpy(dtype=int)
    low, high = q.bounds or (values.min(), values.max())
    edges = bin_edges(min(low, values.min()), max(high, values.max()))
    counts, _ = np.histogram(values, bins=edges, weights=weights)
    table = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts.astype(int)})
    table["share"] = table["count"] / base.n
    table["label"] = [bin_label(a, b, lang) for a, b in pairwise(edges)]
    everyone = np.repeat(values, weights)
    return replace(base, table=table, headline=scoring.mean(everyone),
                   median=smoothed_median(everyone, base.threshold))


def _text_summary(base: Summary, q: Question, frame: pd.DataFrame, lang: str,
                  names: dict[str, tuple[str, ...]]) -> Summary:
    raw = pd.DataFrame({"answer": frame[q.id].astype(str), "count": frame["n"]})
    answers = comments.answer_table(raw, names, t("results.redacted", lang))
    return replace(base, table=comments.word_counts(answers), answers=answers)


def privacy_groups(sizes: pd.Series, k: int) -> dict[str, str]:
    """The group each group is shown in. Groups under k go into OTHERS; while OTHERS is still
    under k the next smallest group joins it. Every respondent stays in exactly one shown
    group, so no hidden group can be recovered by subtracting shown groups from the total."""
    order = sizes.sort_values(kind="stable").index.tolist()
    merged = [g for g in order if sizes[g] < k]
    rest = [g for g in order if sizes[g] >= k]
    while merged and sizes[merged].sum() < k and rest:
        merged.append(rest.pop(0))
    return {g: OTHERS if g in merged else g for g in order}


def group_codes(values: pd.Series) -> pd.Series:
    """Breakdown values as codes (waves as text); a missing value is a group of its own."""
    return values.astype("string").fillna(MISSING).astype(str)


def group_label(by: str, code: str, qn: Questionnaire, lang: str) -> str:
    special = {OTHERS: "results.others", MISSING: "results.not_stated", TOTAL: "results.total"}
    if code in special:
        return t(special[code], lang)
    return code if by == "wave" else qn[by].option_label(code, lang)


def _group_order(by: str, codes: set[str], qn: Questionnaire) -> list[str]:
    natural = sorted(codes - {MISSING, OTHERS}, key=lambda c: (len(c), c))
    if by != "wave":
        known = [c for c in qn[by].codes if c in codes]
        natural = known + [c for c in natural if c not in known]
    return natural + [c for c in (MISSING, OTHERS) if c in codes]


@dataclass(frozen=True)
class Groups:
    """Respondents' shown group (aligned with the tally rows) and the groups in order."""

    codes: pd.Series
    order: tuple[str, ...]
    labels: dict[str, str]
    sizes: dict[str, int]
    merged: tuple[str, ...]


def shown_groups(frame: pd.DataFrame, by: str, k: int, qn: Questionnaire, lang: str) -> Groups:
    """Assign the answered rows of a tally to privacy-safe groups of the variable `by`."""
    raw = group_codes(frame[by])
    sizes = frame["n"].groupby(raw.to_numpy()).sum()
    mapping = privacy_groups(sizes, k)
    codes = raw.map(mapping)
    merged = tuple(group_label(by, g, qn, lang) for g in _group_order(
        by, {g for g, s in mapping.items() if s == OTHERS}, qn))
    order = tuple(_group_order(by, set(codes), qn))
    shown_sizes = frame["n"].groupby(codes.to_numpy()).sum()
    return Groups(codes, order, {g: group_label(by, g, qn, lang) for g in order},
                  {g: int(shown_sizes[g]) for g in order}, merged)


@dataclass(frozen=True)
class Comparison:
    """Crosstab (counts, column shares, marks), group means where they apply, and the test."""

    crosstab: pd.DataFrame  # code, label, group, group_label, count, base, share, mark
    means: pd.DataFrame | None  # group, group_label, value, low, high, n, mark
    test: stats.Significance


def compare(q: Question, frame: pd.DataFrame, groups: Groups, lang: str, k: int = 1
            ) -> Comparison:
    """Compare the shown groups on `q` with the test that fits its type (`k`: how many answers
    a median averages, never one respondent's value)."""
    kind = kind_of(q)
    if kind in ("single", "multi"):
        return _compare_choices(q, frame, groups, lang)
    if kind == "text":
        return _compare_words(q, frame, groups, lang)
    return _compare_numbers(q, frame, groups, lang, k)


def tidy_crosstab(counts: pd.DataFrame, code_labels: dict[str, str], labels: dict[str, str],
                  bases: dict[str, int] | None = None, marks: np.ndarray | None = None
                  ) -> pd.DataFrame:
    """Wide counts (codes × groups) as the tidy crosstab, group by group in `labels` order.
    Bases default to the column totals; marks (codes × groups, without the total) to 0."""
    codes, groups = list(code_labels), list(labels)
    values = counts.reindex(index=codes, columns=groups, fill_value=0).to_numpy(dtype=int)
    totals = values.sum(axis=0) if bases is None else np.array([bases[g] for g in groups])
    padded = np.zeros(values.shape, dtype=int)
    if marks is not None:
        padded[:, :marks.shape[1]] = marks
    count = values.T.ravel()
    base = np.repeat(totals, len(codes))
    return pd.DataFrame({
        "code": np.tile(codes, len(groups)), "label": np.tile(list(code_labels.values()),
                                                               len(groups)),
        "group": np.repeat(groups, len(codes)),
        "group_label": np.repeat([labels[g] for g in groups], len(codes)),
        "count": count, "base": base,
        "share": np.divide(count, base, out=np.zeros(len(count)), where=base > 0),
        "mark": padded.T.ravel()})


def _with_total(groups: Groups, lang: str) -> tuple[dict[str, str], dict[str, int]]:
    labels = {**groups.labels, TOTAL: t("results.total", lang)}
    return labels, {**groups.sizes, TOTAL: sum(groups.sizes.values())}


def _compare_choices(q: Question, frame: pd.DataFrame, groups: Groups, lang: str) -> Comparison:
    counts = option_counts(q, frame, groups.codes).reindex(columns=list(groups.order),
                                                           fill_value=0)
    matrix = counts.to_numpy(dtype=float)
    if q.type == "multi":
        bases = np.array([groups.sizes[g] for g in groups.order], dtype=float)
        test, marks = stats.multi_response_test(matrix, bases)
    else:
        test = stats.contingency_test(matrix)
        marks = stats.residual_marks(matrix, test)
    counts[TOTAL] = counts.sum(axis=1)
    labels, bases_all = _with_total(groups, lang)
    code_labels = {c: q.option_label(c, lang) for c in counts.index}
    return Comparison(tidy_crosstab(counts, code_labels, labels, bases_all, marks), None, test)


def _group_values(q: Question, frame: pd.DataFrame, groups: Groups) -> list[np.ndarray]:
    return [_numbers(frame[(groups.codes == g).to_numpy()], q.id) for g in groups.order]


def _compare_numbers(q: Question, frame: pd.DataFrame, groups: Groups, lang: str, k: int
                     ) -> Comparison:
    kind = kind_of(q)
    values = _group_values(q, frame, groups)
    tested = [_nps_points(v) for v in values] if kind == "nps" else values
    test = stats.means_test(tested)
    marks = [*stats.group_marks(tested, test), 0]
    labels, _ = _with_total(groups, lang)
    everyone = [*values, np.concatenate(values)]
    aggregate = scoring.nps if kind == "nps" else scoring.mean
    means = pd.DataFrame([
        {"group": g, "group_label": labels[g], "value": agg.value, "low": agg.low,
         "high": agg.high, "median": smoothed_median(v, k), "n": agg.n, "mark": int(m)}
        for g, v, m in zip(labels, everyone, marks) for agg in [aggregate(v)]])
    crosstab = (_level_crosstab(q, frame, groups, labels, lang) if kind != "number"
                else pd.DataFrame(columns=CROSSTAB_COLUMNS))
    return Comparison(crosstab, means, test)


def _level_crosstab(q: Question, frame: pd.DataFrame, groups: Groups,
                    labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Counts and column shares of the answer levels: Likert levels, scale points, or the
    NPS categories (detractors, passives, promoters)."""
    values = pd.to_numeric(frame[q.id]).to_numpy(dtype=float)
    if kind_of(q) == "nps":
        codes = np.where(values >= 9, "promoter", np.where(values <= 6, "detractor", "passive"))
        level_labels = {c: t(f"results.nps_{c}", lang) for c in NPS_CATEGORIES}
    else:
        codes = np.rint(values).astype(int).astype(str)
        if q.codes:
            points: Sequence[str] = q.codes
        else:
            # a scale without options has its range (the questionnaire's; not validated there)
            assert q.min is not None and q.max is not None
            points = [str(v) for v in range(int(q.min), int(q.max) + 1)]
        level_labels = {c: q.option_label(c, lang) for c in points}
    table = count_matrix(codes, groups.codes.to_numpy(), frame["n"].to_numpy(),
                         list(level_labels))
    table[TOTAL] = table.sum(axis=1)
    return tidy_crosstab(table, level_labels, labels)


def _compare_words(q: Question, frame: pd.DataFrame, groups: Groups, lang: str) -> Comparison:
    """Free text: how many answers of each group mention the most frequent words (no test)."""
    labels, bases = _with_total(groups, lang)
    raw = pd.DataFrame({"answer": frame[q.id].astype(str), "count": frame["n"].to_numpy(),
                        "group": groups.codes.to_numpy()})
    top = comments.word_counts(raw, top=10)["word"].tolist()
    rows = []
    for g in labels:
        part = raw if g == TOTAL else raw[raw["group"] == g]
        mentions = {w: 0 for w in top}
        for answer, count in zip(part["answer"], part["count"]):
            for w in comments.words(answer) & set(top):
                mentions[w] += int(count)
        rows += [{"code": w, "label": w, "group": g, "group_label": labels[g], "count": c,
                  "base": bases[g], "share": c / bases[g] if bases[g] else 0.0, "mark": 0}
                 for w, c in mentions.items()]
    return Comparison(pd.DataFrame(rows), None, stats.UNTESTABLE)


@dataclass(frozen=True)
class Breakdown:
    """A question compared across the groups of a profile variable."""

    by: str
    kind: str
    comparison: Comparison | None
    groups: Groups | None
    hidden: str | None = None  # same_variable | too_few_groups | suppressed
    threshold: int = 0  # respondents a group needs (k; the comment threshold for text)

    @property
    def shown(self) -> bool:
        return self.hidden is None


def break_down(q: Question, counts: pd.DataFrame, by: str, qn: Questionnaire, k: int,
               lang: str, comment_k: int = 8) -> Breakdown:
    """`q` by the groups of `by` (counts has columns q.id, by and n)."""
    kind = kind_of(q)
    threshold = max(k, comment_k) if kind == "text" else k
    if by == q.id:
        return Breakdown(by, kind, None, None, "same_variable", threshold)
    frame = answered(counts, q.id)
    if frame["n"].sum() < threshold:
        return Breakdown(by, kind, None, None, "suppressed", threshold)
    groups = shown_groups(frame, by, threshold, qn, lang)
    if len(groups.order) < 2:
        return Breakdown(by, kind, None, groups, "too_few_groups", threshold)
    return Breakdown(by, kind, compare(q, frame, groups, lang, k), groups, None, threshold)


@dataclass(frozen=True)
class Change:
    """How a question's wording changed between two waves."""

    before: int
    after: int
    aspects: tuple[str, ...]  # text | options | scale


def signature_changes(signatures: pd.DataFrame, qid: str, waves: list[int]
                      ) -> tuple[Change, ...]:
    """Changes in text, options or scale between consecutive waves (from wave_questions)."""
    rows = signatures[(signatures["question_id"] == qid) & signatures["wave"].isin(waves)]
    rows = rows.sort_values("wave")
    changes = []
    for (w0, s0), (w1, s1) in pairwise(zip(rows["wave"], rows["signature"])):
        a, b = json.loads(s0), json.loads(s1)
        aspects = tuple(name for name, keys in ASPECTS if any(a.get(x) != b.get(x) for x in keys))
        if aspects:
            changes.append(Change(int(w0), int(w1), aspects))
    return tuple(changes)


@dataclass(frozen=True)
class Trend:
    """A question across waves: one value per wave (and option) with its 95% CI."""

    measure: str  # share | mean | nps
    table: pd.DataFrame  # wave, series, series_label, value, low, high, n
    test: stats.Significance
    changes: tuple[Change, ...]
    hidden: str | None = None  # small_wave: a wave under k (a trend would reveal it)

    @property
    def shown(self) -> bool:
        return self.hidden is None


def trend(q: Question, counts: pd.DataFrame, signatures: pd.DataFrame, qn: Questionnaire,
          k: int, lang: str) -> Trend | None:
    """`q` across the waves in `counts` (columns q.id, wave, n); None below two waves."""
    frame = answered(counts, q.id)
    sizes = frame.groupby("wave")["n"].sum()
    waves = sorted(int(w) for w in sizes[sizes > 0].index)
    if len(waves) < 2 or kind_of(q) == "text":
        return None
    changes = signature_changes(signatures, q.id, waves)
    measure = {"single": "share", "multi": "share", "nps": "nps"}.get(kind_of(q), "mean")
    if (sizes < k).any():
        return Trend(measure, pd.DataFrame(), stats.UNTESTABLE, changes, "small_wave")
    groups = shown_groups(frame, "wave", 1, qn, lang)
    comparison = compare(q, frame, groups, lang, k)
    table = _trend_table(comparison, measure, groups)
    if measure == "share":
        table = _trend_order(q, table)
    return Trend(measure, table, comparison.test, changes)


def _trend_order(q: Question, table: pd.DataFrame) -> pd.DataFrame:
    """Options in the order of the single-wave chart above the trend (`_display_order`),
    frequencies taken from the latest wave."""
    latest = table[table["wave"] == table["wave"].max()]
    ranked = _display_order(q, latest.rename(columns={"series": "code", "value": "count"}))
    rank = {code: i for i, code in enumerate(ranked["code"])}
    return (table.assign(_rank=table["series"].map(rank))
            .sort_values(["_rank", "wave"], kind="stable").drop(columns="_rank")
            .reset_index(drop=True))


def _trend_table(comparison: Comparison, measure: str, groups: Groups) -> pd.DataFrame:
    if measure != "share":
        means = comparison.means
        assert means is not None
        table = means[means["group"] != TOTAL].assign(series=TOTAL, series_label="")
    else:
        table = comparison.crosstab[comparison.crosstab["group"] != TOTAL].copy()
        bounds = [scoring.wilson(c, groups.sizes[g]) for c, g in
                  zip(table["count"], table["group"])]
        table = table.assign(value=table["share"], low=[lo / 100 for lo, _ in bounds],
                             high=[hi / 100 for _, hi in bounds],
                             n=[groups.sizes[g] for g in table["group"]],
                             series=table["code"], series_label=table["label"])
    table = table.assign(wave=table["group"].astype(int))
    return table[["wave", "series", "series_label", "value", "low", "high", "n"]].reset_index(
        drop=True)


def likert_family(q: Question, qn: Questionnaire) -> tuple[Question, ...]:
    """The Likert items of q's section asked on the same scale (q included)."""
    if q.type != "likert":
        return ()
    return tuple(o for o in qn.in_section(q.section)
                 if o.type == "likert" and o.options == q.options)


def likert_items(items: tuple[Question, ...], stacked: pd.DataFrame, k: int, lang: str
                 ) -> pd.DataFrame:
    """Shares per item and level for the Likert chart (items answered by fewer than k left
    out); `stacked` has columns question, value, n."""
    codes = pd.to_numeric(stacked["value"]).round().astype(int).astype(str)
    counts = stacked.groupby([stacked["question"], codes])["n"].sum().to_dict()
    rows = []
    for item in items:
        per_level = [counts.get((item.id, code), 0) for code in item.codes]
        base = int(sum(per_level))
        if base < k:
            continue
        rows += [{"code": code, "label": item.option_label(code, lang), "group": item.id,
                  "group_label": item.text(lang), "count": int(c), "base": base,
                  "share": c / base} for code, c in zip(item.codes, per_level)]
    return pd.DataFrame(rows)


def mark_item(items: pd.DataFrame, qid: str) -> pd.DataFrame:
    """The items table with the chosen statement marked ▶ (it stays in its sorted place)."""
    chosen = items["group"] == qid
    return items.assign(group_label=items["group_label"].where(
        ~chosen, "▶ " + items["group_label"]))


def p_text(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    return f"p < {fmt.number(0.001, lang, 3)}" if p < 0.001 else f"p = {fmt.number(p, lang, 3)}"


def verdict_text(test: stats.Significance, lang: str) -> str:
    """'Differenza significativa al 95% (test del chi quadrato, p = 0,003).'"""
    if test.verdict == "untestable":
        return t("results.verdict_untestable", lang)
    return t(f"results.verdict_{test.verdict}", lang, test=t(f"results.test_{test.test}", lang),
             p=p_text(test.p, lang))


def count_text(count: int, lang: str) -> str:
    """A whole number as fmt.number writes it ('1.234' / '1,234'), without Babel's cost:
    a crosstab writes hundreds of them on every rerun."""
    return f"{int(count):,}".replace(",", "." if lang == "it" else ",")


def _cells(tab: pd.DataFrame, lang: str) -> list[str]:
    percents = np.round(tab["share"].to_numpy(dtype=float) * 100).astype(int)
    return [f"{p}% ({count_text(c, lang)}){MARKS[int(m)]}" for p, c, m in
            zip(percents, tab["count"].to_numpy(), tab["mark"].to_numpy())]


def crosstab_table(comparison: Comparison, kind: str, lang: str) -> pd.DataFrame:
    """The crosstab as people read it: one column per group (Totale last), rows 'n', the
    mean (or NPS, and the median for numbers) with marks ▲▼, then the answers as
    'share (count)' with marks ▲▼."""
    first = t("results.word" if kind == "text" else "results.answer", lang)
    rows = [_base_row(comparison, first, lang)]
    if comparison.means is not None:
        rows += _means_rows(comparison.means, kind, first, lang)
    tab = comparison.crosstab
    if not tab.empty:
        # the tidy crosstab is group by group, the same codes in the same order in each
        groups = list(dict.fromkeys(tab["group_label"]))
        labels = tab["label"].to_numpy()[:len(tab) // len(groups)]
        grid = np.array(_cells(tab, lang), dtype=object).reshape(len(groups), len(labels))
        rows += [{first: label, **dict(zip(groups, grid[:, i]))} for i, label in
                 enumerate(labels)]
    return pd.DataFrame(rows).set_index(first)


def _base_row(comparison: Comparison, first: str, lang: str) -> dict[str, str]:
    source = comparison.means if comparison.means is not None else comparison.crosstab
    column = "n" if comparison.means is not None else "base"
    base = source.groupby("group_label", sort=False)[column].first()
    return {first: t("results.base", lang),
            **{str(g): count_text(v, lang) for g, v in base.items()}}


def _means_rows(means: pd.DataFrame, kind: str, first: str, lang: str) -> list[dict[str, str]]:
    label = t("results.nps" if kind == "nps" else "results.mean", lang)
    digits = 0 if kind == "nps" else 1
    value = fmt.signed if kind == "nps" else fmt.number
    records = means.to_dict("records")
    rows = [{first: label, **{r["group_label"]: value(r["value"], lang, digits) + MARKS[r["mark"]]
                              for r in records}}]
    if kind == "number":
        rows.append({first: t("results.median", lang), **{
            r["group_label"]: fmt.number(r["median"], lang, 1) for r in records}})
    return rows
