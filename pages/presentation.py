"""Placeholder until its issue lands."""

from cx.ui import frame, state, widgets

frame.ensure()

widgets.coming_soon("nav.presentation", state.lang())
