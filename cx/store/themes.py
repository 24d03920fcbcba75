"""The analysts' edits of the themes of free-text questions (`theme_edits`): read in the order
made, added one at a time, reset per question; each write bumps the data version (the themes'
caches then recompute)."""

from __future__ import annotations

from cx.store.connection import Connection
from cx.store.sql import sql_text

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
