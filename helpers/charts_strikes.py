"""Charts per strike: civilians killed in each, and dated strikes on a time line, numbered and listed under it so labels cannot collide."""

from __future__ import annotations

import matplotlib.dates
import pandas as pd

from . import charts
from .labels import (
    HEDGE_WORDS,
    NO_NUMBER,
    NOT_COMPUTED,
    count_phrase,
    format_date,
    format_value,
    hedged,
    rest_inferred,
    side_label,
    strike_label,
)

MARK_INCHES = 0.16  # a time line's band for its marks: an 8-point circle and room round it
MARK_POINTS = 8  # a mark's diameter: as large as a number, so that filled and open tell apart
TIER_INCHES = 0.14  # a tier of numbers above the marks: one line of 8-point text
NUMBER_GAP_INCHES = 0.04  # the least room between two numbers on one tier
TIME_PAD_SHARE = 1 / 15  # room before the first day and after the last, as a share of the span: half a number
TIME_PAD_LEAST = pd.Timedelta(days=2)  # and at least this, so that a span of one day has an axis
NO_TIME = pd.Timestamp("2020-09-27")  # where an axis with no date at all is put: the war's first day
WAR_SHADE = "#EEEEEE"  # the war's span: a shade behind the marks, light enough not to hide an open mark
WAR_END_COLOUR = "#555555"  # the war's end: a dashed line, darker than the shade
SINGLE = "Single strikes: civilians killed in each"
SEVERAL = "Several strikes counted together (a scale of its own: not comparable with single strikes)"
PER_STRIKE_NOTE = "Solid bars: one strike. Dotted bars: several strikes whose total is known but not how it splits between them. An attacker “(inferred)”: the source does not say who fired; attributed from context. “(inferred: total less named)”: the side's analysed total less its named strikes, which are assumed to be among them."
# Not only a study's analysed strikes are shown per strike (a source's named strikes; every dated strike in the data).
REPORTED_NOT_SAMPLED = (
    "The strikes shown are those reported, not a sample of all strikes: they do not show which side's strikes were deadlier in general."
)
MARKS_NOTE = "Filled: the source gives the strike's toll. Open: a dated strike in the data, from other sources."


def _strike_row_words(row: pd.Series) -> tuple[str, str]:
    """A per-strike row's label and the text under it."""
    deaths = format_value(row["civilian_deaths"], row["civilian_deaths_qualifier"])
    attacker = f"{side_label(row['side'])}{' (inferred)' if row['side_basis'] == 'inferred' else ''}"
    if row["kind"] == "strike":
        text = f"{deaths} killed · {attacker}" if deaths not in (NO_NUMBER, NOT_COMPUTED) else f"deaths: {deaths} · {attacker}"
        return strike_label(row, short=True), text
    # 'at least 3 strikes', '1 strike', 'an unstated number of strikes': a count the source does not give is said so.
    strikes, others = (count_phrase(row["strikes"], row["strikes_qualifier"], noun) for noun in ("strike", "other strike"))
    label = (
        strike_label(row, short=True) if row["kind"] == "group of strikes" else f"{others} by {side_label(row['side'])}{rest_inferred(row)}"
    )
    attacker = f" · {attacker}" if row["kind"] == "group of strikes" else ""
    if deaths in (NO_NUMBER, NOT_COMPUTED):
        return label, f"deaths: {deaths}, across {strikes}{attacker}"
    return label, f"{deaths} killed across {strikes}, split unknown{attacker}"


def deaths_per_strike(view: pd.DataFrame, source_line: str) -> charts.Chart:
    """Civilians killed per named strike; below, on a scale of its own, groups of strikes and the rest per side, dotted."""
    panels, numbers = [], []
    for heading, several in ((SINGLE, False), (SEVERAL, True)):
        frame = view[(view["kind"] != "strike") == several]
        counted = {"counted": "several strikes together" if several else "one strike"}
        words = [_strike_row_words(row) for _, row in frame.iterrows()]
        killed, strikes = hedged(frame, "civilian_deaths"), hedged(frame, "strikes")
        rows = zip(words, killed, strikes, frame["civilian_deaths"], frame["civilian_deaths_qualifier"], frame["side"])
        items = [(label, text, v, h, s, {**counted, "civilians killed": k, "strikes": n}) for (label, text), k, n, v, h, s in rows]
        panel, drawn = charts.bar_panel(items, "civilians killed", heading, several)
        # A panel of each kind there is; a chart with no strike at all has an empty one, saying so.
        panels += [panel] if items or (view.empty and not several) else []
        numbers += drawn
    notes = [REPORTED_NOT_SAMPLED, PER_STRIKE_NOTE, *charts.bound_notes(view["civilian_deaths_qualifier"]), source_line]
    return charts.laid_out("deaths-per-strike", "Civilians killed per strike", panels, notes, numbers)


def strike_timeline(dated: pd.DataFrame, per_strike: pd.DataFrame, war: dict, source_line: str) -> charts.Chart:
    """Every dated strike in the data on a time axis spanning the war (shaded), a row per side, each strike a numbered mark."""
    # Filled where the source gives its toll, open where another source dates it; listed by number under the chart,
    # with the source's strikes and groups that have no date (per_strike).
    sides = [s for s in charts.SIDE_COLOURS if s in set(dated["side"])]
    strikes = dated[dated["side"].isin(sides)].sort_values(["date", "strike_id"]).reset_index(drop=True)
    known = [war[k] for k in ("start", "end") if war.get(k) is not None and not pd.isna(war[k])]
    first, last = min([*strikes["date"], *known], default=NO_TIME), max([*strikes["date"], *known], default=NO_TIME)
    pad = max((last - first) * TIME_PAD_SHARE, TIME_PAD_LEAST)
    start, end = first - pad, last + pad
    shaded = (war["start"], war["end"]) if len(known) == 2 else None
    rows = [_side_row(side, strikes[strikes["side"] == side], start, end, shaded) for side in sides]
    numbered = [(number, strike, _timeline_label(strike)) for number, (_, strike) in enumerate(strikes.iterrows(), start=1)]
    listed = "\n".join(f"{number}. {label}" for number, _, label in numbered)
    notes = [REPORTED_NOT_SAMPLED, listed, MARKS_NOTE]
    if shaded:
        ended = f" ({war['end_label']})" if war.get("end_label") else ""
        notes.append(f"Shaded: the war, from {format_date(shaded[0])} to {format_date(shaded[1])}; the dashed line marks its end{ended}.")
    if len(undated := per_strike[per_strike["date"].isna()]):
        notes.append(f"Not shown, as the source gives no date: {'; '.join(_strike_row_words(r)[0] for _, r in undated.iterrows())}.")
    numbers = [{"number": number, "strike": strike_label(strike), **_timeline_numbers(strike)} for number, strike, _ in numbered]
    return charts.laid_out("strike-timeline", "Dated strikes in the data", [charts.Panel("", rows)], [*notes, source_line], numbers)


def _timeline_label(strike: pd.Series) -> str:
    """A dated strike as the list under the time line names it: place, date, and toll where the source gives it."""
    killed = f": {format_value(strike['civilian_deaths'], strike['civilian_deaths_qualifier'])} killed" if strike["has_toll"] else ""
    return strike_label(strike, short=True) + killed + (" (attacker inferred)" if strike.get("side_basis") == "inferred" else "")


def _timeline_numbers(strike: pd.Series) -> dict:
    """A dated strike's line in the chart's numbers, after its number and name (place and date)."""
    toll, hedge = strike["has_toll"], strike["civilian_deaths_qualifier"]
    inferred = " (inferred)" if strike.get("side_basis") == "inferred" else ""
    cells = {"attacking side": side_label(strike["side"]) + inferred, "toll from the source": "yes" if toll else "no"}
    cells["civilians killed"] = format_value(strike["civilian_deaths"], hedge) if toll else ""
    return cells | {"value": strike["civilian_deaths"], "hedge": HEDGE_WORDS.get(hedge, hedge) if toll else ""}


def _tiers(mine: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> list[int]:
    """Per strike, the lowest tier on which its number keeps clear of the numbers before it."""
    ends: list[float] = []  # per tier, where its last number ends
    tiers = []
    for number, date in zip(mine.index, mine["date"]):
        # Reckoned along an axis ROOM_INCHES long, a little shorter than drawn: numbers end up further apart, not nearer.
        along = (date - start) / (end - start) * charts.ROOM_INCHES
        half = charts.text_inches(str(number + 1), charts.SMALL_POINTS) / 2 + NUMBER_GAP_INCHES
        tier = next((t for t, right in enumerate(ends) if right < along - half), len(ends))
        ends[tier : tier + 1] = [along + half]
        tiers.append(tier)
    return tiers


def _side_row(side: str, mine: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, war: tuple | None) -> charts.Row:
    """A side's row: a mark per strike, its number above it, in tiers wherever numbers would touch."""
    tiers, colour = _tiers(mine, start, end), charts.SIDE_COLOURS[side]
    inches = MARK_INCHES + TIER_INCHES * (max(tiers, default=0) + 1)
    style = {"ha": "center", "va": "bottom", "fontsize": charts.SMALL_POINTS, "color": charts.TEXT_COLOUR, "textcoords": "offset points"}
    mark = {"marker": "o", "markersize": MARK_POINTS, "color": colour, "markeredgewidth": charts.LINE_POINTS, "zorder": 3}

    def draw(axes) -> None:
        axes.set_ylim(0, inches)  # in inches: the row is drawn as high as it asks
        _date_scale(axes, start, end)
        if war:
            axes.axvspan(*war, color=WAR_SHADE, zorder=0)
            axes.axvline(war[1], color=WAR_END_COLOUR, linestyle="--", linewidth=charts.LINE_POINTS / 2)
        for (number, strike), tier in zip(mine.iterrows(), tiers):
            centre, fill = (strike["date"], MARK_INCHES / 2), colour if strike["has_toll"] else "white"
            axes.plot(*centre, markerfacecolor=fill, **mark)
            axes.annotate(str(number + 1), centre, xytext=(0, MARK_POINTS / 2 + tier * TIER_INCHES * charts.POINTS_PER_INCH), **style)

    said = f"by {side_label(side)}: strikes numbered " + ", ".join(str(n + 1) for n in mine.index)
    return charts.Row(f"by {side_label(side)}", draw, inches, said=said, drawn=len(mine) > 0)


def _date_scale(axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """The time axis from start to end, its year alone beside it (not "2020-Nov")."""
    axes.set_xlim(start, end)
    axes.xaxis.set_major_locator(locator := date_locator())
    axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator, offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"]))


def date_locator() -> matplotlib.dates.AutoDateLocator:
    """At most 4 dates under the axis, so that they do not meet on a phone, without matplotlib's warning for any span."""
    # The least is kept low, and the axis may step by a year of months: else a span of some months or years gets a
    # unit none of whose steps fits (22 months in 4 ticks), and matplotlib warns (the tests try a day to a century).
    locator = matplotlib.dates.AutoDateLocator(minticks=2, maxticks=4)
    months = matplotlib.dates.MONTHLY
    locator.intervald[months] = [*locator.intervald[months], int(matplotlib.dates.MONTHS_PER_YEAR)]
    return locator
