"""Every page through real Streamlit (AppTest), in both languages, on a real database copy."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from cx.ui.frame import PAGES
from tests.conftest import ROOT

PAGE_FILES = [path for _, path, *_ in PAGES]


def _app(lang: str = "it") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at


def _texts(at: AppTest) -> str:
    parts = [m.label + " " + str(m.value) for m in at.metric]
    for kind in ("markdown", "caption", "title", "info", "header", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_runs_without_exception(app_env, page, lang):
    at = _app(lang).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
    untitled = {f for c in at.get("vega_lite_chart") for f in _untitled_tooltips(
        json.loads(c.proto.spec))}
    assert not untitled, f"tooltips would show column names: {untitled}"


def _untitled_tooltips(spec: object) -> set[str]:
    found: set[str] = set()
    if isinstance(spec, dict):
        tips = (spec.get("encoding") or {}).get("tooltip") if isinstance(
            spec.get("encoding"), dict) else None
        tips = tips if isinstance(tips, list) else [tips] if isinstance(tips, dict) else []
        found |= {tip["field"] for tip in tips if "field" in tip and "title" not in tip}
        spec = list(spec.values())
    if isinstance(spec, list):
        for item in spec:
            found |= _untitled_tooltips(item)
    return found


def test_overview_in_italian(app_env):
    at = _app("it").run()
    labels = [m.label for m in at.metric]
    assert labels == ["Rispondenti", "Aziende", "NPS del Club", "Maturità media",
                      "Journey ideale", "Misurano l'NPS"]
    assert at.metric[0].value == "264"
    assert "Hanno risposto 264 persone di 200 aziende." in _texts(at)
    assert len(at.get("vega_lite_chart")) == 3
    captions = [c.value for c in at.caption]
    assert "n = 264 (200 aziende) · IC 95% [43; 50]  \nMedia per rispondente; per azienda 46 " \
        "(IC 95% [43; 49])" in captions, "the maturity counts respondents, and says so"
    assert not any("indicativo" in c for c in captions), "264 respondents are not indicative"


def test_overview_in_english(app_env):
    at = _app("en").run()
    assert at.metric[0].label == "Respondents"
    assert "264 people from 200 companies answered." in _texts(at)


def test_filters_change_the_numbers(app_env):
    at = _app().run()
    at.selectbox(key="ondata").set_value("2025").run()
    n_2025 = int(at.metric[0].value)
    assert 0 < n_2025 < 264
    at.multiselect(key="settore").set_value(["finance"]).run()
    assert 0 < int(at.metric[0].value) < n_2025
    assert not at.exception


def test_figures_under_30_respondents_are_marked_indicative(app_env):
    at = _app().run()
    at.selectbox(key="ondata").set_value("2025").run()
    at.multiselect(key="settore").set_value(["finance"]).run()
    assert 5 <= int(at.metric[0].value) < 30
    tiles = [c.value for c in at.caption if c.value.startswith("n = ")]
    assert len(tiles) == 4 and all(" · indicativo" in c for c in tiles)
    subtitles = [json.loads(c.proto.spec)["title"]["subtitle"] for c in at.get("vega_lite_chart")]
    assert all(str(s).endswith("indicativo") for s in subtitles), subtitles


def test_filter_in_url_is_applied(app_env):
    at = _app()
    at.query_params["ondata"] = "2026"
    at.run()
    assert 0 < int(at.metric[0].value) < 264


def test_tiny_segment_is_suppressed(app_env, monkeypatch):
    at = _app().run()
    at.selectbox(key="ondata").set_value("2025").run()
    at.multiselect(key="settore").set_value(["health"]).run()
    at.multiselect(key="dimensione").set_value(["xlarge"]).run()
    at.multiselect(key="area").set_value(["sud_isole"]).run()
    sentences = [m.value for m in at.markdown if "badge[" not in m.value]
    assert sentences == ["Nessun rispondente per questa selezione."] or (
        len(sentences) == 1 and sentences[0].startswith("Solo ") and "meno di 5" in sentences[0])
    assert not at.metric, "one sentence, no tiles of dashes"
    assert not at.get("vega_lite_chart"), "no chart over fewer than k respondents"
    assert not at.exception


def test_privacy_threshold_is_configurable(app_env, monkeypatch):
    monkeypatch.setenv("CX_PRIVACY_K", "1000")
    at = _app().run()
    assert any("264 rispondenti, meno di 1000" in m.value for m in at.markdown)
    assert not at.metric and not at.get("vega_lite_chart")


def test_overview_never_names_a_company(app_env):
    from cx.store import Store

    with Store.open(app_env) as s:
        names = set(s.responses(["company"])["company"])
    at = _app().run()
    text = _texts(at)
    for chart in at.get("vega_lite_chart"):
        text += chart.proto.spec + "".join(str(d) for d in chart.proto.datasets)
    assert not [n for n in names if n in text]


def test_pyramid_chart_data_matches_scoring(app_env):
    import pandas as pd
    import pyarrow as pa

    from cx.pyramid import LEVEL_OF
    from cx.scoring import mean
    from cx.store import Store

    at = _app().run()
    chart = next(c for c in at.get("vega_lite_chart") if "Piramide" in c.proto.spec)
    table = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    with Store.open(app_env) as s:
        expected = mean(s.responses(["pyramid_needs"])["pyramid_needs"]).value
    got = table.loc[table["level"] == LEVEL_OF["pyramid_needs"], "score"].iloc[0]
    assert got == pytest.approx(expected)
    assert isinstance(table, pd.DataFrame)
