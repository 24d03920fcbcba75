"""What a visitor meets when the privacy layer narrows or withholds a view: real Streamlit
(AppTest) on a private copy of the sample database; every withheld view says why."""

from __future__ import annotations

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from cx.filters import Filters
from cx.privacy import admit, attach
from cx.store import Store
from tests.conftest import run_app


@pytest.fixture
def visitor(app_env, monkeypatch):
    """No analyst password and a server reachable beyond localhost: an anonymous visitor."""
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    yield app_env
    st_config.set_option("server.address", before)


_app = run_app


def _infos(at: AppTest) -> str:
    return " ".join(str(i.value) for i in at.info)


def _published(db, chosen: Filters):
    with Store.open(db) as store:
        release = attach(store, 5, 8).current()
        return admit(chosen, release.publication), release


def test_crossed_filters_apply_one_dimension_and_say_so(visitor):
    at = _app(settore="finance", area="sud_isole")
    assert "si filtra su una dimensione alla volta: tolto il filtro «Area geografica»" \
        in _infos(at)
    assert at.multiselect(key="area").value == [], "the sidebar shows what applies"
    assert at.multiselect(key="settore").value == ["finance"]
    _, release = _published(visitor, Filters(sectors=("finance",)))
    frame = release.publication.frame
    n = int((frame["sector"] == "finance").sum())
    tiles = " ".join(str(m.value) for m in at.markdown)
    assert str(n) in tiles, "the figures are those of the sector alone"


def test_a_small_sector_is_shown_as_its_group_and_says_why(visitor):
    at = _app(settore="services")
    assert "è mostrato come un unico gruppo" in _infos(at)
    assert at.multiselect(key="settore").value == ["telco_utilities+services"]
    assert "Telecomunicazioni e utility + Servizi professionali" in at.multiselect(
        key="settore").options


def test_choosing_a_second_dimension_replaces_the_first(visitor):
    at = _app(settore="finance")
    at.multiselect(key="area").set_value(["centro"]).run()
    assert at.multiselect(key="settore").value == [] and at.multiselect(key="area").value == [
        "centro"]
    assert "tolto il filtro «Settore»" in _infos(at)
    assert at.query_params.get("settore") in (None, [], "") and "centro" in str(
        at.query_params["area"])


def test_english_notices(visitor):
    at = _app(lang="en", settore="finance", dimensione="xlarge")
    assert "one dimension is filtered at a time: the «Size (employees)» filter was removed" \
        in _infos(at)
    assert "si filtra" not in _infos(at)


def test_results_comparisons_within_a_filter_are_by_wave_or_the_same_dimension(visitor):
    at = _app("pages/risultati.py", area="sud_isole")
    options = at.segmented_control(key="confronto").options
    assert options == ["Nessun confronto", "Area geografica", "Ondata"]
    captions = " ".join(c.value for c in at.caption)
    assert "il confronto è possibile solo per ondata o per «Area geografica»" in captions
    at = _app("pages/risultati.py")
    assert "Ruolo" not in at.segmented_control(key="confronto").options


def test_results_link_asking_for_a_crossed_comparison_falls_back(visitor):
    at = _app("pages/risultati.py", area="sud_isole", confronto="sector")
    assert at.segmented_control(key="confronto").value == "none"


def test_journey_by_sector_is_withheld_under_a_region_filter_with_the_reason(visitor):
    at = _app("pages/journey.py", area="centro")
    assert "Il confronto per settore non è mostrato con un filtro su un'altra dimensione" \
        in _infos(at)


def test_personas_are_the_one_published_model_and_say_why(visitor):
    at = _app("pages/personas.py", settore="finance", personas="3")
    assert "Le personas sono calcolate una volta su tutti i rispondenti" in _infos(at)
    assert "personas" not in [w.key for w in at.segmented_control], "no k control"


def test_pyramid_segments_offer_only_checked_dimensions(visitor):
    at = _app("pages/piramide.py", per="revenue_band")
    options = at.selectbox(key="per").options
    assert "Fatturato annuo" not in " ".join(options) and len(options) == 5
    assert at.selectbox(key="per").value == "sector" and options[0] == "Settore"


@pytest.mark.parametrize("page", ["pages/panoramica.py", "pages/risultati.py",
                                  "pages/piramide.py", "pages/pilastri.py",
                                  "pages/journey.py", "pages/personas.py", "pages/azienda.py"])
def test_every_page_links_the_guarantee(visitor, page):
    at = _app(page)
    labels = [e.label for e in at.expander]
    assert "Come tuteliamo l'anonimato" in labels
    text = " ".join(str(m.value) for m in at.markdown)
    assert "**La garanzia.**" in text


def test_guarantee_in_english(visitor):
    at = _app("pages/panoramica.py", lang="en")
    assert "How anonymity is protected" in [e.label for e in at.expander]
    assert "**The guarantee.**" in " ".join(str(m.value) for m in at.markdown)


def test_overview_says_what_the_release_leaves_out(visitor):
    at = _app()
    _, release = _published(visitor, Filters())
    pub = release.publication
    captions = " ".join(c.value for c in at.caption)
    assert f"{pub.withheld_respondents} rispondenti e {sum(pub.blanked.values())} risposte" \
        in captions


def test_analyst_keeps_the_full_view(app_env):
    at = _app(settore="finance", area="sud_isole")  # local mode: an analyst
    assert "si filtra su una dimensione alla volta" not in _infos(at)
    at.switch_page("pages/risultati.py").run()
    assert "Ruolo" in at.segmented_control(key="confronto").options


def test_a_dimension_question_inside_another_dimension_is_withheld(visitor):
    at = _app("pages/risultati.py", area="sud_isole", domanda="sector")
    assert "non è mostrata con un filtro su un'altra dimensione" in _infos(at)
    assert not at.get("vega_lite_chart")
    at = _app("pages/risultati.py", area="sud_isole", domanda="region")
    assert at.get("vega_lite_chart"), "its own dimension is fine"


def test_a_visitor_gets_the_mean_per_respondent_only(visitor):
    """The mean per company beside the mean per respondent would weigh some companies' answers
    apart from the others': analysts only."""
    at = _app()
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Media per rispondente" in captions and "; per azienda" not in captions
    datasets = " ".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))
    assert "by_company" not in datasets
