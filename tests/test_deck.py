"""The stage storyline (cx.deck) on the sample: the slides in order, each message checked against
numbers computed here by hand, the privacy rules, the PDF and the PowerPoint read back from their
bytes, and `python -m cx deck`."""

import dataclasses
import io
import shutil

import pypdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from cx import fmt
from cx.charts.scores import stage_chart
from cx.charts.titles import Titles
from cx.cli import main
from cx.cli.deck import K_MAX, K_MIN
from cx.deck import layout as lay
from cx.deck.closing import closing_slide, qr_png
from cx.deck.content import png_size
from cx.deck.data import StoreSource, deck_inputs
from cx.deck.pdf import deck_pdf
from cx.deck.personas import MAX_CARDS
from cx.deck.pptx import deck_pptx
from cx.deck.storyline import KEYS, build_deck
from cx.filters import ALL, Filters, describe_scope
from cx.journey import FUNNEL
from cx.personas import model as personas_model
from cx.questionnaire import MULTI_SEPARATOR, questionnaire
from cx.store import Store
from cx.view import View

K, COMMENT_K = 5, 8


@pytest.fixture(scope="module")
def deck_store(sample_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "cx.duckdb"
    shutil.copy(sample_db_template, path)
    with Store.open(path) as store:
        yield store


PUBLIC = "https://cx.club-cmmc.example/"


@pytest.fixture(scope="module")
def decks(deck_store):
    """The sample's deck in both languages (personas chosen automatically)."""
    source = StoreSource(deck_store)
    return {lang: build_deck(deck_inputs(source, View(ALL, lang, K, COMMENT_K),
                                         public_url=PUBLIC), lang)
            for lang in ("it", "en")}


@pytest.fixture(scope="module")
def names(deck_store) -> list[str]:
    return sorted(set(deck_store.query("access_codes")["company"]))


def _slide(deck, key):
    return next(s for s in deck.slides if s.key == key)


def test_scope_names_the_waves_and_filters():
    qn = questionnaire()
    assert describe_scope(ALL, qn, "it", (2025, 2026)) == "Ondate 2025–2026"
    assert describe_scope(Filters(wave=2026), qn, "en", (2025, 2026)) == "Wave 2026"
    assert describe_scope(Filters(sectors=("finance",)), qn, "it", (2026,)) == \
        "Ondata 2026 · Banche e assicurazioni"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_storyline_in_order_with_a_message_and_a_note_per_slide(decks, lang):
    deck = decks[lang]
    assert tuple(s.key for s in deck.slides) == KEYS
    assert len({s.title for s in deck.slides}) == len(KEYS)
    for slide in deck.slides:
        for text in (slide.title, slide.message, slide.note):
            assert text.strip() and "{" not in text, (slide.key, text)
    # the sample is 2025–2026: the slides of the 2027 questions say they were not surveyed
    assert [s.key for s in deck.slides if s.figure] == ["stages", "journey", "touchpoints",
                                                        "pyramid", "pillars", "indicators",
                                                        "big_data"]
    for key in ("real", "listening"):
        assert "2027" in _slide(deck, key).message and not _slide(deck, key).figure
    assert len(_slide(deck, "numbers").tiles) == 6
    assert _slide(deck, "closing").link == PUBLIC  # an address the audience can reach


def test_the_closing_slide_says_what_its_code_opens(deck_store, monkeypatch):
    """The follow-along page shows the slides and a button to the app; the app is the app."""
    inputs = deck_inputs(StoreSource(deck_store), View(ALL, "it", K, COMMENT_K),
                         public_url=PUBLIC)
    follow = "https://cx.club-cmmc.example/segui/"
    monkeypatch.setenv("CX_FOLLOW_URL", follow)
    to_app = closing_slide(inputs, "it")
    to_slides = closing_slide(dataclasses.replace(inputs, public_url=follow), "it")
    assert to_app.link == PUBLIC and "slide" not in to_app.message
    assert to_slides.link == follow and "rivedere queste slide sul telefono" in to_slides.message
    english = closing_slide(dataclasses.replace(inputs, public_url=follow), "en").message
    assert english.startswith("Scan the code to see these slides on your phone")


def test_the_stage_message_adds_the_bars_it_stands_beside(decks, deck_store):
    """The sample has «Gestita» 24.6% and «Ottimizzata» 7.6%: bars rounded on their own would
    read 25% + 8% beside «il 32%»; rounded by largest remainder they read 25% + 7%."""
    stages = deck_store.responses(["maturity_stage"])["maturity_stage"].dropna()
    share = stages.value_counts(normalize=True) * 100
    slide = _slide(decks["it"], "stages")
    bars = slide.figure.args[0].set_index("stage")["shown"]
    assert bars.sum() == 100 and ((bars - share.reindex(bars.index, fill_value=0)).abs() < 1).all()
    advanced = bars[["gestita", "ottimizzata"]].sum()
    early = bars[["iniziale", "in_sviluppo"]].sum()
    assert advanced == round(share["gestita"] + share["ottimizzata"])
    assert slide.message.startswith(
        f"{fmt.percent_with_article(advanced, 'it', True)} dei rispondenti")
    assert f"{fmt.percent_with_article(early, 'it')} è ancora «Iniziale» o «In sviluppo»" \
        in slide.message
    assert f"{fmt.percent(advanced)} of respondents" in _slide(decks["en"], "stages").message
    chart = stage_chart(slide.figure.args[0], {s: s for s in bars.index}, Titles("t", "s", "it"))
    labels = chart.to_dict()["layer"][1]["encoding"]["text"]
    assert labels["field"] == "shown_share"


def test_the_journey_message_counts_those_who_draw_and_those_who_check(decks, deck_store):
    """Each share over those who answered: the first as Panoramica's «Journey ideale»."""
    (map_q, drawn), (checks_q, checked) = FUNNEL[0], FUNNEL[1]
    answers = deck_store.responses([q for q, _ in FUNNEL])
    draws = answers[map_q].dropna().isin(drawn)
    both = answers[[map_q, checks_q]].dropna()
    checks = both[map_q].isin(drawn) & both[checks_q].isin(checked)
    message = _slide(decks["it"], "journey").message
    assert f"{fmt.percent(draws.mean() * 100)} disegna il Customer Journey ideale" in message
    assert f"solo {fmt.percent_with_article(checks.mean() * 100, 'it')} lo verifica" in message


def test_the_pillars_message_calls_the_samples_tie_a_tie(decks, deck_store):
    from cx.score_columns import PILLAR_COLUMNS

    scores = deck_store.responses(list(PILLAR_COLUMNS))
    means = scores[list(PILLAR_COLUMNS)].mean()
    slide = _slide(decks["en"], "pillars")
    message, note = slide.message, slide.note
    # Personalisation leads Integrity 55.6 to 55.4 (paired p = 0.77): a shared lead
    assert "strongest" not in message and message.startswith("Sharing the lead:")
    assert "“Personalisation”" in message and "“Integrity”" in message
    # Expectations trails every other pillar beyond chance: named on the slide, its distance
    # with the interval in the speaker's notes
    low = means.idxmin()
    assert low == "pillar_expectations"
    assert message.endswith("the weakest is “Expectations”.")
    assert f"the weakest is “Expectations” ({fmt.number(means.min())})" in note
    second = means.drop(low).idxmin()
    gap = (scores[second] - scores[low]).mean()
    assert f"{fmt.number(gap, 'en', 1)} points below “Resolution”" in note
    italian = _slide(decks["it"], "pillars")
    assert italian.message.startswith("In testa a pari merito:")
    assert "sono in testa a pari merito" in italian.note and "più forte" not in italian.message


def test_the_pyramid_message_says_the_foundations_hold_with_the_top_to_build(decks):
    message = _slide(decks["it"], "pyramid").message
    assert message.startswith("Le basi tengono:")
    assert message.endswith("L'emozione è il gradino da costruire.")


def test_the_indicators_message_leads_with_the_most_used(decks, deck_store):
    answers = deck_store.responses(["cx_indicators"])["cx_indicators"].dropna()
    ticked = answers.str.split(MULTI_SEPARATOR).explode().value_counts() / len(answers) * 100
    top = ticked.drop("none").max()
    message = _slide(decks["it"], "indicators").message
    assert f"{fmt.percent_with_article(top, 'it')} dei rispondenti" in message
    assert f"{fmt.percent_with_article(ticked['none'], 'it')} non usa alcun indicatore" in message


def _indicators(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["cx_indicators", "n"])


def test_an_indicator_leads_alone_only_when_paired_tests_say_so():
    import numpy as np
    from scipy import stats

    from cx.deck.journey import lead_text as _lead
    from cx.journey import option_standing

    q = questionnaire()["cx_indicators"]
    rows = [("nps|csat", 100), ("nps", 80), ("csat", 20), ("csi", 10), ("none", 30)]
    standing = option_standing(q, _indicators(rows))
    assert standing.leader == "nps" and standing.lead.second == "csat"
    # each of the 240 respondents: NPS chosen or not, minus CSAT chosen or not
    diff = np.repeat([0.0, 1, -1, 0, 0], [100, 80, 20, 10, 30])
    ci = stats.ttest_1samp(diff, 0).confidence_interval()
    assert (standing.lead.interval.low, standing.lead.interval.high) == pytest.approx(
        (ci.low, ci.high))
    text = _lead(_shares(q, rows), standing, "it")
    assert text.startswith("NPS in testa: lo usa il 75% dei rispondenti, 25,0 punti "
                           "percentuali più di CSAT (IC 95% della differenza: da ")
    near = [("nps", 50), ("csat", 46), ("csi", 10)]
    close = option_standing(q, _indicators(near))
    assert close.leader is None and set(close.top) == {"nps", "csat"}
    assert _lead(_shares(q, near), close, "it") == (
        "NPS e CSAT in testa a pari merito, usati da una quota tra il 43% e il 47% dei "
        "rispondenti")


def _shares(q, rows):
    """The summary table the slide reads: code, label, count, share over the respondents."""
    from cx import results
    from cx.view import View

    s = results.summarise(q, _indicators(rows), View(k=1))
    return results.Labels(q, questionnaire(), "it").table(s.table).pipe(
        lambda t: t[~t["code"].isin(q.exclusive)])


def test_numbers_show_n_and_interval(decks):
    tiles = _slide(decks["it"], "numbers").tiles
    assert [t.value for t in tiles[:2]] == ["264", "200"]
    assert all("n = " in t.caption and "IC 95%" in t.caption for t in tiles[2:])


def test_too_few_respondents_stop_the_deck_on_its_title(deck_store):
    tiny = Filters(wave=2025, sectors=("health",), size_bands=("xlarge",),
                   regions=("sud_isole",))
    deck = build_deck(deck_inputs(StoreSource(deck_store), View(tiny, "it", K, COMMENT_K)), "it")
    assert [s.key for s in deck.slides] == ["title"]
    assert "meno dei 5 necessari" in deck.slides[0].message


@pytest.mark.parametrize(("k", "cards"), [(4, 4), (8, MAX_CARDS)])
def test_personas_as_set_in_the_link(deck_store, k, cards):
    inputs = deck_inputs(StoreSource(deck_store), View(ALL, "it", K, COMMENT_K), personas_k=k)
    deck = build_deck(inputs, "it")
    slide = _slide(deck, "personas")
    assert len(slide.cards) == cards
    assert slide.message.startswith(f"{k} Buyer Personas")
    assert bool(slide.more) == (k > MAX_CARDS)
    assert f"?personas={k}" in slide.note


def test_small_personas_show_no_details(deck_store):
    inputs = deck_inputs(StoreSource(deck_store), View(ALL, "it", 60, COMMENT_K), personas_k=5)
    deck = build_deck(inputs, "it")
    cards = _slide(deck, "personas").cards
    hidden = [c for c in cards if c.hidden]
    assert hidden and all(not c.scores and "Meno di 60" in c.traits[0] for c in hidden)


def test_the_command_line_limits_agree_with_the_model():
    assert (K_MIN, K_MAX) == (personas_model.K_MIN, personas_model.K_MAX)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_slide_fits_its_canvas(decks, lang):
    deck = decks[lang]
    for i, slide in enumerate(deck.slides):
        frame = lay.layout(slide, deck.position(i), deck.footer())
        assert len(frame.title.lines) <= 2 and len(frame.message.lines) <= 3, slide.key
        assert frame.body.bottom <= lay.FOOTER_Y and frame.footer.box.bottom <= lay.CANVAS_H
        if slide.key != "title":
            assert frame.body.h > 380, slide.key
        if slide.cards:
            boxes = lay.card_boxes(frame.body, len(slide.cards), bool(slide.more))
            style = lay.cards_style(slide.cards, boxes)
            for card, box in zip(slide.cards, boxes):
                area = lay.card_parts(card, box, style.name_size, style.name_lines).traits
                lines = sum(len(lay.wrap(t, style.trait_size, area.w)) for t in card.traits)
                assert lines * style.trait_size * lay.LEADING <= area.h


def test_qr_code_is_a_square_png():
    png = qr_png("https://cx.example.org/")
    width, height = png_size(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == height > 200


def _pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def pdf_it(decks) -> bytes:
    return deck_pdf(decks["it"])


@pytest.fixture(scope="module")
def pptx_en(decks) -> bytes:
    return deck_pptx(decks["en"])


def test_pdf_has_one_16_9_page_per_slide_with_its_title(decks, pdf_it):
    reader = pypdf.PdfReader(io.BytesIO(pdf_it))
    assert len(reader.pages) == len(decks["it"].slides)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((960, 540))
    for text, slide in zip(_pdf_pages(pdf_it), decks["it"].slides):
        flat = " ".join(text.split())
        assert slide.title in flat
        assert slide.message.split(",")[0] in flat


def test_pptx_has_one_slide_per_slide_with_title_message_and_notes(decks, pptx_en):
    prs = Presentation(io.BytesIO(pptx_en))
    deck = decks["en"]
    assert len(prs.slides) == len(deck.slides)
    assert prs.slide_width * 9 == prs.slide_height * 16
    for shown, slide in zip(prs.slides, deck.slides):
        assert shown.shapes.title.text_frame.text == slide.title
        texts = [s.text_frame.text for s in shown.shapes if s.has_text_frame]
        assert slide.message in texts
        assert shown.notes_slide.notes_text_frame.text == slide.note
        pictures = [s for s in shown.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (1 if slide.figure or slide.link else 0), slide.key


def _pptx_text(data: bytes) -> str:
    prs = Presentation(io.BytesIO(data))
    parts = []
    for slide in prs.slides:
        parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def test_no_company_is_named_anywhere_in_the_files(decks, pdf_it, pptx_en, names):
    texts = ["\n".join(_pdf_pages(pdf_it)), _pptx_text(pptx_en)]
    for deck in decks.values():
        for s in deck.slides:
            texts += [s.title, s.message, s.note, s.subtitle, s.more,
                      *(f"{c.name} {c.share} {c.traits}" for c in s.cards),
                      *(f"{t.label} {t.value} {t.caption}" for t in s.tiles)]
            if s.figure:
                texts.append(str(s.figure.build()))
    everything = "\n".join(texts)
    assert not [n for n in names if n in everything]


def test_command_line_writes_both_formats(sample_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CX_PUBLIC_URL", "https://cx.example.org/")
    pdf, pptx = tmp_path / "deck.pdf", tmp_path / "deck.pptx"
    assert main(["deck", "--db", str(sample_db), "--out", str(pdf), "--wave", "2026"]) == 0
    pages = _pdf_pages(pdf.read_bytes())
    assert len(pages) == len(KEYS) and "Ondata 2026" in pages[0]
    assert "https://cx.example.org/" in pages[-1]
    assert main(["deck", "--db", str(sample_db), "--out", str(pptx), "--lang", "en"]) == 0
    assert len(Presentation(str(pptx)).slides) == len(KEYS)
    assert f"{len(KEYS)} slides" in capsys.readouterr().err


def test_command_line_refuses_unknown_wave_and_bad_usage(sample_db, tmp_path, capsys):
    out = tmp_path / "deck.pdf"
    assert main(["deck", "--db", str(sample_db), "--out", str(out), "--wave", "2031"]) == 1
    assert not out.exists() and "2031" in capsys.readouterr().err
    for bad in (["--out", str(tmp_path / "deck.docx")], ["--out", str(out), "--personas", "9"]):
        with pytest.raises(SystemExit) as exit_:
            main(["deck", "--db", str(sample_db), *bad])
        assert exit_.value.code == 2
    assert not out.exists()


def test_under_the_threshold_the_file_holds_the_title_slide_only(sample_db, tmp_path,
                                                                 monkeypatch, capsys):
    monkeypatch.setenv("CX_PRIVACY_K", "1000")
    out = tmp_path / "deck.pptx"
    assert main(["deck", "--db", str(sample_db), "--out", str(out), "--lang", "en"]) == 0
    prs = Presentation(str(out))
    assert len(prs.slides) == 1
    assert "fewer than the 1000 needed" in capsys.readouterr().err


@pytest.fixture(scope="module")
def deck_2027(tmp_path_factory):
    from cx.config import SAMPLE_NEXT_CSV
    from cx.dataset import build_database

    path = tmp_path_factory.mktemp("deck2027") / "cx.duckdb"
    build_database(path, later=(SAMPLE_NEXT_CSV,)).close()
    with Store.open(path) as store:
        yield {lang: build_deck(deck_inputs(StoreSource(store), View(ALL, lang, K, COMMENT_K)),
                                lang) for lang in ("it", "en")}


def test_the_2027_slides_show_the_real_journey_and_listening(deck_2027):
    """With the 2027 wave the real journey per touchpoint and the listening practices have
    their chart; the message names the lowest and highest application as the chart sorts
    them, and a shared lead of listening practices is said as such."""
    real = _slide(deck_2027["it"], "real")
    table = real.figure.args[0]
    low, high = table.iloc[0], table.iloc[-1]
    assert f"da {fmt.number(low['value'])} su 100 ({low['label']})" in real.message
    assert f"a {fmt.number(high['value'])} su 100 ({high['label']})" in real.message
    assert (table["gap"].diff().dropna() <= 0).all(), "the largest gap first"
    listening = _slide(deck_2027["en"], "listening")
    assert listening.figure and ("leads" in listening.message or "lead" in listening.message)
    assert "Big Data" in _slide(deck_2027["en"], "big_data").title
    for deck in deck_2027.values():
        for slide in deck.slides:
            assert "{" not in slide.message + slide.note, slide.key
