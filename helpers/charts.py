"""One function per chart, each returning a matplotlib Figure with a source line under it.

Figures are built without pyplot, so nothing is shown twice in a notebook
and nothing depends on a global state. How a number is drawn follows its
qualifier: exact values are solid bars; lower bounds ("more than",
"at least") are hatched, open bars with an arrow past their end; upper
bounds are outlined only; a number the source does not give is no bar at
all but a written "no number given". Each chart is laid out for its width:
at a phone's (chart_layout.PHONE_WIDTH) labels and values are written above
the bars, not in a column beside them. The charts per strike are in
charts_strikes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .bounds import LOWER_BOUNDS
from .chart_layout import (
    LOWER_BOUND_NOTE,
    NARROW_MARGINS,
    NEUTRAL_COLOUR,
    PHONE_WIDTH,
    SELECTED_NOT_SAMPLED,
    SIDE_COLOURS,
    TEXT_COLOUR,
    annotate_point,
    capitalised,
    draw_bar,
    finish,
    is_narrow,
    lines_inches,
    narrow_label,
    narrow_rows,
    new_figure,
    redrawable,
    stack,
    wrap,
)
from .labels import format_figure, format_share, format_value, share_part_label, side_label

# The names the notebooks and charts_ledger import from here.
__all__ = [
    "PHONE_WIDTH",
    "SELECTED_NOT_SAMPLED",
    "SIDE_COLOURS",
    "TEXT_COLOUR",
    "annotate_point",
    "capitalised",
    "civilian_deaths_by_side",
    "civilians_and_all_deaths",
    "deaths_per_strike",
    "redrawable",
    "share_of_conflict_deaths",
    "strike_timeline",
]


def _bars(axes, labels: list[str], values: list[float], qualifiers: list[str], colours: list[str], texts: list[str], width: float):
    """One bar per label, each with its text. Wide: labels in a column on the left, texts at the bars' ends (returns
    None). Narrow: label and text above each bar (returns the rows' height in inches, for finish)."""
    finite = [v for v in values if not pd.isna(v)]
    span = max(finite, default=0) or 1.0  # all zeros or no number: a scale of one
    if is_narrow(width):
        # Room past the longest bar for a lower bound's arrow only: its text is above it.
        axes.set_xlim(0, span * 1.12)
        draws = [
            lambda y, thickness, v=v, q=q, c=c: draw_bar(axes, y, v, q, c, "", span, thickness)
            for v, q, c in zip(values, qualifiers, colours)
        ]
        return narrow_rows(axes, [f"{label}\n{text}" for label, text in zip(labels, texts)], draws, width)
    positions = np.arange(len(labels))[::-1]
    for position, value, qualifier, colour, text in zip(positions, values, qualifiers, colours, texts):
        draw_bar(axes, position, value, qualifier, colour, text, span)
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, span * 1.45)
    axes.tick_params(axis="y", length=0)
    return None


def _axis_label(axes, label: str, width: float) -> None:
    if is_narrow(width):
        narrow_label(axes, axes.set_xlabel, label, width)
    else:
        axes.set_xlabel(label)


@redrawable
def civilian_deaths_by_side(view: pd.DataFrame, source_line: str, width: float = 8) -> Figure:
    """Civilians killed in the analysed strikes, one bar per attacking side (from views.by_side)."""
    figure, axes = new_figure(width, 2.0 + 0.6 * max(len(view), 1))
    texts = [
        f"{format_value(d, dq)} killed in {format_value(s, sq)} strikes"
        for d, dq, s, sq in zip(view["civilian_deaths"], view["civilian_deaths_qualifier"], view["strikes"], view["strikes_qualifier"])
    ]
    plot_inches = _bars(
        axes,
        [f"strikes by {side_label(s)}" for s in view["side"]],
        list(view["civilian_deaths"]),
        list(view["civilian_deaths_qualifier"]),
        [SIDE_COLOURS.get(s, NEUTRAL_COLOUR) for s in view["side"]],
        texts,
        width,
    )
    _axis_label(axes, "civilians killed in the analysed strikes", width)
    note = LOWER_BOUND_NOTE if view["civilian_deaths_qualifier"].isin(LOWER_BOUNDS).any() else ""
    shown = "; ".join(f"strikes by {side_label(s)}: {t}" for s, t in zip(view["side"], texts))
    return finish(
        figure,
        "civilian-deaths-by-side",
        "Civilians killed in the analysed strikes, by attacking side",
        source_line,
        note,
        subtitle=SELECTED_NOT_SAMPLED,
        description=f"{shown}." if shown else "No per-side figures.",
        plot_inches=plot_inches,
    )


@redrawable
def share_of_conflict_deaths(share: pd.DataFrame, totals: pd.DataFrame, source_line: str, width: float = 9) -> Figure:
    """The conflict's civilian deaths as one bar split into each side's analysed strikes and the rest
    (from views.conflict_share and views.conflict_totals)."""
    stated = totals[totals["measure"] == "civilian_deaths"]
    total_text = format_figure(stated.iloc[0]) if len(stated) else "no total"
    narrow = is_narrow(width)
    figure, axes = new_figure(width, 3.3)
    if narrow:
        # One bar across the phone's width, and under it a key: a swatch and a text per part, one below the other.
        key = figure.add_axes((0, 0, 1, 0.1))
        key.set_axis_off()
        key.set_xlim(0, width)
    left = 0.0
    key_inches = 0.0
    described = []
    for _, part in share.iterrows():
        value = part["civilian_deaths"]
        if pd.isna(value):
            continue
        colour = SIDE_COLOURS.get(part["part"], NEUTRAL_COLOUR)
        outside = part["part"] == "outside_analysed_strikes"
        look = {"facecolor": "white" if outside else colour, "edgecolor": colour, "hatch": "\\\\" if outside else None}
        axes.barh(0, value, left=left, **look)
        text = f"{share_part_label(part['part'])}:\n{format_value(value, part['civilian_deaths_qualifier'])} ({format_share(part['share'], part['share_qualifier'])})"
        described.append(text.replace(":\n", ": "))
        if narrow:
            wrapped = "\n".join(wrap(line, 8.5, width - NARROW_MARGINS - 0.35) for line in text.split("\n"))
            key.add_patch(Rectangle((0.05, -key_inches - 0.18), 0.25, 0.18, **look))
            key.text(0.4, -key_inches, wrapped, ha="left", va="top", fontsize=8.5, color=TEXT_COLOUR)
            key_inches += lines_inches(wrapped, 8.5) + 0.1
        else:
            axes.text(left + value / 2, -0.55, text, ha="center", va="top", fontsize=8.5, color=TEXT_COLOUR)
        left += value
    axes.set_xlim(0, max(left, 1.0))
    axes.set_ylim(*((-0.5, 0.5) if narrow else (-1.6, 0.6)))
    axes.set_yticks([])
    _axis_label(axes, f"civilians killed in the conflict ({total_text} in all, as the source states)", width)
    plot_inches = None
    if narrow:
        key_inches = max(key_inches, 0.01)  # no parts: no key
        key.set_ylim(-key_inches, 0)
        axes.xaxis.set_major_locator(MaxNLocator(4))
        # The bar 0.4 in high, the key as high as its texts; finish makes the axes that high together.
        plot_inches = stack(figure, [axes, key], [0.4, key_inches])
    return finish(
        figure,
        "share-of-conflict-deaths",
        "How much of the conflict's civilian toll the analysed strikes cover",
        source_line,
        "Shares are of the stated total.",
        subtitle=SELECTED_NOT_SAMPLED,
        description=f"Civilians killed in the conflict, {total_text} in all, as the source states: " + "; ".join(described) + ".",
        plot_inches=plot_inches,
    )


@redrawable
def civilians_and_all_deaths(totals: pd.DataFrame, source_line: str, width: float = 8) -> Figure:
    """Civilian deaths against all deaths in the conflict, bounds drawn as bounds (from views.conflict_totals)."""
    figure, axes = new_figure(width, 2.4)
    labels = {"civilian_deaths": "civilians killed", "deaths_all": "all deaths, civilian and military"}
    stated = [f"{labels[m]}: {format_value(v, q)}" for m, v, q in zip(totals["measure"], totals["value"], totals["qualifier"])]
    plot_inches = _bars(
        axes,
        [labels[m] for m in totals["measure"]],
        list(totals["value"]),
        list(totals["qualifier"]),
        [NEUTRAL_COLOUR] * len(totals),
        [format_value(v, q) for v, q in zip(totals["value"], totals["qualifier"])],
        width,
    )
    _axis_label(axes, "people killed in the conflict", width)
    note = LOWER_BOUND_NOTE if totals["qualifier"].isin(LOWER_BOUNDS).any() else ""
    return finish(
        figure,
        "civilians-and-all-deaths",
        "Civilians among all deaths of the war",
        source_line,
        note,
        description="; ".join(stated) + "." if stated else "No conflict-wide totals.",
        plot_inches=plot_inches,
    )


# Defined apart to keep each module short; importable from here, as the notebooks do.
from .charts_strikes import deaths_per_strike, strike_timeline  # noqa: E402
