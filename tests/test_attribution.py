"""Whom each figure is credited to, the original behind it, and the reading used where the same original hedges."""

from __future__ import annotations

from conftest import OTHER_FIGURES, OTHER_SOURCES, figure, one, study_of, write_dataset
from helpers import text, views
from helpers.attribution import UNATTRIBUTED, attributed, cites_chain, original_of

NGO_RELEASE = {
    **OTHER_SOURCES[1], "source_id": "example-ngo-release", "title": "Release", "kind": "ngo_press_release", "cites": "example-ngo-2024",
    "published": "2024-04-30",
}  # fmt: skip


def test_originals_follow_the_cites_chain(bundled):
    original = original_of(bundled.sources)
    assert original["moscow-times-2021-01-14"] == "amnesty-2021-01-report"
    assert original["amnesty-2021-01-report"] == "amnesty-2021-01-report"
    assert original["azernews-2020-12-12"] == "hrw-2020-12-11-armenia"
    # A chain that comes back on itself stops before the first source met again.
    assert cites_chain({"a": "b", "b": "c", "c": "b"}, "a") == ["a", "b", "c"]


def test_every_bundled_figure_says_who_it_is_credited_to(bundled):
    assert (bundled.figures["attributed_to"] != "").all()
    assert (bundled.sources["body"] != "").all() and (bundled.sources["alignment"] != "").all()


def test_bundled_figures_are_credited_to_whom_their_text_names(bundled):
    figures, sources = bundled.figures.set_index("figure_id"), bundled.sources.set_index("source_id")
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


def test_teller_reports_figures_are_amnestys_read_in_a_copy(bundled):
    """Issue 19: Teller Report writes "According to the report, at least 146 civilians were killed ... and several hundred were
    injured", "Amnesty's investigators visited 18 sites" and "The report is based ... on interviews with 79 survivors": its four
    numbers are Amnesty's, read in a copy. Coded as Teller's own (unattributed, as before), they made Teller a separate original and
    "18 sites" against the news article's "dozens of strike sites" a dispute between publications, not within Amnesty's accounts."""
    figures = attributed(bundled.figures, bundled.sources).set_index("figure_id")
    teller = figures[figures["source_id"] == "tellerreport-2021-01-14"]
    assert len(teller) == 4 and (teller["attributed_to"] == "amnesty-2021-01-report").all()
    assert (teller["original"] == "amnesty-2021-01-report").all()
    assert figures.at["tr-sites-visited", "original"] == figures.at["mt-sites-visited", "original"]


def test_more_than_6000_is_credited_as_the_article_credits_it(bundled):
    """Issue 19: "more than 6,000" stands inside the article's "Amnesty said that 146 civilians died in the conflict, which claimed
    the lives of more than 6,000 people". The text puts it in Amnesty's reported words, so it is credited to Amnesty's report (no
    longer "credited to no one"); no Amnesty text read states it (the report says more than 5,000 killed in all), and the note says
    so, so that no one quotes it as Amnesty's own words."""
    figures = bundled.figures.set_index("figure_id")
    six_thousand = figures.loc["mt-deaths-all-conflict"]
    assert (six_thousand["value"], six_thousand["qualifier"]) == (6000, "more_than")
    assert six_thousand["attributed_to"] == "amnesty-2021-01-report"
    assert "no Amnesty text read states it" in six_thousand["note"] and "more than 5,000" in six_thousand["note"]
    # The article's own words stay its own.
    assert figures.at["mt-war-duration", "attributed_to"] == UNATTRIBUTED


def test_the_dropped_hedge_is_traceable_to_one_original(bundled):
    figures = bundled.figures.set_index("figure_id")
    bare, hedged = figures.loc["mt-deaths-civilian-conflict"], figures.loc["aipr-deaths-civilian-conflict"]
    assert (bare["value"], bare["qualifier"], hedged["value"], hedged["qualifier"]) == (146, "exact", 146, "at_least")
    original = original_of(bundled.sources)
    assert original[bare["attributed_to"]] == original[hedged["attributed_to"]] == "amnesty-2021-01-report"


def test_a_hedge_the_original_states_is_carried_where_the_number_is_used(tmp_path):
    release = figure(
        "ngo-conflict",
        "civilian_deaths",
        "500",
        "at_least",
        "both",
        "conflict",
        "at least 500 civilians",
        source_id=NGO_RELEASE["source_id"],
    )

    def gazette_says(quote: str) -> list[dict]:
        return [{**f, "qualifier": "exact", "quote": quote} if f["figure_id"] == "eg-deaths-conflict" else f for f in OTHER_FIGURES]

    mine = study_of(
        write_dataset(tmp_path / "d", sources=OTHER_SOURCES + [NGO_RELEASE], figures=gazette_says("500 civilians died") + [release])
    )
    total = one(mine.figures, figure_id="eg-deaths-conflict")
    assert (total["stated_qualifier"], total["qualifier"], total["hedge_from"]) == ("exact", "at_least", "ngo-conflict")
    share = views.conflict_share(mine).set_index("part")
    # at least 500 less (at least 40 + 300): nothing is known of the rest, and a side's share of a lower bound is at most.
    assert share.loc["azerbaijani_forces", "share_qualifier"] == "at_most"
    words = text.markdown_to_plain(
        text.describe_share(views.conflict_share(mine), views.conflict_totals(mine), mine.source, mine.dataset.sources)
    )
    # The sentence reads the total as the analysis does; who wrote "at least" is said once, in the page's note on readings.
    assert "at least 500" in words and "stated as" not in words
    assert "at most 60%" in words  # 300 of at least 500
    note = text.markdown_to_plain(text.describe_readings(mine.figures, mine.dataset.sources))
    assert "at least 500 (stated as 500; Example NGO's press release, from the same original, says at least 500)" in note
    # A source whose wording is not matched by a hedged copy of its original keeps its own.
    plain = study_of(write_dataset(tmp_path / "plain", figures=gazette_says("500 died")))
    assert one(plain.figures, figure_id="eg-deaths-conflict")["qualifier"] == "exact"
