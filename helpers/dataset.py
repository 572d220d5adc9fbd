"""Load the figures data package from any folder and check every cell against the bundled schema (data/datapackage.json),
a column at a time, so that each check reads as a rule about a column."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import numpy as np
import pandas as pd

from .printable import isolated
from .row_rules import (
    OPTIONAL_TABLES,
    TABLES,
    DataError,
    Problem,
    check_figure_rules,
    check_foreign_keys,
    check_source_rules,
    check_strike_rules,
    problems_at,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PROJECT_ROOT / "data"
SCHEMA_PATH = BUNDLED_DATA_DIR / "datapackage.json"
# Numbers above this are refused as typos: no count this analysis reads comes near it, and
# sums of a few such values stay exact in floating point.
LARGEST_VALUE = 1e9
# Columns added after data folders were in use: a header without one is read as if the column were there and empty.
LATER_COLUMNS = ("as_of_basis",)
# Dates outside these years are refused as typos (0202-10-05 for 2020-10-05): the notebooks place
# strikes on a timeline of this war, and pandas' timestamps cover about 1677 to 2262 only.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# Columns of free text, which may hold any script: isolated as they are loaded (the other text columns are ids, codes and addresses).
FREE_TEXT = {"sources": ("publisher", "title", "note"), "strikes": ("place", "place_other_name", "weapon", "note")}
FREE_TEXT |= {"figures": ("vague_word", "quote", "derivation", "note"), "vague_quantities": ("word", "note")}


@dataclass(frozen=True)
class Dataset:
    """The validated tables, all text but figures.value, vague_quantities.at_least (float, NaN: not given), strikes.date (NaT: none)."""

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


def _field(table: str, column: str) -> dict:
    for field in load_schema()[table]["schema"]["fields"]:
        if field["name"] == column:
            return field
    raise KeyError(f"the schema of table '{table}' has no column '{column}'")


def field_enum(table: str, column: str) -> list[str]:
    """Allowed values of a column, from the schema."""
    return list(_field(table, column).get("constraints", {}).get("enum", []))


def field_labels(table: str, column: str, key: str = "label") -> dict[str, str]:
    """Reader labels of a column's codes from the schema's `categories` ({} if none), or another word they carry (key: `document`)."""
    return {c["value"]: c[key] for c in _field(table, column).get("categories", []) if isinstance(c, dict) and key in c}


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise DataError(problems)


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """The data package in data_dir (default: the bundled data/), validated; else DataError lists every problem by file, row and column."""
    folder = BUNDLED_DATA_DIR if data_dir in (None, "") else Path(data_dir).expanduser()
    schema, paths = load_schema(), _table_paths(folder)
    read = {table: _read_table(path, schema[table]["schema"]) for table, path in paths.items()}
    _refuse([problem for _, found, _ in read.values() for problem in found])
    tables = {table: frame for table, (frame, _, _) in read.items()}
    numbers = {table: parsed for table, (_, _, parsed) in read.items()}
    values = numbers["figures"]["value"]
    found = check_foreign_keys(paths, schema, tables) + check_source_rules(paths["sources"], tables)
    _refuse(found + check_strike_rules(paths["strikes"], tables) + check_figure_rules(paths["figures"], tables, values))
    tables = {table: _isolate_text(table, frame) for table, frame in tables.items()}
    strikes = tables["strikes"].assign(date=pd.to_datetime(tables["strikes"]["date"].replace("", None), format="%Y-%m-%d"))
    figures = tables["figures"].assign(value=values)
    vague = tables["vague_quantities"].assign(at_least=numbers["vague_quantities"]["at_least"])
    return Dataset(folder, *(t.reset_index(drop=True) for t in (tables["sources"], strikes, figures, vague)), read_conflict(folder))


def _isolate_text(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its free text (not ids, codes or addresses) made safe to stand among the package's words (printable.isolated):
    done once, here, so that every sentence, table, chart and page reads it so."""
    columns = [c for c in FREE_TEXT.get(table, ()) if c in frame.columns]
    return frame.assign(**{c: frame[c].map(isolated) for c in columns}) if columns else frame


def _table_paths(folder: Path) -> dict[str, Path]:
    """Where each table is read from: the folder's own, or for an optional table it lacks, the bundled one."""
    if not folder.exists():
        raise DataError([Problem(str(folder), None, None, "data folder does not exist")])
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "is not a folder")])
    schema = load_schema()
    paths = {table: folder / schema[table]["path"] for table in TABLES + OPTIONAL_TABLES}
    _refuse([Problem(str(paths[table]), None, None, "table file not found") for table in TABLES if not paths[table].is_file()])
    return {table: path if path.is_file() else BUNDLED_DATA_DIR / schema[table]["path"] for table, path in paths.items()}


def _read_table(path: Path, schema: dict) -> tuple[pd.DataFrame | None, list[Problem], dict[str, pd.Series]]:
    """(the table as text, rows labelled by their line in the file less 2; its problems; its number columns parsed)."""
    expected = [field["name"] for field in schema["fields"]]
    frame, problems = _parse(path, expected)
    if frame is None:
        return None, problems, {}
    numbers: dict[str, pd.Series] = {}
    for field in schema["fields"]:
        for mask, describe in _cell_rules(field, frame[field["name"]], numbers):
            problems += problems_at(path, frame.loc[mask, field["name"]], field["name"], describe)
    return frame, problems, numbers


def _parse(path: Path, expected: list[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table's cells as text, or the problems that keep it from being read."""
    name, raw = str(path), path.read_bytes()
    if not raw or raw.isspace():
        return None, [Problem(name, None, None, "file is empty: expected a header row and data rows")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [_encoding_problem(name, raw, error)]
    if header_problems := _header_problems(name, text, expected):
        return None, header_problems
    try:
        # Parsed from the file itself (already known to be UTF-8), not from a second copy in memory.
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=object, keep_default_na=False, na_filter=False, engine="c")
    except pd.errors.ParserError as error:
        return None, [_parser_problem(name, error)]
    columns = f"the {len(frame.columns)} columns of the header"
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first cells as an index when every row has more cells than the header.
        return None, [Problem(name, 2, None, f"rows have more cells than {columns} (a comma at the end of each row?)")]
    # A row with fewer cells than the header is read with NaN in the missing cells.
    if len(short_rows := frame.index[frame.iloc[:, -1].isna()]):
        return None, [Problem(name, int(i) + 2, None, f"row has fewer cells than {columns}") for i in short_rows]
    if frame.empty:
        return None, [Problem(name, 2, None, "has a header but no rows: give at least one row of data")]
    if (lines := _line_numbers(text)) is not None and len(lines) == len(frame):
        # Blank lines, which pandas skips: rows are labelled by their line in the file (less 2, as everywhere).
        frame.index = pd.Index(lines) - 2
    return frame.reindex(columns=expected, fill_value=""), []


def _header_problems(name: str, text: str, expected: list[str]) -> list[Problem]:
    # Line ends as a spreadsheet may save them: \n, \r\n, or \r alone (old Mac).
    first_line = text.splitlines()[0] if text.strip() else ""
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration) as error:
        return [Problem(name, 1, None, f"the header is not a readable CSV row: {error}")]
    missing = [Problem(name, 1, c, "required column is missing from the header") for c in expected if c not in header + list(LATER_COLUMNS)]
    unknown = [Problem(name, 1, c, f"unknown column; the columns are: {', '.join(expected)}") for c in header if c not in expected]
    repeated = sorted({c for c in header if header.count(c) > 1})
    return missing + unknown + [Problem(name, 1, c, "column appears more than once in the header") for c in repeated]


def _line_numbers(text: str) -> list[int] | None:
    """The line in the file where each data row starts, when blank lines make it differ from its position; else None."""
    if not re.search(r"(?:\r\n|\r|\n)(?:\r\n|\r|\n)", text.rstrip("\r\n")):
        return None
    # The csv module refuses a cell over 128 KB by default; pandas read this file with no such limit, so neither may this.
    limit = csv.field_size_limit(len(text) + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader)
        lines, previous = [], reader.line_num
        for cells in reader:  # only files with blank lines come here
            if cells:
                lines.append(previous + 1)
            previous = reader.line_num
    finally:
        csv.field_size_limit(limit)
    return lines


def _encoding_problem(name: str, raw: bytes, error: UnicodeDecodeError) -> Problem:
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    line_end = raw.find(b"\n", error.start)
    line = raw[line_start : None if line_end < 0 else line_end].decode("utf-8", errors="replace")
    header = raw[: raw.find(b"\n")].decode("utf-8", errors="replace").strip().split(",")
    column = None
    try:
        cells = next(csv.reader([line]))
        column = next((header[i] for i, cell in enumerate(cells) if "\ufffd" in cell and i < len(header)), None)
    except (StopIteration, csv.Error):
        pass
    row = raw.count(b"\n", 0, error.start) + 1
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


def _cell_rules(field: dict, values: pd.Series, numbers: dict[str, pd.Series]) -> Iterator[tuple[pd.Series, object]]:
    """Per rule the field's schema sets: the cells that break it, and how to word one; number columns are parsed into numbers."""
    constraints, filled, dates = field.get("constraints", {}), values != "", None
    if constraints.get("required"):
        yield values.str.strip() == "", lambda v: "is empty but required"  # spaces alone are empty too
    if field.get("type") == "number":
        yield from _number_rules(values, filled, constraints.get("minimum"), numbers, field["name"])
    if field.get("type") == "date":
        dates = pd.to_datetime(values.where(filled), format="%Y-%m-%d", errors="coerce")
        yield filled & dates.isna(), lambda v: f"'{v}' is not a date written YYYY-MM-DD"
    if field.get("type") == "string" and str(constraints.get("pattern", "")).startswith("[0-9]{4}-[0-9]{2}"):
        # A date written as text, a month or a day: it must exist (no 2020-13-45) and fall in the years above.
        day, month = values.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), values.str.fullmatch(r"[0-9]{4}-[0-9]{2}")
        dates = pd.to_datetime(values.where(day, values + "-01").where(day | month), format="%Y-%m-%d", errors="coerce")
        yield filled & (day | month) & dates.isna(), lambda v: f"'{v}' is not a date that exists (YYYY-MM or YYYY-MM-DD)"
    if dates is not None:
        outside = dates.notna() & ((dates.dt.year < EARLIEST_YEAR) | (dates.dt.year > LATEST_YEAR))
        yield outside, lambda v: f"{v} is not between {EARLIEST_YEAR} and {LATEST_YEAR}; a typo in the year?"
    if "enum" in constraints:
        yield filled & ~values.isin(constraints["enum"]), lambda v: f"'{v}' is not one of: {', '.join(constraints['enum'])}"
    if "pattern" in constraints:
        yield filled & ~values.str.fullmatch(constraints["pattern"]), lambda v: f"'{v}' does not match the pattern {constraints['pattern']}"
    if constraints.get("unique"):
        yield filled & values.duplicated(keep="first"), lambda v: f"'{v}' is a duplicate id: it already appears in an earlier row"


def _number_rules(values: pd.Series, filled: pd.Series, minimum: float | None, numbers: dict, column: str) -> Iterator[tuple]:
    numbers[column] = parsed = pd.to_numeric(values.where(filled), errors="coerce").astype(float)
    finite = np.isfinite(parsed)
    yield filled & parsed.isna(), lambda v: f"'{v}' is not a number (write digits only, e.g. 2500)"
    yield filled & parsed.notna() & ~finite, lambda v: f"'{v}' is not a finite number (write digits only, e.g. 2500)"
    too_large = finite & (parsed.abs() > LARGEST_VALUE)
    yield too_large, lambda v: f"{v} is larger than any count this analysis takes (at most {LARGEST_VALUE:,.0f}); a typo?"
    if minimum is not None:
        in_range = parsed.where(finite & (parsed.abs() <= LARGEST_VALUE))
        yield in_range < minimum, lambda v: f"{v} is negative; a count cannot be below {minimum}"


def read_conflict(folder: Path) -> dict:
    """The "conflict" entry of the folder's datapackage.json: the war's first and last day (YYYY-MM-DD) and what ended it."""
    package = folder / "datapackage.json"
    if not package.is_file():
        return {}
    try:
        described = json.loads(package.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError([Problem(str(package), None, None, f"is not readable JSON: {error}")]) from None
    # Its structure first, before any field is read: what the pages and charts take from it.
    if not isinstance(described, dict):
        _refuse([Problem(str(package), None, None, f"must be a JSON object (a data package), not {type(described).__name__}")])
    conflict, title = described.get("conflict", {}), described.get("title", "text")
    if not isinstance(title, str) or not title.strip():
        _refuse([Problem(str(package), None, "title", f"must be a text that is not empty, not {repr(title)[:60]}")])
    if not isinstance(conflict, dict):
        _refuse([Problem(str(package), None, "conflict", f"must be an object (start, end, end_event), not {repr(conflict)[:60]}")])
    dated = {k: conflict[k] for k in ("start", "end") if k in conflict}
    bad = [k for k, v in dated.items() if not isinstance(v, str) or pd.isna(pd.to_datetime(v, format="%Y-%m-%d", errors="coerce"))]
    _refuse([Problem(str(package), None, f"conflict.{k}", f"{repr(dated[k])[:60]} is not a date written YYYY-MM-DD") for k in bad])
    if not isinstance(conflict.get("end_event", ""), str):
        _refuse([Problem(str(package), None, "conflict.end_event", "must be a text")])
    return conflict | ({"end_event": isolated(conflict["end_event"])} if "end_event" in conflict else {})
