"""The command line's words in the user's language: help texts, argument checks, and argparse's
own words (usage, options, errors), Italian unless `--lang en` is given."""

from __future__ import annotations

import argparse
import errno
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from cx.i18n import DEFAULT_LANG, LANGS, catalogue, t

FIRST_YEAR, LAST_YEAR = 2000, 2100


class Refused(Exception):
    """Input refused: the message goes to stderr and the exit code is 1."""

# argparse's messages (Python 3.11–3.13) → their key in cx/locales/cli.toml
ARGPARSE_WORDS = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "show this help message and exit": "help",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_type",
    "expected one argument": "expected_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
}


def lang_of(argv: Sequence[str]) -> str:
    """The language asked with `--lang xx` or `--lang=xx` (needed before parsing: the help and
    the usage errors are written while parsing)."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        value = arg.partition("=")[2] if arg.startswith("--lang=") else value
        if value in LANGS:
            return value
    return DEFAULT_LANG


@contextmanager
def argparse_words(lang: str) -> Iterator[None]:
    """Lend argparse our words while a parser is built and used: it takes its own from gettext's
    global catalogue, which has no Italian. Words we do not know stay argparse's."""
    # typeshed leaves out argparse's gettext alias `_`
    original = argparse._  # type: ignore[attr-defined]

    def words(text: str) -> str:
        key = ARGPARSE_WORDS.get(text)
        return t(f"cli.argparse.{key}", lang) if key else original(text)

    argparse._ = words  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def helper(lang: str) -> Callable[[str], str]:
    """`h("db")`: the help text of an argument or command."""
    return lambda key: t(f"cli.help.{key}", lang)


def meta(lang: str) -> Callable[[str], str]:
    """`m("year")`: the placeholder of a value in the usage line (ANNO)."""
    return lambda key: t(f"cli.meta.{key}", lang)


def os_error(exc: OSError, lang: str) -> str:
    """A file that could not be read or written, in the user's language (the system's own
    message is English)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    reason = (t(f"cli.os.{name}", lang) if f"cli.os.{name}" in catalogue()
              else t("cli.os.other", lang, detail=exc.strerror or exc))
    return t("cli.io_error", lang, path=exc.filename or "", reason=reason)


def refuse(key: str, lang: str, **values: object) -> argparse.ArgumentTypeError:
    """An argument's value refused with the translated reason `cli.check.<key>`."""
    return argparse.ArgumentTypeError(t(f"cli.check.{key}", lang, **values))


def _year(text: str) -> int | None:
    value = text.strip()
    if not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        return None
    return int(value)


def year(lang: str) -> Callable[[str], int]:
    """The check of a wave: a year."""
    def wave(text: str) -> int:
        value = _year(text)
        if value is None:
            raise refuse("year", lang, value=text)
        return value
    return wave


def years(lang: str) -> Callable[[str], tuple[int, ...]]:
    """The check of a list of waves: years separated by commas."""
    def waves(text: str) -> tuple[int, ...]:
        found = [_year(w) for w in text.split(",") if w.strip()]
        if not found or None in found:
            raise refuse("years", lang, value=text)
        return tuple(y for y in found if y is not None)
    return waves


def positive(lang: str) -> Callable[[str], int]:
    """The check of a count: a whole number from 1 up."""
    def count(text: str) -> int:
        if not text.strip().isdigit() or int(text) < 1:
            raise refuse("positive", lang, value=text)
        return int(text)
    return count
