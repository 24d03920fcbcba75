"""A visitor's key-driver analysis is computed over sets of respondents the disclosure auditor
already checks (cx.privacy.audit.visitor_figures): the respondents who answered the outcome
and those with each driver (a practice: who answered its question), in every admitted filter
and segment, personas included."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cx.drivers import data
from cx.drivers.data import CLUB, PERSONA, Segment, in_segment, with_personas
from cx.filters import Filters
from cx.privacy import admit, attach, crosses
from cx.privacy.audit import visitor_figures
from cx.questionnaire import questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.store import Store

OUTCOMES = ("club_nps", "kpi_nps", "kpi_csat", "maturity_index")


def _ids(rows: pd.DataFrame, column: str) -> frozenset[str]:
    kept = rows[rows[column].notna()]
    return frozenset(kept["respondent_id"].astype(str) + "@" + kept["wave"].astype(str))


def _every_key(store: Store, outcome: str, driver_set: str, filters: Filters) -> pd.DataFrame:
    """The analysis's frame with the keys of every split at once (`data.load` reads those of
    one), and the respondents' ids the auditor's sets are made of."""
    qn = questionnaire()
    names = dict.fromkeys((*data.KEYS, *data.SEGMENT_DIMENSIONS,
                           *data.columns(outcome, driver_set, qn)))
    return data.driver_frame(store.responses(names, filters), outcome, driver_set, qn)


def _segments(frame: pd.DataFrame, filters: Filters) -> list[Segment]:
    out = [CLUB]
    for dim in data.SEGMENT_DIMENSIONS:
        if not crosses(filters, dim):
            out += [Segment(dim, str(g)) for g in frame[dim].dropna().unique()]
    return out


def test_a_visitors_analysis_reads_only_sets_the_auditor_checks(sample_db):
    qn = questionnaire()
    practices = [q.id for q in qn.practices]
    columns = [*OUTCOMES, *PILLAR_COLUMNS, *PYRAMID_COLUMNS, *practices]
    with Store.open(sample_db) as store:
        release = attach(store, 5, 8).current()
        checked = {f.members for f in visitor_figures(release, columns)}
        pub = release.publication
        tried = 0
        for chosen in (Filters(), Filters(wave=2025), Filters(sectors=("finance",)),
                       Filters(wave=2026, size_bands=(pub.options("size_band")[0],))):
            admitted = admit(chosen, pub).filters
            for outcome in OUTCOMES:
                for driver_set in data.SETS:
                    frame = _every_key(store, outcome, driver_set, admitted)
                    for segment in _segments(frame, admitted):
                        rows = in_segment(frame, segment)
                        for column in (outcome, *data.driver_names(driver_set, qn)):
                            # a driver's performance: over who answered it
                            shown = data.answered(column)
                            used = _ids(rows, shown if shown in rows else column)
                            assert not used or used in checked, (chosen, segment, column)
                            tried += 1
        assert tried > 1000
        # personas: over the whole published table (no filter), as the auditor models them
        frame = data.load(store, "club_nps", "pillars", Filters(published=True), qn, PERSONA)
        keys = pub.frame[["wave", "respondent_id"]]
        assert release.persona_labels is not None
        labelled = with_personas(frame, keys, list(release.persona_labels))
        for p in np.unique(labelled[PERSONA].dropna()):
            rows = in_segment(labelled, Segment(PERSONA, str(p)))
            assert _ids(rows, "club_nps") in checked
            assert _ids(rows, "pillar_empathy") in checked
