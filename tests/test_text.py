"""The words layer: numbers with their hedges, reader labels, safe Markdown, sentences and reader tables."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import checks, labels, tables, text, views
from helpers.printable import NO_MATH

# ---------------------------------------------------------------------------
# Labels


@pytest.mark.parametrize(
    "value, qualifier, expected",
    [
        (6000, "more_than", "more than 6,000"),
        (146, "at_least", "at least 146"),
        (11, "exact", "11"),
        (20, "approx", "about 20"),
        (51, "at_most", "at most 51"),
        (float("nan"), "vague", "no number given"),
        (2.5, "exact", "2.5"),
    ],
)
def test_format_value(value, qualifier, expected):
    assert labels.format_value(value, qualifier) == expected


def test_format_values_matches_format_value():
    values, qualifiers = pd.Series([6000, 146, None, 11.0]), pd.Series(["more_than", "at_least", "vague", "exact"])
    assert labels.format_values(values, qualifiers).tolist() == ["more than 6,000", "at least 146", "no number given", "11"]


def test_format_share_rounds_away_from_the_hedge():
    assert labels.format_share(146 / 6000, "at_most") == "at most 2.5%"  # 2.43...% rounded up
    assert labels.format_share(0.0249, "at_least") == "at least 2.4%"  # rounded down
    assert labels.format_share(72 / 146, "exact") == "49.3%"
    assert labels.format_share(float("nan"), "vague") == "an unknown share"


def test_format_figure_keeps_the_words_of_a_vague_figure():
    vague = {"value": float("nan"), "qualifier": "vague", "quote": "visited dozens of strike sites"}
    assert labels.format_figure(vague) == "no number given (“visited dozens of strike sites”)"


def test_count_phrase():
    assert labels.count_phrase(1, "exact", "civilian") == "1 civilian"
    assert labels.count_phrase(1, "at_least", "civilian") == "at least 1 civilian"
    assert labels.count_phrase(6000, "more_than", "person", "people") == "more than 6,000 people"
    assert labels.count_phrase(float("nan"), "vague", "civilian") == "an unstated number of civilians"


def test_labels():
    assert labels.place_label("Martuni", "Khojavend") == "Martuni / Khojavend" and labels.place_label("Ganja", "") == "Ganja"
    assert labels.place_label("Ganja", "", pd.Timestamp("2020-10-05")) == "Ganja, 5 October 2020"
    assert labels.place_label("Ganja", "", pd.Timestamp("2020-10-05"), short=True) == "Ganja, 5 Oct"
    assert labels.side_label("armenian_forces") == "Armenian forces" and labels.side_label("azerbaijani_forces") == "Azerbaijani forces"
    assert labels.measure_label("civilian_deaths") == "civilians killed"
    assert [labels.format_published(d) for d in ("2020-10-31", "2021-01", "")] == ["31 October 2020", "January 2021", ""]


def test_side_phrase_names_the_attacker_whose_losses_or_both():
    assert labels.side_phrase("armenian_forces", "civilian_deaths") == " by Armenian forces"
    assert labels.side_phrase("armenian_forces", "civilian_deaths", by=", by ") == ", by Armenian forces"
    assert labels.side_phrase("azerbaijani_forces", "military_deaths") == ", Azerbaijani forces' losses"
    assert labels.side_phrase("both", "military_deaths") == ", both sides"
    assert labels.side_phrase("unspecified", "civilian_deaths") == ""


# ---------------------------------------------------------------------------
# Data made inert in Markdown


@pytest.mark.parametrize(
    "hostile", ["<script>alert(1)</script>", "[x](javascript:alert(1))", "![i](http://e/x.png)", "*bold* _it_ `code` # head | table $math$"]
)
def test_escape_markdown_makes_text_inert(hostile):
    escaped = text.escape_markdown(hostile)
    inner = escaped.removeprefix(NO_MATH).removesuffix("</span>")
    assert "<" not in inner and "](" not in escaped and "![" not in escaped
    assert text.markdown_to_plain(escaped) == hostile


@pytest.mark.parametrize(
    "hostile",
    ["see https://example.org/x or www.example.com", "write to press@example.org", "$5 and $10", r"\(x^2\) and $$y$$", "# Not a heading"],
)
def test_bare_urls_addresses_and_math_stay_text(hostile):
    """Rendered as nbconvert renders the report (mistune, with its url plugin) and as markdown-it with GFM
    autolinks: no link, no math delimiters outside a span MathJax skips, the same text shown."""
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    escaped = text.escape_markdown(hostile)
    for rendered in (markdown2html_mistune(escaped), MarkdownIt("gfm-like", {"linkify": False}).render(escaped)):
        soup = BeautifulSoup(rendered, "html.parser")
        assert not soup.find("a") and not soup.find(["h1", "h2", "h3", "math", "script"]), rendered
        assert soup.get_text().strip() == hostile, rendered
        if "$" in hostile or "\\" in hostile:
            assert soup.find("span", class_="mathjax_ignore") and soup.find("span", class_="tex2jax_ignore"), rendered
    assert text.markdown_to_plain(escaped) == hostile


# ---------------------------------------------------------------------------
# Sentences and tables


def test_sentences_on_other_data(other):
    assert "at least 40 civilians, that is at least 4 per strike" in text.describe_by_side(views.by_side(other), other.source)
    strikes = text.describe_strikes(views.named_strikes(other), other.source, other.strikes)
    assert "**Westham, 20 March 2024, Azerbaijan**: no death toll given" in strikes
    said = tables.describe_checks(checks.consistency_checks(other), other.figures, other.strikes)
    assert said.startswith("Of ") and "could not be decided" in said
    assert "It cites **Example NGO**" in text.describe_source(other.dataset.sources, other.source_id)
    share = text.describe_share(views.conflict_share(other), views.conflict_totals(other), other.source, other.dataset.sources)
    assert "Of the at least 500 civilian deaths" in share and "an unknown share" in share
    rest = text.describe_remainders(views.remainders(other))
    assert "The **15 other analysed strikes by Azerbaijani forces** killed 120 civilians between them" in rest


def test_the_source_line_says_whom_the_figures_credit(article):
    line = text.source_line(article.dataset.sources, article.figures)
    assert "citing Amnesty International; some figures credited to no one" in line


def test_reader_tables(article):
    table = tables.per_strike_table(views.per_strike(article))
    assert table["strike"].tolist() == [
        "Martuni / Khojavend, 27 September 2020",
        "Ganja / Gandzak, 17 October 2020",
        "other analysed strikes by Armenian forces",
        "other analysed strikes by Azerbaijani forces",
    ]
    assert table["attacker"].tolist()[1] == "Armenian forces (inferred)"
    assert tables.by_side_table(views.by_side(article))["killed per strike (computed)"].tolist() == ["9", "1.2"]
    about = tables.figures_table(article).set_index("figure")["about"]
    assert about["mt-deaths-armenian"] == "the analysed strikes by Armenian forces"
    assert about["mt-ganja-family-deaths"] == "Ganja / Gandzak, 17 October 2020 (only: one family)"


def test_check_wording_from_numbers(other):
    found = checks.consistency_checks(other)
    first = found[found["check"] == "sides_add_up"].iloc[0]
    assert tables.check_description(first, other.strikes) == "strikes: the sides' analysed strikes add up to all analysed strikes"
    assert tables.check_sum(first, other.figures) == "10 + 20"
    assert "10 + 20 = 30" in tables.checks_table(found, other)["compared"].tolist()


def test_the_side_chosen_is_said_only_when_one_is_chosen():
    assert text.side_chosen("") == ""
    assert text.side_chosen("armenian_forces").startswith("Only strikes by Armenian forces are shown")


def test_text_from_data_cannot_reorder_the_words_round_it(tmp_path):
    """A right-to-left override in a publisher's name is shown escaped; right-to-left text is isolated (FSI ... PDI): in every
    sentence the package's own words and numbers keep their order."""
    from conftest import OTHER_SOURCES, OTHER_STRIKES, study_of, write_dataset
    from helpers.printable import FIRST_STRONG_ISOLATE as FSI
    from helpers.printable import POP_DIRECTIONAL_ISOLATE as PDI
    from helpers.printable import isolated

    assert isolated("Gazette\u202e of 72") == "Gazette\\u202e of 72"
    assert isolated("מגזין 146") == f"{FSI}מגזין 146{PDI}"
    assert isolated("Northtown") == "Northtown"
    sources = [{**OTHER_SOURCES[0], "publisher": "Example \u202eGazette"}, OTHER_SOURCES[1]]
    strikes = [{**OTHER_STRIKES[0], "place": "צפון", "place_other_name": "مدينة\u2069"}, *OTHER_STRIKES[1:]]
    study = study_of(write_dataset(tmp_path / "data", sources=sources, strikes=strikes))
    assert study.dataset.sources.at[0, "publisher"] == "Example \\u202eGazette"
    assert study.strikes.at["northtown-2024-03-02", "place"] == f"{FSI}צפון{PDI}"
    assert study.strikes.at["northtown-2024-03-02", "place_other_name"] == f"{FSI}مدينة\\u2069{PDI}"
    lines = text.describe_strikes(views.named_strikes(study), study.source, study.strikes)
    assert f"{FSI}צפון{PDI} / {FSI}مدينة" in lines and "\u202e" not in lines
