"""Rules that tie columns and rows of the data package together, beyond what one cell's type can say:
references between tables, cites chains that must end, named victims, vague words, dates of counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .problems import Problem, spreadsheet_rows
from .quotes import quote_states_value

TABLES = ("sources", "strikes", "figures")
# Tables a data folder may leave out; the bundled ones are used instead (the meaning of
# vague words is part of the contract, like the schema).
OPTIONAL_TABLES = ("vague_quantities",)
# attributed_to holds a source_id, or this value: the text read credits the number to no one.
UNATTRIBUTED = "unattributed"
# A derivation that starts with this counts people the text names or describes, not a toll it states.
NAMED_VICTIMS = "Named victims:"


# Columns that refer to other rows beyond what the schema's foreignKeys can say:
# (table, column, target table, target column, separator of several ids or None, values allowed besides ids).
MULTI_KEYS = (
    ("figures", "attributed_to", "sources", "source_id", None, (UNATTRIBUTED,)),
    ("strikes", "may_include", "strikes", "strike_id", " ", ()),
)


def check_foreign_keys(paths: dict[str, Path], schema: dict, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    for table in TABLES + OPTIONAL_TABLES:
        for key in schema[table]["schema"].get("foreignKeys", []):
            (column,) = key["fields"]
            target = key["reference"]["resource"] or table
            (target_column,) = key["reference"]["fields"]
            values = tables[table][column]
            dangling = (values != "") & ~values.isin(tables[target][target_column])
            for row in spreadsheet_rows(dangling):
                problems.append(
                    Problem(
                        str(paths[table]),
                        row,
                        column,
                        f"'{values.at[row - 2]}' is not a {target_column} in {schema[target]['path']}",
                    )
                )
    for table, column, target, target_column, separator, allowed in MULTI_KEYS:
        values = tables[table][column]
        ids = values.str.split(separator).explode() if separator else values
        ids = ids[ids != ""]
        dangling = ids[~ids.isin(tables[target][target_column]) & ~ids.isin(allowed)]
        besides = "".join(f" or '{value}'" for value in allowed)
        for index, value in dangling.items():
            problems.append(
                Problem(
                    str(paths[table]), int(index) + 2, column, f"'{value}' is not a {target_column} in {schema[target]['path']}{besides}"
                )
            )
    return problems


def check_source_rules(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A `cites` chain must end at an original: one that comes back to a row it passed never does."""
    sources = tables["sources"]
    parent = dict(zip(sources["source_id"], sources["cites"]))
    row_of = {source_id: int(i) + 2 for i, source_id in sources["source_id"].items()}
    # Walk every chain one step at a time, all at once; after as many steps as there are rows,
    # a chain that has not ended is caught in a loop.
    current = sources["source_id"].to_numpy(dtype=object)
    for _ in range(len(sources)):
        current = pd.Series(current).map(parent).fillna("").to_numpy(dtype=object)
        if not (current != "").any():
            return []
    problems: list[Problem] = []
    for source_id in sources["source_id"][current != ""]:
        chain = [source_id]
        while parent.get(chain[-1], "") not in ("", *chain):
            chain.append(parent[chain[-1]])
        back_to = parent[chain[-1]]
        if back_to != source_id:
            continue  # it leads into a loop; the rows of the loop itself are reported
        loop = " -> ".join([*chain, source_id])
        problems.append(
            Problem(
                str(path),
                row_of[source_id],
                "cites",
                f"'{parent[source_id]}' makes a loop of citations ({loop}): a chain of cites must end at an original that cites nothing",
            )
        )
    return problems


def check_strike_rules(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """A group lists the single strikes it may include once each, and never itself."""
    strikes = tables["strikes"]
    listed = strikes["may_include"].str.split(" ").explode()
    listed = listed[listed != ""]
    problems: list[Problem] = []
    for index in listed.index[(listed == strikes["strike_id"].reindex(listed.index)).to_numpy()].unique():
        problems.append(
            Problem(
                str(path),
                int(index) + 2,
                "may_include",
                f"lists the strike itself ('{strikes.at[index, 'strike_id']}'); list only other strikes that the group may include",
            )
        )
    repeated = listed[listed.reset_index().duplicated().to_numpy()]
    for index, value in repeated.items():
        problems.append(Problem(str(path), int(index) + 2, "may_include", f"lists '{value}' more than once"))
    return problems


def check_figure_rules(path: Path, tables: dict[str, pd.DataFrame], values: pd.Series) -> list[Problem]:
    """Rules that tie one figure's columns together, beyond what the schema can say."""
    name = str(path)
    figures = tables["figures"]
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str, message) -> None:
        for row in spreadsheet_rows(mask):
            text = message(figures.loc[row - 2]) if callable(message) else message
            problems.append(Problem(name, row, column, text))

    is_strike = figures["scope"] == "strike"
    has_strike = figures["strike_id"] != ""
    flag(is_strike & ~has_strike, "strike_id", "is empty but scope is 'strike': name the strike")
    flag(
        ~is_strike & has_strike, "strike_id", lambda r: f"is filled but scope is '{r['scope']}': a strike_id belongs only to scope 'strike'"
    )

    no_value = figures["value"] == ""
    no_quote = figures["quote"] == ""
    is_vague = figures["qualifier"] == "vague"
    flag(no_value & ~is_vague, "value", "is empty: give the number, or set qualifier to 'vague' if the source gives none")
    flag(~no_value & is_vague, "qualifier", lambda r: f"is 'vague' but value is {r['value']}: use exact, at_least, more_than or approx")
    has_word = figures["vague_word"] != ""
    flag(
        has_word & ~is_vague,
        "vague_word",
        lambda r: f"is '{r['vague_word']}' but qualifier is '{r['qualifier']}': a vague word belongs only to qualifier 'vague'",
    )
    worded = figures[has_word & ~no_quote]  # few rows: vague figures only
    unquoted = pd.Series(
        [w.lower() not in q.lower() for w, q in zip(worded["vague_word"], worded["quote"])], index=worded.index, dtype=bool
    )
    flag(
        unquoted.reindex(figures.index, fill_value=False),
        "vague_word",
        lambda r: f"'{r['vague_word']}' does not appear in the quote; name the vague word the quote uses",
    )

    derived = figures["derivation"] != ""
    named = figures.loc[derived, "derivation"].str.startswith(NAMED_VICTIMS).reindex(figures.index, fill_value=False)
    flag(
        named & ~figures["qualifier"].isin(["at_least", "more_than"]),
        "qualifier",
        lambda r: f"is '{r['qualifier']}' but derivation counts named victims; named victims are not a toll: use at_least",
    )

    # Compared at the precision of the less precise date: a month is not after a day within it.
    has_as_of = figures["as_of"] != ""
    published = figures.loc[has_as_of, "source_id"].map(tables["sources"].set_index("source_id")["published"]).fillna("")
    dated = published.index[published != ""]
    later = pd.Series(
        [a[:n] > b[:n] for a, b in zip(figures.loc[dated, "as_of"], published[dated]) for n in [min(len(a), len(b))]],
        index=dated,
        dtype=bool,
    )
    flag(
        later.reindex(figures.index, fill_value=False),
        "as_of",
        lambda r: f"{r['as_of']} is after the publication it is read in was published ({published.at[r.name]})",
    )

    summary_noted = figures["note"].str.contains("summary", case=False, regex=False)
    flag(
        no_quote & ~summary_noted, "quote", "is empty: give the verbatim excerpt, or say in note that the source is only known as a summary"
    )

    checkable = ~no_value & ~no_quote & (figures["derivation"] == "")
    stated = quote_states_value(figures.loc[checkable, "quote"], values[checkable])
    unstated = pd.Series(False, index=figures.index)
    unstated.loc[stated.index] = ~stated
    flag(
        unstated,
        "quote",
        lambda r: f"does not state the value {r['value']} in digits or words; quote the number, or explain in derivation how it follows",
    )

    strikes = tables["strikes"].set_index("strike_id")["side"]
    attacker = figures["strike_id"].map(strikes)
    named_side = figures["side"].isin(["armenian_forces", "azerbaijani_forces"])
    contradicts = is_strike & named_side & (attacker != figures["side"])
    flag(
        contradicts, "side", lambda r: f"is '{r['side']}' but strikes.csv gives '{attacker.at[r.name]}' as the attacker of {r['strike_id']}"
    )

    subject = ["source_id", "credited", "measure", "side", "scope", "strike_id", "subset"]
    # A strike-scope figure's side only repeats the strike's attacker, so it does not tell subjects apart.
    # One publication may report two bodies' values for one subject; the body credited tells them apart
    # (an empty attributed_to means the publication's cites, or itself when it cites none).
    cites = tables["sources"].set_index("source_id")["cites"]
    default = figures["source_id"].map(cites.where(cites != "", cites.index))
    credited = figures["attributed_to"].where(figures["attributed_to"] != "", default)
    keyed = figures.assign(side=figures["side"].where(~is_strike, ""), credited=credited)
    repeated = keyed.duplicated(subject, keep="first")
    flag(
        repeated,
        "figure_id",
        lambda r: (
            "states the same measure for the same subject, credited to the same body, as an earlier figure of the same source; one source gives one value per subject and body"
        ),
    )
    return problems
