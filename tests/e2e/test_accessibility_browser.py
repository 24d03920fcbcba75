"""Every page in both languages, in a real browser: axe-core finds no WCAG 2.x AA violation,
and an Italian page shows none of Streamlit's own English labels.

One server, one tab: each page is visited once per language (axe and the text scan share the
visit), which keeps the whole file around two minutes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from cx.companies import company_table
from cx.filters import Filters
from cx.store import Store
from tests.e2e.conftest import ARTIFACTS, wait_idle

PAGES = ("", "risultati", "personas", "piramide", "pilastri", "journey", "fattori", "azienda",
         "carica", "presentazione", "glossario")
AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Markup of Streamlit's own that the app cannot change: (rule, the element it sits in, why).
STREAMLIT_OWN = (
    # st.navigation's sidebar: Streamlit 1.67 puts each section's heading <div> and a <div>
    # of <li> links straight inside one <ul>; the app only passes pages and section names
    ("list", '[data-testid="stSidebarNav"]', "Streamlit's navigation markup"),
    ("listitem", '[data-testid="stSidebarNav"]', "Streamlit's navigation markup"),
)
INSIDE = "([selector, within]) => !!document.querySelector(selector)?.closest(within)"
# Streamlit's built-in English labels that an Italian page must not show.
STREAMLIT_ENGLISH = [re.escape(text) for text in (
    "Select all", "Press Enter to submit form", "Press Enter to apply", "Skip to main content",
    "Drag and drop a file here", "Browse files", "No results", "Choose an option",
    "Choose options", "Clear all", "Upload", "Deploy", "Running...", "Help for",
    "file upload", "Link to heading", "Dismiss")] + [r"\dMB per file"]
# What the text scan reads: the visible text, then the names a screen reader announces.
PAGE_TEXT = """() => [document.body.innerText,
  ...Array.from(document.querySelectorAll('[aria-label],[placeholder],[title]'),
    el => [el.getAttribute('aria-label'), el.getAttribute('placeholder'),
           el.getAttribute('title')].filter(Boolean).join(' | '))].join('\\n')"""


def _company(db: Any) -> str:
    with Store.open(db) as s:
        return str(company_table(s, Filters(wave=None))["code"].iloc[0])


def _url(base: str, path: str, lang: str, company: str) -> str:
    query = f"?lang={lang}" + (f"&azienda={company}" if path == "azienda" else "")
    return f"{base}/{path}{query}"


def _excluded(page: Any, rule: str, target: list[Any]) -> bool:
    """Whether a failing element is one of Streamlit's own listed above (its target is a
    selector in the page, or a list of them when it sits in a frame)."""
    return len(target) == 1 and any(
        rule == r and page.evaluate(INSIDE, [target[0], within])
        for r, within, _why in STREAMLIT_OWN)


def _violations(page: Any, results: dict[str, Any]) -> list[str]:
    """One line per failing element, without those of Streamlit's own markup listed above."""
    return [f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
            for v in results["violations"] for node in v["nodes"]
            if not _excluded(page, v["id"], node["target"])]


def _dropdown_text(page: Any) -> str:
    """A filter's open list («Select all»), then the same list filtered to nothing
    («No results»)."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    box.click()
    page.get_by_role("listbox").wait_for()
    listed = page.evaluate(PAGE_TEXT)
    page.keyboard.type("zzzz")
    page.wait_for_timeout(300)
    filtered = page.evaluate(PAGE_TEXT)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    return "\n" + listed + "\n" + filtered


@pytest.fixture(scope="module")
def visits(browser, app_url, sample_db_template) -> dict[tuple[str, str], dict[str, Any]]:
    """Each page in each language: axe's violations and the page's text."""
    company = _company(sample_db_template)
    context = browser.new_context(locale="it-IT", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": AA_TAGS}, "resultTypes": ["violations"]}
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        for lang in ("it", "en"):
            for path in PAGES:
                page.goto(_url(app_url, path, lang, company))
                wait_idle(page, settle=1500)
                results = axe.run(page, options=options).response
                seen[(lang, path or "/")] = {"violations": _violations(page, results),
                                             "text": page.evaluate(PAGE_TEXT)}
                if path == "":
                    seen[(lang, "/")]["text"] += _dropdown_text(page)
    finally:
        context.close()
    return seen


def test_every_page_has_no_wcag_aa_violation(visits):
    report = {f"{lang} {path}": found["violations"]
              for (lang, path), found in visits.items() if found["violations"]}
    ARTIFACTS.mkdir(exist_ok=True)  # the whole list, for whoever fixes them
    (ARTIFACTS / "axe_violations.json").write_text(json.dumps(report, indent=1))
    counts = {where: dict(Counter(line.split(" ")[0] for line in lines))
              for where, lines in report.items()}
    assert not report, f"axe violations per page and rule: {counts}"


def test_italian_pages_show_no_streamlit_english(visits):
    found = {path: [s for s in STREAMLIT_ENGLISH if re.search(s, seen["text"])]
             for (lang, path), seen in visits.items() if lang == "it"}
    assert not {path: words for path, words in found.items() if words}, found
    # the scan reads real pages: the Italian navigation, Streamlit's texts in Italian
    assert all("Panoramica" in seen["text"] for (lang, path), seen in visits.items()
               if lang == "it" and path != "presentazione")
    home, upload = visits[("it", "/")]["text"], visits[("it", "carica")]["text"]
    assert "Seleziona tutto" in home and "Nessun risultato" in home
    assert "Vai al contenuto principale" in home and "Fino a 500 MB per file" in upload
    # and English pages keep Streamlit's own
    assert "Skip to main content" in visits[("en", "/")]["text"]
