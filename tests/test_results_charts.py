"""Risultati and Customer Journey chart builders, checked through their Vega-Lite specs
(validated against the schema: the app caches them unvalidated)."""

import pandas as pd
import pytest

from cx.charts import comparisons, trends
from cx.charts import journey as journey_charts
from cx.charts import results as charts
from cx.charts.export import to_png, to_svg
from cx.charts.theme import BRAND, DARK_INK, DIVERGING, LIGHT_INK
from cx.charts.titles import Titles
from cx.export import to_csv_bytes
from cx.results import TOTAL

LEVELS = ["1", "2", "3", "4", "5"]
LABELS = ["Per niente", "Poco", "Né né", "Abbastanza", "Del tutto"]


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def data(spec: dict, layer: dict | None = None) -> list[dict]:
    name = (layer or spec).get("data", spec.get("data", {})).get("name")
    return spec["datasets"][name]


def crosstab(shares: dict[str, list[float]], labels=LABELS, codes=LEVELS, marks=None):
    rows = []
    for g, (group, values) in enumerate(shares.items()):
        for i, (code, label, share) in enumerate(zip(codes, labels, values)):
            rows.append({"code": code, "label": label, "group": group,
                         "group_label": "Totale" if group == TOTAL else group.title(),
                         "count": int(share * 100), "base": 100, "share": share,
                         "mark": (marks or {}).get((g, i), 0)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("lang", "decimal", "thousands"), [("it", ",", "."), ("en", ".", ",")])
def test_choice_chart(lang, decimal, thousands):
    table = pd.DataFrame({"code": ["b", "a"], "label": ["Bi", "A"], "count": [1200, 300],
                          "share": [0.8, 0.2], "low": [0.78, 0.18], "high": [0.82, 0.22]})
    spec = charts.choice_chart(table, Titles("Domanda", "n = 1.500", lang)).to_dict(validate=True)
    bars, text = layers(spec)
    assert bars["mark"]["type"] == "bar" and text["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["sort"] == ["Bi", "A"], "the table's order"
    assert bars["encoding"]["x"]["axis"]["format"] == ".0%"
    assert "format(datum.count, ',d')" in text["transform"][0]["calculate"]
    assert spec["title"]["text"] == "Domanda" and spec["title"]["subtitle"] == "n = 1.500"
    assert spec["config"]["locale"]["number"]["decimal"] == decimal
    assert spec["config"]["locale"]["number"]["thousands"] == thousands
    assert spec["autosize"]["type"] == "fit-x", "a fixed height must not squash the plot"


def test_likert_layout_centres_the_neutral_answer_by_hand():
    layout = charts.likert_layout(crosstab({TOTAL: [0.1, 0.1, 0.2, 0.4, 0.2]}), LEVELS)
    assert layout["start"].tolist() == pytest.approx([-0.3, -0.2, -0.1, 0.1, 0.5])
    assert layout["end"].tolist() == pytest.approx([-0.2, -0.1, 0.1, 0.5, 0.7])
    assert layout["net"].iloc[0] == pytest.approx(0.6 - 0.2)


def test_likert_chart_sorts_by_net_agreement_with_the_total_on_top():
    table = crosstab({TOTAL: [0.1, 0.1, 0.2, 0.4, 0.2], "nord": [0.3, 0.3, 0.2, 0.1, 0.1],
                      "sud": [0.0, 0.1, 0.1, 0.4, 0.4]})
    spec = charts.likert_chart(table, LEVELS, Titles("D", "n = 300", "it")).to_dict(validate=True)
    rule, bars, text = layers(spec)
    assert rule["mark"]["type"] == "rule", "the centre line is drawn first, behind the bars"
    assert bars["encoding"]["y"]["sort"] == ["Totale", "Sud", "Nord"]
    assert bars["encoding"]["x"]["field"] == "start" and bars["encoding"]["x2"]["field"] == "end"
    assert bars["encoding"]["color"]["scale"] == {"domain": LABELS, "range": list(DIVERGING)}
    assert bars["encoding"]["x"]["axis"]["labelExpr"] == charts.NO_MINUS_PERCENT
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain[0] == -domain[1], "symmetric around the neutral answer"
    assert text["transform"][0] == {"filter": "datum.share >= 0.06"}


def test_nps_bars_are_coloured_detractor_passive_promoter():
    table = pd.DataFrame({"value": range(11), "label": [str(v) for v in range(11)],
                          "count": [1] * 11, "share": [1 / 11] * 11})
    table["category"] = ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    table["category_label"] = table["category"].str.title()
    spec = charts.score_chart(table, Titles("NPS", "NPS +2", "it")).to_dict(validate=True)
    bars, _ = layers(spec)
    colour = bars["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Detractor", "Passive", "Promoter"]
    assert colour["range"] == [DIVERGING[0], DIVERGING[2], DIVERGING[4]]
    assert bars["encoding"]["x"]["sort"] == [str(v) for v in range(11)]


def test_histogram_marks_the_median():
    table = pd.DataFrame({"start": [0, 10, 20], "end": [10, 20, 30], "count": [2, 5, 1],
                          "share": [0.25, 0.625, 0.125], "label": ["0–10", "10–20", "20–30"]})
    spec = charts.histogram_chart(table, 14.0, "Mediana 14", Titles("H", "n = 8", "it")).to_dict(
        validate=True)
    bars, rule, label = layers(spec)
    assert bars["encoding"]["x"]["field"] == "start" and bars["encoding"]["x2"]["field"] == "end"
    assert bars["encoding"]["x"]["bin"] == "binned", "vertical bars standing on the axis"
    assert rule["mark"]["type"] == "rule" and data(spec, rule) == [
        {"median": 14.0, "text": "Mediana 14"}]
    assert label["encoding"]["text"]["field"] == "text"


def test_shares_by_group_puts_the_total_last_as_the_table_and_marks_cells():
    table = crosstab({"nord": [0.5, 0.5], TOTAL: [0.4, 0.6]}, labels=["No", "Sì"],
                     codes=["no", "si"], marks={(0, 0): 1})
    titles = Titles("D · per area", "n = 200", "it")
    spec = comparisons.shares_by_group_chart(table, "Totale", True, titles).to_dict(validate=True)
    bars, text = layers(spec)
    assert bars["encoding"]["y"]["sort"] == ["Nord", "Totale"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert "▲" in text["transform"][1]["calculate"]
    rows = {(r["group"], r["code"]): r for r in data(spec)}
    assert rows[("nord", "si")]["start"] == pytest.approx(0.5)


def test_heatmap_has_the_total_column_last_and_marks():
    table = crosstab({"small": [0.2, 0.9], TOTAL: [0.5, 0.7]}, labels=["Web", "App"],
                     codes=["web", "app"], marks={(0, 1): 1})
    titles = Titles("Touchpoint", "n = 200", "en")
    spec = comparisons.heatmap_chart(table, "Totale", titles).to_dict(validate=True)
    cells, text = layers(spec)
    assert cells["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert cells["encoding"]["x"]["sort"] == ["Small", "Totale"]
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 1]
    inks = {(r["group"], r["code"]): r["ink"] for r in data(spec)}
    # black or white, whichever reads on the cell's fill (tests/test_contrast.py)
    assert inks[("small", "app")] == LIGHT_INK and inks[("small", "web")] == DARK_INK


def test_means_chart_draws_cis_and_a_zero_line_for_nps():
    means = pd.DataFrame({"group": ["b2b", TOTAL], "group_label": ["B2B", "Totale"],
                          "value": [30.0, 10.0], "low": [20.0, 5.0], "high": [40.0, 15.0],
                          "median": [None, None], "n": [50, 120], "mark": [1, 0]})
    spec = comparisons.means_chart(means, "Totale", Titles("NPS", "n = 120", "it"), signed=True,
                              domain=(-100, 100)).to_dict(validate=True)
    zero, ci, dots, text = layers(spec)
    assert zero["encoding"]["x"]["datum"] == 0
    assert ci["encoding"]["x"]["field"] == "low" and ci["encoding"]["x2"]["field"] == "high"
    assert ci["encoding"]["x"]["scale"]["domain"] == [-100, 100]
    assert dots["encoding"]["y"]["sort"] == ["B2B", "Totale"]
    assert "+.0f" in text["transform"][0]["calculate"]


def test_trend_chart_one_row_per_option_with_cis():
    table = pd.DataFrame({"wave": [2025, 2026, 2025, 2026], "series": ["a", "a", "b", "b"],
                          "series_label": ["A", "A", "B", "B"], "value": [0.2, 0.3, 0.8, 0.7],
                          "low": [0.1, 0.2, 0.7, 0.6], "high": [0.3, 0.4, 0.9, 0.8],
                          "n": [50, 60, 50, 60]})
    spec = trends.trend_chart(table, "share", Titles("Q", "n = 110", "it")).to_dict(validate=True)
    ci, dots, _ = layers(spec)
    assert dots["encoding"]["y"]["sort"] == ["A", "B"], "options in the table's order"
    assert dots["encoding"]["yOffset"]["field"] == "wave"
    assert dots["encoding"]["color"]["field"] == "wave"
    assert ci["encoding"]["x"]["field"] == "low" and ci["encoding"]["x2"]["field"] == "high"


def test_trend_chart_one_line_for_a_single_measure():
    table = pd.DataFrame({"wave": [2025, 2026], "series": ["_totale"] * 2,
                          "series_label": ["", ""], "value": [12.0, -3.0], "low": [2.0, -12.0],
                          "high": [22.0, 6.0], "n": [50, 60]})
    spec = trends.trend_chart(table, "nps", Titles("Q", "n = 110", "en")).to_dict(validate=True)
    ci, line, text = layers(spec)
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["x"]["field"] == "wave" and line["encoding"]["x"]["type"] == "ordinal"
    assert ci["encoding"]["y"]["field"] == "low" and ci["encoding"]["y2"]["field"] == "high"
    assert text["encoding"]["text"]["format"] == "+.0f"


def test_words_chart_in_frequency_order():
    words = pd.DataFrame({"word": ["cliente", "tempi"], "count": [9, 4], "share": [0.9, 0.4]})
    spec = charts.words_chart(words, Titles("Q", "10 risposte", "it")).to_dict(validate=True)
    assert layers(spec)[0]["encoding"]["y"]["sort"] == ["cliente", "tempi"]


def test_funnel_chart():
    steps = pd.DataFrame({"step": ["a", "b"], "label": ["Mappa", "Verifica"],
                          "alone": [0.5, 0.4], "together": [0.5, 0.3],
                          "count_alone": [50, 40], "count_together": [50, 30],
                          "n_alone": [100, 98], "n": [100, 95]})
    spec = journey_charts.funnel_chart(steps, "Da sola", "Con le precedenti",
                                       Titles("Imbuto", "n = 100", "it")).to_dict(validate=True)
    alone, together, *texts = layers(spec)
    assert alone["mark"]["height"] == {"band": 0.78}
    assert together["mark"]["height"] == {"band": 0.44}
    assert alone["encoding"]["color"]["scale"]["domain"] == ["Da sola", "Con le precedenti"]
    assert alone["encoding"]["color"]["scale"]["range"][1] == BRAND
    assert alone["encoding"]["y"]["sort"] == ["Mappa", "Verifica"]
    assert len(texts) == 2
    # each bar's tooltip gives its own base: those who answered the practice (98), or it and
    # the earlier ones (95)
    long = next(pd.DataFrame(rows) for rows in spec["datasets"].values() if "base" in rows[0])
    bases = long.set_index(["step", "measure"])["base"]
    assert (bases[("b", "alone")], bases[("b", "together")]) == (98, 95)


def test_long_titles_and_labels_are_wrapped_not_cut():
    heading = "Quanto è facile usare i servizi del Club CMMC? (1 = molto difficile, 7 = " \
              "molto facile) · per mercato"
    assert charts.chart_title(heading, "n = 5").text == [
        "Quanto è facile usare i servizi del Club CMMC? (1 = molto difficile, 7 = molto "
        "facile)", "per mercato"]
    assert charts.wrap("Telecomunicazioni e utility", 14) == "Telecomunicazioni\ne utility"


def test_exports_are_offline_png_and_svg():
    words = pd.DataFrame({"word": ["cliente"], "count": [9], "share": [0.9]})
    chart = charts.words_chart(words, Titles("Parole più frequenti", "n = 10", "it"))
    assert to_png(chart).startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in to_svg(chart)[:200]


def test_tables_leave_with_formulas_neutralised():
    answers = pd.DataFrame({"answer": ["=HYPERLINK(\"x\")", "Ok"], "count": [3, 5]})
    assert b"'=HYPERLINK" in to_csv_bytes(answers)


def all_charts() -> dict:
    """One chart of every builder, on the small tables above."""
    likert = crosstab({TOTAL: [0.1, 0.1, 0.2, 0.4, 0.2], "nord": [0.3, 0.3, 0.2, 0.1, 0.1]})
    two = crosstab({"small": [0.2, 0.9], TOTAL: [0.5, 0.7]}, labels=["Web", "App"],
                   codes=["web", "app"], marks={(0, 1): 1})
    means = pd.DataFrame({"group": ["b2b", TOTAL], "group_label": ["B2B", "Totale"],
                          "value": [30.0, 10.0], "low": [20.0, 5.0], "high": [40.0, 15.0],
                          "n": [50, 120], "mark": [1, 0]})
    trend = pd.DataFrame({"wave": [2025, 2026], "series": ["_totale"] * 2,
                          "series_label": ["", ""], "value": [3.1, 3.4], "low": [2.9, 3.2],
                          "high": [3.3, 3.6], "n": [50, 60]})
    scores = pd.DataFrame({"value": [1, 2], "label": ["1", "2"], "count": [3, 4],
                           "share": [3 / 7, 4 / 7]})
    bins = pd.DataFrame({"start": [0, 10], "end": [10, 20], "count": [2, 5],
                         "share": [2 / 7, 5 / 7], "label": ["0–10", "10–20"]})
    steps = pd.DataFrame({"step": ["a", "b"], "label": ["Mappa", "Verifica"],
                          "alone": [0.5, 0.4], "together": [0.5, 0.3], "n_alone": [100, 100],
                          "n": [100, 100]})
    return {
        "likert": charts.likert_chart(likert, LEVELS, Titles("L", "n", "it")),
        "shares": comparisons.shares_by_group_chart(two, "Totale", False, Titles("S", "n", "it")),
        "heatmap": comparisons.heatmap_chart(two, "Totale", Titles("H", "n", "it")),
        "means": comparisons.means_chart(means, "Totale", Titles("M", "n", "it"), signed=True),
        "trend": trends.trend_chart(trend, "mean", Titles("T", "n", "it")),
        "options_trend": trends.trend_chart(pd.concat([trend.assign(series="a", series_label="A",
                                                                    value=[0.2, 0.3]),
                                                       trend.assign(series="b", series_label="B",
                                                                    value=[0.5, 0.4])]),
                                            "share", Titles("T", "n", "it")),
        "scores": charts.score_chart(scores, Titles("C", "n", "it")),
        "histogram": charts.histogram_chart(bins, 12.0, "Mediana 12", Titles("H", "n", "it")),
        "funnel": journey_charts.funnel_chart(steps, "a", "b", Titles("F", "n", "it")),
    }


@pytest.mark.parametrize("name", list(all_charts()))
def test_every_builder_renders_offline(name):
    """vl-convert compiles the spec as the browser does: layers that fight over a scale
    fail here, not only in the app."""
    assert b"<svg" in to_svg(all_charts()[name])[:200]
