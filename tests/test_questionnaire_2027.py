"""Questionnaire 2027 end to end: the template carries the new questions, a filled template
of the sample's 2027 wave lands in the 2025–2026 sample as a new wave, the waves record what
they asked, and the Journey's real journey, Risultati and the deck read the new answers."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cx.config import SAMPLE_NEXT_CSV
from cx.deck.data import StoreSource, deck_inputs
from cx.deck.storyline import build_deck
from cx.filters import ALL, Filters
from cx.ingest.commit import ingest
from cx.ingest.template import template_csv
from cx.ingest.upload import Upload
from cx.questionnaire import questionnaire
from cx.results import summarise
from cx.store import Store
from cx.view import View

QN = questionnaire()
NEW = [q.id for q in QN.questions if q.since == 2027]


def test_the_template_asks_the_2027_questions():
    header, texts = template_csv("it").decode("utf-8").splitlines()[:2]
    assert all(qid in header.split(",") for qid in NEW)
    assert "Quanto è applicato il Customer Journey ideale nel punto vendita?" in texts
    assert len(NEW) >= 20  # 13 touchpoints, pain points, 4 tones, training ×2, listening, CSI


@pytest.fixture(scope="module")
def loaded(sample_db_template, tmp_path_factory):
    """The 2025–2026 sample, then the 2027 wave uploaded in the template's shape."""
    folder = tmp_path_factory.mktemp("q2027")
    db = folder / "cx.duckdb"
    shutil.copy(sample_db_template, db)
    rows = SAMPLE_NEXT_CSV.read_text(encoding="utf-8").splitlines()[1:]
    filled = folder / "questionario_2027.csv"
    filled.write_bytes(template_csv("it") + ("\n".join(rows) + "\n").encode("utf-8"))
    with Store.open(db) as store:
        result = ingest(store, Upload(filled, filled.name))
        yield store, result


def test_a_filled_template_of_2027_lands_as_a_new_wave(loaded):
    store, result = loaded
    assert result.rows_committed == 150
    expected = pd.read_csv(SAMPLE_NEXT_CSV)
    stored = store.responses(["respondent_id", *NEW], Filters(wave=2027))
    for qid in NEW:
        assert stored[qid].notna().sum() == expected[qid].notna().sum(), qid
    recorded = store.query("wave_questions")
    asked = recorded[recorded["question_id"] == "tp_apply_store"]["wave"].tolist()
    assert asked == [2027], "2025 and 2026 did not ask it"
    before = recorded[(recorded["question_id"] == "touchpoints") & (recorded["wave"] == 2026)]
    assert "advertising" not in before["signature"].iloc[0]


def test_the_pages_and_the_deck_read_the_new_answers(loaded):
    store, _ = loaded
    rules = View(ALL, "it", 5, 8)
    journey = StoreSource(store).journey(rules)
    assert (~journey.real["suppressed"]).sum() == 13 and len(journey.families) == 3
    pains = summarise(QN["tp_pain_points"], store.tally(("tp_pain_points", "wave")), rules)
    assert not pains.suppressed and pains.n < 150  # asked of those with a touchpoint
    touch = summarise(QN["touchpoints"], store.tally(("touchpoints", "wave")), rules)
    bases = touch.table.set_index("code")["base"]
    # an option offered from 2027 is counted over the 2027 respondents, the others over all
    assert bases["advertising"] < bases["website"] and bases["advertising"] <= 150
    deck = build_deck(deck_inputs(StoreSource(store), rules), "it")
    slides = {s.key: s for s in deck.slides}
    assert slides["real"].figure is not None and slides["listening"].figure is not None


def test_the_maturity_index_keeps_its_2025_meaning():
    """The 2027 answers are not practices and the new touchpoints score 0: the index of a
    2027 respondent is what the 2025 questionnaire would give."""
    from cx.respondent_scores import maturity_index

    answers = pd.read_csv(SAMPLE_NEXT_CSV)
    now = maturity_index(answers, QN)
    then = maturity_index(answers[list(QN.original().ids)], QN.original())
    assert now.to_numpy() == pytest.approx(then.to_numpy(), nan_ok=True)


def test_a_scorecard_of_2025_says_csi_was_not_surveyed(sample_db_template):
    from cx.companies import company_table
    from cx.scorecard.data import scorecard_for
    from cx.scorecard.figures import kpi_table

    with Store.open(sample_db_template) as store:
        # codes are drawn in a random order: any company of 2025
        code = company_table(store, Filters(wave=2025))["code"].iloc[0]
        card = scorecard_for(store, code, Filters(wave=2025), 5)
    rows = kpi_table(card, "it").set_index("Indicatore")
    assert rows.loc["CSI dei clienti (0–100)", "Azienda"] == "non rilevato (chiesto dal 2027)"


def test_the_touchpoints_slide_adds_omnichannel_with_its_test(sample_db_template):
    with Store.open(sample_db_template) as store:
        deck = build_deck(deck_inputs(StoreSource(store), View(ALL, "en", 5, 8)), "en")
    note = next(s.note for s in deck.slides if s.key == "touchpoints")
    assert "Omnichannel: channels are integrated" in note and "Welch" in note


@pytest.mark.parametrize(("lang", "words"), [("it", "Non rilevato nelle ondate"),
                                             ("en", "Not surveyed in the waves")])
def test_risultati_says_a_2027_question_was_not_surveyed_in_2025_2026(app_env, lang, words):
    """The 2025–2026 sample, every wave: no chart at n = 0, the reason instead."""
    from tests.conftest import run_app

    at = run_app("pages/risultati.py", lang=lang, domanda="tp_apply_store")
    assert any(words in i.value and "2027" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
