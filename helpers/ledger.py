"""The ledger: every source's value for the same subject, side by side, and whether they agree.

A subject is what a figure counts and of what: measure, scope, side (for a
strike, the strike is enough), strike, subset, and, for analysed strikes,
the study whose selection of strikes it is (the original at the end of the
source's `cites` chain), so that one study's analysed strikes are compared
with copies of the same study, never with another study's selection.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bounds import with_bounds
from .study import Study, parse_measures

SUBJECT_KEY = ["measure", "scope", "subject_side", "strike_id", "subset", "study"]
LEDGER_COLUMNS = [
    "subject_id",
    "n_sources",
    "n_originals",
    "low",
    "high",
    "hedged",
    "hedges_differ",
    "agreement",
    "figure_ids",
    *SUBJECT_KEY,
]


def original_of(sources: pd.DataFrame) -> pd.Series:
    """For each source_id, the original at the end of its cites chain (itself when it cites none)."""
    parent = sources.set_index("source_id")["cites"]
    original = pd.Series(parent.index, index=parent.index)
    for _ in range(len(parent)):  # one step up the chain per pass, over all sources at once
        up = parent.reindex(original.to_numpy()).fillna("").to_numpy()
        moving = up != ""
        if not moving.any():
            break
        original[moving] = up[moving]
    return original


def ledger_entries(study: Study, measures: list[str] | None = None, subject: str = "") -> pd.DataFrame:
    """Every figure with its subject: who says what about which subject.

    Filtered by measures (empty: all) and by subject: a case-insensitive
    piece of the strike's id or either of its place names (empty: all).
    subject_id numbers the subjects.
    """
    dataset = study.dataset
    entries = dataset.figures
    if measures:
        entries = entries[entries["measure"].isin(measures)]
    entries = entries.copy()
    entries["original"] = entries["source_id"].map(original_of(dataset.sources))
    entries["study"] = entries["original"].where(entries["scope"] == "analysed_strikes", "")
    entries["subject_side"] = entries["side"].where(entries["scope"] != "strike", "")
    entries["original_kind"] = entries["original"].map(dataset.sources.set_index("source_id")["kind"])
    entries["subject_id"] = entries.groupby(SUBJECT_KEY, sort=False).ngroup()
    if subject:
        strikes = study.strikes
        names = entries["strike_id"] + " " + entries["strike_id"].map(strikes["place"] + " " + strikes["place_other_name"]).fillna("")
        entries = entries[names.str.contains(subject, case=False, regex=False) & (entries["strike_id"] != "")]
    return entries.reset_index(drop=True)


def ledger(entries: pd.DataFrame, min_sources: int = 1) -> pd.DataFrame:
    """Per subject: how many sources and originals, the lowest and highest value stated, and whether they agree.

    agreement is 'one source'; 'no number' (only vague figures); 'agree'
    (same value, same hedge); 'hedges differ' (one value, worded with
    different qualifiers); 'compatible' (different numbers that can all be
    true, such as two lower bounds); or 'disagree' (no single number fits
    every source).
    """
    if entries.empty:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    order = with_bounds(entries).sort_values(["subject_id", "value", "source_id"], na_position="last", kind="stable")
    order["not_exact"] = order["qualifier"] != "exact"
    table = order.groupby("subject_id", sort=False).agg(
        n_sources=("source_id", "nunique"),
        n_originals=("original", "nunique"),
        low=("value", "min"),
        high=("value", "max"),
        distinct_values=("value", "nunique"),
        distinct_qualifiers=("qualifier", "nunique"),
        numbers=("value", "count"),
        n_figures=("figure_id", "size"),
        floor=("low", "max"),
        ceiling=("high", "min"),
        hedged=("not_exact", "any"),
        figure_ids=("figure_id", tuple),
        **{column: (column, "first") for column in SUBJECT_KEY},
    )
    one_value = table["distinct_values"] == 1
    all_numbers = table["numbers"] == table["n_figures"]
    table["agreement"] = np.select(
        [
            table["n_sources"] == 1,
            table["numbers"] == 0,
            one_value & (table["distinct_qualifiers"] == 1) & all_numbers,
            one_value & all_numbers,
            table["floor"] <= table["ceiling"],
        ],
        ["one source", "no number", "agree", "hedges differ", "compatible"],
        "disagree",
    )
    table["hedges_differ"] = table["distinct_qualifiers"] > 1
    table = table.reset_index()
    return table.loc[table["n_sources"] >= min_sources, LEDGER_COLUMNS].reset_index(drop=True)


DIFFERENCES = ("disagree", "hedges differ", "compatible")


def source_disagreements(study: Study) -> pd.DataFrame:
    """Ledger rows for the subjects the study's source gives figures on, where other sources say otherwise."""
    entries = ledger_entries(study)
    mine = entries.loc[entries["source_id"] == study.source_id, "subject_id"]
    table = ledger(entries[entries["subject_id"].isin(mine)], min_sources=2)
    return table[table["agreement"].isin(DIFFERENCES)].reset_index(drop=True)


def compared(study: Study, measures: str = "", subject: str = "", min_sources: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ledger a notebook shows: entries and per-subject table, for the subjects the study's source gives
    figures on (no source: every subject), the measures listed (empty: all), subjects matching `subject`,
    and at least min_sources sources per subject. The parameters were checked by study.prepare."""
    entries = ledger_entries(study, parse_measures(measures) or None, subject)
    if study.source_id:
        entries = entries[entries["subject_id"].isin(entries.loc[entries["source_id"] == study.source_id, "subject_id"])]
    table = ledger(entries, min_sources)
    return entries[entries["subject_id"].isin(table["subject_id"])].reset_index(drop=True), table
