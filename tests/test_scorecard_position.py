"""Where a company stands and how it moved: the reference's clustered variance, the difference
interval, the percentile, the practices' shares and the change since the previous wave on
tiny hand-computed tables; then on the sample (a company picked from the store) and in the
PDF's text."""

import datetime as dt
import io
import json
import math

import numpy as np
import pandas as pd
import pypdf
import pytest
from scipy import stats

from cx.companies import company_table
from cx.filters import ALL, Filters
from cx.intervals import cluster_variance
from cx.questionnaire import questionnaire
from cx.scorecard import tables
from cx.scorecard.moves import asked_alike, change, changed_questions, moves, signature_map
from cx.scorecard.peers import moments, reference, without
from cx.scorecard.standing import (
    CLUB,
    SECTOR,
    difference,
    own_values,
    percentiles,
    practice_shares,
    versus,
)

QN = questionnaire()
# company A (the one on the card): 60, 70; B: 50, 54; C: 40, 50, 60; D: 80 (sector s: A, B, C)
TINY = pd.DataFrame({
    "company": ["A", "A", "B", "B", "C", "C", "C", "D"],
    "sector": ["s", "s", "s", "s", "s", "s", "s", "t"],
    "wave": 2026,
    "maturity_index": [60.0, 70.0, 50.0, 54.0, 40.0, 50.0, 60.0, 80.0],
    "cj_ideal_map": ["complete", "none", "partial", "partial", "none", "none", "in_progress",
                     "complete"],
})


def test_the_reference_mean_and_its_clustered_variance_by_hand():
    m = moments(TINY, QN)
    j = m.col("maturity_index")
    rest = reference(m, m.companies != "A", k=2)
    # B, C, D: 50, 54 | 40, 50, 60 | 80 → N = 6, mean 334 / 6
    mean = 334 / 6
    assert rest.n[j] == 6 and rest.companies[j] == 3 and rest.mean[j] == pytest.approx(mean)
    # CR1: G/(G−1) · Σ_g (T_g − n_g·ȳ)² / N², T = 104, 150, 80
    spread = (104 - 2 * mean) ** 2 + (150 - 3 * mean) ** 2 + (80 - mean) ** 2
    cr1 = 3 / 2 * spread / 36
    assert rest.variance[j] == pytest.approx(cr1)
    values = np.array([50.0, 54.0, 40.0, 50.0, 60.0, 80.0])
    assert cr1 == pytest.approx(cluster_variance(values, ["B", "B", "C", "C", "C", "D"]))
    assert cr1 > values.var(ddof=1) / 6, "clustered: wider than under independence"
    # with k = 3 the companies of two or more answers hold 2 besides the largest (C): Kish's
    # bound Σn²/N · s²/N instead (docs/privacy.md)
    bound = reference(m, m.companies != "A", k=3)
    assert bound.variance[j] == pytest.approx(14 / 6 * values.var(ddof=1) / 6)
    # the Club or a sector less one company, from their sums: the same reference
    for k, company, sector in ((2, "A", None), (3, "A", None), (2, "C", None), (3, "C", None),
                               (2, "D", None), (1, "A", "s"), (2, "C", "s"), (1, "D", "s")):
        fast = without(m, company, sector, k)
        mask = m.companies != company
        slow = reference(m, mask if sector is None else mask & (m.sectors == sector), k)
        assert (fast.n[j], fast.companies[j], fast.mean[j], fast.variance[j]) == pytest.approx(
            (slow.n[j], slow.companies[j], slow.mean[j], slow.variance[j]))


def test_the_within_company_variance_pools_the_companies_with_two_answers():
    m = moments(TINY, QN)
    var, df = m.within
    j = m.col("maturity_index")
    # SS: A 50, B 8, C 200, D 0 over N − G = 8 − 4
    assert (var[j], df[j]) == (pytest.approx(258 / 4), 4)


def test_the_difference_interval_by_hand():
    m = moments(TINY, QN)
    j = m.col("maturity_index")
    rest = reference(m, m.companies != "A", k=2)
    interval, p = difference(65.0, 2, rest.mean[j], rest.variance[j], 3, 64.5, 4)
    a, b = 64.5 / 2, rest.variance[j]
    df = (a + b) ** 2 / (a**2 / 4 + b**2 / 2)  # Welch–Satterthwaite: N − G = 4, G − 1 = 2
    half = stats.t.ppf(0.975, df) * math.sqrt(a + b)
    d = 65 - 334 / 6
    assert (interval.estimate, interval.low, interval.high) == pytest.approx(
        (d, d - half, d + half))
    assert p == pytest.approx(2 * stats.t.sf(d / math.sqrt(a + b), df))
    # one respondent: its own spread is the pooled one, σ²_w / 1 — wider, never zero
    one, _ = difference(65.0, 1, rest.mean[j], rest.variance[j], 3, 64.5, 4)
    assert one.high - one.low > interval.high - interval.low
    # the Happy Index is the company's own figure: only the reference's uncertainty
    own, _ = difference(65.0, 1, rest.mean[j], rest.variance[j], 3, 0.0, 1)
    assert own.high - own.estimate == pytest.approx(stats.t.ppf(0.975, 2) * math.sqrt(b))


def test_a_reference_under_k_companies_is_withheld_and_never_claimed():
    m = moments(TINY, QN)
    own = own_values(TINY[TINY["company"] == "A"], QN)
    rows = {(v.measure, v.scope): v for v in versus(own, m, "A", "s", k=3)}
    club = rows[("maturity_index", CLUB)]  # B, C, D: three companies, six answers
    assert club.shown and club.reference == pytest.approx(334 / 6) and club.companies == 3
    sector = rows[("maturity_index", SECTOR)]  # B, C: two companies
    assert not sector.shown and sector.side == "untested" and sector.companies == 2
    assert math.isnan(sector.difference.estimate)


def test_the_percentile_is_the_mid_rank_among_company_means():
    m = moments(TINY, QN)
    own = own_values(TINY[TINY["company"] == "A"], QN)
    # company means: A 65, B 52, C 50, D 80 → below A: 2, equal: 1 (itself) → 2.5 / 4
    club, = [p for p in percentiles(own, m, "A", "s", k=4) if p.scope == CLUB]
    assert (club.value, club.companies) == (62.5, 4)
    assert club.value == stats.percentileofscore([65, 52, 50, 80], 65, kind="mean")
    sector, = [p for p in percentiles(own, m, "A", "s", k=4) if p.scope == SECTOR]
    assert sector.value is None and sector.companies == 3, "3 companies < k: withheld"


def test_the_practice_shares_count_other_companies_by_hand():
    m = moments(TINY, QN)
    own = own_values(TINY[TINY["company"] == "A"], QN)
    shares = {p.question: p for p in practice_shares(own, m, "A", "s", 3, QN)}
    ideal = shares["cj_ideal_map"]
    # A: complete (1) and none (0) → 0.5: has it; B partial 0.67 → has; C (0 + 0 + 0.34) / 3
    # → no; D complete → has: 2 of the 3 other companies
    assert ideal.score == pytest.approx(0.5) and ideal.has is True
    low, high = (100 * b for b in _wilson(2, 3))
    assert ideal.club == pytest.approx((200 / 3, low, high, 3))
    assert ideal.sector is None, "two other companies in the sector"
    assert shares["big_data"].has is None and shares["big_data"].club is None


def _wilson(x, n):
    z = stats.norm.ppf(0.975)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n * n)) / (1 + z**2 / n)
    return centre - half, centre + half


# ------------------------------------------------------------------ the previous wave


def _signature(q, wave, **changes):
    sig = json.loads(q.signature(wave))
    sig.update(changes)
    return json.dumps(sig, ensure_ascii=False, sort_keys=True)


def test_an_added_option_that_scores_zero_keeps_a_score_comparable():
    touch = QN["touchpoints"]
    assert asked_alike(touch, touch.signature(2026), touch.signature(2027))
    ideal = QN["cj_ideal_map"]
    fewer = json.loads(ideal.signature(2026))
    fewer["options"] = fewer["options"][1:]  # «none» (0) dropped: the others keep their score
    assert asked_alike(ideal, ideal.signature(2026), json.dumps(fewer))
    fewer["options"] = fewer["options"][:-1]  # «complete» (1.0) dropped: a scored change
    assert not asked_alike(ideal, ideal.signature(2026), json.dumps(fewer))
    assert not asked_alike(ideal, ideal.signature(2026),
                           _signature(ideal, 2026, it="Avete una mappa?"))


def _signatures(changed: str | None = None) -> pd.DataFrame:
    rows = []
    for q in QN.questions:
        for wave in (2025, 2026):
            sig = _signature(q, wave, it=q.it + " (nuovo testo)") if (
                q.id == changed and wave == 2026) else q.signature(wave)
            rows.append({"wave": wave, "question_id": q.id, "signature": sig})
    return pd.DataFrame(rows)


def test_the_change_since_the_previous_wave_by_hand_and_not_comparable():
    item = QN.pyramid_items("ease")[0].id
    history = pd.DataFrame({"company": "A", "sector": "s", "wave": [2025, 2026, 2026],
                            "maturity_index": [40.0, 50.0, 60.0],
                            "pyramid_ease": [50.0, 75.0, 62.5]})
    spread = {"maturity_index": (64.5, 4.0), "pyramid_ease": (100.0, 10.0)}
    moved = moves(history, 2026, _signatures(changed=item), QN, spread)
    assert (moved.before, moved.after) == (2025, 2026)
    maturity = moved.of("maturity_index")
    # 55 − 40, variance σ²_w · (1/2 + 1/1), t on N − G = 4 degrees of freedom
    half = stats.t.ppf(0.975, 4) * math.sqrt(64.5 * 1.5)
    assert (maturity.change.estimate, maturity.change.low, maturity.change.high) == \
        pytest.approx((15, 15 - half, 15 + half))
    assert maturity.comparable and (maturity.n_before, maturity.n_after) == (1, 2)
    ease = moved.of("pyramid_ease")
    assert not ease.comparable and ease.changed == (item,)
    assert changed_questions("pyramid_ease", signature_map(_signatures(), (2025, 2026)), 2025,
                             2026, QN) == ()
    assert moves(history, 2025, _signatures(), QN, spread) is None, "no earlier wave"


def test_a_change_without_a_spread_has_no_interval():
    interval, p = change(np.array([60.0]), np.array([50.0]), math.nan, math.nan)
    assert math.isnan(interval.low) and math.isnan(p)


# ------------------------------------------------------------------ the sample


@pytest.fixture(scope="module")
def moved(sample_db_template):
    """A company of 2026 that also answered in 2025 (codes are drawn at random per build)."""
    from cx.scorecard.data import scorecard_for
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        now = company_table(s, Filters(wave=2026))
        before = set(company_table(s, Filters(wave=2025))["company"])
        code = str(now[now["company"].isin(before)].sort_values("n")["code"].iloc[-1])
        card = scorecard_for(s, code, Filters(wave=2026), 5)
        raw = s.responses(["company", "sector", "wave", "maturity_index"])
    return card, raw


def test_the_sample_standing_matches_the_responses(moved):
    card, raw = moved
    position = card.position
    wave = raw[raw["wave"] == 2026]
    rest = wave[(wave["sector"] == card.sector) & (wave["company"] != card.company)]
    sector = position.against("maturity_index", SECTOR)
    assert sector.reference == pytest.approx(rest["maturity_index"].mean())
    assert sector.companies == rest.dropna(subset=["maturity_index"])["company"].nunique()
    assert sector.difference.estimate == pytest.approx(card.maturity.value - sector.reference)
    means = wave.groupby("company")["maturity_index"].mean().dropna()
    club = position.percentile(CLUB)
    assert club.companies == len(means)
    assert club.value == pytest.approx(stats.percentileofscore(
        means.to_numpy(), means[card.company], kind="mean"))
    assert position.moves is not None and position.moves.before == 2025
    assert all(m.comparable for m in position.moves.moves), "2025 and 2026 ask alike"
    if sector.side in ("above", "below"):
        assert sector.difference.excludes_zero


def test_a_small_sector_is_withheld_with_its_percentile(sample_db_template):
    from cx.scorecard.data import scorecard_for
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        table = company_table(s, ALL)
        sizes = table.groupby("sector")["company"].nunique()
        small = sizes.idxmin()
        code = str(table[table["sector"] == small]["code"].iloc[0])
        k = int(sizes[small]) + 1  # the sector has fewer than k companies
        card = scorecard_for(s, code, ALL, k)
    position = card.position
    assert not position.against("maturity_index", SECTOR).shown
    assert position.percentile(SECTOR).value is None
    assert all(p.sector is None for p in position.practices)
    text = tables.standing_table(card, "it").iloc[0]
    assert text["Resto del settore"] == f"< {k} aziende"
    assert text["Differenza dal settore (IC 95%)"] == "–"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_pdf_carries_where_the_company_stands_and_how_it_moved(moved, lang):
    from cx.scorecard.pdf import PdfContext, scorecard_pdf

    card, _ = moved
    pdf = scorecard_pdf(card, PdfContext(card.code, "2026", lang, dt.date(2026, 12, 7)))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[1:])
    words = {"it": ["Dove si colloca e come si è mossa", "Percentile di maturità",
                    "Variazione: ondata 2026 rispetto all'ondata 2025",
                    "Pratiche: l'azienda e i suoi pari", "Six Pillars: i valori del radar"],
             "en": ["Where it stands and how it moved", "Maturity percentile",
                    "Change: wave 2026 against the company's wave 2025",
                    "Practices: the company and its peers", "Six Pillars: the radar's values"]}
    for word in words[lang]:
        assert word in text, word
    for line in tables.percentile_lines(card, lang):
        assert line in text
    first = tables.standing_table(card, lang).iloc[0]
    assert first.iloc[5].split(" · ")[0].split(" [")[0] in text  # the difference from the Club


# ------------------------------------------------------------------ charts


def test_the_gap_bar_diverges_from_zero_with_whiskers_and_labels(moved):
    import altair as alt

    from cx.charts import to_png
    from cx.charts.gaps import gap_chart
    from cx.charts.titles import Titles

    card, _ = moved
    gaps = tables.gap_frame(card, "it")
    assert list(gaps["name"]) == ["Personalizzazione", "Integrità", "Aspettative",
                                  "Risoluzione", "Tempo e impegno", "Empatia"]
    spec = gap_chart(gaps, "Differenza (punti)", Titles("T", "s", "it"))
    alt.LayerChart.from_dict(spec, validate=True)
    bars, whiskers, labels, zero = spec["layer"]
    assert zero["mark"]["type"] == "rule"
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x2"] == {"datum": 0}
    assert (whiskers["encoding"]["x"]["field"], whiskers["encoding"]["x2"]["field"]) == (
        "low", "high")
    assert labels["encoding"]["text"]["field"] == "label"
    assert bars["encoding"]["y"]["sort"] == list(gaps["name"])
    rows = bars["data"]["values"]
    first = card.position.against("pillar_personalisation", CLUB).difference
    assert rows[0]["estimate"] == pytest.approx(first.estimate)
    assert rows[0]["label"].startswith(("+", "−", "0"))
    reach = max(abs(gaps["low"]).max(), abs(gaps["high"]).max())
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain == pytest.approx([-1.6 * reach, 1.6 * reach]), "symmetric, room for labels"
    assert spec["height"] == 6 * 34 and spec["autosize"]["type"] == "pad", "never squeezed"
    chart = spec
    assert to_png(chart, scale=1)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_radar_shows_every_profiles_values_on_hover_and_in_a_list():
    from cx.charts.radar import legend_values, radar_chart
    from cx.charts.titles import Titles
    from cx.questionnaire import PILLARS
    from cx.scorecard.figures import pillar_axes, radar_names

    pieces = {"company": pd.DataFrame({"pillar": list(PILLARS), "value": [60.0] * 6}),
              "club": pd.DataFrame({"pillar": list(PILLARS), "value": [50.0] * 6}),
              "band": pd.DataFrame({"pillar": list(PILLARS), "low": 40.0, "high": 70.0})}
    spec = radar_chart(pieces, radar_names("AZ-007", "it"), pillar_axes("it"),
                       Titles("T", "s", "it"))
    points = next(la for la in spec["layer"] if la.get("mark", {}).get("type") == "point")
    assert [t["field"] for t in points["encoding"]["tooltip"]] == ["name", "axis", "value"]
    rows = points["data"]["values"]
    assert {r["name"] for r in rows} == {"AZ-007", "Mediana del Club"} and len(rows) == 12
    lines = legend_values(pieces, radar_names("AZ-007", "it"), pillar_axes("it"))
    assert lines[0].startswith("AZ-007: Personalizzazione 60 · Integrità 60")
    assert lines[-1].endswith("Empatia 40–70")


def test_a_few_answers_score_as_the_respondent_scores_do(sample_db_template):
    from cx.scorecard import peers
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        answers = s.responses(["company", "sector", "wave", *(q.id for q in QN.practices)])
    few = answers.iloc[: peers.FEW]
    slow = peers.respondent_values(answers, QN).iloc[: peers.FEW]  # pandas' path
    fast = peers.respondent_values(few, QN)
    keys = [peers.practice_key(q.id) for q in QN.practices]
    pd.testing.assert_frame_equal(fast[keys], slow[keys])


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_downloads_carry_the_new_columns_as_numbers(moved, lang):
    from cx.export import to_csv_bytes, to_xlsx_bytes
    from cx.scorecard.downloads import practice_data, standing_data

    card, _ = moved
    data = standing_data(card, lang)
    club = {"it": "Resto del Club", "en": "Rest of the Club"}[lang]
    diff = {"it": "differenza", "en": "difference"}[lang]
    change = {"it": "Variazione", "en": "Change"}[lang]
    row = data.iloc[0]
    v = card.position.against("maturity_index", CLUB)
    assert row.iloc[0] == "maturity_index"
    assert row[f"{club}: {diff}"] == pytest.approx(v.difference.estimate)
    assert row[change] == pytest.approx(card.position.moves.of("maturity_index").change.estimate)
    practices = practice_data(card, lang)
    assert len(practices) == 11 and practices.iloc[:, 2].dropna().between(0, 1).all()
    frame = pd.read_excel(io.BytesIO(to_xlsx_bytes(data)))
    assert list(frame.columns) == list(data.columns)
    assert to_csv_bytes(practices)
