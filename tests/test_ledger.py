"""The cross-source ledger: every source's value per subject, who it is credited to, ranges, agreement, the balance of
sources, and the gaps they leave."""

from __future__ import annotations

import pytest

from conftest import OTHER_FIGURES, OTHER_SOURCE, OTHER_SOURCES, WIRE, figure, study_of, wire_toll, write_dataset
from conftest import one as row
from helpers import gaps, ledger, tables, text, text_gaps, text_ledger
from helpers.attribution import UNATTRIBUTED
from helpers.dataset import PROJECT_ROOT
from helpers.study import Study

NGO = "example-ngo-2024"
MINISTRY = {
    **OTHER_SOURCES[1], "source_id": "example-ministry", "publisher": "Example Ministry", "kind": "official_statement",
    "body": "government", "alignment": "azerbaijan", "published": "",
}  # fmt: skip


@pytest.fixture(scope="module")
def everything(bundled):
    """Every source's figures in the bundled data."""
    return Study(bundled, "")


def study(tmp_path, figures, sources, source_id=OTHER_SOURCE, name="d"):
    return study_of(write_dataset(tmp_path / name, sources=sources, figures=figures), source_id)


def credited(figure_row: dict, **more) -> dict:
    return {**figure_row, "attributed_to": MINISTRY["source_id"], **more}


# ---------------------------------------------------------------------------
# The bundled data


def test_ganja_17_october_early_counts_are_a_series_not_a_disagreement(everything, bundled):
    # The first hours' counts (5 and 12 by the Prosecutor General, 13 by the ombudsman, 14 by the mayor, all 17 October 2020) and
    # Wikipedia's "initial reports" (15, October 2020) are a toll still being counted: compared is Amnesty's 21 (14 January 2021).
    entries = ledger.ledger_entries(everything, ["civilian_deaths"])
    ganja = row(ledger.ledger(entries), strike_id="ganja-2020-10-17", subset="")
    assert (ganja["low"], ganja["high"], ganja["agreement"], bool(ganja["series"])) == (21, 21, "running count", True)
    assert ganja["n_sources"] == 7 and ganja["n_originals"] == 6
    # The counts compared are Amnesty's 21 in two publications, not the seven sources with earlier counts.
    assert ganja["compared_sources"] == 2 and ganja["compared_originals"] == 1
    assert text_ledger.range_text(ganja) == "21"
    said = text_ledger.who_says_what(entries, ganja["subject_id"], bundled.sources)
    for publisher in ("The Moscow Times", "Azernews", "Trend", "Wikipedia", "News24.az"):
        assert publisher in said
    latest, earlier = said.split("; earlier counts: ")
    assert "21 (The Moscow Times, citing Amnesty International, 14 January 2021)" in latest and "12" not in latest and "15" not in latest
    assert earlier.startswith("5 (News24.az, citing Prosecutor General's Office of Azerbaijan, 17 October 2020)")
    assert earlier.endswith(
        "14 (Trend (trend.az), citing Mayor of Ganja, 17 October 2020); 15 (Wikipedia, credited to no one, October 2020)"
    )
    assert "12 (Trend (trend.az), citing Prosecutor General's Office of Azerbaijan, 17 October 2020)" in earlier


def test_the_limits_of_the_comparison_state_its_rule_and_nothing_the_data_may_contradict(monkeypatch):
    """05's limits were static text that said no original was read, false once HRW's and Amnesty's own texts were; they are
    the method's limits now, with the span that makes a count an earlier one taken from the ledger's rule."""
    said = text_ledger.describe_comparison_limits()
    assert "dated more than 7 days before its latest count are earlier counts" in said and "checked against the original" not in said
    monkeypatch.setattr(text_ledger, "ABOUT_THE_SAME_TIME", ledger.ABOUT_THE_SAME_TIME * 2)
    assert "more than 14 days before" in text_ledger.describe_comparison_limits()
    notebook = (PROJECT_ROOT / "notebooks" / "05-sources-compared.ipynb").read_text(encoding="utf-8")
    assert "Nothing here was checked against the original documents" not in notebook and "describe_comparison_limits()" in notebook


def test_one_number_worded_two_ways_keeps_both_wordings_and_a_vague_word_is_read_not_meant(everything):
    """A second audit: '146, and a vague word meaning 40 or more' dropped the 'at least' four sources state, and gave the package's
    reading of 'scores' as what the word means."""
    entries = ledger.ledger_entries(everything, ["civilian_deaths"])
    conflict = row(ledger.ledger(entries), scope="conflict", subset="", subject_side="both")
    assert conflict["wordings"] == ("exact", "at_least")
    assert text_ledger.range_text(conflict) == "146 or at least 146, and a vague word read as 40 or more"
    assert "scores (read as 40 or more) (Amnesty International" in text_ledger.who_says_what(
        entries, conflict["subject_id"], everything.dataset.sources
    )


def test_a_range_of_hedged_counts_keeps_the_hedge_at_both_ends(everything):
    """A second audit: 'deaths, civilian and military: 5,000 – 6,000' dropped the "more than" both counts state."""
    table = ledger.ledger(ledger.ledger_entries(everything, ["deaths_all"]))
    conflict = row(table, scope="conflict", subset="", subject_side="both")
    assert text_ledger.range_text(conflict) == "more than 5,000 – more than 6,000" and conflict["agreement"] == "compatible"
    assert text_ledger.range_text({"low": 3, "high": 9, "qualifier": "", "wordings": ("exact", "at_least")}) == "3 – 9 (some hedged)"


def test_a_hedge_every_source_states_is_kept_in_the_range(everything):
    family = row(ledger.ledger(ledger.ledger_entries(everything, ["civilian_deaths"])), strike_id="ganja-2020-10-17", subset="one_family")
    assert (family["agreement"], text_ledger.range_text(family)) == ("agree", "at least 4")


def test_who_documents_each_sides_strikes(everything):
    """Per attacking side, the strikes by the alignment of whoever documents them: both sides' strikes by international bodies."""
    table = ledger.alignment_by_side(everything)
    assert set(table["attacker"]) == {"armenian_forces", "azerbaijani_forces"}
    international = table[table["alignment"] == "international"].set_index("attacker")["strikes"]
    assert international["azerbaijani_forces"] >= 1 and international["armenian_forces"] >= 1
    said = text_ledger.describe_alignment_by_side(table)
    assert "Strikes by Armenian forces in the data" in said and "Strikes by Azerbaijani forces in the data" in said
    assert "aligned with Azerbaijan, " in said and "may follow from whose texts were read" in said
    assert "cannot be shown" in text_ledger.describe_alignment_by_side(table.iloc[:0])


def test_analysed_strikes_are_compared_within_one_study(everything):
    table = ledger.ledger(ledger.ledger_entries(everything, ["strikes"]))
    amnesty = row(table, scope="analysed_strikes", subject_side="armenian_forces", study="amnesty-2021-01-report")
    assert (amnesty["low"], amnesty["high"], amnesty["agreement"], amnesty["n_originals"]) == (8, 10, "disagree", 1)
    hrw = row(table, scope="analysed_strikes", subject_side="armenian_forces", study="hrw-2020-12-11-armenia")
    assert (hrw["low"], hrw["high"], hrw["agreement"]) == (18, 18, "one source")
    both = row(table, scope="analysed_strikes", subject_side="both", study="amnesty-2021-01-report")
    assert (both["low"], both["high"]) == (17, 18)


def test_bounds_and_hedges(everything):
    conflict = row(ledger.ledger(ledger.ledger_entries(everything, ["civilian_deaths"])), scope="conflict", subject_side="both", subset="")
    # 146 and at least 146 (January 2021) and "scores" can all be true at once; the BBC's at least 143 (December 2020) is earlier
    assert (conflict["low"], conflict["high"], conflict["agreement"], bool(conflict["hedges_differ"])) == (146, 146, "compatible", True)
    assert bool(conflict["series"])


def test_the_article_gaps_include_the_disagreements(article):
    disputed = ledger.source_disagreements(article)
    assert set(disputed["agreement"]) <= {"disagree", "hedges differ", "compatible"}
    assert {(8, 10), (17, 18)} <= set(zip(disputed["low"], disputed["high"]))
    # Ganja, 17 October is a running count: the latest counts agree (21), its earlier counts are its series, not others saying otherwise.
    assert not {(12, 21), (5, 21), (15, 21), (21, 21)} & set(zip(disputed["low"], disputed["high"]))
    found = gaps.found(article)
    assert set(found["other_sources_differ"]["ledger"]["subject_id"]) == set(disputed["subject_id"])
    words = text_gaps.describe_gaps({"other_sources_differ": found["other_sources_differ"]}, article.strikes, article.dataset.sources)
    assert "Ganja" not in words and "running count" not in words and "Vestnik Kavkaza" in words


# ---------------------------------------------------------------------------
# Made-up sources


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


def test_a_figure_counts_for_whom_its_text_credits(tmp_path):
    # The wire reads two numbers: one credited to the ministry, one credited to no one.
    north = credited(figure("ew-north-ministry", "civilian_deaths", "120", "exact", "unspecified", "strike", "the ministry says 120", "northtown-2024-03-02", source_id=WIRE["source_id"]))  # fmt: skip
    south = {**figure("ew-south", "civilian_deaths", "9", "exact", "unspecified", "strike", "nine dead", "southville-2024-03-09", source_id=WIRE["source_id"]), "attributed_to": UNATTRIBUTED}  # fmt: skip
    everything = study(tmp_path, OTHER_FIGURES + [north, south], OTHER_SOURCES + [WIRE, MINISTRY], "")
    entries = ledger.ledger_entries(everything, ["civilian_deaths"])
    found = row(entries, figure_id="ew-north-ministry")
    assert (found["credited"], found["original"], found["body"]) == (MINISTRY["source_id"], MINISTRY["source_id"], "Example Ministry")
    assert row(entries, figure_id="ew-south")["original"] == "unattributed:ew-south"
    # The gazette cites the NGO and the wire credits the ministry: two accounts, not one.
    table = ledger.ledger(entries)
    table = table[table["subset"] == ""].set_index("strike_id")
    assert table.loc["northtown-2024-03-02", "n_originals"] == 2
    said = text_ledger.who_says_what(entries, table.loc["southville-2024-03-09", "subject_id"], everything.dataset.sources)
    assert "9 (Example Wire, credited to no one, 2 May 2024)" in said
    assert "more than 15 (Example Gazette, citing Example NGO, 1 May 2024)" in said
    said = text_ledger.who_says_what(entries, table.loc["northtown-2024-03-02", "subject_id"], everything.dataset.sources)
    assert "120 (Example Wire, citing Example Ministry, 2 May 2024)" in said


def test_a_vague_word_is_compared_as_the_number_it_means(tmp_path):
    dozens = {**figure("ew-sites", "sites_visited", "", "vague", "both", "analysed_strikes", "dozens of sites", source_id=WIRE["source_id"]),
              "vague_word": "dozens", "attributed_to": NGO}  # fmt: skip
    eighteen = figure("ew-sites-18", "sites_visited", "18", "exact", "both", "analysed_strikes", "18 sites")
    figures = [f for f in OTHER_FIGURES if f["figure_id"] != "eg-sites"] + [dozens, eighteen]
    table = ledger.ledger(ledger.ledger_entries(study(tmp_path, figures, OTHER_SOURCES + [{**WIRE, "cites": NGO}], ""), ["sites_visited"]))
    assert table["agreement"].tolist() == ["disagree"]  # dozens means 24 or more: 18 does not fit it


def test_one_bodys_counts_on_different_dates_are_a_running_count(tmp_path):
    def count(figure_id, value, as_of, source):
        return credited(
            figure(figure_id, "civilian_deaths", value, "exact", "unspecified", "conflict", f"{value} civilians", source_id=source),
            as_of=as_of,
        )

    daily = {**WIRE, "source_id": "example-daily", "publisher": "Example Daily"}
    counts = [count("w-1", "91", "2024-03-31", WIRE["source_id"]), count("d-1", "100", "2024-04-30", daily["source_id"])]
    sources = OTHER_SOURCES + [WIRE, daily, MINISTRY]
    table = ledger.ledger(ledger.ledger_entries(study(tmp_path, OTHER_FIGURES + counts, sources, ""), ["civilian_deaths"]))
    series = row(table, scope="conflict", subject_side="unspecified")
    assert (series["agreement"], bool(series["series"])) == ("running count", True)
    # Another body at the time of the latest count, with another number: that is a disagreement.
    other = {**figure("g-1", "civilian_deaths", "120", "exact", "unspecified", "conflict", "120 civilians"), "as_of": "2024-04-30"}
    table = ledger.ledger(
        ledger.ledger_entries(study(tmp_path, OTHER_FIGURES + counts + [other], sources, "", name="e"), ["civilian_deaths"])
    )
    assert row(table, scope="conflict", subject_side="unspecified")["agreement"] == "disagree"


def test_other_bodies_early_counts_of_a_toll_are_not_a_disagreement(tmp_path):
    def count(figure_id, value, as_of, source):
        row_ = figure(figure_id, "civilian_deaths", value, "exact", "unspecified", "strike", f"{value} killed", "northtown-2024-03-02")
        return {**row_, "source_id": source, "as_of": as_of, "as_of_basis": "published"}

    daily = {**WIRE, "source_id": "example-daily", "publisher": "Example Daily"}
    figures = [f for f in OTHER_FIGURES if f["strike_id"] != "northtown-2024-03-02" or f["measure"] != "civilian_deaths"]
    early = [count("w-1", "12", "2024-03-02", WIRE["source_id"]), count("d-1", "14", "2024-03-02", daily["source_id"])]
    final = count("g-1", "21", "2024-05-01", OTHER_SOURCE)
    sources = OTHER_SOURCES + [WIRE, daily]
    table = ledger.ledger(ledger.ledger_entries(study(tmp_path, figures + early + [final], sources, ""), ["civilian_deaths"]))
    toll = row(table, strike_id="northtown-2024-03-02", subset="")
    assert (toll["agreement"], toll["low"], toll["high"], bool(toll["series"])) == ("running count", 21, 21, True)
    # Bodies at about the same time that give other numbers still disagree.
    table = ledger.ledger(ledger.ledger_entries(study(tmp_path, figures + early, sources, "", name="e"), ["civilian_deaths"]))
    assert row(table, strike_id="northtown-2024-03-02", subset="")["agreement"] == "disagree"
    # Two later counts that differ disagree; the sentence and the table of sides name the counts compared, not the earlier ones.
    other = {**MINISTRY, "source_id": "example-ministry", "published": "2024-05-02"}
    late = {**count("m-1", "25", "2024-05-02", other["source_id"]), "attributed_to": other["source_id"]}
    both = study(tmp_path, figures + early + [final, late], sources + [other], "", name="f")
    entries = ledger.ledger_entries(both, ["civilian_deaths"])
    table = ledger.ledger(entries)
    toll = row(table, strike_id="northtown-2024-03-02", subset="")
    assert (toll["agreement"], toll["low"], toll["high"], toll["n_sources"], toll["compared_sources"]) == ("disagree", 21, 25, 4, 2)
    said = text_ledger.describe_ledger(table[table["subject_id"] == toll["subject_id"]], both.dataset.sources, both.strikes)
    assert "reported as 21 – 25 by 2 sources going back to 2 originals, in their latest counts (earlier counts" in said
    sides = tables.disagreements_table(table, entries, both)
    listed = sides.loc[sides["reported"] == "21 – 25", "sources by value"].item()
    assert listed.startswith("21: ") and "| 25: " in listed and "12: " not in listed and "14: " not in listed


def test_no_toll_counted_on_two_dates_is_no_growth_not_a_row_of_blanks(tmp_path):
    # One dated count of a strike's toll is no series: pandas gives an empty frame the rows of a Series assigned to it (all NaN),
    # which 05 then tried to date (found by the long property run).
    made_up = study(tmp_path, OTHER_FIGURES, OTHER_SOURCES)
    entries = ledger.ledger_entries(made_up, ["civilian_deaths"])
    assert (entries["scope"] == "strike").any() and (entries["dated"] != "").any()
    growth = ledger.toll_growth(entries)
    assert growth.empty and list(growth.columns) == list(entries.columns)
    assert text_ledger.describe_growth(growth, made_up.dataset.sources, made_up.strikes) == text_ledger.NO_GROWTH


def test_the_balance_of_sources_is_shown_and_a_lean_is_a_gap(tmp_path):
    strikes = ["northtown-2024-03-02", "southville-2024-03-09", "eastbury-strikes"]
    counts = [
        credited(
            figure(
                f"m-{i}",
                "civilian_deaths",
                str(10 + i),
                "exact",
                "unspecified",
                "strike",
                f"{10 + i} killed",
                strike,
                source_id=f"example-daily-{i}",
            )
        )
        for i, strike in enumerate(strikes)
    ]
    dailies = [
        {**WIRE, "source_id": f"example-daily-{i}", "publisher": f"Daily {i}", "body": "state_or_public_media", "alignment": "azerbaijan"}
        for i in range(3)
    ]
    mine = study(tmp_path, OTHER_FIGURES + counts, OTHER_SOURCES + dailies + [MINISTRY])
    # Three figures credited to one body aligned with Azerbaijan, the ministry, read in three publications.
    aligned = ledger.balance(mine).set_index("alignment").loc["azerbaijan"]
    assert tuple(aligned[["figures", "bodies", "publications", "on_single_strikes", "on_groups"]]) == (3, 1, 3, 2, 1)
    gap = gaps.one_sided_sources(mine)
    assert gap is not None and gap["compared_strikes_by_territory"]["strikes"].sum() == 3
    words = text.markdown_to_plain(text_ledger.describe_balance(gap["balance"]))
    assert (
        "bodies aligned with Azerbaijan: 3 figures (from 1 body, read in 3 publications; 2 on single strikes, 1 on groups of strikes)"
        in words
    )
