"""Charts, each one drawing laid out for a phone by constrained layout (per strike: charts_strikes; the ledger's: charts_ledger)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator, StrMethodFormatter
from PIL import Image

from .bounds import CONTRADICTORY, LOWER_BOUNDS
from .labels import HEDGE_WORDS, format_share, format_value, hedged, hedged_count, share_part_label, side_label, total_as_worded

# Not the colours of either party's flag, and told apart by colour-blind readers (ColorBrewer's purple and ochre).
SIDE_COLOURS = {"armenian_forces": "#7B3294", "azerbaijani_forces": "#A6761D"}
NEUTRAL_COLOUR, TEXT_COLOUR = "#7F7F7F", "#222222"  # grey for neither side; text near-black, full contrast without glare
PHONE_WIDTH = 3.5  # inches: 350 CSS px, what a 390 px phone leaves between the page's margins
DPI = 100  # one dot per CSS pixel: inches × 100 is the chart's size on the page
PIXEL_RATIO = 2  # the PNG has two dots per CSS pixel: crisp on high-resolution screens
PNG_COLOURS = 64  # a chart's few colours and their anti-aliased edges: the same to the eye, a quarter of the bytes
POINTS_PER_INCH = 72.0  # a typographic point
LABEL_POINTS = 9  # a row's label and value, and a panel's heading (bold): the chart's main reading
TITLE_POINTS = LABEL_POINTS + 2  # the chart's title: the largest text
SMALL_POINTS = 8  # notes, ticks, axis labels: the least the site allows (eleven CSS px at a 390 px phone)
PAD_INCHES = 2 / POINTS_PER_INCH  # constrained layout's room round each axes and panel: texts never touch
ROOM_INCHES = PHONE_WIDTH - 0.4  # texts' width: the figure less pads and half a tick label past each end of an axis
AXIS_INCHES = 0.25  # under a panel: its ticks and their 8-point numbers
BRANCH = 8  # rows or panels in one grid, more grouped in subfigures: constrained layout slows steeply as a grid grows
ROW_INCHES, BAR_SHARE = 0.22, 0.8  # a row's bar, thick enough to read its hatch; the share of its row it fills: white above the next label
LABEL_GAP_POINTS = 3  # between a label and its bar: nearer its own bar than the bar above
LINE_POINTS = 1.5  # outlines and arrows: as heavy as the hatch, visible on a phone
APPROX_ALPHA = 0.6  # an approximate value: its bar paler than an exact one
ARROW_SHARE, END_ROOM = 0.08, 0.12  # of the longest bar: a lower bound's arrow past its bar; the axis past the longest (room for "<")
TICKS = 4  # at most about 4 numbers under an axis 3 in wide, so that "10,000" and "15,000" do not meet
# The charts' style, applied (matplotlib.rc_context) where a chart is laid out and where it is saved, never globally.
STYLE = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs, so the same layout, on every machine
    "text.parse_math": False,  # labels come from data files: "$" in a place name is a dollar sign, not mathtext
    "svg.fonttype": "none",  # SVG text stays text: selectable, and editable by a graphics desk
    "svg.hashsalt": "karabakh-casualty-figures",  # the same ids in the SVG each time it is saved
    "text.hinting": "no_hinting",  # glyphs as wide in the PNG as measured for the layout (unhinted outlines)
    "xtick.labelsize": SMALL_POINTS,  # numbers under an axis: as small as the notes
}
# Open bars, white inside and outlined in their side's colour: several strikes together dotted, lower bounds hatched, upper dashed.
OPEN_LOOKS = {"several": {"linestyle": ":", "hatch": ".."}, "lower": {"hatch": "///"}, "at_most": {"linestyle": "--"}}
SELECTED_NOT_SAMPLED = "The strikes were selected for unlawfully killing civilians, not sampled: they do not show which side's strikes were deadlier in general."  # on every chart of the sides' analysed strikes, true when shared alone
LOWER_BOUND_NOTE = "Bars ending in an arrow are lower bounds (“at least”, “more than”: a source's hedge, or a reading explained on the page, such as a count of named victims): the true number may be higher."
UPPER_BOUND_NOTE = (
    "Bars ending in “<” are upper bounds (“at most”, computed here: a total less a lower bound): the true number may be lower."
)
NOTHING_TO_SHOW = "Nothing to show: the source gives no figures for this chart."


@dataclass(frozen=True)
class Chart:
    """A chart drawn once, for a phone's width, with its alt text and its numbers as a reader table."""

    name: str  # the files' stem: NAME.png, NAME.svg, NAME.csv
    figure: Figure
    description: str  # alt text: the title, every label and number drawn, the notes and the source line
    numbers: pd.DataFrame  # one row per mark or bar, columns in words
    empty: bool = False  # no row draws a mark: nothing for a reader to see (helpers.page shows a sentence instead)

    @matplotlib.rc_context(STYLE)
    def png(self) -> bytes:
        """The chart as PNG at PIXEL_RATIO times its size on the page, a palette of PNG_COLOURS, the same bytes each time."""
        self.figure.savefig(drawn := io.BytesIO(), format="png", dpi=DPI * PIXEL_RATIO, metadata={"Software": None})
        palette = Image.open(drawn).convert("RGB").quantize(colors=PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
        palette.save(buffer := io.BytesIO(), format="PNG", optimize=True)
        return buffer.getvalue()

    @matplotlib.rc_context(STYLE)
    def svg(self) -> bytes:
        """The chart as SVG, its texts as text, the same bytes each time."""
        self.figure.savefig(buffer := io.BytesIO(), format="svg", metadata={"Date": None, "Creator": None})
        return buffer.getvalue()

    @property
    def css_size(self) -> tuple[int, int]:
        """Width and height on the page, in CSS pixels."""
        return tuple(round(inches * DPI) for inches in self.figure.get_size_inches())

    @property
    def smallest_text(self) -> float:
        """The size of the smallest visible text, in CSS pixels at css_size."""
        sizes = [t.get_fontsize() for t in self.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
        return round(min(sizes, default=0) * DPI / POINTS_PER_INCH, 1)


@dataclass(frozen=True)
class Row:
    """A row of a panel: its title (label, then value) above what draw(axes) draws, in an axes `inches` high."""

    title: str
    draw: Callable = lambda axes: None
    inches: float = ROW_INCHES
    points: float = LABEL_POINTS
    said: str = ""  # the row in the alt text, where its title does not say all it draws
    drawn: bool = False  # whether it draws a mark (a bar, a point): a chart none of whose rows does is empty


@dataclass(frozen=True)
class Panel:
    """Rows under a heading, on one x axis drawn under the last: a count from 0 past span, unless the rows draw another."""

    heading: str
    rows: list
    axis: str = ""  # the x axis's label
    span: float = 1.0


@functools.lru_cache(maxsize=8192)
def text_inches(text: str, points: float, weight: str = "normal") -> float:
    """How wide the text is drawn, in inches (unhinted outlines, as STYLE draws them)."""
    font = FontProperties(family=STYLE["font.family"], size=points, weight=weight)
    return TextToPath().get_text_width_height_descent(text, font, ismath=False)[0] / POINTS_PER_INCH


def fit(text: str, points: float, inches: float = ROOM_INCHES, weight: str = "normal") -> str:
    """The text wrapped at words to at most `inches` wide as drawn, a word wider than that cut with "…"."""
    font = get_font(findfont(FontProperties(family=STYLE["font.family"], weight=weight)))
    text = "".join(c if c.isspace() or font.get_char_index(ord(c)) else "\N{REPLACEMENT CHARACTER}" for c in text)  # no missing glyph
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            while len(word) > 1 and (width := text_inches(word, points, weight)) > inches:
                stem = word.removesuffix("…")  # cut where the width says, then a letter at a time
                word = stem[: max(0, min(len(stem) - 1, int(len(stem) * inches / width)))] + "…"
            wider = line and text_inches(f"{line} {word}", points, weight) > inches
            lines, line = (lines + [line], word) if wider else (lines, f"{line} {word}".strip())
        lines.append(line)
    return "\n".join(lines).strip("\n")


def bound_notes(qualifiers: pd.Series) -> list[str]:
    """The legend notes for the bounds among the qualifiers drawn."""
    return [LOWER_BOUND_NOTE] * bool(qualifiers.isin(LOWER_BOUNDS).any()) + [UPPER_BOUND_NOTE] * bool((qualifiers == "at_most").any())


def has_number(value: float, hedge: str) -> bool:
    """Whether a value is a number to draw: not vague, missing or contradicted."""
    return hedge not in ("vague", CONTRADICTORY) and not pd.isna(value)


def bar(value: float, hedge: str, side: str, span: float, several: bool = False, left: float | None = None) -> Callable:
    """A function drawing the value as its hedge says (as a part of a whole, from left, along a line as long as span)."""
    colour = SIDE_COLOURS.get(side, NEUTRAL_COLOUR)

    def draw(axes) -> None:
        if left is not None:
            axes.plot([0, span], [0, 0], color=NEUTRAL_COLOUR, linewidth=LINE_POINTS / 2, zorder=0)
        if not has_number(value, hedge):
            return  # no number, no bar: the row's title says so
        end, kind = (left or 0) + value, "several" if several else "lower" if hedge in LOWER_BOUNDS else hedge
        solid = {"color": colour, "alpha": APPROX_ALPHA if hedge == "approx" else 1.0}
        look = {"color": "white", "edgecolor": colour, "linewidth": LINE_POINTS, **OPEN_LOOKS[kind]} if kind in OPEN_LOOKS else solid
        axes.barh(0, value, left=left or 0, height=BAR_SHARE, **look)
        if hedge in LOWER_BOUNDS:
            arrow = {"arrowstyle": "->", "color": colour, "linewidth": LINE_POINTS}
            axes.annotate("", xy=(end + span * ARROW_SHARE, 0), xytext=(end, 0), arrowprops=arrow)
        if hedge == "at_most":
            axes.plot([end], [0], marker="<", markersize=BAR_SHARE * ROW_INCHES * POINTS_PER_INCH, color=colour)

    return draw


def _drawn_inches(text: Text) -> float:
    """How high the text is drawn, in inches, measured (lines of tall letters, accents over capitals, are higher than their size
    says); none for no text."""
    return text.get_window_extent().height / DPI if text.get_text() else 0.0


def _stack(parent, blocks: list, place: Callable) -> tuple[float, Callable]:
    """Blocks under each other in parent (in subfigures of BRANCH where more), their estimated inches, and their settle."""
    # place(parent, spec, block) draws one, returning (its subfigure or axes, its estimated inches, its settle).
    size = -(-len(blocks) // BRANCH)  # blocks per group: 1 unless there are more than BRANCH
    grid, placed = parent.add_gridspec(-(-len(blocks) // size), 1, hspace=0), []
    for index, start in enumerate(range(0, len(blocks), size)):
        group = parent.add_subfigure(grid[index]) if size > 1 else None
        placed.append((group, *_stack(group, blocks[start : start + size], place)) if group else place(parent, grid[index], blocks[start]))
    grid.set_height_ratios([estimate for _, estimate, _ in placed])

    def settle() -> float:
        """After a draw: each block gets the share of the grid that draws its rows as high as they ask; the inches lacking."""
        lacks = [lack() for _, _, lack in placed]
        grid.set_height_ratios([artist.bbox.height / DPI + lack for (artist, _, _), lack in zip(placed, lacks)])
        return sum(lacks)

    return sum(estimate for _, estimate, _ in placed), settle


def _place_row(parent, spec, row: Row, panel: Panel, last: bool) -> tuple:
    """A row's axes, its title above what it draws; no y axis, and no x axis but in its panel's last row."""
    axes, title = parent.add_subplot(spec), fit(row.title, row.points)
    drawn = axes.set_title(title, loc="left", fontsize=row.points, color=TEXT_COLOUR, pad=LABEL_GAP_POINTS)
    axes.yaxis.set_visible(False)  # an invisible axis is not laid out either: quicker
    axes.xaxis.set_visible(last)
    axes.spines[:].set_visible(False)
    axes.spines["bottom"].set_visible(last)
    axes.set(ylim=(-0.5, 0.5), xlim=(0, panel.span * (1 + END_ROOM)))  # a bar's row, along a count; other rows set their own
    axes.xaxis.set(major_locator=MaxNLocator(nbins=TICKS, integer=True), major_formatter=StrMethodFormatter("{x:,.0f}"))
    row.draw(axes)
    estimate = _drawn_inches(drawn) + LABEL_GAP_POINTS / POINTS_PER_INCH + row.inches + 2 * PAD_INCHES
    if last:
        axes.set_xlabel(fit(panel.axis, SMALL_POINTS), loc="left", fontsize=SMALL_POINTS, color=TEXT_COLOUR)
        estimate += AXIS_INCHES + _drawn_inches(axes.xaxis.label)
    legend = axes.get_legend()  # a key, drawn above its row as a title would be
    estimate += legend.get_window_extent().height / DPI if legend else 0
    return axes, estimate, lambda: row.inches - axes.bbox.height / DPI


def _place_panel(parent, spec, panel: Panel) -> tuple:
    """A panel's subfigure: its heading, its rows, and under them their x axis."""
    subfigure, heading = parent.add_subfigure(spec), fit(panel.heading, LABEL_POINTS, weight="bold")
    drawn = subfigure.suptitle(heading, x=PAD_INCHES / PHONE_WIDTH, ha="left", fontsize=LABEL_POINTS, fontweight="bold", color=TEXT_COLOUR)
    rows = panel.rows or [Row(NOTHING_TO_SHOW)]
    estimate, settle = _stack(subfigure, rows, lambda p, spec, row: _place_row(p, spec, row, panel, row is rows[-1]))
    return subfigure, estimate + _drawn_inches(drawn) + 2 * PAD_INCHES, settle


@matplotlib.rc_context(STYLE)
def laid_out(name: str, title: str, panels: list[Panel], notes: list[str], numbers: list[dict]) -> Chart:
    """The chart: title, panels one under the other, notes and source line, the figure as high as they need."""
    figure = Figure(figsize=(PHONE_WIDTH, PHONE_WIDTH), dpi=DPI, layout="constrained")
    figure.get_layout_engine().set(w_pad=PAD_INCHES, h_pad=PAD_INCHES, hspace=0, wspace=0)
    heading, under = fit(title, TITLE_POINTS, weight="bold"), "\n".join(fit(note, SMALL_POINTS) for note in notes if note)
    top = figure.suptitle(heading, x=2 * PAD_INCHES / PHONE_WIDTH, ha="left", fontsize=TITLE_POINTS, fontweight="bold", color=TEXT_COLOUR)
    bottom = figure.supxlabel(under, x=2 * PAD_INCHES / PHONE_WIDTH, ha="left", fontsize=SMALL_POINTS, color=TEXT_COLOUR)
    FigureCanvasAgg(figure)  # its renderer measures every text as drawn (_drawn_inches)
    estimate, settle = _stack(figure, panels, _place_panel)
    figure.set_figheight(estimate + _drawn_inches(top) + _drawn_inches(bottom) + 4 * PAD_INCHES)
    figure.get_layout_engine().execute(figure)  # one correction: margins keep their inches, so the figure grows by what rows lack
    figure.set_figheight(figure.get_figheight() + settle())
    # Kept as laid out: constrained layout lands a hair apart at each resolution; the PNG and SVG are to be one drawing.
    figure.get_layout_engine().execute(figure)
    figure.set_layout_engine("none")
    said = [("; ".join(row.said or row.title.replace("\n", ": ") for row in p.rows) or NOTHING_TO_SHOW[:-1], p) for p in panels]
    said = " ".join((f"{p.heading}: {rows}." if p.heading else f"{rows}.") + (f" Scale: {p.axis}." if p.axis else "") for rows, p in said)
    description, empty = " ".join(f"Chart: {title}. {said} {' '.join(notes)}".split()), not any(r.drawn for p in panels for r in p.rows)
    return Chart(name, figure, description, pd.DataFrame(numbers).convert_dtypes(), empty)


def bar_panel(items: list[tuple], axis: str, heading: str = "", several: bool = False, whole: bool = False) -> tuple[Panel, list]:
    """A panel of bars, one per (label, text, value, hedge, side, cells), and their lines in the chart's numbers."""
    values = pd.Series([item[2] for item in items], dtype=float)
    span = (values.sum() if whole else values.max()) if values.gt(0).any() else 1.0  # no bar: an axis still needs a length
    lefts = values.fillna(0).cumsum() - values.fillna(0) if whole else [None] * len(items)
    rows = [Row(f"{i[0]}\n{i[1]}", bar(*i[2:5], span, several, left), drawn=has_number(*i[2:4])) for i, left in zip(items, lefts)]
    numbers = [{"label": label, **cells, "value": v, "hedge": HEDGE_WORDS.get(h, h)} for label, _, v, h, _, cells in items]
    return Panel(heading, rows, axis, span), numbers


def civilian_deaths_by_side(view: pd.DataFrame, source_line: str) -> Chart:
    """Civilians killed in the analysed strikes, one bar per attacking side (from views.by_side)."""
    killed, strikes, hedges = hedged(view, "civilian_deaths"), hedged(view, "strikes"), view["civilian_deaths_qualifier"]
    deaths = zip(killed, [hedged_count(row, "strikes", "strike") for _, row in view.iterrows()], view["civilian_deaths"], hedges)
    texts = [f"{k} killed in {n}" if has_number(v, h) else f"{n}: no toll given" for k, n, v, h in deaths]
    cells = [{"civilians killed": k, "strikes": n} for k, n in zip(killed, strikes)]
    items = list(zip([f"strikes by {side_label(s)}" for s in view["side"]], texts, view["civilian_deaths"], hedges, view["side"], cells))
    panel, numbers = bar_panel(items, "civilians killed in the analysed strikes")
    title = "Civilians killed in the analysed strikes, by attacking side"
    return laid_out("civilian-deaths-by-side", title, [panel], [SELECTED_NOT_SAMPLED, *bound_notes(hedges), source_line], numbers)


def share_of_conflict_deaths(share: pd.DataFrame, totals: pd.DataFrame, source_line: str) -> Chart:
    """The conflict's civilian deaths as one bar split into each side's analysed strikes and the rest, a part a row."""
    parts = share[share["civilian_deaths"].notna()]
    shares = [format_share(value, hedge) for value, hedge in zip(parts["share"], parts["share_qualifier"])]
    hedges, killed = parts["civilian_deaths_qualifier"], hedged(parts, "civilian_deaths")
    cells = [{"civilians killed": k, "share of the stated total": s} for k, s in zip(killed, shares)]
    rows = zip(parts["part"], killed, shares, parts["civilian_deaths"], hedges, cells)
    items = [(share_part_label(p), f"{k} ({s})", v, h, p, c) for p, k, s, v, h, c in rows]
    total = next((total_as_worded(t) for _, t in totals[totals["measure"] == "civilian_deaths"].iterrows()), "no total in all")
    panel, numbers = bar_panel(items, f"civilians killed in the conflict ({total})", whole=True)
    notes = [SELECTED_NOT_SAMPLED, "Shares are of the stated total.", *bound_notes(hedges), source_line]
    title = "How much of the conflict's civilian toll the analysed strikes cover"
    return laid_out("share-of-conflict-deaths", title, [panel], notes, numbers)


def civilians_and_all_deaths(totals: pd.DataFrame, source_line: str) -> Chart:
    """Civilian deaths against all deaths in the conflict, bounds drawn as bounds (from views.conflict_totals)."""
    labels = {"civilian_deaths": "civilians killed", "deaths_all": "all deaths, civilian and military"}
    texts = [format_value(value, hedge) for value, hedge in zip(totals["value"], totals["qualifier"])]
    rows = zip(totals["measure"], texts, totals["value"], totals["qualifier"])
    items = [(labels.get(m, m), text, v, h, "", {"people killed": text}) for m, text, v, h in rows]
    panel, numbers = bar_panel(items, "people killed in the conflict")
    notes = [*bound_notes(totals["qualifier"]), source_line]
    return laid_out("civilians-and-all-deaths", "Civilians among all deaths of the war", [panel], notes, numbers)
