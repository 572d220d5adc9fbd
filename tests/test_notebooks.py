"""The notebooks: their parameters and stored outputs, and what they show on other data and another source (their code run in-process)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
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
    assert "Of 30 analysed strikes, the source's tolls for 3 named strikes or groups cover 6" in text
    assert "the source counts 2 missile strikes on Westham" in text
    assert "Names used by each side: Northtown / Nordstadt" in text and "Which " not in text
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
        "Example Gazette (1 May 2024), citing Example NGO, on strikes selected, not sampled, for unlawfully killing civilians: "
        "10 strikes by Armenian forces killed at least 40 civilians; 20 strikes by Azerbaijani forces killed 300."
        in other_texts["00"]
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


def test_committed_notebooks_say_no_error_of_meaning():
    """Issue 19's errors of meaning, as read on the committed pages."""
    by_side, per_strike = (
        output_text(parameters.NOTEBOOKS_DIR / f"{n}.ipynb") for n in ("02-casualties-by-side", "03-casualties-by-strike")
    )
    gaps_page, compared = (output_text(parameters.NOTEBOOKS_DIR / f"{n}.ipynb") for n in ("04-data-gaps", "05-sources-compared"))
    assert "at least 146 in all, as the source states" not in by_side  # the hedge is the press release's, not the article's
    cells = json.loads((parameters.NOTEBOOKS_DIR / "03-casualties-by-strike.ipynb").read_text(encoding="utf-8"))["cells"]
    markdown = "".join("".join(c["source"]) for c in cells)
    assert "contested" not in markdown and "names used by each side" in markdown
    assert "Which Ganja" not in gaps_page and "Ganja / Gandzak" not in per_strike + gaps_page + compared
    assert "as the source implies" not in per_strike and "This is inferred here, not stated by the source" in per_strike
    assert "within what its totals treat as one strike" not in gaps_page and "Inferred here, not stated by the source" in gaps_page
    assert "only one family: civilians killed, at least 4 (agree)" in compared and "civilians killed, 4 (agree)" not in compared
    assert "12 – 21 (disagree)" not in gaps_page + compared and "earlier counts: 5 (News24.az" in compared


def test_04_shows_who_documents_each_side_before_counting_strikes():
    shown = output_text(parameters.NOTEBOOKS_DIR / "04-data-gaps.ipynb")
    assert "Strikes by Azerbaijani forces in the data, by whom they are documented" in shown
    # Before the first count of strikes analysed (the gaps section).
    assert shown.index("by whom they are documented") < shown.index("Per-strike tolls are missing")


def test_committed_notebooks_show_the_ledger():
    shown = output_text(parameters.NOTEBOOKS_DIR / "05-sources-compared.ipynb")
    assert "Ganja, 17 October 2020" in shown and "15 – 21" not in shown and "12 – 21" not in shown
    assert "earlier counts: 5 (News24.az, citing Prosecutor General's Office of Azerbaijan, 17 October 2020)" in shown
    assert "Other sources say otherwise" in output_text(parameters.NOTEBOOKS_DIR / "04-data-gaps.ipynb")


def test_notebooks_02_and_03_on_another_source():
    values = {"source_id": "vestnik-kavkaza-2021-01-14"}
    by_side = run_in_process(parameters.notebook_paths("02")[0], values)
    assert "As Vestnik Kavkaza (14 January 2021) states them" in by_side
    assert "10 analysed strikes, which killed no number given civilians" not in by_side
    assert "**Armenian forces**: 10 analysed strikes; the source gives no total civilian toll for them." in by_side
    assert "gives no civilian toll for the whole conflict" in by_side
    per_strike = run_in_process(parameters.notebook_paths("03")[0], values)
    assert (
        "**Ganja, date not given, Azerbaijan** (a group of 5 strikes, which may include the strikes of 4 October 2020; "
        "5 October 2020; 11 October 2020; 17 October 2020): 33 civilians killed"
    ) in per_strike
    assert (
        "**Barda, date not given, Azerbaijan** (a group of 3 strikes, which may include the strikes of 28 October 2020): 29 civilians killed"
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


# ---------------------------------------------------------------------------
# What a page shows, for any source: no empty chart, no table without rows, no section left blank, no sentence the data contradict


@dataclass
class Page:
    """What a notebook displayed, run in-process: each output (the index of its code cell, its data, its metadata), and every
    chart page.chart was given, shown or not."""

    path: Path
    outputs: list[tuple[int, dict, dict]]
    charts: list

    @property
    def text(self) -> str:
        """Everything shown, as plain text (Markdown has its plain twin)."""
        return "\n".join(str(data.get("text/plain", "")) for _, data, _ in self.outputs)


def shown_page(path: Path, values: dict, monkeypatch) -> Page:
    """The notebook run in-process with these parameters, recording what page.chart was given."""
    from helpers import page

    charts, chart = [], page.chart
    monkeypatch.setattr(page, "chart", lambda drawn, *args, **kwargs: (charts.append(drawn), chart(drawn, *args, **kwargs))[1])
    outputs: list = []
    run_in_process(path, values, outputs)
    return Page(path, [output for output in outputs if isinstance(output[1], dict)], charts)


def sections(path: Path) -> dict[int, str]:
    """Per code cell (its index among code cells), the heading of the section it is in."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    heading, found = "", {}
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith("#"):
            heading = source.splitlines()[0]
        elif cell["cell_type"] == "code":
            found[len(found)] = heading
    return found


def for_readers(data: dict) -> bool:
    """Whether an output is for readers: prose, a reader table or a chart (not the numbers behind them)."""
    return bool(data.get("text/markdown", "").strip()) or "image/png" in data or "text/csv" in data


SAID_TWICE_LEAST = 60  # characters: a paragraph this long said twice in a section is one said once too often


def what_is_wrong(shown: Page, study) -> list[str]:
    """What a reader would find wrong on the page: a table without rows, a chart with nothing drawn, a section with a heading
    and nothing under it, a sentence that the source's figures contradict or that says something is shown where nothing is, a
    paragraph said twice in one section."""
    from helpers import views
    from test_charts import data_marks

    wrong = [
        f"cell {cell}: a table without rows ({metadata.get('filename', 'the numbers behind it')})"
        for cell, data, metadata in shown.outputs
        if "<table" in data.get("text/html", "") and "<td" not in data["text/html"]
    ]
    drawn = {chart.name: chart for chart in shown.charts}
    wrong += [
        f"cell {cell}: an empty chart ({metadata['filename']})"
        for cell, data, metadata in shown.outputs
        if "image/png" in data and data_marks(drawn[metadata["filename"]].figure) == 0
    ]
    headings = sections(shown.path)
    for heading in dict.fromkeys(h for h in headings.values() if h.startswith("## ")):
        if not any(headings[cell] == heading and for_readers(data) for cell, data, _ in shown.outputs):
            wrong.append(f"{heading}: nothing shown under it")
    for cell, data, _ in shown.outputs:
        said = data.get("text/plain", "") if "text/markdown" in data else ""
        if re.search(r"strikes are shown|are shown as a part|shown whole", said) and not any(
            c == cell and ("image/png" in d or "text/csv" in d) for c, d, _ in shown.outputs
        ):
            wrong.append(f"cell {cell} says something is shown and shows nothing: {said[:100]!r}")
    seen = set()
    for cell, data, _ in shown.outputs:
        for paragraph in data.get("text/markdown", "").split("\n\n") if "text/markdown" in data else []:
            said_here = (headings[cell], paragraph.strip())
            # A sentence, not a short lead such as "Copies of the same text:", which a list of sources repeats per original.
            if len(paragraph.strip()) > SAID_TWICE_LEAST and said_here in seen:
                wrong.append(f"{headings[cell]}: said twice: {paragraph.strip()[:100]!r}")
            seen.add(said_here)
    text = shown.text
    wrong += [f"said: {m.group(0)!r}" for m in re.finditer(r"no number given (killed|civilians|strikes)|killed no number given", text)]
    wrong += [f"a negative number: {m.group(0)!r}" for m in re.finditer(r"(?<![\w-])-\d|at most -", text)]
    if text.count("(stated as") > 1:
        wrong.append(f"the reason for a reading said {text.count('(stated as')} times, not once in a note")
    share = views.conflict_share(study)
    outside = share.loc[share["part"] == "outside_analysed_strikes", "civilian_deaths_qualifier"]
    if "only part of the civilian toll" in text and not (
        len(share) > 1 and outside.isin(["exact", "approx", "at_least", "more_than"]).all()
    ):
        wrong.append("says the analysed strikes account for only part of a toll where the figures do not show it")
    if re.search(r"(are|fall) outside the analysed strikes", text) and not (share["part"] != "outside_analysed_strikes").any():
        wrong.append("counts deaths outside the analysed strikes where no analysed strikes have a toll to take from the total")
    if "selected, not sampled" in text and views.by_side(study).empty and shown.path.stem.startswith("00"):
        wrong.append("speaks of selected strikes for a source with no per-side figures")
    return wrong


# Bundled sources that give only some of what the pages are for: per-side strikes without their toll (Vestnik Kavkaza), one
# strike only (an official's count), a count of military deaths only.
SOME_SOURCES = ["vestnik-kavkaza-2021-01-14", "trend-az-2020-10-17-mayor", "armenia-later-military-deaths"]


def check_every_page_of(source_id: str, monkeypatch) -> None:
    from helpers.study import open_study

    study = open_study("", source_id)
    for path in NOTEBOOKS:
        assert what_is_wrong(shown_page(path, {"source_id": source_id}, monkeypatch), study) == [], f"{path.stem} for {source_id}"


@pytest.mark.parametrize("source_id", SOME_SOURCES)
def test_every_page_of_some_sources_shows_only_what_the_data_bear_out(source_id, monkeypatch):
    check_every_page_of(source_id, monkeypatch)


@pytest.mark.long
@pytest.mark.parametrize("source_id", sorted(set(pd.read_csv(PROJECT_ROOT / "data" / "figures.csv", dtype=str)["source_id"])))
def test_every_page_of_every_bundled_source_shows_only_what_the_data_bear_out(source_id, monkeypatch):
    check_every_page_of(source_id, monkeypatch)


def test_vestnik_kavkaza_page_02_says_what_it_lacks_and_draws_no_empty_chart(monkeypatch):
    """Vestnik Kavkaza gives ten strikes by Armenian forces and no toll for them, nor any toll for the whole conflict: page 02
    says so, once per section, draws no chart (each would be empty), shows no table without rows, and does not claim that these
    strikes account for only part of a toll it does not give."""
    from helpers.study import open_study

    study = open_study("", "vestnik-kavkaza-2021-01-14")
    shown = shown_page(parameters.notebook_paths("02")[0], {"source_id": study.source_id}, monkeypatch)
    assert not [data for _, data, _ in shown.outputs if "image/png" in data]
    assert "only part of the civilian toll" not in shown.text and "no number given killed" not in shown.text
    assert "analysed strikes are shown" not in shown.text and "These totals are for the whole conflict" not in shown.text
    assert "**It can** show what the source attributes to the analysed strikes by Armenian forces." in shown.text
    assert "gives no civilian toll for the whole conflict, so no share can be computed" in shown.text
    assert what_is_wrong(shown, study) == []


def test_the_check_of_a_page_finds_what_it_is_for():
    """The check can fail: on page 02 for Vestnik Kavkaza as it was (an empty chart and a table without rows shown, a scope
    sentence where nothing is shown, the fixed bullet claiming part of a toll the source does not give), and a section left blank."""
    from helpers import charts, views
    from helpers.study import open_study

    study = open_study("", "vestnik-kavkaza-2021-01-14")
    empty = charts.civilian_deaths_by_side(views.by_side(study), "Source: test")
    table = {"text/html": "<table><thead><tr><th>part</th></tr></thead><tbody></tbody></table>", "text/csv": "part\n"}
    outputs = [
        (3, {"image/png": "", "text/plain": empty.description}, {"filename": empty.name}),
        (5, {"text/markdown": "-", "text/plain": "Both attacking sides' analysed strikes are shown, and the toll outside them."}, {}),
        (5, table, {"filename": "share-table"}),
        (
            8,
            {"text/markdown": "-", "text/plain": "It can show that these strikes account for only part of the civilian toll it gives."},
            {},
        ),
    ]
    wrong = what_is_wrong(Page(parameters.notebook_paths("02")[0], outputs, [empty]), study)
    assert wrong == [
        "cell 5: a table without rows (share-table)",
        "cell 3: an empty chart (civilian-deaths-by-side)",
        "## Civilians among all deaths: nothing shown under it",
        "says the analysed strikes account for only part of a toll where the figures do not show it",
    ], wrong
    said = [(4, {"text/markdown": "-", "text/plain": "Both sides' analysed strikes are shown; 10 strikes, no number given killed."}, {})]
    said.append((6, {"text/markdown": "-", "text/plain": "Of 146 civilian deaths, 146 are outside the analysed strikes."}, {}))
    wrong = what_is_wrong(Page(parameters.notebook_paths("02")[0], said, []), study)
    assert (
        'cell 4 says something is shown and shows nothing: "Both sides\' analysed strikes are shown; 10 strikes, no number given killed."'
        in wrong
    )
    assert "said: 'no number given killed'" in wrong
    assert "counts deaths outside the analysed strikes where no analysed strikes have a toll to take from the total" in wrong


def test_the_entry_page_states_its_finding_briefly_and_shows_its_key_chart_on_a_phones_first_screen(tmp_path):
    """On the bundled data: the headline is at most 50 words, and on a phone 390 px wide the key chart is whole within the first
    844 px (the site's header, the title and the headline before it), as built by the runner."""
    import subprocess
    import sys

    from helpers.text import markdown_to_plain
    from test_jupyterlab import CHROMIUM_ARGS, require_browser

    notebook = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    said = [
        markdown_to_plain("".join(o["data"]["text/markdown"]))
        for c in notebook["cells"]
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    ]
    assert said[0].startswith("The Moscow Times (14 January 2021)") and len(said[0].split()) <= 50, said[0]
    executable, sync_playwright = require_browser()
    build = tmp_path / "build"
    subprocess.run(
        [sys.executable, "-m", "report", "--build-dir", str(build)], cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=600
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 390, "height": 844})
            tab.goto((build / "html" / "index.html").as_uri())
            charts = tab.evaluate(
                "() => Array.from(document.querySelectorAll('figure.chart img')).map(i => i.getBoundingClientRect().toJSON())"
            )
        finally:
            browser.close()
    assert charts and charts[0]["top"] >= 0 and charts[0]["bottom"] <= 844 and charts[0]["right"] <= 390, charts
