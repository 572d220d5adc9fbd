"""Charts (drawn as their qualifiers say, with a source line) and text (numbers with their hedges, safe Markdown)."""

from __future__ import annotations

import base64

import pandas as pd
import pytest
from matplotlib.figure import Figure

from conftest import OTHER_SOURCE
from helpers import analysis, charts, text
from helpers.dataset import load_dataset

ARTICLE = "moscow-times-2021-01-14"


@pytest.fixture(scope="module")
def article():
    return analysis.prepare("", ARTICLE)


@pytest.fixture
def other(other_data_dir):
    return analysis.prepare(str(other_data_dir), OTHER_SOURCE)


def all_text(figure: Figure) -> str:
    return "\n".join(t.get_text() for t in figure.findobj(lambda o: hasattr(o, "get_text")))


def bars(figure: Figure) -> list:
    return [p for p in figure.axes[0].patches if p.get_width() > 0]


# ---------------------------------------------------------------------------
# Charts


def test_civilian_deaths_by_side(article):
    view = analysis.by_side(article.dataset, ARTICLE)
    figure = charts.civilian_deaths_by_side(view, article.source_line)
    assert isinstance(figure, Figure)
    assert "Source: The Moscow Times" in all_text(figure)
    assert "72 killed in 8 strikes" in all_text(figure) and "11 killed in 9 strikes" in all_text(figure)
    assert sorted(b.get_width() for b in bars(figure)) == [11, 72]
    assert all(not b.get_hatch() for b in bars(figure))  # exact values: solid


def test_lower_bounds_look_different(article, other):
    figure = charts.civilians_and_all_deaths(analysis.conflict_totals(article.dataset, ARTICLE), article.source_line)
    by_width = {b.get_width(): b for b in bars(figure)}
    assert by_width[6000].get_hatch() == "///" and by_width[6000].get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert not by_width[146].get_hatch()
    assert "more than 6,000" in all_text(figure) and "lower bounds" in all_text(figure)
    # On other data, the side whose toll is "at least 40" is hatched.
    figure = charts.civilian_deaths_by_side(analysis.by_side(other.dataset, OTHER_SOURCE), other.source_line)
    by_width = {b.get_width(): b for b in bars(figure)}
    assert by_width[40].get_hatch() == "///" and not by_width[300].get_hatch()
    assert "at least 40 killed in 10 strikes" in all_text(figure)


def test_deaths_per_strike_draws_the_remainder_apart(article):
    view = analysis.per_strike(article.dataset, ARTICLE)
    figure = charts.deaths_per_strike(view, article.source_line)
    drawn = {b.get_width(): b for b in bars(figure)}
    assert drawn[21].get_linestyle() == "solid" and not drawn[21].get_hatch()
    assert drawn[51].get_linestyle() in (":", "dotted") and drawn[51].get_hatch() == ".."
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "7 other strikes by Armenian forces" in labels and "Ganja / Gandzak, 17 Oct 2020" in labels
    assert "51 killed across 7 strikes, split unknown" in all_text(figure)
    assert "Armenian forces (inferred)" in all_text(figure)


def test_share_and_timeline(article, other):
    share = analysis.conflict_share(article.dataset, ARTICLE)
    figure = charts.share_of_conflict_deaths(share, "146", article.source_line)
    assert "outside the analysed strikes:\n63 (43%)" in all_text(figure)
    hatched = [b for b in bars(figure) if b.get_hatch()]
    assert [b.get_width() for b in hatched] == [63]
    timeline = charts.strike_timeline(analysis.per_strike(other.dataset, OTHER_SOURCE), other.source_line)
    assert "Not shown, as the source gives no date: Eastbury" in all_text(timeline)
    assert "Northtown / Nordstadt\n02 Mar: 120 killed" in all_text(timeline)


def test_sources_compared_one_mark_per_source():
    dataset = load_dataset()
    entries, table = analysis.compared(dataset, ARTICLE, "civilian_deaths", "ganja", 2)
    figure = charts.sources_compared(entries, table, text.source_line(dataset.sources, list(entries["source_id"])))
    marks = sum(len(collection.get_offsets()) for axes in figure.axes for collection in axes.collections)
    assert marks == entries["value"].notna().sum() == 8
    titles = [axes.get_title(loc="left") for axes in figure.axes]
    assert any("Ganja / Gandzak, 17 Oct 2020: civilians killed, 12 – 21 (disagree)" in t for t in titles)
    assert "Sources:" in all_text(figure)


def test_save_chart_is_deterministic_and_optional(article, tmp_path):
    figure = charts.civilian_deaths_by_side(analysis.by_side(article.dataset, ARTICLE), article.source_line)
    assert charts.save_chart(figure, "", "x") == []
    first = [p.read_bytes() for p in charts.save_chart(figure, tmp_path / "a", "chart")]
    second = [p.read_bytes() for p in charts.save_chart(figure, tmp_path / "b", "chart")]
    assert first == second and first[0].startswith(b"\x89PNG") and b"<svg" in first[1]
    assert not list((tmp_path / "a").glob(".*partial"))


def test_present_shows_a_png_with_a_description(article, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw: shown.append(data))
    figure = charts.civilian_deaths_by_side(analysis.by_side(article.dataset, ARTICLE), article.source_line)
    charts.present(figure, tmp_path, "by-side")
    assert shown[0]["text/plain"] == "Chart: Civilians killed in the analysed strikes, by attacking side"
    assert base64.b64decode(shown[0]["image/png"]) == (tmp_path / "by-side.png").read_bytes()


# ---------------------------------------------------------------------------
# Text


@pytest.mark.parametrize("value, qualifier, expected", [
    (6000, "more_than", "more than 6,000"), (146, "at_least", "at least 146"), (11, "exact", "11"),
    (20, "approx", "about 20"), (51, "at_most", "at most 51"), (float("nan"), "vague", "no number given"), (2.5, "exact", "2.5"),
])
def test_format_value(value, qualifier, expected):
    assert text.format_value(value, qualifier) == expected


def test_format_values_matches_format_value():
    values = pd.Series([6000, 146, None, 11.0])
    qualifiers = pd.Series(["more_than", "at_least", "vague", "exact"])
    assert text.format_values(values, qualifiers).tolist() == ["more than 6,000", "at least 146", "no number given", "11"]


def test_format_share_rounds_away_from_the_hedge():
    assert text.format_share(146 / 6000, "at_most") == "at most 2.5%"     # 2.43...% rounded up
    assert text.format_share(0.0249, "at_least") == "at least 2.4%"       # rounded down
    assert text.format_share(72 / 146, "exact") == "49.3%"
    assert text.format_share(float("nan"), "vague") == "an unknown share"


def test_format_figure_keeps_the_words_of_a_vague_figure():
    assert text.format_figure({"value": float("nan"), "qualifier": "vague", "quote": "visited dozens of strike sites"}) == "no number given (“visited dozens of strike sites”)"


def test_count_phrase():
    assert text.count_phrase(1, "exact", "civilian") == "1 civilian"
    assert text.count_phrase(1, "at_least", "civilian") == "at least 1 civilians"
    assert text.count_phrase(6000, "more_than", "person", "people") == "more than 6,000 people"
    assert text.count_phrase(float("nan"), "vague", "civilian") == "an unstated number of civilians"


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "[x](javascript:alert(1))", "![i](http://e/x.png)", "*bold* _it_ `code` # head | table $math$"])
def test_escape_markdown_makes_text_inert(hostile):
    escaped = text.escape_markdown(hostile)
    assert "<" not in escaped and "](" not in escaped and "![" not in escaped
    assert text.markdown_to_plain(escaped) == hostile


def test_labels():
    assert text.place_label("Martuni", "Khojavend") == "Martuni / Khojavend" and text.place_label("Ganja", "") == "Ganja"
    assert text.side_label("armenian_forces") == "Armenian forces" and text.side_label("azerbaijani_forces") == "Azerbaijani forces"
    assert text.measure_label("civilian_deaths") == "civilians killed"


def test_sentences_on_other_data(other):
    view = analysis.by_side(other.dataset, OTHER_SOURCE)
    assert "at least 40 civilians, that is at least 4 per strike" in text.describe_by_side(view, other.source)
    strikes = text.describe_strikes(analysis.per_strike(other.dataset, OTHER_SOURCE), other.source)
    assert "**Westham, Azerbaijan**, 20 March 2024: no death toll given" in strikes
    checks = text.describe_checks(analysis.consistency_checks(other.dataset, OTHER_SOURCE))
    assert checks.startswith("Of ") and "could not be decided" in checks
    source = text.describe_source(other.dataset.sources, OTHER_SOURCE)
    assert "It cites **Example NGO**" in source
    share = text.describe_share(analysis.conflict_share(other.dataset, OTHER_SOURCE), "at least 500", other.source)
    assert "Of the at least 500 civilian deaths" in share and "an unknown share" in share


def test_reader_tables(article):
    table = text.per_strike_table(analysis.per_strike(article.dataset, ARTICLE))
    assert table["strike"].tolist()[:2] == ["Martuni / Khojavend", "Ganja / Gandzak"]
    assert table["attacker"].tolist()[1] == "Armenian forces (inferred)"
    assert table["date"].tolist()[2] == "not given"
    side = text.by_side_table(analysis.by_side(article.dataset, ARTICLE))
    assert side["killed per strike (computed)"].tolist() == ["9", "1.2"]
