"""The only Streamlit-aware code under `cx/`: caching, state, widgets, the app frame."""
