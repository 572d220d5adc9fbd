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
import functools
import io
import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import numpy as np
import pandas as pd

from .problems import DataError, Problem, spreadsheet_rows
from .rules import (
    OPTIONAL_TABLES,
    TABLES,
    check_figure_rules,
    check_foreign_keys,
    check_source_rules,
    check_strike_rules,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PROJECT_ROOT / "data"
SCHEMA_PATH = BUNDLED_DATA_DIR / "datapackage.json"
# Numbers above this are refused as typos: no count this analysis reads comes near it, and
# sums of a few such values stay exact in floating point.
LARGEST_VALUE = 1e9
# Dates outside these years are refused as typos (0202-10-05 for 2020-10-05): the notebooks place
# strikes on a timeline of this war, and pandas' timestamps cover about 1677 to 2262 only.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Dataset:
    """The validated tables, all columns as text except figures.value and vague_quantities.at_least (float, NaN when not given) and strikes.date (datetime, NaT when not given)."""

    data_dir: Path
    sources: pd.DataFrame
    strikes: pd.DataFrame
    figures: pd.DataFrame
    vague_quantities: pd.DataFrame | None = None
    # The war the figures are about, from the folder's datapackage.json ("conflict": start, end, end_event); {} when not given.
    conflict: dict = dataclass_field(default_factory=dict)


@functools.cache
def load_schema() -> dict[str, dict]:
    """The bundled table schemas, by table name: read once (every label and rule asks for them); not to be changed."""
    package = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in package["resources"]}


def field_enum(table: str, column: str) -> list[str]:
    """Allowed values of a column, from the schema."""
    for field in load_schema()[table]["schema"]["fields"]:
        if field["name"] == column:
            return list(field.get("constraints", {}).get("enum", []))
    raise KeyError(f"the schema of table '{table}' has no column '{column}'")


def field_labels(table: str, column: str, key: str = "label") -> dict[str, str]:
    """Reader labels of a column's codes, from the schema's Table Schema `categories` ({} when it has none). key names
    another word a category may carry beside its label (sources' kinds carry `document`: what a reader calls the
    document, "report" for an NGO's report)."""
    for field in load_schema()[table]["schema"]["fields"]:
        if field["name"] == column:
            return {c["value"]: c[key] for c in field.get("categories", []) if isinstance(c, dict) and key in c}
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
    problems += check_foreign_keys(paths, schema, tables)
    problems += check_source_rules(paths["sources"], tables)
    problems += check_strike_rules(paths["strikes"], tables)
    problems += check_figure_rules(paths["figures"], tables, numbers["figures"]["value"])
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
        read_conflict(folder),
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


def _check_fields(name: str, frame: pd.DataFrame, schema: dict, numbers: dict[str, pd.Series]) -> list[Problem]:
    """Problems of single cells; number columns, once parsed, are left in `numbers` (NaN where empty)."""
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str, describe) -> None:
        for row in spreadsheet_rows(mask):
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


def read_conflict(folder: Path) -> dict:
    """The "conflict" entry of the folder's datapackage.json: the war's first and last day (YYYY-MM-DD) and what ended it."""
    package = folder / "datapackage.json"
    if not package.is_file():
        return {}
    try:
        conflict = json.loads(package.read_text(encoding="utf-8")).get("conflict", {})
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError([Problem(str(package), None, None, f"is not readable JSON: {error}")]) from None
    problems = [
        Problem(str(package), None, f"conflict.{key}", f"'{conflict.get(key)}' is not a date written YYYY-MM-DD")
        for key in ("start", "end")
        if key in conflict and pd.isna(pd.to_datetime(conflict[key], format="%Y-%m-%d", errors="coerce"))
    ]
    if problems:
        raise DataError(problems)
    return conflict
