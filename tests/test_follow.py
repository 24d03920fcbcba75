"""The follow-along page (cx.follow) on the sample: built with `python -m cx follow`, read back
with html.parser against the deck the storyline writes, its images checked as PNGs, no
external reference and no company name; refresh on a new data version; atomic publication
through a crash (an exception and a real kill -9); one builder at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import format_date

from cx import config
from cx.charts.theme import BRAND, MUTED_TEXT, contrast
from cx.cli import main
from cx.dataset import load_frame
from cx.deck.content import png_size
from cx.deck.data import stage_inputs
from cx.deck.storyline import build_deck
from cx.filters import Filters
from cx.follow import publish, refresh
from cx.follow.page import INK, PANEL, PageInfo, page_html
from cx.privacy import attach
from cx.store import Store
from cx.synth import synthesize
from cx.view import View
from tests.conftest import ROOT

APP = "https://cx.club-cmmc.example/"
FOLLOW = "https://eventi.club-cmmc.example/segui/"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
OPEN_APP = {"it": "Apri l'app interattiva", "en": "Open the interactive app"}


class Page(HTMLParser):
    """What a reader gets from one page: images, headings, messages, links, all text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.h2: list[str] = []
        self.messages: list[str] = []
        self.text: list[str] = []
        self.scripts = 0
        self.lang = ""
        self._into: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        self.images += [a] if tag == "img" else []
        self.links += [a["href"]] if tag in ("a", "link") and "href" in a else []
        self.scripts += tag in ("script", "iframe", "object")
        if tag == "h2" or (tag == "p" and a.get("class") == "msg"):
            self._into = self.h2 if tag == "h2" else self.messages
            self._into.append("")

    def handle_endtag(self, tag):
        if tag in ("h2", "p"):
            self._into = None

    def handle_data(self, data):
        self.text.append(data)
        if self._into is not None:
            self._into[-1] += data


@pytest.fixture(scope="module")
def site(sample_db_template, tmp_path_factory):
    """The sample's page, published by the command line (the QR code's own address set)."""
    folder = tmp_path_factory.mktemp("follow")
    db, out = folder / "cx.duckdb", folder / "segui"
    shutil.copy(sample_db_template, db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CX_PUBLIC_URL", APP)
        mp.setenv("CX_FOLLOW_URL", FOLLOW)
        started = time.perf_counter()
        assert main(["follow", "--db", str(db), "--out", str(out)]) == 0
        seconds = time.perf_counter() - started
        with Store.open(db) as store:
            attach(store, config.privacy_k(), config.comment_k())
            view = View(Filters(published=True), "it", config.privacy_k(), config.comment_k())
            inputs = stage_inputs(store, view, None, config.qr_url())
            names = sorted(set(store.query("access_codes")["company"]))
            version = store.data_version
        decks = {lang: build_deck(inputs, lang) for lang in ("it", "en")}  # its QR code
    size = sum(p.stat().st_size for p in (out / "current").rglob("*") if p.is_file())
    print(f"\nfollow-along page: built in {seconds:.1f} s, {size / 1024:.0f} KiB")
    return {"out": out, "db": db, "decks": decks, "names": names, "version": version,
            "waves": inputs.waves}


def _page(site, lang: str) -> tuple[Path, str]:
    path = site["out"] / "current" / ("index.html" if lang == "it" else "en/index.html")
    return path, path.read_text("utf-8")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_one_image_per_slide_with_its_title_and_message_as_text(site, lang):
    path, html = _page(site, lang)
    page, deck = Page(html), site["decks"][lang]
    assert page.lang == lang and page.scripts == 0
    assert page.h2 == [f"{i + 1}. {s.title}" for i, s in enumerate(deck.slides)]
    assert page.messages == [s.message for s in deck.slides]
    assert len(page.images) == len(deck.slides) == 14
    for image, slide in zip(page.images, deck.slides, strict=True):
        png = (path.parent / image["src"]).read_bytes()
        assert png.startswith(PNG_MAGIC) and png_size(png) == (1280, 720)
        assert slide.title in image["alt"] and slide.message in image["alt"]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_figures_and_notes_are_text_too(site, lang):
    text = " ".join(Page(_page(site, lang)[1]).text)
    for slide in site["decks"][lang].slides:
        for tile in slide.tiles:
            assert tile.value in text and tile.caption in text
        for card in slide.cards:
            assert card.name in text and card.share in text
        if slide.figure is not None:
            assert slide.note in text  # its method, for the reader without the speaker
    assert site["decks"][lang].footer() in text


def test_the_date_of_the_data_and_of_the_build(site):
    today_it = format_date(date.today(), "long", locale="it_IT")
    text_it = " ".join(Page(_page(site, "it")[1]).text)
    assert f"Dati aggiornati all'ondata {max(site['waves'])} · generato il {today_it}" in text_it
    assert f"Data up to the {max(site['waves'])} wave" in " ".join(Page(_page(site, "en")[1]).text)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_only_relative_links_and_the_app_button(site, lang):
    path, html = _page(site, lang)
    page = Page(html)
    external = [h for h in page.links if "//" in h or h.startswith("/")]
    assert external == [APP, APP]  # the app's button at the top and at the bottom
    assert html.count("http") == 2 and "url(" not in html and "@import" not in html
    assert OPEN_APP[lang] in page.text
    switch = [h for h in page.links if h.endswith("index.html")]
    assert len(switch) == 1 and (path.parent / switch[0]).resolve().is_file()
    assert all(not i["src"].startswith(("/", "http")) for i in page.images)


def test_no_app_address_no_button(site):
    deck = site["decks"]["it"]
    info = PageInfo(2027, date(2026, 12, 7), None, "en", "en/index.html")
    html = page_html(deck, [f"img/{i}.png" for i in range(len(deck.slides))], info)
    assert "http" not in html and OPEN_APP["it"] not in html


def test_no_company_is_named_anywhere(site):
    files = [p for p in (site["out"] / "current").rglob("*") if p.suffix in (".html", ".txt")]
    everything = "\n".join(p.read_text("utf-8") for p in files)
    assert len(site["names"]) == 200
    assert not [n for n in site["names"] if n in everything]


def test_the_qr_code_leads_to_the_follow_along_page_when_it_has_an_address(site, monkeypatch):
    assert site["decks"]["it"].slides[-1].link == FOLLOW
    monkeypatch.setenv("CX_PUBLIC_URL", APP)
    monkeypatch.delenv("CX_FOLLOW_URL", raising=False)
    assert config.qr_url() == APP and config.follow_url() is None
    monkeypatch.setenv("CX_FOLLOW_URL", FOLLOW)
    assert config.qr_url() == FOLLOW
    monkeypatch.setenv("CX_FOLLOW_DIR", "/srv/segui")
    assert config.follow_dir() == Path("/srv/segui")


@pytest.mark.parametrize(("fg", "bg"), [(INK, "#FFFFFF"), (INK, PANEL), (MUTED_TEXT, "#FFFFFF"),
                                        (MUTED_TEXT, PANEL), (BRAND, "#FFFFFF"), (BRAND, PANEL),
                                        ("#FFFFFF", BRAND)])
def test_colours_read_at_wcag_aa(fg, bg):
    assert contrast(fg, bg) >= 4.5


def _builds(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(("build-", ".tmp-")))


def test_refresh_rebuilds_only_on_a_new_data_version_or_settings(site, monkeypatch):
    out, db, other = site["out"], site["db"], "https://altro.example/"
    monkeypatch.setenv("CX_FOLLOW_URL", FOLLOW)  # as when it was built
    first = (out / "current").resolve()
    assert publish.published_version(out) == str(site["version"])
    assert refresh(db, out, APP) is False and (out / "current").resolve() == first
    assert refresh(db, out, other) is True  # the app moved: the button's link too
    first = (out / "current").resolve()
    with Store.open(db) as store:
        load_frame(store, synthesize(40, (2028,), 7), upload_id="follow-test")
        version = store.data_version
    assert version != site["version"]
    assert refresh(db, out, other) is True
    assert publish.published_version(out) == str(version)
    assert (out / "current").resolve() != first
    assert _builds(out) == sorted([first.name, (out / "current").resolve().name])
    assert "Dati aggiornati all'ondata 2028" in "".join(Page(_page(site, "it")[1]).text)


def test_a_failed_build_leaves_the_old_page_published(site, monkeypatch):
    out = site["out"]
    before, version = (out / "current").resolve(), publish.published_version(out)
    written: list[Path] = []

    def failing(path: Path, png: bytes) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        path.write_bytes(png)
        written.append(path)

    monkeypatch.setattr("cx.follow.site.write_png", failing)
    with pytest.raises(OSError):
        refresh(site["db"], out, APP, force=True)
    assert (out / "current").resolve() == before and publish.published_version(out) == version
    assert (before / "index.html").is_file() and (before / "en" / "index.html").is_file()
    assert not any(p.name.startswith(publish.TEMP) for p in out.iterdir())


CRASH = """
import sys, time
from pathlib import Path
import cx.follow.site as site
from cx.follow import refresh
def slow(path, png):
    path.write_bytes(png)
    Path(sys.argv[3]).touch()
    time.sleep(120)
site.write_png = slow
refresh(Path(sys.argv[1]), Path(sys.argv[2]), None, force=True)
"""


def test_a_build_killed_midway_leaves_the_old_page_and_is_swept_next_time(site, tmp_path):
    out, flag = site["out"], tmp_path / "writing"
    before = (out / "current").resolve()
    proc = subprocess.Popen([sys.executable, "-c", CRASH, str(site["db"]), str(out), str(flag)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert flag.exists(), "the build never reached its images"
        assert refresh(site["db"], out, APP, force=True) is False  # it holds the lock
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    left = [p for p in out.iterdir() if p.name.startswith(publish.TEMP)]
    assert left and list((left[0] / "img").glob("01-*.png"))  # half-written, never published
    assert (out / "current").resolve() == before
    assert refresh(site["db"], out, APP, force=True) is True  # the lock died with its holder
    assert not any(p.name.startswith(publish.TEMP) for p in out.iterdir())


def test_one_builder_at_a_time(site, capsys):
    with publish.lock(out := site["out"]) as held:
        assert held
        with publish.lock(out) as second:
            assert not second
        assert refresh(site["db"], out, APP, force=True) is False
        assert main(["follow", "--db", str(site["db"]), "--out", str(out)]) == 1
    assert "Un'altra pubblicazione" in capsys.readouterr().err


def test_the_stage_and_the_files_point_their_qr_code_at_the_follow_along_page(
        app_env, monkeypatch, tmp_path):
    from tests.test_deck import _pdf_pages
    from tests.test_deck_stage import KEYS, _images, _stage, _texts

    monkeypatch.setenv("CX_PUBLIC_URL", APP)
    monkeypatch.setenv("CX_FOLLOW_URL", FOLLOW)
    at = _stage(slide=str(len(KEYS)))
    assert _images(at) == 1 and FOLLOW in _texts(at) and APP not in _texts(at)
    pdf = tmp_path / "deck.pdf"
    assert main(["deck", "--db", str(app_env), "--out", str(pdf)]) == 0
    assert FOLLOW in _pdf_pages(pdf.read_bytes())[-1]
    monkeypatch.setenv("CX_FOLLOW_URL", "http://localhost/segui/")  # the same reachability rule
    assert _images(_stage(slide=str(len(KEYS)))) == 0


def test_an_empty_database_publishes_the_title_slide_alone(empty, tmp_path):
    from cx.follow import build

    published = build(empty, tmp_path / "segui", None)
    assert published == (tmp_path / "segui" / "current").resolve()
    page = Page((published / "index.html").read_text("utf-8"))
    assert len(page.images) == 1 and len(page.h2) == 1 and "http" not in "".join(page.links)
    assert any(x.startswith("Generato il") for x in page.text)
    assert (published / "version.txt").read_text("utf-8").strip() == str(empty.data_version)
