"""Scheda azienda in a real browser: where the company stands and how it moved, for a company
of 2026 that also answered in 2025 (picked from the sample's company table: codes are random)."""

from playwright.sync_api import expect

from cx.companies import company_table
from cx.filters import Filters
from cx.store import Store
from tests.e2e.conftest import screenshot, wait_idle


def _moved_company(db) -> str:
    with Store.open(db) as s:
        now = company_table(s, Filters(wave=2026))
        before = set(company_table(s, Filters(wave=2025))["company"])
    return str(now[now["company"].isin(before)]["code"].iloc[0])


def test_the_scheda_shows_where_the_company_stands(page, app_url, sample_db_template):
    code = _moved_company(sample_db_template)
    page.goto(f"{app_url}/azienda?azienda={code}&ondata=2026")
    wait_idle(page)
    expect(page.get_by_role("heading", name=code)).to_be_visible()
    heading = page.get_by_role("heading", name="Dove si colloca l'azienda")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Percentile di maturità", exact=False).first).to_be_visible()
    tables = page.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(4)  # KPIs, Club indicators, standing, practices
    # the pyramid, the radar and the gap per pillar
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(3)
    expect(page.get_by_text("Variazione: ondata 2026 rispetto all'ondata 2025",
                            exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    heading.scroll_into_view_if_needed()
    screenshot(page, "scorecard_position_it")
    page.get_by_test_id("stVegaLiteChart").nth(2).scroll_into_view_if_needed()  # the gap bar
    screenshot(page, "scorecard_gaps_it")
