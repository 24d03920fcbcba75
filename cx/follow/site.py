"""The follow-along site of the deck as the public sees it on stage (visitor view: published
data, no filter, the privacy k from the config; the same content as `python -m cx deck`):
`index.html` in Italian, `en/index.html` in English, each with its slides' images. No
Streamlit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cx import config
from cx.deck.content import Deck
from cx.follow import publish
from cx.follow.images import slide_pngs, write_png
from cx.follow.page import PageInfo, page_html
from cx.store import Store

LANG_DIRS = {"it": "", "en": "en"}  # Italian at the root: the default
SWITCH = {"it": ("en", "en/index.html"), "en": ("it", "../index.html")}


@dataclass(frozen=True)
class Stage:
    """The decks of every language and what they were computed from."""

    decks: tuple[Deck, ...]
    version: str  # the store's data version
    wave: int | None  # the latest wave


def _open(db: Path) -> Store:
    """The one place the follow-along page opens the database: its published snapshot, as the
    app reads it (built from the sample when absent, as `python -m cx deck` does)."""
    from cx.dataset import open_shared
    from cx.store.snapshots import Snapshots

    if Snapshots(db).current() is not None:  # served: no need to open the primary
        return Store.reader(db)
    return open_shared(db)


def stage(store: Store) -> Stage:
    """The decks as on stage, in every language: computed once (the figures are
    language-free), written twice."""
    from cx.deck.data import stage_inputs
    from cx.deck.storyline import build_deck
    from cx.filters import Filters
    from cx.privacy import attach
    from cx.view import View

    attach(store, config.privacy_k(), config.comment_k())
    view = View(Filters(published=True), "it", config.privacy_k(), config.comment_k())
    inputs = stage_inputs(store, view, None, config.qr_url())
    decks = tuple(build_deck(inputs, lang) for lang in LANG_DIRS)
    return Stage(decks, str(store.data_version), max(inputs.waves, default=None))


def build(store: Store, out_root: Path, app_url: str | None) -> Path:
    """Compute the decks from `store` and publish the site; returns the published build.
    The caller holds `publish.lock` when another builder may run (`refresh` does)."""
    return write_site(stage(store), out_root, app_url)


def settings(app_url: str | None) -> str:
    """What the page depends on besides the data: a change rebuilds it too."""
    return (f"k={config.privacy_k()} comment_k={config.comment_k()} app={app_url} "
            f"qr={config.qr_url()}")


def write_site(s: Stage, out_root: Path, app_url: str | None) -> Path:
    """Render and publish `s` atomically under `out_root/current`."""
    with publish.staging(out_root, s.version, settings(app_url)) as temp:
        for deck in s.decks:
            _write_language(deck, temp / LANG_DIRS[deck.lang], s.wave, app_url)
    return (out_root / publish.CURRENT).resolve()


def _write_language(deck: Deck, folder: Path, wave: int | None, app_url: str | None) -> None:
    (folder / "img").mkdir(parents=True, exist_ok=True)
    names = []
    for i, png in enumerate(slide_pngs(deck), start=1):
        # named by content: the proxy may let phones keep an image for good
        names.append(f"img/{i:02d}-{hashlib.sha256(png).hexdigest()[:12]}.png")
        write_png(folder / names[-1], png)
    other, href = SWITCH[deck.lang]
    info = PageInfo(wave, date.today(), app_url, other, href)
    (folder / "index.html").write_text(page_html(deck, names, info), "utf-8")


def refresh(db: Path, out_root: Path, app_url: str | None, force: bool = False) -> bool:
    """Rebuild when the database's data version or the settings differ from the published
    ones (or `force`); whether it rebuilt. Another builder at work: returns False at once.
    A failed build raises and leaves the published page as it was."""
    with publish.lock(out_root) as held:
        if not held:
            return False
        with _open(db) as store:
            same = (publish.published_version(out_root) == str(store.data_version)
                    and publish.published_settings(out_root) == settings(app_url))
            if same and not force:
                return False
            computed = stage(store)  # the file is closed before the slow rendering
        write_site(computed, out_root, app_url)
        return True
