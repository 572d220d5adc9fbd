"""The ledger's chart: every source's value per subject, one mark per source, hedges as marker shapes."""

from __future__ import annotations

import matplotlib.dates
import pandas as pd
from matplotlib.lines import Line2D

from . import charts
from .charts_strikes import date_locator
from .labels import HEDGE_WORDS, format_published, measure_label
from .text_ledger import as_stated, citing, range_text, subject_label

QUALIFIER_MARKERS = {"exact": "o", "at_least": ">", "more_than": ">", "approx": "D", "at_most": "<"}
AGREEMENT_ORDER = {"disagree": 0, "hedges differ": 1, "compatible": 2, "agree": 3, "one source": 4, "no number": 5}
# Whose number it is in the end, as a mark's fill: dark an NGO's study, grey an official count, white another original.
ORIGINAL_FILL = {"ngo_report": "#333333", "ngo_press_release": "#333333", "official_statement": "#BBBBBB"}
FILL_WORDS = {"#333333": "an NGO's study", "#BBBBBB": "an official count", "white": "another original"}
MARK_ROW_INCHES = 0.14  # a source's row: its mark and a hairline round it
MARK_POINTS = 7  # a mark as wide as a line of 8-point text is high
RANGE_SHADE = "#E6E6E6"  # the lowest to the highest value: a shade light enough not to hide a white mark
KEY_INCHES = 0.05  # the key's own row, under the key: room enough that constrained layout never finds it collapsed
HANDLE_INCHES = 0.35  # a key entry's marker and the room before its text
KEY = "Key: marker shape is the hedge (circle exact, “>” lower bound, diamond approximate, “<” upper bound); fill is whose number it is in the end (dark: an NGO's study, grey: an official count, white: another original)"
NOTE = "One mark per source; shading spans the lowest to the highest value compared (an earlier count of a toll still being counted is marked so and not compared). Subjects where sources differ come first."


def sources_compared(
    entries: pd.DataFrame, table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str
) -> charts.Chart:
    """Each source's value per subject, a panel a subject (where sources differ first), a mark a source, the range shaded."""
    rank = table["agreement"].map(AGREEMENT_ORDER).fillna(len(AGREEMENT_ORDER))
    panels, numbers = [charts.Panel("", [charts.Row("", _key, KEY_INCHES, said=KEY)])], []
    publishers = sources.set_index("source_id")["publisher"]
    for _, subject in table.assign(_rank=rank).sort_values("_rank", kind="stable").iterrows():
        mine = entries[entries["subject_id"] == subject["subject_id"]].sort_values(["value", "source_id"], na_position="last")
        label, measure = subject_label(subject, sources, strikes), measure_label(subject["measure"])
        cites = citing(mine, sources)
        dates = mine["dated"].map(format_published) + mine["earlier"].map({True: ", earlier count", False: ""})
        details = (cites.where(cites == "", cites + ", ") + dates).str.strip(", ")
        names = mine["source_id"].map(publishers) + details.where(details == "", " (" + details + ")")
        values, rows = mine["value"].fillna(mine["vague_floor"]), []
        for name, said, value, (_, entry) in zip(names, as_stated(mine), values, mine.iterrows()):
            marker, fill = _look(entry)
            mark = _mark(value, marker, fill, values[~mine["earlier"]])
            rows.append(charts.Row(f"{name}: {said}", mark, MARK_ROW_INCHES, charts.SMALL_POINTS, drawn=not pd.isna(value)))
            hedge = HEDGE_WORDS.get(entry["qualifier"], entry["qualifier"])
            hedge = f"a vague word meaning {value:,.0f} or more" if not pd.isna(entry["vague_floor"]) else hedge
            whose = FILL_WORDS[ORIGINAL_FILL.get(entry["original_kind"], "white")]
            cells = {"subject": label, "measure": measure, "source": name, "as stated": said, "value": value, "hedge": hedge}
            numbers.append({**cells, "whose number": whose, "sources compared": subject["agreement"]})
        heading = f"{label[:1].upper()}{label[1:]}: {measure}, {range_text(subject)} ({subject['agreement']})"
        panels.append(charts.Panel(heading, rows, span=values.max() if values.gt(0).any() else 1.0))
    # No subject: the key, and under it a panel saying there is nothing to show.
    panels += [] if len(table) else [charts.Panel("", [])]
    return charts.laid_out("sources-compared", "What each source says: reported values per subject", panels, [NOTE, source_line], numbers)


def _look(entry: pd.Series) -> tuple[str, str]:
    """A source's marker shape (its hedge) and fill (whose number it is in the end); a vague word's, a lower bound's, white."""
    if not pd.isna(entry["vague_floor"]):
        return ">", "white"  # drawn at the least the word means
    return QUALIFIER_MARKERS.get(entry["qualifier"], "o"), ORIGINAL_FILL.get(entry["original_kind"], "white")


def _mark(value: float, marker: str, fill: str, values: pd.Series):
    """A function drawing a source's mark on the subject's range from its lowest to its highest value compared, shaded."""

    def draw(axes) -> None:
        if values.min() < values.max():
            axes.axvspan(values.min(), values.max(), color=RANGE_SHADE, zorder=0)
        if not pd.isna(value):
            axes.plot(value, 0, marker=marker, markersize=MARK_POINTS, markerfacecolor=fill, markeredgecolor=charts.TEXT_COLOUR, zorder=3)

    return draw


def _key(axes) -> None:
    """The key above its row (an axes with no axis), in two columns: marker shape the hedge, fill whose number it is."""
    axes.set_axis_off()
    shapes = (("o", "exact"), (">", "lower bound (“at least”, “more than”)"), ("D", "approximate"), ("<", "upper bound (“at most”)"))
    entries = [(m, "white", text) for m, text in shapes] + [("s", fill, f"from {words}") for fill, words in FILL_WORDS.items()]
    room = charts.ROOM_INCHES / 2 - HANDLE_INCHES
    style = {"linestyle": "", "markersize": MARK_POINTS, "markeredgecolor": charts.TEXT_COLOUR}  # as the marks are drawn
    handles = [
        Line2D([], [], marker=m, markerfacecolor=fill, label=charts.fit(text, charts.SMALL_POINTS, room), **style)
        for m, fill, text in entries
    ]
    axes.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1), ncols=2, fontsize=charts.SMALL_POINTS, frameon=False)


# A body's line: told apart by its dash and its name in the list under the chart, not by colour (no colour of a party).
BODY_LINES = ("-", "--", ":", "-.")
GROWTH_ROW_INCHES = 1.0  # a toll against time: high enough that counts a few apart stand apart on a phone
GROWTH_NOTE = "Grey: the highest count by then. A line a body, a step at each new count; marker shape the hedge (circle exact, “>” at least). Each count's source and date: in the chart's numbers."


def toll_growth(growth: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str) -> charts.Chart:
    """How each toll grew (ledger.toll_growth): a panel a subject, the toll against its dates, a step line a body, hedges as markers;
    every count credited and dated in the list under the chart."""
    panels, numbers, notes, listing = [], [], [GROWTH_NOTE], []
    publishers = sources.set_index("source_id")["publisher"]
    for _, mine in growth.groupby("subject_id", sort=False):
        subject = mine.iloc[0]
        label = subject_label(subject, sources, strikes)
        heading = f"{label[:1].upper()}{label[1:]}: {measure_label(subject['measure'])}"
        # A count credited to no one is its publication's own: named by it.
        mine = mine.assign(
            body=mine["body"].where(
                ~mine["body"].str.startswith("unattributed:"), mine["source_id"].map(publishers) + " (crediting no one)"
            )
        )
        bodies = list(dict.fromkeys(mine["body"]))
        when = pd.to_datetime(mine["dated"].where(mine["dated"].str.len() == 10, mine["dated"] + "-01"))
        said, cites = as_stated(mine), citing(mine, sources)
        basis = mine["as_of_basis"].map({"stated": "date the text gives", "published": "publication date"}).fillna("publication date")
        for body, line in zip(bodies, BODY_LINES * len(bodies)):
            counts = mine["body"] == body
            listed = "; ".join(
                f"{s} ({format_published(d)}, {b}; {p}{', ' + c if c else ''})"
                for s, d, b, p, c in zip(said[counts], mine.loc[counts, "dated"], basis[counts], mine.loc[counts, "source_id"].map(publishers), cites[counts])
            )  # fmt: skip
            listing.append(f"{_line_word(line)} {body}: {listed}.")
            notes.append(f"{_line_word(line)} {body}.")
        for (_, entry), stated in zip(mine.iterrows(), said):
            numbers.append({"subject": heading, "body": entry["body"], "as stated": stated, "value": entry["value"],
                            "hedge": HEDGE_WORDS.get(entry["qualifier"], entry["qualifier"]), "date": format_published(entry["dated"]),
                            "date from": basis[entry.name], "source": publishers.get(entry["source_id"], "")})  # fmt: skip
        row = charts.Row(
            "",
            _steps(mine.assign(when=when), bodies),
            GROWTH_ROW_INCHES,
            said=" ".join(listing[-len(bodies) :]).rstrip("."),
            drawn=True,
        )
        panels.append(charts.Panel(heading, [row], "date of the count"))
    panels += [] if panels else [charts.Panel("", [])]
    return charts.laid_out("toll-growth", "How each reported toll grew", panels, [*notes, source_line], numbers)


def _line_word(line: str) -> str:
    return {"-": "Solid line,", "--": "Dashed line,", ":": "Dotted line,", "-.": "Dash-dot line,"}[line]


def _steps(mine: pd.DataFrame, bodies: list[str]):
    """A function drawing each body's counts as a step line against date, a marker per count showing its hedge."""

    def draw(axes) -> None:
        axes.yaxis.set_visible(True)
        axes.spines["left"].set_visible(True)
        highest = mine.groupby("when")["value"].max().cummax()
        axes.step(highest.index, highest, where="post", color=RANGE_SHADE, linewidth=2 * charts.LINE_POINTS, zorder=0)
        for body, line in zip(bodies, BODY_LINES * len(bodies)):
            counts = mine[mine["body"] == body]
            axes.step(
                counts["when"], counts["value"], where="post", linestyle=line, color=charts.TEXT_COLOUR, linewidth=charts.LINE_POINTS / 2
            )
            for _, count in counts.iterrows():
                axes.plot(count["when"], count["value"], marker=QUALIFIER_MARKERS.get(count["qualifier"], "o"), markersize=MARK_POINTS,
                          markerfacecolor="white", markeredgecolor=charts.TEXT_COLOUR, linestyle="")  # fmt: skip
        pad = max((mine["when"].max() - mine["when"].min()) / 15, pd.Timedelta(days=2))
        axes.set_xlim(mine["when"].min() - pad, mine["when"].max() + pad)
        axes.set_ylim(0, mine["value"].max() * 1.15 or 1)
        axes.xaxis.set_major_locator(locator := date_locator())
        axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator, offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"]))

    return draw
