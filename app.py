"""Osservatorio CX – entry point: `streamlit run app.py`."""

from cx.ui import frame

frame.run()
