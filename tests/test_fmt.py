"""Numbers as Italian and English readers expect them."""

import pytest

from cx import fmt


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (1234.5, "it", "1.235"), (1234.5, "en", "1,235"), (2.5, "it", "3"), (62.5, "en", "63"),
    (None, "it", "–"), (float("nan"), "en", "–"),
])
def test_number(value, lang, expected):
    assert fmt.number(value, lang) == expected


def test_decimals_and_signs():
    assert fmt.number(1234.56, "it", 1) == "1.234,6"
    assert fmt.percent(45.2, "it") == "45%"
    assert fmt.signed(23, "it") == "+23" and fmt.signed(-5, "it") == "−5" and fmt.signed(0.2) == "0"
    assert fmt.interval(-6.2, 11.4, "it", signed_values=True) == "[−6; +11]"


@pytest.mark.parametrize(("value", "expected"), [
    (51, "il 51%"), (80, "l'80%"), (89.4, "l'89%"), (8, "l'8%"), (11, "l'11%"), (1, "l'1%"),
    (18, "il 18%"), (100, "il 100%"),
])
def test_a_percentage_as_the_subject_of_an_italian_sentence(value, expected):
    assert fmt.percent_with_article(value, "it") == expected


def test_capital_article_and_english():
    assert fmt.percent_with_article(80, "it", capital=True) == "L'80%"
    assert fmt.percent_with_article(53, "it", capital=True) == "Il 53%"
    assert fmt.percent_with_article(80, "en") == "80%"


@pytest.mark.parametrize(("n_bytes", "it", "en"), [
    (300, "1 kB", "1 kB"), (35_000, "34 kB", "34 kB"), (3_558_305, "3,4 MB", "3.4 MB"),
    (356_467_687, "340 MB", "340 MB"),  # 339.96 MiB: no decimals from 100 MB up
])
def test_file_sizes(n_bytes, it, en):
    assert (fmt.file_size(n_bytes, "it"), fmt.file_size(n_bytes, "en")) == (it, en)
