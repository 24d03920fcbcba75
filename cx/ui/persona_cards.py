"""The Buyer Personas page's cards: one per persona, with its name, size, stability, quote,
maturity and Club NPS, distinguishing traits, typical profile and scores (Streamlit layer).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx import comments, fmt
from cx.charts.theme import CATEGORICAL
from cx.i18n import t
from cx.personas.report import Persona, PersonaReport
from cx.personas.text import persona_name, profile_text, stability_text, traits_text
from cx.questionnaire import questionnaire
from cx.score_columns import PILLAR_COLUMNS, PYRAMID_COLUMNS
from cx.scoring import Aggregate
from cx.ui import data, results, widgets


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
                 share=fmt.percent(persona.share, lang),
                 stability=stability_text(persona.jaccard, lang)))
    _stability_flag(persona, lang)
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
                               rep.privacy_k, "signed")
    st.markdown(f"**{t('personas.traits_title', lang)}**\n\n{traits_text(persona, qn, lang)}")
    st.markdown(f"**{t('personas.profile_title', lang)}**: "
                f"{profile_text(persona.profile, qn, lang)}")
    scores = _scores(rep, persona)
    if not scores.empty:
        _scores_table(scores, CATEGORICAL[persona.index % len(CATEGORICAL)], lang)


def _stability_flag(persona: Persona, lang: str) -> None:
    """A dissolving persona is not a group the data support: say so before anything else."""
    if persona.reading == "dissolved":
        st.warning(t("personas.card_dissolved", lang,
                     jaccard=fmt.number(persona.jaccard, lang, 2)), icon=":material/blur_on:")
    elif persona.reading == "weak":
        st.caption(t("personas.card_weak", lang))


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
