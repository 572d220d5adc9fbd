"""Problems in the data by file, row and column, and the rules across columns and rows that find them (references, cites, quotes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .attribution import SUBJECT_COLUMNS, UNATTRIBUTED, cites_chain, credited
from .bounds import LOWER_BOUNDS
from .printable import printable
from .quotes import quote_states_value

TABLES = ("sources", "strikes", "figures")
# Tables a data folder may leave out, the bundled ones read instead: the meaning of vague words is in the contract, like the schema.
OPTIONAL_TABLES = ("vague_quantities",)
ATTACKING_SIDES = ("armenian_forces", "azerbaijani_forces")
# A derivation that starts with this counts people the text names or describes, not a toll it states.
NAMED_VICTIMS = "Named victims:"
# References the schema's foreignKeys cannot say: (table, column, target table, target column, separator of ids or None, other values).
MULTI_KEYS = (
    ("figures", "attributed_to", "sources", "source_id", None, (UNATTRIBUTED,)),
    ("strikes", "may_include", "strikes", "strike_id", " ", ()),
)
# Shown per error, so one broken column does not bury the others.
MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as known."""

    file: str
    row: int | None  # counted as in a spreadsheet: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        # Cell text in a message is cut short and shows what a terminal would hide.
        row = [] if self.row is None else [f"row {self.row}"]
        column = [] if self.column is None else [f"column '{printable(self.column, 60)}'"]
        return f"{', '.join([printable(self.file, 300), *row, *column])}: {printable(self.message, 400)}"


class DataError(ValueError):
    """The data package is missing, unreadable or breaks the schema."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            listed += f"\n  ... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more"
        super().__init__(f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} in the data:\n{listed}")


def problems_at(file: str | Path, found: pd.DataFrame | pd.Series, column: str, message: str | Callable) -> list[Problem]:
    """A problem per row or cell found (labelled by spreadsheet row less 2), worded by message(item) or message.format_map(row)."""
    items = found.iterrows() if isinstance(found, pd.DataFrame) else found.items()
    return [Problem(str(file), int(i) + 2, column, message(item) if callable(message) else message.format_map(item)) for i, item in items]


def check_foreign_keys(paths: dict[str, Path], schema: dict, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every id that refers to a row of a table names a row that is there."""
    keys = [
        (table, *key["fields"], key["reference"]["resource"] or table, *key["reference"]["fields"], None, ())
        for table in TABLES + OPTIONAL_TABLES
        for key in schema[table]["schema"].get("foreignKeys", [])
    ]
    found: list[Problem] = []
    for table, column, target, target_column, separator, allowed in [*keys, *MULTI_KEYS]:
        ids = tables[table][column].str.split(separator).explode() if separator else tables[table][column]
        ids = ids[ids != ""]
        dangling = ids[~ids.isin(tables[target][target_column]) & ~ids.isin(allowed)]
        besides = "".join(f" or '{value}'" for value in allowed)
        words = f"is not a {target_column} in {schema[target]['path']}{besides}"
        found += problems_at(paths[table], dangling, column, lambda value, words=words: f"'{value}' {words}")
    return found


def check_source_rules(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A `cites` chain must end at an original: one that comes back to a row it passed never does."""
    sources = tables["sources"]
    cites = dict(zip(sources["source_id"], sources["cites"]))
    chains = [cites_chain(cites, source_id) for source_id in sources["source_id"]]
    # A source that leads into a loop without being part of it is not named: the rows of the loop are.
    looped = np.array([cites.get(chain[-1]) == chain[0] for chain in chains], dtype=bool)
    loops = sources.assign(loop=[" -> ".join([*chain, chain[0]]) for chain in chains])[looped]
    message = "'{cites}' makes a loop of citations ({loop}): a chain of cites must end at an original that cites nothing"
    return problems_at(path, loops, "cites", message)


def check_strike_rules(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A group lists the single strikes it may include once each, and never itself."""
    strikes = tables["strikes"]
    listed = strikes["may_include"].str.split(" ").explode()
    listed = listed[listed != ""]
    lists_itself = strikes[strikes.index.isin(listed.index[(listed == strikes["strike_id"].reindex(listed.index)).to_numpy()])]
    repeated = listed[listed.reset_index().duplicated().to_numpy()]
    message = "lists the strike itself ('{strike_id}'); list only other strikes that the group may include"
    found = problems_at(path, lists_itself, "may_include", message)
    return found + problems_at(path, repeated, "may_include", lambda value: f"lists '{value}' more than once")


def check_figure_rules(path: Path, tables: dict[str, pd.DataFrame], values: pd.Series) -> list[Problem]:
    """Rules that tie one figure's columns together, and a figure to its strike, its source and the other figures."""
    figures = tables["figures"]
    return [*_figure_columns(path, figures), *_dates_and_quotes(path, figures, tables["sources"], values), *_subjects(path, tables)]


def _flagged(path: Path, frame: pd.DataFrame, rules: list[tuple[pd.Series, str, str]]) -> list[Problem]:
    """Per rule (mask, column, message template filled in from the row), a problem for each row of frame where mask holds."""
    return [problem for mask, column, message in rules for problem in problems_at(path, frame[mask], column, message)]


def _figure_columns(path: Path, figures: pd.DataFrame) -> list[Problem]:
    """strike_id goes with scope 'strike', no value and a vague word (quoted) with 'vague', named victims with a lower bound."""
    is_strike, has_strike = figures["scope"] == "strike", figures["strike_id"] != ""
    no_value, is_vague, has_word = figures["value"] == "", figures["qualifier"] == "vague", figures["vague_word"] != ""
    worded = figures[has_word & (figures["quote"] != "")]  # few rows: vague figures only
    unquoted = [w.lower() not in q.lower() for w, q in zip(worded["vague_word"], worded["quote"])]
    unquoted = pd.Series(unquoted, index=worded.index, dtype=bool).reindex(figures.index, fill_value=False)
    named = figures["derivation"].str.startswith(NAMED_VICTIMS) & ~figures["qualifier"].isin(LOWER_BOUNDS)
    rules = [
        (is_strike & ~has_strike, "strike_id", "is empty but scope is 'strike': name the strike"),
        (~is_strike & has_strike, "strike_id", "is filled but scope is '{scope}': a strike_id belongs only to scope 'strike'"),
        (no_value & ~is_vague, "value", "is empty: give the number, or set qualifier to 'vague' if the source gives none"),
        (~no_value & is_vague, "qualifier", "is 'vague' but value is {value}: use exact, at_least, more_than or approx"),
        (has_word & ~is_vague, "vague_word", "is '{vague_word}' but qualifier is '{qualifier}': a vague word belongs only to qualifier 'vague'"),
        (unquoted, "vague_word", "'{vague_word}' does not appear in the quote; name the vague word the quote uses"),
        (named, "qualifier", "is '{qualifier}' but derivation counts named victims; named victims are not a toll: use at_least"),
    ]  # fmt: skip
    return _flagged(path, figures, rules)


def _dates_and_quotes(path: Path, figures: pd.DataFrame, sources: pd.DataFrame, values: pd.Series) -> list[Problem]:
    """A count is not dated after the publication it is read in; a quote is given (or the note calls it a summary) and states the value."""
    published = figures["source_id"].map(sources.set_index("source_id")["published"]).fillna("")
    dated = figures[(figures["as_of"] != "") & (published != "")]
    # Compared at the precision of the less precise date: a month is not after a day within it.
    later = [a[:n] > b[:n] for a, b in zip(dated["as_of"], published[dated.index]) for n in [min(len(a), len(b))]]
    later = pd.Series(later, index=dated.index, dtype=bool).reindex(figures.index, fill_value=False)
    no_quote = figures["quote"] == ""
    unsummarised = no_quote & ~figures["note"].str.contains("summary", case=False, regex=False)
    checkable = (figures["value"] != "") & ~no_quote & (figures["derivation"] == "")
    unstated = ~quote_states_value(figures.loc[checkable, "quote"], values[checkable]).reindex(figures.index, fill_value=True)
    rules = [
        (later, "as_of", "{as_of} is after the publication it is read in was published ({published})"),
        (unsummarised, "quote", "is empty: give the verbatim excerpt, or say in note that the source is only known as a summary"),
        (unstated, "quote", "does not state the value {value} in digits or words; quote the number, or explain in derivation how it follows"),
    ]  # fmt: skip
    return _flagged(path, figures.assign(published=published), rules)


def _subjects(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A strike's figure names the strike's attacker; a source gives one value per subject and body credited."""
    figures = tables["figures"]
    is_strike = figures["scope"] == "strike"
    attacker = figures["strike_id"].map(tables["strikes"].set_index("strike_id")["side"])
    contradicts = is_strike & figures["side"].isin(ATTACKING_SIDES) & (attacker != figures["side"])
    # A strike's side only repeats its attacker, so it does not tell subjects apart; the body credited does: one
    # publication may report two bodies' values for one subject.
    keyed = figures.assign(side=figures["side"].where(~is_strike, ""), credited=credited(figures, tables["sources"]))
    repeated = keyed.duplicated(["source_id", "credited", *SUBJECT_COLUMNS], keep="first")
    rules = [
        (contradicts, "side", "is '{side}' but strikes.csv gives '{attacker}' as the attacker of {strike_id}"),
        (repeated, "figure_id", "states the same measure for the same subject, credited to the same body, as an earlier figure of the same source; "
         "one source gives one value per subject and body"),
    ]  # fmt: skip
    return _flagged(path, figures.assign(attacker=attacker), rules)
