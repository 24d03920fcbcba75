"""A tiny app for tests/test_state.py: two widgets bound to the URL with state.bind_url."""

import streamlit as st

from cx.ui import state

state.bind_url("domanda", ["a", "b", "c"], "a")
st.selectbox("domanda", ["a", "b", "c"], key="domanda")
state.bind_url("aziende", ["AZ-001", "AZ-002", "AZ-003"], [])
st.multiselect("aziende", ["AZ-001", "AZ-002", "AZ-003"], key="aziende")
