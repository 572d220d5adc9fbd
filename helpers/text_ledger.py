"""The ledger in words: subjects, who says what and when, ranges, verdicts, the balance of sources (Markdown data escaped)."""

from __future__ import annotations

import pandas as pd

from .attribution import UNATTRIBUTED
from .labels import (
    ALIGNMENT_LABELS,
    DOCUMENT_WORDS,
    NO_NUMBER,
    format_published,
    format_value,
    format_values,
    measure_label,
    place_label,
    plural,
    side_label,
    side_phrase,
    strike_label,
    subset_label,
)
from .ledger import ABOUT_THE_SAME_TIME, date_span
from .printable import escape_markdown as _md

AGREEMENT_WORDS = {
    "agree": "agree", "hedges differ": "give one number but word it differently",
    "compatible": "give different numbers that could all be true (bounds, or a vague word)",
    "disagree": "disagree: no single number fits every source", "no number": "give no number", "one source": "come from one source only",
    "running count": "are one body's latest count, after earlier counts as the toll grew: a running count, not a disagreement",
}  # fmt: skip
# Said where a section of the comparison has nothing to show.
NO_SUBJECT = "No subject has figures from more than one source in the chosen selection."
NO_GROWTH = "No strike's toll in the chosen selection was counted on more than one date: there is no growth to show."
# The range is of the latest counts compared: the sentence must not count the sources of earlier counts as reporting it.
EARLIER_NOT_COMPARED = ", in their latest counts (earlier counts of this toll are its series, not part of the comparison)"
NO_DISAGREEMENT = "On no subject in the chosen selection do sources disagree or word one number differently."


def subject_label(subject: pd.Series | dict, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """What a ledger subject is about: 'Northtown, 2 March 2024', 'analysed strikes (study: An NGO), by Armenian forces'."""
    if subject["scope"] == "strike":
        strike = strikes.loc[subject["strike_id"]]
        label = (
            strike_label(strike) if not pd.isna(strike["date"]) else place_label(strike["place"], strike["place_other_name"]) + " (group)"
        )
    elif subject["scope"] == "analysed_strikes" and subject["study"]:
        label = f"analysed strikes (study: {sources.set_index('source_id')['publisher'].get(subject['study'], subject['study'])})"
    else:
        label = "analysed strikes" if subject["scope"] == "analysed_strikes" else "whole conflict"
    label += side_phrase(subject["subject_side"], subject["measure"], by=", by ")
    return label + (f" — only {subset_label(subject['subset'])}" if subject["subset"] else "")


def range_text(subject: pd.Series | dict) -> str:
    """'13 – 19', '37', 'at least 4' (every count compared says 'at least'), '140 or at least 140' (one number, worded both ways),
    '18, and a vague word read as 24 or more', or 'no number given'. The range is of the counts compared (ledger.ledger): earlier
    counts of a toll are not in it. A vague word is 'read as' its floor: the package's reading, not what the word says."""
    floor = subject.get("vague_floor", float("nan"))
    vague = "" if pd.isna(floor) else f"a vague word read as {format_value(floor, 'exact')} or more"
    if pd.isna(subject["low"]):
        return vague or NO_NUMBER
    low, high = format_value(subject["low"], "exact"), format_value(subject["high"], "exact")
    qualifier = subject.get("qualifier", "") or "exact"
    wordings = subject.get("wordings", ()) or ()
    if low == high and len(wordings) > 1:  # one number, some sources hedging it: every wording is kept
        numbers = " or ".join(format_value(subject["low"], wording) for wording in wordings)
    elif low == high:
        numbers = format_value(subject["low"], qualifier)
    elif qualifier != "exact":  # every count hedged alike: both ends keep the hedge ('more than 50 – more than 60')
        numbers = f"{format_value(subject['low'], qualifier)} – {format_value(subject['high'], qualifier)}"
    else:
        numbers = f"{low} – {high}" + (" (some hedged)" if len(wordings) > 1 else "")
    return f"{numbers}, and {vague}" if vague else numbers


def citing(entries: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Per entry, whom its text credits the number to: '' (itself), 'citing X', 'citing its own report', or 'credited to no one'."""
    table = sources.set_index("source_id")
    credited = entries["credited"]
    own_document = "citing its own " + credited.map(table["kind"]).map(DOCUMENT_WORDS).fillna("original")
    publisher = credited.map(table["publisher"])
    text = ("citing " + publisher.fillna("")).where(publisher != entries["source_id"].map(table["publisher"]), own_document)
    return text.where(credited != entries["source_id"], "").where(credited != UNATTRIBUTED, "credited to no one")


def as_stated(entries: pd.DataFrame) -> pd.Series:
    """Per entry, its value as stated, a vague word with the least it is read as: 'at least 37', 'dozens (read as 24 or more)'."""
    word = (
        entries["vague_word"] + " (read as " + format_values(entries["vague_floor"], pd.Series("exact", index=entries.index)) + " or more)"
    )
    return format_values(entries["value"], entries["qualifier"]).where(entries["vague_floor"].isna(), word)


def who_says_what(entries: pd.DataFrame, subject_id: int, sources: pd.DataFrame) -> str:
    """'13 (A Daily, citing An NGO, 2 March 2024); at least 14 (…)', lowest value first, each with its date where known; then, where
    the toll was counted earlier, 'earlier counts: 3 (…); 8 (…)', in order of date."""
    mine = entries[entries["subject_id"] == subject_id].sort_values(["value", "source_id"], na_position="last")
    cites, dates = citing(mine, sources), mine["dated"].map(format_published)
    publisher = mine["source_id"].map(sources.set_index("source_id")["publisher"])
    who = as_stated(mine) + " (" + publisher + cites.where(cites == "", ", " + cites) + dates.where(dates == "", ", " + dates) + ")"
    earlier = mine["earlier"]
    said = "; ".join(who[~earlier])
    if earlier.any():
        # In order of the latest day each can have been made: a count dated by its month only after that month's days.
        order = date_span(mine.loc[earlier, "dated"])[1].sort_values(kind="stable").index
        said += "; earlier counts: " + "; ".join(who[earlier].loc[order])
    return said


def describe_ledger(table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """What the comparison across sources shows, generated from the ledger."""
    if table.empty:
        return NO_SUBJECT
    counts = table["agreement"].value_counts()
    verdicts = "; on ".join(f"{plural(counts[a], 'subject')} the sources {AGREEMENT_WORDS[a]}" for a in AGREEMENT_WORDS if counts.get(a, 0))
    first = f"In the chosen selection, {plural(len(table), 'subject')} {'has' if len(table) == 1 else 'have'} figures from more than one source. On {verdicts}."
    lines = [first]
    disputed = table[table["agreement"] == "disagree"]
    if len(disputed):
        spread = (disputed["high"] - disputed["low"]) / disputed["high"].where(disputed["high"] > 0)
        widest = disputed.assign(spread=spread).sort_values(["spread", "subject_id"], ascending=[False, True]).iloc[0]
        line = f"The widest disagreement, relative to its size: {_subject(widest, sources, strikes)}, reported as {_md(range_text(widest))} by {plural(widest['compared_sources'], 'source')} going back to {plural(widest['compared_originals'], 'original')}{EARLIER_NOT_COMPARED if widest['series'] else ''}."
        lines.append(line)
    hedges = table[table["hedges_differ"]]
    if len(hedges):
        subjects = "; ".join(_subject(r, sources, strikes, " (", ")") for _, r in hedges.iterrows())
        line = f"Sources word the same number differently for {subjects}: a hedge such as “at least” dropped in a copy is a change of meaning, not of number."
        lines.append(line)
    copies = table[table["n_sources"] > table["n_originals"]]
    if len(copies):
        line = f"For {plural(len(copies), 'subject')}, some sources are copies of the same original: agreement between copies is one account repeated, not independent confirmation."
        lines.append(line)
    return "\n\n".join(lines)


def _subject(row: pd.Series, sources: pd.DataFrame, strikes: pd.DataFrame, before: str = ", ", after: str = "") -> str:
    return f"{_md(subject_label(row, sources, strikes))}{before}{_md(measure_label(row['measure']))}{after}"


def describe_balance(table: pd.DataFrame) -> str:
    """Figures per alignment of the body credited (ledger.balance), in one sentence."""
    parts = "; ".join(
        f"bodies {ALIGNMENT_LABELS.get(r['alignment'], r['alignment'])}: {plural(r['figures'], 'figure')} (from {plural(r['bodies'], 'body', 'bodies')}, read in {plural(r['publications'], 'publication')}; {format_value(r['on_single_strikes'], 'exact')} on single strikes, {format_value(r['on_groups'], 'exact')} on groups of strikes)"
        for _, r in table.iterrows()
    )
    text = f"Who the figures come from, by the alignment of the body each is credited to (for a figure credited to no one, the publication it was read in): {parts or 'none'}."
    return _md(text)


def describe_comparison_limits() -> str:
    """What the comparison cannot do, as a Markdown list: the method's limits, true of any data (the span from the ledger's rule)."""
    days = plural(ABOUT_THE_SAME_TIME.days, "day")
    return "\n".join([
        "- A figure read in a publication that reports another body's words is credited to that body, and the publication is named as"
        " citing it; such a copy, translation or summary is not checked here against an original the data do not hold.",
        "- Copies of one original agreeing with each other is one account repeated, not independent confirmation; the “originals”"
        " column counts the distinct originals behind each subject.",
        f"- Counts of a toll dated more than {days} before its latest count are earlier counts of a toll still being counted: shown as"
        f" its series, not compared. The span of {days} is this package's choice, not the sources'. A count is dated by the date its"
        " text gives, else by its publication's; a count with neither cannot be placed and is compared with the latest: a"
        " difference with it may be a later count, not a contradiction.",
        "- Groups of strikes counted by one source can overlap single strikes recorded from another; they are compared only with the"
        " same group.",
        "- A lower bound (“at least”) and a larger exact number can both be true: they are reported as *compatible*, not as agreeing."
        " One number given bare by one source and with “at least” by another is reported as *hedges differ*.",
    ])  # fmt: skip


def describe_growth(growth: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """How each toll grew (ledger.toll_growth), from its first dated count to its latest, each with its date and who gave it."""
    if growth.empty:
        return NO_GROWTH
    said, cites = as_stated(growth), citing(growth, sources)
    publisher = growth["source_id"].map(sources.set_index("source_id")["publisher"])
    who = said + " (" + publisher + cites.where(cites == "", ", " + cites) + ", " + growth["dated"].map(format_published) + ")"
    items = []
    for _, mine in growth.groupby("subject_id", sort=False):
        first, last = mine.index[0], mine.loc[mine["dated"] == mine["dated"].iloc[-1], "value"].idxmax()
        items.append(
            f"- {_subject(mine.iloc[0], sources, strikes)}: from {_md(who[first])} to {_md(who[last])}, {plural(len(mine), 'count')} in all."
        )
    lead = f"For {plural(len(items), 'strike')} the data hold counts of {'its' if len(items) == 1 else 'their'} toll on more than one date; earlier counts are part of a toll still being counted, not a disagreement:"
    return lead + "\n\n" + "\n".join(items)


def describe_alignment_by_side(table: pd.DataFrame) -> str:
    """Who documents the strikes of each side (ledger.alignment_by_side), in one sentence per side: to read before any count of strikes."""
    if table.empty:
        return "No strike with a known attacker has a figure in the data: who documents each side's strikes cannot be shown."
    lines = []
    for attacker, mine in table.groupby("attacker", sort=True):
        parts = "; ".join(
            f"{ALIGNMENT_LABELS.get(r['alignment'], r['alignment'])}, {plural(r['strikes'], 'strike')} ({plural(r['bodies'], 'body', 'bodies')}, {plural(r['publications'], 'publication')})"
            for _, r in mine.sort_values(["strikes", "alignment"], ascending=[False, True]).iterrows()
        )
        lines.append(f"Strikes by {side_label(attacker)} in the data, by whom they are documented: {parts}.")
    note = "A strike documented by several kinds of body is counted under each. How many strikes of each side the data hold may follow from whose texts were read, not from the record of the war."
    return _md(" ".join(lines) + " " + note)
