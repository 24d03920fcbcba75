"""How SQL is written here: named queries in `cx/store/queries/*.sql`; generated statements
quote identifiers with `ident` (question ids and columns of an allow-list, never data) and bind
every value (`Params`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

FILTER_MARK = "/*FILTER*/"


@cache
def sql_text(name: str) -> str:
    """The text of `cx/store/queries/<name>.sql` (KeyError for an unknown name)."""
    path = resources.files("cx.store.queries") / f"{name}.sql"
    if not path.is_file():
        raise KeyError(name)
    text = path.read_text(encoding="utf-8")
    if FILTER_MARK in text:
        text = text.replace(FILTER_MARK, sql_text("filter"))
    return text


def ident(name: str, allowed: Iterable[str] | None = None) -> str:
    """An identifier, double-quoted; with `allowed`, only one of those (KeyError otherwise).
    A quote inside a name is refused: identifiers here come from the questionnaire and the
    schema, never from a file."""
    if (allowed is not None and name not in allowed) or '"' in name:
        raise KeyError(f"column not allowed: {name!r}")
    return f'"{name}"'


def col(j: int) -> str:
    """The staged column of a file's `j`-th column."""
    return f"c{int(j)}"


class Params(dict[str, object]):
    """Bound parameters, named as they are added (`prefix` and a number)."""

    prefix = "k"

    def __call__(self, value: object) -> str:
        name = f"{self.prefix}{len(self)}"
        self[name] = value
        return f"${name}"
