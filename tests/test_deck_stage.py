"""Presentazione on stage (issue 22): the presenter's view in a second window that follows the
projected one, the QR code only for an address the audience can reach (otherwise the warning
in the presenter's bar, not on the slide), the filter badge, shares at 0% and 100% in words,
persona traits on ordered options as the share of the most common option."""

import time
from types import SimpleNamespace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cx import fmt
from cx.deck.closing import reachable, url_warning
from cx.deck.storyline import KEYS
from cx.deck.words import share_subject
from cx.i18n import t
from cx.personas.text import trait_text
from cx.personas.traits import Trait, modal_option
from cx.privacy import attach
from cx.questionnaire import questionnaire
from cx.store import Store
from cx.ui import presenter
from tests.conftest import ROOT

PAGE = "pages/presentazione.py"


def _stage(lang: str = "it", **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "info", "warning"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts).replace("\\", "")


def _images(at: AppTest) -> int:
    """How many images (the QR code) the page draws, at any depth."""
    def walk(node) -> int:
        own = 1 if type(node).__name__ == "Image" else 0
        return own + sum(walk(c) for c in getattr(node, "children", {}).values())
    return walk(at.main)


def _picker(at: AppTest) -> str:
    return next(s for s in at.selectbox if s.key.startswith("deck_pick_")).value


def test_the_presenter_view_shows_current_next_notes_and_time_and_follows(app_env):
    deck = "feed1234"
    presenter.board().pop(deck, None)
    at = _stage(deck=deck, presenter="1")
    texts = _texts(at)
    assert "Prossima: I numeri chiave" in texts
    assert "Tempo: 00:0" in texts
    assert "Presentate l'indagine e il suo perimetro" in texts  # the first slide's note
    assert at.title[0].value == "La Customer Experience nelle aziende del Club"
    assert not [b for b in at.button if b.key == "deck_notes_button"], "notes are here already"
    # the projected window turns to the pyramid: the presenter's view follows on its next run
    shared = presenter.board()[deck]
    pyramid = KEYS.index("pyramid")
    presenter.board()[deck] = presenter.Shared(pyramid, shared.version + 1, shared.started)
    at.run()
    assert _picker(at) == str(pyramid + 1)
    assert at.title[0].value == "La piramide CX del Club"
    assert f"Prossima: {'I Six Pillars del Club'}" in _texts(at)
    # and the presenter's own turn is published for the projected window
    next(b for b in at.button if b.key.startswith("deck_next_")).click().run()
    assert presenter.board()[deck].index == pyramid + 1


def test_the_timer_counts_from_the_start_and_restarts():
    deck = "time5678"
    presenter.board()[deck] = presenter.Shared(0, 1, time.time() - 3725)
    assert presenter.elapsed(deck) == "1:02:05"
    presenter.restart(deck)
    assert presenter.elapsed(deck) == "00:00"


def test_no_qr_code_for_this_computer_and_the_warning_is_in_the_bar(app_env, monkeypatch):
    monkeypatch.delenv("CX_PUBLIC_URL", raising=False)
    at = _stage(slide=str(len(KEYS)))
    assert at.title[0].value == "Esplorate i risultati"
    assert _images(at) == 0, "no QR code the audience could not open"
    bar = [m for m in at.markdown if "QR nascosto" in m.value]
    assert bar and "non è raggiungibile dal pubblico" in bar[0].help
    assert "Aprite l'app dell'Osservatorio CX" in _texts(at)
    speaker = _stage(slide=str(len(KEYS)), presenter="1", deck="qr000001")
    assert "non è raggiungibile dal pubblico" in speaker.warning[0].value


def test_a_public_address_gets_its_qr_code(app_env, monkeypatch):
    monkeypatch.setenv("CX_PUBLIC_URL", "https://cx.club-cmmc.example/")
    at = _stage(slide=str(len(KEYS)))
    assert _images(at) == 1
    assert "https://cx.club-cmmc.example/" in _texts(at)
    assert not [m for m in at.markdown if "QR nascosto" in m.value]


@pytest.mark.parametrize(("url", "ok"), [
    ("http://localhost:8501/", False), ("http://127.0.0.1:8501/", False),
    ("http://[::1]:8501/", False), ("http://0.0.0.0:8501/", False),
    ("http://cx-server:8501/", False), ("http://cx.local/", False),
    ("http://169.254.3.4/", False), ("https://cx.club-cmmc.it/", True),
    ("http://192.168.1.20:8501/", True), ("http://203.0.113.7/", True)])
def test_which_addresses_the_audience_can_reach(url, ok):
    assert reachable(url) is ok
    assert (url_warning(url, "en") is None) is ok


def test_the_filter_badge_shows_only_when_filtered(app_env):
    filtered = _texts(_stage(settore="health"))
    assert "Filtro: Settore = Sanità e farmaceutico" in filtered
    assert "Filtro:" not in _texts(_stage())
    assert "Filter: Wave = 2025" in _texts(_stage("en", ondata="2025"))


def test_shares_at_zero_and_a_hundred_read_as_words():
    assert share_subject(0, "it", capital=True) == "Nessuno"
    assert share_subject(0.3, "it") == "nessuno"  # shown as 0%
    assert share_subject(100, "it") == "la totalità"
    assert share_subject(99.6, "en") == "all"
    assert share_subject(45, "it", capital=True) == "Il 45%"
    assert share_subject(84, "it") == "l'84%"
    sentence = t("deck.stages.message", "it", advanced=share_subject(0, "it", capital=True),
                 early=share_subject(100, "it"), managed="Gestita", optimised="Ottimizzata",
                 initial="Iniziale", developing="In sviluppo")
    assert sentence.startswith("Nessuno dei rispondenti ha raggiunto")
    assert ", la totalità è ancora «Iniziale»" in sentence
    assert fmt.percent_with_article(0, "it") == "lo 0%"  # never «il 0%»
    assert fmt.percent_with_article(100, "it") == "il 100%"


def test_the_modal_option_of_an_ordered_question_hand_computed():
    model = SimpleNamespace(labels_=np.array([0, 0, 0, 1, 1, 1, 1]))
    raw = np.array([[0.0], [1.0], [1.0], [2.0], [2.0], [2.4], [3.0]])  # 2.4: a median fill
    code, mine, club = modal_option(model, raw, 0, 0, ("a", "b", "c", "d"))
    assert (code, mine, club) == ("b", pytest.approx(2 / 3), pytest.approx(2 / 7))
    code, mine, club = modal_option(model, raw, 1, 0, ("a", "b", "c", "d"))
    assert (code, mine, club) == ("c", 0.75, pytest.approx(3 / 7))


def test_an_ordered_trait_reads_in_words():
    qn = questionnaire()
    q = qn["size_band"]
    trait = Trait("size_band", None, "scale", 3.9, 2.1, 1.2, 0.001, mode=q.codes[-1],
                  mode_share=0.84, mode_club=0.31)
    text = trait_text(trait, qn, "it")
    assert f"«{q.option_label(q.codes[-1], 'it')}» per l'84% (Club 31%)" in text
    assert "su " not in text.split("**")[-1], "no mean of option positions"


def test_the_sample_personas_carry_no_mean_of_ordered_options(app_env):
    with Store.open(app_env) as store:
        report = attach(store, 5, 8).current().personas
    qn = questionnaire()
    ordered = {q.id for q in qn.questions if q.qtype.single and q.ordered}
    traits = [tr for p in report.personas for tr in p.traits if tr.question in ordered]
    assert traits, "the sample's personas differ on some ordered question"
    for tr in traits:
        assert tr.mode in qn[tr.question].codes and 0 < tr.mode_share <= 1
        assert "per " in trait_text(tr, qn, "it")
