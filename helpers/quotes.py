"""Numbers written in quotes, in digits ("2,500") or in words ("forty-three"): does a quote state its figure's value?"""

from __future__ import annotations

import re

import pandas as pd

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD = "|".join(sorted([*WORD_VALUES, *_SCALES], key=len, reverse=True))
NUMBER_PATTERN = re.compile(
    # digits: "2,500" (thousands separated) or "2500" / "2.5", not part of a longer number
    rf"(?P<digits>(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?![\d,])|(?<![\d.,])\d+(?:\.\d+)?(?![\d]))"
    # words: "seventy-two", "one hundred and five"
    rf"|(?P<words>\b(?:{_WORD})(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)(?:{_WORD}))*\b)",
    re.IGNORECASE,
)


def words_to_number(words: str) -> int:
    """'forty-three' -> 43, 'one hundred and five' -> 105, 'six' -> 6."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and" or not word:
            continue
        if word in WORD_VALUES:
            current += WORD_VALUES[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return total + current


def numbers_in(text: str) -> list[float]:
    """Every number stated in a text: 'killed 37 and injured forty-three' -> [37.0, 43.0]."""
    found = NUMBER_PATTERN.finditer(text)
    return [float(m["digits"].replace(",", "")) if m["digits"] else float(words_to_number(m["words"])) for m in found]


def quote_states_value(quotes: pd.Series, values: pd.Series) -> pd.Series:
    """True where the quote states the value in digits or words (an age such as 'eight-year-old' states eight, not one person)."""
    values = values.reindex(quotes.index).astype(float)
    # Quotes repeat (one quote can carry several figures): each distinct one is read once.
    read = {quote: set(numbers_in(quote)) for quote in quotes.unique()}
    return pd.Series([value in read[quote] for quote, value in zip(quotes, values)], index=quotes.index, dtype=bool)
