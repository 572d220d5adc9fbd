"""The data rules of issue 9, each pinned on small made-up data: who a figure is credited to, cites loops,
named victims, vague words, as-of dates of running counts, groups' possible strikes; and the bundled data
checked against the same rules' intent."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import OTHER_FIGURES, OTHER_SOURCES, OTHER_STRIKES, figure, write_dataset
from helpers.dataset import BUNDLED_DATA_DIR, DataError, load_dataset
from helpers.rules import UNATTRIBUTED

NGO = "example-ngo-2024"
MINISTRY = {
    "source_id": "example-ministry-2024",
    "publisher": "Example Ministry",
    "title": "Test count",
    "url": "",
    "published": "",
    "kind": "official_statement",
    "body": "government",
    "alignment": "azerbaijan",
    "cites": "",
    "note": "Made up for tests.",
}


def problems_of(folder: Path) -> list:
    with pytest.raises(DataError) as error:
        load_dataset(folder)
    return error.value.problems


def only_problem(folder: Path):
    problems = problems_of(folder)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def with_figures(tmp_path, *extra, sources=None, strikes=None):
    return write_dataset(
        tmp_path / "d", sources=sources or OTHER_SOURCES + [MINISTRY], strikes=strikes, figures=OTHER_FIGURES + list(extra)
    )


def credited(figure_row: dict, attributed_to: str) -> dict:
    return {**figure_row, "attributed_to": attributed_to}


def row_of_figure(figure_id: str, extra: list[dict]) -> int:
    ids = [f["figure_id"] for f in OTHER_FIGURES + extra]
    return ids.index(figure_id) + 2


# ---------------------------------------------------------------------------
# Attribution


def test_a_figure_may_be_credited_to_a_source_or_to_no_one(tmp_path):
    extra = [
        credited(
            figure(
                "eg-ministry-deaths",
                "civilian_deaths",
                "450",
                "at_least",
                "unspecified",
                "conflict",
                "the ministry says at least 450",
                subset="in_azerbaijan",
            ),
            MINISTRY["source_id"],
        ),
        credited(
            figure("eg-caption-deaths", "civilian_deaths", "480", "at_least", "both", "conflict", "at least 480 civilians died"),
            UNATTRIBUTED,
        ),
    ]
    figures = load_dataset(with_figures(tmp_path, *extra)).figures.set_index("figure_id")
    assert figures.at["eg-ministry-deaths", "attributed_to"] == MINISTRY["source_id"]
    assert figures.at["eg-caption-deaths", "attributed_to"] == UNATTRIBUTED


def test_attributed_to_must_name_a_known_source(tmp_path):
    extra = [
        credited(
            figure(
                "eg-ministry-deaths",
                "civilian_deaths",
                "450",
                "at_least",
                "unspecified",
                "conflict",
                "at least 450",
                subset="in_azerbaijan",
            ),
            "no-such-ministry",
        )
    ]
    folder = with_figures(tmp_path, *extra)
    problem = only_problem(folder)
    assert (problem.file, problem.row, problem.column) == (
        str(folder / "figures.csv"),
        row_of_figure("eg-ministry-deaths", extra),
        "attributed_to",
    )
    assert "'no-such-ministry' is not a source_id in sources.csv or 'unattributed'" in problem.message


def test_one_publication_may_report_two_bodies_values_for_one_subject(tmp_path):
    # "The NGO counts 500; the ministry says 450": same subject, two bodies credited, both kept.
    extra = [
        credited(
            figure("eg-deaths-conflict-ministry", "civilian_deaths", "450", "exact", "both", "conflict", "the ministry says 450"),
            MINISTRY["source_id"],
        )
    ]
    assert len(load_dataset(with_figures(tmp_path, *extra)).figures) == len(OTHER_FIGURES) + 1


def test_the_same_body_credited_twice_for_one_subject_is_a_duplicate(tmp_path):
    # eg-deaths-conflict has an empty attributed_to: read as the publication's cites, the NGO.
    extra = [credited(figure("eg-deaths-conflict-again", "civilian_deaths", "450", "exact", "both", "conflict", "450 died"), NGO)]
    folder = with_figures(tmp_path, *extra)
    problem = only_problem(folder)
    assert (problem.row, problem.column) == (row_of_figure("eg-deaths-conflict-again", extra), "figure_id")
    assert "credited to the same body" in problem.message


# ---------------------------------------------------------------------------
# cites chains that loop


def looped_sources(*links: tuple[str, str]) -> list[dict]:
    rows = [dict(OTHER_SOURCES[0])]
    for source_id, cites in links:
        rows.append({**MINISTRY, "source_id": source_id, "publisher": source_id, "cites": cites})
    return rows + [OTHER_SOURCES[1]]


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
    sources = looped_sources(*links)
    folder = write_dataset(tmp_path / "d", sources=sources)
    problems = problems_of(folder)
    rows = {s["source_id"]: i + 2 for i, s in enumerate(sources)}
    assert sorted((p.file, p.row, p.column) for p in problems) == sorted((str(folder / "sources.csv"), rows[s], "cites") for s in looped)
    for problem in problems:
        source_id = next(s for s, r in rows.items() if r == problem.row)
        assert looped[source_id] in problem.message and "loop" in problem.message


def test_a_long_chain_that_ends_is_accepted(tmp_path):
    sources = looped_sources(("copy-a", "copy-b"), ("copy-b", "copy-c"), ("copy-c", NGO))
    assert len(load_dataset(write_dataset(tmp_path / "d", sources=sources)).sources) == len(sources)


# ---------------------------------------------------------------------------
# Named victims are not a toll


def test_named_victims_must_be_a_lower_bound(tmp_path):
    named = figure(
        "eg-westham-named",
        "civilian_deaths",
        "1",
        "exact",
        "unspecified",
        "strike",
        "killed a boy",
        "westham-2024-03-20",
        derivation='Named victims: "a boy" is one person (1).',
    )
    folder = with_figures(tmp_path, named)
    problem = only_problem(folder)
    assert (problem.row, problem.column) == (row_of_figure("eg-westham-named", [named]), "qualifier")
    assert "named victims are not a toll" in problem.message
    bounded = {**named, "qualifier": "at_least"}
    figures = load_dataset(with_figures(tmp_path / "ok", bounded)).figures.set_index("figure_id")
    assert figures.at["eg-westham-named", "qualifier"] == "at_least"


# ---------------------------------------------------------------------------
# Vague words and their numeric meaning


def vague_figure(word: str, quote: str, qualifier: str = "vague", value: str = "") -> dict:
    return {**figure("eg-injured-vague", "civilian_injuries", value, qualifier, "both", "conflict", quote), "vague_word": word}


def test_a_vague_word_has_a_numeric_meaning(tmp_path):
    dataset = load_dataset(with_figures(tmp_path, vague_figure("dozens", "dozens were injured")))
    meaning = dataset.vague_quantities.set_index("word")["at_least"]
    word = dataset.figures.set_index("figure_id").at["eg-injured-vague", "vague_word"]
    assert meaning[word] == 24
    assert meaning["scores"] == 40 and meaning["hundreds"] == 200


@pytest.mark.parametrize(
    "changed, column, words",
    [
        (vague_figure("oodles", "oodles were injured"), "vague_word", "'oodles' is not a word in vague_quantities.csv"),
        (vague_figure("dozens", "scores were injured"), "vague_word", "'dozens' does not appear in the quote"),
        (
            vague_figure("dozens", "30, dozens", qualifier="exact", value="30"),
            "vague_word",
            "a vague word belongs only to qualifier 'vague'",
        ),
    ],
)
def test_a_vague_word_must_be_known_quoted_and_vague(tmp_path, changed, column, words):
    folder = with_figures(tmp_path, changed)
    problem = only_problem(folder)
    assert (problem.row, problem.column) == (row_of_figure("eg-injured-vague", [changed]), column)
    assert words in problem.message


def test_a_data_folder_may_bring_its_own_vague_words(tmp_path):
    folder = with_figures(tmp_path, vague_figure("a handful", "a handful were injured"))
    pd.DataFrame({"word": ["a handful"], "at_least": ["3"], "note": ["made up"]}).to_csv(folder / "vague_quantities.csv", index=False)
    assert load_dataset(folder).vague_quantities.set_index("word").at["a handful", "at_least"] == 3
    (folder / "vague_quantities.csv").unlink()  # without its own table, the bundled meanings apply, which lack the word
    assert "'a handful' is not a word in vague_quantities.csv" in str(only_problem(folder))


# ---------------------------------------------------------------------------
# Running counts: the date a count refers to


def test_as_of_cannot_be_after_the_publication_it_is_read_in(tmp_path):
    # The gazette is dated 2024-05-01.
    early = {
        **figure(
            "eg-running-early", "civilian_deaths", "90", "exact", "unspecified", "conflict", "90 killed so far", subset="in_azerbaijan"
        ),
        "attributed_to": MINISTRY["source_id"],
        "as_of": "2024-04-20",
    }
    same_month = {
        **figure(
            "eg-running-month", "civilian_injuries", "400", "exact", "unspecified", "conflict", "400 injured so far", subset="in_azerbaijan"
        ),
        "attributed_to": MINISTRY["source_id"],
        "as_of": "2024-05",
    }
    assert len(load_dataset(with_figures(tmp_path, early, same_month)).figures) == len(OTHER_FIGURES) + 2
    late = {**early, "as_of": "2024-06-02"}
    folder = with_figures(tmp_path / "late", late)
    problem = only_problem(folder)
    assert (problem.row, problem.column) == (row_of_figure("eg-running-early", [late]), "as_of")
    assert "after the publication" in problem.message


# ---------------------------------------------------------------------------
# Groups of strikes and the single strikes they may include


def strikes_with(may_include: str) -> list[dict]:
    return [{**s, "may_include": may_include} if s["strike_id"] == "eastbury-strikes" else s for s in OTHER_STRIKES]


def test_a_group_may_include_single_strikes(tmp_path):
    strikes = load_dataset(
        write_dataset(tmp_path / "d", strikes=strikes_with("northtown-2024-03-02 westham-2024-03-20"))
    ).strikes.set_index("strike_id")
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


# ---------------------------------------------------------------------------
# The bundled data


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


def original(sources: pd.DataFrame, source_id: str) -> str:
    parent = sources.set_index("source_id")["cites"]
    while parent[source_id]:
        source_id = parent[source_id]
    return source_id


def test_every_bundled_figure_says_who_it_is_credited_to(bundled):
    assert (bundled.figures["attributed_to"] != "").all()
    assert (bundled.sources["body"] != "").all() and (bundled.sources["alignment"] != "").all()


def test_bundled_figures_are_credited_to_whom_their_text_names(bundled):
    figures = bundled.figures.set_index("figure_id")
    sources = bundled.sources.set_index("source_id")
    # The BBC does not say whose count of civilians on both sides it gives.
    assert figures.at["bbc-deaths-civilian-conflict", "attributed_to"] == UNATTRIBUTED
    # "Azerbaijan says ..." and "Armenia says ..." in Al Jazeera are the governments', not Amnesty's.
    for figure_id, party in (
        ("aj-deaths-civilian-azerbaijan-count", "azerbaijan"),
        ("aj-military-deaths-azerbaijan-count", "azerbaijan"),
        ("aj-deaths-civilian-armenia-count", "armenia"),
        ("aj-military-deaths-armenia-count", "armenia"),
    ):
        body = sources.loc[figures.at[figure_id, "attributed_to"]]
        assert (body["alignment"], body["body"]) == (party, "government"), figure_id
    # Every figure whose quote says "<party> says" is credited to a body aligned with that party.
    for party in ("Azerbaijan", "Armenia"):
        says = figures[figures["quote"].str.contains(rf"\b{party} (?:says|said)\b")]
        assert len(says) >= 3
        assert (says["attributed_to"].map(sources["alignment"]) == party.lower()).all(), says.index.tolist()


def test_the_dropped_hedge_is_traceable_to_one_original(bundled):
    figures = bundled.figures.set_index("figure_id")
    bare, hedged = figures.loc["mt-deaths-civilian-conflict"], figures.loc["aipr-deaths-civilian-conflict"]
    assert (bare["value"], bare["qualifier"], hedged["value"], hedged["qualifier"]) == (146, "exact", 146, "at_least")
    assert (
        original(bundled.sources, bare["attributed_to"]) == original(bundled.sources, hedged["attributed_to"]) == "amnesty-2021-01-report"
    )


def test_martuni_named_victims_are_lower_bounds(bundled):
    figures = bundled.figures.set_index("figure_id")
    for figure_id in ("mt-martuni-deaths", "mt-martuni-injuries"):
        assert (figures.at[figure_id, "value"], figures.at[figure_id, "qualifier"]) == (1, "at_least")
        assert figures.at[figure_id, "derivation"].startswith("Named victims:")


def test_bundled_vague_figures_name_their_word(bundled):
    vague = bundled.figures[bundled.figures["qualifier"] == "vague"].set_index("figure_id")
    assert len(vague) >= 5 and (vague["vague_word"] != "").all()
    meaning = bundled.vague_quantities.set_index("word")["at_least"]
    sites = vague.loc["mt-sites-visited"]
    # "dozens of strike sites" cannot be the 18 sites another copy gives.
    assert meaning[sites["vague_word"]] > 18


def test_the_prosecutor_generals_running_count_is_a_dated_series_of_one_body(bundled):
    figures = bundled.figures.set_index("figure_id")
    sources = bundled.sources.set_index("source_id")
    ids = ["newsaz-pg-deaths-2020-10-31", "azn-pg-deaths-2020-12-08", "az24-pg-deaths"]
    bodies = {sources.at[figures.at[i, "attributed_to"], "publisher"] for i in ids}
    assert bodies == {"Prosecutor General's Office of Azerbaijan"}
    assert [figures.at[i, "as_of"] for i in ids[:2]] == ["2020-10-31", "2020-12-08"]
    assert sources.at[figures.at[ids[2], "source_id"], "published"] == "2021-10-27"


def test_state_media_of_both_parties_are_labelled_alike(bundled):
    sources = bundled.sources.set_index("source_id")
    assert (sources.at["azertag-amnesty-barda", "body"], sources.at["azertag-amnesty-barda", "alignment"]) == (
        "state_or_public_media",
        "azerbaijan",
    )
    assert (sources.at["1lurer-am-2020-12-24", "body"], sources.at["1lurer-am-2020-12-24", "alignment"]) == (
        "state_or_public_media",
        "armenia",
    )
    assert sources.loc[sources["publisher"] == "Nagorno-Karabakh ombudsman", "alignment"].eq("nagorno_karabakh_authorities").all()


def test_groups_name_the_single_strikes_they_may_include(bundled):
    groups = bundled.strikes.set_index("strike_id")["may_include"].str.split(" ")
    assert {"ganja-2020-10-11", "ganja-2020-10-17", "ganja-grand-bazar-2020-10-05"} <= set(groups["ganja-strikes-amnesty"])
    assert {"ganja-2020-10-11", "ganja-2020-10-17", "ganja-grand-bazar-2020-10-05"} <= set(groups["ganja-strikes-wikipedia"])
    assert "qarayusifli-2020-10-27" in groups["cluster-munition-strikes-hrw"]


def test_places_carry_their_other_names(bundled):
    strikes = bundled.strikes
    names = strikes.groupby("place")["place_other_name"].agg(set)
    assert names["Ganja"] == {"Gandzak"} and names["Barda"] == {"Partav"} and names["Martuni"] == {"Khojavend"}


def test_the_data_point_to_nothing_outside_the_package():
    for path in BUNDLED_DATA_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "shared/" not in text and "other-sources.md" not in text, path.name
