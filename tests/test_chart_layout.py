"""Every chart laid out at its default width and at a phone's: each text inside the figure, no two texts overlapping,
no text under 7.5 points, and the same description at both widths; on the bundled data, other data, and data
made to crowd a chart (long place names, many strikes on nearby days)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import OTHER_FIGURES, OTHER_SOURCE, OTHER_SOURCES, OTHER_STRIKES, WIRE, figure, study_of, wire_toll, write_dataset
from helpers import charts, charts_ledger, ledger, show, text, views
from helpers.study import Study

# A warning from drawing a chart (a layout that did not fit, an empty axis) is a failure here.
pytestmark = [
    pytest.mark.filterwarnings("error::UserWarning"),  # matplotlib's: a layout that did not fit, an empty axis, no date interval
    pytest.mark.filterwarnings("error::FutureWarning"),
    pytest.mark.filterwarnings("error::pandas.errors.PandasChangeWarning"),  # pandas' warnings of what will change
]

# A bounding box may touch another or the figure's edge by a CSS pixel: antialiasing, not a collision.
SMALLEST_POINTS = 7.5
SMALLEST_CSS_PIXELS = 10.4


def _in_view(axis, location: float) -> bool:
    low, high = sorted(axis.get_view_interval())
    return low - 1e-9 <= location <= high + 1e-9


def drawn_texts(figure: Figure) -> list[Text]:
    """Every non-empty text the figure draws. Matplotlib keeps tick labels for ticks outside the axis's range,
    but does not draw them: they are left out."""
    hidden = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not _in_view(axis, tick.get_loc()):
                    hidden.update((tick.label1, tick.label2))
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip() and t not in hidden]


def layout_problems(figure: Figure) -> list[str]:
    """Texts outside the figure, texts overlapping each other, texts under 7.5 points, in words; measured as the PNG
    draws them (at show.PIXEL_RATIO times the figure's resolution), in CSS pixels."""
    laid_out = figure.get_dpi()
    figure.set_dpi(laid_out * show.PIXEL_RATIO)
    try:
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        edge = figure.bbox.transformed(figure.dpi_scale_trans.inverted())
        boxes = [(t, t.get_window_extent(renderer).transformed(figure.dpi_scale_trans.inverted())) for t in drawn_texts(figure)]
    finally:
        figure.set_dpi(laid_out)
    problems = []
    pixel = 1 / laid_out  # boxes are in inches
    for t, box in boxes:
        if box.x0 < edge.x0 - pixel or box.y0 < edge.y0 - pixel or box.x1 > edge.x1 + pixel or box.y1 > edge.y1 + pixel:
            problems.append(f"outside the figure: {t.get_text()!r} at {box.bounds} in")
        if t.get_fontsize() < SMALLEST_POINTS:
            problems.append(f"{t.get_fontsize()} points: {t.get_text()!r}")
    for (first, a), (second, b) in itertools.combinations(boxes, 2):
        across = min(a.x1, b.x1) - max(a.x0, b.x0)
        down = min(a.y1, b.y1) - max(a.y0, b.y0)
        if across > pixel and down > pixel:
            problems.append(
                f"overlapping by {across * laid_out:.0f} x {down * laid_out:.0f} px: {first.get_text()!r} and {second.get_text()!r}"
            )
    return problems


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


# ---------------------------------------------------------------------------
# The data the charts are drawn from


def crowded_dataset(folder: Path) -> Path:
    """The made-up account with long two-name places and a dozen strikes a day or two apart on both sides,
    most with a toll, some with none, and a second publication giving other tolls for some of them."""
    long_places = [
        ("Upper Karakhanbeyli-Mirzajanly", "Verin Karakhanbeylu"),
        ("Stepanakert", "Khankendi"),
        ("Tagaverd-Lower Quarter", "Tağavard Aşağı Məhəllə"),
    ]
    strikes, figures, wire = list(OTHER_STRIKES), list(OTHER_FIGURES), [WIRE]
    for number in range(12):
        place, other_name = long_places[number % 3]
        strike_id = f"crowded-{number}"
        side = ("armenian_forces", "azerbaijani_forces")[number % 2]
        strikes.append(
            {
                **OTHER_STRIKES[0],
                "strike_id": strike_id,
                "date": f"2024-03-{3 + number // 2:02d}",
                "place": f"{place} {number}",
                "place_other_name": other_name,
                "side": side,
            }
        )
        if number % 4 != 3:
            deaths, qualifier = 3 + number * 7, "more_than" if number % 3 else "exact"
            figures.append(
                figure(f"eg-{strike_id}", "civilian_deaths", str(deaths), qualifier, "unspecified", "strike", f"{deaths} killed", strike_id)
            )
            figures.append(wire_toll(f"wire-{strike_id}", str(5 + number * 9), "at_least", f"at least {5 + number * 9} dead", strike_id))
    return write_dataset(folder, sources=OTHER_SOURCES + wire, strikes=strikes, figures=figures)


def chart_builders(study: Study, all_sources: Study) -> dict:
    """Each chart as the notebooks draw it, as a function of its width keywords."""
    line = text.source_line(study.dataset.sources, study.figures)
    per_strike = views.per_strike(study)
    entries, compared = ledger.compared(all_sources, "civilian_deaths,civilian_injuries,strikes", "", 2)
    sources_line = text.source_line(all_sources.dataset.sources, entries)
    return {
        "civilian_deaths_by_side": lambda **width: charts.civilian_deaths_by_side(views.by_side(study), line, **width),
        "deaths_per_strike": lambda **width: charts.deaths_per_strike(per_strike, line, **width),
        "share_of_conflict_deaths": lambda **width: charts.share_of_conflict_deaths(
            views.conflict_share(study), views.conflict_totals(study), line, **width
        ),
        "civilians_and_all_deaths": lambda **width: charts.civilians_and_all_deaths(views.conflict_totals(study), line, **width),
        "strike_timeline": lambda **width: charts.strike_timeline(
            views.dated_strikes(study, per_strike), per_strike, views.war_span(study), line, **width
        ),
        "sources_compared": lambda **width: charts_ledger.sources_compared(
            entries, compared, all_sources.dataset.sources, all_sources.strikes, sources_line, **width
        ),
    }


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict:
    other = write_dataset(tmp_path_factory.mktemp("other") / "data")
    crowded = crowded_dataset(tmp_path_factory.mktemp("crowded") / "data")
    bundled = study_of(None, "moscow-times-2021-01-14")
    return {
        "bundled": (bundled, study_of(None, "")),
        "other": (study_of(other, OTHER_SOURCE), study_of(other, "")),
        "crowded": (study_of(crowded, OTHER_SOURCE), study_of(crowded, "")),
    }


CHARTS = [
    "civilian_deaths_by_side",
    "deaths_per_strike",
    "share_of_conflict_deaths",
    "civilians_and_all_deaths",
    "strike_timeline",
    "sources_compared",
]


@pytest.mark.parametrize("data", ["bundled", "other", "crowded"])
@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_laid_out_at_both_widths(studies, data, chart):
    wide = chart_builders(*studies[data])[chart]()
    phone = wide.redraw(charts.PHONE_WIDTH)
    assert phone.get_figwidth() == charts.PHONE_WIDTH
    assert wide.get_figwidth() <= 9.2  # the page's column at 1280 px, so that the chart is not shrunk
    for drawn in (wide, phone):
        assert layout_problems(drawn) == [], f"{chart} at {drawn.get_figwidth()} in"
        assert show.smallest_text(drawn) >= SMALLEST_CSS_PIXELS
    assert phone.description == wide.description
    # Nothing left out at the phone's width: every word of the wide chart is on the narrow one too.
    assert " ".join(phone.get_suptitle().split()) == wide.get_suptitle()
    assert _words(wide) - _words(phone) == set()


def _words(drawn: Figure) -> set[str]:
    """The chart's words, however they are wrapped and grouped, without the numbers under its axes (a narrow axis
    has fewer)."""
    scales = {id(label) for axes in drawn.axes for label in axes.get_xticklabels()}
    return {word.strip(":,;.()") for t in drawn_texts(drawn) if id(t) not in scales for word in t.get_text().split()}


def test_charts_with_nothing_to_show_are_laid_out(studies):
    """A source with no figure for a chart gets an empty chart, laid out at both widths, not an error."""
    study = studies["bundled"][0]
    per_strike = views.per_strike(study)
    empty = {
        "civilian_deaths_by_side": lambda **w: charts.civilian_deaths_by_side(views.by_side(study).iloc[0:0], "Source: none", **w),
        "deaths_per_strike": lambda **w: charts.deaths_per_strike(per_strike.iloc[0:0], "Source: none", **w),
        "share_of_conflict_deaths": lambda **w: charts.share_of_conflict_deaths(
            views.conflict_share(study).iloc[0:0], views.conflict_totals(study).iloc[0:0], "Source: none", **w
        ),
        "civilians_and_all_deaths": lambda **w: charts.civilians_and_all_deaths(
            views.conflict_totals(study).iloc[0:0], "Source: none", **w
        ),
        "strike_timeline": lambda **w: charts.strike_timeline(
            views.dated_strikes(study, per_strike).iloc[0:0], per_strike, views.war_span(study), "Source: none", **w
        ),
    }
    for chart, build in empty.items():
        wide = build()
        for drawn in (wide, wide.redraw(charts.PHONE_WIDTH)):
            assert drawn.get_figheight() > 1.5, chart
            assert layout_problems(drawn) == [], f"{chart} at {drawn.get_figwidth()} in"


@pytest.mark.parametrize("narrow", [True, False])
def test_the_time_axis_finds_its_dates_for_any_span(narrow):
    """From a day to a century, the time line's axis gets dates it can show without matplotlib's warning."""
    import matplotlib.dates
    import pandas as pd
    from matplotlib.figure import Figure

    from helpers.charts_strikes import date_locator

    start = pd.Timestamp("2020-09-27")
    axes = Figure().add_subplot()
    locator = date_locator(narrow)
    axes.xaxis.set_major_locator(locator)
    for days in [*range(1, 800), *range(800, 40_000, 37)]:
        axes.set_xlim(start, start + pd.Timedelta(days=days))
        ticks = locator()  # a warning fails the test (pytestmark)
        assert 1 <= len(ticks) <= (4 if narrow else 8) + 2, (days, [matplotlib.dates.num2date(t) for t in ticks])
