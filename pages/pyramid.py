"""Placeholder until its issue lands."""

from cx.ui import state, widgets

widgets.coming_soon("nav.pyramid", state.lang())
