"""The session keys of Carica dati: what the analyst chose for the file on the page (wave, mode,
sheet, mapping, values, codes), the preview computed for those choices, and which dialog is
open, kept across reruns."""

from __future__ import annotations

import streamlit as st

NONCE = "_upload_nonce"
PREVIEW = "_upload_preview"
MAPPING = "_upload_mapping"
VALUES = "_upload_values"
NOT_APPLICABLE = "_upload_not_applicable"
REPEATS = "_upload_repeats"
FILE = "_upload_file"
DONE = "_upload_done"
UNDONE = "_upload_undone"  # what an undo did, said in the log where it was asked
CONFIRMING, UNDOING = "_upload_confirming", "_upload_undoing"
CHOSEN = "upload_chosen"  # the upload picked in the log
WAVE, MODE, SHEET = "upload_wave", "upload_mode", "upload_sheet"


def close(flag: str) -> None:
    """Forget that a dialog is open (it was confirmed, cancelled or dismissed)."""
    st.session_state.pop(flag, None)
