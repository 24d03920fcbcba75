"""What the themes of free text read and keep: the analysts' edits (`theme_edits`: read in the
order made, added one at a time, reset per question; each write bumps the data version, so the
themes' caches recompute), and the text of uploads' columns that matched no question
(`upload_extras`), for analysts only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cx.filters import Filters
from cx.store.connection import Connection, StoreError
from cx.store.sql import sql_text

if TYPE_CHECKING:
    import pandas as pd

EDIT_ACTIONS = ("rename", "merge")


class ThemeEdits(Connection):
    """What the store keeps of the themes (a part of `Store`)."""

    def theme_edits(self, question_id: str) -> list[dict[str, object]]:
        """The edits of a question's themes, oldest first (theme, action, target, labels)."""
        with self.cursor() as cur:
            cur.execute(sql_text("theme_edits"), {"question_id": question_id})
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def add_theme_edit(self, question_id: str, theme: str, action: str,
                       target: str | None = None, label_it: str | None = None,
                       label_en: str | None = None) -> None:
        """Keep one rename (labels) or merge (target) of a theme."""
        if action not in EDIT_ACTIONS:
            raise ValueError(f"unknown theme edit: {action!r}")
        with self.transaction() as cur:
            cur.execute(sql_text("theme_edit_insert"), {
                "question_id": question_id, "theme": theme, "action": action,
                "target": target, "label_it": label_it, "label_en": label_en})

    def reset_theme_edits(self, question_id: str) -> None:
        """Forget every edit of a question's themes."""
        with self.transaction() as cur:
            cur.execute(sql_text("theme_edits_reset"), {"question_id": question_id})

    def extra_text_columns(self) -> list[str]:
        """Kept columns of the uploads that hold free text (`extra_text_columns.sql`)."""
        with self.cursor() as cur:
            return [str(r[0]) for r in cur.execute(sql_text("extra_text_columns")).fetchall()]

    def extra_tally(self, column: str, filters: Filters) -> pd.DataFrame:
        """Respondents per (answer, wave, company) of a kept column, in the filter. Never over
        the published table: what a visitor may see holds no kept column."""
        if filters.published:
            raise StoreError(self.path, "kept columns of uploads are for analysts only")
        with self.cursor() as cur:
            return cur.execute(sql_text("extra_tally"),
                               {**filters.params(), "column": column}).df()
