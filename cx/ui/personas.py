"""The Buyer Personas page's Streamlit layer: the cached fit, the number-of-personas control,
cards, map, comparison table and method; `persona_of_company` for the company scorecard.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import comments, config, fmt
from cx.access import display_name
from cx.charts.personas import MapText, persona_map_chart, silhouette_chart
from cx.charts.theme import CATEGORICAL
from cx.charts.titles import Titles
from cx.export import to_csv_bytes, to_xlsx_bytes
from cx.filters import Filters
from cx.i18n import t
from cx.personas.model import (
    FIT_SAMPLE,
    K_MAX,
    K_MIN,
    N_INIT,
    ROWS_PER_FEATURE,
    SEED,
    SILHOUETTE_SAMPLE,
    STABILITY_SEEDS,
    STABILITY_WARNING,
    second_peak,
)
from cx.personas.report import (
    MAP_POINTS,
    PROFILE_QUESTIONS,
    Persona,
    PersonaMatch,
    PersonaReport,
    TooFew,
    build_report,
    match_company,
    report_columns,
)
from cx.personas.text import (
    feature_table,
    outcome_details,
    outcome_table,
    persona_label,
    persona_name,
    profile_text,
    question_label,
    trait_text,
)
from cx.questionnaire import questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.scoring import Aggregate
from cx.ui import access, data, results, state, widgets

K_KEY = "personas"  # URL parameter: ?personas=4
K_AUTO = "auto"
K_CODES = (K_AUTO, *(str(k) for k in range(K_MIN, K_MAX + 1)))


@st.cache_data(max_entries=16, show_spinner=False)
def report(db: str, data_version: int, filters: Filters, k: str, privacy_k: int,
           comment_k: int) -> PersonaReport | TooFew | None:
    """The personas of the filtered respondents (`k` is "auto" or "2"…"8"), fitted once per
    data version, filter and k. For everyone but analysts: the one model of the release
    (cx.privacy), whatever the filter and k; None when the release withholds personas."""
    if filters.published:
        return data.release().personas
    qn = questionnaire()
    answers = data.store().responses(report_columns(qn), filters)
    found = build_report(answers, qn, None if k == K_AUTO else int(k), privacy_k, comment_k)
    if isinstance(found, PersonaReport):  # the map's anonymous codes, looked up once
        codes = data.company_codes(db, data_version)
        found.points["code"] = [codes.get(c, "–") for c in found.points["company"]]
    return found


def persona_of_company(db: str, data_version: int, company: str, filters: Filters,
                       k: str = K_AUTO) -> PersonaMatch | None:
    """The persona (of the personas fitted on `filters`, `k` as in ?personas=) a company is
    closest to, or None when there are too few respondents or the company has no answers.
    For the company scorecard: `persona_of_company(*data.key(), company, filters)`."""
    return _persona_of_company(db, data_version, company, filters, k, config.privacy_k(),
                               config.comment_k())


@st.cache_data(max_entries=256, show_spinner=False)
def _persona_of_company(db: str, data_version: int, company: str, filters: Filters, k: str,
                        privacy_k: int, comment_k: int) -> PersonaMatch | None:
    found = report(db, data_version, filters, k, privacy_k, comment_k)
    if not isinstance(found, PersonaReport):
        return None
    answers = data.store().query("personas_company", company=company)
    return match_company(found, answers, filters.wave)


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
    """What was found, how stable it is, and how far to trust it."""
    model = rep.model
    silhouette = dict(model.silhouette_)[model.k_]
    st.markdown(t("personas.summary_auto" if k == K_AUTO else "personas.summary_manual", lang,
                  k=model.k_, n=fmt.number(rep.respondents, lang),
                  silhouette=fmt.number(silhouette, lang, 2), best=model.best_k_,
                  stability=fmt.number(model.stability, lang, 2)))
    if model.stability < STABILITY_WARNING:
        st.warning(t("personas.stability_warning", lang,
                     stability=fmt.number(model.stability, lang, 2)), icon=":material/warning:")
    if model.illustrative:
        features = len(model.features)
        st.info(t("personas.illustrative", lang, n=fmt.number(rep.respondents, lang),
                  features=features, needed=fmt.number(features * ROWS_PER_FEATURE, lang)),
                icon=":material/info:")
    # only an analyst picks another k (everyone else sees the release's one model)
    peak = second_peak(model) if k == K_AUTO and access.viewer().is_analyst else None
    if peak:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.caption(t("personas.second_peak", lang, k=peak))
        row.button(t("personas.second_peak_button", lang, k=peak), key="personas_peak",
                   on_click=_set_k, args=(str(peak),), icon=":material/zoom_in:")


def your_company(filters: Filters, k: str, lang: str) -> None:
    """For a signed-in manager: the persona their own company is closest to."""
    who = access.viewer()
    if who.role != "manager" or not who.company:
        return
    match = persona_of_company(*data.key(), who.company, filters, k)
    if match is not None:
        st.success(t("personas.your_company", lang, company=widgets.literal(who.company),
                     name=persona_name(match.name, lang), share=fmt.percent(match.share, lang)),
                   icon=":material/badge:")


def _aggregate(rep: PersonaReport, persona: int, measure: str) -> Aggregate:
    row = rep.outcomes[(rep.outcomes["persona"] == persona)
                       & (rep.outcomes["measure"] == measure)].iloc[0]
    value = None if pd.isna(row["value"]) else float(row["value"])
    low = None if pd.isna(row["low"]) else float(row["low"])
    high = None if pd.isna(row["high"]) else float(row["high"])
    return Aggregate(value, int(row["n"]), low, high, bool(row["suppressed"]))


def _quote(rep: PersonaReport, persona: Persona, lang: str) -> None:
    if persona.n < rep.comment_k:
        st.caption(t("personas.quote_hidden", lang, k=rep.comment_k))
    elif persona.quote is None:
        st.caption(t("personas.quote_none", lang))
    else:
        # as in Risultati: a company named in the answer is blanked out
        text = comments.redact(persona.quote.text, results.name_index(*data.key()),
                               t("results.redacted", lang))
        st.markdown(f"> ### *«{widgets.literal(text)}»*")
        st.caption(t("personas.quote_caption", lang,
                     source=t(f"personas.quote_source.{persona.quote.question}", lang)))


def _scores(rep: PersonaReport, persona: Persona) -> pd.DataFrame:
    frame = rep.outcomes[(rep.outcomes["persona"] == persona.index)
                         & rep.outcomes["measure"].isin((*PYRAMID_COLUMNS, *PILLAR_COLUMNS))]
    return frame[~frame["suppressed"]]


def _card(rep: PersonaReport, persona: Persona, lang: str) -> None:
    qn = questionnaire()
    st.subheader(persona_name(persona.name, lang), anchor=False)
    st.caption(t("personas.card_caption", lang, number=persona.index + 1, n=persona.n,
                 share=fmt.percent(persona.share, lang)))
    if persona.suppressed:
        st.info(t("personas.card_suppressed", lang, k=rep.privacy_k, n=persona.n),
                icon=":material/lock:")
        return
    _quote(rep, persona, lang)
    left, right = st.columns(2)
    with left:
        widgets.aggregate_tile(t("personas.maturity", lang),
                               _aggregate(rep, persona.index, "maturity_index"), lang,
                               rep.privacy_k)
    with right:
        widgets.aggregate_tile(t("personas.nps", lang),
                               _aggregate(rep, persona.index, "club_nps"), lang,
                               rep.privacy_k, signed=True)
    traits = "\n".join(f"- {trait_text(tr, qn, lang)}" for tr in persona.traits)
    st.markdown(f"**{t('personas.traits_title', lang)}**\n{traits}")
    st.markdown(f"**{t('personas.profile_title', lang)}**: "
                f"{profile_text(persona.profile, qn, lang)}")
    scores = _scores(rep, persona)
    if not scores.empty:
        _scores_table(scores, CATEGORICAL[persona.index % len(CATEGORICAL)], lang)


def _scores_table(scores: pd.DataFrame, color: str, lang: str) -> None:
    # bars in a table, in the persona's map colour: an Altair chart per card cost ~30 ms a rerun
    name, club = t("personas.scores_title", lang), t("personas.outcomes.club", lang)
    table = pd.DataFrame({name: [t(f"score.{m}", lang) for m in scores["measure"]],
                          "value": scores["value"].round().to_numpy(),
                          club: scores["club"].round().astype(int).to_numpy()})
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "value": st.column_config.ProgressColumn(
            t("personas.map.persona", lang), min_value=0, max_value=100, format="%d",
            color=color, help=t("personas.scores_help", lang, n=int(scores["n"].max()))),
        club: st.column_config.NumberColumn(width=56)})


def cards(rep: PersonaReport, lang: str) -> None:
    """One card per persona, two to a row (three leave too little room on a laptop)."""
    per_row = 2
    for start in range(0, rep.model.k_, per_row):
        columns = st.columns(per_row, gap="medium")
        for column, persona in zip(columns, rep.personas[start:start + per_row]):
            with column, st.container(border=True):
                _card(rep, persona, lang)


def _map_frame(rep: PersonaReport, labels: list[str], lang: str) -> pd.DataFrame:
    qn, who = questionnaire(), access.viewer()
    points = rep.points
    if points.empty:  # the release's map: persona centres only
        return pd.DataFrame({"label": [], "x": [], "y": []})
    frame = pd.DataFrame({"label": [labels[i] for i in points["persona"]]})
    for qid in PROFILE_QUESTIONS:
        if qid in points:
            names = {c: qn[qid].option_label(c, lang) for c in qn[qid].codes}
            frame[qid] = points[qid].astype("string").map(names).fillna("–")
    frame["company"] = [display_name(name, code, who)
                        for name, code in zip(points["company"], points["code"])]
    return frame.assign(x=points["x"].to_numpy(), y=points["y"].to_numpy())


def _map_text(rep: PersonaReport, labels: list[str], frame: pd.DataFrame, lang: str) -> MapText:
    """The map's persona names, tooltip fields and axis titles (each with its share of the
    variance)."""
    qn = questionnaire()
    tooltip = (("label", t("personas.map.persona", lang)),
               *((q, question_label(qn[q], lang)) for q in PROFILE_QUESTIONS if q in frame),
               ("company", t("personas.map.company", lang)))
    x, y = (t(f"personas.map.{axis}", lang, pct=fmt.percent(share * 100, lang))
            for axis, share in zip(("x", "y"), rep.explained))
    return MapText(tuple(labels), tooltip, (x, y))


def persona_map(rep: PersonaReport, lang: str) -> None:
    """Respondents on the first two principal components, coloured by persona (for everyone
    but analysts the persona centres only: a dot would be one respondent)."""
    labels = [persona_label(rep, i, lang) for i in range(rep.model.k_)]
    frame = _map_frame(rep, labels, lang)
    centres = rep.centres.assign(label=labels, number=[str(i + 1) for i in rep.centres.index])
    shown, n = len(frame), fmt.number(rep.respondents, lang)
    subtitle = t("personas.map.subtitle_centres", lang, n=n) if not shown else \
        t("personas.map.subtitle_sample", lang, shown=fmt.number(shown, lang), n=n) \
        if shown < rep.respondents else t("personas.map.subtitle", lang, n=n)
    chart = widgets.spec(persona_map_chart, frame, centres, _map_text(rep, labels, frame, lang),
                         Titles(t("personas.map.title", lang), subtitle, lang))
    widgets.chart(chart, "personas_map", lang, frame if shown else centres)
    st.caption(t("personas.map.caption", lang, pct=fmt.percent(sum(rep.explained) * 100, lang)))


def _downloads(frame: pd.DataFrame, name: str, lang: str) -> None:
    row = st.container(horizontal=True, gap="small")
    row.download_button(t("app.download_csv", lang), data=lambda: to_csv_bytes(frame),
                        file_name=f"{name}.csv", mime="text/csv", on_click="ignore",
                        key=f"csv_{name}", icon=":material/table:")
    row.download_button(
        t("app.download_xlsx", lang), data=lambda: to_xlsx_bytes(frame), file_name=f"{name}.xlsx",
        on_click="ignore", key=f"xlsx_{name}", icon=":material/table:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def outcomes(rep: PersonaReport, lang: str) -> None:
    """Maturity, Club NPS, pyramid and pillars per persona, cells marked when significant."""
    st.subheader(t("personas.outcomes.title", lang), anchor=False)
    # ▲/▼ in the cells rather than a pandas Styler: the Styler cost ~20 ms a rerun
    table = outcome_table(rep, lang)
    st.dataframe(table, hide_index=True, width="stretch", row_height=38, height="content")
    st.caption(t("personas.outcomes.caption", lang, k=rep.privacy_k))
    with st.expander(t("personas.outcomes.details", lang)):
        st.dataframe(outcome_details(rep, lang, as_text=True), hide_index=True, width="stretch")
        _downloads(outcome_details(rep, lang), "personas_outcomes", lang)


def method(rep: PersonaReport, lang: str) -> None:
    """The silhouette curve, the stability, the features and the rules, for the analyst."""
    model = rep.model
    st.subheader(t("personas.method.title", lang), anchor=False)
    curve = pd.DataFrame(model.silhouette_, columns=["k", "silhouette"])
    curve["shown"] = curve["k"] == model.k_
    n_sample = fmt.number(min(rep.respondents, FIT_SAMPLE, SILHOUETTE_SAMPLE), lang)
    axes = (t("personas.method.silhouette_x", lang), t("personas.method.silhouette_y", lang))
    titles = Titles(t("personas.method.silhouette_title", lang),
                    t("personas.method.silhouette_subtitle", lang, n=n_sample), lang)
    widgets.chart(widgets.spec(silhouette_chart, curve, axes, titles), "personas_silhouette",
                  lang, curve)
    st.caption(t("personas.method.stability", lang, seeds=STABILITY_SEEDS,
                 mean=fmt.number(model.stability, lang, 2),
                 min=fmt.number(min(model.stability_), lang, 2)))
    with st.expander(t("personas.method.steps", lang), icon=":material/functions:"):
        st.markdown(t("personas.method.text", lang, seed=SEED, n_init=N_INIT,
                      fit_sample=fmt.number(FIT_SAMPLE, lang),
                      sil_sample=fmt.number(SILHOUETTE_SAMPLE, lang), comment_k=rep.comment_k,
                      map_points=fmt.number(MAP_POINTS, lang), k=rep.privacy_k))
    features = feature_table(model, lang)
    heading = t("personas.method.features_title", lang, questions=len(features),
                columns=len(model.features))
    st.markdown(f"**{heading}**")
    st.dataframe(features, hide_index=True, width="stretch", height="content")


def fixed_note(filters: Filters, rep: PersonaReport, lang: str) -> None:
    """For everyone but analysts: why filters and k do not change the personas."""
    if filters.published:
        st.info(t("privacy.personas_fixed", lang, n=fmt.number(rep.respondents, lang)),
                icon=":material/lock:")
