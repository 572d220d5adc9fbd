"""The charts per strike: civilians killed in each strike, and the dated strikes on a time line.

At a phone's width each strike's label and toll are written above its bar, and the time line numbers its strikes
and lists them under the axis, so that labels of strikes days apart cannot collide.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .bounds import LOWER_BOUNDS
from .chart_layout import (
    LOWER_BOUND_NOTE,
    NARROW_MARGINS,
    NEUTRAL_COLOUR,
    POINTS_PER_INCH,
    SELECTED_NOT_SAMPLED,
    SIDE_COLOURS,
    TEXT_COLOUR,
    annotate_point,
    draw_bar,
    finish,
    is_narrow,
    lines_inches,
    narrow_label,
    narrow_rows,
    new_figure,
    redrawable,
    stack,
    text_inches,
    wrap,
)
from .labels import NO_NUMBER, format_date, format_value, side_label, strike_label


def _strike_row_words(row: pd.Series) -> tuple[str, str]:
    """A per-strike row's label and the text at its bar's end."""
    deaths = format_value(row["civilian_deaths"], row["civilian_deaths_qualifier"])
    attacker = f"{side_label(row['side'])}{' (inferred)' if row['side_basis'] == 'inferred' else ''}"
    if row["kind"] == "strike":
        text = f"{deaths} killed · {attacker}" if deaths != NO_NUMBER else f"deaths: {NO_NUMBER} · {attacker}"
        return strike_label(row, short=True), text
    count = format_value(row["strikes"], row["strikes_qualifier"])
    noun = "strike" if row["strikes"] == 1 and row["strikes_qualifier"] == "exact" else "strikes"
    label = strike_label(row, short=True) if row["kind"] == "group of strikes" else f"{count} other strikes by {side_label(row['side'])}"
    attacker = f" · {attacker}" if row["kind"] == "group of strikes" else ""
    if deaths == NO_NUMBER:
        return label, f"deaths: {NO_NUMBER}, across {count} {noun}{attacker}"
    return label, f"{deaths} killed across {count} {noun}, split unknown{attacker}"


@redrawable
def deaths_per_strike(view: pd.DataFrame, source_line: str, width: float = 9) -> Figure:
    """Civilians killed per named strike; below, on a scale of its own, each group of strikes and per side the rest of the
    analysed strikes as outlined, dotted bars labelled with their number of strikes, so that no group can be read
    as a single strike or compared with one (from views.per_strike)."""
    single = view[view["kind"] == "strike"]
    several = view[view["kind"] != "strike"]
    panels = [(frame, kind) for frame, kind in ((single, "single"), (several, "several")) if len(frame)]
    narrow = is_narrow(width)
    heights = [len(frame) + 1.2 for frame, _ in panels] or [1]
    figure = Figure(figsize=(width, 2.6 + 0.55 * sum(heights)), dpi=100)
    panel_axes = figure.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    described = []
    panel_inches = []
    # The labels' column, beside both panels in a wide chart (10-point tick labels).
    column = max((text_inches(_strike_row_words(row)[0], 10) for _, row in view.iterrows()), default=0)
    for axes, (frame, kind) in zip(panel_axes, panels):
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        finite = [v for v in frame["civilian_deaths"] if not pd.isna(v)]
        span = max(finite, default=0) or 1.0  # all zeros or no number: a scale of one
        words = [_strike_row_words(row) for _, row in frame.iterrows()]
        described += [f"{label}: {text}" for label, text in words]
        draws = [_strike_bar(axes, row, kind, span) for _, row in frame.iterrows()]
        heading = (
            "Single strikes: civilians killed in each"
            if kind == "single"
            else "Several strikes counted together (a scale of its own: not comparable with single strikes)"
        )
        style = {"loc": "left", "fontsize": 9.5, "fontweight": "bold", "color": TEXT_COLOUR}
        if narrow:
            # Room past the longest bar for a lower bound's arrow only: the texts are above the bars.
            axes.set_xlim(0, span * 1.12)
            panel_inches.append(narrow_rows(axes, [f"{label}\n{text}" for label, text in words], draws, width))
            narrow_label(axes, axes.set_title, heading, width, **style)
            narrow_label(axes, axes.set_xlabel, "civilians killed", width, fontsize=8.5)
            continue
        positions = np.arange(len(frame))[::-1]
        # A text longer than the room past its bar takes two lines (or more), each at least half the axes wide.
        axes_inches = width - column - 0.5
        texts = [
            text if text_inches(text, 9) <= room else wrap(text, 9, max(room, axes_inches / 2))
            for (_, text), room in zip(words, axes_inches * (1 - (frame["civilian_deaths"].fillna(0) + span * 0.08) / (span * 2.3)) - 0.1)
        ]
        for position, draw, text in zip(positions, draws, texts):
            draw(position, 0.8, text)
        axes.set_yticks(positions, [label for label, _ in words])
        axes.set_ylim(-0.7, len(frame) - 0.3)
        axes.set_xlim(0, _room_for_texts(frame["civilian_deaths"], texts, span, axes_inches))
        axes.tick_params(axis="y", length=0)
        # The heading starts where the axes do, right of the labels: wrapped so that it ends inside the figure.
        axes.set_title(wrap(heading, 9.5, axes_inches, "bold"), **style)
        axes.set_xlabel("civilians killed", fontsize=8.5)
    if narrow and not panels:
        panel_inches.append(narrow_rows(panel_axes[0], [], [], width))  # nothing to draw: an empty strip
    note = "Solid bars: one strike. Dotted bars: several strikes whose total is known but not how it splits between them. "
    note += "“(inferred)”: the source does not say who fired; attributed from context."
    if view["civilian_deaths_qualifier"].isin(LOWER_BOUNDS).any():
        note += " " + LOWER_BOUND_NOTE
    return finish(
        figure,
        "deaths-per-strike",
        "Civilians killed per strike",
        source_line,
        note,
        subtitle=SELECTED_NOT_SAMPLED,
        description="; ".join(described) + "." if described else "No strikes with figures.",
        plot_inches=stack(figure, list(panel_axes), panel_inches) if panel_inches else None,
    )


def _room_for_texts(values: pd.Series, texts: list[str], span: float, axes_inches: float) -> float:
    """The axis's end in a wide chart: 2.3 times its longest bar, more where a text at a bar's end would run past it.
    axes_inches: about how wide the axes are drawn."""
    end = span * 2.3
    for value, text in zip(values.fillna(0), texts):
        free = axes_inches - text_inches(text, 9) - 0.1
        if free > 0:
            end = max(end, (value + span * 0.08) * axes_inches / free)
    return end


def _strike_bar(axes, row: pd.Series, kind: str, span: float):
    """A function drawing the row's bar at (y, thickness), with a text at its end when given one."""
    colour = SIDE_COLOURS.get(row["side"], NEUTRAL_COLOUR)
    value = row["civilian_deaths"]

    def draw(y: float, thickness: float, text: str = "") -> None:
        if kind == "single":
            draw_bar(axes, y, value, row["civilian_deaths_qualifier"], colour, text, span, thickness)
            return
        # Several strikes in one bar: outline only, dotted, never a solid single-strike bar.
        if not pd.isna(value):
            axes.barh(y, value, height=thickness, color="white", edgecolor=colour, linestyle=":", linewidth=1.8, hatch="..")
        if text:
            axes.text((0 if pd.isna(value) else value) + span * 0.01, y, text, va="center", ha="left", fontsize=9, color=TEXT_COLOUR)

    return draw


# The size of a wide time line's labels: the smallest the charts use, so that strikes days apart keep their labels apart.
LABEL_POINTS = 7.5


@redrawable
def strike_timeline(dated: pd.DataFrame, per_strike: pd.DataFrame, war: dict, source_line: str, width: float = 9) -> Figure:
    """Every dated strike in the data on a time axis spanning the war, one row per attacking side (from views.dated_strikes).

    Strikes the chosen source gives a toll for are filled and labelled with it; the data's other dated strikes
    (from other sources) are open circles. war (views.war_span) gives the war's first and last day and what
    ended it: the span is shaded and its end marked. The source's strikes and groups without a date (per_strike,
    from views.per_strike) are listed under the chart."""
    undated = per_strike[per_strike["date"].isna()]
    figure, axes = new_figure(width, 4.4)
    sides = [s for s in SIDE_COLOURS if s in set(dated["side"])]
    moments = list(dated["date"]) + [d for d in (war.get("start"), war.get("end")) if d is not None and not pd.isna(d)]
    if moments:
        start, end = min(moments), max(moments)
        pad = max((end - start) / 15, pd.Timedelta(days=2))
        axes.set_xlim(start - pad, end + pad * 2.5)
    # In time order, so that a numbered list reads as the war went.
    strikes = dated[dated["side"].isin(sides)].sort_values(["date", "strike_id"]).reset_index(drop=True)
    labels = [_timeline_label(strike) for _, strike in strikes.iterrows()]
    described = [f"{label} (by {side_label(side)})" for label, side in zip(labels, strikes["side"])]
    # Beside the rows' labels a wide axis is about 1.6 in narrower than the figure; a narrow one has no such column.
    inches = _inches_along(axes, strikes["date"], width - (NARROW_MARGINS if is_narrow(width) else 1.6))
    numbered = is_narrow(width) or not _labels_fit(strikes, labels, inches)
    plot_inches = _numbered_timeline(figure, axes, strikes, labels, inches, sides, width) if numbered else None
    if not numbered:
        rows = {side: 2 * i for i, side in enumerate(sides)}
        for side in sides:
            for turn, index in enumerate(strikes.index[strikes["side"] == side]):
                _timeline_mark(axes, strikes.loc[index], rows[side])
                above = turn % 2 == 0
                point = (strikes.loc[index, "date"], rows[side])
                style = {"ha": "center", "va": "bottom" if above else "top", "fontsize": LABEL_POINTS}
                annotate_point(axes, labels[index].replace(", ", "\n", 1), point, (0, 10 if above else -13), **style)
        axes.set_yticks([rows[s] for s in sides], [f"by {side_label(s)}" for s in sides])
        axes.set_ylim(-1.3, 2 * max(len(sides), 1) - 0.4)
        axes.tick_params(axis="y", length=0)
    span_text = ""
    if war.get("start") is not None and war.get("end") is not None:
        axes.axvspan(war["start"], war["end"], color="#EEEEEE", zorder=0)
        axes.axvline(war["end"], color="#555555", linestyle="--", linewidth=1)
        ended = war.get("end_label", "")
        # Numbered, the end is marked left of its line, in a band kept for it above the rows: the room right of it is narrow.
        axes.text(
            war["end"],
            axes.get_ylim()[1],
            f" {ended}\n {format_date(war['end'], short=True)}".rstrip() + (" " if numbered else ""),
            va="top",
            ha="right" if numbered else "left",
            fontsize=8,
            color="#444444",
        )
        span_text = f"Shaded: the war, {format_date(war['start'])} to {format_date(war['end'])}" + (f" ({ended})" if ended else "") + "."
    locator = date_locator(is_narrow(width))
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
    return finish(
        figure,
        "strike-timeline",
        "Dated strikes in the data",
        source_line,
        note.strip(),
        subtitle=SELECTED_NOT_SAMPLED,
        description="; ".join(described) + "." if described else "No dated strikes.",
        plot_inches=plot_inches,
    )


def _timeline_label(strike: pd.Series) -> str:
    label = strike_label(strike, short=True)
    if strike["has_toll"]:
        label += f": {format_value(strike['civilian_deaths'], strike['civilian_deaths_qualifier'])} killed"
    return label


def _timeline_mark(axes, strike: pd.Series, y: float) -> None:
    """Filled where the source gives the strike's toll, open where the strike is only in the data."""
    colour = SIDE_COLOURS[strike["side"]]
    if strike["has_toll"]:
        axes.plot(strike["date"], y, "o", color=colour, markersize=9, zorder=3)
    else:
        axes.plot(strike["date"], y, "o", markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.5, markersize=8, zorder=3)


def _inches_along(axes, dates: pd.Series, inches: float) -> list[float]:
    """Each date's distance from the axis's start, in inches, on an axis about that long."""
    low, high = axes.get_xlim()
    days = matplotlib.dates.date2num(dates) if len(dates) else []
    return [(day - low) / (high - low) * inches for day in days]


def _labels_fit(strikes: pd.DataFrame, labels: list[str], inches: list[float]) -> bool:
    """Whether labels written in turn above and below each side's row leave every label clear of the next on its side."""
    for side in set(strikes["side"]):
        mine = list(strikes.index[strikes["side"] == side])
        for first, second in zip(mine, mine[2:]):
            halves = sum(text_inches(labels[i].replace(", ", "\n", 1), LABEL_POINTS) for i in (first, second)) / 2
            if inches[second] - inches[first] < halves + 0.02:
                return False
    return True


def _numbered_timeline(figure, axes, strikes, labels, inches, sides, width) -> float:
    """Each strike a numbered mark, the numbers stacked in tiers wherever they would touch, and under the axis the
    numbered list of their labels. y is in inches down from the axes' top; returns the height the axes and the
    list need (finish's plot_inches)."""
    y = 0.32  # a band for the war's end
    tier_inches = 0.14
    for side in sides:
        axes.text(axes.get_xlim()[0], -y, f"by {side_label(side)}", va="top", ha="left", fontsize=9, color=TEXT_COLOUR)
        ends: list[float] = []  # per tier, where its last number ends
        tiers = {}
        for index in strikes.index[strikes["side"] == side]:
            half = text_inches(str(index + 1), 8) / 2 + 0.03
            tier = next((t for t, right in enumerate(ends) if right < inches[index] - half), len(ends))
            ends[tier : tier + 1] = [inches[index] + half]
            tiers[index] = tier
        line = y + 0.2 + tier_inches * len(ends) + 0.1
        for index, tier in tiers.items():
            strike = strikes.loc[index]
            _timeline_mark(axes, strike, -line)
            annotate_point(
                axes,
                str(index + 1),
                (strike["date"], -line),
                (0, 7 + tier * tier_inches * POINTS_PER_INCH),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        y = line + 0.2
    axes.set_ylim(-y, 0)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    # The list: a number and its strike's label, one under the other.
    key = figure.add_axes((0, 0, 1, 0.1))
    key.set_axis_off()
    key.set_xlim(0, width)
    listed = 0.0
    for number, label in enumerate(labels, start=1):
        wrapped = wrap(label, 8.5, width - NARROW_MARGINS - 0.3)
        key.text(0.05, -listed, str(number), ha="left", va="top", fontsize=8.5, fontweight="bold", color=TEXT_COLOUR)
        key.text(0.3, -listed, wrapped, ha="left", va="top", fontsize=8.5, color=TEXT_COLOUR)
        listed += lines_inches(wrapped, 8.5) + 0.03
    listed = max(listed, 0.01)  # no strikes: no list
    key.set_ylim(-listed, 0)
    return stack(figure, [axes, key], [y, listed])


def date_locator(narrow: bool) -> matplotlib.dates.AutoDateLocator:
    """At most 4 dates under a narrow axis, 8 under a wide one. The least is kept low, and a narrow axis may step by a
    year of months: else a span of some months or years gets a unit none of whose steps fits the most (60 months in
    8 ticks, 22 in 4), and matplotlib warns (tests/test_chart_layout.py tries spans from a day to a century)."""
    locator = matplotlib.dates.AutoDateLocator(minticks=2 if narrow else 3, maxticks=4 if narrow else 8)
    months = matplotlib.dates.MONTHLY
    locator.intervald[months] = [*locator.intervald[months], int(matplotlib.dates.MONTHS_PER_YEAR)]
    return locator
