"""Themes in open answers: a seeded dictionary of the Club's CX vocabulary matched on lemmas
(simplemma, Italian and English), themes beyond it found among the answers it does not
explain, analysts' renames and merges, counts and shares with company-clustered intervals,
moves between waves under a test, quotes under the comment threshold, coverage. Pure."""

from cx.themes.edits import Edit, apply_edits, edits_of
from cx.themes.find import EMERGENT_MAX, Found, find_themes
from cx.themes.lexicon import THEMES
from cx.themes.model import EXTRA_PREFIX, Themes, analyse, themed

__all__ = ["EMERGENT_MAX", "EXTRA_PREFIX", "THEMES", "Edit", "Found", "Themes", "analyse",
           "apply_edits", "edits_of", "find_themes", "themed"]
