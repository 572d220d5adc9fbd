"""The cross-source ledger: every source's value per subject, ranges, agreement, and notebooks on other sources."""

from __future__ import annotations

import pytest

from conftest import ARTICLE, OTHER_FIGURES, OTHER_SOURCE, OTHER_SOURCES, WIRE, study_of, wire_toll, write_dataset
from conftest import one as row
from helpers import gaps, ledger, parameters, run, text_gaps, text_ledger
from helpers.study import ParameterError, Study, prepare
from test_notebooks import output_text


@pytest.fixture(scope="module")
def everything(bundled):
    """Every source's figures in the bundled data."""
    return Study(bundled, "")


def test_originals_follow_the_cites_chain(bundled):
    original = ledger.original_of(bundled.sources)
    assert original["moscow-times-2021-01-14"] == "amnesty-2021-01-report"
    assert original["amnesty-2021-01-report"] == "amnesty-2021-01-report"
    assert original["azernews-2020-12-12"] == "hrw-2020-12-11-armenia"


def test_ganja_17_october_range_names_every_source(everything, bundled):
    entries = ledger.ledger_entries(everything, ["civilian_deaths"])
    table = ledger.ledger(entries)
    ganja = row(table, strike_id="ganja-2020-10-17", subset="")
    assert (ganja["low"], ganja["high"], ganja["agreement"]) == (12, 21, "disagree")
    assert ganja["n_sources"] == 6 and ganja["n_originals"] == 5
    assert text_ledger.range_text(ganja) == "12 – 21"
    said = text_ledger.who_says_what(entries, ganja["subject_id"], bundled.sources)
    for publisher in ("The Moscow Times", "Azernews", "Trend", "Wikipedia"):
        assert publisher in said
    assert "12 (Trend (trend.az), citing Prosecutor General's Office of Azerbaijan)" in said


def test_analysed_strikes_are_compared_within_one_study(everything):
    table = ledger.ledger(ledger.ledger_entries(everything, ["strikes"]))
    amnesty = row(table, scope="analysed_strikes", subject_side="armenian_forces", study="amnesty-2021-01-report")
    assert (amnesty["low"], amnesty["high"], amnesty["agreement"], amnesty["n_originals"]) == (8, 10, "disagree", 1)
    hrw = row(table, scope="analysed_strikes", subject_side="armenian_forces", study="hrw-2020-12-11-armenia")
    assert (hrw["low"], hrw["high"], hrw["agreement"]) == (18, 18, "one source")
    both = row(table, scope="analysed_strikes", subject_side="both", study="amnesty-2021-01-report")
    assert (both["low"], both["high"]) == (17, 18)


def test_bounds_and_hedges(everything):
    table = ledger.ledger(ledger.ledger_entries(everything, ["civilian_deaths"]))
    conflict = row(table, scope="conflict", subject_side="both", subset="")
    # 146, at least 146 and at least 143 can all be true at once
    assert (conflict["low"], conflict["high"], conflict["agreement"], bool(conflict["hedges_differ"])) == (143, 146, "compatible", True)


def test_agreement_verdicts_on_made_up_sources(tmp_path):
    figures = OTHER_FIGURES + [
        wire_toll("ew-northtown", "120", "at_least", "at least 120", "northtown-2024-03-02"),
        wire_toll("ew-southville", "9", "exact", "nine dead", "southville-2024-03-09"),
        wire_toll("ew-eastbury", "60", "exact", "60", "eastbury-strikes"),
        wire_toll("ew-conflict", "", "vague", "hundreds", scope="conflict", side="both"),
    ]
    folder = write_dataset(tmp_path / "d", sources=OTHER_SOURCES + [WIRE], figures=figures)
    table = ledger.ledger(ledger.ledger_entries(study_of(folder, ""), ["civilian_deaths"]), min_sources=2).set_index("strike_id")
    assert table.loc["northtown-2024-03-02", "agreement"] == "hedges differ"  # 120 and at least 120
    assert table.loc["southville-2024-03-09", "agreement"] == "disagree"  # more than 15 and 9
    assert table.loc["eastbury-strikes", "agreement"] == "agree"
    assert table.loc["", "agreement"] == "compatible"  # at least 500 and "hundreds"
    entries, chosen = ledger.compared(study_of(folder, WIRE["source_id"]), measures="civilian_deaths", subject="south")
    assert list(chosen["strike_id"]) == ["southville-2024-03-09"]
    assert set(entries["source_id"]) == {OTHER_SOURCE, WIRE["source_id"]}


def test_unknown_measure_and_bad_min_sources():
    with pytest.raises(ParameterError, match="unknown measure 'deaths'; the measures are: strikes, civilian_deaths"):
        prepare("", ARTICLE, measures="deaths")
    with pytest.raises(ParameterError, match="min_sources must be at least 1"):
        prepare("", "", measures="", min_sources=0)
    path = parameters.NOTEBOOKS_DIR / "05-sources-compared.ipynb"
    with pytest.raises(ParameterError, match="unknown measure"):
        parameters.check_values({path: {"measures": "civilian_deaths,bodies"}})


def test_the_article_gaps_include_the_disagreements(article):
    disputed = ledger.source_disagreements(article)
    assert set(disputed["agreement"]) <= {"disagree", "hedges differ", "compatible"}
    ranges = set(zip(disputed["low"], disputed["high"]))
    assert {(12, 21), (8, 10), (17, 18)} <= ranges
    found = gaps.found(article)
    assert set(found["other_sources_differ"]["ledger"]["subject_id"]) == set(disputed["subject_id"])
    words = text_gaps.describe_gaps({"other_sources_differ": found["other_sources_differ"]}, article.strikes, article.dataset.sources)
    assert "Trend" in words and "12 – 21" in words


def test_committed_notebooks_show_the_ledger():
    shown = output_text(parameters.NOTEBOOKS_DIR / "05-sources-compared.ipynb")
    assert "Ganja / Gandzak, 17 October 2020" in shown and "12 – 21" in shown
    assert "12: Trend (trend.az) (citing Prosecutor General's Office of Azerbaijan)" in shown
    assert "Other sources say otherwise" in output_text(parameters.NOTEBOOKS_DIR / "04-data-gaps.ipynb")


def test_notebooks_02_and_03_on_another_source(tmp_path):
    paths = parameters.notebook_paths("02,03")
    per_notebook = parameters.resolve_parameters(paths, {}, {"source_id": "vestnik-kavkaza-2021-01-14"})
    parameters.check_values(per_notebook)
    built = run.run_report(paths, per_notebook, tmp_path / "build")
    by_side = output_text(built / "notebooks" / "02-casualties-by-side.ipynb")
    assert "As Vestnik Kavkaza (14 January 2021) states them" in by_side
    assert "10 analysed strikes, which killed no number given civilians" not in by_side
    assert "**Armenian forces**: 10 analysed strikes; the source gives no civilian toll for them." in by_side
    assert "gives no civilian toll for the whole conflict" in by_side
    per_strike = output_text(built / "notebooks" / "03-casualties-by-strike.ipynb")
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
