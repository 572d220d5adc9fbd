"""Issue 9's analysis rules, each pinned on small made-up data: credit per figure, named victims, a hedge the
original states, vague words, running counts, and the balance of sources."""

from __future__ import annotations

import pytest

from conftest import OTHER_FIGURES, OTHER_SOURCE, OTHER_SOURCES, WIRE, figure, one, study_of, write_dataset
from helpers import gaps, ledger, text, text_ledger, views

NGO = "example-ngo-2024"
MINISTRY = {
    **OTHER_SOURCES[1], "source_id": "example-ministry", "publisher": "Example Ministry", "kind": "official_statement",
    "body": "government", "alignment": "azerbaijan", "published": "",
}  # fmt: skip
NGO_RELEASE = {
    **OTHER_SOURCES[1], "source_id": "example-ngo-release", "title": "Release", "kind": "ngo_press_release", "cites": NGO, "published": "2024-04-30",
}  # fmt: skip


def with_(*extra, sources=(), replace=None):
    """The made-up figures, some replaced (by figure_id) and some added; the made-up sources and more."""
    figures = [dict(f) for f in OTHER_FIGURES]
    for f in figures:
        f.update((replace or {}).get(f["figure_id"], {}))
    return figures + list(extra), OTHER_SOURCES + list(sources)


def study(tmp_path, figures, sources, source_id=OTHER_SOURCE):
    return study_of(write_dataset(tmp_path / "d", sources=sources, figures=figures), source_id)


def test_a_figure_counts_for_whom_its_text_credits(tmp_path):
    # The wire reads two numbers: one credited to the ministry, one credited to no one.
    credited = {**figure("ew-north-ministry", "civilian_deaths", "120", "exact", "unspecified", "strike", "the ministry says 120",
                         "northtown-2024-03-02", source_id=WIRE["source_id"]), "attributed_to": MINISTRY["source_id"]}  # fmt: skip
    unattributed = {**figure("ew-south", "civilian_deaths", "9", "exact", "unspecified", "strike", "nine dead", "southville-2024-03-09",
                             source_id=WIRE["source_id"]), "attributed_to": "unattributed"}  # fmt: skip
    figures, sources = with_(credited, unattributed, sources=[WIRE, MINISTRY])
    everything = study(tmp_path, figures, sources, "")
    entries = ledger.ledger_entries(everything, ["civilian_deaths"])
    north = one(entries, figure_id="ew-north-ministry")
    assert (north["credited"], north["original"], north["body"]) == (MINISTRY["source_id"], MINISTRY["source_id"], "Example Ministry")
    south = one(entries, figure_id="ew-south")
    assert south["original"] == "unattributed:ew-south"
    # The gazette cites the NGO and the wire credits the ministry: two accounts, not one.
    table = ledger.ledger(entries)
    table = table[table["subset"] == ""].set_index("strike_id")
    assert table.loc["northtown-2024-03-02", "n_originals"] == 2
    said = text_ledger.who_says_what(entries, table.loc["southville-2024-03-09", "subject_id"], everything.dataset.sources)
    assert "9 (Example Wire, credited to no one, 2 May 2024)" in said
    assert "more than 15 (Example Gazette, citing Example NGO, 1 May 2024)" in said
    said = text_ledger.who_says_what(entries, table.loc["northtown-2024-03-02", "subject_id"], everything.dataset.sources)
    assert "120 (Example Wire, citing Example Ministry, 2 May 2024)" in said


def test_named_victims_leave_an_upper_bound_for_the_rest(tmp_path):
    named = {"quote": "killed a ten-year-old boy", "value": "1", "qualifier": "at_least", "derivation": "Named victims: one boy."}
    figures, sources = with_(replace={"eg-northtown-deaths": named})
    mine = study(tmp_path, figures, sources)
    rest = one(views.remainders(mine), side="azerbaijani_forces")
    # 300 in the side's analysed strikes, at least 1 in Northtown and 60 in Eastbury: at most 239 in the other 15.
    assert (rest["civilian_deaths"], rest["civilian_deaths_qualifier"]) == (239, "at_most")


def test_a_hedge_the_original_states_is_carried_where_the_number_is_used(tmp_path):
    release = {
        **figure(
            "ngo-conflict",
            "civilian_deaths",
            "500",
            "at_least",
            "both",
            "conflict",
            "at least 500 civilians",
            source_id=NGO_RELEASE["source_id"],
        )
    }
    figures, sources = with_(
        release, sources=[NGO_RELEASE], replace={"eg-deaths-conflict": {"qualifier": "exact", "quote": "500 civilians died"}}
    )
    mine = study(tmp_path, figures, sources)
    total = one(mine.figures, figure_id="eg-deaths-conflict")
    assert (total["stated_qualifier"], total["qualifier"], total["hedge_from"]) == ("exact", "at_least", "ngo-conflict")
    share = views.conflict_share(mine).set_index("part")
    # at least 500 less (at least 40 + 300): nothing is known of the rest, and a side's share of a lower bound is at most.
    assert share.loc["azerbaijani_forces", "share_qualifier"] == "at_most"
    words = text.describe_share(views.conflict_share(mine), views.conflict_totals(mine), mine.source, mine.dataset.sources)
    words = text.markdown_to_plain(words)
    assert "at least 500 (stated as 500; Example NGO's press release, from the same original, says at least 500)" in words
    assert "at most 60%" in words  # 300 of at least 500
    assert "at least 500" in text.describe_readings(mine.figures, mine.dataset.sources)
    # A source whose wording is not matched by a hedged copy of its original keeps its own.
    plain = study_of(
        write_dataset(tmp_path / "plain", figures=with_(replace={"eg-deaths-conflict": {"qualifier": "exact", "quote": "500 died"}})[0])
    )
    assert one(plain.figures, figure_id="eg-deaths-conflict")["qualifier"] == "exact"


def test_a_vague_word_is_compared_as_the_number_it_means(tmp_path):
    dozens = {**figure("ew-sites", "sites_visited", "", "vague", "both", "analysed_strikes", "dozens of sites", source_id=WIRE["source_id"]),
              "vague_word": "dozens", "attributed_to": NGO}  # fmt: skip
    eighteen = {**figure("ew-sites-18", "sites_visited", "18", "exact", "both", "analysed_strikes", "18 sites", source_id=OTHER_SOURCE)}
    figures, sources = with_(
        dozens, eighteen, sources=[{**WIRE, "cites": NGO}], replace={"eg-sites": {"quote": "many sites, a vague figure"}}
    )
    figures = [f for f in figures if f["figure_id"] != "eg-sites"]
    table = ledger.ledger(ledger.ledger_entries(study(tmp_path, figures, sources, ""), ["sites_visited"]))
    assert table["agreement"].tolist() == ["disagree"]  # dozens means 24 or more: 18 does not fit it


def test_one_bodys_counts_on_different_dates_are_a_running_count(tmp_path):
    def count(figure_id, value, as_of, source):
        return {**figure(figure_id, "civilian_deaths", value, "exact", "unspecified", "conflict", f"{value} civilians", source_id=source),
                "as_of": as_of, "attributed_to": MINISTRY["source_id"]}  # fmt: skip

    daily = {**WIRE, "source_id": "example-daily", "publisher": "Example Daily"}
    figures, sources = with_(count("w-1", "91", "2024-03-31", WIRE["source_id"]), count("d-1", "100", "2024-04-30", daily["source_id"]),
                             sources=[WIRE, daily, MINISTRY])  # fmt: skip
    everything = study(tmp_path, figures, sources, "")
    table = ledger.ledger(ledger.ledger_entries(everything, ["civilian_deaths"]))
    series = one(table, scope="conflict", subject_side="unspecified")
    assert (series["agreement"], bool(series["series"])) == ("running count", True)
    # Another body at the time of the latest count, with another number: that is a disagreement.
    other = {**figure("g-1", "civilian_deaths", "120", "exact", "unspecified", "conflict", "120 civilians"), "as_of": "2024-04-30"}
    figures, sources = with_(count("w-1", "91", "2024-03-31", WIRE["source_id"]), count("d-1", "100", "2024-04-30", daily["source_id"]), other,
                             sources=[WIRE, daily, MINISTRY])  # fmt: skip
    table = ledger.ledger(
        ledger.ledger_entries(study_of(write_dataset(tmp_path / "e", sources=sources, figures=figures), ""), ["civilian_deaths"])
    )
    assert one(table, scope="conflict", subject_side="unspecified")["agreement"] == "disagree"


def test_the_balance_of_sources_is_shown_and_a_lean_is_a_gap(tmp_path):
    ministry_counts = [
        {**figure(f"m-{i}", "civilian_deaths", str(10 + i), "exact", "unspecified", "strike", f"{10 + i} killed", strike,
                  source_id=f"example-daily-{i}"), "attributed_to": MINISTRY["source_id"]}
        for i, strike in enumerate(["northtown-2024-03-02", "southville-2024-03-09", "eastbury-strikes"])
    ]  # fmt: skip
    dailies = [{**WIRE, "source_id": f"example-daily-{i}", "publisher": f"Daily {i}", "body": "state_or_public_media", "alignment": "azerbaijan"}
               for i in range(3)]  # fmt: skip
    figures, sources = with_(*ministry_counts, sources=[*dailies, MINISTRY])
    mine = study(tmp_path, figures, sources)
    balance = ledger.balance(mine).set_index("alignment")
    # Three figures credited to one body aligned with Azerbaijan, the ministry, read in three publications.
    row = balance.loc["azerbaijan"]
    assert (row["figures"], row["bodies"], row["publications"], row["on_single_strikes"], row["on_groups"]) == (3, 1, 3, 2, 1)
    gap = gaps.one_sided_sources(mine)
    assert gap is not None and gap["compared_strikes_by_territory"]["strikes"].sum() == 3
    words = text.markdown_to_plain(text_ledger.describe_balance(gap["balance"]))
    assert (
        "bodies aligned with Azerbaijan: 3 figures (from 1 body, read in 3 publications; 2 on single strikes, 1 on groups of strikes)"
        in words
    )


@pytest.mark.parametrize("source_id", ["moscow-times-2021-01-14"])
def test_the_article_credits_its_unattributed_total_to_no_one(article, source_id):
    totals = views.conflict_totals(article)
    assert one(totals, measure="deaths_all")["credited"] == "unattributed"
    line = text.source_line(article.dataset.sources, article.figures)
    assert "citing Amnesty International; some figures credited to no one" in line
