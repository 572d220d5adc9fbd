"""The cross-source ledger: every source's value per subject, ranges, agreement, and notebooks on other sources."""

from __future__ import annotations

import pytest

from conftest import OTHER_FIGURES, OTHER_SOURCE, OTHER_SOURCES, OTHER_STRIKES, figure, write_dataset
from helpers import analysis, run
from helpers.dataset import load_dataset
from test_notebooks import output_text


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


def row(table, **where):
    chosen = table
    for column, value in where.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, where
    return chosen.iloc[0]


def test_originals_follow_the_cites_chain(bundled):
    original = analysis.original_of(bundled.sources)
    assert original["moscow-times-2021-01-14"] == "amnesty-2021-01-report"
    assert original["amnesty-2021-01-report"] == "amnesty-2021-01-report"
    assert original["azernews-2020-12-12"] == "hrw-2020-12-11-armenia"


def test_ganja_17_october_range_names_every_source(bundled):
    table = analysis.ledger(analysis.ledger_entries(bundled, ["civilian_deaths"]))
    ganja = row(table, strike_id="ganja-2020-10-17", subset="")
    assert (ganja["low"], ganja["high"], ganja["range"], ganja["agreement"]) == (12, 21, "12 – 21", "disagree")
    assert ganja["n_sources"] == 6 and ganja["n_originals"] == 5
    for publisher in ("The Moscow Times", "Azernews", "Trend", "Wikipedia"):
        assert publisher in ganja["sources"]
    assert "12 (Trend (trend.az), citing Prosecutor General's Office of Azerbaijan)" in ganja["sources"]


def test_analysed_strikes_are_compared_within_one_study(bundled):
    table = analysis.ledger(analysis.ledger_entries(bundled, ["strikes"]))
    amnesty = row(table, scope="analysed_strikes", subject_side="armenian_forces", study="amnesty-2021-01-report")
    assert (amnesty["range"], amnesty["agreement"], amnesty["n_originals"]) == ("8 – 10", "disagree", 1)
    hrw = row(table, scope="analysed_strikes", subject_side="armenian_forces", study="hrw-2020-12-11-armenia")
    assert (hrw["range"], hrw["agreement"]) == ("18", "one source")
    both = row(table, scope="analysed_strikes", subject_side="both", study="amnesty-2021-01-report")
    assert both["range"] == "17 – 18"


def test_bounds_and_hedges(bundled):
    table = analysis.ledger(analysis.ledger_entries(bundled, ["civilian_deaths"]))
    conflict = row(table, scope="conflict", subject_side="both", subset="")
    # 146, at least 146 and at least 143 can all be true at once
    assert (conflict["range"], conflict["agreement"], bool(conflict["hedges_differ"])) == ("143 – 146", "compatible", True)


def test_agreement_verdicts_on_made_up_sources(tmp_path):
    second = {**OTHER_SOURCES[0], "source_id": "example-wire-2024-05-02", "publisher": "Example Wire", "cites": ""}
    figures = OTHER_FIGURES + [
        figure("ew-northtown", "civilian_deaths", "120", "at_least", "unspecified", "strike", "at least 120", "northtown-2024-03-02", source_id=second["source_id"]),
        figure("ew-southville", "civilian_deaths", "9", "exact", "unspecified", "strike", "nine dead", "southville-2024-03-09", source_id=second["source_id"]),
        figure("ew-eastbury", "civilian_deaths", "60", "exact", "unspecified", "strike", "60", "eastbury-strikes", source_id=second["source_id"]),
        figure("ew-conflict", "civilian_deaths", "", "vague", "both", "conflict", "hundreds", source_id=second["source_id"]),
    ]
    dataset = load_dataset(write_dataset(tmp_path / "d", sources=OTHER_SOURCES + [second], figures=figures))
    table = analysis.ledger(analysis.ledger_entries(dataset, ["civilian_deaths"]), min_sources=2).set_index("strike_id")
    assert table.loc["northtown-2024-03-02", "agreement"] == "hedges differ"   # 120 and at least 120
    assert table.loc["southville-2024-03-09", "agreement"] == "disagree"       # more than 15 and 9
    assert table.loc["eastbury-strikes", "agreement"] == "agree"
    assert table.loc["", "agreement"] == "compatible"                          # at least 500 and "hundreds"
    entries, chosen = analysis.compared(dataset, source_id="example-wire-2024-05-02", measures="civilian_deaths", subject="south")
    assert list(chosen["strike_id"]) == ["southville-2024-03-09"]
    assert set(entries["source_id"]) == {OTHER_SOURCE, "example-wire-2024-05-02"}


def test_unknown_measure_and_bad_min_sources(bundled):
    with pytest.raises(ValueError, match="unknown measure 'deaths'; the measures are: strikes, civilian_deaths"):
        analysis.compared(bundled, measures="deaths")
    with pytest.raises(ValueError, match="min_sources must be at least 1"):
        analysis.compared(bundled, min_sources=0)
    with pytest.raises(run.ParameterError, match="unknown measure"):
        run.check_values({"measures": "civilian_deaths,bodies"})


def test_the_article_gaps_include_the_disagreements(bundled):
    study = analysis.prepare("", "moscow-times-2021-01-14")
    disputed = analysis.source_disagreements(study)
    assert set(disputed["agreement"]) <= {"disagree", "hedges differ", "compatible"}
    assert "12 – 21" in set(disputed["range"]) and "8 – 10" in set(disputed["range"]) and "17 – 18" in set(disputed["range"])
    gap = row(analysis.gaps(study), gap="Other sources say otherwise")
    assert "Trend" in gap["evidence"] and "12 – 21" in gap["evidence"]


def test_committed_notebooks_show_the_ledger():
    text = output_text(run.NOTEBOOKS_DIR / "05-sources-compared.ipynb")
    assert "Ganja, 17 Oct 2020" in text and "12 – 21" in text
    assert "12: Trend (trend.az) (citing Prosecutor General's Office of Azerbaijan)" in text
    assert "Other sources say otherwise" in output_text(run.NOTEBOOKS_DIR / "04-data-gaps.ipynb")


def test_notebooks_02_and_03_on_another_source(tmp_path):
    paths = run.notebook_paths("02,03")
    per_notebook = run.resolve_parameters(paths, {}, {"source_id": "vestnik-kavkaza-2021-01-14"})
    run.check_values({"source_id": "vestnik-kavkaza-2021-01-14"})
    built = run.run_report(paths, per_notebook, tmp_path / "build")
    by_side = output_text(built / "notebooks" / "02-casualties-by-side.ipynb")
    assert "As Vestnik Kavkaza (2021-01-14) states them" in by_side
    assert "10 analysed strikes, which killed no number given civilians" not in by_side
    assert "**Armenian forces**: 10 analysed strikes; the source gives no civilian toll for them." in by_side
    assert "gives no civilian toll for the whole conflict" in by_side
    per_strike = output_text(built / "notebooks" / "03-casualties-by-strike.ipynb")
    assert "**Ganja / Gandzak, Azerbaijan**, date not given (a group of 5 strikes): 33 civilians killed" in per_strike
    assert "**Barda / Partav, Azerbaijan**, date not given (a group of 3 strikes): 29 civilians killed" in per_strike
    assert "**Gashalti, Azerbaijan**, 27 September 2020: 5 civilians killed" in per_strike
    assert "**Qarayusifli, Azerbaijan**, 27 October 2020: 5 civilians killed" in per_strike
    assert "other analysed strikes by Armenian forces" not in per_strike  # 5 + 3 + 1 + 1 = all ten are named
    assert "72" not in per_strike.replace("a72604", "")
