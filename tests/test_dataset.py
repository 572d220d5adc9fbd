"""Loading and validating the data package: the bundled data, other data, and every kind of bad input."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.dataset import BUNDLED_DATA_DIR, DataError, load_dataset
from helpers.quotes import numbers_in, quote_states_value, words_to_number

ARTICLE = "moscow-times-2021-01-14"


def row_of(path: Path, figure_id: str, id_column: str = "figure_id") -> int:
    """Spreadsheet row (header = 1) of the row whose id is figure_id."""
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row[id_column] == figure_id:
                return number
    raise AssertionError(f"{figure_id} not in {path}")


def set_cell(path: Path, key: str, column: str, value: str, id_column: str = "figure_id") -> int:
    """Change one cell of a CSV table; returns its spreadsheet row."""
    row = row_of(path, key, id_column)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame[id_column] == key, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")
    return row


def only_problem(error: pytest.ExceptionInfo) -> object:
    problems = error.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# ---------------------------------------------------------------------------
# The bundled data


def test_bundled_data_loads_from_anywhere(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the bundled data are found from the package, not the current directory
    dataset = load_dataset()
    assert dataset.data_dir == BUNDLED_DATA_DIR
    assert {"sources", "strikes", "figures"} == {"sources", "strikes", "figures"} & set(vars(dataset))
    assert dataset.figures["value"].dtype == float
    assert str(dataset.strikes["date"].dtype).startswith("datetime64")


def test_bundled_data_package_validates_with_frictionless():
    from frictionless import Package

    report = Package(str(BUNDLED_DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_number_of_the_article_is_a_figure_with_its_quote():
    figures = load_dataset().figures
    article = figures[figures["source_id"] == ARTICLE].set_index("figure_id")
    text = (Path(__file__).resolve().parent.parent / "data" / "figures.csv").read_text(encoding="utf-8")
    assert "Support The Moscow Times" not in text  # no wholesale copy of the article
    expected = {
        ("strikes", "both", "analysed_strikes"): (17, "exact"),
        ("strikes", "armenian_forces", "analysed_strikes"): (8, "exact"),
        ("strikes", "azerbaijani_forces", "analysed_strikes"): (9, "exact"),
        ("civilian_deaths", "armenian_forces", "analysed_strikes"): (72, "exact"),
        ("civilian_deaths", "azerbaijani_forces", "analysed_strikes"): (11, "exact"),
        ("civilian_deaths", "both", "conflict"): (146, "exact"),
        ("deaths_all", "both", "conflict"): (6000, "more_than"),
        ("war_duration_weeks", "both", "conflict"): (6, "exact"),
    }
    whole = article[article["subset"] == ""]
    for (measure, side, scope), (value, qualifier) in expected.items():
        row = whole[(whole["measure"] == measure) & (whole["side"] == side) & (whole["scope"] == scope)]
        assert len(row) == 1, (measure, side, scope)
        assert row["value"].iloc[0] == value and row["qualifier"].iloc[0] == qualifier
    on_strikes = article[article["scope"] == "strike"]

    def strike_value(place: str, measure: str, subset: str = "") -> float:
        rows = on_strikes[
            on_strikes["strike_id"].str.startswith(place) & (on_strikes["measure"] == measure) & (on_strikes["subset"] == subset)
        ]
        assert len(rows) == 1, (place, measure, subset)
        return rows["value"].iloc[0]

    assert strike_value("martuni-2020-09-27", "civilian_deaths") == 1
    assert strike_value("martuni-2020-09-27", "civilian_injuries") == 1
    assert strike_value("martuni-2020-09-27", "missile_strikes") == 12
    assert strike_value("ganja-2020-10-17", "civilian_deaths") == 21
    assert strike_value("ganja-2020-10-17", "civilian_deaths", "one_family") == 4
    dozens = article[article["measure"] == "sites_visited"]
    assert dozens["qualifier"].tolist() == ["vague"] and dozens["value"].isna().all()
    # Every quote is verbatim from the article, when the article is at hand (it is not part of the package).
    reference = Path(__file__).resolve().parents[2] / "shared" / "reference" / "moscow-times-2021-01-14.txt"
    if reference.exists():
        original = reference.read_text(encoding="utf-8")
        for figure_id, quote in article["quote"].items():
            assert quote in original, figure_id


def test_the_article_names_no_attacker_of_its_two_strikes():
    strikes = load_dataset().strikes.set_index("strike_id")
    for strike_id in ("martuni-2020-09-27", "ganja-2020-10-17"):
        assert strikes.at[strike_id, "side_basis"] == "inferred"
        assert "infer" in strikes.at[strike_id, "note"].lower()
    assert strikes.at["martuni-2020-09-27", "place_other_name"] == "Khojavend"
    assert strikes.at["martuni-2020-09-27", "territory"] == "nagorno_karabakh"


def test_every_figure_quote_states_its_value_or_has_a_derivation():
    figures = load_dataset().figures
    quoted = figures[(figures["quote"] != "") & figures["value"].notna()]
    stated = quote_states_value(quoted["quote"], quoted["value"])
    unexplained = quoted[~stated & (quoted["derivation"] == "")]
    assert unexplained.empty, unexplained[["figure_id", "value", "quote"]]
    # And the check is not vacuous: the derived figures really are not stated as numbers.
    derived = quoted[quoted["derivation"] != ""]
    assert len(derived) >= 3
    assert not quote_states_value(derived["quote"], derived["value"]).all()


# ---------------------------------------------------------------------------
# Numbers in quotes


@pytest.mark.parametrize(
    "words, number",
    [
        ("eight", 8),
        ("seventy-two", 72),
        ("one hundred and forty-six", 146),
        ("six thousand", 6000),
        ("two thousand four hundred", 2400),
        ("Ten", 10),
        ("one hundred", 100),
    ],
)
def test_words_to_number(words, number):
    assert words_to_number(words) == number


@pytest.mark.parametrize(
    "quote, value, expected",
    [
        ("killed seventy-two civilians", 72, True),
        ("killed seventy-two civilians", 70, False),  # part of a longer number
        ("five hundred died", 5, False),
        ("five hundred died", 500, True),
        ("an eight-year-old girl", 8, True),  # an age, read as the number it is
        ("an eight-year-old girl", 1, False),
        ("Eight of those strikes", 8, True),
        ("killed 12 people", 1, False),
        ("more than 6,000 people", 6000, True),
        ("more than 6,000 people", 6, False),
        ("in 2020, 3 died", 3, True),
        ("one hundred forty-six", 146, True),  # not the usual spelling: read by the full reader
        ("twenty one dead", 21, True),
        ("twenty one dead", 20, False),
    ],
)
def test_quote_states_value_cases(quote, value, expected):
    assert quote_states_value(pd.Series([quote]), pd.Series([float(value)])).tolist() == [expected]


def test_numbers_in_reads_digits_and_words_but_not_parts_of_other_numbers():
    texts = ["more than 6,000 people", "an eight-year-old girl", "12 missile strikes", "at 1:50 a.m.", "eight and nine"]
    assert [numbers_in(t) for t in texts] == [[6000.0], [8.0], [12.0], [1.0, 50.0], [8.0, 9.0]]
    assert numbers_in("reached one hundred and five, then 2.5") == [105.0, 2.5]
    states = quote_states_value(pd.Series(["killed 12", "killed 1 person", "killed an eight-year-old girl"]), pd.Series([1.0, 1.0, 1.0]))
    assert states.tolist() == [False, True, False]


# ---------------------------------------------------------------------------
# Other data of the same schema


def test_other_dataset_loads(other_data_dir):
    dataset = load_dataset(other_data_dir)
    assert dataset.data_dir == other_data_dir
    assert len(dataset.figures) == 15
    assert dataset.figures.set_index("figure_id").at["eg-deaths-all", "value"] == 9000


# ---------------------------------------------------------------------------
# Bad input: one test per kind, each checking file, row and column in the message.


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="does not exist") as error:
        load_dataset(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(error.value)


def test_empty_folder_names_every_missing_table(tmp_path):
    with pytest.raises(DataError) as error:
        load_dataset(tmp_path)
    message = str(error.value)
    for name in ("sources.csv", "strikes.csv", "figures.csv"):
        assert f"{tmp_path / name}: table file not found" in message


def test_missing_table(bundled_copy):
    (bundled_copy / "strikes.csv").unlink()
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    assert only_problem(error).file == str(bundled_copy / "strikes.csv")


def test_missing_column(bundled_copy):
    frame = pd.read_csv(bundled_copy / "figures.csv", dtype=str, keep_default_na=False).drop(columns="qualifier")
    frame.to_csv(bundled_copy / "figures.csv", index=False)
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.file, problem.row, problem.column) == (str(bundled_copy / "figures.csv"), 1, "qualifier")
    assert "required column is missing" in str(error.value)


def test_extra_unknown_column(bundled_copy):
    frame = pd.read_csv(bundled_copy / "strikes.csv", dtype=str, keep_default_na=False).assign(casualties="3")
    frame.to_csv(bundled_copy / "strikes.csv", index=False)
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (1, "casualties") and "unknown column" in problem.message


def test_empty_file(bundled_copy):
    (bundled_copy / "sources.csv").write_text("")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert problem.file == str(bundled_copy / "sources.csv") and "empty" in problem.message


def test_not_utf8(bundled_copy):
    path = bundled_copy / "strikes.csv"
    text = path.read_text(encoding="utf-8").replace("Khojavend", "Khojav\u00e9nd")
    # A spreadsheet saving in Windows-1252 instead of UTF-8.
    path.write_bytes(text.encode("cp1252", errors="replace"))
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row_of_text(text, "Khojav\u00e9nd"), "place_other_name")
    assert "not UTF-8" in problem.message


def row_of_text(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_row_with_too_many_cells(bundled_copy):
    path = bundled_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert problem.file == str(path) and problem.row == 4 and "cells" in problem.message


def test_number_written_as_text(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-deaths-armenian", "value", "seventy-two")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.file, problem.row, problem.column) == (str(bundled_copy / "figures.csv"), row, "value")
    assert "'seventy-two' is not a number" in problem.message


def test_negative_count(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-deaths-azerbaijani", "value", "-11")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problems = error.value.problems
    assert any((p.row, p.column) == (row, "value") and "negative" in p.message for p in problems)


def test_unknown_qualifier(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-deaths-all-conflict", "qualifier", "over")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "qualifier") and "'over' is not one of" in problem.message


def test_duplicate_id(bundled_copy):
    path = bundled_copy / "figures.csv"
    row = set_cell(path, "mt-deaths-azerbaijani", "figure_id", "mt-deaths-armenian")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "figure_id") and "duplicate" in problem.message


def test_figure_pointing_at_unknown_source(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-strikes-analysed", "source_id", "no-such-source")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "source_id") and "'no-such-source' is not a source_id in sources.csv" in problem.message


def test_figure_pointing_at_unknown_strike(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-ganja-deaths", "strike_id", "ganja-2020-10-18")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "strike_id") and "strikes.csv" in problem.message


def test_quote_that_does_not_state_its_value(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-ganja-deaths", "value", "12")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "quote") and "does not state the value 12" in problem.message


def test_a_derivation_makes_an_unstated_value_acceptable(bundled_copy):
    path = bundled_copy / "figures.csv"
    set_cell(path, "mt-ganja-deaths", "value", "12")
    set_cell(path, "mt-ganja-deaths", "derivation", "made-up derivation for the test")
    assert load_dataset(bundled_copy).figures.set_index("figure_id").at["mt-ganja-deaths", "value"] == 12


def test_date_that_is_not_a_date(bundled_copy):
    row = set_cell(bundled_copy / "strikes.csv", "ganja-2020-10-17", "date", "2020-10-32", id_column="strike_id")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "date") and "not a date" in problem.message


def test_strike_id_only_with_scope_strike(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-deaths-armenian", "strike_id", "ganja-2020-10-17")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "strike_id") and "scope" in problem.message


def test_empty_value_needs_qualifier_vague(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-deaths-armenian", "value", "")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "value") and "vague" in problem.message


def test_empty_quote_needs_a_note_calling_it_a_summary(bundled_copy):
    path = bundled_copy / "figures.csv"
    row = set_cell(path, "mt-deaths-armenian", "quote", "")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    assert (only_problem(error).row, only_problem(error).column) == (row, "quote")
    set_cell(path, "mt-deaths-armenian", "note", "Reference gives a summary, not a verbatim quote.")
    assert load_dataset(bundled_copy).figures.set_index("figure_id").at["mt-deaths-armenian", "quote"] == ""


def test_strike_figure_side_must_agree_with_the_strike(bundled_copy):
    row = set_cell(bundled_copy / "figures.csv", "mt-ganja-deaths", "side", "azerbaijani_forces")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (row, "side") and "armenian_forces" in problem.message


def test_one_value_per_subject_per_source(bundled_copy):
    path = bundled_copy / "figures.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = frame[frame["figure_id"] == "mt-deaths-armenian"].assign(
        figure_id="mt-deaths-armenian-again", value="70", quote="70", derivation=""
    )
    pd.concat([frame, extra]).to_csv(path, index=False)
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    problem = only_problem(error)
    assert (problem.row, problem.column) == (len(frame) + 2, "figure_id") and "same subject" in problem.message


def test_all_problems_are_reported_at_once(bundled_copy):
    path = bundled_copy / "figures.csv"
    set_cell(path, "mt-deaths-armenian", "value", "lots")
    set_cell(path, "mt-deaths-azerbaijani", "qualifier", "roughly")
    with pytest.raises(DataError) as error:
        load_dataset(bundled_copy)
    assert {p.column for p in error.value.problems} == {"value", "qualifier"}
    assert re.search(r"2 problems in the data", str(error.value))
