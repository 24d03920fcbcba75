"""Chart builders: pure functions returning Altair charts; they never call Streamlit."""

from cx.charts.export import spec, to_png, to_svg
from cx.charts.scores import profile_chart, stage_chart

__all__ = ["profile_chart", "spec", "stage_chart", "to_png", "to_svg"]
