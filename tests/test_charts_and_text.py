"""Charts (drawn as their qualifiers say, with a source line), showing them, and the text layer (numbers with hedges, safe Markdown)."""

from __future__ import annotations

import base64

import matplotlib.dates
import pandas as pd
import pytest
from matplotlib.figure import Figure

from conftest import OTHER_CONFLICT
from helpers import charts, charts_ledger, checks, labels, ledger, show, tables, text, text_checks, views
from helpers.study import prepare


def line(study) -> str:
    return text.source_line(study.dataset.sources, study.figures)


def all_text(figure: Figure) -> str:
    return "\n".join(t.get_text() for t in figure.findobj(lambda o: hasattr(o, "get_text")))


def bars(figure: Figure) -> list:
    return [p for axes in figure.axes for p in axes.patches if p.get_width() > 0]


# ---------------------------------------------------------------------------
# Charts


def test_civilian_deaths_by_side(article):
    figure = charts.civilian_deaths_by_side(views.by_side(article), line(article))
    assert isinstance(figure, Figure)
    assert "Source: The Moscow Times" in all_text(figure)
    assert "72 killed in 8 strikes" in all_text(figure) and "11 killed in 9 strikes" in all_text(figure)
    assert sorted(b.get_width() for b in bars(figure)) == [11, 72]
    assert all(not b.get_hatch() for b in bars(figure))  # exact values: solid


def test_lower_bounds_look_different(article, other):
    figure = charts.civilians_and_all_deaths(views.conflict_totals(article), line(article))
    by_width = {b.get_width(): b for b in bars(figure)}
    assert by_width[6000].get_hatch() == "///" and by_width[6000].get_facecolor()[:3] == (1.0, 1.0, 1.0)
    # "146" is read as "at least 146", as Amnesty International's own release words it: drawn as a lower bound too.
    assert by_width[146].get_hatch() == "///"
    assert "more than 6,000" in all_text(figure) and "at least 146" in all_text(figure) and "lower bounds" in all_text(figure)
    # On other data, the side whose toll is "at least 40" is hatched.
    figure = charts.civilian_deaths_by_side(views.by_side(other), line(other))
    by_width = {b.get_width(): b for b in bars(figure)}
    assert by_width[40].get_hatch() == "///" and not by_width[300].get_hatch()
    assert "at least 40 killed in 10 strikes" in all_text(figure)


def test_deaths_per_strike_draws_the_remainder_apart(article):
    figure = charts.deaths_per_strike(views.per_strike(article), line(article))
    single, several = figure.axes
    drawn = {b.get_width(): b for b in bars(figure)}
    assert drawn[21].get_linestyle() == "solid" and not drawn[21].get_hatch()
    # Groups and remainders: dotted outlines, on an axis and a scale of their own, never beside single strikes.
    remainder = next(p for p in several.patches if p.get_width() == 51)
    assert remainder.get_linestyle() in (":", "dotted") and remainder.get_hatch() == ".."
    assert all(p.get_width() != 51 for p in single.patches)
    assert "Ganja / Gandzak, 17 Oct" in [t.get_text() for t in single.get_yticklabels()]
    assert "7 other strikes by Armenian forces" in [t.get_text() for t in several.get_yticklabels()]
    assert "51 killed across 7 strikes, split unknown" in all_text(figure)
    assert "Armenian forces (inferred)" in all_text(figure)
    assert charts.SELECTED_NOT_SAMPLED in " ".join(all_text(figure).split())
    assert "21 killed" in figure.description and "51 killed across 7 strikes" in figure.description


def test_a_group_without_a_number_reads_as_one(article):
    """A group of strikes whose toll the source does not give reads "deaths: no number given", never "no number given
    killed"."""
    view = views.per_strike(article)
    group = view["kind"] != "strike"
    view.loc[group, "civilian_deaths"] = float("nan")
    figure = charts.deaths_per_strike(view, line(article))
    assert "deaths: no number given, across 7 strikes" in all_text(figure)
    assert "no number given killed" not in all_text(figure) + figure.description


def test_share_and_timeline(article, other):
    figure = charts.share_of_conflict_deaths(views.conflict_share(article), views.conflict_totals(article), line(article))
    assert "outside the analysed strikes:\nat least 63 (an unknown share)" in all_text(figure)
    assert "analysed strikes by Armenian forces:\n72 (at most 49.4%)" in all_text(figure)
    hatched = [b for b in bars(figure) if b.get_hatch()]
    assert [b.get_width() for b in hatched] == [63]
    per_strike = views.per_strike(other)
    dated = views.dated_strikes(other, per_strike)
    timeline = charts.strike_timeline(dated, per_strike, views.war_span(other), line(other))
    assert "Not shown, as the source gives no date: Eastbury" in all_text(timeline)
    assert "Northtown / Nordstadt\n2 Mar: 120 killed" in all_text(timeline)
    # The axis spans the war the data package gives, with its end marked, whatever the strikes' dates.
    start, end = (matplotlib.dates.num2date(x).date().isoformat() for x in timeline.axes[0].get_xlim())
    assert start < OTHER_CONFLICT["start"] and end > OTHER_CONFLICT["end"]
    assert "armistice" in all_text(timeline) and "25 Mar" in all_text(timeline)
    assert "Northtown / Nordstadt, 2 Mar: 120 killed" in timeline.description


def test_timeline_shows_every_dated_strike_in_the_data(article):
    per_strike = views.per_strike(article)
    dated = views.dated_strikes(article, per_strike)
    assert len(dated) == article.dataset.strikes["date"].notna().sum() > per_strike["date"].notna().sum()
    assert dated["has_toll"].sum() == per_strike["date"].notna().sum()
    figure = charts.strike_timeline(dated, per_strike, views.war_span(article), line(article))
    assert len(figure.axes[0].lines) == len(dated) + 1  # one mark per strike, and the war's end


def test_sources_compared_one_mark_per_source(article):
    entries, table = ledger.compared(article, "civilian_deaths", "ganja", 2)
    sources_line = text.source_line(article.dataset.sources, entries)
    figure = charts_ledger.sources_compared(entries, table, article.dataset.sources, article.strikes, sources_line)
    marks = sum(len(collection.get_offsets()) for axes in figure.axes for collection in axes.collections)
    assert marks == entries["value"].notna().sum() == 8
    titles = [" ".join(axes.get_title(loc="left").split()) for axes in figure.axes]
    assert any("Ganja / Gandzak, 17 October 2020: civilians killed, 12 – 21 (disagree)" in t for t in titles)
    assert "Sources:" in all_text(figure)


def test_save_chart_is_deterministic_and_named_after_the_chart(article, tmp_path):
    figure = charts.civilian_deaths_by_side(views.by_side(article), line(article))
    paths = show.save_chart(figure, tmp_path / "a")
    assert [p.name for p in paths] == ["civilian-deaths-by-side.png", "civilian-deaths-by-side.svg"]
    first = [p.read_bytes() for p in paths]
    second = [p.read_bytes() for p in show.save_chart(figure, tmp_path / "b")]
    assert first == second and first[0].startswith(b"\x89PNG") and b"<svg" in first[1]
    assert not list((tmp_path / "a").glob(".*partial"))


def test_chart_shows_a_png_with_a_description_and_saves_only_when_asked(article, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata=None: shown.append((data, metadata)))
    figure = charts.civilian_deaths_by_side(views.by_side(article), line(article))
    show.save_charts_to("")
    show.chart(figure)
    assert not list(tmp_path.iterdir())
    show.save_charts_to(str(tmp_path))
    try:
        show.chart(figure)
    finally:
        show.save_charts_to("")
    data, metadata = shown[0]
    assert data["text/plain"].startswith("Chart: Civilians killed in the analysed strikes, by attacking side. ")
    assert "72 killed in 8 strikes" in data["text/plain"] and "11 killed in 9 strikes" in data["text/plain"]
    assert charts.SELECTED_NOT_SAMPLED in data["text/plain"]
    # Drawn at twice the size it is shown at.
    assert metadata["image/png"] == {"width": 800, "height": 320}
    png = base64.b64decode(shown[1][0]["image/png"])
    assert png == (tmp_path / "civilian-deaths-by-side.png").read_bytes()
    assert int.from_bytes(png[16:20], "big") == 1600
    # And drawn again, laid out for a phone's width, carried in the metadata for the site's pages and saved beside it.
    phone = metadata["chart"]["phone"]
    assert phone["width"] == round(charts.PHONE_WIDTH * 100) and phone["smallest_text"] >= 10
    assert metadata["chart"]["smallest_text"] >= 10
    phone_png = base64.b64decode(phone["png"])
    assert int.from_bytes(phone_png[16:20], "big") == 2 * phone["width"]
    assert phone_png == (tmp_path / "civilian-deaths-by-side-phone.png").read_bytes()


# ---------------------------------------------------------------------------
# Words


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
    values = pd.Series([6000, 146, None, 11.0])
    qualifiers = pd.Series(["more_than", "at_least", "vague", "exact"])
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


@pytest.mark.parametrize(
    "hostile", ["<script>alert(1)</script>", "[x](javascript:alert(1))", "![i](http://e/x.png)", "*bold* _it_ `code` # head | table $math$"]
)
def test_escape_markdown_makes_text_inert(hostile):
    escaped = text.escape_markdown(hostile)
    inner = escaped.removeprefix(text.NO_MATH).removesuffix("</span>")
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


def test_labels():
    assert labels.place_label("Martuni", "Khojavend") == "Martuni / Khojavend" and labels.place_label("Ganja", "") == "Ganja"
    assert labels.place_label("Ganja", "", pd.Timestamp("2020-10-05")) == "Ganja, 5 October 2020"
    assert labels.place_label("Ganja", "", pd.Timestamp("2020-10-05"), short=True) == "Ganja, 5 Oct"
    assert labels.side_label("armenian_forces") == "Armenian forces" and labels.side_label("azerbaijani_forces") == "Azerbaijani forces"
    assert labels.measure_label("civilian_deaths") == "civilians killed"


def test_sentences_on_other_data(other):
    assert "at least 40 civilians, that is at least 4 per strike" in text.describe_by_side(views.by_side(other), other.source)
    strikes = text.describe_strikes(views.named_strikes(other), other.source, other.strikes)
    assert "**Westham, 20 March 2024, Azerbaijan**: no death toll given" in strikes
    said = text_checks.describe_checks(checks.consistency_checks(other), other.figures, other.strikes)
    assert said.startswith("Of ") and "could not be decided" in said
    assert "It cites **Example NGO**" in text.describe_source(other.dataset.sources, other.source_id)
    share = text.describe_share(views.conflict_share(other), views.conflict_totals(other), other.source, other.dataset.sources)
    assert "Of the at least 500 civilian deaths" in share and "an unknown share" in share
    rest = text.describe_remainders(views.remainders(other))
    assert "The **15 other analysed strikes by Azerbaijani forces** killed 120 civilians between them" in rest


def test_reader_tables(article):
    table = tables.per_strike_table(views.per_strike(article))
    assert table["strike"].tolist() == [
        "Martuni / Khojavend, 27 September 2020",
        "Ganja / Gandzak, 17 October 2020",
        "other analysed strikes by Armenian forces",
        "other analysed strikes by Azerbaijani forces",
    ]
    assert table["attacker"].tolist()[1] == "Armenian forces (inferred)"
    side = tables.by_side_table(views.by_side(article))
    assert side["killed per strike (computed)"].tolist() == ["9", "1.2"]


def test_check_wording_from_numbers(other):
    found = checks.consistency_checks(other)
    first = found[found["check"] == "sides_add_up"].iloc[0]
    assert text_checks.check_description(first, other.strikes) == "strikes: the sides' analysed strikes add up to all analysed strikes"
    assert text_checks.check_sum(first, other.figures) == "10 + 20"
    assert "10 + 20 = 30" in tables.checks_table(found, other)["compared"].tolist()


def test_numbers_are_shown_with_reader_headers(article, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw: shown.append(data))
    show.numbers(views.by_side(article))
    plain = shown[0]["text/plain"]
    assert "civilians killed: hedge" in plain and "Armenian forces" in plain and "armenian_forces" not in plain
    assert "72" in plain and "mt-deaths-armenian" in plain  # numbers stay numbers, ids stay as provenance


def test_prepare_refuses_what_the_runner_refuses():
    with pytest.raises(ValueError, match="side 'nobody' is not one of"):
        prepare("", "moscow-times-2021-01-14", "nobody")
