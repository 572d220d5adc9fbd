"""One function per chart, each returning a matplotlib Figure with a source line under it.

Figures are built without pyplot, so nothing is shown twice in a notebook
and nothing depends on a global state. How a number is drawn follows its
qualifier: exact values are solid bars; lower bounds ("more than",
"at least") are hatched, open bars with an arrow past their end; upper
bounds are outlined only; a number the source does not give is no bar at
all but a written "no number given".
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .bounds import LOWER_BOUNDS
from .labels import (
    format_date,
    format_figure,
    format_share,
    format_value,
    share_part_label,
    side_label,
    strike_label,
)

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


# The width of a chart drawn for a phone, in inches at 100 dots per inch: 350 CSS pixels, what a 390-pixel screen
# leaves between the page's margins.
PHONE_WIDTH = 3.5


def redrawable(draw):
    """A chart function whose charts can be drawn again at another width (its `width` keyword, in inches):
    show.chart draws each such chart a second time, laid out for a phone's width."""

    @functools.wraps(draw)
    def draw_and_keep_the_recipe(*args, **kwargs):
        figure = draw(*args, **kwargs)
        figure.redraw = lambda width: draw(*args, **{**kwargs, "width": width})
        return figure

    return draw_and_keep_the_recipe


def _new_figure(width: float, height: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    return figure, axes


def _finish(
    figure: Figure, name: str, title: str, source_line: str, legend_note: str = "", subtitle: str = "", description: str = ""
) -> Figure:
    """Title, subtitle, legend note and source line; name is the chart's file name (show.chart saves it as NAME.png and
    NAME.svg); description is what the chart shows in words and numbers (its alt text)."""
    figure.set_label(name)
    height = figure.get_figheight()
    top = 1 - 0.45 / height
    wrapped = textwrap.fill(subtitle, int(figure.get_figwidth() * 14)) if subtitle else ""
    below_title = top - (0.17 * (wrapped.count("\n") + 1) + 0.08) / height if subtitle else top
    # About as many characters of 7.5-point text as fit across the figure.
    width = int(figure.get_figwidth() * 16.5)
    under = textwrap.fill(source_line, width)
    if legend_note:
        under = textwrap.fill(legend_note, width) + "\n" + under
    lines = under.count("\n") + 1
    # The axes are laid out first, in the room the texts leave, so that the layout does not make room for them twice.
    figure.tight_layout(rect=(0, (0.135 * lines + 0.1) / height, 1, below_title))
    figure.suptitle(title, x=0.01, ha="left", fontsize="large", fontweight="bold", color=TEXT_COLOUR)
    if subtitle:
        figure.text(0.01, top, wrapped, ha="left", va="top", fontsize=9, color="#444444")
    figure.text(0.01, 0.01, under, ha="left", va="bottom", fontsize=7.5, color="#444444")
    figure.description = " ".join(part for part in (f"Chart: {title}.", subtitle, description, legend_note, source_line) if part)
    return figure


def capitalised(text: str) -> str:
    """A label as the start of a title: its first letter upper-case."""
    return text[:1].upper() + text[1:]


def annotate_point(axes, text: str, point: tuple, offset: tuple, **style) -> None:
    """Text placed a few points away from a data point."""
    axes.annotate(text, point, xytext=offset, textcoords="offset points", color=TEXT_COLOUR, **style)


def _draw_bar(axes, position: float, value: float, qualifier: str, colour: str, label: str, span: float) -> None:
    """One horizontal bar drawn as its qualifier says; label written at its end."""
    if qualifier == "vague" or pd.isna(value):
        axes.text(0, position, "  " + label, va="center", ha="left", fontsize=9, color=TEXT_COLOUR, style="italic")
        return
    if qualifier in LOWER_BOUNDS:
        axes.barh(position, value, color="white", edgecolor=colour, hatch="///", linewidth=1.5)
        axes.annotate(
            "",
            xy=(value + span * 0.06, position),
            xytext=(value, position),
            arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 1.5},
        )
        end = value + span * 0.07
    elif qualifier == "at_most":
        axes.barh(position, value, color="white", edgecolor=colour, linestyle="--", linewidth=1.5)
        end = value
    else:
        axes.barh(position, value, color=colour, alpha=0.6 if qualifier == "approx" else 1.0, edgecolor=colour)
        end = value
    axes.text(end + span * 0.01, position, label, va="center", ha="left", fontsize=9, color=TEXT_COLOUR)


def _bars(axes, labels: list[str], values: list[float], qualifiers: list[str], colours: list[str], texts: list[str]) -> None:
    finite = [v for v in values if not pd.isna(v)]
    span = max(finite) if finite else 1.0
    positions = np.arange(len(labels))[::-1]
    for position, value, qualifier, colour, text in zip(positions, values, qualifiers, colours, texts):
        _draw_bar(axes, position, value, qualifier, colour, text, span)
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, span * 1.45)
    axes.tick_params(axis="y", length=0)


# Every chart that compares sides carries this, so that it stays true when shared alone.
SELECTED_NOT_SAMPLED = (
    "The strikes were selected for unlawfully killing civilians, not sampled: "
    "they do not show which side's strikes were deadlier in general."
)
LOWER_BOUND_NOTE = "Hatched bars with an arrow are lower bounds (the source says “more than” or “at least”): the true number may be higher."


@redrawable
def civilian_deaths_by_side(view: pd.DataFrame, source_line: str, width: float = 8) -> Figure:
    """Civilians killed in the analysed strikes, one bar per attacking side (from views.by_side)."""
    figure, axes = _new_figure(width, 2.0 + 0.6 * max(len(view), 1))
    texts = [
        f"{format_value(d, dq)} killed in {format_value(s, sq)} strikes"
        for d, dq, s, sq in zip(view["civilian_deaths"], view["civilian_deaths_qualifier"], view["strikes"], view["strikes_qualifier"])
    ]
    _bars(
        axes,
        [f"strikes by {side_label(s)}" for s in view["side"]],
        list(view["civilian_deaths"]),
        list(view["civilian_deaths_qualifier"]),
        [SIDE_COLOURS.get(s, NEUTRAL_COLOUR) for s in view["side"]],
        texts,
    )
    axes.set_xlabel("civilians killed in the analysed strikes")
    note = LOWER_BOUND_NOTE if view["civilian_deaths_qualifier"].isin(LOWER_BOUNDS).any() else ""
    shown = "; ".join(f"strikes by {side_label(s)}: {t}" for s, t in zip(view["side"], texts))
    return _finish(
        figure,
        "civilian-deaths-by-side",
        "Civilians killed in the analysed strikes, by attacking side",
        source_line,
        note,
        subtitle=SELECTED_NOT_SAMPLED,
        description=f"{shown}." if shown else "No per-side figures.",
    )


def _strike_row_words(row: pd.Series) -> tuple[str, str]:
    """A per-strike row's label and the text at its bar's end."""
    deaths = format_value(row["civilian_deaths"], row["civilian_deaths_qualifier"])
    attacker = f"{side_label(row['side'])}{' (inferred)' if row['side_basis'] == 'inferred' else ''}"
    if row["kind"] == "strike":
        text = f"{deaths} killed · {attacker}" if deaths != "no number given" else f"deaths: no number given · {attacker}"
        return strike_label(row, short=True), text
    count = format_value(row["strikes"], row["strikes_qualifier"])
    noun = "strike" if row["strikes"] == 1 and row["strikes_qualifier"] == "exact" else "strikes"
    label = strike_label(row, short=True) if row["kind"] == "group of strikes" else f"{count} other strikes by {side_label(row['side'])}"
    attacker = f" · {attacker}" if row["kind"] == "group of strikes" else ""
    return label, f"{deaths} killed across {count} {noun}, split unknown{attacker}"


@redrawable
def deaths_per_strike(view: pd.DataFrame, source_line: str, width: float = 9) -> Figure:
    """Civilians killed per named strike; below, on a scale of its own, each group of strikes and per side the rest of the
    analysed strikes as outlined, dotted bars labelled with their number of strikes, so that no group can be read
    as a single strike or compared with one (from views.per_strike)."""
    single = view[view["kind"] == "strike"]
    several = view[view["kind"] != "strike"]
    panels = [(frame, kind) for frame, kind in ((single, "single"), (several, "several")) if len(frame)]
    heights = [len(frame) + 1.2 for frame, _ in panels] or [1]
    figure = Figure(figsize=(width, 2.6 + 0.55 * sum(heights)), dpi=100)
    panel_axes = figure.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    described = []
    for axes, (frame, kind) in zip(panel_axes, panels):
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        finite = [v for v in frame["civilian_deaths"] if not pd.isna(v)]
        span = max(finite) if finite else 1.0
        positions = np.arange(len(frame))[::-1]
        labels = []
        for position, (_, row) in zip(positions, frame.iterrows()):
            label, text = _strike_row_words(row)
            labels.append(label)
            described.append(f"{label}: {text}")
            colour = SIDE_COLOURS.get(row["side"], NEUTRAL_COLOUR)
            if kind == "single":
                _draw_bar(axes, position, row["civilian_deaths"], row["civilian_deaths_qualifier"], colour, text, span)
                continue
            # Several strikes in one bar: outline only, dotted, never a solid single-strike bar.
            value = row["civilian_deaths"]
            if not pd.isna(value):
                axes.barh(position, value, color="white", edgecolor=colour, linestyle=":", linewidth=1.8, hatch="..")
            axes.text((0 if pd.isna(value) else value) + span * 0.01, position, text, va="center", ha="left", fontsize=9, color=TEXT_COLOUR)
        axes.set_yticks(positions, labels)
        axes.set_ylim(-0.7, len(frame) - 0.3)
        axes.set_xlim(0, span * 2.3)
        axes.tick_params(axis="y", length=0)
        heading = (
            "Single strikes: civilians killed in each"
            if kind == "single"
            else "Several strikes counted together (a scale of its own: not comparable with single strikes)"
        )
        axes.set_title(heading, loc="left", fontsize=9.5, fontweight="bold", color=TEXT_COLOUR)
        axes.set_xlabel("civilians killed", fontsize=8.5)
    note = "Solid bars: one strike. Dotted bars: several strikes whose total is known but not how it splits between them. "
    note += "“(inferred)”: the source does not say who fired; attributed from context."
    if view["civilian_deaths_qualifier"].isin(LOWER_BOUNDS).any():
        note += " " + LOWER_BOUND_NOTE
    return _finish(
        figure,
        "deaths-per-strike",
        "Civilians killed per strike",
        source_line,
        note,
        subtitle=SELECTED_NOT_SAMPLED,
        description="; ".join(described) + "." if described else "No strikes with figures.",
    )


@redrawable
def share_of_conflict_deaths(share: pd.DataFrame, totals: pd.DataFrame, source_line: str, width: float = 9) -> Figure:
    """The conflict's civilian deaths as one bar split into each side's analysed strikes and the rest
    (from views.conflict_share and views.conflict_totals)."""
    stated = totals[totals["measure"] == "civilian_deaths"]
    total_text = format_figure(stated.iloc[0]) if len(stated) else "no total"
    figure, axes = _new_figure(width, 3.3)
    left = 0.0
    described = []
    for _, part in share.iterrows():
        value = part["civilian_deaths"]
        if pd.isna(value):
            continue
        colour = SIDE_COLOURS.get(part["part"], NEUTRAL_COLOUR)
        outside = part["part"] == "outside_analysed_strikes"
        axes.barh(0, value, left=left, color="white" if outside else colour, edgecolor=colour, hatch="\\\\" if outside else None)
        text = f"{share_part_label(part['part'])}:\n{format_value(value, part['civilian_deaths_qualifier'])} ({format_share(part['share'], part['share_qualifier'])})"
        described.append(text.replace(":\n", ": "))
        axes.text(left + value / 2, -0.55, text, ha="center", va="top", fontsize=8.5, color=TEXT_COLOUR)
        left += value
    axes.set_xlim(0, max(left, 1.0))
    axes.set_ylim(-1.6, 0.6)
    axes.set_yticks([])
    axes.set_xlabel(f"civilians killed in the conflict ({total_text} in all, as the source states)")
    return _finish(
        figure,
        "share-of-conflict-deaths",
        "How much of the conflict's civilian toll the analysed strikes cover",
        source_line,
        "Shares are of the stated total.",
        subtitle=SELECTED_NOT_SAMPLED,
        description=f"Civilians killed in the conflict, {total_text} in all, as the source states: " + "; ".join(described) + ".",
    )


@redrawable
def civilians_and_all_deaths(totals: pd.DataFrame, source_line: str, width: float = 8) -> Figure:
    """Civilian deaths against all deaths in the conflict, bounds drawn as bounds (from views.conflict_totals)."""
    figure, axes = _new_figure(width, 2.4)
    labels = {"civilian_deaths": "civilians killed", "deaths_all": "all deaths, civilian and military"}
    stated = [f"{labels[m]}: {format_value(v, q)}" for m, v, q in zip(totals["measure"], totals["value"], totals["qualifier"])]
    _bars(
        axes,
        [labels[m] for m in totals["measure"]],
        list(totals["value"]),
        list(totals["qualifier"]),
        [NEUTRAL_COLOUR] * len(totals),
        [format_value(v, q) for v, q in zip(totals["value"], totals["qualifier"])],
    )
    axes.set_xlabel("people killed in the conflict")
    note = LOWER_BOUND_NOTE if totals["qualifier"].isin(LOWER_BOUNDS).any() else ""
    return _finish(
        figure,
        "civilians-and-all-deaths",
        "Civilians among all deaths of the war",
        source_line,
        note,
        description="; ".join(stated) + "." if stated else "No conflict-wide totals.",
    )


@redrawable
def strike_timeline(dated: pd.DataFrame, per_strike: pd.DataFrame, war: dict, source_line: str, width: float = 9) -> Figure:
    """Every dated strike in the data on a time axis spanning the war, one row per attacking side (from views.dated_strikes).

    Strikes the chosen source gives a toll for are filled and labelled with it; the data's other dated strikes
    (from other sources) are open circles. war (views.war_span) gives the war's first and last day and what
    ended it: the span is shaded and its end marked. The source's strikes and groups without a date (per_strike,
    from views.per_strike) are listed under the chart."""
    undated = per_strike[per_strike["date"].isna()]
    figure, axes = _new_figure(width, 4.4)
    sides = [s for s in SIDE_COLOURS if s in set(dated["side"])]
    rows = {side: 2 * i for i, side in enumerate(sides)}
    described = []
    for side in sides:
        mine = dated[dated["side"] == side].sort_values(["date", "strike_id"])
        for turn, (_, strike) in enumerate(mine.iterrows()):
            y = rows[side]
            colour = SIDE_COLOURS[side]
            label = strike_label(strike, short=True)
            if strike["has_toll"]:
                axes.plot(strike["date"], y, "o", color=colour, markersize=9, zorder=3)
                deaths = format_value(strike["civilian_deaths"], strike["civilian_deaths_qualifier"])
                label += f": {deaths} killed"
            else:
                axes.plot(
                    strike["date"], y, "o", markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.5, markersize=8, zorder=3
                )
            described.append(f"{label} (by {side_label(side)})")
            above = turn % 2 == 0
            annotate_point(
                axes,
                label.replace(", ", "\n", 1),
                (strike["date"], y),
                (0, 10 if above else -13),
                ha="center",
                va="bottom" if above else "top",
                fontsize=8,
            )
    axes.set_yticks([rows[s] for s in sides], [f"by {side_label(s)}" for s in sides])
    axes.set_ylim(-1.3, 2 * max(len(sides), 1) - 0.4)
    axes.tick_params(axis="y", length=0)
    moments = list(dated["date"]) + [d for d in (war.get("start"), war.get("end")) if d is not None and not pd.isna(d)]
    span_text = ""
    if war.get("start") is not None and war.get("end") is not None:
        axes.axvspan(war["start"], war["end"], color="#EEEEEE", zorder=0)
        axes.axvline(war["end"], color="#555555", linestyle="--", linewidth=1)
        ended = war.get("end_label", "")
        axes.text(
            war["end"],
            axes.get_ylim()[1],
            f" {ended}\n {format_date(war['end'], short=True)}".rstrip(),
            va="top",
            ha="left",
            fontsize=8,
            color="#444444",
        )
        span_text = f"Shaded: the war, {format_date(war['start'])} to {format_date(war['end'])}" + (f" ({ended})" if ended else "") + "."
    if moments:
        start, end = min(moments), max(moments)
        pad = max((end - start) / 15, pd.Timedelta(days=2))
        axes.set_xlim(start - pad, end + pad * 2.5)
    locator = matplotlib.dates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    # The year alone under the axis, not "2020-Nov".
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator, offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"]))
    note = "Filled: the source gives the strike's toll. Open: a dated strike in the data, from other sources. " + span_text
    if len(undated):
        listed = "; ".join(
            strike_label(row)
            if row["kind"] == "group of strikes"
            else f"{format_value(row['strikes'], row['strikes_qualifier'])} other strikes by {side_label(row['side'])}"
            for _, row in undated.iterrows()
        )
        note += f" Not shown, as the source gives no date: {listed}."
    return _finish(
        figure,
        "strike-timeline",
        "Dated strikes in the data",
        source_line,
        note.strip(),
        subtitle=SELECTED_NOT_SAMPLED,
        description="; ".join(described) + "." if described else "No dated strikes.",
    )
