"""Bounds arithmetic: the qualifier of every figure carried through sums, remainders and comparisons."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers import bounds


def as_values_of(values, qualifiers):
    """Figures given as values and qualifiers, through bounds and back."""
    return bounds.as_values(bounds.bounds(pd.Series(values, dtype=float), pd.Series(qualifiers)))


def test_bounds_round_trip_every_qualifier():
    seen = as_values_of([5, 5, 5, 5, 5, np.nan], ["exact", "at_least", "more_than", "approx", "at_most", "vague"])
    assert seen["qualifier"].tolist() == ["exact", "at_least", "more_than", "approx", "at_most", "vague"]
    assert seen["value"].tolist()[:5] == [5, 5, 5, 5, 5] and math.isnan(seen["value"].iloc[5])


def test_remainder_of_bounds():
    def rest(whole, part):
        w = bounds.bounds(pd.Series([whole[0]], dtype=float), pd.Series([whole[1]]))
        p = bounds.bounds(pd.Series([part[0]], dtype=float), pd.Series([part[1]]))
        out = bounds.as_values(bounds.subtract(w, p)).iloc[0]
        return out["value"], out["qualifier"]

    assert rest((72, "exact"), (21, "exact")) == (51, "exact")
    assert rest((72, "at_least"), (21, "exact")) == (51, "at_least")
    assert rest((72, "exact"), (21, "at_least")) == (51, "at_most")  # more in the part leaves less for the rest
    assert rest((72, "exact"), (np.nan, "vague")) == (72, "at_most")
    assert rest((72, "more_than"), (21, "exact")) == (51, "more_than")
    value, qualifier = rest((72, "at_least"), (21, "at_least"))
    assert qualifier == "vague" and math.isnan(value)
    # A part larger than its whole leaves no number, never a negative one ("at most -3").
    for part in ((75, "exact"), (75, "at_least"), (75, "more_than")):
        value, qualifier = rest((72, "exact"), part)
        assert qualifier == "contradictory" and math.isnan(value), part


def test_compare_statuses():
    def status(left, right, relation):
        left_bounds = bounds.bounds(pd.Series([left[0]], dtype=float), pd.Series([left[1]]))
        right_bounds = bounds.bounds(pd.Series([right[0]], dtype=float), pd.Series([right[1]]))
        return bounds.compare(left_bounds, right_bounds, relation).iloc[0]

    assert status((146, "exact"), (6000, "more_than"), "≤") == "passed"
    assert status((7000, "exact"), (6000, "exact"), "≤") == "failed"
    assert status((146, "at_least"), (6000, "more_than"), "≤") == "cannot tell"
    assert status((17, "exact"), (17, "exact"), "=") == "passed"
    assert status((18, "exact"), (17, "exact"), "=") == "failed"
    assert status((17, "at_least"), (17, "exact"), "=") == "cannot tell"
    assert status((6000, "more_than"), (6000, "exact"), "≤") == "failed"


def test_divide_keeps_the_hedge_and_refuses_zero():
    def ratio(top, bottom):
        shown = bounds.as_values(
            bounds.divide(
                bounds.bounds(pd.Series([top[0]], dtype=float), pd.Series([top[1]])),
                bounds.bounds(pd.Series([bottom[0]], dtype=float), pd.Series([bottom[1]])),
            )
        ).iloc[0]
        return shown["value"], shown["qualifier"]

    assert ratio((146, "exact"), (6000, "more_than")) == (146 / 6000, "at_most")
    assert ratio((146, "at_least"), (6000, "exact")) == (146 / 6000, "at_least")
    value, qualifier = ratio((146, "at_least"), (6000, "more_than"))
    assert qualifier == "vague" and math.isnan(value)
    value, qualifier = ratio((5, "exact"), (0, "exact"))
    assert qualifier == "vague" and math.isnan(value)
