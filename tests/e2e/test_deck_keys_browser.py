"""Presentazione with a clicker, in a real browser: PageDown/PageUp, Space/Shift+Space,
Home/End turn the slides; B and . black the screen and any key brings it back; the arrows
still turn after the slide picker; the presenter's view in a second window follows the
projected one and the projected one follows it; on a phone the slide fits the width."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from cx.deck.storyline import KEYS
from tests.e2e.conftest import screenshot, wait_idle

BLANK = "#cx-deck-blank"
# WCAG contrast of an element's text against the first opaque background behind it
CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = el;
  const clear = (e) => rgb(getComputedStyle(e).backgroundColor).concat([1])[3] === 0;
  while (bg && clear(bg)) bg = bg.parentElement;
  const back = bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def _open(page, app_url: str, query: str = "") -> None:
    page.goto(app_url + "/")
    wait_idle(page)
    page.goto(app_url + "/presentazione" + query)
    wait_idle(page, settle=1500)


def _number(page) -> int:
    # the page's own address (Playwright's page.url can lag for a tab in the background)
    href = page.evaluate("location.href")
    return int(parse_qs(urlparse(href).query).get("slide", ["1"])[0])


def _press(page, key: str, expected: int) -> None:
    page.keyboard.press(key)
    wait_idle(page, settle=300)
    for _ in range(40):  # a shared machine can be slow
        if _number(page) == expected:
            break
        page.wait_for_timeout(250)
    assert _number(page) == expected, (key, _number(page), expected)


def test_clicker_keys_turn_blank_and_survive_the_picker(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    assert _number(page) == 1
    _press(page, "PageDown", 2)
    _press(page, "Space", 3)
    _press(page, "ArrowRight", 4)
    _press(page, "PageUp", 3)
    _press(page, "Shift+Space", 2)
    _press(page, "ArrowLeft", 1)
    _press(page, "End", len(KEYS))
    _press(page, "Home", 1)
    for key in ("b", "."):
        page.keyboard.press(key)
        expect(page.locator(BLANK)).to_be_visible()
        screenshot(page, f"presentation_blank_{'dot' if key == '.' else key}")
        page.keyboard.press("PageDown")  # any key brings the slide back, and only that
        expect(page.locator(BLANK)).to_have_count(0)
        assert _number(page) == 1
    # the slide picker, then the arrow: the keys still turn the slides
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=f"5 di {len(KEYS)}").click()
    wait_idle(page, settle=500)
    assert _number(page) == 5
    _press(page, "ArrowRight", 6)
    _press(page, "PageUp", 5)
    main.get_by_role("button", name="Avanti").click()  # a clicked button keeps no key
    wait_idle(page, settle=300)
    _press(page, "Space", 7)
    notes = main.get_by_role("button", name="Note")
    notes.click()
    wait_idle(page, settle=300)
    expect(main.get_by_test_id("stAlert")).to_be_visible()
    assert notes.locator("p").first.evaluate(CONTRAST) >= 4.5, "the active «Note» reads (AA)"
    _press(page, "ArrowRight", 8)  # the notes button clicked: the keys still turn
    expect(main.get_by_role("link", name="Esci")).to_be_visible()
    main.get_by_role("button", name="Schermo intero").click()
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    page.keyboard.press("f")  # F leaves it again
    page.wait_for_function("document.fullscreenElement === null")
    assert _number(page) == 8


def test_the_presenter_view_and_the_projected_slides_follow_each_other(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    deck = parse_qs(urlparse(page.url).query)["deck"][0]
    speaker = page.context.new_page()
    speaker.set_viewport_size({"width": 1280, "height": 800})
    speaker.goto(f"{app_url}/presentazione?deck={deck}&presenter=1")
    wait_idle(speaker, settle=1500)
    expect(speaker.get_by_text("Prossima: I numeri chiave")).to_be_visible()
    expect(speaker.get_by_text("Tempo:")).to_be_visible()
    # the projected window turns: the presenter's follows
    page.bring_to_front()
    _press(page, "PageDown", 2)
    _press(page, "PageDown", 3)
    expect(speaker.get_by_text("Prossima: Dalla mappa alle verifiche sul campo")) \
        .to_be_visible(timeout=10_000)
    screenshot(speaker, "presentation_presenter_view")
    # the presenter turns: the projected window follows
    speaker.bring_to_front()
    speaker.keyboard.press("PageDown")
    expect(speaker.get_by_text("Prossima: Il Customer Journey reale")).to_be_visible()
    expect(page.get_by_role("heading", name="Dalla mappa alle verifiche sul campo")) \
        .to_be_visible(timeout=10_000)
    _press(page, "Home", 1)  # the projected window's keys still turn both
    expect(speaker.get_by_text("Prossima: I numeri chiave")).to_be_visible(timeout=10_000)
    speaker.close()


def test_a_phone_following_along_reads_the_slide(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    for number in (2, KEYS.index("pyramid") + 1, KEYS.index("personas") + 1):
        _open(page, app_url, f"?slide={number}")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        width = page.evaluate("document.documentElement.clientWidth")
        wide = page.evaluate("""(w) => [...document.querySelectorAll('[data-testid="stMain"] *')]
          .filter(el => { const r = el.getBoundingClientRect();
                          return r.width > 0 && (r.left < -1 || r.right > w + 1); })
          .map(el => el.getAttribute('data-testid') || el.tagName).slice(0, 5)""", width)
        assert wide == [], (number, wide)
        title = page.get_by_role("heading").first
        assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) <= 40
        screenshot(page, f"presentation_phone_{number}_{KEYS[number - 1]}")


def test_a_filtered_deck_shows_its_badge_and_every_slide_still_fits_720p(page, app_url):
    from tests.e2e.test_deck_browser import OVERFLOW

    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url, "?settore=health")
    for number in range(1, len(KEYS) + 1):
        expect(page.get_by_test_id("stMain").get_by_text(
            "Filtro: Settore = Sanità e farmaceutico")).to_be_visible()
        assert page.evaluate(OVERFLOW) == [], (number, KEYS[number - 1])
        if number < len(KEYS):
            _press(page, "PageDown", number + 1)
    screenshot(page, "presentation_filtered_1280_closing")
