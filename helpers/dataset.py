"""Load the figures data package from a folder and validate it.

The schema is the bundled ``data/datapackage.json``: field names, types,
allowed values, required fields, keys. Any folder holding the three CSV
tables can be loaded; its rows are checked against that one schema, so
that a user's own data obey the same contract as the bundled data.

Checks are done on whole columns, so that they read as rules about a
column rather than loops over rows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .quotes import quote_states_value
from .safe import shown

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PROJECT_ROOT / "data"
SCHEMA_PATH = BUNDLED_DATA_DIR / "datapackage.json"
TABLES = ("sources", "strikes", "figures")
# Tables a data folder may leave out; the bundled ones are used instead (the meaning of
# vague words is part of the contract, like the schema).
OPTIONAL_TABLES = ("vague_quantities",)
# attributed_to holds a source_id, or this value: the text read credits the number to no one.
UNATTRIBUTED = "unattributed"
# A derivation that starts with this counts people the text names or describes, not a toll it states.
NAMED_VICTIMS = "Named victims:"

# Numbers above this are refused as typos: no count this analysis reads comes near it, and
# sums of a few such values stay exact in floating point.
LARGEST_VALUE = 1e9
# Dates outside these years are refused as typos (0202-10-05 for 2020-10-05): the notebooks place
# strikes on a timeline of this war, and pandas' timestamps cover about 1677 to 2262 only.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100

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
        # Cell text in a message is cut short and shows what a terminal would hide (helpers.safe).
        where = [shown(self.file, 300)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{shown(self.column, 60)}'")
        return f"{', '.join(where)}: {shown(self.message, 400)}"


class DataError(ValueError):
    """The data package is missing, unreadable or breaks the schema."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown += f"\n  ... and {more} more"
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data:\n{shown}")


@dataclass(frozen=True)
class Dataset:
    """The validated tables, all columns as text except figures.value and vague_quantities.at_least (float, NaN when not given) and strikes.date (datetime, NaT when not given)."""

    data_dir: Path
    sources: pd.DataFrame
    strikes: pd.DataFrame
    figures: pd.DataFrame
    vague_quantities: pd.DataFrame | None = None


def load_schema() -> dict[str, dict]:
    """The bundled table schemas, by table name."""
    package = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in package["resources"]}


def field_enum(table: str, column: str) -> list[str]:
    """Allowed values of a column, from the schema."""
    for field in load_schema()[table]["schema"]["fields"]:
        if field["name"] == column:
            return list(field.get("constraints", {}).get("enum", []))
    raise KeyError(f"the schema of table '{table}' has no column '{column}'")


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate the data package in data_dir (default: the bundled data/).

    Raises DataError listing every problem found, each naming file, row and
    column; never returns data that breaks the schema.
    """
    folder = BUNDLED_DATA_DIR if data_dir in (None, "") else Path(data_dir).expanduser()
    if not folder.exists():
        raise DataError([Problem(str(folder), None, None, "data folder does not exist")])
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "is not a folder")])
    schema = load_schema()
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    missing = [schema[t]["path"] for t in TABLES if not (folder / schema[t]["path"]).is_file()]
    if missing:
        raise DataError([Problem(str(folder / name), None, None, "table file not found") for name in missing])
    numbers: dict[str, dict[str, pd.Series]] = {}
    paths: dict[str, Path] = {}
    for table in TABLES + OPTIONAL_TABLES:
        path = folder / schema[table]["path"]
        if table in OPTIONAL_TABLES and not path.is_file():
            path = BUNDLED_DATA_DIR / schema[table]["path"]
        paths[table] = path
        frame, table_problems, numbers[table] = _read_table(path, schema[table]["schema"])
        problems += table_problems
        if frame is not None:
            tables[table] = frame
    if problems:
        raise DataError(problems)
    problems += _check_foreign_keys(paths, schema, tables)
    problems += _check_source_rules(paths["sources"], tables)
    problems += _check_strike_rules(paths["strikes"], tables)
    problems += _check_figure_rules(paths["figures"], tables, numbers["figures"]["value"])
    if problems:
        raise DataError(problems)
    figures = tables["figures"].copy()
    figures["value"] = numbers["figures"]["value"]
    strikes = tables["strikes"].copy()
    strikes["date"] = pd.to_datetime(strikes["date"].replace("", None), format="%Y-%m-%d")
    vague = tables["vague_quantities"].copy()
    vague["at_least"] = numbers["vague_quantities"]["at_least"]
    return Dataset(
        folder,
        tables["sources"].reset_index(drop=True),
        strikes.reset_index(drop=True),
        figures.reset_index(drop=True),
        vague.reset_index(drop=True),
    )


def _read_table(path: Path, schema: dict) -> tuple[pd.DataFrame | None, list[Problem], dict[str, pd.Series]]:
    name = str(path)
    raw = path.read_bytes()
    if not raw or raw.isspace():
        return None, [Problem(name, None, None, "file is empty: expected a header row and data rows")], {}
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [_encoding_problem(name, raw, error)], {}
    expected = [field["name"] for field in schema["fields"]]
    # Line ends as a spreadsheet may save them: \n, \r\n, or \r alone (old Mac).
    first_line = text.splitlines()[0] if text.strip() else ""
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration) as error:
        return None, [Problem(name, 1, None, f"the header is not a readable CSV row: {error}")], {}
    header_problems = (
        [Problem(name, 1, column, "required column is missing from the header") for column in expected if column not in header]
        + [
            Problem(name, 1, column, f"unknown column; the columns are: {', '.join(expected)}")
            for column in header
            if column not in expected
        ]
        + [
            Problem(name, 1, column, "column appears more than once in the header")
            for column in sorted({c for c in header if header.count(c) > 1})
        ]
    )
    if header_problems:
        return None, header_problems, {}
    try:
        # Parsed from the file itself (already known to be UTF-8), not from a second copy in memory.
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=object, keep_default_na=False, na_filter=False, engine="c")
    except pd.errors.ParserError as error:
        return None, [_parser_problem(name, error)], {}
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first cells as an index when every row has more cells than the header.
        return (
            None,
            [
                Problem(
                    name, 2, None, f"rows have more cells than the {len(expected)} columns of the header (a comma at the end of each row?)"
                )
            ],
            {},
        )
    # A row with fewer cells than the header is read with NaN in the missing cells.
    short_rows = frame.index[frame.iloc[:, -1].isna()]
    if len(short_rows):
        return (
            None,
            [Problem(name, int(i) + 2, None, f"row has fewer cells than the {len(expected)} columns of the header") for i in short_rows],
            {},
        )
    frame = frame[expected]
    lines = _line_numbers(text)
    if lines is not None and len(lines) == len(frame):
        # Blank lines, which pandas skips: rows are labelled by their line in the file (less 2, as everywhere).
        frame.index = pd.Index(lines) - 2
    if frame.empty:
        return None, [Problem(name, 2, None, "has a header but no rows: give at least one row of data")], {}
    numbers: dict[str, pd.Series] = {}
    return frame, _check_fields(name, frame, schema, numbers), numbers


def _line_numbers(text: str) -> list[int] | None:
    """The line in the file where each data row starts, when blank lines make it differ from its position; else None."""
    if not re.search(r"(?:\r\n|\r|\n)(?:\r\n|\r|\n)", text.rstrip("\r\n")):
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    lines, previous = [], reader.line_num
    for cells in reader:  # only files with blank lines come here
        if cells:
            lines.append(previous + 1)
        previous = reader.line_num
    return lines


def _encoding_problem(name: str, raw: bytes, error: UnicodeDecodeError) -> Problem:
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    row = raw.count(b"\n", 0, error.start) + 1
    line_end = raw.find(b"\n", error.start)
    line = raw[line_start : None if line_end < 0 else line_end].decode("utf-8", errors="replace")
    header = raw[: raw.find(b"\n")].decode("utf-8", errors="replace").strip().split(",")
    column = None
    try:
        cells = next(csv.reader([line]))
        column = next((header[i] for i, cell in enumerate(cells) if "\ufffd" in cell and i < len(header)), None)
    except (StopIteration, csv.Error):
        pass
    return Problem(name, row, column, f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8")


def _parser_problem(name: str, error: Exception) -> Problem:
    unclosed = re.search(r"EOF inside string starting at row (\d+)", str(error))
    if unclosed:
        # pandas counts lines from 0, the header included.
        return Problem(name, int(unclosed.group(1)) + 1, None, 'a quoted text starting on this line is never closed (a missing ")')
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if found:
        expected, line, seen = (int(g) for g in found.groups())
        return Problem(name, line, None, f"row has {seen} cells but the header has {expected} columns (a comma inside an unquoted text?)")
    return Problem(name, None, None, f"is not a readable CSV table: {error}")


def _rows(mask: pd.Series) -> list[int]:
    return [int(i) + 2 for i in mask[mask].index]


def _check_fields(name: str, frame: pd.DataFrame, schema: dict, numbers: dict[str, pd.Series]) -> list[Problem]:
    """Problems of single cells; number columns, once parsed, are left in `numbers` (NaN where empty)."""
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str, describe) -> None:
        for row in _rows(mask):
            problems.append(Problem(name, row, column, describe(frame.at[row - 2, column])))

    for field in schema["fields"]:
        column = field["name"]
        values = frame[column]
        filled = values != ""
        constraints = field.get("constraints", {})
        if constraints.get("required"):
            flag(~filled, column, lambda v: "is empty but required")
        if field.get("type") == "number":
            parsed = pd.to_numeric(values.where(filled), errors="coerce").astype(float)
            numbers[column] = parsed
            flag(filled & parsed.isna(), column, lambda v: f"'{v}' is not a number (write digits only, e.g. 2500)")
            flag(
                filled & parsed.notna() & ~np.isfinite(parsed),
                column,
                lambda v: f"'{v}' is not a finite number (write digits only, e.g. 2500)",
            )
            flag(
                np.isfinite(parsed) & (parsed.abs() > LARGEST_VALUE),
                column,
                lambda v: f"{v} is larger than any count this analysis takes (at most {LARGEST_VALUE:,.0f}); a typo?",
            )
            parsed = parsed.where(np.isfinite(parsed) & (parsed.abs() <= LARGEST_VALUE))
            if "minimum" in constraints:
                flag(
                    parsed < constraints["minimum"],
                    column,
                    lambda v, least=constraints["minimum"]: f"{v} is negative; a count cannot be below {least}",
                )
        if field.get("type") == "date":
            dates = pd.to_datetime(values.where(filled), format="%Y-%m-%d", errors="coerce")
            flag(filled & dates.isna(), column, lambda v: f"'{v}' is not a date written YYYY-MM-DD")
            flag(
                dates.notna() & ((dates.dt.year < EARLIEST_YEAR) | (dates.dt.year > LATEST_YEAR)),
                column,
                lambda v: f"{v} is not between {EARLIEST_YEAR} and {LATEST_YEAR}; a typo in the year?",
            )
        if field.get("type") == "string" and str(constraints.get("pattern", "")).startswith("[0-9]{4}-[0-9]{2}"):
            # A date written as text, a month or a day: it must exist (no 2020-13-45) and fall in the years above.
            day = values.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
            month = values.str.fullmatch(r"[0-9]{4}-[0-9]{2}")
            as_date = pd.to_datetime(
                values.where(day, values.where(~month, values + "-01")).where(day | month), format="%Y-%m-%d", errors="coerce"
            )
            flag(filled & (day | month) & as_date.isna(), column, lambda v: f"'{v}' is not a date that exists (YYYY-MM or YYYY-MM-DD)")
            flag(
                as_date.notna() & ((as_date.dt.year < EARLIEST_YEAR) | (as_date.dt.year > LATEST_YEAR)),
                column,
                lambda v: f"{v} is not between {EARLIEST_YEAR} and {LATEST_YEAR}; a typo in the year?",
            )
        if "enum" in constraints:
            allowed = constraints["enum"]
            flag(filled & ~values.isin(allowed), column, lambda v, allowed=allowed: f"'{v}' is not one of: {', '.join(allowed)}")
        if "pattern" in constraints:
            matches = values.str.fullmatch(constraints["pattern"])
            flag(filled & ~matches, column, lambda v, pattern=constraints["pattern"]: f"'{v}' does not match the pattern {pattern}")
        if constraints.get("unique"):
            flag(
                filled & values.duplicated(keep="first"), column, lambda v: f"'{v}' is a duplicate id: it already appears in an earlier row"
            )
    return problems


# Columns that refer to other rows beyond what the schema's foreignKeys can say:
# (table, column, target table, target column, separator of several ids or None, values allowed besides ids).
MULTI_KEYS = (
    ("figures", "attributed_to", "sources", "source_id", None, (UNATTRIBUTED,)),
    ("strikes", "may_include", "strikes", "strike_id", " ", ()),
)


def _check_foreign_keys(paths: dict[str, Path], schema: dict, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    for table in TABLES + OPTIONAL_TABLES:
        for key in schema[table]["schema"].get("foreignKeys", []):
            (column,) = key["fields"]
            target = key["reference"]["resource"] or table
            (target_column,) = key["reference"]["fields"]
            values = tables[table][column]
            dangling = (values != "") & ~values.isin(tables[target][target_column])
            for row in _rows(dangling):
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


def _check_source_rules(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
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


def _check_strike_rules(path: Path, tables: dict[str, pd.DataFrame]) -> list[Problem]:
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


def _check_figure_rules(path: Path, tables: dict[str, pd.DataFrame], values: pd.Series) -> list[Problem]:
    """Rules that tie one figure's columns together, beyond what the schema can say."""
    name = str(path)
    figures = tables["figures"]
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str, message) -> None:
        for row in _rows(mask):
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
