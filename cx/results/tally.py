"""Answer counts, the raw material of Risultati: a tally has one row per combination of answers
with `n` respondents (`Store.tally`), never one row per respondent; these are the sums and
counts every summary, comparison and trend is built from."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx.questionnaire import MULTI_SEPARATOR, Question, Questionnaire

NONE = "none"
BREAKDOWNS = (NONE, "sector", "size_band", "region", "market", "role", "wave")
HIDDEN_QUESTIONS = ("respondent_id", "company", "wave")  # identifiers and the survey year
TOTAL = "_totale"


def explorable(qn: Questionnaire) -> tuple[Question, ...]:
    """The questions a user may explore: all but identifiers (respondent, company, wave)."""
    return tuple(q for q in qn.questions if q.qtype.name != "id"
                 and q.id not in HIDDEN_QUESTIONS)


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


def numbers(frame: pd.DataFrame, qid: str) -> np.ndarray:
    """One value per respondent, rebuilt from (value, n) pairs."""
    values = pd.to_numeric(frame[qid]).to_numpy(dtype=float)
    return np.repeat(values, frame["n"].to_numpy(dtype=int))


def nps_points(values: np.ndarray) -> np.ndarray:
    """Each respondent's contribution to the NPS (+100 / 0 / −100): their mean is the NPS, so a
    test of means on it is a test of NPS differences."""
    return np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0))


def _option_codes(q: Question, values: pd.Series) -> pd.Series:
    if q.qtype.positional:
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


def _distinct_codes(q: Question, values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each row's index into the distinct answers, and those answers' option codes: a tally
    by company has a row per respondent in practice (a million at scale), but only hundreds
    of distinct answers, so the text work is done on those."""
    index, distinct = pd.factorize(values, use_na_sentinel=False)
    return index, _option_codes(q, pd.Series(distinct, dtype=values.dtype))


def option_counts(q: Question, frame: pd.DataFrame, groups: pd.Series | None = None
                  ) -> pd.DataFrame:
    """Respondents per option code (rows, questionnaire order) and group (columns). For
    multiple choice a respondent counts once in each option they chose."""
    if groups is not None:  # one row per distinct (answer, group): the counts are sums
        frame = frame.assign(_group=groups.to_numpy())
        frame = frame.groupby([q.id, "_group"], dropna=False, sort=False,
                              observed=True)["n"].sum().reset_index()
        groups = frame["_group"]
    index, distinct = _distinct_codes(q, frame[q.id])
    codes = pd.Series(distinct.to_numpy()[index], dtype=object)
    n = frame["n"].to_numpy(dtype=int)
    group_values = None if groups is None else groups.to_numpy()
    if not q.qtype.multiple:
        return count_matrix(codes.to_numpy(), group_values, n, list(q.codes))
    chosen = codes.str.split(MULTI_SEPARATOR)
    # pandas-stubs types .str.len() for strings only; it counts the split lists' items too
    lengths = chosen.str.len().to_numpy(dtype=int)  # type: ignore[misc]
    flat = np.concatenate(chosen.to_numpy()) if len(chosen) else np.array([], dtype=str)
    repeated = None if group_values is None else np.repeat(group_values, lengths)
    return count_matrix(flat, repeated, np.repeat(n, lengths), list(q.codes))


def option_flags(q: Question, frame: pd.DataFrame) -> np.ndarray:
    """Per tally row (answered), 0/1 for each option of `q` (columns in questionnaire order):
    whether that row's answer is, or for multiple choice includes, the option."""
    index, distinct = _distinct_codes(q, frame[q.id])
    flags: np.ndarray = _flags(q, distinct.astype(str))[index]
    return flags


def _flags(q: Question, codes: pd.Series) -> np.ndarray:
    if not q.qtype.multiple:
        return np.column_stack([(codes == c).to_numpy(dtype=float) for c in q.codes])
    wrapped = MULTI_SEPARATOR + codes + MULTI_SEPARATOR
    return np.column_stack([wrapped.str.contains(MULTI_SEPARATOR + c + MULTI_SEPARATOR,
                                                 regex=False).to_numpy(dtype=float)
                            for c in q.codes])


def display_order(q: Question, table: pd.DataFrame) -> pd.DataFrame:
    """Ordered scales keep their order; other options by frequency (by share where the options
    have bases of their own: one offered from a later wave), 'none'-type options last."""
    if q.ordered or q.qtype.positional:
        return table.reset_index(drop=True)
    last = table["code"].isin(q.exclusive)
    by = "share" if "share" in table and "base" in table else "count"
    table = table.assign(_last=last).sort_values(["_last", by], ascending=[True, False],
                                                 kind="stable")
    return table.drop(columns="_last").reset_index(drop=True)
