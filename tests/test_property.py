"""Every accepted input yields a complete report, as a property.

Hypothesis generates valid data packages from the schema's rules (sources with
`cites` chains, strikes and groups of strikes, figures of every measure, scope,
side and qualifier, values from 0 to the largest accepted) and parameter values
from what the runner accepts (every source, each side, any set of measures,
subjects, min_sources). Each example must pass the runner's checks and then
every notebook's own code must run to its end (tests/notebook_code.py: the cells
executed in-process, as a kernel would, without one) and show only what the data
bear out (test_notebooks.what_is_wrong: no empty chart, no table without rows,
no sentence the figures contradict, no negative number), with no bidi control
of the data obeyed. A few generated packages
also go through the runner with real kernels, and every bundled source goes
through the notebooks' code.

PROPERTY_EXAMPLES sets the number of examples of the short run in `make test` (default 6);
`make test-long` (and CI) runs LONG_PROPERTY_EXAMPLES (default 300), every bundled source through
every notebook, and generated packages through the runner with real kernels.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from conftest import COLUMNS, write_dataset
from helpers.dataset import LARGEST_VALUE, field_enum, load_dataset
from helpers.printable import _BIDI_CONTROLS as BIDI_CONTROLS
from helpers.printable import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from helpers.study import ATTACKING_SIDES, check_parameters, open_study
from notebook_code import NOTEBOOKS, run_in_process
from report import parameters, run
from test_notebooks import shown_page, what_is_wrong

# what_is_wrong imports test_charts when it runs; imported here, at collection, its own @given tests are not defined inside one.
import test_charts  # noqa: E402, F401  # isort: skip

# A warning from any notebook's code on any accepted input is a failure: a report would print it (the page leaves it
# out). Not ResourceWarnings from the runner's kernels' clients, which the garbage collector reports at random.
pytestmark = [
    pytest.mark.filterwarnings("error::UserWarning"),  # matplotlib's: a layout that did not fit, an empty axis, no date interval
    pytest.mark.filterwarnings("error::FutureWarning"),
    pytest.mark.filterwarnings("error::pandas.errors.PandasChangeWarning"),  # pandas' warnings of what will change
]

# A short run in make test; the long run (make test-long, and CI) tries many more.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "6"))
LONG_EXAMPLES = int(os.environ.get("LONG_PROPERTY_EXAMPLES", "300"))
VAGUE_WORDS = ("multiple", "dozens", "hundreds")
PLACES = ("Northtown", "Southville", "Eastbury", "Westham", "Ganja")
# Text of any length in any script, for every free-text column: bidi controls (a right-to-left override in a publisher's name
# must not make 72 read 27), right-to-left scripts, combining marks, emoji, very long names, and any Unicode at all.
HOSTILE = "\u202e\u202d\u2067\u2069\u200f\u061c" + "אבגד" + "مدينة" + "\u0301\u0308" + "😀🇦🇲" + "١٢٣" + " 72"
ANY_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(HOSTILE), min_size=1, max_size=40),
    st.text(min_size=1, max_size=300),
    st.builds(lambda word, times: " ".join([word] * times), st.text(min_size=1, max_size=12), st.integers(10, 60)),
).filter(lambda text: text.strip() and not re.search(r"-\d", text))  # a minus before a digit is the pages' to never print


def text_or(draw, fixed: tuple) -> str:
    """One of the fixed texts, or (as often) any text at all."""
    return draw(st.one_of(st.sampled_from(fixed), ANY_TEXT))


def row(table: str, **values) -> dict:
    return {column: values.get(column, "") for column in COLUMNS[table]}


@st.composite
def date(draw, day=True) -> str:
    year = draw(st.integers(1990, 2030))
    month = draw(st.integers(1, 12))
    return f"{year:04d}-{month:02d}" + (f"-{draw(st.integers(1, 28)):02d}" if day else "")


@st.composite
def packages(draw) -> dict:
    n_sources = draw(st.integers(1, 4))
    sources = []
    for i in range(n_sources):
        cites = draw(st.sampled_from(["", *[f"s{j}" for j in range(i)]]))  # only earlier ones: no loops
        sources.append(
            row(
                "sources",
                source_id=f"s{i}",
                publisher=text_or(draw, ("Gazette", "NGO <b>x</b>", "Ministry $5 and $10", "# Heading")),
                title=text_or(draw, ("Report", "Report\u200b with a zero-width space", "Rapport d'été", "<i>x</i> | a")),
                published=draw(st.one_of(st.just(""), date(day=True), date(day=False))),
                kind=draw(st.sampled_from(field_enum("sources", "kind"))),
                body=draw(st.sampled_from(field_enum("sources", "body"))),
                alignment=draw(st.sampled_from(field_enum("sources", "alignment"))),
                cites=cites,
                note=text_or(draw, ("", "see https://example.org", "mail a@b.org", "*bold*")),
            )
        )
    n_strikes = draw(st.integers(1, 4))
    strikes = []
    for i in range(n_strikes):
        group = draw(st.booleans())
        others = [f"k{j}" for j in range(n_strikes) if j != i]
        strikes.append(
            row(
                "strikes",
                strike_id=f"k{i}",
                date="" if group else draw(date()),
                place=text_or(draw, PLACES) + f" {i}",
                place_other_name=draw(st.one_of(st.just(""), ANY_TEXT)),
                weapon=draw(st.one_of(st.just(""), ANY_TEXT)),
                territory=draw(st.sampled_from(field_enum("strikes", "territory"))),
                side=draw(st.sampled_from(ATTACKING_SIDES)),
                side_basis=draw(st.sampled_from(field_enum("strikes", "side_basis"))),
                may_include=" ".join(draw(st.lists(st.sampled_from(others), unique=True, max_size=2))) if group and others else "",
            )
        )
    figures, subjects = [], set()
    for i in range(draw(st.integers(1, 14))):
        source = draw(st.sampled_from(sources))["source_id"]
        measure = draw(st.sampled_from(field_enum("figures", "measure")))
        scope = draw(st.sampled_from(field_enum("figures", "scope")))
        strike = draw(st.sampled_from(strikes)) if scope == "strike" else None
        side = (
            draw(st.sampled_from([strike["side"], "both", "unspecified"]))
            if strike
            else draw(st.sampled_from(field_enum("figures", "side")))
        )
        qualifier = draw(st.sampled_from(field_enum("figures", "qualifier")))
        subset = draw(st.sampled_from(["", "", "", "children"]))
        value = "" if qualifier == "vague" else str(draw(st.one_of(st.integers(0, 500), st.integers(0, int(LARGEST_VALUE)))))
        word = draw(st.sampled_from(VAGUE_WORDS)) if qualifier == "vague" else ""
        quote = (f"{word} of people" if word else f"{value} people [see](http://x.org) $1") + draw(st.one_of(st.just(""), ANY_TEXT))
        key = (source, measure, "" if strike else side, scope, strike["strike_id"] if strike else "", subset)
        if key in subjects:
            continue
        subjects.add(key)
        figures.append(
            row(
                "figures",
                figure_id=f"f{i}",
                source_id=source,
                measure=measure,
                value=value,
                qualifier=qualifier,
                vague_word=word,
                side=side,
                scope=scope,
                strike_id=strike["strike_id"] if strike else "",
                subset=subset,
                quote=quote,
            )
        )
    return {"sources": sources, "strikes": strikes, "figures": figures}


@st.composite
def examples(draw):
    package = draw(packages())
    with_figures = sorted({f["source_id"] for f in package["figures"]})
    source_id = draw(st.sampled_from(with_figures))
    common = {"source_id": source_id, "side": draw(st.sampled_from(["", *ATTACKING_SIDES]))}
    compared = {
        "source_id": draw(st.sampled_from(["", *with_figures])),
        "measures": ",".join(draw(st.lists(st.sampled_from(field_enum("figures", "measure")), unique=True, max_size=4))),
        "subject": draw(st.sampled_from(["", "k1", "Ganja", "nowhere"])),
        "min_sources": draw(st.integers(1, 3)),
    }
    return package, common, compared


def values_for(path: Path, data_dir: Path, common: dict, compared: dict) -> dict:
    declared = parameters.notebook_parameters(path)
    given = {"data_dir": str(data_dir), **(compared if "measures" in declared else common)}
    return {name: value for name, value in given.items() if name in declared}


def check_example(example) -> None:
    """The runner accepts the example's data and parameters, and every notebook's code runs to its end on them."""
    package, common, compared = example
    with tempfile.TemporaryDirectory() as folder:
        data_dir = write_dataset(Path(folder) / "data", **package)
        note(f"data: {package}\nparameters: {common} {compared}")
        dataset = load_dataset(data_dir)  # the generator makes only valid packages
        per_notebook = {path: values_for(path, data_dir, common, compared) for path in NOTEBOOKS}
        parameters.check_values(per_notebook)  # what the runner accepts ...
        study = open_study(str(data_dir), common["source_id"], common["side"])
        for path, values in per_notebook.items():
            check_parameters(values, dataset)
            with pytest.MonkeyPatch.context() as patch:
                shown = shown_page(path, values, patch)  # ... every notebook finishes, and shows only what the data bear out
            check_no_text_reorders_the_page(shown.text + "\n".join(str(d.get("text/html", "")) for _, d, _ in shown.outputs), path)
            if "measures" not in values:  # 05 compares sources: the checks of one source's page are not its
                assert what_is_wrong(shown, study) == [], path.name


def check_no_text_reorders_the_page(shown: str, path: Path) -> None:
    """No bidi control from the data is obeyed: the only ones shown are the isolates round right-to-left text, in pairs."""
    isolates = shown.count(FIRST_STRONG_ISOLATE)
    assert isolates == shown.count(POP_DIRECTIONAL_ISOLATE), f"{path.name}: an isolate left open"
    obeyed = BIDI_CONTROLS.findall(shown.replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, ""))
    assert not obeyed, f"{path.name} shows bidi controls from the data: {[hex(ord(c)) for c in obeyed]}"


# Without shrinking: one example runs every notebook's code (seconds), so shrinking a failure could take many
# minutes; the failing example is printed whole instead (note() above).
SETTINGS = {"deadline": None, "phases": [Phase.explicit, Phase.reuse, Phase.generate],
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}  # fmt: skip


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(examples())
def test_every_accepted_input_yields_every_notebook(example):
    check_example(example)


@pytest.mark.long
@settings(max_examples=LONG_EXAMPLES, **SETTINGS)
@given(examples())
def test_every_accepted_input_yields_every_notebook_long_run(example):
    check_example(example)


@pytest.mark.long
def test_every_bundled_source_through_every_notebook():
    dataset = load_dataset()
    for source_id in sorted(dataset.figures["source_id"].unique()):
        for path in NOTEBOOKS:
            declared = parameters.notebook_parameters(path)
            values = {"source_id": source_id} | ({"side": "armenian_forces"} if "side" in declared else {})
            run_in_process(path, values)


@pytest.mark.long
@pytest.mark.parametrize("seed", [1, 2])
def test_generated_packages_through_the_runner(seed, tmp_path):
    """A few generated packages with real kernels, through the runner: a complete report each."""
    import yaml

    package, common, compared = _fixed_example(seed)
    data_dir = write_dataset(tmp_path / "data", **package)
    file = tmp_path / "params.yaml"
    file.write_text(yaml.safe_dump({"data_dir": str(data_dir), **common, "05": compared}), encoding="utf-8")
    build = tmp_path / "build"
    assert run.main(["-f", str(file), "--build-dir", str(build)]) == 0
    # One page per notebook, the overview as the entry page, and the guide.
    assert len(list((build / "html").glob("*.html"))) == len(NOTEBOOKS) + 1 and (build / "html" / "index.html").is_file()


def _fixed_example(seed: int):
    """A generated example with several sources and figures, the same on every run."""
    from hypothesis import find

    return find(
        examples(),
        lambda e: len(e[0]["figures"]) >= 3 + seed and len(e[0]["sources"]) >= 2,
        settings=settings(database=None, derandomize=True, phases=[Phase.generate]),
    )


# The three crashes the issue names, each as its own case.


def _own_data(tmp_path: Path, figures: list[dict]) -> Path:
    from conftest import OTHER_SOURCES, OTHER_STRIKES

    return write_dataset(tmp_path / "own", sources=OTHER_SOURCES, strikes=OTHER_STRIKES, figures=figures)


def test_a_source_whose_figures_name_no_strike_toll(tmp_path):
    from conftest import OTHER_SOURCE, figure

    data_dir = _own_data(tmp_path, [figure("a-total", "civilian_deaths", "500", "at_least", "both", "conflict", "at least 500 died")])
    for path in NOTEBOOKS:
        run_in_process(path, values_for(path, data_dir, {"source_id": OTHER_SOURCE}, {"source_id": OTHER_SOURCE, "min_sources": 1}))


def test_measures_that_select_no_analysed_strike_figures():
    compared = parameters.notebook_paths("05")[0]
    for measures in ("military_deaths", "war_duration_days", "submunitions,sites_visited"):
        run_in_process(compared, {"measures": measures, "source_id": ""})
        run_in_process(compared, {"measures": measures})


def test_a_conflict_wide_figure_tied_to_no_strike(tmp_path):
    from conftest import OTHER_SOURCE, figure

    data_dir = _own_data(
        tmp_path,
        [
            figure("a-missiles", "missile_strikes", "12", "exact", "both", "conflict", "12 missiles"),
            figure("a-deaths", "civilian_deaths", "7", "exact", "azerbaijani_forces", "analysed_strikes", "7 killed"),
        ],
    )
    for path in NOTEBOOKS:
        run_in_process(path, values_for(path, data_dir, {"source_id": OTHER_SOURCE}, {"source_id": OTHER_SOURCE, "min_sources": 1}))
