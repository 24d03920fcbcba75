"""Completion time, where an export records it: a duration column (Qualtrics' «Duration (in
seconds)», LimeSurvey's total time) or the start and end of each response (SurveyMonkey's
Start/End Date, Microsoft Forms' Start/Completion time, LimeSurvey's, Typeform's, KoBo's).
Google Forms writes only when a response was sent: no duration. Speeders are the responses
faster than a share of the median (`SPEED_SHARE`)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cx.ingest.sources import norm
from cx.store.sql import col

if TYPE_CHECKING:
    import pandas as pd

SPEED_SHARE = 1 / 3  # a speeder takes less than a third of the median time
MIN_TIMED = 5  # responses with a time needed before a median says anything
Params = tuple[tuple[str, object], ...]

# the file's column names, normalised (`cx.ingest.sources.norm`), first match wins
DURATION = ("duration (in seconds)", "durata (in secondi)", "duration (seconds)",
            "durata (secondi)", "duration", "durata", "interviewtime", "total time",
            "tempo totale", "time taken", "tempo impiegato")
START = ("startdate", "start date", "start time", "start date (utc)", "date started",
         "data di inizio", "ora di inizio", "data inizio", "starttime", "start", "started",
         "inizio")
END = ("enddate", "end date", "completion time", "ora di completamento", "submit date (utc)",
       "date submitted", "data invio", "data di fine", "data fine", "submitdate", "endtime",
       "end time", "end", "completed", "fine")


@dataclass(frozen=True)
class Columns:
    """The file's columns that time a response: one duration, or a start and an end."""

    names: tuple[str, ...]
    staged: tuple[int, ...]

    @property
    def duration(self) -> bool:
        return len(self.staged) == 1


@dataclass(frozen=True)
class Timing:
    """Completion times found: the columns read, how many responses have a time, the median
    and the speeders' threshold (seconds; None with fewer than `MIN_TIMED` times)."""

    columns: tuple[str, ...]
    timed: int
    median: float | None = None
    threshold: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"columns": list(self.columns), "timed": self.timed,
                "median_seconds": self.median, "threshold_seconds": self.threshold}


@dataclass
class Speeders:
    """The rows faster than the threshold, each with its time, and the flag's parameters."""

    mask: pd.Series
    details: list[Params]
    params: Params


def _find(names: Sequence[str], candidates: list[int], wanted: tuple[str, ...]) -> int | None:
    for name in wanted:
        for j in candidates:
            if norm(names[j]) == name:
                return j
    return None


def columns(names: Sequence[str], unmapped: Sequence[int]) -> Columns | None:
    """The columns (among those mapped to no question) that time each response, if any."""
    candidates = list(unmapped)
    j = _find(names, candidates, DURATION)
    if j is not None:
        return Columns((names[j],), (j,))
    start, end = _find(names, candidates, START), _find(names, candidates, END)
    if start is None or end is None or start == end:
        return None
    return Columns((names[start], names[end]), (start, end))


def _stamps(values: pd.Series, dayfirst: bool) -> pd.Series:
    """Dates and times as written by the tool (one format inferred, else each its own)."""
    import pandas as pd

    text = values.astype("string").str.strip()
    with warnings.catch_warnings():  # pandas warns when it infers a format: expected here
        warnings.simplefilter("ignore")
        out = pd.to_datetime(text, errors="coerce", dayfirst=dayfirst, utc=True)
        if out.notna().sum() < text.notna().sum():
            out = pd.to_datetime(text, errors="coerce", dayfirst=dayfirst, utc=True,
                                 format="mixed")
    return out


def _seconds(values: pd.Series) -> pd.Series:
    """A duration column: seconds (decimal comma or point), or a time such as 00:05:12."""
    import pandas as pd

    text = values.astype("string").str.strip()
    seconds = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    clock = pd.to_timedelta(text.where(seconds.isna()), errors="coerce").dt.total_seconds()
    return seconds.astype(float).fillna(clock)


def durations(frame: pd.DataFrame, cols: Columns) -> pd.Series:
    """Seconds each response took (NaN where unknown or negative). Day and month are read in
    the order that dates the most responses (US tools write the month first)."""
    if cols.duration:
        found = _seconds(frame[col(cols.staged[0])])
        return found.where((found >= 0) & (found < float("inf")))
    start, end = (frame[col(j)] for j in cols.staged)
    best: pd.Series | None = None
    for dayfirst in (True, False):
        taken = (_stamps(end, dayfirst) - _stamps(start, dayfirst)).dt.total_seconds()
        taken = taken.where(taken >= 0)
        if best is None or taken.notna().sum() > best.notna().sum():
            best = taken
    assert best is not None
    return best.astype(float)


def speeders(frame: pd.DataFrame, cols: Columns) -> tuple[Timing, Speeders | None]:
    """The completion times of `frame` and the responses faster than the threshold."""
    seconds = durations(frame, cols)
    timed = int(seconds.notna().sum())
    if timed < MIN_TIMED:
        return Timing(cols.names, timed), None
    median = float(seconds.median())
    threshold = median * SPEED_SHARE
    timing = Timing(cols.names, timed, round(median, 1), round(threshold, 1))
    mask = (seconds < threshold).fillna(False)
    if not mask.any():
        return timing, None
    details: list[Params] = [(("seconds", round(float(s), 1)),) for s in seconds[mask]]
    return timing, Speeders(mask, details, (("median", timing.median),
                                            ("threshold", timing.threshold), ("timed", timed)))


def duration_text(seconds: float, lang: str = "it") -> str:
    """«45 s», «5 min 12 s», «1 h 02 min» (the same in Italian and English)."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
