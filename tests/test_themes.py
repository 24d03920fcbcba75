"""Themes in open answers (cx/themes): hand-made Italian and English answers → their themes,
determinism, coverage, shares and intervals against a hand table, moves against scipy, quotes
under the comment threshold, and analysts' edits kept in a real DuckDB file."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cx.filters import ALL
from cx.store import Store
from cx.themes import Edit, analyse, apply_edits, edits_of, find_themes
from cx.themes.figures import flags, theme_moves, theme_table, uncovered
from cx.themes.find import dictionary_themes
from cx.themes.labels import coverage_text, moves_text, read_table, theme_label
from cx.themes.lexicon import THEMES
from cx.themes.quotes import theme_quotes
from cx.themes.text import lemmas
from cx.view import View

HAND = {  # answer → the themes a reader would give it
    "Le attese al telefono sono troppo lunghe": {"waiting", "service"},
    "I prezzi sono troppo alti rispetto ai concorrenti": {"price"},
    "Il personale non è formato": {"staff", "training"},
    "L'app si blocca al pagamento": {"digital"},
    "Personalizzare l'offerta in tempo reale": {"personalisation"},  # «tempo reale»: no wait
    "Definire le Buyer Personas": {"journey"},  # personas are no staff
    "Customers wait too long on the phone": {"waiting", "service"},
    "Prices are higher than competitors": {"price"},
    "Our staff is not trained to listen": {"staff", "training", "empathy"},
    "Too much paperwork to get a refund": {"process"},
    "The website is confusing and checkout is slow": {"digital", "waiting"},
    "Il parcheggio è sempre pieno": set(),
}


@pytest.mark.parametrize("answer", list(HAND))
def test_hand_made_answers_get_their_themes(answer):
    assert dictionary_themes(lemmas(answer)) == HAND[answer]


def test_english_answers_are_lemmatised_in_english():
    assert lemmas("Staff are rude and slow") == ("staff", "rude", "slow")  # not «rudere»
    assert lemmas("Le attese sono lunghe") == ("attesa", "lungo")


def test_every_dictionary_theme_is_named_in_both_languages():
    from cx.i18n import catalogue

    assert {f"themes.theme.{th.key}" for th in THEMES} <= set(catalogue())


ANSWERS = {"Il parcheggio è sempre pieno": 6, "Parcheggio lontano dall'ingresso": 3,
           "Wi-fi assente in sala": 2, "Prezzi alti": 4, "Customers wait too long": 5}


def test_themes_beyond_the_dictionary_come_from_the_answers_it_leaves():
    found = find_themes(ANSWERS, min_size=5)
    assert found.emergent == {"lemma:parcheggio": ("parcheggio", "pieno")}
    assert found.themes["Parcheggio lontano dall'ingresso"] == {"lemma:parcheggio"}
    assert found.themes["Wi-fi assente in sala"] == frozenset(), "2 respondents: under 5"
    assert found.keys == ("waiting", "price", "lemma:parcheggio")
    assert find_themes(ANSWERS, min_size=10).emergent == {}


def test_themes_are_the_same_in_any_order_and_run():
    items = list(ANSWERS.items()) + [(a, 1) for a in HAND if a not in ANSWERS]
    items += [("Il parcheggio costa", 5), ("Pochi posti in sala", 5)]  # a tie: alphabetical
    first = find_themes(dict(items), 5)
    for seed in range(5):
        random.Random(seed).shuffle(items)
        again = find_themes(dict(items), 5)
        assert again.themes == first.themes and again.emergent == first.emergent
        assert list(again.emergent) == list(first.emergent)


def _tally(rows: list[tuple[str, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["answer", "wave", "company", "n"])


# ten respondents of four companies: A 3 (2 speak of prices), B 2 (none), C 3 (1), D 2 (2)
HAND_TABLE = _tally([
    ("Prezzi alti", 2025, "A", 2), ("Il parcheggio è pieno", 2025, "A", 1),
    ("Il parcheggio è pieno", 2025, "B", 2),
    ("Prezzi alti", 2025, "C", 1), ("Wi-fi assente", 2025, "C", 2),
    ("Prezzi alti", 2025, "D", 2)])


def test_share_and_interval_against_a_hand_table():
    themes = {"Prezzi alti": frozenset({"price"}), "Il parcheggio è pieno": frozenset(),
              "Wi-fi assente": frozenset()}
    table = theme_table(HAND_TABLE, flags(HAND_TABLE, themes, ("price",)), ("price",), k=5).iloc[0]
    assert table["count"] == 5 and table["share"] == pytest.approx(0.5)
    # residuals y − 0.5 summed by company: A +0.5, B −1, C −0.5, D +1 → Σ² = 2.5
    # CR1: 4/3 · 2.5 / 10² = 0.0333…; independent: (10·0.25/9)/10 = 0.0277… → deff 1.2
    assert table["deff"] == pytest.approx(1.2)
    n_eff = 10 / 1.2
    low, high = (sm_wilson(5 / 1.2, n_eff))
    assert (table["low"], table["high"]) == (pytest.approx(low), pytest.approx(high))
    assert table["companies"] == 4
    # 5 of the 10 say nothing a theme explains: the parking and the wi-fi
    gap = uncovered(HAND_TABLE, flags(HAND_TABLE, themes, ("price",)), 5)
    assert round(gap.value * gap.n / 100) == 5 and gap.n == 10


def sm_wilson(count: float, nobs: float) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(count, nobs, alpha=0.05, method="wilson")
    return float(low), float(high)


def test_a_move_between_waves_is_scipy_s_2x2_test_without_clustering():
    # every respondent a company of their own: deff 1; 10/40 → 24/40 speak of prices
    rows = ([("Prezzi alti", 2026, f"a{i}", 1) for i in range(10)]
            + [("Nulla", 2026, f"b{i}", 1) for i in range(30)]
            + [("Prezzi alti", 2027, f"c{i}", 1) for i in range(24)]
            + [("Nulla", 2027, f"d{i}", 1) for i in range(16)])
    themes = {"Prezzi alti": frozenset({"price"}), "Nulla": frozenset()}
    move = theme_moves(_tally(rows), flags(_tally(rows), themes, ("price",)), ("price",)).iloc[0]
    chi2, p, _, _ = sps.chi2_contingency([[10, 30], [24, 16]], correction=False)
    assert move["change"] == pytest.approx(0.35) and move["p_holm"] == pytest.approx(p)
    assert bool(move["significant"]) and move["change_low"] > 0
    assert move["v"] == pytest.approx(math.sqrt(chi2 / 80))
    assert (move["before"], move["after"], move["n_before"]) == (0.25, 0.6, 40)


def test_companies_answering_alike_widen_a_move():
    """The same counts, but each wave's respondents in four companies answering as one."""
    rows = [(a, w, f"{w}{c}", n) for w, split in ((2026, (10, 0, 0, 30)), (2027, (24, 0, 0, 16)))
            for c, (a, n) in enumerate(zip(("Prezzi alti", "Nulla", "Nulla", "Nulla"), split))
            if n]
    themes = {"Prezzi alti": frozenset({"price"}), "Nulla": frozenset()}
    clustered = theme_moves(_tally(rows), flags(_tally(rows), themes, ("price",)),
                            ("price",)).iloc[0]
    assert clustered["p_holm"] > 0.05 and not clustered["significant"]


def test_quotes_only_for_themes_over_the_comment_threshold_and_names_blanked():
    from cx.comments import name_index

    rows = _tally([("Prezzi alti da Rossi Group", 2025, "A", 6),
                   ("Il personale è gentile", 2025, "B", 3)])
    themes = {"Prezzi alti da Rossi Group": frozenset({"price"}),
              "Il personale è gentile": frozenset({"staff"})}
    table = theme_table(rows, flags(rows, themes, ("price", "staff")), ("price", "staff"), k=1)
    quotes = theme_quotes(rows, themes, table, 5, name_index(["Rossi Group S.p.A."]), "[x]")
    assert quotes.to_dict("records") == [{"theme": "price", "quote": "Prezzi alti da [x]",
                                          "count": 6}]


def test_merge_counts_a_respondent_once_and_rename_names_the_theme():
    themes = {"a": frozenset({"price", "waiting"}), "b": frozenset({"waiting"}),
              "c": frozenset({"staff"})}
    edited = apply_edits(themes, [Edit("price", "merge", "waiting"),
                                  Edit("waiting", "rename", None, "Tempi e costi", "Time and cost"),
                                  Edit("ghost", "rename", None, "Mai", "Never")])
    assert edited.themes == {"a": {"waiting"}, "b": {"waiting"}, "c": {"staff"}}
    assert edited.labels == {"waiting": ("Tempi e costi", "Time and cost")}
    # applied in order: a later merge moves the merged answers on
    later = apply_edits(themes, [Edit("price", "merge", "waiting"),
                                 Edit("waiting", "merge", "staff")])
    assert set().union(*later.themes.values()) == {"staff"}


RULES = View().rules


def _pain(store: Store, rules: View = RULES):
    counts = store.tally(("pain_point", "wave", "company"), ALL)
    return analyse("pain_point", counts, rules, edits_of(store.theme_edits("pain_point")))


def test_the_sample_s_price_theme_counts_the_one_answer_about_prices(store):
    frame = store.responses(["pain_point"])
    by_hand = int((frame["pain_point"] == "Il cliente trova prezzi diversi tra sito e negozio.")
                  .sum())
    th = _pain(store)
    row = th.table.set_index("theme").loc["price"]
    assert row["count"] == by_hand and th.n == int(frame["pain_point"].notna().sum())
    assert row["low"] < row["share"] < row["high"]
    assert th.uncovered_count == 0 and "0 risposte su" in coverage_text(th, "it")
    asked = store.responses(["pain_point", "wave"]).dropna(subset=["pain_point"])
    waves = sorted(int(w) for w in asked["wave"].unique())
    assert th.waves == tuple(waves[-2:])


def test_edits_persist_in_the_file_and_survive_reopening(sample_db):
    with Store.open(sample_db) as store:
        before = store.data_version
        store.add_theme_edit("pain_point", "price", "merge", "omnichannel")
        store.add_theme_edit("pain_point", "omnichannel", "rename", None,
                             "Prezzi e canali", "Prices and channels")
        assert store.data_version == before + 2, "each edit refreshes the caches"
        with pytest.raises(ValueError):
            store.add_theme_edit("pain_point", "price", "delete")
    with Store.open(sample_db) as store:
        assert [e["action"] for e in store.theme_edits("pain_point")] == ["merge", "rename"]
        assert store.theme_edits("cx_priority") == []
        th = _pain(store)
        keys = list(th.table["theme"])
        assert "price" not in keys and theme_label(th, "omnichannel", "en") == \
            "Prices and channels"
        assert "Prezzi e canali" in set(read_table(th, "it")["Tema"])
        store.reset_theme_edits("pain_point")
        assert "price" in set(_pain(store).table["theme"])


def test_themes_withheld_under_the_comment_threshold(store):
    th = _pain(store, View(comment_k=10_000).rules)
    assert th.suppressed and th.table.empty and th.quotes.empty


def test_a_move_is_said_only_when_its_test_carries_it(store):
    th = _pain(store)
    text = moves_text(th, "it")
    assert (text != "") == bool(th.table["significant"].fillna(False).any())
    assert np.isfinite(th.table["change"]).all()


def test_no_move_over_a_wave_with_too_few_answers():
    rows = _tally([("Prezzi alti", 2026, "a", 3), ("Prezzi alti", 2027, "b", 20)])
    themes = {"Prezzi alti": frozenset({"price"})}
    hits = flags(rows, themes, ("price",))
    assert theme_moves(rows, hits, ("price",), min_base=5).empty
    assert not theme_moves(rows, hits, ("price",), min_base=3).empty


CLUB_COMMENTS = ("Più eventi sul territorio", "Eventi troppo lontani", "Prezzi della quota alti",
                 "Vorrei più formazione pratica", "Ottimo networking")


def load_with_comments(store: Store, tmp_path, wave: int = 2027, n: int = 30):
    """Load `n` answers of `wave` with a column no question matches: the Club's comments
    (kept with the upload as `upload_extras`)."""
    from cx.ingest.commit import ingest
    from cx.ingest.upload import Upload
    from tests import survey_exports as se

    frame = se.answers(n, wave)
    frame["commento_club"] = [CLUB_COMMENTS[i % 5] for i in range(len(frame))]
    frame["punteggio_extra"] = list(range(len(frame)))  # numbers: no free text
    path = tmp_path / "commenti.csv"
    frame.to_csv(path, index=False)
    assert ingest(store, Upload(path, path.name)).status == "committed"


def test_free_text_uploaded_beside_the_questions_gets_its_themes(empty, tmp_path):
    load_with_comments(empty, tmp_path)
    assert empty.extra_text_columns() == ["commento_club"]
    counts = empty.extra_tally("commento_club", ALL)
    assert int(counts["n"].sum()) == 30
    th = analyse("extra:commento_club", counts.rename(columns={"answer": "extra:commento_club"}),
                 RULES)
    table = th.table.set_index("theme")["count"].to_dict()
    # 12 mention events (a theme found in the answers), 6 the fee, 6 training; 6 nothing
    assert table == {"lemma:evento": 12, "price": 6, "training": 6}
    # named by the lemma beside «evento» in half its answers: «lontano» and «territorio» tie,
    # the first in alphabetical order wins
    assert th.emergent == {"lemma:evento": ("evento", "lontano")} and th.uncovered_count == 6
    with pytest.raises(Exception, match="analysts only"):
        empty.extra_tally("commento_club", ALL.__class__(published=True))


def test_a_visitor_s_themes_rest_on_sets_the_disclosure_auditor_checks(store):
    """Themes read a question's answers as its words and answers do: for a visitor, over the
    published table, on bases (the filter's answers, each wave's) that the auditor records."""
    from dataclasses import replace

    from cx.privacy import admit, attach, current_release
    from cx.privacy.audit import visitor_figures

    attach(store, 5, 8)
    found = current_release(store)
    audited = {len(f.members) for f in visitor_figures(found, ["pain_point"])}
    for sector in (None, found.publication.options("sector")[0]):
        chosen = ALL if sector is None else replace(ALL, sectors=(sector,))
        rules = View(admit(chosen, found.publication).filters).rules
        assert rules.filters.published
        counts = store.tally(("pain_point", "wave", "company"), replace(rules.filters, wave=None))
        th = analyse("pain_point", counts, rules)
        assert th.n in audited
        if th.waves is not None:
            assert {int(th.table["n_before"].iloc[0]), int(th.table["n_after"].iloc[0])} <= audited


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_themes_chart_validates_and_renders(store, lang):
    from cx.charts.export import to_png, to_svg
    from cx.charts.themes import themes_chart
    from cx.charts.titles import Titles
    from cx.themes.labels import chart_table

    th = _pain(store)
    table = chart_table(th, lang)
    chart = themes_chart(table, Titles("Temi", f"n = {th.n}", lang))
    spec = chart.to_dict(validate=True)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule", "text"]
    drawn = spec["datasets"][next(iter(spec["datasets"]))]
    assert [row["count"] for row in drawn] == list(th.table["count"])
    assert to_png(chart).startswith(b"\x89PNG") and b"<svg" in to_svg(chart)


def test_an_analyst_s_name_is_kept_to_plain_text():
    rows = [{"theme": "price", "action": "rename", "target": None,
             "label_it": "  Prezzi **alti** <b>[link](x)</b> ", "label_en": ""},
            {"theme": "price", "action": "delete", "target": None, "label_it": "x",
             "label_en": "y"}]
    assert edits_of(rows) == (Edit("price", "rename", None, "Prezzi alti b link (x) /b", None),)
