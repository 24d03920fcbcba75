"""Coverage and weighting (issue 21): the Club's member mix (`mix`), a member list file read
and checked (`members`), the weights of a filter's respondents (`weighting` for the maths,
`design` for the cells) and the figures weighted with them (`weighted`)."""

from __future__ import annotations

from cx.coverage.mix import Mix
from cx.store import Store


def load_mix(store: Store) -> Mix:
    """The member mix stored in the DuckDB file (empty when none)."""
    from cx.store import members

    return Mix(members.members(store), members.member_totals(store))
