"""The Happy Index (cx.happy_index): the composite by hand, no index from one indicator, the
mid-rank percentile, k companies needed; and on the Scheda azienda page and its PDF with the
sample's 2027 wave (CSI declared)."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pypdf
import pytest

from cx.config import SAMPLE_NEXT_CSV
from cx.dataset import build_database
from cx.filters import Filters
from cx.happy_index import happy_index, indices, percentile
from cx.scorecard.data import scorecard_for
from cx.scorecard.figures import happy_text, kpi_table
from cx.store import Store

TABLE = pd.DataFrame({
    "company": ["a", "b", "c", "d"],
    "sector": ["retail", "retail", "retail", "finance"],
    # a: NPS +20 → 60, CSAT 80, CES 5.5 → 75, CSI 65 → (60 + 80 + 75 + 65) / 4 = 70
    "kpi_nps": [20.0, -40.0, np.nan, 0.0],
    "kpi_csat": [80.0, 50.0, np.nan, np.nan],
    "kpi_ces": [5.5, np.nan, np.nan, np.nan],
    "kpi_csi": [65.0, np.nan, 90.0, 70.0],
})


def test_the_composite_by_hand():
    happy = indices(TABLE).set_index("company")
    assert happy.loc["a", "happy"] == pytest.approx(70)
    assert happy.loc["b", "happy"] == pytest.approx((30 + 50) / 2)
    assert np.isnan(happy.loc["c", "happy"]), "one indicator is that indicator, not an index"
    assert happy.loc["d", "happy"] == pytest.approx((50 + 70) / 2)
    assert happy.loc["a", "declared"] == "kpi_nps|kpi_csat|kpi_ces|kpi_csi"


def test_percentile_is_mid_rank():
    assert percentile(70.0, np.array([40.0, 60.0, 70.0, 80.0])) == pytest.approx(62.5)
    assert percentile(50.0, np.array([50.0, 50.0])) == pytest.approx(50)


def test_a_company_stands_among_k_companies_with_an_index_or_not_at_all():
    peers = indices(TABLE)
    a = happy_index("a", peers, k=2)
    # retail companies with an index: a (70), b (40) → a above one of two, itself half
    assert a.value == pytest.approx(70) and a.sector == pytest.approx(75)
    assert a.sector_companies == 2 and a.club_companies == 3
    assert happy_index("a", peers, k=3).sector is None  # two retail companies under k = 3
    c = happy_index("c", peers, k=2)
    assert c.value is None and c.indicators == ("kpi_csi",)


@pytest.fixture(scope="module")
def store_2027(tmp_path_factory):
    path = tmp_path_factory.mktemp("happy") / "cx.duckdb"
    build_database(path, later=(SAMPLE_NEXT_CSV,)).close()
    with Store.open(path) as store:
        yield store


def test_the_scorecard_shows_the_happy_index_and_csi_on_page_and_pdf(store_2027):
    from cx.companies import company_table
    from cx.scorecard.pdf import PdfContext, scorecard_pdf

    table = company_table(store_2027, Filters(wave=2027))
    full = table.dropna(subset=["kpi_nps", "kpi_csi"])["code"].iloc[0]
    card = scorecard_for(store_2027, full, Filters(wave=2027), 5)
    value, caption = happy_text(card, "it")
    assert value != "–" and "CSI" in caption and "percentile" in caption
    assert "CSI dei clienti (0–100)" in set(kpi_table(card, "it").iloc[:, 0])
    pdf = scorecard_pdf(card, PdfContext(label=full, scope="2027", lang="en",
                                         today=dt.date(2027, 6, 1)))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Happy Index" in text and "from the declared indicators" in text


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_scheda_azienda_page_shows_the_happy_index_tile(store_2027, tmp_path, monkeypatch,
                                                             lang):
    import shutil

    from streamlit.testing.v1 import AppTest

    from cx.companies import company_table
    from tests.conftest import ROOT

    table = company_table(store_2027, Filters(wave=2027))
    code = table.dropna(subset=["kpi_nps", "kpi_csi"])["code"].iloc[0]
    copy = tmp_path / "cx.duckdb"
    shutil.copy(store_2027.path, copy)
    monkeypatch.setenv("CX_DB", str(copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(lang=lang, azienda=code, ondata="2027")
    at.run()
    at.switch_page("pages/azienda.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == "Happy Index")
    assert tile.value != "–"
    captions = " ".join(c.value for c in at.caption)
    assert ("dagli indicatori dichiarati" if lang == "it" else "from the declared indicators") \
        in captions


@pytest.mark.parametrize(("lang", "words"), [("it", "Happy Index**: media con pesi uguali"),
                                             ("en", "Happy Index**: the equal-weight mean")])
def test_the_method_section_says_how_the_happy_index_is_made(lang, words):
    from cx.i18n import t

    text = t("scorecard.method", lang, k=5)
    assert words in text and "(NPS + 100) / 2" in text and "{" not in text
