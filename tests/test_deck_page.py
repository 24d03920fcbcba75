"""Presentazione in real Streamlit (AppTest): every slide in both languages with the Avanti
button, the slide and the filters from the link, the filters kept while the slides turn, no
sidebar, notes only on request, and never a company name, even for an analyst showing names."""

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from cx.deck.data import StoreSource, deck_inputs
from cx.deck.storyline import KEYS, build_deck
from cx.filters import Filters
from cx.privacy import attach
from cx.store import Store
from cx.view import View
from tests.conftest import ROOT

PAGE = "pages/presentazione.py"


def _app(lang: str = "it", **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _stage(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, key: str):
    # back and next carry the slide they leave in their keys
    return next(b for b in at.button if b.key == key or b.key.startswith(f"{key}_"))


def _picker(at: AppTest):
    """The slide picker (its key carries the slide shown)."""
    return next(s for s in at.selectbox if s.key.startswith("deck_pick_"))


def _texts(at: AppTest) -> str:
    parts = [f"{m.label} {m.value}" for m in at.metric]
    for kind in ("markdown", "caption", "title", "info"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts).replace("\\", "")  # Markdown escapes off


def _everything(at: AppTest) -> str:
    """The texts, and every chart's spec with its data."""
    parts = [_texts(at)]
    for chart in at.get("vega_lite_chart"):
        parts.append(chart.proto.spec)
        parts += [pa.ipc.open_stream(d.data.data).read_all().to_pandas().to_string()
                  for d in chart.proto.datasets]
    return "\n".join(parts)


def _expected(db, lang: str):
    """The deck of the published figures: the audience sees the slides, whoever presents."""
    with Store.open(db) as store:
        attach(store, 5, 8)
        inputs = deck_inputs(StoreSource(store), View(Filters(published=True), lang, 5, 8))
        return build_deck(inputs, lang)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_slide_in_turn(app_env, lang):
    expected = _expected(app_env, lang)
    at = _stage(_app(lang))
    assert "ondata" not in [w.key for w in at.selectbox], "no sidebar filters on stage"
    for i, slide in enumerate(expected.slides):
        assert _picker(at).value == str(i + 1)
        assert at.title[0].value == slide.title
        assert slide.message in _texts(at)
        assert len(at.get("vega_lite_chart")) == (1 if slide.figure else 0), slide.key
        assert not at.info, "speaker notes stay hidden until asked for"
        if i + 1 < len(expected.slides):
            _button(at, "deck_next").click().run()
            assert not at.exception, [e.value for e in at.exception]
    assert _picker(at).value == str(len(KEYS))
    assert _button(at, "deck_next").disabled and not _button(at, "deck_previous").disabled


def test_slide_and_filters_from_the_link(app_env):
    at = _stage(_app("en", slide=str(KEYS.index("pyramid") + 1), ondata="2026"))
    assert at.title[0].value == "The Club's CX pyramid"
    assert "Wave 2026" in _texts(at)
    _button(at, "deck_previous").click().run()
    assert at.title[0].value == "The touchpoints managed"
    assert "Wave 2026" in _texts(at), "the filter holds while the slides turn"


def test_filters_chosen_on_another_page_hold_on_stage(app_env):
    at = _app()
    at.selectbox(key="ondata").set_value("2025").run()
    at = _stage(at)
    for _ in range(3):
        assert "Ondata 2025" in _texts(at)
        _button(at, "deck_next").click().run()


def test_notes_show_on_request(app_env):
    at = _stage(_app(slide=str(KEYS.index("journey") + 1)))
    assert not at.info
    _button(at, "deck_notes_button").click().run()
    assert "non controlla regolarmente" in at.info[0].value
    _button(at, "deck_next").click().run()  # the real journey: not asked in 2025–2026
    assert "dal 2027" in at.info[0].value


def test_stage_personas_are_the_published_model_whatever_the_link(app_env):
    """Personas refitted for another k or selection could isolate a few respondents (#16):
    the stage shows the release's one model, as the Buyer Personas page does for visitors."""
    with Store.open(app_env) as store:
        k = attach(store, 5, 8).current().personas.model.k_
    at = _stage(_app(slide=str(KEYS.index("personas") + 1), personas="3" if k != 3 else "2"))
    assert f"{k} Buyer Personas: la più numerosa" in _texts(at)
    assert len([m for m in at.markdown if m.value.startswith("### ")]) == k


def test_crossed_filters_reach_the_stage_as_one_dimension(app_env):
    at = _stage(_app(ondata="2025", settore="health", dimensione="xlarge", area="sud_isole"))
    texts = _texts(at)
    assert "Sanità e farmaceutico" in texts and "1.000 e oltre" not in texts


def test_too_few_respondents(app_env, monkeypatch):
    monkeypatch.setenv("CX_PRIVACY_K", "400")  # more than the sample: nothing is published
    at = _stage(_app(ondata="2025"))
    assert _picker(at).options == ["1 di 1"]
    assert "meno dei 400 necessari" in _texts(at)
    assert not at.get("vega_lite_chart")


def test_no_company_name_even_for_an_analyst_showing_names(app_env, server_address,
                                                          monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    server_address("localhost")  # local mode: the viewer is an analyst
    with Store.open(app_env) as s:
        names = sorted(set(s.query("access_codes")["company"]))
    at = _app()
    at.toggle(key="access_show_names").set_value(True).run()
    at = _stage(at)
    seen = [_everything(at)]
    for _ in KEYS[1:]:
        _button(at, "deck_next").click().run()
        seen.append(_everything(at))
    _button(at, "deck_notes_button").click().run()
    seen.append(_everything(at))
    text = "\n".join(seen)
    assert not [n for n in names if n in text]


def test_switching_language_writes_the_slides_again_without_computing_them(app_env,
                                                                          monkeypatch):
    """The deck's figures come from caches keyed on the view's rules (no language): the
    English deck reuses everything the Italian one computed; only its words are new."""
    from cx.ui import companies, data, personas
    from cx.ui import deck as deck_ui
    from cx.ui import journey as journey_ui

    calls: list[str] = []
    for module, name in ((data, "compute_overview"), (companies, "load_peers"),
                         (personas, "build_report"), (journey_ui, "compute_journey")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _f=original, _n=name, **kw:
                            calls.append(_n) or _f(*a, **kw))
    with Store.open(app_env) as store:
        version = store.data_version
    italian = View(Filters(), "it", 5, 8)
    decks = {view.lang: deck_ui.deck(str(app_env), version, view, "auto", "https://cx.example/")
             for view in (italian, italian.in_lang("en"))}
    assert sorted(calls) == ["build_report", "compute_journey", "compute_overview",
                             "load_peers"], "once each"
    assert decks["it"].slides[0].title != decks["en"].slides[0].title
    assert len(decks["it"].slides) == len(decks["en"].slides)
