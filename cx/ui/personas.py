"""The Buyer Personas page's Streamlit layer: the cached fit, the number-of-personas control and
the notes on what was found; `persona_of_company` for the company scorecard. The cards are in
`cx.ui.persona_cards`, the map, comparison and method in `cx.ui.persona_analysis`.
"""

from __future__ import annotations

import streamlit as st

from cx import fmt
from cx.filters import Filters
from cx.i18n import t
from cx.personas.matching import PersonaMatch, match_company
from cx.personas.model import K_MAX, K_MIN, ROWS_PER_FEATURE
from cx.personas.report import PersonaReport, TooFew, build_report, report_columns
from cx.personas.text import other_k_text, persona_name, stability_warning
from cx.questionnaire import questionnaire
from cx.ui import access, data, state, widgets
from cx.view import View

K_KEY = "personas"  # URL parameter: ?personas=4
K_AUTO = "auto"
K_CODES = (K_AUTO, *(str(k) for k in range(K_MIN, K_MAX + 1)))


def report(db: str, data_version: int, view: View, k: str) -> PersonaReport | TooFew | None:
    """The personas of the view's respondents (`k` is "auto" or "2"…"8"), fitted once per
    data version, filter and k whatever the language: the report holds codes, the page
    translates them. For everyone but analysts: the one model of the release (cx.privacy),
    whatever the filter and k; None when the release withholds personas."""
    return _report(db, data_version, view.rules, k)


# Shared, read-only: the model holds a label per respondent, copied per session by cache_data
@st.cache_resource(max_entries=16, show_spinner=False)
def _report(db: str, data_version: int, rules: View, k: str) -> PersonaReport | TooFew | None:
    if rules.filters.published:
        return data.release().personas
    qn = questionnaire()
    answers = data.store().responses(report_columns(qn), rules.filters)
    found = build_report(answers, qn, rules, None if k == K_AUTO else int(k))
    if isinstance(found, PersonaReport):  # the map's anonymous codes, looked up once
        codes = data.company_codes(db, data_version)
        found.points["code"] = [codes.get(c, "–") for c in found.points["company"]]
    return found


def persona_of_company(db: str, data_version: int, company: str, view: View,
                       k: str = K_AUTO) -> PersonaMatch | None:
    """The persona (of the personas fitted on the view's filters, `k` as in ?personas=) a
    company is closest to, or None when there are too few respondents or the company has no
    answers. For the company scorecard: `persona_of_company(*data.key(), company, view)`."""
    return _persona_of_company(db, data_version, company, view.rules, k)


@st.cache_data(max_entries=256, show_spinner=False)
def _persona_of_company(db: str, data_version: int, company: str, rules: View,
                        k: str) -> PersonaMatch | None:
    found = _report(db, data_version, rules, k)
    if not isinstance(found, PersonaReport):
        return None
    answers = data.store().query("personas_company", company=company)
    return match_company(found, answers, rules.filters.wave)


def _set_k(code: str) -> None:
    st.session_state[K_KEY] = code


def k_control(lang: str) -> str:
    """The number of personas: "auto" or "2"…"8", bound to ?personas= in the URL. Only an
    analyst chooses: everyone else sees the release's one model (cx.privacy)."""
    if not access.viewer().is_analyst:
        return K_AUTO
    state.bind_url(K_KEY, K_CODES, K_AUTO)
    st.segmented_control(
        t("personas.k_label", lang), K_CODES, key=K_KEY, required=True,
        format_func=lambda code: t("personas.k_auto", lang) if code == K_AUTO else code,
        help=t("personas.k_help", lang))
    return str(st.session_state.get(K_KEY) or K_AUTO)


def notes(rep: PersonaReport, k: str, lang: str) -> None:
    """What was found, how stable it is under resampling, and how far to trust it."""
    model = rep.model
    st.markdown(t("personas.summary_auto" if k == K_AUTO else "personas.summary_manual", lang,
                  k=model.k_, n=fmt.number(rep.respondents, lang), best=model.best_k_,
                  stability=fmt.number(model.stability, lang, 2)))
    warning = stability_warning(rep, lang)
    if warning:
        st.warning(warning, icon=":material/warning:")
    if model.illustrative:
        features = len(model.features)
        st.info(t("personas.illustrative", lang, n=fmt.number(rep.respondents, lang),
                  features=features, needed=fmt.number(features * ROWS_PER_FEATURE, lang)),
                icon=":material/info:")
    # only an analyst picks another k (everyone else sees the release's one model)
    other = other_k_text(model, lang) if k == K_AUTO and access.viewer().is_analyst else None
    if other:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.caption(other[1])
        row.button(t("personas.other_k_button", lang, k=other[0]), key="personas_other_k",
                   on_click=_set_k, args=(str(other[0]),), icon=":material/zoom_in:")


def your_company(view: View, k: str) -> None:
    """For a signed-in manager: the persona their own company is closest to."""
    who, lang = access.viewer(), view.lang
    if who.role != "manager" or not who.company:
        return
    match = persona_of_company(*data.key(), who.company, view, k)
    if match is not None:
        st.success(t("personas.your_company", lang, company=widgets.literal(who.company),
                     name=persona_name(match.name, lang), share=fmt.percent(match.share, lang)),
                   icon=":material/badge:")


def fixed_note(filters: Filters, rep: PersonaReport, lang: str) -> None:
    """For everyone but analysts: why filters and k do not change the personas."""
    if filters.published:
        st.info(t("privacy.personas_fixed", lang, n=fmt.number(rep.respondents, lang)),
                icon=":material/lock:")
