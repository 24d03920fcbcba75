"""A company matched to its nearest Buyer Persona (for the company scorecard): from a report
the app has cached, or fitted from the store on the command line. Pure: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cx.personas.model import assign_mean
from cx.personas.report import PersonaReport, build_report, published_personas, report_columns
from cx.store import Store
from cx.view import View


@dataclass(frozen=True)
class PersonaMatch:
    """The persona a company is closest to (for the company scorecard)."""

    index: int  # 0-based persona number in the report
    name: tuple[str, str]  # render with cx.personas.text.persona_name(name, lang)
    share: float  # % of the respondents in that persona
    n: int  # members of that persona
    respondents: int  # the company's answers the match is based on


def match_company(report: PersonaReport, answers: pd.DataFrame,
                  wave: int | None = None) -> PersonaMatch | None:
    """The persona nearest the average answers of one company's respondents: those of `wave`
    when the company answered in it, else all of them. None without any answer."""
    if wave is not None and "wave" in answers and (answers["wave"] == wave).any():
        answers = answers[answers["wave"] == wave]
    index = assign_mean(report.model, answers)
    if index is None:
        return None
    persona = report.personas[index]
    return PersonaMatch(index, persona.name, persona.share, persona.n, len(answers))


def company_persona(store: Store, company: str, view: View,
                    personas_k: int | None = None) -> PersonaMatch | None:
    """The persona a company is closest to, among the personas of the view's filters (the
    command line's path; the app caches the fit in `cx.ui.personas`). With published filters:
    the release's one persona model (cx.privacy), whatever the filter."""
    qn, filters = store.qn, view.filters
    found = published_personas(store) if filters.published else build_report(
        store.responses(report_columns(qn), filters), qn, view, personas_k)
    if not isinstance(found, PersonaReport):
        return None
    return match_company(found, store.query("personas_company", company=company), filters.wave)
