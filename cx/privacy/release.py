"""The release: the published table, as Arrow for the store to read in place of the
responses, and the one persona model non-analysts see, checked together. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cx.personas.report import PersonaReport, TooFew, build_report, report_columns
from cx.privacy.publication import DIMENSIONS, Publication, publish
from cx.questionnaire import Questionnaire
from cx.view import View

ROUNDS = 3  # personas refitted until the publication they are checked with stops changing


@dataclass(frozen=True)
class Release:
    """What non-analysts' figures are computed from."""

    publication: Publication
    # Store reads it as `responses`; a large release is a file (`cx.privacy.stored`)
    table: pa.Table | Path = field(repr=False)
    personas: PersonaReport | TooFew | None = field(repr=False)  # None: withheld
    persona_labels: np.ndarray | None = field(default=None, repr=False)  # per published row


def _fit_frame(frame: pd.DataFrame, pub: Publication, qn: Questionnaire) -> pd.DataFrame:
    """The published rows with their own answers to the dimensions (personas describe members
    by them; every figure about a persona is over at least k of them)."""
    out = pub.frame.copy()
    for dim in DIMENSIONS:
        if dim in frame.columns:
            out[dim] = frame[dim].iloc[pub.rows].to_numpy()
    return out[[c for c in report_columns(qn) if c in out.columns]]


def _personas(fit: pd.DataFrame, qn: Questionnaire, k: int, comment_k: int
              ) -> PersonaReport | TooFew:
    """The automatic persona model, or the largest k below it whose personas all hold at least
    k respondents (a smaller persona's figures would follow from the others and the Club).
    Its map keeps the persona centres only: no respondent is drawn."""
    rules = View(k=k, comment_k=comment_k)
    report = build_report(fit, qn, rules)
    while isinstance(report, PersonaReport) and min(report.model.sizes_) < k \
            and report.model.k_ > 2:
        report = build_report(fit, qn, rules, report.model.k_ - 1)
    if isinstance(report, PersonaReport):
        report = replace(report, points=report.points.iloc[:0])
    return report


def _labels_for(frame: pd.DataFrame, pub: Publication, labels: np.ndarray) -> pd.Series:
    out = pd.Series(pd.NA, index=range(len(frame)), dtype="Int64")
    out.iloc[pub.rows] = labels
    return out


def release(frame: pd.DataFrame, qn: Questionnaire, k: int, comment_k: int) -> Release:
    """Publish `frame` (every column of the responses) for viewers who are not analysts."""
    frame = frame.reset_index(drop=True)
    pub = publish(frame, qn, k)
    for _ in range(ROUNDS):
        report = _personas(_fit_frame(frame, pub, qn), qn, k, comment_k)
        if not isinstance(report, PersonaReport) or min(report.model.sizes_) < k:
            return Release(pub, _arrow(pub), report if isinstance(report, TooFew) else None)
        labels = report.model.labels_
        checked = publish(frame, qn, k, _labels_for(frame, pub, labels))
        if _same(checked, pub):
            return Release(checked, _arrow(checked), report, np.asarray(labels))
        pub = checked
    return Release(pub, _arrow(pub), None)


def _same(a: Publication, b: Publication) -> bool:
    return np.array_equal(a.rows, b.rows) and dict(a.blanked) == dict(b.blanked)


def _arrow(pub: Publication) -> pa.Table:
    frame = pub.frame.drop(columns=[c for c in ("persona",) if c in pub.frame.columns])
    return pa.Table.from_pandas(frame, preserve_index=False)
