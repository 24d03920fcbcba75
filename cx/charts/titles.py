"""What every chart carries, whatever it draws: its heading, its subtitle and its language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Titles:
    """A chart's heading and subtitle, already translated, and the language of its numbers
    (locale) and tooltip titles. Frozen and made of strings: a chart's arguments are its cache
    key (`cx.ui.widgets.spec`)."""

    heading: str
    subtitle: str
    lang: str
