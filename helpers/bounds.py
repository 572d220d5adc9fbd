"""Bounds arithmetic: a figure becomes bounds on the true number, computed on through sums, remainders and shares, then turned back into
a value and a qualifier, so that "more than" is never lost and an exact total less a lower bound becomes an upper bound ("at most").
A bounds frame has columns low, high (may be inf), strict (the low end excluded: "more than") and approx (about that number)."""

from __future__ import annotations

import numpy as np
import pandas as pd

BOUND_COLUMNS = ["low", "high", "strict", "approx"]
# Qualifiers under which the true number may be higher than the value stated.
LOWER_BOUNDS = ("at_least", "more_than")
UNKNOWN = {"low": 0.0, "high": np.inf, "strict": False, "approx": False}
NOTHING = {"low": 0.0, "high": 0.0, "strict": False, "approx": False}
# What a remainder of contradictory figures is (a total below the sum of its parts): no number, never a negative one.
CONTRADICTORY = "contradictory"


def bounds(values: pd.Series, qualifiers: pd.Series) -> pd.DataFrame:
    """The range each figure allows: exact v is [v, v]; at least v is [v, ∞); at most v is [0, v]; vague is [0, ∞)."""
    values = pd.Series(values, dtype=float)
    qualifiers = pd.Series(qualifiers, index=values.index, dtype=object)
    known = values.notna() & (qualifiers != "vague")
    low = values.where(known & (qualifiers != "at_most"), 0.0)
    high = values.where(known & ~qualifiers.isin(LOWER_BOUNDS), np.inf)
    return pd.DataFrame({"low": low, "high": high, "strict": qualifiers == "more_than", "approx": qualifiers == "approx"})


def with_bounds(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures (value, qualifier) with their bounds as extra columns."""
    return pd.concat([figures, bounds(figures["value"], figures["qualifier"])], axis=1)


def filled(frame: pd.DataFrame, missing: dict = UNKNOWN) -> pd.DataFrame:
    """Bounds with rows that were missing (NaN after a reindex) set to `missing`: unknown by default."""
    return frame[BOUND_COLUMNS].fillna(missing).astype({"strict": bool, "approx": bool})


def add(*parts: pd.DataFrame) -> pd.DataFrame:
    """Sum of aligned bounds."""
    total = parts[0][BOUND_COLUMNS].copy()
    for part in parts[1:]:
        total["low"] += part["low"]
        total["high"] += part["high"]
        total["strict"] |= part["strict"]
        total["approx"] |= part["approx"]
    return total


def sum_by(frame: pd.DataFrame, key) -> pd.DataFrame:
    """Bounds summed within groups."""
    return frame[BOUND_COLUMNS].groupby(key).agg({"low": "sum", "high": "sum", "strict": "any", "approx": "any"})


def subtract(whole: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """What is left of whole once part is taken away: never below zero; a part larger than the whole leaves high < low (contradictory)."""
    low = (whole["low"] - part["high"]).clip(lower=0.0).where(np.isfinite(part["high"]), 0.0)
    strict = whole["strict"] & (part["low"] == part["high"])
    return pd.DataFrame({"low": low, "high": whole["high"] - part["low"], "strict": strict, "approx": whole["approx"] | part["approx"]})


def divide(numerator: pd.DataFrame, denominator: pd.DataFrame) -> pd.DataFrame:
    """The ratio's bounds; undefined (NaN) where the denominator is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        low = (numerator["low"] / denominator["high"]).where(np.isfinite(denominator["high"]), 0.0)
        high = (numerator["high"] / denominator["low"]).where(denominator["low"] > 0, np.inf)
    zero = denominator["high"] == 0
    strict, approx = numerator["strict"] & (denominator["low"] == denominator["high"]), numerator["approx"] | denominator["approx"]
    return pd.DataFrame({"low": low.mask(zero), "high": high.mask(zero), "strict": strict, "approx": approx})


def as_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Bounds back to what a reader sees: value and qualifier (exact, at_least, more_than, at_most, approx, vague, or contradictory:
    bounds that exclude each other, left by a part larger than its whole, have no value)."""
    low, high = frame["low"], frame["high"]
    point = low == high
    open_top = np.isinf(high) & ((low > 0) | frame["strict"])
    open_bottom = ~np.isinf(high) & (low == 0) & ~point
    value = low.where(point | open_top, high.where(open_bottom))
    qualifier = pd.Series("vague", index=frame.index, dtype=object)
    qualifier[open_bottom] = "at_most"
    qualifier[open_top] = np.where(frame.loc[open_top, "strict"], "more_than", "at_least")
    qualifier[point] = "exact"
    # "About" describes a number, not a bound: an approximate figure within an open range stays a bound.
    qualifier[point & frame["approx"]] = "approx"
    qualifier[value.isna()] = "vague"
    contradictory = high < low
    value[contradictory] = np.nan
    qualifier[contradictory] = CONTRADICTORY
    return pd.DataFrame({"value": value, "qualifier": qualifier})


def put_values(frame: pd.DataFrame, name: str, bound: pd.DataFrame) -> None:
    """Add bounds to frame as two columns: name (the value) and name_qualifier."""
    seen = as_values(bound)
    frame[name] = seen["value"].to_numpy()
    frame[f"{name}_qualifier"] = seen["qualifier"].to_numpy()


def compare(left: pd.DataFrame, right: pd.DataFrame, relation: str) -> pd.Series:
    """'passed' where the relation must hold, 'failed' where it cannot, 'cannot tell' otherwise."""
    if relation == "≤":
        passed = left["high"] <= right["low"]
        failed = (left["low"] > right["high"]) | ((left["low"] == right["high"]) & left["strict"] & np.isfinite(right["high"]))
    elif relation == "=":
        passed = (left["low"] == left["high"]) & (right["low"] == right["high"]) & (left["low"] == right["low"])
        failed = (left["low"] > right["high"]) | (right["low"] > left["high"])
    else:
        raise ValueError(f"unknown relation {relation!r}")
    status = pd.Series("cannot tell", index=left.index, dtype=object)
    status[failed] = "failed"
    status[passed] = "passed"
    return status
