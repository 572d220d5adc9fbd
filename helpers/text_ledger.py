"""The ledger in words: what a subject is, who says what with its date, the range, the verdict, the balance of sources.

Every function returns text in which data is escaped (text.escape_markdown) where it goes into Markdown.
"""

from __future__ import annotations

import pandas as pd

from .labels import (
    ALIGNMENT_LABELS,
    DOCUMENT_WORDS,
    NO_NUMBER,
    format_date,
    format_value,
    format_values,
    measure_label,
    place_label,
    plural,
    side_label,
    strike_label,
)
from .study import LOSS_MEASURES
from .text import escape_markdown as _md

# ---------------------------------------------------------------------------
# The ledger in words


AGREEMENT_WORDS = {
    "agree": "agree",
    "hedges differ": "give one number but word it differently",
    "compatible": "give different numbers that could all be true (bounds, or a vague word)",
    "disagree": "disagree: no single number fits every source",
    "no number": "give no number",
    "one source": "come from one source only",
    "running count": "are one body's counts on different dates: a running count, not a disagreement",
}


def subject_label(subject: pd.Series | dict, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """What a ledger subject is about: 'Northtown, 2 March 2024', 'analysed strikes (study: An NGO), by Armenian forces'."""
    publishers = sources.set_index("source_id")["publisher"]
    if subject["scope"] == "strike":
        strike = strikes.loc[subject["strike_id"]]
        label = (
            strike_label(strike) if not pd.isna(strike["date"]) else place_label(strike["place"], strike["place_other_name"]) + " (group)"
        )
    elif subject["scope"] == "analysed_strikes":
        label = (
            f"analysed strikes (study: {publishers.get(subject['study'], subject['study'])})" if subject["study"] else "analysed strikes"
        )
    else:
        label = "whole conflict"
    side = subject["subject_side"]
    if side == "both":
        label += ", both sides"
    elif side in ("armenian_forces", "azerbaijani_forces"):
        losses = subject["measure"] in LOSS_MEASURES
        label += f", {side_label(side)}' losses" if losses else f", by {side_label(side)}"
    if subject["subset"]:
        label += f" — only {subject['subset'].replace('_', ' ')}"
    return label


def range_text(subject: pd.Series | dict) -> str:
    """'13 – 19', '37', '18, and a vague word meaning 24 or more', or 'no number given'."""
    floor = subject.get("vague_floor", float("nan"))
    vague = "" if pd.isna(floor) else f"a vague word meaning {format_value(floor, 'exact')} or more"
    if pd.isna(subject["low"]):
        return vague or NO_NUMBER
    low, high = format_value(subject["low"], "exact"), format_value(subject["high"], "exact")
    numbers = low if low == high else f"{low} – {high}"
    return f"{numbers}, and {vague}" if vague else numbers


def citing(entries: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Per entry, whom the text credits the number to: '' when the publication itself, 'citing X',
    'citing its own report' (X is its own publisher), or 'credited to no one'."""
    publishers = sources.set_index("source_id")["publisher"]
    kinds = sources.set_index("source_id")["kind"]
    credited = entries["credited"]
    named = "citing " + credited.map(publishers).fillna("")
    own_document = "citing its own " + credited.map(kinds).map(DOCUMENT_WORDS).fillna("original")
    text = named.where(credited.map(publishers) != entries["source_id"].map(publishers), own_document)
    text = text.where(credited != entries["source_id"], "")
    return text.where(credited != "unattributed", "credited to no one")


def as_stated(entries: pd.DataFrame) -> pd.Series:
    """Per entry, its value as stated, a vague word with the least it is read as: 'at least 37', 'dozens (24 or more)'."""
    stated = format_values(entries["value"], entries["qualifier"])
    word = entries["vague_word"] + " (" + format_values(entries["vague_floor"], pd.Series("exact", index=entries.index)) + " or more)"
    return stated.where(entries["vague_floor"].isna(), word)


def count_date(dated: str) -> str:
    """'2020-10-31' -> '31 October 2020'; '2021-01' -> 'January 2021'; '' -> ''."""
    if not dated:
        return ""
    if len(dated) == 7:
        return pd.Timestamp(dated + "-01").strftime("%B %Y")
    return format_date(pd.Timestamp(dated))


def who_says_what(entries: pd.DataFrame, subject_id: int, sources: pd.DataFrame) -> str:
    """'13 (A Daily, citing An NGO, 2 March 2024); at least 14 (…)', lowest value first, each with its date where known."""
    mine = entries[entries["subject_id"] == subject_id].sort_values(["value", "source_id"], na_position="last")
    publishers = sources.set_index("source_id")["publisher"]
    cites = citing(mine, sources)
    dates = mine["dated"].map(count_date)
    who = mine["source_id"].map(publishers) + cites.where(cites == "", ", " + cites) + dates.where(dates == "", ", " + dates)
    return "; ".join(as_stated(mine) + " (" + who + ")")


def describe_ledger(table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """What the comparison across sources shows, generated from the ledger."""
    if table.empty:
        return "No subject has figures from more than one source in the chosen selection."
    counts = table["agreement"].value_counts()
    lines = [
        f"In the chosen selection, {plural(len(table), 'subject')} {'has' if len(table) == 1 else 'have'} figures from more than one source. On "
        + "; on ".join(f"{plural(counts[a], 'subject')} the sources {AGREEMENT_WORDS[a]}" for a in AGREEMENT_WORDS if counts.get(a, 0))
        + "."
    ]
    disputed = table[table["agreement"] == "disagree"].copy()
    if len(disputed):
        disputed["spread"] = (disputed["high"] - disputed["low"]) / disputed["high"].where(disputed["high"] > 0)
        widest = disputed.sort_values(["spread", "subject_id"], ascending=[False, True]).iloc[0]
        lines.append(
            f"The widest disagreement, relative to its size: {_md(subject_label(widest, sources, strikes))}, {_md(measure_label(widest['measure']))}, "
            f"reported as {_md(range_text(widest))} by {plural(widest['n_sources'], 'source')} going back to {plural(widest['n_originals'], 'original')}."
        )
    hedges = table[table["hedges_differ"]]
    if len(hedges):
        lines.append(
            "Sources word the same number differently for "
            + "; ".join(f"{_md(subject_label(r, sources, strikes))} ({_md(measure_label(r['measure']))})" for _, r in hedges.iterrows())
            + ": a hedge such as “at least” dropped in one copy is a change of meaning, not of number."
        )
    copies = table[table["n_sources"] > table["n_originals"]]
    if len(copies):
        lines.append(
            f"For {plural(len(copies), 'subject')}, some sources are copies of the same original: agreement between copies is one account repeated, not independent confirmation."
        )
    return "\n\n".join(lines)


def _alignment_part(row: pd.Series) -> str:
    """One alignment's share of the figures: 'bodies aligned with X: 26 figures (from 10 bodies, read in 13 publications; …)'."""
    where = f"{format_value(row['on_single_strikes'], 'exact')} on single strikes, {format_value(row['on_groups'], 'exact')} on groups of strikes"
    return (
        f"bodies {ALIGNMENT_LABELS.get(row['alignment'], row['alignment'])}: {plural(row['figures'], 'figure')} "
        f"(from {plural(row['bodies'], 'body', 'bodies')}, read in {plural(row['publications'], 'publication')}; {where})"
    )


def describe_balance(table: pd.DataFrame) -> str:
    """Figures per alignment of the body credited (ledger.balance), in one sentence."""
    parts = "; ".join(_alignment_part(row) for _, row in table.iterrows()) or "none"
    return _md(
        "Who the figures come from, by the alignment of the body each is credited to (for a figure credited to no one, "
        f"the publication it was read in): {parts}."
    )
