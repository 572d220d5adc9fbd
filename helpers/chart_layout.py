"""What every chart shares: the figure, its colours and fonts, how a chart is redrawn at a phone's width, text wrapped
to the width it has, the title and source line around the plot, and bars drawn as their qualifiers say.

At a phone's width (narrow) a chart writes each bar's label and value above the bar instead of beside it, and its
figure grows as tall as its wrapped texts need: fonts never shrink below 7.5 points.
"""

from __future__ import annotations

import functools
import textwrap
import warnings

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .bounds import LOWER_BOUNDS

# Not the colours of either party's flag, and told apart by colour-blind
# readers (purple against ochre, from ColorBrewer's colour-blind-safe sets).
SIDE_COLOURS = {"armenian_forces": "#7B3294", "azerbaijani_forces": "#A6761D"}
NEUTRAL_COLOUR = "#7F7F7F"
TEXT_COLOUR = "#222222"

matplotlib.rcParams["svg.hashsalt"] = "karabakh-casualty-figures"  # stable ids inside SVG files
# Text in SVG files stays text: selectable and editable by a graphics desk, and quicker to write than outlines.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "DejaVu Sans"
# Labels come from data files: a "$" in a place name is a dollar sign, never the start of mathtext.
matplotlib.rcParams["text.parse_math"] = False
# Charts are laid out at 100 dots per inch and drawn at 200 (show.PIXEL_RATIO): hinting rounds each glyph's width to
# whole dots, differently at each, so that text measured for the layout came out up to 7% wider in the PNG. Unhinted,
# text is as wide at any resolution.
matplotlib.rcParams["text.hinting"] = "no_hinting"


# A typographic point is a 72nd of an inch.
POINTS_PER_INCH = 72.0
# A chart's title: matplotlib's "large" at its default 10-point text.
TITLE_POINTS = 1.2 * matplotlib.rcParams["font.size"]
# The width of a chart drawn for a phone, in inches at 100 dots per inch: 350 CSS pixels, what a 390-pixel screen
# leaves between the page's margins.
PHONE_WIDTH = 3.5
# Below this width a chart is laid out for a phone: the wide layouts put labels in a column beside the bars.
NARROW_BELOW = 5.0
# The height of a line of text of one point, in inches, line spacing included (matplotlib's 1.2).
LINE_INCHES_PER_POINT = 1.2 / POINTS_PER_INCH
# The room a narrow chart leaves between its texts and the figure's right edge, in inches: the axes' margins.
NARROW_MARGINS = 0.4


# Every chart that compares sides carries this, so that it stays true when shared alone.
SELECTED_NOT_SAMPLED = (
    "The strikes were selected for unlawfully killing civilians, not sampled: "
    "they do not show which side's strikes were deadlier in general."
)
LOWER_BOUND_NOTE = "Hatched bars with an arrow are lower bounds (the source says “more than” or “at least”): the true number may be higher."


def is_narrow(width: float) -> bool:
    return width < NARROW_BELOW


def redrawable(draw):
    """A chart function whose charts can be drawn again at another width (its `width` keyword, in inches):
    show.chart draws each such chart a second time, laid out for a phone's width."""

    @functools.wraps(draw)
    def draw_and_keep_the_recipe(*args, **kwargs):
        figure = draw(*args, **kwargs)
        figure.redraw = lambda width: draw(*args, **{**kwargs, "width": width})
        return figure

    return draw_and_keep_the_recipe


def new_figure(width: float, height: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    return figure, axes


# Measures text as the PNG draws it; its size does not matter, only its dots per inch.
_MEASURE = RendererAgg(10, 10, POINTS_PER_INCH)


def text_inches(text: str, fontsize: float, weight: str = "normal") -> float:
    """How wide the text's longest line is drawn, in inches."""
    font = FontProperties(family="DejaVu Sans", size=fontsize, weight=weight)
    return (
        max((_MEASURE.get_text_width_height_descent(line, font, ismath=False)[0] for line in text.split("\n")), default=0) / POINTS_PER_INCH
    )


def wrap(text: str, fontsize: float, inches: float, weight: str = "normal", characters: int = 0) -> str:
    """The text wrapped at words so that it is at most `inches` wide: at `characters` a line (default: about as many
    as fit), or fewer where its letters are wide."""
    characters = characters or int(inches * 130 / fontsize)
    wrapped = textwrap.fill(text, characters)
    while characters > 8 and text_inches(wrapped, fontsize, weight) > inches:
        characters -= 2
        wrapped = textwrap.fill(text, characters)
    return wrapped


def lines_inches(text: str, fontsize: float) -> float:
    return (text.count("\n") + 1) * fontsize * LINE_INCHES_PER_POINT


def finish(
    figure: Figure,
    name: str,
    title: str,
    source_line: str,
    legend_note: str = "",
    subtitle: str = "",
    description: str = "",
    plot_inches: float | None = None,
    header_inches: float = 0.0,
) -> Figure:
    """Title, subtitle, legend note and source line; name is the chart's file name (show.chart saves it as NAME.png and
    NAME.svg); description is what the chart shows in words and numbers (its alt text).

    Without plot_inches the figure keeps its height and the plot takes the room the texts leave. With it (a narrow
    chart, whose texts sit at fixed distances in inches), the figure grows until its axes are together that high.
    header_inches is room kept under the title (and subtitle) for a legend the chart draws there."""
    figure.set_label(name)
    width = figure.get_figwidth()
    room = width - 0.1
    title_text = wrap(title, TITLE_POINTS, room, "bold")
    wrapped = wrap(subtitle, 9, room, characters=int(width * 14)) if subtitle else ""
    # About as many characters of 7.5-point text as fit across the figure.
    under = "\n".join(wrap(part, 7.5, room, characters=int(width * 16.5)) for part in (legend_note, source_line) if part)
    top_inches = 0.45 + 0.2 * title_text.count("\n")
    below_title_inches = top_inches + (0.17 * (wrapped.count("\n") + 1) + 0.08 if subtitle else 0) + header_inches
    bottom_inches = 0.135 * (under.count("\n") + 1) + 0.1
    if plot_inches is not None:
        # A first guess: about 0.6 in of ticks and labels per axes.
        figure.set_figheight(below_title_inches + bottom_inches + plot_inches + 0.6 * len(figure.axes))
    # The axes are laid out first, in the room the texts leave, so that the layout does not make room for them twice.
    for _ in range(6):
        height = figure.get_figheight()
        with warnings.catch_warnings():
            # A guessed height may leave too little room for the axes' decorations: the next round grows the figure
            # (and the round after the last, below, warns if it never fits).
            if plot_inches is not None:
                warnings.filterwarnings("ignore", "Tight layout not applied", UserWarning)
            figure.tight_layout(rect=(0, bottom_inches / height, 1, 1 - below_title_inches / height))
        if plot_inches is None:
            break
        # The axes' decorations (ticks, axis labels) keep their size in inches: the axes take what the figure gains.
        drawn = sum(axes.get_position().height for axes in figure.axes) * height
        if abs(drawn - plot_inches) < 0.005:
            break
        figure.set_figheight(height + plot_inches - drawn)
    else:
        figure.tight_layout(rect=(0, bottom_inches / figure.get_figheight(), 1, 1 - below_title_inches / figure.get_figheight()))
    height = figure.get_figheight()
    figure.suptitle(
        title_text, x=0.01, y=1 - 0.06 / height, ha="left", va="top", fontsize=TITLE_POINTS, fontweight="bold", color=TEXT_COLOUR
    )
    if subtitle:
        figure.text(0.01, 1 - top_inches / height, wrapped, ha="left", va="top", fontsize=9, color="#444444")
    figure.text(0.01, 0.03 / height, under, ha="left", va="bottom", fontsize=7.5, color="#444444")
    figure.description = " ".join(part for part in (f"Chart: {title}.", subtitle, description, legend_note, source_line) if part)
    return figure


def capitalised(text: str) -> str:
    """A label as the start of a title: its first letter upper-case."""
    return text[:1].upper() + text[1:]


def annotate_point(axes, text: str, point: tuple, offset: tuple, **style) -> None:
    """Text placed a few points away from a data point."""
    axes.annotate(text, point, xytext=offset, textcoords="offset points", color=TEXT_COLOUR, **style)


def draw_bar(axes, position: float, value: float, qualifier: str, colour: str, label: str, span: float, thickness: float = 0.8) -> None:
    """One horizontal bar drawn as its qualifier says; label written at its end (none when empty)."""
    if qualifier == "vague" or pd.isna(value):
        if label:
            axes.text(0, position, "  " + label, va="center", ha="left", fontsize=9, color=TEXT_COLOUR, style="italic")
        return
    if qualifier in LOWER_BOUNDS:
        axes.barh(position, value, height=thickness, color="white", edgecolor=colour, hatch="///", linewidth=1.5)
        axes.annotate(
            "",
            xy=(value + span * 0.06, position),
            xytext=(value, position),
            arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 1.5},
        )
        end = value + span * 0.07
    elif qualifier == "at_most":
        axes.barh(position, value, height=thickness, color="white", edgecolor=colour, linestyle="--", linewidth=1.5)
        end = value
    else:
        axes.barh(position, value, height=thickness, color=colour, alpha=0.6 if qualifier == "approx" else 1.0, edgecolor=colour)
        end = value
    if label:
        axes.text(end + span * 0.01, position, label, va="center", ha="left", fontsize=9, color=TEXT_COLOUR)


# A narrow chart's bar, and the room between a bar and the next row's heading, in inches.
NARROW_BAR = 0.2
NARROW_ROW_GAP = 0.16


def narrow_rows(
    axes, headings: list[str], draws: list, width: float, fontsize: float = 9, bar: float = NARROW_BAR, gap: float = NARROW_ROW_GAP
) -> float:
    """A narrow chart's rows, each its heading (label and value, wrapped to the chart's width) above its bar, which
    draws(y, thickness) draws. y is in inches down from the axes' top, so that no heading can meet a bar: the axes
    must be drawn as high as the returned height (finish's plot_inches)."""
    y = 0.0
    for heading, draw in zip(headings, draws):
        wrapped = "\n".join(wrap(line, fontsize, width - NARROW_MARGINS) for line in heading.split("\n"))
        axes.text(0, -y, wrapped, va="top", ha="left", fontsize=fontsize, color=TEXT_COLOUR)
        y += lines_inches(wrapped, fontsize) + 0.04 + bar / 2
        draw(-y, bar)
        y += bar / 2 + gap
    # No rows: an empty strip, not an axes of no height.
    y = max(y, bar + gap)
    axes.set_ylim(-y, 0)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    # Fewer numbers under a narrow axis, so that "10000" and "15000" do not meet.
    axes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    return y


def stack(figure: Figure, axes_list: list, inches: list[float]) -> float:
    """The axes one under the other, each as high as its inches say (in proportion: finish sets the scale);
    returns their total height, for finish's plot_inches."""
    grid = figure.add_gridspec(len(axes_list), 1, height_ratios=inches)
    for index, axes in enumerate(axes_list):
        axes.set_subplotspec(grid[index])
    return sum(inches)


def narrow_label(axes, setter, label: str, width: float, **style) -> None:
    """An axis label wrapped to a narrow chart's width (setter: axes.set_xlabel or axes.set_title)."""
    fontsize = style.pop("fontsize", 10)
    setter(wrap(label, fontsize, width - NARROW_MARGINS, style.get("fontweight", "normal")), fontsize=fontsize, **style)
