"""Words for numbers, parties and places, so notebook prose is generated from data.

Everything that inserts text from a CSV into Markdown goes through
``escape_markdown`` so that a cell of the data can never become a link,
a script or a heading in the report.
"""

from __future__ import annotations

import math
import re

import pandas as pd

SIDE_LABELS = {
    "armenian_forces": "Armenian forces",
    "azerbaijani_forces": "Azerbaijani forces",
    "both": "both sides",
    "unspecified": "attacker not stated",
}

QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "approx": "about ",
    # Derived by the analysis, never stored: a remainder of an exact total less a lower bound.
    "at_most": "at most ",
}

# Qualifiers under which the true number may be higher than the value shown.
LOWER_BOUNDS = ("at_least", "more_than")

MEASURE_LABELS = {
    "strikes": "strikes",
    "civilian_deaths": "civilians killed",
    "civilian_injuries": "civilians injured",
    "deaths_all": "deaths, civilian and military",
    "military_deaths": "military deaths",
    "military_missing": "military missing",
    "missile_strikes": "missiles striking (within one strike)",
    "submunitions": "submunitions",
    "places_struck": "places struck",
    "sites_visited": "strike sites visited",
    "people_interviewed": "people interviewed",
    "war_duration_weeks": "weeks of war",
    "war_duration_days": "days of war",
}

TERRITORY_LABELS = {"azerbaijan": "Azerbaijan", "nagorno_karabakh": "Nagorno-Karabakh", "armenia": "Armenia"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: object) -> str:
    """Text from data, made inert in Markdown: no markup, no links, no HTML."""
    plain = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain).replace("\n", " ")


def format_number(value: float) -> str:
    """2500 -> '2,500'; 43.0 -> '43'; 2.5 -> '2.5'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not given"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def format_value(value: float, qualifier: str) -> str:
    """A number as a reader should read it: 'more than 2,500', 'at least 43', '7', 'no number given'."""
    if qualifier == "vague" or value is None or (isinstance(value, float) and math.isnan(value)):
        return "no number given"
    return QUALIFIER_WORDS[qualifier] + format_number(value)


def format_values(values: pd.Series, qualifiers: pd.Series) -> pd.Series:
    """format_value over aligned columns."""
    values = pd.Series(values, dtype=float)
    qualifiers = pd.Series(qualifiers, index=values.index, dtype=object)
    text = qualifiers.map(QUALIFIER_WORDS).fillna("") + values.map(format_number)
    return text.where(values.notna() & (qualifiers != "vague"), "no number given")


def format_figure(figure: pd.Series | dict) -> str:
    """A row of figures.csv as a reader should read it; a vague figure shows its quote instead of a number."""
    if figure["qualifier"] == "vague" or pd.isna(figure["value"]):
        quote = figure.get("quote", "")
        return f"no number given (“{quote}”)" if quote else "no number given"
    return format_value(figure["value"], figure["qualifier"])


def side_label(side: str) -> str:
    return SIDE_LABELS.get(side, side)


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure.replace("_", " "))


def place_label(place: str, other_name: str = "") -> str:
    """A place with both of its names when it is contested: 'Place / Other name'."""
    return f"{place} / {other_name}" if other_name else place


def source_label(source: pd.Series | dict) -> str:
    """'Publisher, YYYY-MM-DD'."""
    published = source.get("published", "")
    return f"{source['publisher']}, {published}" if published else str(source["publisher"])


def source_line(sources: pd.DataFrame, source_ids: list[str]) -> str:
    """The line under a chart: who states these numbers and whom they cite."""
    table = sources.set_index("source_id")
    parts = []
    for source_id in dict.fromkeys(source_ids):
        row = table.loc[source_id]
        text = f"{source_label(row)}, “{row['title']}”"
        if row["cites"]:
            text += f", citing {table.loc[row['cites'], 'publisher']}"
        parts.append(text)
    return "Source: " + "; ".join(parts) + "."


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """'1 strike', '7 strikes'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{format_number(count)} {word}"


def show_markdown(markdown: str) -> None:
    """Display generated Markdown with a plain-text twin (no object repr in stored outputs)."""
    from IPython.display import display

    display({"text/markdown": markdown, "text/plain": markdown}, raw=True)


def show_table(frame: pd.DataFrame) -> None:
    """Display a table; pandas escapes its cells in HTML, and the index is hidden when it carries no meaning."""
    from IPython.display import display

    plain = frame.to_string(index=False)
    html = frame.to_html(index=False, escape=True, na_rep="", border=0, classes="dataframe")
    display({"text/html": html, "text/plain": plain}, raw=True)
