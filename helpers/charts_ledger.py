"""The ledger's chart: every source's value per subject, one mark per source, hedges as marker shapes."""

from __future__ import annotations

import matplotlib.dates
import matplotlib.ticker
import pandas as pd
from matplotlib.lines import Line2D

from . import charts
from .charts_strikes import date_locator
from .labels import HEDGE_WORDS, format_published, measure_label
from .ledger import date_span, latest_counts
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
NOTE = "One mark per source's count compared; shading spans the lowest to the highest. A toll's earlier counts are not drawn here: they are its series (how each strike's toll grew, and the ledger). Subjects where sources differ come first."


def sources_compared(
    entries: pd.DataFrame, table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str
) -> charts.Chart:
    """Each source's value per subject, a panel a subject (where sources differ first), a mark a source, the range shaded."""
    rank = table["agreement"].map(AGREEMENT_ORDER).fillna(len(AGREEMENT_ORDER))
    panels, numbers = [charts.Panel("", [charts.Row("", _key, KEY_INCHES, said=KEY)])], []
    publishers = sources.set_index("source_id")["publisher"]
    # The counts compared (ledger.ledger): a toll's earlier counts are its series, drawn in the growth chart instead.
    latest = latest_counts(entries)
    for _, subject in table.assign(_rank=rank).sort_values("_rank", kind="stable").iterrows():
        mine = latest[latest["subject_id"] == subject["subject_id"]]
        mine = mine.sort_values(["value", "source_id"], na_position="last")
        label, measure = subject_label(subject, sources, strikes), measure_label(subject["measure"])
        cites = citing(mine, sources)
        dates = mine["dated"].map(format_published)
        details = (cites.where(cites == "", cites + ", ") + dates).str.strip(", ")
        names = mine["source_id"].map(publishers) + details.where(details == "", " (" + details + ")")
        values, rows = mine["value"].fillna(mine["vague_floor"]), []
        for name, said, value, (_, entry) in zip(names, as_stated(mine), values, mine.iterrows()):
            marker, fill = _look(entry)
            mark = _mark(value, marker, fill, values)
            rows.append(charts.Row(f"{name}: {said}", mark, MARK_ROW_INCHES, charts.SMALL_POINTS, drawn=not pd.isna(value)))
            hedge = HEDGE_WORDS.get(entry["qualifier"], entry["qualifier"])
            hedge = f"a vague word read as {value:,.0f} or more" if not pd.isna(entry["vague_floor"]) else hedge
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


GROWTH_ROW_INCHES = 0.55  # a body's counts against time: high enough that counts a few apart stand apart, labelled, on a phone
GROWTH_NOTE = "A row a body; each count labelled with its number as stated, at its date; grey: the highest count by then, from any body. Marker shape the hedge (circle exact, “>” at least, “<” at most, diamond approximate). Each count's source: in the chart's numbers."
MONTH_NOTE = "A count dated by its month only is drawn at the month's last day."
LABEL_OFFSET_POINTS = 5  # a count's label beside its marker


def toll_growth(growth: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame, source_line: str) -> charts.Chart:
    """How each toll grew (ledger.toll_growth): a panel a subject, the toll against its dates in a row a body (titled with it, each
    count labelled), the highest count by then in grey in every row, hedges as markers; every count credited and dated."""
    panels, numbers = [], []
    publishers = sources.set_index("source_id")["publisher"]
    for _, mine in growth.groupby("subject_id", sort=False):
        subject = mine.iloc[0]
        label = subject_label(subject, sources, strikes)
        heading = f"{label[:1].upper()}{label[1:]}: {measure_label(subject['measure'])}"
        # A count credited to no one is its publication's own: named by it.
        mine = mine.assign(
            body=mine["body"].where(
                ~mine["body"].str.startswith("unattributed:"), mine["source_id"].map(publishers) + " (crediting no one)"
            ),
            # A count dated by its month only is drawn at the month's last day: no earlier than it can have been made.
            when=date_span(mine["dated"])[1],
            said=as_stated(mine),
        )
        cites = citing(mine, sources)
        basis = mine["as_of_basis"].map({"stated": "date the text gives", "published": "publication date"}).fillna("publication date")
        # A month is the text's only as a period it names ("initial reports", "last month"): read, not given as a date.
        basis = basis.mask((mine["as_of_basis"] == "stated") & (mine["dated"].str.len() == 7), "month read from the text")
        highest = mine.groupby("when")["value"].max().cummax()
        rows = []
        for body in dict.fromkeys(mine["body"]):
            counts = mine["body"] == body
            listed = "; ".join(
                f"{s} ({format_published(d)}, {b}; {p}{', ' + c if c else ''})"
                for s, d, b, p, c in zip(mine.loc[counts, "said"], mine.loc[counts, "dated"], basis[counts], mine.loc[counts, "source_id"].map(publishers), cites[counts])
            )  # fmt: skip
            rows.append(charts.Row(body, _body_counts(mine, counts, highest), GROWTH_ROW_INCHES, said=f"{body}: {listed}", drawn=True))
        for _, entry in mine.iterrows():
            numbers.append({"subject": heading, "body": entry["body"], "as stated": entry["said"], "value": entry["value"],
                            "hedge": HEDGE_WORDS.get(entry["qualifier"], entry["qualifier"]), "date": format_published(entry["dated"]),
                            "date from": basis[entry.name], "source": publishers.get(entry["source_id"], "")})  # fmt: skip
        panels.append(charts.Panel(heading, rows, "date of the count"))
    panels += [] if panels else [charts.Panel("", [])]
    notes = [GROWTH_NOTE, *([MONTH_NOTE] if (growth["dated"].str.len() == 7).any() else []), source_line]
    return charts.laid_out("toll-growth", "How each reported toll grew", panels, notes, numbers)


def _body_counts(mine: pd.DataFrame, counts: pd.Series, highest: pd.Series):
    """A function drawing one body's counts against date (a step line where it counted more than once), each marked with its hedge
    and labelled with its number as stated, over the highest count by then from any body, on the subject's dates and scale."""

    def draw(axes) -> None:
        axes.yaxis.set_visible(True)  # its numbers, without a line a row's title could cross
        axes.step(highest.index, highest, where="post", color=RANGE_SHADE, linewidth=2 * charts.LINE_POINTS, zorder=0)
        body = mine[counts]
        axes.step(body["when"], body["value"], where="post", color=charts.TEXT_COLOUR, linewidth=charts.LINE_POINTS / 2)
        first, last = mine["when"].min(), mine["when"].max()
        # One mark and label for one count read in several publications (a body's figure in two newspapers).
        for _, count in body.drop_duplicates(["when", "said"]).iterrows():
            axes.plot(count["when"], count["value"], marker=QUALIFIER_MARKERS.get(count["qualifier"], "o"), markersize=MARK_POINTS,
                      markerfacecolor="white", markeredgecolor=charts.TEXT_COLOUR, linestyle="")  # fmt: skip
            # Labels read away from the nearer end of the time axis, so that none runs off the chart.
            right = last == first or (count["when"] - first) <= (last - count["when"])
            axes.annotate(count["said"], (count["when"], count["value"]), xytext=((1 if right else -1) * LABEL_OFFSET_POINTS, 0),
                          textcoords="offset points", ha="left" if right else "right", va="center", fontsize=charts.SMALL_POINTS,
                          color=charts.TEXT_COLOUR)  # fmt: skip
        pad = max((last - first) / 15, pd.Timedelta(days=2))
        axes.set_xlim(first - pad, last + pad)
        axes.set_ylim(0, mine["value"].max() * 1.25 or 1)
        axes.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(2, integer=True))
        axes.xaxis.set_major_locator(locator := date_locator())
        axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator, offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"]))

    return draw
