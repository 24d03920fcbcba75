"""The companies of a filter in the app (shared by Piramide CX, Six Pillars, Scheda azienda and
the deck): the company table and the peers per filter, cached once; the companies a viewer may
pick, and the pickers.

The company table is a `cache_resource` (shared, never copied: at 100k respondents it has 75k
rows that `cache_data` would unpickle on every rerun); it is read-only by convention.
Picking another company reuses the table and the peers and only builds that company's card.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

import pandas as pd
import streamlit as st

from cx import companies, fmt
from cx.access import Viewer
from cx.companies import Peers
from cx.filters import Filters
from cx.i18n import t
from cx.privacy import as_raw
from cx.scorecard.data import load_peers
from cx.ui import data, state

MAX_COMPARED = 4
PICKER_LIMIT = 1000  # beyond this many companies a search box narrows the pickers


@st.cache_resource(max_entries=6, show_spinner=False)  # ~130 MB each at a million respondents
def company_table(db: str, data_version: int, filters: Filters) -> pd.DataFrame:
    """One row per company in the filter, indexed by its anonymous code. Read-only."""
    table = companies.company_table(data.store(), filters)
    table.index = pd.Index(table["code"].to_numpy())
    return table


# Shared, read-only like the company table: cache_data unpickled a copy for every session on
# every rerun (its per-company Happy Index alone is 750k rows at a million respondents)
@st.cache_resource(max_entries=8, show_spinner=False)
def peers(db: str, data_version: int, filters: Filters, k: int) -> Peers:
    """The filter's Club and sector benchmarks (computed once per filter, not per company)."""
    return load_peers(data.store(), filters, k, company_table(db, data_version, filters))


def _sort_key(code: str, label: str) -> tuple[int, str, int]:
    # names alphabetically first, then codes in numeric order (AZ-999 before AZ-1000)
    return (0, label.casefold(), 0) if label != code else (1, "", int(code[3:] or 0))


class CompanyOptions(NamedTuple):
    """The companies a viewer may pick: codes in picker order, their labels, and a
    case-folded "code<TAB>label" line per company for searching."""

    codes: tuple[str, ...]
    labels: dict[str, str]
    haystack: str
    starts: tuple[int, ...]  # where each company's line starts in `haystack`

    def search(self, text: str, limit: int) -> tuple[str, ...]:
        """The first `limit` codes whose code or label contains `text` (any case)."""
        needle = text.strip().casefold()
        if not needle:
            return self.codes[:limit]
        hits: list[str] = []
        for match in re.finditer(re.escape(needle), self.haystack):
            code = self.codes[bisect_right(self.starts, match.start()) - 1]
            if not hits or hits[-1] != code:
                hits.append(code)
            if len(hits) == limit:
                break
        return tuple(hits)


def visible_table(db: str, data_version: int, filters: Filters, k: int,
                  viewer: Viewer) -> pd.DataFrame:
    """The rows of the companies `viewer` may see one by one (`companies.visible_companies`).
    A visitor sees none: the table of every company in full is then not even read (at a
    million respondents, 150 MB); the published one, read for the benchmarks, lends its
    columns."""
    if companies.sees_none(viewer):
        return company_table(db, data_version, filters).iloc[:0]
    return companies.visible_companies(company_table(db, data_version, as_raw(filters)),
                                       viewer, k)


@st.cache_resource(max_entries=16, show_spinner=False)
def company_options(db: str, data_version: int, filters: Filters, k: int,
                    viewer: Viewer) -> CompanyOptions:
    """The companies `viewer` may see, sorted for a picker, with their labels. Read-only.
    Their rows are read from the responses (a manager's own company in full)."""
    visible = visible_table(db, data_version, filters, k, viewer)
    labels = companies.company_labels(visible, viewer)
    codes = tuple(sorted(labels, key=lambda c: _sort_key(c, labels[c])))
    lines = [f"{c}\t{labels[c]}".casefold() for c in codes]
    starts = tuple(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    return CompanyOptions(codes, labels, "\n".join(lines), starts if codes else ())


def _narrowed(key: str, options: CompanyOptions, lang: str,
              chosen: list[str]) -> tuple[str, ...]:
    """All the codes, or, beyond `PICKER_LIMIT` companies, the first matches of a search box
    (a picker with tens of thousands of options slows every rerun)."""
    if len(options.codes) <= PICKER_LIMIT:
        return options.codes
    text = st.text_input(t("scorecard.search", lang, n=fmt.number(len(options.codes), lang)),
                         key=f"{key}_search")
    hits = options.search(text, PICKER_LIMIT)
    if len(hits) == PICKER_LIMIT:
        st.caption(t("scorecard.search_more", lang, n=fmt.number(PICKER_LIMIT, lang)))
    return (*(c for c in chosen if c not in hits), *hits)


def company_picker(key: str, options: CompanyOptions, lang: str, area: str,
                   default: str | None = None) -> str | None:
    """A company selectbox bound to `?key=` (the anonymous code, never a name)."""
    state.bind_url(key, options.codes, default)
    current = st.session_state.get(key)
    shown = _narrowed(key, options, lang, [current] if current else [])
    return st.selectbox(t(f"{area}.pick", lang), shown, key=key,
                        format_func=options.labels.__getitem__,
                        placeholder=t(f"{area}.pick_placeholder", lang))


def companies_picker(key: str, options: CompanyOptions, lang: str,
                     default: list[str] | None = None) -> list[str]:
    """Up to four companies, bound to `?key=` as anonymous codes."""
    state.bind_url(key, options.codes, default or [])
    shown = _narrowed(key, options, lang, list(st.session_state.get(key) or []))
    return st.multiselect(t("pillars.pick", lang), shown, key=key,
                          format_func=options.labels.__getitem__, max_selections=MAX_COMPARED,
                          placeholder=t("pillars.pick_placeholder", lang))


def default_company(viewer: Viewer, options: CompanyOptions) -> str | None:
    """A manager starts on their own company; everyone else chooses."""
    if viewer.company is None:
        return None
    return next((c for c in options.codes if options.labels[c] == viewer.company), None)
