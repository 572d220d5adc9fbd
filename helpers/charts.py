"""One function per chart, each returning a matplotlib Figure with a source line under it.

Figures are built without pyplot, so nothing is shown twice in a notebook
and nothing depends on a global state. How a number is drawn follows its
qualifier: exact values are solid bars; lower bounds ("more than",
"at least") are hatched, open bars with an arrow past their end; upper
bounds are outlined only; a number the source does not give is no bar at
all but a written "no number given".
"""

from __future__ import annotations

import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .bounds import LOWER_BOUNDS
from .labels import format_figure, format_share, format_value, measure_label, share_part_label, side_label, strike_label
from .text import as_stated as as_stated_words
from .text import citing, count_date, range_text, subject_label

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


def _new_figure(width: float, height: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    return figure, axes


def _finish(figure: Figure, name: str, title: str, source_line: str, legend_note: str = "") -> Figure:
    """Title, legend note and source line; name is the chart's file name (show.chart saves it as NAME.png and NAME.svg)."""
    figure.set_label(name)
    figure.suptitle(title, x=0.01, ha="left", fontsize="large", fontweight="bold", color=TEXT_COLOUR)
    # About as many characters of 7.5-point text as fit across the figure.
    width = int(figure.get_figwidth() * 16.5)
    under = textwrap.fill(source_line, width)
    if legend_note:
        under = textwrap.fill(legend_note, width) + "\n" + under
    lines = under.count("\n") + 1
    figure.text(0.01, 0.01, under, ha="left", va="bottom", fontsize=7.5, color="#444444")
    figure.tight_layout(rect=(0, 0.035 * lines + 0.02, 1, 0.94))
    return figure


def _annotate(axes, text: str, point: tuple, offset: tuple, **style) -> None:
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


LOWER_BOUND_NOTE = "Hatched bars with an arrow are lower bounds (the source says “more than” or “at least”): the true number may be higher."


def civilian_deaths_by_side(view: pd.DataFrame, source_line: str) -> Figure:
    """Civilians killed in the analysed strikes, one bar per attacking side (from views.by_side)."""
    figure, axes = _new_figure(8, 1.2 + 0.6 * max(len(view), 1))
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
    return _finish(figure, "civilian-deaths-by-side", "Civilians killed in the analysed strikes, by attacking side", source_line, note)


def deaths_per_strike(view: pd.DataFrame, source_line: str) -> Figure:
    """Civilians killed per named strike, and per side the remaining analysed strikes as one outlined,
    dotted bar labelled with its number of strikes, so it cannot be read as a single strike (from views.per_strike)."""
    figure, axes = _new_figure(9, 1.4 + 0.55 * max(len(view), 1))
    labels, texts = [], []
    for _, row in view.iterrows():
        deaths = format_value(row["civilian_deaths"], row["civilian_deaths_qualifier"])
        attacker = f"{side_label(row['side'])}{' (inferred)' if row['side_basis'] == 'inferred' else ''}"
        if row["kind"] == "strike":
            labels.append(strike_label(row, short=True))
            texts.append(f"{deaths} killed · {attacker}" if deaths != "no number given" else f"deaths: no number given · {attacker}")
        else:
            count = format_value(row["strikes"], row["strikes_qualifier"])
            noun = "strike" if row["strikes"] == 1 and row["strikes_qualifier"] == "exact" else "strikes"
            labels.append(
                strike_label(row, short=True)
                if row["kind"] == "group of strikes"
                else f"{count} other strikes by {side_label(row['side'])}"
            )
            texts.append(f"{deaths} killed across {count} {noun}, split unknown")
    finite = [v for v in view["civilian_deaths"] if not pd.isna(v)]
    span = max(finite) if finite else 1.0
    positions = np.arange(len(view))[::-1]
    for position, (_, row), text in zip(positions, view.iterrows(), texts):
        colour = SIDE_COLOURS.get(row["side"], NEUTRAL_COLOUR)
        if row["kind"] == "strike":
            _draw_bar(axes, position, row["civilian_deaths"], row["civilian_deaths_qualifier"], colour, text, span)
            continue
        # Several strikes in one bar: outline only, dotted, never a solid single-strike bar.
        value = row["civilian_deaths"]
        if not pd.isna(value):
            axes.barh(position, value, color="white", edgecolor=colour, linestyle=":", linewidth=1.8, hatch="..")
        axes.text((0 if pd.isna(value) else value) + span * 0.01, position, text, va="center", ha="left", fontsize=9, color=TEXT_COLOUR)
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, span * 2.3)
    axes.tick_params(axis="y", length=0)
    axes.set_xlabel("civilians killed")
    note = (
        "Solid bars: one strike. Dotted bars: several strikes whose total is known but not how it splits between them. "
        "“(inferred)”: the source does not say who fired; attributed from context."
    )
    if view["civilian_deaths_qualifier"].isin(LOWER_BOUNDS).any():
        note += " " + LOWER_BOUND_NOTE
    return _finish(figure, "deaths-per-strike", "Civilians killed per strike", source_line, note)


def share_of_conflict_deaths(share: pd.DataFrame, totals: pd.DataFrame, source_line: str) -> Figure:
    """The conflict's civilian deaths as one bar split into each side's analysed strikes and the rest
    (from views.conflict_share and views.conflict_totals)."""
    stated = totals[totals["measure"] == "civilian_deaths"]
    total_text = format_figure(stated.iloc[0]) if len(stated) else "no total"
    figure, axes = _new_figure(9, 2.4)
    left = 0.0
    for _, part in share.iterrows():
        value = part["civilian_deaths"]
        if pd.isna(value):
            continue
        colour = SIDE_COLOURS.get(part["part"], NEUTRAL_COLOUR)
        outside = part["part"] == "outside_analysed_strikes"
        axes.barh(0, value, left=left, color="white" if outside else colour, edgecolor=colour, hatch="\\\\" if outside else None)
        text = f"{share_part_label(part['part'])}:\n{format_value(value, part['civilian_deaths_qualifier'])} ({format_share(part['share'], part['share_qualifier'])})"
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
        "Shares are of the stated total; the analysed strikes were chosen as unlawful, not sampled.",
    )


def civilians_and_all_deaths(totals: pd.DataFrame, source_line: str) -> Figure:
    """Civilian deaths against all deaths in the conflict, bounds drawn as bounds (from views.conflict_totals)."""
    figure, axes = _new_figure(8, 2.2)
    labels = {"civilian_deaths": "civilians killed", "deaths_all": "all deaths, civilian and military"}
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
    return _finish(figure, "civilians-and-all-deaths", "Civilians among all deaths of the war", source_line, note)


def strike_timeline(view: pd.DataFrame, source_line: str) -> Figure:
    """Dated named strikes on a time axis, one row per attacking side, labelled with their tolls (from views.per_strike)."""
    dated = view[view["date"].notna()].sort_values("date")
    figure, axes = _new_figure(9, 2.6)
    sides = [s for s in SIDE_COLOURS if s in set(dated["side"])]
    rows = {side: i for i, side in enumerate(sides)}
    for _, strike in dated.iterrows():
        y = rows[strike["side"]]
        axes.plot(strike["date"], y, "o", color=SIDE_COLOURS[strike["side"]], markersize=9)
        deaths = format_value(strike["civilian_deaths"], strike["civilian_deaths_qualifier"])
        _annotate(
            axes,
            f"{strike_label(strike, short=True).replace(', ', chr(10))}: {deaths} killed",
            (strike["date"], y),
            (0, 13),
            ha="center",
            fontsize=8,
        )
    axes.set_yticks(range(len(sides)), [f"by {side_label(s)}" for s in sides])
    axes.set_ylim(-0.6, len(sides) - 0.1 + 0.6)
    if len(dated):
        start, end = dated["date"].min(), dated["date"].max()
        pad = max((end - start) / 8, pd.Timedelta(days=3))
        axes.set_xlim(start - pad, end + pad)
    locator = matplotlib.dates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    undated = view[view["date"].isna()]
    note = ""
    if len(undated):
        listed = "; ".join(
            strike_label(row)
            if row["kind"] == "group of strikes"
            else f"{format_value(row['strikes'], row['strikes_qualifier'])} other strikes by {side_label(row['side'])}"
            for _, row in undated.iterrows()
        )
        note = f"Not shown, as the source gives no date: {listed}."
    return _finish(figure, "strike-timeline", "Dated strikes", source_line, note)


QUALIFIER_MARKERS = {"exact": "o", "at_least": ">", "more_than": ">", "approx": "D", "at_most": "<"}
ORIGINAL_FILL = {"ngo_report": "#333333", "ngo_press_release": "#333333", "official_statement": "#BBBBBB"}


def sources_compared(entries: pd.DataFrame, table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str) -> Figure:
    """Reported values per subject, one panel per subject and one mark per source, the range from the lowest
    to the highest value shaded (from views.ledger_entries and analysis.ledger). Marker shape is the hedge;
    fill is who the number comes from in the end (an NGO's study, an official count, another original)."""
    rows = table.reset_index(drop=True)
    per_subject = [
        entries[entries["subject_id"] == subject_id].sort_values(["value", "source_id"], na_position="last")
        for subject_id in rows["subject_id"]
    ]
    heights = [len(mine) + 1.6 for mine in per_subject] or [1]
    figure = Figure(figsize=(10, 2.0 + 0.24 * sum(heights)), dpi=100, label="sources-compared")
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
                _annotate(axes, as_stated, (entry["vague_floor"], position), (7, 0), va="center", fontsize=7.5)
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
            _annotate(axes, as_stated, (entry["value"], position), (7, 0), va="center", fontsize=7.5)
        details = citing(mine, sources).where(lambda c: c == "", lambda c: c + ", ") + mine["dated"].map(count_date)
        details = details.str.strip(", ")
        axes.set_yticks(
            positions, list(mine["source_id"].map(publishers) + details.where(details == "", " (" + details + ")")), fontsize=7.5
        )
        axes.set_ylim(-0.7, len(mine) - 0.3)
        axes.set_xlim(0, top * 1.3)
        axes.tick_params(axis="x", labelsize=7.5)
        axes.set_title(
            textwrap.fill(
                f"{subject_label(row, sources, strikes)}: {measure_label(row['measure'])}, {range_text(row)} ({row['agreement']})", 80
            ),
            loc="left",
            fontsize=8.5,
            fontweight="bold",
            color=TEXT_COLOUR,
        )
    note = (
        "One mark per source. ● exact, ▶ a lower bound (“at least”, “more than”), ◆ approximate, ◀ an upper bound. "
        "Dark: the number goes back to an NGO's study; grey: to an official count; white: to another original. "
        "Shading spans the lowest to the highest value reported."
    )
    figure.suptitle(
        "What each source says: reported values per subject", x=0.01, ha="left", fontsize="large", fontweight="bold", color=TEXT_COLOUR
    )
    width = int(figure.get_figwidth() * 16.5)
    under = textwrap.fill(note, width) + "\n" + textwrap.fill(source_line, width)
    figure.text(0.01, 0.005, under, ha="left", va="bottom", fontsize=7.5, color="#444444")
    bottom_inches = 0.16 * (under.count("\n") + 1) + 0.35
    figure.subplots_adjust(left=0.42, right=0.97, top=1 - 0.95 / figure.get_figheight(), bottom=bottom_inches / figure.get_figheight())
    return figure
