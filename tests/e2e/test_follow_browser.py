"""The follow-along page in a real browser, served as the proxy would (a static server, under
`/segui/`): on a phone (390 × 844) nothing is wider than the screen, every slide's image loads,
the app's button is in view at once; the language switch works; no request leaves the host."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from cx.cli import main
from tests.e2e.conftest import ARTIFACTS, _free_port, answers

APP = "https://cx.club-cmmc.example/"
WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(e => e.tagName + '.' + e.className)"""


@pytest.fixture(scope="module")
def follow_url(sample_db_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("follow-e2e")
    db, out, root = folder / "cx.duckdb", folder / "out", folder / "www"
    shutil.copy(sample_db_template, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CX_PUBLIC_URL", APP)
        assert main(["follow", "--db", str(db), "--out", str(out)]) == 0
    root.mkdir()
    (root / "segui").symlink_to(out / "current")  # as the proxy serves it: under a prefix
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "--directory", str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/segui/"
    try:  # it used to try 100 times without waiting: on a busy machine, before the bind
        assert answers(url, proc, 30), "the static server did not start"
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _open(browser, url: str, width: int, height: int, mobile: bool):
    context = browser.new_context(locale="it-IT", viewport={"width": width, "height": height},
                                  is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url)
    return context, page, requested


def _all_images_loaded(page) -> None:
    images = page.locator("img")
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        expect(images.nth(i)).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth === 1280",
                               arg=images.nth(i).element_handle())


def test_on_a_phone_it_fits_loads_and_offers_the_app(browser, follow_url):
    context, page, requested = _open(browser, follow_url, 390, 844, True)
    try:
        button = page.get_by_role("link", name="Apri l'app interattiva").first
        expect(button).to_be_in_viewport()
        assert button.get_attribute("href") == APP
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "follow_phone.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate(WIDER) == []
        _all_images_loaded(page)
        assert page.locator("img").count() == 14
        page.locator("#s4").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "follow_phone_slide.png"))
        page.get_by_role("link", name="English").click()
        expect(page.get_by_role("link", name="Open the interactive app").first).to_be_visible()
        assert page.url == follow_url + "en/index.html"
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()
    assert all(u.startswith(follow_url) for u in requested), requested


def test_on_a_desktop_screen(browser, follow_url):
    context, page, requested = _open(browser, follow_url, 1440, 900, False)
    try:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "follow_desktop.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    finally:
        context.close()
    assert all(u.startswith(follow_url) for u in requested), requested


def test_look_at_the_figures_as_text_on_a_phone(browser, follow_url):
    """Screenshots of the slides whose figures are text (tiles, persona cards) and the end."""
    context, page, _ = _open(browser, follow_url, 390, 844, True)
    try:
        _all_images_loaded(page)
        for anchor in ("s2", "s10"):
            page.locator(f"#{anchor} .msg").evaluate("e => e.scrollIntoView()")
            page.screenshot(path=str(ARTIFACTS / f"follow_phone_{anchor}.png"))
        page.locator("footer").evaluate("e => e.scrollIntoView({block: 'end'})")
        page.screenshot(path=str(ARTIFACTS / "follow_phone_end.png"))
        assert page.evaluate(WIDER) == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "en/index.html"])
def test_no_wcag_aa_violation(browser, follow_url, path):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.test_accessibility_browser import AA_TAGS

    context, page, _ = _open(browser, follow_url + path, 390, 844, True)
    try:
        options = {"runOnly": {"type": "tag", "values": AA_TAGS}, "resultTypes": ["violations"]}
        violations = Axe().run(page, options=options).response["violations"]
    finally:
        context.close()
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
