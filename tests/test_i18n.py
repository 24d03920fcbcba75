import re
import string

import pytest

from cx.i18n import LANGS, catalogue, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_every_key_in_both_languages_with_the_same_placeholders(key):
    entry = catalogue()[key]
    plural = {"count", *(f"{lang}_one" for lang in LANGS)} if "count" in entry else set()
    assert set(entry) == set(LANGS) | plural, key
    texts = [entry[k] for k in entry if k != "count"]
    assert all(text.strip() for text in texts), key
    assert all(_fields(text) == _fields(entry["it"]) for text in texts), key
    if plural:
        assert entry["count"] in _fields(entry["it"]), key


def test_a_count_of_one_takes_the_singular():
    assert t("ingest.page.commit", "it", n="1") == "Carica 1 riga"
    assert t("ingest.page.commit", "it", n="12") == "Carica 12 righe"
    assert t("ingest.page.commit", "en", n=1) == "Load 1 row"


def test_keys_used_in_code_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    used = set()
    for path in [*root.glob("cx/**/*.py"), *root.glob("pages/*.py"), root / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    missing = used - set(catalogue())
    assert not missing


def test_italian_is_the_default():
    assert t("nav.overview") == "Panoramica"
    assert t("nav.overview", "en") == "Overview"
    assert t("nav.overview", "xx") == "Panoramica"


def test_a_single_respondent_is_singular_in_the_suppressed_notes():
    """«Con 1 rispondenti» was a slip of the Journey and Panoramica notes under k (issue 22)."""
    for key in ("journey.suppressed", "overview.summary_suppressed"):
        assert t(key, "it", n=1, k=5).startswith("Con 1 solo rispondente in questa")
        assert t(key, "en", n=1, k=5).startswith("With 1 respondent in this")
        assert t(key, "it", n=3, k=5).startswith("Con 3 rispondenti in questa")
