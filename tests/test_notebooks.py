"""The notebooks: their parameters and stored outputs, and what they show on other data and another source (their code run in-process)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import OTHER_SOURCE
from helpers.dataset import PROJECT_ROOT
from notebook_code import run_in_process
from report import parameters

NOTEBOOKS = parameters.notebook_paths()


def output_text(path: Path) -> str:
    """Everything a reader sees in a notebook's outputs, as text."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                texts.append("".join(output["text"]))
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in output.get("data", {}):
                    data = output["data"][mime]
                    texts.append(data if isinstance(data, str) else "".join(data))
    return "\n".join(texts)


def markdown_cells(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def other_texts(tmp_path_factory) -> dict[str, str]:
    """What every notebook shows on the tests' own dataset and source (run in-process: the notebooks' own code)."""
    from conftest import OTHER_FIGURES, OTHER_SOURCES, WIRE, wire_toll, write_dataset

    # A second, made-up source that disagrees on one strike, so notebook 05 has something to compare.
    figures = OTHER_FIGURES + [
        wire_toll("ew-southville", "9", "exact", "nine dead", "southville-2024-03-09"),
        wire_toll("ew-northtown", "120", "exact", "120 dead", "northtown-2024-03-02"),
    ]
    data_dir = write_dataset(tmp_path_factory.mktemp("data") / "other", sources=OTHER_SOURCES + [WIRE], figures=figures)
    per_notebook = parameters.resolve_parameters(NOTEBOOKS, {"data_dir": str(data_dir), "source_id": OTHER_SOURCE}, {})
    parameters.check_values(per_notebook)
    return {path.stem[:2]: run_in_process(path, per_notebook[path]) for path in NOTEBOOKS}


def test_the_notebooks_are_the_expected_four_or_more():
    names = [p.name for p in NOTEBOOKS]
    assert names[:5] == [
        "00-overview.ipynb",
        "01-article-figures.ipynb",
        "02-casualties-by-side.ipynb",
        "03-casualties-by-strike.ipynb",
        "04-data-gaps.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_documented_literals(path):
    import papermill

    declared = papermill.inspect_notebook(str(path))
    for name in ("data_dir", "source_id", "charts_dir"):
        assert name in declared, name
        assert declared[name]["inferred_type_name"] == "str"
        assert declared[name]["help"], f"{name} has no comment"
    assert set(parameters.notebook_parameters(path)) == set(declared)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_markdown_cell_types_a_number(path):
    numbers = re.findall(r"(?<![\w.,-])\d[\d,.]*(?![\w])", markdown_cells(path))
    assert numbers == [], numbers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_are_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell["execution_count"] is not None
        for output in cell["outputs"]:
            assert output["output_type"] != "error"
            assert output["output_type"] != "stream", "stray printed output: " + "".join(output.get("text", ""))
    text = output_text(path)
    assert not re.search(r"0x[0-9a-f]{6,}|<Figure size|object at|T_[0-9a-f]{5}_", text)


def test_article_numbers_in_committed_outputs():
    text = output_text(PROJECT_ROOT / "notebooks" / "02-casualties-by-side.ipynb")
    assert "8 analysed strikes, which killed 72 civilians" in text
    assert "more than 6,000" in text
    text = output_text(PROJECT_ROOT / "notebooks" / "03-casualties-by-strike.ipynb")
    assert "Martuni / Khojavend" in text and "7 other analysed strikes by Armenian forces" in text


def test_other_data_01_states_its_figures(other_texts):
    text = other_texts["01"]
    assert "Example Gazette" in text and "It cites" in text and "Example NGO" in text
    assert "at least 40" in text and "about 9,000" in text and "more than 15" in text
    assert "The Moscow Times" not in text and "mt-deaths" not in text


def test_other_data_02_states_its_numbers(other_texts):
    text = other_texts["02"]
    assert "10 analysed strikes, which killed at least 40 civilians, that is at least 4 per strike" in text
    assert "20 analysed strikes, which killed 300 civilians, that is 15 per strike" in text
    # Civilians (at least 500) against about 9,000 deaths: no share is claimed that the bounds cannot carry.
    assert "at least 500 civilians killed (credited to Example NGO) and about 9,000 deaths" in text
    assert "at least 5.5% of all deaths" in text  # 5.55…% rounded down, away from the hedge
    for article_number in ("72", "146", "6,000"):
        assert not re.search(rf"(?<![\d,.]){re.escape(article_number)}(?![\d,])", text), article_number


def test_other_data_03_states_its_strikes(other_texts):
    text = other_texts["03"]
    assert "Northtown / Nordstadt, 2 March 2024, Nagorno-Karabakh" in text
    assert "120 civilians killed, more than 15 civilians injured; attacker: Azerbaijani forces (stated)" in text
    assert (
        "Southville, 9 March 2024, Azerbaijan" in text and "more than 15 civilians killed" in text and "Armenian forces (inferred" in text
    )
    assert "a group of 4 strikes" in text
    assert "15 other analysed strikes by Azerbaijani forces" in text and "killed 120 civilians between them" in text
    assert "8 other analysed strikes by Armenian forces" in text


def test_other_data_04_shows_its_gaps(other_texts):
    text = other_texts["04"]
    assert "Of 30 analysed strikes, the source gives a separate toll for 6 (in 3 named strikes or groups)" in text
    assert "the source counts 2 missile strikes on Westham" in text
    assert "Which Northtown" in text
    assert "many sites" in text  # the vague figure, with its words


def test_other_data_05_compares_the_sources(other_texts):
    text = other_texts["05"]
    assert "Southville, 9 March 2024" in text and "9 – 15" in text and "disagree" in text
    assert "more than 15: Example Gazette (citing Example NGO)" in text and "9: Example Wire" in text
    assert "Northtown / Nordstadt, 2 March 2024" in text  # 120 and 120: the sources agree
    gaps = other_texts["04"]
    assert "Other sources say otherwise" in gaps and "9 – 15" in gaps


def test_other_data_00_states_the_finding(other_texts):
    assert (
        "Example Gazette (1 May 2024), citing Example NGO, reports strikes analysed" in other_texts["00"]
        and "at least 40 civilians" in other_texts["00"]
    )


def test_side_filter_runs_notebooks_02_and_03():
    by_strike, by_side_path = parameters.notebook_paths("03")[0], parameters.notebook_paths("02")[0]
    text = run_in_process(by_strike, {"side": "azerbaijani_forces"})
    assert "8 other analysed strikes by Azerbaijani forces" in text
    assert "other analysed strikes by Armenian forces" not in text
    # 02 says where a section still covers both sides, and why.
    by_side = run_in_process(by_side_path, {"side": "azerbaijani_forces"})
    assert "Only the analysed strikes by Azerbaijani forces are shown as a part" in by_side
    assert "shown whole although only Azerbaijani forces were chosen" in by_side


def test_committed_notebooks_show_the_ledger():
    shown = output_text(parameters.NOTEBOOKS_DIR / "05-sources-compared.ipynb")
    assert "Ganja / Gandzak, 17 October 2020" in shown and "12 – 21" in shown
    assert "12: Trend (trend.az) (citing Prosecutor General's Office of Azerbaijan)" in shown
    assert "Other sources say otherwise" in output_text(parameters.NOTEBOOKS_DIR / "04-data-gaps.ipynb")


def test_notebooks_02_and_03_on_another_source():
    values = {"source_id": "vestnik-kavkaza-2021-01-14"}
    by_side = run_in_process(parameters.notebook_paths("02")[0], values)
    assert "As Vestnik Kavkaza (14 January 2021) states them" in by_side
    assert "10 analysed strikes, which killed no number given civilians" not in by_side
    assert "**Armenian forces**: 10 analysed strikes; the source gives no civilian toll for them." in by_side
    assert "gives no civilian toll for the whole conflict" in by_side
    per_strike = run_in_process(parameters.notebook_paths("03")[0], values)
    assert (
        "**Ganja / Gandzak, date not given, Azerbaijan** (a group of 5 strikes, which may include the strikes of 4 October 2020; "
        "5 October 2020; 11 October 2020; 17 October 2020): 33 civilians killed"
    ) in per_strike
    assert (
        "**Barda / Partav, date not given, Azerbaijan** (a group of 3 strikes, which may include the strikes of 28 October 2020): 29 civilians killed"
        in per_strike
    )
    assert "**Gashalti, 27 September 2020, Azerbaijan**: 5 civilians killed" in per_strike
    assert "**Qarayusifli, 27 October 2020, Azerbaijan**: 5 civilians killed" in per_strike
    assert "other analysed strikes by Armenian forces" not in per_strike  # 5 + 3 + 1 + 1 = all ten are named
    assert "72" not in per_strike.replace("a72604", "")


def test_committed_notebooks_are_light():
    """One drawing per chart, a palette PNG: each committed notebook at most 300 KB, its diffs readable."""
    for path in NOTEBOOKS:
        assert path.stat().st_size <= 300 * 1024, f"{path.name}: {path.stat().st_size // 1024} KB"


def test_contradictory_totals_are_named_not_computed_through(tmp_path):
    """A conflict-wide civilian toll below both sides' analysed tolls (180 < at least 40 + 150), and one side's named strikes above
    its analysed total (120 + 60 > 150): pages say so, naming who states each number, and print no negative count or share."""
    from conftest import OTHER_FIGURES, figure, write_dataset

    changed = {
        "eg-deaths-conflict": figure("eg-deaths-conflict", "civilian_deaths", "180", "exact", "both", "conflict", "180 civilians died"),
        "eg-deaths-aze": figure("eg-deaths-aze", "civilian_deaths", "150", "exact", "azerbaijani_forces", "analysed_strikes", "150 killed"),
    }
    data_dir = write_dataset(tmp_path / "data", figures=[changed.get(f["figure_id"], f) for f in OTHER_FIGURES])
    per_notebook = parameters.resolve_parameters(NOTEBOOKS, {"data_dir": str(data_dir), "source_id": OTHER_SOURCE}, {})
    texts = {path.stem[:2]: run_in_process(path, per_notebook[path]) for path in NOTEBOOKS}
    for name, shown in texts.items():
        assert not re.search(r"(?<![\w-])-\d|at most -|-\d+(\.\d+)?%", shown), name
    for name in ("00", "02", "03"):
        assert "The source's figures contradict each other" in texts[name], name
        assert "(credited to Example NGO)" in texts[name], name
    assert "neither the toll outside the analysed strikes nor any share of the total is computed" in texts["02"]
    assert "so no toll outside them is computed" in texts["00"]
    assert "their toll is not computed, as the named strikes' tolls exceed the side's analysed total" in texts["03"]
