"""The charts: each one drawing laid out for a phone (every text inside the figure, no two texts overlapping, none under
8 points) on the bundled data, made-up data, crowded data, empty inputs and hostile text; their descriptions hold every
number drawn; their files are the same bytes each time; bounds, groups and missing numbers drawn as the legend says."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import matplotlib
import matplotlib.dates
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import (
    OTHER_CONFLICT,
    OTHER_FIGURES,
    OTHER_SOURCE,
    OTHER_SOURCES,
    OTHER_STRIKES,
    WIRE,
    figure,
    study_of,
    wire_toll,
    write_dataset,
)
from helpers import charts, charts_ledger, charts_strikes, ledger, text, views
from helpers.charts_strikes import date_locator

# A warning from drawing a chart (a layout that did not fit, an empty axis, a missing glyph) is a failure here.
pytestmark = pytest.mark.filterwarnings("error::UserWarning")

SMALLEST_POINTS = 8
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "10"))


# ---------------------------------------------------------------------------
# What a drawn chart shows


def _axis_texts(figure: Figure) -> set[int]:
    """The texts of the axes' scales (tick labels and the time axis's year): not the chart's own words."""
    return {
        id(t)
        for axes in figure.axes
        for axis in (axes.xaxis, axes.yaxis)
        for t in [axis.get_offset_text(), *(x for tick in axis.get_major_ticks() for x in (tick.label1, tick.label2))]
    }


def drawn_texts(figure: Figure, scales: bool = True) -> list[Text]:
    """Every non-empty text the figure draws (tick labels of ticks outside the axis's range are not drawn)."""
    hidden = {
        id(label)
        for axes in figure.axes
        for axis in (axes.xaxis, axes.yaxis)
        for tick in axis.get_major_ticks()
        if not axis.get_visible()
        or not axes.axison
        or not min(axis.get_view_interval()) - 1e-9 <= tick.get_loc() <= max(axis.get_view_interval()) + 1e-9
        for label in (tick.label1, tick.label2)
    }
    hidden |= set() if scales else _axis_texts(figure)
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def all_text(chart: charts.Chart) -> str:
    return "\n".join(t.get_text() for t in drawn_texts(chart.figure))


def layout_problems(figure: Figure) -> list[str]:
    """Texts outside the figure, texts overlapping each other, texts under 8 points, in words; laid out as the PNG is
    (twice the figure's resolution, in the charts' style), measured in inches."""
    laid_out = figure.get_dpi()
    with matplotlib.rc_context(charts.STYLE):
        figure.set_dpi(laid_out * charts.PIXEL_RATIO)
        try:
            figure.draw_without_rendering()
            inches = figure.dpi_scale_trans.inverted()
            boxes = [(t, t.get_window_extent().transformed(inches)) for t in drawn_texts(figure)]
        finally:
            figure.set_dpi(laid_out)
    problems = []
    pixel = 1 / laid_out  # a box may touch another, or the edge, by a CSS pixel: antialiasing, not a collision
    width, height = figure.get_size_inches()
    for t, box in boxes:
        if box.x0 < -pixel or box.y0 < -pixel or box.x1 > width + pixel or box.y1 > height + pixel:
            problems.append(f"outside the figure: {t.get_text()!r} at {box.bounds} in")
        if t.get_fontsize() < SMALLEST_POINTS:
            problems.append(f"{t.get_fontsize()} points: {t.get_text()!r}")
    for (first, a), (second, b) in itertools.combinations(boxes, 2):
        if min(a.x1, b.x1) - max(a.x0, b.x0) > pixel and min(a.y1, b.y1) - max(a.y0, b.y0) > pixel:
            problems.append(f"overlapping: {first.get_text()!r} and {second.get_text()!r}")
    return problems


def data_marks(figure: Figure) -> int:
    """The marks that draw a number: bars, and points (markers on lines with data); not axes, shades, keys or titles."""
    bars = sum(len(container) for axes in figure.axes for container in axes.containers)
    points = [
        line for axes in figure.axes for line in axes.lines if line.get_marker() not in (None, "None", "", " ") and len(line.get_xdata())
    ]
    return bars + len(points)


def crossing_an_axis(figure: Figure) -> list[str]:
    """Texts drawn across a visible axis line (a panel's x axis), laid out as the PNG is."""
    with matplotlib.rc_context(charts.STYLE):
        figure.draw_without_rendering()
        lines = [spine.get_window_extent() for axes in figure.axes if axes.axison for spine in axes.spines.values() if spine.get_visible()]
        texts = [(t, t.get_window_extent()) for t in drawn_texts(figure)]
    return [f"{t.get_text()!r} crosses an axis" for t, box in texts for line in lines if box.overlaps(line)]


def ticks_not_whole(figure: Figure) -> list[str]:
    """Numbers under a count's axis that are not whole (a time axis aside), as drawn."""
    with matplotlib.rc_context(charts.STYLE):
        figure.draw_without_rendering()
    labels = [
        tick.label1.get_text()
        for axes in figure.axes
        if axes.axison and axes.xaxis.get_visible() and not isinstance(axes.xaxis.get_major_locator(), matplotlib.dates.DateLocator)
        for tick in axes.xaxis.get_major_ticks()
        if min(axes.get_xlim()) - 1e-9 <= tick.get_loc() <= max(axes.get_xlim()) + 1e-9
    ]
    return [label for label in labels if not re.fullmatch(r"[\d,]+", label)]


def patches(chart: charts.Chart) -> list:
    """The bars drawn (patches of some width: not the shaded spans, whose width is the axes')."""
    return [p for axes in chart.figure.axes for p in axes.patches if p.get_width() > 0 and p.get_height() < 1]


def test_the_check_finds_what_it_is_for():
    """The check itself can fail: text past the edge, two texts on one spot, a small font."""
    crowded = Figure(figsize=(3.5, 2), dpi=100)
    crowded.text(0.5, 0.5, "a label that runs far past the right edge of a phone")
    crowded.text(0.5, 0.5, "on top of it", fontsize=6)
    problems = layout_problems(crowded)
    assert any(p.startswith("outside the figure") for p in problems)
    assert any(p.startswith("overlapping") for p in problems)
    assert any(p.startswith("6.0 points") for p in problems)
    clear = Figure(figsize=(3.5, 2), dpi=100)
    clear.text(0.05, 0.8, "one")
    clear.text(0.05, 0.2, "two")
    assert layout_problems(clear) == []


def test_the_checks_of_marks_axes_and_ticks_find_what_they_are_for():
    """Each check can fail: a bar is a mark, a text across the axis line crosses it, ticks of tenths are not whole."""
    figure = Figure(figsize=(3.5, 2), dpi=100)
    axes = figure.add_subplot()
    axes.set(xlim=(0, 1.4), ylim=(-0.5, 0.5))
    assert data_marks(figure) == 0
    axes.barh(0, 1.2)
    axes.text(0.1, -0.5, "a label through the axis", va="center")
    assert data_marks(figure) == 1
    assert crossing_an_axis(figure) == ["'a label through the axis' crosses an axis"]
    assert "0.2" in ticks_not_whole(figure)


# ---------------------------------------------------------------------------
# The data the charts are drawn from


def crowded_dataset(folder: Path) -> Path:
    """The made-up account with long two-name places and sixteen strikes a day or two apart on both sides, most with a
    toll, some with none, and a second publication giving other tolls for some of them."""
    long_places = [
        ("Upper Karakhanbeyli-Mirzajanly", "Verin Karakhanbeylu"),
        ("Stepanakert", "Khankendi"),
        ("Tagaverd-Lower Quarter", "Tağavard Aşağı Məhəllə"),
    ]
    strikes, figures = list(OTHER_STRIKES), list(OTHER_FIGURES)
    for number in range(16):
        place, other_name = long_places[number % 3]
        strike_id = f"crowded-{number}"
        side = ("armenian_forces", "azerbaijani_forces")[number % 2]
        day = f"2024-03-{3 + number // 2:02d}"
        strikes.append(
            {
                **OTHER_STRIKES[0],
                "strike_id": strike_id,
                "date": day,
                "place": f"{place} {number}",
                "place_other_name": other_name,
                "side": side,
            }
        )
        if number % 4 != 3:
            deaths, qualifier = 3 + number * 7, ("exact", "more_than", "approx")[number % 3]
            figures.append(
                figure(f"eg-{strike_id}", "civilian_deaths", str(deaths), qualifier, "unspecified", "strike", f"{deaths} killed", strike_id)
            )
            if number % 2:
                figures.append(
                    wire_toll(f"wire-{strike_id}", str(5 + number * 9), "at_least", f"at least {5 + number * 9} dead", strike_id)
                )
    return write_dataset(folder, sources=OTHER_SOURCES + [WIRE], strikes=strikes, figures=figures)


def build(study, all_sources, chart: str) -> charts.Chart:
    """The chart as the notebooks draw it."""
    line = text.source_line(study.dataset.sources, study.figures)
    per_strike = views.per_strike(study)
    if chart == "civilian_deaths_by_side":
        return charts.civilian_deaths_by_side(views.by_side(study), line)
    if chart == "share_of_conflict_deaths":
        return charts.share_of_conflict_deaths(views.conflict_share(study), views.conflict_totals(study), line)
    if chart == "civilians_and_all_deaths":
        return charts.civilians_and_all_deaths(views.conflict_totals(study), line)
    if chart == "deaths_per_strike":
        return charts_strikes.deaths_per_strike(per_strike, line)
    if chart == "strike_timeline":
        return charts_strikes.strike_timeline(views.dated_strikes(study, per_strike), per_strike, views.war_span(study), line)
    entries, compared = ledger.compared(all_sources, "civilian_deaths,civilian_injuries,strikes", "", 2)
    sources_line = text.source_line(all_sources.dataset.sources, entries)
    if chart == "toll_growth":
        growth = ledger.toll_growth(entries)
        return charts_ledger.toll_growth(growth, all_sources.dataset.sources, all_sources.strikes, sources_line)
    return charts_ledger.sources_compared(entries, compared, all_sources.dataset.sources, all_sources.strikes, sources_line)


CHARTS = [
    "civilian_deaths_by_side",
    "share_of_conflict_deaths",
    "civilians_and_all_deaths",
    "deaths_per_strike",
    "strike_timeline",
    "sources_compared",
    "toll_growth",
]
NAMES = [
    "civilian-deaths-by-side",
    "share-of-conflict-deaths",
    "civilians-and-all-deaths",
    "deaths-per-strike",
    "strike-timeline",
    "sources-compared",
    "toll-growth",
]


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict:
    other = write_dataset(tmp_path_factory.mktemp("other") / "data")
    crowded = crowded_dataset(tmp_path_factory.mktemp("crowded") / "data")
    return {
        "bundled": (study_of(None, "moscow-times-2021-01-14"), study_of(None, "")),
        "other": (study_of(other, OTHER_SOURCE), study_of(other, "")),
        "crowded": (study_of(crowded, OTHER_SOURCE), study_of(crowded, "")),
    }


# Crowded data crowd only the charts of many strikes and sources: its by-side and conflict-wide figures are other's.
DRAWN = [(data, chart) for data in ("bundled", "other") for chart in CHARTS] + [("crowded", chart) for chart in CHARTS[3:]]


@pytest.fixture(scope="module")
def drawn(studies) -> dict:
    """Each chart on each data set, drawn once for the tests that read it."""
    return {(data, chart): build(*studies[data], chart) for data, chart in DRAWN}


def empty_charts(study) -> dict:
    """Each chart of a source with nothing for it."""
    per_strike = views.per_strike(study)
    nothing = "Source: none"
    entries, compared = ledger.compared(study, "civilian_deaths", "", 2)
    return {
        "civilian_deaths_by_side": charts.civilian_deaths_by_side(views.by_side(study).iloc[0:0], nothing),
        "share_of_conflict_deaths": charts.share_of_conflict_deaths(
            views.conflict_share(study).iloc[0:0], views.conflict_totals(study).iloc[0:0], nothing
        ),
        "civilians_and_all_deaths": charts.civilians_and_all_deaths(views.conflict_totals(study).iloc[0:0], nothing),
        "deaths_per_strike": charts_strikes.deaths_per_strike(per_strike.iloc[0:0], nothing),
        "strike_timeline": charts_strikes.strike_timeline(
            views.dated_strikes(study, per_strike).iloc[0:0], per_strike.iloc[0:0], {}, nothing
        ),
        "sources_compared": charts_ledger.sources_compared(
            entries.iloc[0:0], compared.iloc[0:0], study.dataset.sources, study.strikes, nothing
        ),
    }


# A few bundled sources that give only some of what the charts are for: the article; per-side strikes without their toll
# (Vestnik Kavkaza); one strike only (an official's count); a count of military deaths only; tolls without per-side figures.
SOME_SOURCES = [
    "moscow-times-2021-01-14",
    "vestnik-kavkaza-2021-01-14",
    "trend-az-2020-10-17-mayor",
    "armenia-later-military-deaths",
    "bbc-2020-12",
]


def every_bundled_source() -> list[str]:
    from helpers.dataset import load_dataset

    return list(dict.fromkeys(load_dataset().figures["source_id"]))


def check_charts_of(source_id: str) -> None:
    """Each chart as the notebooks draw it for this source: empty exactly when it draws no mark; no text across an axis, whole
    numbers under every count's axis, every text inside the figure and none overlapping."""
    study = study_of(None, source_id)
    for chart in CHARTS:
        made = build(study, study, chart)
        assert made.empty == (data_marks(made.figure) == 0), f"{chart} of {source_id}: empty is {made.empty}"
        problems = crossing_an_axis(made.figure) + ticks_not_whole(made.figure) + layout_problems(made.figure)
        assert problems == [], f"{chart} of {source_id}: {problems}"


@pytest.mark.parametrize("source_id", SOME_SOURCES)
def test_charts_of_some_bundled_sources(source_id):
    check_charts_of(source_id)


@pytest.mark.long
@pytest.mark.parametrize("source_id", every_bundled_source())
def test_charts_of_every_bundled_source(source_id):
    check_charts_of(source_id)


# ---------------------------------------------------------------------------
# Layout


@pytest.mark.parametrize("data, chart", DRAWN)
def test_chart_is_laid_out_for_a_phone(drawn, data, chart):
    made = drawn[data, chart]
    assert made.figure.get_figwidth() == charts.PHONE_WIDTH and made.css_size[0] == 350
    assert layout_problems(made.figure) == [], f"{chart} on {data}"
    assert made.smallest_text >= 11  # CSS pixels: the site's least at a 390-pixel phone


def test_charts_with_nothing_to_show_are_laid_out(studies):
    """A source with no figure for a chart gets an empty chart saying so, laid out, not an error, and known to be empty (a page
    shows a sentence instead)."""
    for chart, made in empty_charts(studies["bundled"][0]).items():
        assert layout_problems(made.figure) == [], chart
        assert charts.NOTHING_TO_SHOW in " ".join(all_text(made).split()) and "Source: none" in made.description, chart
        assert made.empty and data_marks(made.figure) == 0, chart


HOSTILE = [
    "Upper Karakhanbeyli " * 15,  # 300 characters
    "Karakhanbeyli-Mirzajanly" * 6,  # no space to wrap at
    "بلدة الشيخ عيسى והעיר העתיקה",  # right to left
    "Tağavard A\u0301s\u0327ag\u0306i\u0301 Məhəllə",  # combining marks
    "Ganja 🚀🏙️💥 centre",  # emoji the font has no glyph for
    "$5 village\t$10\n\x00 hamlet",  # a dollar sign, a tab, a line break, a null
]


def test_long_and_foreign_text_stays_inside_the_chart(studies):
    """Place and source names that are too long, have no space, run right to left, carry combining marks or emoji: wrapped
    or cut with "…", drawn without a missing glyph, every text inside the figure (no negative width, no warning)."""
    study, all_sources = studies["crowded"]
    names = lambda frame: [HOSTILE[i % len(HOSTILE)] for i in range(len(frame))]  # noqa: E731
    per_strike = views.per_strike(study).head(6)
    dated = views.dated_strikes(study, views.per_strike(study)).head(6)
    entries, compared = ledger.compared(all_sources, "civilian_deaths", "crowded-1", 2)
    sources = all_sources.dataset.sources.assign(publisher=names(all_sources.dataset.sources))
    line = " ".join(HOSTILE)
    made = [
        charts_strikes.deaths_per_strike(per_strike.assign(place=names(per_strike), place_other_name=names(per_strike)[::-1]), line),
        charts_strikes.strike_timeline(
            dated.assign(place=names(dated)), per_strike.assign(place=names(per_strike)), views.war_span(study), line
        ),
        charts_ledger.sources_compared(entries, compared, sources, all_sources.strikes, line),
    ]
    for chart in made:
        assert layout_problems(chart.figure) == [], chart.name
    texts = all_text(made[0])
    assert "…" in texts and "\N{REPLACEMENT CHARACTER}" in texts and "🚀" not in texts
    assert "🚀" in made[0].description  # the alt text keeps what the font cannot draw


@settings(max_examples=PROPERTY_EXAMPLES, deadline=None)
@given(place=st.text(min_size=1, max_size=200), other_name=st.text(max_size=40))
def test_any_place_name_is_laid_out(studies, place, other_name):
    """Whatever the names of a place, the chart per strike lays out without a warning or a text outside the figure."""
    view = views.per_strike(studies["other"][0]).head(2).assign(place=place, place_other_name=other_name)
    assert layout_problems(charts_strikes.deaths_per_strike(view, "Source: test").figure) == []


def test_the_text_fits_its_width_measured_as_drawn():
    """Words are wrapped to the width measured by the font; a word longer than the width is cut with "…"."""
    wrapped = charts.fit("civilians killed in the analysed strikes " * 4, 8, 1.5)
    assert all(charts.text_inches(line, 8) <= 1.5 for line in wrapped.split("\n")) and len(wrapped.split("\n")) > 3
    assert charts.fit("x" * 300, 8, 1.0).endswith("…") and charts.text_inches(charts.fit("x" * 300, 8, 1.0), 8) <= 1.0
    assert charts.fit("", 8) == "" and charts.fit("🚀", 8) == "\N{REPLACEMENT CHARACTER}"


def test_the_time_axis_finds_its_dates_for_any_span():
    """From a day to a century, the time line's axis gets dates it can show without matplotlib's warning."""
    start = pd.Timestamp("2020-09-27")
    axes = Figure().add_subplot()
    locator = date_locator()
    axes.xaxis.set_major_locator(locator)
    for days in [*range(1, 800, 3), *range(800, 40_000, 97)]:
        axes.set_xlim(start, start + pd.Timedelta(days=days))
        ticks = locator()  # a warning fails the test (pytestmark)
        assert 1 <= len(ticks) <= 4 + 2, (days, [matplotlib.dates.num2date(t) for t in ticks])


# ---------------------------------------------------------------------------
# What a chart says, and its files


@pytest.mark.parametrize("data", ["bundled", "other", "crowded"])
def test_the_description_holds_every_number_drawn(drawn, data):
    """The alt text: "Chart: <title>." and then every number written on the chart (its scales' ticks aside)."""
    for (where, chart), made in drawn.items():
        if where == data:
            assert made.description.startswith(f"Chart: {' '.join(made.figure.get_suptitle().split())}.")
            numbers = {n for t in drawn_texts(made.figure, scales=False) for n in NUMBER.findall(t.get_text())}
            assert {n for n in numbers if n not in made.description} == set(), chart


def test_each_chart_is_named_and_carries_its_numbers_as_a_reader_table(drawn):
    for chart, name in zip(CHARTS, NAMES):
        made = drawn["bundled", chart]
        assert made.name == name and isinstance(made, charts.Chart)
        assert len(made.numbers) and not [c for c in made.numbers.columns if "_" in c], chart
        assert {"value", "hedge"} <= set(made.numbers.columns), chart
    side = drawn["bundled", "civilian_deaths_by_side"].numbers
    assert side["civilians killed"].tolist() == ["72", "11"] and side["value"].tolist() == [72, 11]


def test_png_and_svg_are_the_same_bytes_each_time(drawn):
    made = drawn["other", "civilian_deaths_by_side"]
    png, svg = made.png(), made.svg()
    assert png == made.png() and svg == made.svg()
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 2 * made.css_size[0]
    assert b"<svg" in svg and b"strikes by Armenian forces" in svg  # text stays text


def test_no_global_setting_changes(drawn, other):
    """The style is applied where a chart is laid out and saved, never left behind; nothing hangs on the figure."""
    before = dict(matplotlib.rcParams)
    made = charts.civilians_and_all_deaths(views.conflict_totals(other), "Source: test")
    made.png(), made.svg()
    assert dict(matplotlib.rcParams) == before
    assert all(matplotlib.rcParams[key] == matplotlib.rcParamsDefault[key] for key in charts.STYLE)
    assert not hasattr(made.figure, "redraw") and not hasattr(made.figure, "description")


# ---------------------------------------------------------------------------
# How numbers are drawn


def test_civilian_deaths_by_side(drawn):
    made = drawn["bundled", "civilian_deaths_by_side"]
    assert "Source: The Moscow Times" in all_text(made)
    assert "72 killed in 8 strikes" in all_text(made) and "11 killed in 9 strikes" in all_text(made)
    assert sorted(b.get_width() for b in patches(made)) == [11, 72]
    assert all(not b.get_hatch() for b in patches(made))  # exact values: solid
    assert charts.SELECTED_NOT_SAMPLED in " ".join(all_text(made).split())
    ticks = [t for axes in made.figure.axes for t in axes.get_xticks()]
    assert ticks and all(float(t).is_integer() for t in ticks)  # whole numbers of people


def test_lower_bounds_look_different(drawn):
    made = drawn["bundled", "civilians_and_all_deaths"]
    by_width = {b.get_width(): b for b in patches(made)}
    assert by_width[6000].get_hatch() == "///" and by_width[6000].get_facecolor()[:3] == (1.0, 1.0, 1.0)
    # "146" is read as "at least 146", as Amnesty International's own release words it: drawn as a lower bound too.
    assert by_width[146].get_hatch() == "///"
    assert sum(len(axes.texts) for axes in made.figure.axes) == 2  # an arrow past each bound's end
    assert "more than 6,000" in all_text(made) and "at least 146" in all_text(made) and "lower bounds" in all_text(made)
    made = drawn["other", "civilian_deaths_by_side"]
    by_width = {b.get_width(): b for b in patches(made)}
    assert by_width[40].get_hatch() == "///" and not by_width[300].get_hatch()
    assert "at least 40 killed in 10 strikes" in all_text(made)


def test_a_hedge_is_credited_to_whoever_wrote_it(drawn):
    """The bound notes hold for a source's hedge and for the package's own reading (Martuni's "at least 1", from a named victim);
    the conflict's total is "at least 146" in Amnesty's release, "146" in the article."""
    assert "the source says" not in charts.LOWER_BOUND_NOTE and "named victims" in charts.LOWER_BOUND_NOTE
    assert "the source says" not in charts.UPPER_BOUND_NOTE
    said = all_text(drawn["bundled", "share_of_conflict_deaths"])
    assert "at least 146 in all, as the source states" not in said
    assert "at least 146 in all: the source states 146, another publication from its original “at least 146”" in " ".join(said.split())


def test_toll_growth_draws_ganja_from_the_first_count_to_amnestys(article):
    """A row a body against date, every count marked, labelled, credited and dated, from the first hours' 5 to Amnesty's 21
    (issue 19); who said 12, 13 or 14 is read from the chart itself, not only from its numbers (a second audit)."""
    entries, _ = ledger.compared(article, "civilian_deaths", "ganja", 2)
    growth = ledger.toll_growth(entries)
    made = charts_ledger.toll_growth(growth, article.dataset.sources, article.strikes, "Source: test")
    assert not made.empty and len(made.numbers) == len(growth) == 7
    said = " ".join(made.description.split())
    assert "Prosecutor General's Office of Azerbaijan: 5 (17 October 2020, publication date; News24.az" in said
    assert "Wikipedia (crediting no one): 15 (October 2020, month read from the text; Wikipedia" in said
    assert "Amnesty International: 21 (14 January 2021, publication date; Azernews, citing Amnesty International)" in said
    rows = {axes.get_title(loc="left").replace("\n", " "): axes for axes in made.figure.axes if axes.get_title(loc="left")}
    labelled = {title: sorted(t.get_text() for t in axes.texts) for title, axes in rows.items()}
    assert labelled == {
        "Prosecutor General's Office of Azerbaijan": ["12", "5"], "Ombudsman of Azerbaijan": ["13"], "Mayor of Ganja": ["14"],
        "Wikipedia (crediting no one)": ["15"], "Amnesty International": ["21"],
    }  # fmt: skip
    marks = [line for axes in made.figure.axes for line in axes.lines if line.get_marker() not in ("None", None, "")]
    assert sorted(line.get_ydata()[0] for line in marks) == [5, 12, 13, 14, 15, 21]
    # A count dated by its month only is drawn at the month's last day, after that month's dated counts, and the note says so.
    wikipedia = [line for line in rows["Wikipedia (crediting no one)"].lines if line.get_marker() not in ("None", None, "")]
    assert pd.Timestamp(wikipedia[0].get_xdata()[0]).date().isoformat() == "2020-10-31"
    assert charts_ledger.MONTH_NOTE in said
    steps = [line for axes in made.figure.axes for line in axes.lines if line.get_drawstyle().startswith("steps")]
    assert len(steps) == 2 * len(rows)  # a body's counts, and the highest count by then, in every row
    nothing = charts_ledger.toll_growth(growth.iloc[:0], article.dataset.sources, article.strikes, "Source: test")
    assert nothing.empty


def test_upper_bounds_are_as_visible_as_lower_bounds(drawn, article):
    """An "at most" bar is dashed and ends in a "<", and the legend note says so."""
    made = drawn["bundled", "deaths_per_strike"]
    upper = next(p for p in patches(made) if p.get_width() == 10)
    assert upper.get_linestyle() in (":", "dotted")  # a group of strikes: dotted, whatever its hedge
    ends = [line for axes in made.figure.axes for line in axes.lines if line.get_marker() == "<"]
    assert [line.get_xdata()[0] for line in ends] == [10]
    assert "at most 10 killed across 8 strikes" in all_text(made) and charts.UPPER_BOUND_NOTE in made.description
    # The note names what every upper bound drawn has, dotted group or dashed strike: the "<" at its end.
    assert "Dashed bars" not in charts.UPPER_BOUND_NOTE and "“<”" in charts.UPPER_BOUND_NOTE
    view = views.by_side(article).assign(civilian_deaths_qualifier="at_most")
    made = charts.civilian_deaths_by_side(view, "Source: test")
    assert {p.get_linestyle() for p in patches(made)} == {"--"} and "“<”" in all_text(made)


def test_a_number_not_given_is_no_bar_but_words(article):
    """A side whose toll the source does not give: no bar, and its row says so, never "no number given killed"; a chart with no
    toll at all is empty (nothing drawn: a page shows no chart)."""
    view = views.by_side(article)
    view.loc[0, ["civilian_deaths", "civilian_deaths_qualifier"]] = [float("nan"), "vague"]
    made = charts.civilian_deaths_by_side(view, "Source: test")
    assert [b.get_width() for b in patches(made)] == [11] and not made.empty
    assert "8 strikes: no toll given" in all_text(made) and "no number given killed" not in made.description
    view.loc[1, ["civilian_deaths", "civilian_deaths_qualifier"]] = [float("nan"), "vague"]
    assert charts.civilian_deaths_by_side(view, "Source: test").empty


def test_deaths_per_strike_draws_the_remainder_apart(drawn):
    made = drawn["bundled", "deaths_per_strike"]
    single, several = made.figure.subfigs
    by_width = {b.get_width(): b for b in patches(made)}
    assert by_width[21].get_linestyle() == "solid" and not by_width[21].get_hatch()
    # Groups and remainders: dotted outlines, on an axis and a scale of their own, never beside single strikes.
    assert by_width[51].get_linestyle() in (":", "dotted") and by_width[51].get_hatch() == ".."
    assert by_width[51] in [p for axes in several.axes for p in axes.patches]
    assert all(p.get_width() != 51 for axes in single.axes for p in axes.patches)
    titles = [axes.get_title(loc="left") for axes in made.figure.axes]
    assert "Ganja, 17 Oct\n21 killed · Armenian forces (inferred)" in titles
    flat = [" ".join(title.split()) for title in titles]  # the label wraps where the phone's width ends it
    assert "7 other strikes by Armenian forces (inferred: total less named) 51 killed across 7 strikes, split unknown" in flat
    assert charts_strikes.REPORTED_NOT_SAMPLED in " ".join(all_text(made).split())
    assert "21 killed" in made.description and "51 killed across 7 strikes" in made.description


def test_a_group_without_a_number_reads_as_one(article):
    """A group whose toll the source does not give reads "deaths: no number given", never "no number given killed"."""
    view = views.per_strike(article)
    view.loc[view["kind"] != "strike", "civilian_deaths"] = float("nan")
    made = charts_strikes.deaths_per_strike(view, "Source: test")
    assert "deaths: no number given, across 7 strikes" in all_text(made)
    assert "no number given killed" not in all_text(made) + made.description


def test_share_of_conflict_deaths(drawn):
    made = drawn["bundled", "share_of_conflict_deaths"]
    assert "outside the analysed strikes\nat least 63 (an unknown share)" in all_text(made)
    assert "analysed strikes by Armenian forces\n72 (at most 49.4%)" in all_text(made)
    assert [b.get_width() for b in patches(made) if b.get_hatch()] == [63]
    # One bar split into its parts: each part starts where the one before it ends.
    assert [(b.get_x(), b.get_width()) for b in patches(made)] == [(0, 72), (72, 11), (83, 63)]


def test_the_timeline_numbers_its_strikes_and_spans_the_war(drawn):
    made = drawn["other", "strike_timeline"]
    assert "Not shown, as the source gives no date: Eastbury" in " ".join(all_text(made).split())
    assert "1. Northtown / Nordstadt, 2 Mar: 120 killed" in all_text(made)
    assert "Northtown / Nordstadt, 2 Mar: 120 killed" in made.description
    # The axis spans the war the data package gives, whatever the strikes' dates, shaded.
    start, end = (matplotlib.dates.num2date(x).date().isoformat() for x in made.figure.axes[0].get_xlim())
    assert start < OTHER_CONFLICT["start"] and end > OTHER_CONFLICT["end"]
    assert "armistice" in all_text(made) and "25 March 2024" in " ".join(all_text(made).split())
    numbers = [t.get_text() for axes in made.figure.axes for t in axes.texts]
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(made.numbers) + 1)]


def test_timeline_shows_every_dated_strike_in_the_data(drawn, article):
    per_strike = views.per_strike(article)
    dated = views.dated_strikes(article, per_strike)
    assert len(dated) == article.dataset.strikes["date"].notna().sum() > per_strike["date"].notna().sum()
    assert dated["has_toll"].sum() == per_strike["date"].notna().sum()
    made = drawn["bundled", "strike_timeline"]
    marks = [line for axes in made.figure.axes for line in axes.lines if line.get_marker() == "o"]
    assert len(marks) == len(dated) == len(made.numbers)
    assert sum(mark.get_markerfacecolor() != "white" for mark in marks) == dated["has_toll"].sum()


def test_sources_compared_one_mark_per_source(article):
    entries, table = ledger.compared(article, "civilian_deaths", "ganja", 2)
    sources_line = text.source_line(article.dataset.sources, entries)
    made = charts_ledger.sources_compared(entries, table, article.dataset.sources, article.strikes, sources_line)
    marks = [line for axes in made.figure.axes for line in axes.lines]
    # The counts compared: Ganja's earlier counts (5, 12, 13, 14, 15) are drawn in the growth chart, not here.
    compared = entries[~entries["earlier"]]
    assert len(marks) == compared["value"].notna().sum() == len(made.numbers) == 4 and len(entries) == 9
    headings = [" ".join(sub.get_suptitle().split()) for sub in made.figure.subfigs]
    assert "Ganja, 17 October 2020: civilians killed, 21 (running count)" in headings
    assert "Sources:" in all_text(made) and "from an NGO's study" in all_text(made)


def test_subjects_where_sources_differ_come_first(drawn):
    made = drawn["bundled", "sources_compared"]
    order = [s.get_suptitle() for s in made.figure.findobj(lambda o: type(o).__name__ == "SubFigure") if s.get_suptitle()]
    verdicts = [re.search(r"\(([^()]*)\)$", " ".join(h.split())).group(1) for h in order]
    rank = charts_ledger.AGREEMENT_ORDER
    assert verdicts == sorted(verdicts, key=lambda verdict: rank.get(verdict, len(rank))) and verdicts[0] == "disagree"
