"""Where each question's answers are in a staged upload."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """Where each question's answers are in the staged file."""

    names: tuple[str, ...]
    whole: tuple[tuple[str, int], ...]  # (question id, column) answered in one column
    options: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (multi id, ((code, col), ..))
    wave: int | None
    id_prefix: str
    mode: str

    @property
    def whole_map(self) -> dict[str, int]:
        return dict(self.whole)

    @property
    def mapped(self) -> set[int]:
        return {c for _, c in self.whole} | {c for _, opts in self.options for _, c in opts}

    @property
    def unmapped(self) -> tuple[int, ...]:
        return tuple(j for j in range(len(self.names)) if j not in self.mapped)
