"""The numbers behind the Buyer Personas, for whoever checks them (Streamlit layer): the map of
respondents, the comparison of outcomes with its significance, and the method.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import fmt
from cx.access import display_name
from cx.charts.personas import MapText, persona_map_chart, stability_chart
from cx.charts.titles import Titles
from cx.export import to_csv_bytes, to_xlsx_bytes
from cx.i18n import t
from cx.personas.model import (
    ARI_POOR,
    BOOT_N_INIT,
    BOOTSTRAPS,
    FIT_SAMPLE,
    N_INIT,
    SEED,
    STABILITY_SAMPLE,
    Personas,
    stability_floor,
)
from cx.personas.report import MAP_POINTS, PROFILE_QUESTIONS, PersonaReport
from cx.personas.text import (
    feature_table,
    outcome_details,
    outcome_table,
    persona_label,
    persona_stability,
    question_label,
    untested_note,
)
from cx.personas.traits import TRAIT_Z, TRAITS_MAX
from cx.questionnaire import questionnaire
from cx.ui import access, glossary, widgets


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
    note = untested_note(rep, lang)
    if note:
        st.caption(note)
    with st.expander(t("personas.outcomes.details", lang)):
        st.dataframe(outcome_details(rep, lang, as_text=True), hide_index=True, width="stretch")
        _downloads(outcome_details(rep, lang), "personas_outcomes", lang)


def _curve(model: Personas) -> pd.DataFrame:
    curve = pd.DataFrame([(s.k, s.ari, s.se) for s in model.stability_],
                         columns=["k", "stability", "se"])
    return curve.assign(se_low=curve["stability"] - curve["se"],
                        se_high=curve["stability"] + curve["se"], shown=curve["k"] == model.k_,
                        floor=stability_floor(model.stability_)).drop(columns="se")


def _method_text(rep: PersonaReport, lang: str) -> str:
    return t("personas.method.text", lang, seed=SEED, n_init=N_INIT,
             fit_sample=fmt.number(FIT_SAMPLE, lang), boots=BOOTSTRAPS,
             stab_sample=fmt.number(STABILITY_SAMPLE, lang), boot_init=BOOT_N_INIT,
             poor=fmt.number(ARI_POOR, lang, 2), trait_z=fmt.number(TRAIT_Z, lang, 1),
             traits_max=TRAITS_MAX, comment_k=rep.comment_k,
             map_points=fmt.number(MAP_POINTS, lang), k=rep.privacy_k)


def method(rep: PersonaReport, lang: str) -> None:
    """The stability curve by k, each persona's stability, the features and the rules, for
    the analyst."""
    model = rep.model
    st.subheader(t("personas.method.title", lang), anchor=False)
    curve = _curve(model)
    n_sample = fmt.number(min(rep.respondents, FIT_SAMPLE, STABILITY_SAMPLE), lang)
    axes = (t("personas.method.stability_x", lang), t("personas.method.stability_y", lang))
    titles = Titles(t("personas.method.stability_title", lang),
                    t("personas.method.stability_subtitle", lang, boots=BOOTSTRAPS, n=n_sample),
                    lang)
    widgets.chart(widgets.spec(stability_chart, curve, axes, titles), "personas_stability",
                  lang, curve)
    st.caption(t("personas.method.persona_stability", lang,
                 personas=persona_stability(rep, lang)))
    with st.expander(t("personas.method.steps", lang), icon=":material/functions:"):
        st.markdown(_method_text(rep, lang))
        glossary.see_also(lang, "buyer_personas", "indice_maturita_cx", "piramide_cx",
                          "six_pillars", "autovalutazione")
    features = feature_table(model, lang)
    heading = t("personas.method.features_title", lang, questions=len(features),
                columns=len(model.features))
    st.markdown(f"**{heading}**")
    st.dataframe(features, hide_index=True, width="stretch", height="content")
