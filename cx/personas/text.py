"""Buyer Personas in words: names, traits, typical profiles, stability, the feature list and the
comparison table, in Italian or English. Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from cx import fmt
from cx.i18n import catalogue, t
from cx.personas.features import Fill
from cx.personas.matching import PersonaMatch
from cx.personas.model import ARI_POOR, Personas, other_stable_k, reading
from cx.personas.report import Persona, PersonaReport
from cx.personas.traits import Trait
from cx.questionnaire import Question, Questionnaire

SIGNIF_MARKS = {1: " ▲", -1: " ▼", 0: ""}


def persona_name(name: tuple[str, str], lang: str) -> str:
    """'Pionieri data-driven' / 'Data-driven pioneers' from the (noun, trait) keys."""
    noun, trait = name
    trait_key = f"personas.trait.{trait}"
    trait_text = t(trait_key, lang) if trait_key in catalogue() else trait
    text = t("personas.name.pattern", lang, noun=t(f"personas.noun.{noun}", lang),
             trait=trait_text)
    return text[:1].upper() + text[1:]


def persona_label(report: PersonaReport, index: int, lang: str) -> str:
    """'1 · Pionieri data-driven': the number links a card, the map and the table."""
    return f"{index + 1} · {persona_name(report.personas[index].name, lang)}"


def stability_text(jaccard: float, lang: str) -> str:
    """'0,98, stabile': a persona's mean bootstrap Jaccard and Hennig's reading of it."""
    return t("personas.stability_reading", lang, jaccard=fmt.number(jaccard, lang, 2),
             reading=t(f"personas.reading.{reading(jaccard)}", lang))


def stability_warning(report: PersonaReport, lang: str) -> str | None:
    """Why the personas should be read with care: the split as a whole is unstable under
    resampling (ARI below ARI_POOR), or some personas dissolve; None when neither."""
    model = report.model
    if not model.stability >= ARI_POOR:
        return t("personas.stability_warning", lang,
                 stability=fmt.number(model.stability, lang, 2),
                 poor=fmt.number(ARI_POOR, lang, 2))
    dissolved = [persona_label(report, p.index, lang) for p in report.personas
                 if p.reading == "dissolved"]
    if dissolved:
        return t("personas.dissolved_warning", lang, count=len(dissolved),
                 names=", ".join(dissolved))
    return None


def other_k_text(model: Personas, lang: str) -> tuple[int, str] | None:
    """Another k whose personas are also stable, and the sentence that offers it."""
    other = other_stable_k(model)
    if other is None:
        return None
    stability = next(s.ari for s in model.stability_ if s.k == other)
    key = "personas.other_k_fewer" if other < model.k_ else "personas.other_k_more"
    return other, t(key, lang, k=other, stability=fmt.number(stability, lang, 2))


def persona_stability(report: PersonaReport, lang: str) -> str:
    """'1 · Tradizionali B2B: 0,99, stabile · 2 · …' for the method section."""
    return " · ".join(f"{persona_label(report, p.index, lang)}: {stability_text(p.jaccard, lang)}"
                      for p in report.personas)


def traits_text(persona: Persona, qn: Questionnaire, lang: str) -> str:
    """The persona's traits as a Markdown list, or the sentence saying none replicates."""
    if not persona.traits:
        return t("personas.traits_none", lang)
    return "\n".join(f"- {trait_text(tr, qn, lang)}" for tr in persona.traits)


def question_label(q: Question, lang: str) -> str:
    """The short label of a persona question (its full text when none is defined)."""
    key = f"personas.question.{q.id}"
    return t(key, lang) if key in catalogue() else q.text(lang)


def _on_scale(q: Question, value: float) -> tuple[float, int]:
    """A scale value as people read it: ordered options as 1…levels, numbers as they are."""
    if q.qtype.single:
        return value + 1, len(q.options)
    top = q.bounds[1] if q.bounds else value
    return value, int(top)


def trait_text(trait: Trait, qn: Questionnaire, lang: str) -> str:
    """'**Big Data per la CX**: In modo operativo, 2,8 su 4 (Club 1,9)' and the like."""
    q = qn[trait.question]
    label = question_label(q, lang)
    if trait.mode is not None:  # ordered options: the most common one, in words
        return t("personas.trait_mode", lang, question=label,
                 option=q.option_label(trait.mode, lang),
                 value=fmt.percent_with_article(trait.mode_share * 100, lang),
                 club=fmt.percent(trait.mode_club * 100, lang))
    if trait.kind == "scale":
        value, top = _on_scale(q, trait.value)
        club, _ = _on_scale(q, trait.club)
        level = q.option_label(_nearest_code(q, trait.value), lang)
        return t("personas.trait_scale", lang, question=label, level=level,
                 value=fmt.number(value, lang, 1), top=top, club=fmt.number(club, lang, 1))
    return t("personas.trait_share", lang, question=label,
             option=q.option_label(trait.option or "", lang),
             value=fmt.percent(trait.value * 100, lang), club=fmt.percent(trait.club * 100, lang))


def _nearest_code(q: Question, value: float) -> str:
    if q.qtype.single:
        return q.codes[int(np.clip(round(value), 0, len(q.codes) - 1))]
    low, high = q.bounds or (value, value)
    return str(int(np.clip(round(value), low, high)))


def profile_text(profile: tuple[tuple[str, str, float], ...], qn: Questionnaire,
                 lang: str) -> str:
    """'Banche e assicurazioni (38%) · 1.000 e oltre (45%) · …'."""
    return " · ".join(f"{qn[qid].option_label(code, lang)} ({fmt.percent(share, lang)})"
                      for qid, code, share in profile)


def measure_label(measure: str, lang: str, tested: bool = True) -> str:
    """A measure's name; one shown without a test says so."""
    label = t("personas.nps", lang) if measure == "club_nps" else t(f"score.{measure}", lang)
    return label if tested else t("personas.outcomes.untested_label", lang, measure=label)


def untested_note(report: PersonaReport, lang: str) -> str | None:
    """Why some outcomes carry no test: they are computed from the answers the personas are
    built from."""
    frame = report.outcomes
    if frame.empty or frame["tested"].all():
        return None
    measures = frame.loc[~frame["tested"], "measure"].drop_duplicates()
    key = "personas.outcomes.untested_one" if len(measures) == 1 \
        else "personas.outcomes.untested_many"
    return t(key, lang, measures=", ".join(measure_label(str(m), lang) for m in measures))


def _missing_text(q: Question, fill: Fill, lang: str) -> str:
    if q.qtype.multiple:
        return t("personas.method.missing_option", lang)
    if fill is None:
        return t("personas.method.missing_none", lang)
    if q.qtype.single and not q.ordered:
        return t("personas.method.missing_category", lang,
                 value=q.option_label(str(fill), lang))  # a category's fill is its code
    value = float(fill)
    shown = q.option_label(_nearest_code(q, value), lang) if q.options \
        else fmt.number(value, lang, 1)
    return t("personas.method.missing_scale", lang, value=shown)


def _encoding_text(q: Question, lang: str) -> str:
    if q.qtype.multiple:
        return t("personas.method.encoding_option", lang)
    if q.qtype.single and not q.ordered:
        return t("personas.method.encoding_category", lang)
    if q.qtype.single:
        return t("personas.method.encoding_ordered", lang, top=len(q.options))
    if q.bounds:
        low, high = q.bounds
        return t("personas.method.encoding_scale", lang, low=int(low), high=int(high))
    return t("personas.method.encoding_number", lang)


def feature_table(model: Personas, lang: str) -> pd.DataFrame:
    """One row per question used: its kind, encoding, number of columns, missing-answer rule."""
    columns = pd.Series([f.question for f in model.features]).value_counts()
    return pd.DataFrame([{
        t("personas.method.col_question", lang): question_label(q, lang),
        t("personas.method.col_role", lang): t(f"personas.method.role_{q.role}", lang),
        t("personas.method.col_encoding", lang): _encoding_text(q, lang),
        t("personas.method.col_columns", lang): int(columns.get(q.id, 0)),
        t("personas.method.col_missing", lang): _missing_text(q, model.fill_.get(q.id), lang),
    } for q in model.questions])


def _cell(row: dict[Hashable, Any], lang: str) -> str:
    if row["suppressed"] or pd.isna(row["value"]):
        return "–"
    value = fmt.signed(row["value"], lang) if row["measure"] == "club_nps" \
        else fmt.number(row["value"], lang)
    return value + SIGNIF_MARKS[int(row["signif"])]


def outcome_table(report: PersonaReport, lang: str) -> pd.DataFrame:
    """The comparison table as shown: measures × Club and personas, text cells marked ▲/▼
    when the persona differs significantly from the rest of the Club."""
    frame = report.outcomes
    labels = [persona_label(report, i, lang) for i in range(len(report.personas))]
    measure_col, club_col = t("personas.outcomes.measure", lang), t("personas.outcomes.club", lang)
    rows = []
    n_row = {measure_col: t("personas.outcomes.respondents", lang),
             club_col: fmt.number(report.respondents, lang)}
    n_row.update({label: fmt.number(p.n, lang) for label, p in zip(labels, report.personas)})
    rows.append(n_row)
    for measure, group in frame.groupby("measure", sort=False):
        club = group["club"].iloc[0]
        club_text = "–" if pd.isna(club) else (
            fmt.signed(club, lang) if measure == "club_nps" else fmt.number(club, lang))
        tested = bool(group["tested"].iloc[0])
        row = {measure_col: measure_label(str(measure), lang, tested), club_col: club_text}
        cells = group.to_dict("records")
        row.update({labels[int(c["persona"])]: _cell(c, lang) for c in cells})
        rows.append(row)
    return pd.DataFrame(rows)


def _p_text(p: float, lang: str) -> str:
    if pd.isna(p):
        return "–"
    return f"< {fmt.number(0.0001, lang, 4)}" if p < 0.0001 else fmt.number(p, lang, 4)


def outcome_details(report: PersonaReport, lang: str, as_text: bool = False) -> pd.DataFrame:
    """Every cell of the comparison with its interval, the rest of the Club, the difference
    with its interval and Hedges' g, t and p (numbers for the downloads; `as_text` formats
    them as the page shows them)."""
    frame = report.outcomes
    verdict = {1: t("personas.outcomes.above", lang), -1: t("personas.outcomes.below", lang),
               0: t("personas.outcomes.neither", lang)}
    untested = t("personas.outcomes.not_tested", lang)

    def col(name: str) -> str:
        return t(f"personas.outcomes.col_{name}", lang)

    def num(values: pd.Series, digits: int) -> pd.Series | list[str]:
        return [fmt.number(v, lang, digits) for v in values] if as_text else values.round(digits)

    return pd.DataFrame({
        col("persona"): [persona_label(report, int(i), lang) for i in frame["persona"]],
        t("personas.outcomes.measure", lang): [measure_label(m, lang) for m in frame["measure"]],
        col("value"): num(frame["value"], 1), col("low"): num(frame["low"], 1),
        col("high"): num(frame["high"], 1), col("n"): frame["n"],
        col("rest"): num(frame["rest"], 1), col("rest_n"): frame["rest_n"],
        col("diff"): num(frame["diff"], 1), col("diff_low"): num(frame["diff_low"], 1),
        col("diff_high"): num(frame["diff_high"], 1), col("g"): num(frame["g"], 2),
        col("t"): num(frame["t"], 2),
        col("p"): [_p_text(p, lang) for p in frame["p"]] if as_text else frame["p"].round(6),
        col("p_holm"): [_p_text(p, lang) for p in frame["p_holm"]] if as_text
        else frame["p_holm"].round(6),
        col("signif"): [verdict[int(s)] if tested else untested
                        for s, tested in zip(frame["signif"], frame["tested"])],
    })


def company_persona_sentence(match: PersonaMatch, company: str, lang: str) -> str:
    """One plain sentence (page and PDF alike): the persona a company is closest to."""
    return t("personas.company_sentence", lang, company=company,
             name=persona_name(match.name, lang), share=fmt.percent(match.share, lang),
             n=fmt.number(match.n, lang), answers=fmt.number(match.respondents, lang))
