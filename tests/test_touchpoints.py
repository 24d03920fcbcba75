"""The real Customer Journey per touchpoint (cx.touchpoints, questionnaire 2027): application
and gap by hand, pain points over the touchpoint's users, and the Journey page on the sample's
2027 wave (and «non rilevato» on a wave that did not ask it)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from scipy import stats
from streamlit.testing.v1 import AppTest

from cx.config import SAMPLE_NEXT_CSV
from cx.dataset import build_database
from cx.questionnaire import questionnaire
from cx.touchpoints import application, by_family
from tests.conftest import ROOT

QN = questionnaire()
HAND = pd.DataFrame({
    "company": ["a", "b", "c", "d", "e", "f"],
    "touchpoints": ["store|website", "store", "store|advertising", "website", "website", None],
    "tp_apply_store": [5, 4, 3, None, None, None],
    "tp_apply_website": [1, None, None, 2, 3, None],
    "tp_apply_advertising": [None, None, 4, None, None, None],
    "tp_pain_points": ["at_store", "at_store", "none", "at_website", "none", None],
})


def test_application_and_gap_by_hand():
    table = application(HAND, QN, k=1).set_index("touchpoint")
    # store: 5, 4, 3 → (v − 1) / 4 × 100 = 100, 75, 50 → 75; website: 1, 2, 3 → 0, 25, 50 → 25
    assert table.loc["store", "value"] == pytest.approx(75)
    assert table.loc["website", "value"] == pytest.approx(25)
    assert table.loc["website", "gap"] == pytest.approx(75)
    assert list(table.index[:2]) == ["website", "store"]  # the largest gap first
    # one respondent per company: Student's t interval of the three values
    low, high = stats.t.interval(0.95, 2, loc=75, scale=25 / 3 ** 0.5)
    assert (table.loc["store", "low"], table.loc["store", "high"]) == pytest.approx((low, high))
    # pain points at the store: 2 of its 3 users (the third collects them nowhere)
    assert table.loc["store", "pain"] == pytest.approx(200 / 3)
    assert table.loc["store", "pain_n"] == 3
    assert table.loc["website", "pain"] == pytest.approx(100 / 3)
    assert table.loc["advertising", "family"] == "offline"


def test_a_touchpoint_under_k_is_withheld_and_families_average_each_respondent():
    table = application(HAND, QN, k=3).set_index("touchpoint")
    assert table.loc["advertising", "suppressed"] and pd.isna(table.loc["advertising", "value"])
    families = by_family(HAND, QN, k=1).set_index("family")
    # contact (store): 75; online (website): 25; offline (advertising): 4 → 75
    assert families.loc["contact", "value"] == pytest.approx(75)
    assert families.loc["online", "value"] == pytest.approx(25)


@pytest.fixture(scope="module")
def db_2027(tmp_path_factory):
    path = tmp_path_factory.mktemp("s2027") / "cx.duckdb"
    build_database(path, later=(SAMPLE_NEXT_CSV,)).close()
    return path


@pytest.mark.parametrize(("lang", "wave", "expected"), [
    ("it", None, "Marketing off-line"), ("en", None, "Off-line marketing"),
    ("it", "2025", "Non rilevato nell'ondata 2025"), ("en", "2026", "Not surveyed in the 2026")])
def test_the_journey_page_shows_the_real_journey_or_says_it_was_not_asked(
        db_2027, tmp_path, monkeypatch, lang, wave, expected):
    copy = tmp_path / "cx.duckdb"
    shutil.copy(db_2027, copy)
    monkeypatch.setenv("CX_DB", str(copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    if wave:
        at.query_params["ondata"] = wave
    at.run()
    at.switch_page("pages/journey.py").run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join([m.label for m in at.metric] + [i.value for i in at.info])
    assert expected in texts
    charts = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert any("Quanto il journey ideale" in s or "How far the ideal" in s for s in charts) \
        == (wave is None)


def test_pain_points_per_touchpoint_are_for_analysts_only(db_2027):
    """Attacked with the disclosure auditor: the users of a touchpoint who answered on pain
    points are a base no published margin checks, and combining those figures across the
    sidebar's filters isolated one respondent of 2027. Visitors (published figures) get the
    application per touchpoint, without the pain-point shares."""
    from cx.deck.data import StoreSource
    from cx.filters import ALL, Filters
    from cx.privacy import attach
    from cx.store import Store
    from cx.view import View

    with Store.open(db_2027) as store:
        attach(store, 5, 8)
        source = StoreSource(store)
        analyst = source.journey(View(ALL, "it", 5, 8)).real
        visitor = source.journey(View(Filters(published=True), "it", 5, 8)).real
    assert analyst["pain"].notna().any()
    assert visitor["pain"].isna().all() and (~visitor["suppressed"]).sum() > 0
