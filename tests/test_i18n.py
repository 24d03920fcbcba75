import re
import string

import pytest

from cx.i18n import LANGS, catalogue, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_every_key_in_both_languages_with_the_same_placeholders(key):
    entry = catalogue()[key]
    assert set(entry) == set(LANGS), key
    assert all(entry[lang].strip() for lang in LANGS), key
    assert _fields(entry["it"]) == _fields(entry["en"]), key


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
