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
    NEUTRAL_COLOUR,
    SELECTED_NOT_SAMPLED,
    SIDE_COLOURS,
    TEXT_COLOUR,
    annotate_point,
    draw_bar,
    finish,
    is_narrow,
    narrow_label,
    narrow_rows,
    new_figure,
    redrawable,
    wrap,
)
from .labels import format_date, format_value, side_label, strike_label


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
    narrow = is_narrow(width)
    heights = [len(frame) + 1.2 for frame, _ in panels] or [1]
    figure = Figure(figsize=(width, 2.6 + 0.55 * sum(heights)), dpi=100)
    panel_axes = figure.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    described = []
    panel_inches = []
    for axes, (frame, kind) in zip(panel_axes, panels):
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        finite = [v for v in frame["civilian_deaths"] if not pd.isna(v)]
        span = max(finite) if finite else 1.0
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
        for position, draw, (_, text) in zip(positions, draws, words):
            draw(position, 0.8, text)
        axes.set_yticks(positions, [label for label, _ in words])
        axes.set_ylim(-0.7, len(frame) - 0.3)
        axes.set_xlim(0, span * 2.3)
        axes.tick_params(axis="y", length=0)
        # The heading starts where the axes do, right of the labels: wrapped so that it ends inside the figure.
        axes.set_title(wrap(heading, 9.5, width * 0.55, "bold"), **style)
        axes.set_xlabel("civilians killed", fontsize=8.5)
    if narrow:
        grid = figure.add_gridspec(len(panel_inches), 1, height_ratios=panel_inches)
        for index, axes in enumerate(panel_axes):
            axes.set_subplotspec(grid[index])
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
        plot_inches=sum(panel_inches) if narrow else None,
    )


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
    return finish(
        figure,
        "strike-timeline",
        "Dated strikes in the data",
        source_line,
        note.strip(),
        subtitle=SELECTED_NOT_SAMPLED,
        description="; ".join(described) + "." if described else "No dated strikes.",
    )
