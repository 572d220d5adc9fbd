"""Datasets the tests build themselves, with numbers unlike the bundled ones, and ways to break them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.dataset import BUNDLED_DATA_DIR, DataError, load_dataset, load_schema

COLUMNS = {name: [f["name"] for f in resource["schema"]["fields"]] for name, resource in load_schema().items()}

OTHER_SOURCE = "example-gazette-2024-05-01"

# A made-up account of a made-up set of strikes: other numbers, other shares
# (here Azerbaijani forces' strikes kill more), bounds, an approximate total,
# a strike with no toll and a group of strikes.
OTHER_SOURCES = [
    {
        "source_id": OTHER_SOURCE,
        "publisher": "Example Gazette",
        "title": "Test report",
        "url": "https://example.org/report",
        "published": "2024-05-01",
        "kind": "news_article",
        "body": "news_outlet",
        "alignment": "international",
        "cites": "example-ngo-2024",
        "note": "Made up for tests.",
    },
    {
        "source_id": "example-ngo-2024",
        "publisher": "Example NGO",
        "title": "Test original",
        "url": "",
        "published": "2024-04",
        "kind": "ngo_report",
        "body": "ngo",
        "alignment": "international",
        "cites": "",
        "note": "Made up for tests.",
    },
]
# The made-up war: its first and last day, and what ended it.
OTHER_CONFLICT = {"name": "Test war", "start": "2024-02-26", "end": "2024-03-25", "end_event": "armistice"}
OTHER_STRIKES = [
    {
        "strike_id": "northtown-2024-03-02",
        "date": "2024-03-02",
        "place": "Northtown",
        "place_other_name": "Nordstadt",
        "territory": "nagorno_karabakh",
        "side": "azerbaijani_forces",
        "side_basis": "stated",
        "weapon": "rockets",
        "note": "",
    },
    {
        "strike_id": "southville-2024-03-09",
        "date": "2024-03-09",
        "place": "Southville",
        "place_other_name": "",
        "territory": "azerbaijan",
        "side": "armenian_forces",
        "side_basis": "inferred",
        "weapon": "",
        "note": "Inferred for tests.",
    },
    {
        "strike_id": "eastbury-strikes",
        "date": "",
        "place": "Eastbury",
        "place_other_name": "",
        "territory": "armenia",
        "side": "azerbaijani_forces",
        "side_basis": "inferred",
        "weapon": "",
        "note": "A group of strikes.",
    },
    {
        "strike_id": "westham-2024-03-20",
        "date": "2024-03-20",
        "place": "Westham",
        "place_other_name": "",
        "territory": "azerbaijan",
        "side": "armenian_forces",
        "side_basis": "inferred",
        "weapon": "",
        "note": "No toll given.",
    },
]


def figure(
    figure_id, measure, value, qualifier, side, scope, quote, strike_id="", subset="", derivation="", note="", source_id=OTHER_SOURCE
):
    return {
        "figure_id": figure_id,
        "source_id": source_id,
        "measure": measure,
        "value": value,
        "qualifier": qualifier,
        "side": side,
        "scope": scope,
        "strike_id": strike_id,
        "subset": subset,
        "quote": quote,
        "derivation": derivation,
        "note": note,
    }


OTHER_FIGURES = [
    figure("eg-strikes-all", "strikes", "30", "exact", "both", "analysed_strikes", "thirty strikes in all"),
    figure("eg-strikes-arm", "strikes", "10", "exact", "armenian_forces", "analysed_strikes", "ten by Armenian forces"),
    figure("eg-strikes-aze", "strikes", "20", "exact", "azerbaijani_forces", "analysed_strikes", "20 by Azerbaijani forces"),
    figure("eg-deaths-arm", "civilian_deaths", "40", "at_least", "armenian_forces", "analysed_strikes", "killed at least 40 civilians"),
    figure("eg-deaths-aze", "civilian_deaths", "300", "exact", "azerbaijani_forces", "analysed_strikes", "killing 300 civilians"),
    figure("eg-deaths-conflict", "civilian_deaths", "500", "at_least", "both", "conflict", "at least five hundred civilians died"),
    figure("eg-deaths-all", "deaths_all", "9000", "approx", "both", "conflict", "about 9,000 people died"),
    figure(
        "eg-northtown-deaths", "civilian_deaths", "120", "exact", "unspecified", "strike", "120 killed in Northtown", "northtown-2024-03-02"
    ),
    figure(
        "eg-northtown-injured",
        "civilian_injuries",
        "15",
        "more_than",
        "unspecified",
        "strike",
        "more than 15 injured",
        "northtown-2024-03-02",
    ),
    figure(
        "eg-southville-deaths",
        "civilian_deaths",
        "15",
        "more_than",
        "unspecified",
        "strike",
        "more than fifteen dead",
        "southville-2024-03-09",
    ),
    figure(
        "eg-southville-children",
        "civilian_deaths",
        "3",
        "exact",
        "unspecified",
        "strike",
        "three children among them",
        "southville-2024-03-09",
        subset="children",
    ),
    figure("eg-eastbury-strikes", "strikes", "4", "exact", "unspecified", "strike", "four strikes on Eastbury", "eastbury-strikes"),
    figure("eg-eastbury-deaths", "civilian_deaths", "60", "exact", "unspecified", "strike", "killed 60 there", "eastbury-strikes"),
    figure(
        "eg-westham-missiles", "missile_strikes", "2", "exact", "unspecified", "strike", "two missiles hit Westham", "westham-2024-03-20"
    ),
    figure("eg-sites", "sites_visited", "", "vague", "both", "analysed_strikes", "many sites"),
]


def write_table(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(folder: Path, sources=None, strikes=None, figures=None) -> Path:
    """A data package folder with the given rows (default: the made-up account above)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("sources", sources or OTHER_SOURCES), ("strikes", strikes or OTHER_STRIKES), ("figures", figures or OTHER_FIGURES)):
        write_table(folder / f"{name}.csv", rows, COLUMNS[name])
    package = json.loads((BUNDLED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    package["conflict"] = OTHER_CONFLICT
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    return folder


@pytest.fixture
def other_data_dir(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "other-data")


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data to break in one place."""
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    return target


# A second made-up publication, citing no one, for tests that compare sources.
WIRE = {**OTHER_SOURCES[0], "source_id": "example-wire-2024-05-02", "publisher": "Example Wire", "cites": "", "published": "2024-05-02"}


def wire_toll(figure_id, value, qualifier, quote, strike_id="", scope="strike", side="unspecified"):
    """A civilian toll the made-up wire states."""
    return figure(figure_id, "civilian_deaths", value, qualifier, side, scope, quote, strike_id, source_id=WIRE["source_id"])


ARTICLE = "moscow-times-2021-01-14"


@pytest.fixture(scope="session")
def bundled():
    """The bundled data, loaded once."""
    return load_dataset()


@pytest.fixture(scope="session")
def article(bundled):
    """The article's figures in the bundled data."""
    from helpers.study import Study

    return Study(bundled, ARTICLE)


@pytest.fixture
def other(other_data_dir):
    """The made-up account above."""
    return study_of(other_data_dir)


def study_of(folder: Path, source_id: str = OTHER_SOURCE, side: str = ""):
    """A study of a data package the test wrote."""
    from helpers.study import Study

    return Study(load_dataset(folder), source_id, side)


def one(frame, **where):
    """The one row of frame where every column has the given value."""
    chosen = frame
    for column, value in where.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, where
    return chosen.iloc[0]


def row_of(path: Path, key: str, id_column: str = "figure_id") -> int:
    """Spreadsheet row (header = 1) of the row whose id is key."""
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row[id_column] == key:
                return number
    raise AssertionError(f"{key} not in {path}")


def set_cell(path: Path, key: str, column: str, value: str, id_column: str = "figure_id") -> int:
    """Change one cell of a CSV table; returns its spreadsheet row."""
    row = row_of(path, key, id_column)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame[id_column] == key, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")
    return row


def problems_of(folder: Path) -> list:
    """The problems load_dataset finds in folder (it must find some)."""
    with pytest.raises(DataError) as error:
        load_dataset(folder)
    return error.value.problems


def only_problem(folder: Path):
    """The one problem load_dataset finds in folder."""
    problems = problems_of(folder)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def broken_cell(folder: Path, table: str, key: str, column: str, value: str) -> tuple[int, object]:
    """Set one cell of the data in folder; (its spreadsheet row, the one problem loading then finds)."""
    row = set_cell(folder / f"{table}.csv", key, column, value, "strike_id" if table == "strikes" else "figure_id")
    return row, only_problem(folder)


def notebook_with(folder: Path, name: str, *codes: str) -> Path:
    """A notebook of the runner's shape (one parameters cell), then the given code cells: one that only starts a kernel,
    hangs, dies or fails, for what the runner does with a run rather than what an analysis shows."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    parameters = new_code_cell('source_id: str = "a"  # which source')
    parameters.metadata["tags"] = ["parameters"]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(new_notebook(cells=[parameters, *map(new_code_cell, codes)], metadata=kernel), folder / name)
    return folder / name
