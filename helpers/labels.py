"""Reader words for the data's codes and numbers (parties, measures, places, dates, hedged values), one function per kind, so that
each reads the same in every sentence, table and chart. Labels of codes come from the schema's `categories`."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from .attribution import UNATTRIBUTED
from .bounds import CONTRADICTORY, LOWER_BOUNDS
from .dataset import field_labels
from .study import ATTACKING_SIDES, LOSS_MEASURES

SIDE_LABELS = field_labels("figures", "side")
ALIGNMENT_LABELS = field_labels("sources", "alignment")
QUALIFIER_LABELS = field_labels("figures", "qualifier")
# What a publication is, as a document: 'citing its own report'.
DOCUMENT_WORDS = field_labels("sources", "kind", key="document")
# A qualifier as it stands before its number: "at least 43"; an exact number has none; "at most" is derived by the analysis,
# never stored: a remainder of an exact total less a lower bound.
QUALIFIER_WORDS = {code: f"{label} " for code, label in QUALIFIER_LABELS.items() if code not in ("exact", "vague")}
QUALIFIER_WORDS |= {"exact": "", "at_most": "at most "}
# A side's other analysed strikes where named ones were taken from its total: their count and toll rest on the named strikes
# being among the analysed ones, which the package infers (its attacker is the source's).
REST_INFERRED = "inferred: total less named"


def rest_inferred(row: pd.Series | dict) -> str:
    """' (inferred: total less named)' for a remainder views.per_strike marks so; '' otherwise (no mark, or a view without it)."""
    return f" ({REST_INFERRED})" if row.get("rest_inferred", False) in (True,) else ""  # numpy booleans equal True; NaN does not


# What a reader reads where the source gives no number; charts and sentences test for it by this name.
NO_NUMBER = "no number given"
# What a reader reads where a number would follow from figures that contradict each other (a total below its parts).
NOT_COMPUTED = "not computed: the figures contradict each other"
# A hedge as the numbers of a chart word it.
HEDGE_WORDS = {"exact": "exact", "approx": "approximate", "at_most": "at most: an upper bound", "vague": NO_NUMBER}
HEDGE_WORDS[CONTRADICTORY] = NOT_COMPUTED
HEDGE_WORDS |= {"at_least": "at least: a lower bound", "more_than": "more than: a lower bound"}
# A date reads "2 March 2024", or "2 Mar" on a chart short of room (the day without strftime's %-d, which Windows lacks).
MONTH_FORMAT, SHORT_MONTH_FORMAT = "%B %Y", "%b"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _noun(count: float, singular: str, plural_form: str | None) -> str:
    return singular if count == 1 else (plural_form or singular + "s")


def format_number(value: float) -> str:
    """2500 -> '2,500'; 43.0 -> '43'; 2.5 -> '2.5'."""
    if _missing(value):
        return "not given"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def format_value(value: float, qualifier: str) -> str:
    """A number as a reader should read it: 'more than 2,500', 'at least 43', '7', 'no number given'."""
    if qualifier == CONTRADICTORY:
        return NOT_COMPUTED
    return NO_NUMBER if qualifier == "vague" or _missing(value) else QUALIFIER_WORDS[qualifier] + format_number(value)


def format_values(values: pd.Series, qualifiers: pd.Series) -> pd.Series:
    """format_value over aligned columns."""
    values = pd.Series(values, dtype=float)
    qualifiers = pd.Series(qualifiers, index=values.index, dtype=object)
    # Formatted once per distinct number: columns repeat the same few numbers many times.
    numbers = values.map({v: format_number(v) for v in values.dropna().unique()}).astype(object).fillna("")
    text = qualifiers.map(QUALIFIER_WORDS).fillna("") + numbers
    return text.where(values.notna() & (qualifiers != "vague"), NO_NUMBER).where(qualifiers != CONTRADICTORY, NOT_COMPUTED)


def hedged(data: pd.DataFrame | pd.Series | dict, column: str) -> str | pd.Series:
    """A column read with its qualifier (column_qualifier), of one row or of every row of a table: 'at least 43'."""
    if isinstance(data, pd.DataFrame):
        return format_values(data[column], data[f"{column}_qualifier"])
    return format_value(data[column], data[f"{column}_qualifier"])


def format_figure(figure: pd.Series | dict) -> str:
    """A row of figures.csv as a reader should read it; a vague figure shows its quote instead of a number."""
    if figure["qualifier"] == "vague" or pd.isna(figure["value"]):
        quote = figure.get("quote", "")
        return f"{NO_NUMBER} (“{quote}”)" if quote else NO_NUMBER
    return format_value(figure["value"], figure["qualifier"])


def stated_form(figure: pd.Series | dict) -> pd.Series | dict:
    """The figure as its source words it: with the hedge its own text gives (stated_qualifier), not the one the analysis reads."""
    return {**figure, "qualifier": figure.get("stated_qualifier", figure["qualifier"])}


def read_differently(figure: pd.Series | dict) -> str:
    """'' where the analysis reads the figure as its source states it; else ' (read here as at least 40: see the note)', the
    hedge being another publication's, from the same original (text_gaps.describe_readings names it, once a page)."""
    read = format_figure(figure)
    return "" if format_figure(stated_form(figure)) == read else f" (read here as {read}: see the note)"


def total_as_worded(total: pd.Series | dict) -> str:
    """A total as read, and whose words its hedge is (views.conflict_totals): 'at least 40 in all, as the source states', or
    'at least 40 in all: the source states 40, another publication from its original “at least 40”'."""
    read, stated = format_figure(total), format_figure(stated_form(total))
    if stated == read or total["qualifier"] == "vague":
        return f"{read} in all, as the source states"
    return f"{read} in all: the source states {stated}, another publication from its original “{read}”"


def format_share(value: float, qualifier: str) -> str:
    """A proportion in per cent, rounded away from the hedge: an upper bound rounds up, a lower bound down."""
    if qualifier == CONTRADICTORY:
        return NOT_COMPUTED
    if qualifier == "vague" or value is None or math.isnan(value):
        return "an unknown share"
    tenths = value * 1000
    rounded = (
        math.ceil(tenths - 1e-9) if qualifier == "at_most" else math.floor(tenths + 1e-9) if qualifier in LOWER_BOUNDS else round(tenths)
    )
    return QUALIFIER_WORDS.get(qualifier, "") + f"{rounded / 10:.1f}".rstrip("0").rstrip(".") + "%"


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """'1 strike', '7 strikes'."""
    return f"{format_number(count)} {_noun(count, singular, plural_form)}"


def count_phrase(value: float, qualifier: str, singular: str, plural_form: str | None = None) -> str:
    """'1 civilian', 'at least 1 civilian', 'more than 2,500 civilians', 'an unstated number of civilians'."""
    stated = format_value(value, qualifier)
    if stated == NO_NUMBER:
        return f"an unstated number of {plural_form or singular + 's'}"
    if stated == NOT_COMPUTED:
        return f"a number of {plural_form or singular + 's'} {NOT_COMPUTED}"
    return f"{stated} {_noun(value, singular, plural_form)}"


def hedged_count(row: pd.Series | dict, column: str, singular: str, plural_form: str | None = None) -> str:
    """count_phrase of a row's column and its qualifier column."""
    return count_phrase(row[column], row[f"{column}_qualifier"], singular, plural_form)


def credited_label(credited: str, sources: pd.DataFrame) -> str:
    """Whom a figure is credited to (attribution.credited), in words: 'credited to An NGO', 'credited to no one'."""
    publishers = sources.set_index("source_id")["publisher"]
    return "credited to no one" if credited == UNATTRIBUTED else f"credited to {publishers.get(credited, credited)}"


def side_label(side: str) -> str:
    return SIDE_LABELS.get(side, side)


def side_phrase(side: str, measure: str, by: str = " by ") -> str:
    """What a side adds to a subject: ' by Armenian forces', ", Armenian forces' losses" (of a loss measure), ', both sides', or ''."""
    if side == "both":
        return ", both sides"
    if side not in ATTACKING_SIDES:
        return ""
    return f", {side_label(side)}' losses" if measure in LOSS_MEASURES else f"{by}{side_label(side)}"


def subset_label(subset: str) -> str:
    """The part of a subject a figure is about, in words, the territories inside it by their labels in the schema:
    'in_nagorno_karabakh_or_armenia' -> 'in Nagorno-Karabakh or Armenia'."""
    words = f" {subset.replace('_', ' ')} "
    for code, name in field_labels("strikes", "territory").items():
        words = words.replace(f" {code.replace('_', ' ')} ", f" {name} ")
    return words.strip()


def share_part_label(part: str) -> str:
    """A part of the conflict's civilian toll (views.conflict_share): a side's analysed strikes, or the rest."""
    return "outside the analysed strikes" if part == "outside_analysed_strikes" else f"analysed strikes by {side_label(part)}"


def _in_words(table: str, column: str) -> Callable[[str], str]:
    """A column's codes as a reader reads them: the schema's label ('NGO report'), or for a code without one, the code with spaces."""
    labels = field_labels(table, column)
    return lambda code: labels.get(code, code.replace("_", " "))


measure_label, territory_label = _in_words("figures", "measure"), _in_words("strikes", "territory")
scope_label, kind_label = _in_words("figures", "scope"), _in_words("sources", "kind")


def format_date(date, short: bool = False) -> str:
    """'2 March 2024' ('2 Mar' when short); '' when there is no date."""
    if date is None or pd.isna(date):
        return ""
    date = pd.Timestamp(date)
    return f"{date.day} {date.strftime(SHORT_MONTH_FORMAT if short else MONTH_FORMAT)}"


def format_published(published: str) -> str:
    """A date as stored ('2024-03-02', or '2024-03' when only the month is known) in the reader's format; '' for none."""
    if not published:
        return ""
    if len(published) == len("2024-03"):
        return pd.Timestamp(published + "-01").strftime(MONTH_FORMAT)
    return format_date(published)


def place_label(place: str, other_name: str = "", date=None, short: bool = False) -> str:
    """A place with every other name it goes by (other_name: names joined by '; ') and its date: 'Northtown / Nordstadt, 2 March 2024'."""
    name = " / ".join([place, *[n for n in other_name.split("; ") if n]])
    when = format_date(date, short)
    return f"{name}, {when}" if when else name


def strike_label(strike: pd.Series | dict, short: bool = False) -> str:
    """A row of strikes (or of a per-strike view) as a reader names it: its place and date."""
    return place_label(strike["place"], strike["place_other_name"], strike["date"], short)


def source_label(source: pd.Series | dict) -> str:
    """'Publisher, date'."""
    published = format_published(source.get("published", ""))
    return f"{source['publisher']}, {published}" if published else str(source["publisher"])
