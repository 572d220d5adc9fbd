"""The ledger's chart: every source's value per subject, one mark per source, hedges as marker shapes."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .charts import TEXT_COLOUR, annotate_point, capitalised, redrawable
from .labels import measure_label
from .text_ledger import as_stated as as_stated_words
from .text_ledger import citing, count_date, range_text, subject_label

QUALIFIER_MARKERS = {"exact": "o", "at_least": ">", "more_than": ">", "approx": "D", "at_most": "<"}
AGREEMENT_ORDER = {"disagree": 0, "hedges differ": 1, "compatible": 2, "agree": 3, "one source": 4, "no number": 5}
ORIGINAL_FILL = {"ngo_report": "#333333", "ngo_press_release": "#333333", "official_statement": "#BBBBBB"}


@redrawable
def sources_compared(
    entries: pd.DataFrame, table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str, width: float = 10
) -> Figure:
    """Reported values per subject, one panel per subject and one mark per source, the range from the lowest
    to the highest value shaded (from views.ledger_entries and analysis.ledger). Marker shape is the hedge;
    fill is who the number comes from in the end (an NGO's study, an official count, another original)."""
    # Subjects where sources differ come first: they are what the chart is for.
    rank = table["agreement"].map(AGREEMENT_ORDER).fillna(len(AGREEMENT_ORDER))
    rows = table.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)
    per_subject = [
        entries[entries["subject_id"] == subject_id].sort_values(["value", "source_id"], na_position="last")
        for subject_id in rows["subject_id"]
    ]
    heights = [len(mine) + 1.6 for mine in per_subject] or [1]
    figure = Figure(figsize=(width, 2.9 + 0.24 * sum(heights)), dpi=100, label="sources-compared")
    described = []
    publishers = sources.set_index("source_id")["publisher"]
    grid = figure.add_gridspec(len(heights), 1, height_ratios=heights, hspace=0.9)
    for index, ((_, row), mine) in enumerate(zip(rows.iterrows(), per_subject)):
        axes = figure.add_subplot(grid[index])
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        positions = np.arange(len(mine))[::-1]
        numbers = mine["value"].fillna(mine["vague_floor"]).dropna()
        top = float(numbers.max()) if len(numbers) else 1.0
        if len(numbers) > 1 and numbers.min() != numbers.max():
            axes.axvspan(numbers.min(), numbers.max(), color="#E6E6E6", zorder=0)
        stated = as_stated_words(mine)
        for position, (_, entry), as_stated in zip(positions, mine.iterrows(), stated):
            if not pd.isna(entry["vague_floor"]):
                # A vague word is drawn at the least it means, as a lower bound.
                axes.scatter(
                    entry["vague_floor"], position, marker=">", s=45, facecolor="white", edgecolor="#222222", linewidth=1, zorder=3
                )
                annotate_point(axes, as_stated, (entry["vague_floor"], position), (7, 0), va="center", fontsize=7.5)
                continue
            if pd.isna(entry["value"]):
                axes.text(0, position, f"  {as_stated}", va="center", fontsize=7.5, style="italic", color=TEXT_COLOUR)
                continue
            axes.scatter(
                entry["value"],
                position,
                marker=QUALIFIER_MARKERS.get(entry["qualifier"], "o"),
                s=45,
                facecolor=ORIGINAL_FILL.get(entry["original_kind"], "white"),
                edgecolor="#222222",
                linewidth=1,
                zorder=3,
            )
            annotate_point(axes, as_stated, (entry["value"], position), (7, 0), va="center", fontsize=7.5)
        cites = citing(mine, sources)
        details = (cites.where(cites == "", cites + ", ") + mine["dated"].map(count_date)).str.strip(", ")
        who = mine["source_id"].map(publishers) + details.where(details == "", ", " + details)
        described.append(
            f"{capitalised(subject_label(row, sources, strikes))}, {measure_label(row['measure'])}: {range_text(row)} ({row['agreement']}); "
            + "; ".join(f"{v} ({w})" for v, w in zip(stated, who))
        )
        axes.set_yticks(
            positions, list(mine["source_id"].map(publishers) + details.where(details == "", " (" + details + ")")), fontsize=7.5
        )
        axes.set_ylim(-0.7, len(mine) - 0.3)
        axes.set_xlim(0, top * 1.3)
        axes.tick_params(axis="x", labelsize=7.5)
        axes.set_title(
            textwrap.fill(
                f"{capitalised(subject_label(row, sources, strikes))}: {measure_label(row['measure'])}, {range_text(row)} ({row['agreement']})",
                80,
            ),
            loc="left",
            fontsize=8.5,
            fontweight="bold",
            color=TEXT_COLOUR,
        )
    note = "One mark per source; shading spans the lowest to the highest value reported. Subjects where sources differ come first."
    figure.suptitle(
        "What each source says: reported values per subject", x=0.01, ha="left", fontsize="large", fontweight="bold", color=TEXT_COLOUR
    )
    # The legend on the chart itself, under the title: marker shape is the hedge, fill is whose number it is in the end.
    handles = [
        Line2D([], [], linestyle="", marker=marker, markersize=7, markerfacecolor="white", markeredgecolor="#222222", label=label)
        for marker, label in (("o", "exact"), (">", "lower bound (“at least”, “more than”)"), ("D", "approximate"), ("<", "upper bound"))
    ] + [
        Line2D([], [], linestyle="", marker="s", markersize=8, markerfacecolor=fill, markeredgecolor="#222222", label=label)
        for fill, label in (("#333333", "from an NGO's study"), ("#BBBBBB", "from an official count"), ("white", "from another original"))
    ]
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.01, 1 - 0.4 / figure.get_figheight()),
        ncols=4,
        fontsize=7.5,
        frameon=False,
        handletextpad=0.3,
        columnspacing=1.2,
    )
    figure.description = (
        "Chart: What each source says: reported values per subject. " + " ".join(f"{d}." for d in described) + " " + source_line
    )
    width = int(figure.get_figwidth() * 16.5)
    under = textwrap.fill(note, width) + "\n" + textwrap.fill(source_line, width)
    figure.text(0.01, 0.005, under, ha="left", va="bottom", fontsize=7.5, color="#444444")
    bottom_inches = 0.16 * (under.count("\n") + 1) + 0.35
    figure.subplots_adjust(left=0.42, right=0.97, top=1 - 1.55 / figure.get_figheight(), bottom=bottom_inches / figure.get_figheight())
    return figure
