"""Rules across columns and rows, each on small made-up data or a copy of the bundled data: references, who a figure
is credited to, cites loops, named victims, vague words, dates of counts, groups of strikes, one value per subject."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import OTHER_FIGURES, OTHER_SOURCES, OTHER_STRIKES, broken_cell, figure, only_problem, problems_of, set_cell, write_dataset
from helpers.attribution import UNATTRIBUTED
from helpers.dataset import load_dataset

NGO = "example-ngo-2024"
MINISTRY = {
    **OTHER_SOURCES[1], "source_id": "example-ministry-2024", "publisher": "Example Ministry", "title": "Test count",
    "published": "", "kind": "official_statement", "body": "government", "alignment": "azerbaijan",
}  # fmt: skip


def with_figures(folder, *extra, strikes=None):
    """The made-up data with figures added, and the ministry among the sources."""
    return write_dataset(folder, sources=OTHER_SOURCES + [MINISTRY], strikes=strikes, figures=OTHER_FIGURES + list(extra))


def row_of_figure(figure_id: str, extra: list[dict]) -> int:
    return [f["figure_id"] for f in OTHER_FIGURES + extra].index(figure_id) + 2


def conflict_toll(figure_id: str, value: str, quote: str, attributed_to: str, **more) -> dict:
    return {**figure(figure_id, "civilian_deaths", value, "exact", "both", "conflict", quote), "attributed_to": attributed_to, **more}


# ---------------------------------------------------------------------------
# On a copy of the bundled data


@pytest.mark.parametrize(
    "key, column, value, named, words",
    [
        ("mt-strikes-analysed", "source_id", "no-such-source", "source_id", "'no-such-source' is not a source_id in sources.csv"),
        ("mt-ganja-deaths", "strike_id", "ganja-2020-10-18", "strike_id", "'ganja-2020-10-18' is not a strike_id in strikes.csv"),
        ("mt-deaths-armenian", "strike_id", "ganja-2020-10-17", "strike_id", "is filled but scope is 'analysed_strikes'"),
        ("mt-deaths-armenian", "value", "", "value", "is empty: give the number, or set qualifier to 'vague'"),
        ("mt-ganja-deaths", "value", "12", "quote", "does not state the value 12"),
        ("mt-ganja-deaths", "side", "azerbaijani_forces", "side", "strikes.csv gives 'armenian_forces' as the attacker"),
    ],
)
def test_a_figure_breaking_a_rule_is_named_by_row_and_column(bundled_copy, key, column, value, named, words):
    row, problem = broken_cell(bundled_copy, "figures", key, column, value)
    assert (problem.file, problem.row, problem.column) == (str(bundled_copy / "figures.csv"), row, named) and words in problem.message


def test_a_derivation_makes_an_unstated_value_acceptable(bundled_copy):
    set_cell(bundled_copy / "figures.csv", "mt-ganja-deaths", "value", "12")
    set_cell(bundled_copy / "figures.csv", "mt-ganja-deaths", "derivation", "made-up derivation for the test")
    assert load_dataset(bundled_copy).figures.set_index("figure_id").at["mt-ganja-deaths", "value"] == 12


def test_an_empty_quote_needs_a_note_calling_it_a_summary(bundled_copy):
    path = bundled_copy / "figures.csv"
    row = set_cell(path, "mt-deaths-armenian", "quote", "")
    problem = only_problem(bundled_copy)
    assert (problem.row, problem.column) == (row, "quote")
    set_cell(path, "mt-deaths-armenian", "note", "Reference gives a summary, not a verbatim quote.")
    assert load_dataset(bundled_copy).figures.set_index("figure_id").at["mt-deaths-armenian", "quote"] == ""


def test_one_value_per_subject_per_source(bundled_copy):
    path = bundled_copy / "figures.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = frame[frame["figure_id"] == "mt-deaths-armenian"].assign(
        figure_id="mt-deaths-armenian-again", value="70", quote="70", derivation=""
    )
    pd.concat([frame, extra]).to_csv(path, index=False)
    problem = only_problem(bundled_copy)
    assert (problem.row, problem.column) == (len(frame) + 2, "figure_id") and "same subject" in problem.message


# ---------------------------------------------------------------------------
# Who a figure is credited to


def test_a_figure_may_be_credited_to_a_source_or_to_no_one(tmp_path):
    extra = [
        conflict_toll(
            "eg-ministry-deaths",
            "450",
            "the ministry says at least 450",
            MINISTRY["source_id"],
            qualifier="at_least",
            subset="in_azerbaijan",
        ),
        conflict_toll("eg-caption-deaths", "480", "at least 480 civilians died", UNATTRIBUTED, qualifier="at_least"),
        # "The NGO counts 500; the ministry says 450": one publication, one subject, two bodies credited.
        conflict_toll("eg-deaths-conflict-ministry", "450", "the ministry says 450", MINISTRY["source_id"]),
    ]
    figures = load_dataset(with_figures(tmp_path / "d", *extra)).figures.set_index("figure_id")
    assert figures.at["eg-ministry-deaths", "attributed_to"] == MINISTRY["source_id"]
    assert figures.at["eg-caption-deaths", "attributed_to"] == UNATTRIBUTED
    assert len(figures) == len(OTHER_FIGURES) + 3


@pytest.mark.parametrize(
    "extra, column, words",
    [
        (
            conflict_toll("eg-ministry-deaths", "450", "at least 450", "no-such-ministry", qualifier="at_least", subset="in_azerbaijan"),
            "attributed_to",
            "'no-such-ministry' is not a source_id in sources.csv or 'unattributed'",
        ),
        # eg-deaths-conflict has an empty attributed_to: read as the publication's cites, the NGO.
        (conflict_toll("eg-deaths-conflict-again", "450", "450 died", NGO), "figure_id", "credited to the same body"),
    ],
)
def test_credit_names_a_known_source_and_one_body_once_per_subject(tmp_path, extra, column, words):
    folder = with_figures(tmp_path / "d", extra)
    problem = only_problem(folder)
    assert (problem.file, problem.row, problem.column) == (str(folder / "figures.csv"), row_of_figure(extra["figure_id"], [extra]), column)
    assert words in problem.message


# ---------------------------------------------------------------------------
# cites chains


def chained_sources(*links: tuple[str, str]) -> list[dict]:
    return [OTHER_SOURCES[0], *({**MINISTRY, "source_id": s, "publisher": s, "cites": cites} for s, cites in links), OTHER_SOURCES[1]]


@pytest.mark.parametrize(
    "links, looped",
    [
        ([("copy-a", "copy-b"), ("copy-b", "copy-a")], {"copy-a": "copy-a -> copy-b -> copy-a", "copy-b": "copy-b -> copy-a -> copy-b"}),
        ([("copy-a", "copy-a")], {"copy-a": "copy-a -> copy-a"}),
        # copy-c leads into the loop but is not part of it: only the loop's rows are named.
        (
            [("copy-c", "copy-a"), ("copy-a", "copy-b"), ("copy-b", "copy-a")],
            {"copy-a": "copy-a -> copy-b -> copy-a", "copy-b": "copy-b -> copy-a -> copy-b"},
        ),
    ],
)
def test_a_cites_chain_that_loops_is_rejected_naming_the_loop(tmp_path, links, looped):
    sources = chained_sources(*links)
    folder = write_dataset(tmp_path / "d", sources=sources)
    problems = problems_of(folder)
    rows = {s["source_id"]: i + 2 for i, s in enumerate(sources)}
    assert sorted((p.file, p.row, p.column) for p in problems) == sorted((str(folder / "sources.csv"), rows[s], "cites") for s in looped)
    for problem in problems:
        source_id = next(s for s, r in rows.items() if r == problem.row)
        assert looped[source_id] in problem.message and "loop" in problem.message


def test_a_long_chain_that_ends_is_accepted(tmp_path):
    sources = chained_sources(("copy-a", "copy-b"), ("copy-b", "copy-c"), ("copy-c", NGO))
    assert len(load_dataset(write_dataset(tmp_path / "d", sources=sources)).sources) == len(sources)


# ---------------------------------------------------------------------------
# Named victims, vague words, dates of counts


def test_named_victims_must_be_a_lower_bound(tmp_path):
    named = figure(
        "eg-westham-named", "civilian_deaths", "1", "exact", "unspecified", "strike", "killed a boy", "westham-2024-03-20",
        derivation='Named victims: "a boy" is one person (1).',
    )  # fmt: skip
    problem = only_problem(with_figures(tmp_path / "d", named))
    assert (problem.row, problem.column) == (row_of_figure("eg-westham-named", [named]), "qualifier")
    assert "named victims are not a toll" in problem.message
    figures = load_dataset(with_figures(tmp_path / "ok", {**named, "qualifier": "at_least"})).figures.set_index("figure_id")
    assert figures.at["eg-westham-named", "qualifier"] == "at_least"


def vague_figure(word: str, quote: str, qualifier: str = "vague", value: str = "") -> dict:
    return {**figure("eg-injured-vague", "civilian_injuries", value, qualifier, "both", "conflict", quote), "vague_word": word}


def test_a_vague_word_has_a_numeric_meaning(tmp_path):
    dataset = load_dataset(with_figures(tmp_path / "d", vague_figure("dozens", "dozens were injured")))
    word = dataset.figures.set_index("figure_id").at["eg-injured-vague", "vague_word"]
    assert dataset.vague_quantities.set_index("word").at[word, "at_least"] == 24


@pytest.mark.parametrize(
    "changed, words",
    [
        (vague_figure("oodles", "oodles were injured"), "'oodles' is not a word in vague_quantities.csv"),
        (vague_figure("dozens", "scores were injured"), "'dozens' does not appear in the quote"),
        (vague_figure("dozens", "30, dozens", qualifier="exact", value="30"), "a vague word belongs only to qualifier 'vague'"),
    ],
)
def test_a_vague_word_must_be_known_quoted_and_vague(tmp_path, changed, words):
    problem = only_problem(with_figures(tmp_path / "d", changed))
    assert (problem.row, problem.column) == (row_of_figure("eg-injured-vague", [changed]), "vague_word")
    assert words in problem.message


def test_a_data_folder_may_bring_its_own_vague_words(tmp_path):
    folder = with_figures(tmp_path / "d", vague_figure("a handful", "a handful were injured"))
    pd.DataFrame({"word": ["a handful"], "at_least": ["3"], "note": ["made up"]}).to_csv(folder / "vague_quantities.csv", index=False)
    assert load_dataset(folder).vague_quantities.set_index("word").at["a handful", "at_least"] == 3
    (folder / "vague_quantities.csv").unlink()  # without its own table, the bundled meanings apply, which lack the word
    assert "'a handful' is not a word in vague_quantities.csv" in str(only_problem(folder))


def test_as_of_cannot_be_after_the_publication_it_is_read_in(tmp_path):
    # The gazette is dated 2024-05-01; a month is not after a day within it.
    early = conflict_toll(
        "eg-running-early", "90", "90 killed so far", MINISTRY["source_id"], side="unspecified", subset="in_azerbaijan", as_of="2024-04-20"
    )
    same_month = {
        **early,
        "figure_id": "eg-running-month",
        "measure": "civilian_injuries",
        "value": "400",
        "quote": "400 injured so far",
        "as_of": "2024-05",
    }
    assert len(load_dataset(with_figures(tmp_path / "d", early, same_month)).figures) == len(OTHER_FIGURES) + 2
    late = {**early, "as_of": "2024-06-02"}
    problem = only_problem(with_figures(tmp_path / "late", late))
    assert (problem.row, problem.column) == (row_of_figure("eg-running-early", [late]), "as_of")
    assert "after the publication" in problem.message


# ---------------------------------------------------------------------------
# Groups of strikes and the single strikes they may include


def strikes_with(may_include: str) -> list[dict]:
    return [{**s, "may_include": may_include} if s["strike_id"] == "eastbury-strikes" else s for s in OTHER_STRIKES]


def test_a_group_may_include_single_strikes(tmp_path):
    folder = write_dataset(tmp_path / "d", strikes=strikes_with("northtown-2024-03-02 westham-2024-03-20"))
    strikes = load_dataset(folder).strikes.set_index("strike_id")
    assert strikes.at["eastbury-strikes", "may_include"].split(" ") == ["northtown-2024-03-02", "westham-2024-03-20"]


@pytest.mark.parametrize(
    "may_include, words",
    [
        ("northtown-2024-03-02 nowhere-2024-01-01", "'nowhere-2024-01-01' is not a strike_id in strikes.csv"),
        ("eastbury-strikes", "lists the strike itself"),
        ("westham-2024-03-20 westham-2024-03-20", "lists 'westham-2024-03-20' more than once"),
    ],
)
def test_a_group_lists_known_other_strikes_once(tmp_path, may_include, words):
    folder = write_dataset(tmp_path / "d", strikes=strikes_with(may_include))
    problem = only_problem(folder)
    row = [s["strike_id"] for s in OTHER_STRIKES].index("eastbury-strikes") + 2
    assert (problem.file, problem.row, problem.column) == (str(folder / "strikes.csv"), row, "may_include")
    assert words in problem.message
