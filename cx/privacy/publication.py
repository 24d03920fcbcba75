"""The published table: what every non-analyst figure is computed from. Pure.

`publish` recodes the segment dimensions (`recoding`), then withholds every respondent, and
then every answer, that the published margins could isolate in a group under k (`linking`).
Analysts read the responses themselves; everyone else reads only this table, through views
that `admission` restricts to unions of its margin cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np
import pandas as pd

from cx.privacy.linking import WAVE, codes_of, withheld, withheld_codes
from cx.privacy.recoding import MISSING, Answers, Categories, recode
from cx.questionnaire import Questionnaire
from cx.score_columns import CHOICE_FLAGS

SEGMENTS = ("sector", "size_band", "region")  # the sidebar's filters
# what a view may also compare groups by (docs/privacy.md says why not by role)
DIMENSIONS = (*SEGMENTS, "market")
PERSONA = "persona"
# Questions some figures read together, over those who answered all of them (the journey
# funnel, cx.journey.FUNNEL_COLUMNS): an answer to one without the others is withheld, so that
# «answered all four» is the same set as «answered this one», checked once.
JOINT = (("cj_ideal_map", "cj_real_checks", "cj_training", "improvement_plans"),)
KEYS = ("respondent_id", "company", WAVE, "upload_id")


@dataclass(frozen=True)
class Publication:
    """The responses as a non-analyst may see them, and what was done to get there."""

    k: int
    groups: Mapping[str, Mapping[str, str]]  # dimension → answer code → published group
    frame: pd.DataFrame = field(repr=False)  # rows and answers that may be published
    withheld_respondents: int = 0  # left out of every figure
    blanked: Mapping[str, int] = field(default_factory=dict)  # answers withheld, per column
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int), repr=False)
    """Positions in the input frame of the rows published (the others are withheld)."""

    def group_of(self, dimension: str, code: str) -> str:
        """The published group an answer code belongs to (itself when it was not merged)."""
        return self.groups.get(dimension, {}).get(code, code)

    @cached_property
    def _present(self) -> dict[str, frozenset[str]]:
        return {dim: frozenset(self.frame[dim].dropna().astype(str).unique())
                for dim in self.groups if dim in self.frame}

    def options(self, dimension: str) -> tuple[str, ...]:
        """The groups a filter or comparison on `dimension` may use, in questionnaire order
        (worked out once: the sidebar asks on every rerun)."""
        present = self._present.get(dimension, frozenset())
        mapping = self.groups.get(dimension, {})
        return tuple(g for g in dict.fromkeys(mapping.values()) if g in present)

    @property
    def merged(self) -> dict[str, tuple[str, ...]]:
        """Per dimension, the groups that join several answers (what the pages explain)."""
        return {dim: tuple(g for g in dict.fromkeys(m.values()) if "+" in g)
                for dim, m in self.groups.items()
                if any("+" in g for g in m.values())}


def _keys(frame: pd.DataFrame, groups: Mapping[str, Mapping[str, str]],
          personas: pd.Series | None) -> pd.DataFrame:
    keys = pd.DataFrame({WAVE: frame[WAVE].astype("int64").to_numpy()})
    for dim, mapping in groups.items():
        keys[dim] = frame[dim].astype("string").fillna(MISSING).map(mapping).to_numpy()
    if personas is not None:
        keys[PERSONA] = personas.astype("Int64").astype("string").fillna(MISSING).to_numpy()
    return keys


def margins_of(dimensions: tuple[str, ...], personas: bool) -> list[tuple[str, ...]]:
    """The published margins: a wave × each dimension; personas over all waves."""
    return [*((WAVE, d) for d in dimensions), *([(PERSONA,)] if personas else [])]


def _answered(column: pd.Series) -> np.ndarray:
    if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
        text = column.astype("string").str.strip()
        return (text.notna() & (text != "")).to_numpy(dtype=bool)
    return column.notna().to_numpy(dtype=bool)


def _value_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in (*KEYS, *DIMENSIONS, PERSONA)]


def _blank_isolable(frame: pd.DataFrame, keys: pd.DataFrame,
                    margins: list[tuple[str, ...]], k: int, companies: np.ndarray
                    ) -> dict[str, int]:
    """Withhold, per column, the answers whose answered subset could isolate under k: one
    check per distinct pattern of who answered."""
    patterns: dict[bytes, list[str]] = {}
    masks: dict[bytes, np.ndarray] = {}
    for column in _value_columns(frame):
        mask = _answered(frame[column])
        if mask.all() or not mask.any():
            continue
        key = np.packbits(mask).tobytes()
        patterns.setdefault(key, []).append(column)
        masks[key] = mask
    codes = codes_of(keys)  # once: each pattern checks a subset of the rows
    where = {c: i for i, c in enumerate(keys.columns)}
    positions = [[where[c] for c in m] for m in margins]
    blanked: dict[str, int] = {}
    for key, columns in patterns.items():
        rows = np.flatnonzero(masks[key])
        drop = rows[withheld_codes(codes[rows], positions, k, companies[rows])]
        if len(drop):
            for column in columns:
                position = cast(int, frame.columns.get_loc(column))  # the names are unique
                frame.iloc[drop, position] = pd.NA
                blanked[column] = len(drop)
    return blanked


def _joint(frame: pd.DataFrame) -> dict[str, int]:
    """Withhold answers to a joint group's questions from those who skipped one of them, and
    the stored flags read from those answers (Panoramica's «Journey ideale» is
    `has_journey_map`: the same respondents as the funnel's first bar)."""
    blanked: dict[str, int] = {}
    for columns in JOINT:
        present = [c for c in columns if c in frame.columns]
        if not present:
            continue
        every = np.logical_and.reduce([_answered(frame[c]) for c in present])
        derived = {c: [flag for flag, (qid, _) in CHOICE_FLAGS.items()
                       if qid == c and flag in frame.columns] for c in present}
        for c in present:
            partial = _answered(frame[c]) & ~every
            if partial.any():
                for column in (c, *derived[c]):
                    frame.loc[partial, column] = pd.NA
                    blanked[column] = int(partial.sum())
    return blanked


def _published_dimensions(frame: pd.DataFrame, groups: Mapping[str, Mapping[str, str]]
                          ) -> pd.DataFrame:
    """Each dimension as its published group; an unmerged missing answer stays missing."""
    out = frame.copy()
    for dim, mapping in groups.items():
        shown = {code: (None if group == MISSING else group) for code, group in mapping.items()}
        out[dim] = frame[dim].astype("string").fillna(MISSING).map(shown).astype("string")
    return out


def publish(frame: pd.DataFrame, qn: Questionnaire, k: int,
            personas: pd.Series | None = None) -> Publication:
    """The publication of `frame` (every column of the responses) at threshold k.

    `personas`: each row's persona in the one persona model non-analysts see (aligned with
    `frame`), so that persona figures are checked together with the margins.
    """
    frame = frame.reset_index(drop=True)
    groups = {dim: recode(Answers(frame[dim], frame[WAVE], frame["company"]),
                          Categories.of(qn[dim]), k)
              for dim in DIMENSIONS if dim in frame.columns}
    keys = _keys(frame, groups, personas)
    margins = margins_of(tuple(groups), personas is not None)
    companies = pd.factorize(frame["company"].astype("string").fillna(""))[0]
    gone = withheld(keys, margins, k, companies) if len(frame) else np.zeros(0, dtype=bool)
    kept = _published_dimensions(frame, groups)[~gone].reset_index(drop=True)
    if personas is not None:
        kept[PERSONA] = personas.reset_index(drop=True)[~gone].astype("Int64").to_numpy()
    joint = _joint(kept)
    blanked = _blank_isolable(kept, keys[~gone].reset_index(drop=True), margins, k,
                              companies[~gone])
    blanked = {c: blanked.get(c, 0) + joint.get(c, 0) for c in {*blanked, *joint}}
    return Publication(k, groups, kept, int(gone.sum()), blanked, np.flatnonzero(~gone))
