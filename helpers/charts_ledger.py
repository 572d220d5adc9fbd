"""The ledger's chart: every source's value per subject, one mark per source, hedges as marker shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .chart_layout import (
    TEXT_COLOUR,
    annotate_point,
    capitalised,
    finish,
    is_narrow,
    lines_inches,
    narrow_label,
    narrow_rows,
    redrawable,
    stack,
    wrap,
)
from .labels import measure_label
from .text_ledger import as_stated as as_stated_words
from .text_ledger import citing, count_date, range_text, subject_label

QUALIFIER_MARKERS = {"exact": "o", "at_least": ">", "more_than": ">", "approx": "D", "at_most": "<"}
AGREEMENT_ORDER = {"disagree": 0, "hedges differ": 1, "compatible": 2, "agree": 3, "one source": 4, "no number": 5}
ORIGINAL_FILL = {"ngo_report": "#333333", "ngo_press_release": "#333333", "official_statement": "#BBBBBB"}


@redrawable
def sources_compared(
    entries: pd.DataFrame, table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str, width: float = 9.2
) -> Figure:
    """Reported values per subject, one panel per subject and one mark per source, the range from the lowest
    to the highest value shaded (from views.ledger_entries and analysis.ledger). Marker shape is the hedge;
    fill is who the number comes from in the end (an NGO's study, an official count, another original).

    Wide, the sources are named in a column left of their marks, each value written beside its mark; narrow, each
    source's name and value are written above its row of marks."""
    narrow = is_narrow(width)
    # Subjects where sources differ come first: they are what the chart is for.
    rank = table["agreement"].map(AGREEMENT_ORDER).fillna(len(AGREEMENT_ORDER))
    rows = table.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)
    per_subject = [
        entries[entries["subject_id"] == subject_id].sort_values(["value", "source_id"], na_position="last")
        for subject_id in rows["subject_id"]
    ]
    heights = [len(mine) + 1.6 for mine in per_subject] or [1]
    figure = Figure(figsize=(width, 2.9 + 0.24 * sum(heights)), dpi=100)
    described = []
    panel_inches = []
    publishers = sources.set_index("source_id")["publisher"]
    grid = figure.add_gridspec(len(heights), 1, height_ratios=heights)
    for index, ((_, row), mine) in enumerate(zip(rows.iterrows(), per_subject)):
        axes = figure.add_subplot(grid[index])
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        numbers = mine["value"].fillna(mine["vague_floor"]).dropna()
        # All zeros or no number: a scale of one, so that the axis is not empty.
        top = float(numbers.max()) if len(numbers) and numbers.max() > 0 else 1.0
        if len(numbers) > 1 and numbers.min() != numbers.max():
            axes.axvspan(numbers.min(), numbers.max(), color="#E6E6E6", zorder=0)
        stated = list(as_stated_words(mine))
        cites = citing(mine, sources)
        details = (cites.where(cites == "", cites + ", ") + mine["dated"].map(count_date)).str.strip(", ")
        who = mine["source_id"].map(publishers) + details.where(details == "", ", " + details)
        label, measure = capitalised(subject_label(row, sources, strikes)), measure_label(row["measure"])
        described.append(
            f"{label}, {measure}: {range_text(row)} ({row['agreement']}); " + "; ".join(f"{v} ({w})" for v, w in zip(stated, who))
        )
        names = list(mine["source_id"].map(publishers) + details.where(details == "", " (" + details + ")"))
        heading = f"{label}: {measure}, {range_text(row)} ({row['agreement']})"
        if narrow:
            # Room past the highest mark for the mark itself: the values are written above the rows.
            axes.set_xlim(0, top * 1.1)
            texts = [f"{name}: {value}" for name, value in zip(names, stated)]
            draws = [lambda y, _, axes=axes, entry=entry: _mark(axes, entry, y, "") for _, entry in mine.iterrows()]
            panel_inches.append(narrow_rows(axes, texts, draws, width, fontsize=7.5, bar=0.12, gap=0.06))
            narrow_label(axes, axes.set_title, heading, width, loc="left", fontsize=8.5, fontweight="bold", color=TEXT_COLOUR)
        else:
            # The names' column is at most 40% of the figure: a longer name takes two lines, and its row more room
            # (rows are measured in inches down from the top, like a narrow chart's).
            names = [wrap(name, 7.5, width * 0.4) for name in names]
            extents = np.array([max(0.24, lines_inches(name, 7.5) + 0.06) for name in names])
            positions = np.array(extents) / 2 - np.cumsum(extents)
            for position, (_, entry), as_stated in zip(positions, mine.iterrows(), stated):
                _mark(axes, entry, position, as_stated)
            axes.set_yticks(positions, names, fontsize=7.5)
            axes.set_ylim(-extents.sum() - 0.08, 0.08)
            panel_inches.append(extents.sum() + 0.16)
            # Room right of the highest mark for its value as stated.
            axes.set_xlim(0, top * 1.45)
            # The heading starts where the axes do, right of the names (at most 40% of the width, and margins): wrapped
            # so that it ends inside the figure.
            axes.set_title(wrap(heading, 8.5, width * 0.58, "bold"), loc="left", fontsize=8.5, fontweight="bold", color=TEXT_COLOUR)
        axes.tick_params(axis="x", labelsize=7.5)
    note = "One mark per source; shading spans the lowest to the highest value reported. Subjects where sources differ come first."
    title = "What each source says: reported values per subject"
    finish(
        figure,
        "sources-compared",
        title,
        source_line,
        note,
        plot_inches=stack(figure, figure.axes, panel_inches) if panel_inches else None,
        header_inches=LEGEND_INCHES[narrow],
    )
    _legend(figure, width)
    figure.description = f"Chart: {title}. " + " ".join(f"{d}." for d in described) + " " + source_line
    return figure


def _mark(axes, entry: pd.Series, y: float, as_stated: str) -> None:
    """A source's mark: its shape the hedge, its fill whose number it is; a vague word drawn at the least it means,
    as a lower bound; with its value as stated beside it when given."""
    if not pd.isna(entry["vague_floor"]):
        axes.scatter(entry["vague_floor"], y, marker=">", s=45, facecolor="white", edgecolor="#222222", linewidth=1, zorder=3)
        if as_stated:
            annotate_point(axes, as_stated, (entry["vague_floor"], y), (7, 0), va="center", fontsize=7.5)
        return
    if pd.isna(entry["value"]):
        if as_stated:
            axes.text(0, y, f"  {as_stated}", va="center", fontsize=7.5, style="italic", color=TEXT_COLOUR)
        return
    marker = QUALIFIER_MARKERS.get(entry["qualifier"], "o")
    fill = ORIGINAL_FILL.get(entry["original_kind"], "white")
    axes.scatter(entry["value"], y, marker=marker, s=45, facecolor=fill, edgecolor="#222222", linewidth=1, zorder=3)
    if as_stated:
        annotate_point(axes, as_stated, (entry["value"], y), (7, 0), va="center", fontsize=7.5)


# The legend's height, wide (two rows of four) and narrow (two columns, shapes and fills), in inches.
LEGEND_INCHES = {False: 0.45, True: 0.85}


def _legend(figure: Figure, width: float) -> None:
    """The legend on the chart itself, under the title: marker shape is the hedge, fill is whose number it is in the end."""
    narrow = is_narrow(width)
    lower = "lower bound\n(“at least”, “more than”)" if narrow else "lower bound (“at least”, “more than”)"
    handles = [
        Line2D([], [], linestyle="", marker=marker, markersize=7, markerfacecolor="white", markeredgecolor="#222222", label=label)
        for marker, label in (("o", "exact"), (">", lower), ("D", "approximate"), ("<", "upper bound"))
    ] + [
        Line2D([], [], linestyle="", marker="s", markersize=8, markerfacecolor=fill, markeredgecolor="#222222", label=label)
        for fill, label in (("#333333", "from an NGO's study"), ("#BBBBBB", "from an official count"), ("white", "from another original"))
    ]
    height = figure.get_figheight()
    # Under the title's lines (0.2 in each after the first, as finish sets them), in the room finish kept for it.
    title_lines = figure.get_suptitle().count("\n")
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1 - (0.4 + 0.2 * title_lines) / height),
        ncols=2 if narrow else 4,
        fontsize=7.5,
        frameon=False,
        handletextpad=0.3,
        columnspacing=1.0 if narrow else 1.2,
    )
