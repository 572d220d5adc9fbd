"""Numbers in quotes, in digits or in words: does a quote state its figure's value?"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.quotes import numbers_in, quote_states_value, words_to_number


@pytest.mark.parametrize(
    "words, number",
    [
        ("eight", 8),
        ("seventy-two", 72),
        ("one hundred and forty-six", 146),
        ("six thousand", 6000),
        ("two thousand four hundred", 2400),
        ("Ten", 10),
        ("one hundred", 100),
    ],
)
def test_words_to_number(words, number):
    assert words_to_number(words) == number


@pytest.mark.parametrize(
    "quote, value, expected",
    [
        ("killed seventy-two civilians", 72, True),
        ("killed seventy-two civilians", 70, False),  # part of a longer number
        ("five hundred died", 5, False),
        ("five hundred died", 500, True),
        ("an eight-year-old girl", 8, True),  # an age, read as the number it is
        ("an eight-year-old girl", 1, False),
        ("Eight of those strikes", 8, True),
        ("killed 12 people", 1, False),
        ("more than 6,000 people", 6000, True),
        ("more than 6,000 people", 6, False),
        ("in 2020, 3 died", 3, True),
        ("one hundred forty-six", 146, True),  # not the usual spelling: read by the full reader
        ("twenty one dead", 21, True),
        ("twenty one dead", 20, False),
        ("killed 1 person", 1, True),
    ],
)
def test_quote_states_value(quote, value, expected):
    assert quote_states_value(pd.Series([quote]), pd.Series([float(value)])).tolist() == [expected]


def test_numbers_in_reads_digits_and_words_but_not_parts_of_other_numbers():
    texts = ["more than 6,000 people", "an eight-year-old girl", "12 missile strikes", "at 1:50 a.m.", "eight and nine"]
    assert [numbers_in(t) for t in texts] == [[6000.0], [8.0], [12.0], [1.0, 50.0], [8.0, 9.0]]
    assert numbers_in("reached one hundred and five, then 2.5") == [105.0, 2.5]
