"""How the privacy layer's decisions read on screen: one sentence each, translated."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import streamlit as st

from cx import config, fmt
from cx.config import PROJECT_ROOT
from cx.filters import Filters
from cx.i18n import t
from cx.privacy import DIMENSIONS, Notice, allowed_breakdowns, crosses, group_label, members
from cx.questionnaire import questionnaire
from cx.ui import access, data, state

GUARANTEE = PROJECT_ROOT / "docs" / "privacy.md"


@cache
def guarantee_text(lang: str) -> str:
    """The part of docs/privacy.md for the Club's members in `lang` (between its markers)."""
    text = GUARANTEE.read_text(encoding="utf-8")
    start, end = f"<!-- members:{lang} -->", f"<!-- /members:{lang} -->"
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def _dimension_label(dim: str, lang: str) -> str:
    return t(f"filters.{dim}", lang)


def notice_text(notice: Notice, lang: str) -> str:
    """The sentence for an admission notice."""
    params = notice.kwargs()
    k = config.privacy_k()
    if notice.key == "privacy.one_dimension":
        dropped = ", ".join(_dimension_label(d, lang) for d in params["dropped"].split(","))
        return t(notice.key, lang, kept=_dimension_label(params["kept"], lang), dropped=dropped)
    if notice.key == "privacy.merged_filter":
        q = questionnaire()[params["dimension"]]
        merged = [g for g in params["groups"].split("|") if len(members(g)) > 1]
        return t(notice.key, lang, groups="», «".join(group_label(q, g, lang) for g in merged),
                 k=k)
    return t(notice.key, lang, **params)


def allowed(candidates: Sequence[str]) -> list[str]:
    """The comparisons this viewer may make, in the order given: all of them for an analyst;
    for everyone else those within the checked margins (cx.privacy.allowed_breakdowns)."""
    if access.viewer().is_analyst:
        return list(candidates)
    ok = allowed_breakdowns(data.admission(state.chosen_filters()))
    return [c for c in candidates if c in ok]


def comparison_note(lang: str) -> None:
    """Under a comparison picker: why other dimensions are missing, when they are."""
    if access.viewer().is_analyst:
        return
    segment = data.admission(state.chosen_filters()).segment
    if segment is not None:
        st.caption(t("privacy.breakdown_withheld", lang,
                     segment=_dimension_label(segment, lang)))


def companies_withheld(lang: str) -> None:
    st.info(t("privacy.companies_withheld", lang, k=config.privacy_k()),
            icon=":material/lock:")


def guarantee(lang: str) -> None:
    """The guarantee for the Club's members, from docs/privacy.md, in the page's language."""
    with st.expander(t("privacy.privacy_link", lang), icon=":material/shield:"):
        st.markdown(guarantee_text(lang))


def withheld_note(lang: str) -> None:
    """Under the headline numbers (non-analysts): what the release left out, in one line."""
    if access.viewer().is_analyst:
        return
    pub = data.release().publication
    answers = sum(pub.blanked.values())
    if pub.withheld_respondents or answers:
        st.caption(t("privacy.withheld", lang, count=fmt.number(pub.withheld_respondents, lang),
                     answers=fmt.number(answers, lang)))


def crossed_question(qid: str, filters: Filters, lang: str) -> bool:
    """A segment dimension's own distribution inside a filter on another one is their cross
    (how many finance companies answered from the South): withheld, with the reason."""
    if qid not in DIMENSIONS or not crosses(filters, qid):
        return False
    st.info(t("privacy.question_crossed", lang,
              question=questionnaire()[qid].text(lang)), icon=":material/lock:")
    return True
