"""Views of the figures: per side, per strike, consistency checks, coverage.

Plain functions on the validated tables. A figure's qualifier travels with
it: every figure becomes bounds (low, high) on the true number, sums and
remainders are computed on the bounds, and the result is turned back into
a value and a qualifier. So "more than" is never lost on the way to a
chart or a sentence, and a remainder of an exact total less a lower bound
becomes an upper bound ("at most").

All functions work on whole columns, so that they scale to large tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dataset import Dataset, field_enum, load_dataset
from .text import TERRITORY_LABELS, escape_markdown, format_figure, format_value, format_values, measure_label, place_label, plural, side_label, source_line

ATTACKING_SIDES = ("armenian_forces", "azerbaijani_forces")
HARM_MEASURES = ("civilian_deaths", "civilian_injuries")
LOSS_MEASURES = ("military_deaths", "military_missing")
COUNTED = ("strikes", *HARM_MEASURES)
BOUND_COLUMNS = ["low", "high", "strict", "approx"]

# ---------------------------------------------------------------------------
# Bounds: what a figure says about the true number.


def bounds(values: pd.Series, qualifiers: pd.Series) -> pd.DataFrame:
    """The range each figure allows: exact v is [v, v]; at least v is [v, ∞); vague is [0, ∞).

    strict marks "more than" (the low end itself excluded); approx marks a
    number the source calls approximate: used as its value, never called exact.
    """
    values = pd.Series(values, dtype=float)
    qualifiers = pd.Series(qualifiers, index=values.index, dtype=object)
    known = values.notna() & (qualifiers != "vague")
    low = values.where(known & (qualifiers != "at_most"), 0.0)
    high = values.where(known & ~qualifiers.isin(["at_least", "more_than"]), np.inf)
    return pd.DataFrame({"low": low, "high": high, "strict": qualifiers == "more_than", "approx": qualifiers == "approx"})


def exact(count: float, index: pd.Index) -> pd.DataFrame:
    return bounds(pd.Series(count, index=index, dtype=float), pd.Series("exact", index=index))


def add(*parts: pd.DataFrame) -> pd.DataFrame:
    """Sum of aligned bounds."""
    total = parts[0].copy()
    for part in parts[1:]:
        total["low"] += part["low"]
        total["high"] += part["high"]
        total["strict"] |= part["strict"]
        total["approx"] |= part["approx"]
    return total


def sum_by(frame: pd.DataFrame, key: str | pd.Series) -> pd.DataFrame:
    """Bounds summed within groups."""
    return frame[BOUND_COLUMNS].groupby(key).agg({"low": "sum", "high": "sum", "strict": "any", "approx": "any"})


def subtract(whole: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """What is left of whole once part is taken away (never below zero)."""
    part_exact = part["low"] == part["high"]
    return pd.DataFrame({
        "low": (whole["low"] - part["high"]).clip(lower=0.0).where(np.isfinite(part["high"]), 0.0),
        "high": whole["high"] - part["low"],
        "strict": whole["strict"] & part_exact,
        "approx": whole["approx"] | part["approx"],
    })


def divide(numerator: pd.DataFrame, denominator: pd.DataFrame) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        low = (numerator["low"] / denominator["high"]).where(np.isfinite(denominator["high"]), 0.0)
        high = (numerator["high"] / denominator["low"]).where(denominator["low"] > 0, np.inf)
    zero = denominator["high"] == 0
    return pd.DataFrame({
        "low": low.mask(zero),
        "high": high.mask(zero),
        "strict": numerator["strict"] & (denominator["low"] == denominator["high"]),
        "approx": numerator["approx"] | denominator["approx"],
    })


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Bounds back to what a reader sees: value and qualifier (exact, at_least, more_than, at_most, approx, vague)."""
    low, high = frame["low"], frame["high"]
    point = low == high
    open_top = np.isinf(high) & ((low > 0) | frame["strict"])
    open_bottom = ~np.isinf(high) & (low == 0) & ~point
    value = low.where(point | open_top, high.where(open_bottom))
    qualifier = pd.Series("vague", index=frame.index, dtype=object)
    qualifier[open_bottom] = "at_most"
    qualifier[open_top] = np.where(frame.loc[open_top, "strict"], "more_than", "at_least")
    qualifier[point] = "exact"
    qualifier[value.notna() & frame["approx"]] = "approx"
    qualifier[value.isna()] = "vague"
    return pd.DataFrame({"value": value, "qualifier": qualifier})


def compare(left: pd.DataFrame, right: pd.DataFrame, relation: str) -> pd.Series:
    """'passed' where the relation must hold, 'failed' where it cannot, 'cannot tell' otherwise."""
    if relation == "≤":
        passed = left["high"] <= right["low"]
        failed = (left["low"] > right["high"]) | ((left["low"] == right["high"]) & left["strict"] & np.isfinite(right["high"]))
    elif relation == "=":
        passed = (left["low"] == left["high"]) & (right["low"] == right["high"]) & (left["low"] == right["low"])
        failed = (left["low"] > right["high"]) | (right["low"] > left["high"])
    else:
        raise ValueError(f"unknown relation {relation!r}")
    status = pd.Series("cannot tell", index=left.index, dtype=object)
    status[failed] = "failed"
    status[passed] = "passed"
    return status


def _with_shown(frame: dict | pd.DataFrame, name: str, bound: pd.DataFrame) -> None:
    seen = shown(bound)
    frame[name] = seen["value"].to_numpy()
    frame[f"{name}_qualifier"] = seen["qualifier"].to_numpy()


# ---------------------------------------------------------------------------
# Choosing figures


def source_figures(dataset: Dataset, source_id: str) -> pd.DataFrame:
    """The figures one source states; an unknown or empty source is an error naming the sources that have figures."""
    with_figures = sorted(dataset.figures["source_id"].unique())
    if not (dataset.sources["source_id"] == source_id).any():
        raise ValueError(
            f"source_id '{source_id}' is not in sources.csv of {dataset.data_dir}; "
            f"sources with figures: {', '.join(with_figures) or 'none'}"
        )
    figures = dataset.figures[dataset.figures["source_id"] == source_id]
    if figures.empty:
        raise ValueError(
            f"source_id '{source_id}' states no figures in {dataset.data_dir}; "
            f"sources with figures: {', '.join(with_figures) or 'none'}"
        )
    return figures


def check_side(side: str) -> str:
    """'' (both attacking sides) or one attacking side; anything else is an error listing the choices."""
    if side not in ("", *ATTACKING_SIDES):
        raise ValueError(f"side '{side}' is not one of: '' (both sides), {', '.join(ATTACKING_SIDES)}")
    return side


def _whole(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures about all of their scope, not about a subset such as one family."""
    return figures[figures["subset"] == ""]


def _analysed_totals(figures: pd.DataFrame) -> pd.DataFrame:
    """Per attacking side and measure, the analysed-strikes figure and its bounds; index (side, measure)."""
    chosen = figures[(figures["scope"] == "analysed_strikes") & figures["side"].isin(ATTACKING_SIDES) & figures["measure"].isin(COUNTED)]
    chosen = chosen.set_index(["side", "measure"])
    return pd.concat([chosen[["figure_id", "value", "qualifier"]], bounds(chosen["value"], chosen["qualifier"])], axis=1)


def _single(figures: pd.DataFrame, measure: str, scope: str, side: str) -> pd.DataFrame:
    """At most one figure (one source gives one value per subject), with its bounds."""
    chosen = figures[(figures["measure"] == measure) & (figures["scope"] == scope) & (figures["side"] == side)].head(1)
    return pd.concat([chosen, bounds(chosen["value"], chosen["qualifier"])], axis=1)


# ---------------------------------------------------------------------------
# Per side


def by_side(dataset: Dataset, source_id: str, side: str = "") -> pd.DataFrame:
    """Civilians killed, strikes and civilians killed per strike, per attacking side, over the analysed strikes.

    One row per side the source gives analysed-strike figures for.
    deaths_per_strike is an average computed here, not a figure of the
    source; it is a bound whenever either of its figures is.
    """
    check_side(side)
    totals = _analysed_totals(_whole(source_figures(dataset, source_id)))
    sides = [s for s in ATTACKING_SIDES if (not side or s == side) and s in totals.index.get_level_values("side")]
    frame = pd.DataFrame({"side": sides, "side_label": [side_label(s) for s in sides]})
    index = pd.Index(sides)
    parts = {}
    for measure in ("strikes", "civilian_deaths"):
        found = totals.xs(measure, level="measure") if measure in totals.index.get_level_values("measure") else totals.iloc[0:0].droplevel("measure")
        found = found.reindex(index)
        parts[measure] = found[BOUND_COLUMNS].fillna({"low": 0.0, "high": np.inf, "strict": False, "approx": False}).astype({"strict": bool, "approx": bool})
        frame[measure] = found["value"].to_numpy()
        frame[f"{measure}_qualifier"] = found["qualifier"].fillna("vague").to_numpy()
        frame[f"{measure}_figure_id"] = found["figure_id"].fillna("").to_numpy()
    _with_shown(frame, "deaths_per_strike", divide(parts["civilian_deaths"], parts["strikes"]))
    return frame


def conflict_share(dataset: Dataset, source_id: str) -> pd.DataFrame:
    """How the conflict's civilian deaths split into each side's analysed strikes and the rest.

    One row per side whose analysed strikes have a toll, then the deaths
    outside the analysed strikes (the total less the parts: a bound when any
    figure is). Empty when the source gives no conflict-wide civilian toll.
    """
    columns = ["part", "label", "civilian_deaths", "civilian_deaths_qualifier", "share", "figure_id"]
    figures = _whole(source_figures(dataset, source_id))
    total = _single(figures, "civilian_deaths", "conflict", "both")
    if total.empty:
        return pd.DataFrame(columns=columns)
    totals = _analysed_totals(figures)
    deaths = totals[totals.index.get_level_values("measure") == "civilian_deaths"].droplevel("measure")
    deaths = deaths.reindex([s for s in ATTACKING_SIDES if s in deaths.index])
    covered = sum_by(deaths, np.zeros(len(deaths), dtype=int))
    whole = total[BOUND_COLUMNS].reset_index(drop=True)
    rest = subtract(whole, covered.reset_index(drop=True)) if len(deaths) else whole
    frame = pd.DataFrame({
        "part": [*deaths.index, "outside_analysed_strikes"],
        "label": [f"analysed strikes by {side_label(s)}" for s in deaths.index] + ["outside the analysed strikes"],
        "figure_id": [*deaths["figure_id"], ""],
    })
    _with_shown(frame, "civilian_deaths", pd.concat([deaths[BOUND_COLUMNS], rest], ignore_index=True))
    frame["share"] = frame["civilian_deaths"] / float(total["value"].iloc[0])
    return frame[columns]


def conflict_totals(dataset: Dataset, source_id: str) -> pd.DataFrame:
    """Conflict-wide totals the source states: civilians killed, then all deaths, each with its qualifier."""
    figures = _whole(source_figures(dataset, source_id))
    chosen = figures[(figures["scope"] == "conflict") & figures["measure"].isin(["civilian_deaths", "deaths_all"]) & (figures["side"] == "both")]
    chosen = chosen.sort_values("measure", key=lambda m: m.map({"civilian_deaths": 0, "deaths_all": 1}))
    return chosen[["figure_id", "measure", "value", "qualifier", "quote"]].reset_index(drop=True)


def civilian_share_of_all(dataset: Dataset, source_id: str) -> tuple[float, str] | None:
    """Civilian deaths as a share of all deaths in the conflict, as (value, qualifier); None without both figures."""
    figures = _whole(source_figures(dataset, source_id))
    civilians = _single(figures, "civilian_deaths", "conflict", "both")
    everyone = _single(figures, "deaths_all", "conflict", "both")
    if civilians.empty or everyone.empty:
        return None
    seen = shown(divide(civilians[BOUND_COLUMNS].reset_index(drop=True), everyone[BOUND_COLUMNS].reset_index(drop=True))).iloc[0]
    return float(seen["value"]), str(seen["qualifier"])


# ---------------------------------------------------------------------------
# Per strike

PER_STRIKE_COLUMNS = [
    "kind", "strike_id", "date", "place", "place_other_name", "place_label", "territory", "side", "side_basis", "weapon",
    *[f"{m}{s}" for m in COUNTED for s in ("", "_qualifier")],
    *[f"{m}_figure_id" for m in HARM_MEASURES],
]


def per_strike(dataset: Dataset, source_id: str, side: str = "") -> pd.DataFrame:
    """Named strikes with their own tolls, then, per side, the rest of the analysed strikes.

    kind is 'strike'; 'group of strikes' when the source counts several
    strikes together (its strikes figure for the row is above one); or
    'other analysed strikes': the side's analysed total less its named
    strikes, one row per side, whose split between strikes is unknown. The
    remainder assumes the named strikes are among the analysed ones.
    """
    check_side(side)
    figures = _whole(source_figures(dataset, source_id))
    on_strikes = figures[figures["scope"] == "strike"]
    order = pd.Index(pd.unique(on_strikes["strike_id"]), name="strike_id")
    strikes = dataset.strikes.set_index("strike_id").reindex(order)
    named = pd.DataFrame({
        "strike_id": order,
        "date": strikes["date"].to_numpy(),
        "place": strikes["place"].to_numpy(),
        "place_other_name": strikes["place_other_name"].to_numpy(),
        "territory": strikes["territory"].to_numpy(),
        "side": strikes["side"].to_numpy(),
        "side_basis": strikes["side_basis"].to_numpy(),
        "weapon": strikes["weapon"].to_numpy(),
    }, index=order)
    named["place_label"] = [place_label(p, o) for p, o in zip(named["place"], named["place_other_name"])]
    measure_bounds = {}
    for measure in COUNTED:
        chosen = on_strikes[on_strikes["measure"] == measure].set_index("strike_id").reindex(order)
        found = bounds(chosen["value"], chosen["qualifier"].fillna("vague"))
        if measure == "strikes":
            # A strike a source names without counting strikes in it is one strike.
            found = found.where(chosen["value"].notna(), exact(1.0, order), axis=0)
            found = found.astype({"strict": bool, "approx": bool})
        measure_bounds[measure] = found
        _with_shown(named, measure, found)
        if measure != "strikes":
            named[f"{measure}_figure_id"] = chosen["figure_id"].fillna("").to_numpy()
    named["kind"] = np.where((named["strikes"] == 1) & (named["strikes_qualifier"] == "exact"), "strike", "group of strikes")
    if side:
        keep = named["side"] == side
        named = named[keep]
        measure_bounds = {m: b[keep.to_numpy()] for m, b in measure_bounds.items()}

    totals = _analysed_totals(figures)
    sides = [s for s in ATTACKING_SIDES if (not side or s == side) and s in totals.index.get_level_values("side")]
    rest = pd.DataFrame({
        "kind": "other analysed strikes",
        "strike_id": "",
        "date": pd.NaT,
        "place": "",
        "place_other_name": "",
        "place_label": [f"other strikes by {side_label(s)}" for s in sides],
        "territory": "",
        "side": sides,
        "side_basis": "stated",
        "weapon": "",
    }, index=pd.Index(sides))
    has_total = {}
    for measure in COUNTED:
        total = totals.reindex(pd.MultiIndex.from_product([sides, [measure]])).droplevel(1)
        has_total[measure] = total["value"].notna() | (total["qualifier"] == "vague")
        whole = total[BOUND_COLUMNS].fillna({"low": 0.0, "high": np.inf, "strict": False, "approx": False}).astype({"strict": bool, "approx": bool})
        taken = sum_by(measure_bounds[measure], named["side"].to_numpy()).reindex(pd.Index(sides))
        taken = taken.fillna({"low": 0.0, "high": 0.0, "strict": False, "approx": False}).astype({"strict": bool, "approx": bool})
        remainder = subtract(whole, taken)
        _with_shown(rest, measure, remainder)
        rest.loc[~has_total[measure].to_numpy(), [measure, f"{measure}_qualifier"]] = [np.nan, "vague"]
        if measure != "strikes":
            rest[f"{measure}_figure_id"] = ""
    # A side whose strikes are all named has nothing left to show; a leftover toll
    # with no strikes left is kept, since the consistency checks flag it.
    nothing_left = (rest["strikes"] == 0) & (rest["strikes_qualifier"] == "exact") & ~(rest["civilian_deaths"] > 0)
    rest = rest[has_total["strikes"].to_numpy() & ~nothing_left.to_numpy()]
    frame = pd.concat([named.reset_index(drop=True), rest.reset_index(drop=True)], ignore_index=True)
    frame = frame.reindex(columns=PER_STRIKE_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# ---------------------------------------------------------------------------
# Consistency checks

CHECK_COLUMNS = ["check", "left", "relation", "right", "status", "figure_ids"]


def _check_rows(description: pd.Series | str, parts: list[pd.DataFrame], relation: str, whole: pd.DataFrame) -> pd.DataFrame:
    """Checks of aligned rows: sum of parts (relation) whole. Each frame has value, qualifier, figure_id and bounds."""
    left = add(*[p[BOUND_COLUMNS] for p in parts])
    status = compare(left, whole[BOUND_COLUMNS], relation)
    texts = [format_values(p["value"], p["qualifier"]) for p in parts]
    left_text = texts[0]
    for text in texts[1:]:
        left_text = left_text + " + " + text
    ids = parts[0]["figure_id"]
    for part in parts[1:]:
        ids = ids + ", " + part["figure_id"]
    return pd.DataFrame({
        "check": description,
        "left": left_text,
        "relation": relation,
        "right": format_values(whole["value"], whole["qualifier"]),
        "status": status,
        "figure_ids": ids + ", " + whole["figure_id"],
    }, index=whole.index)


def consistency_checks(dataset: Dataset, source_id: str) -> pd.DataFrame:
    """Whether the source's figures agree with each other: parts within wholes, sums that must match.

    One row per check: what is compared, the relation, status ('passed' when
    it must hold, 'failed' when it cannot, 'cannot tell' when a bound or a
    vague figure leaves it open), and the figures involved.
    """
    figures = source_figures(dataset, source_id)
    whole = _whole(figures)
    with_bounds = pd.concat([figures, bounds(figures["value"], figures["qualifier"])], axis=1)
    whole_b = with_bounds[with_bounds["subset"] == ""]
    checks = []

    def single(measure: str, scope: str, side: str) -> pd.DataFrame:
        return _single(whole, measure, scope, side).reset_index(drop=True)

    for measure in COUNTED:
        per_side = [single(measure, "analysed_strikes", s) for s in ATTACKING_SIDES]
        per_side = [p for p in per_side if len(p)]
        both = single(measure, "analysed_strikes", "both")
        if len(per_side) == len(ATTACKING_SIDES) and len(both):
            checks.append(_check_rows(f"{measure_label(measure)}: the sides' analysed strikes add up to all analysed strikes", per_side, "=", both))
        conflict = single(measure, "conflict", "both")
        parts = [both] if len(both) else per_side
        if measure != "strikes" and len(conflict) and parts:
            checks.append(_check_rows(f"{measure_label(measure)}: the analysed strikes' toll is within the conflict's", parts, "≤", conflict))
    civilians, everyone = single("civilian_deaths", "conflict", "both"), single("deaths_all", "conflict", "both")
    if len(civilians) and len(everyone):
        checks.append(_check_rows("civilian deaths are within all deaths in the conflict", [civilians], "≤", everyone))

    # Each named strike, and all of a side's named strikes together, within the side's analysed total.
    totals = with_bounds[(with_bounds["scope"] == "analysed_strikes") & (with_bounds["subset"] == "") & with_bounds["side"].isin(ATTACKING_SIDES)]
    totals = totals.set_index(["side", "measure"])
    on_strikes = whole_b[(whole_b["scope"] == "strike") & whole_b["measure"].isin(COUNTED)].copy()
    on_strikes["attacker"] = on_strikes["strike_id"].map(dataset.strikes.set_index("strike_id")["side"])
    key = pd.MultiIndex.from_arrays([on_strikes["attacker"], on_strikes["measure"]])
    matched = key.isin(totals.index)
    parts = on_strikes[matched].reset_index(drop=True)
    if len(parts):
        against = totals.loc[key[matched]].reset_index(drop=True)
        description = parts["measure"].map(measure_label) + ": " + parts["strike_id"] + " is within the analysed strikes by " + parts["attacker"].map(side_label)
        checks.append(_check_rows(description, [parts], "≤", against))
        grouped = parts.groupby(["attacker", "measure"], sort=True)
        several = grouped["figure_id"].transform("size") > 1
        if several.any():
            many = parts[several]
            summed = sum_by(many, [many["attacker"], many["measure"]])
            seen = shown(summed)
            listed = many.groupby(["attacker", "measure"])["figure_id"].agg(", ".join)
            left = pd.concat([summed, seen], axis=1).assign(figure_id=listed).reset_index(drop=True)
            right = totals.loc[summed.index].reset_index(drop=True)
            keys = summed.index.to_frame(index=False)
            description = keys["measure"].map(measure_label) + ": the named strikes together are within the analysed strikes by " + keys["attacker"].map(side_label)
            checks.append(_check_rows(description, [left], "≤", right))

    # A figure about part of a subject (one family) within the figure about all of it.
    subject = ["measure", "scope", "strike_id", "side"]
    subsets = with_bounds[with_bounds["subset"] != ""].merge(whole_b, on=subject, suffixes=("", "_whole"))
    if len(subsets):
        container = subsets[[f"{c}_whole" for c in ("figure_id", "value", "qualifier", *BOUND_COLUMNS)]]
        container.columns = ["figure_id", "value", "qualifier", *BOUND_COLUMNS]
        description = subsets["measure"].map(measure_label) + ": the part '" + subsets["subset"] + "' is within the whole"
        checks.append(_check_rows(description, [subsets], "≤", container))
    if not checks:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    return pd.concat(checks, ignore_index=True)[CHECK_COLUMNS]


# ---------------------------------------------------------------------------
# What is known and unknown

_STATE = {"exact": "given", "at_least": "lower bound", "more_than": "lower bound", "at_most": "upper bound", "approx": "approximate", "vague": "not given"}


def coverage(dataset: Dataset, source_id: str) -> pd.DataFrame:
    """Per named strike and per side's remaining analysed strikes: which facts the source gives.

    Cells read 'given', 'lower bound', 'upper bound', 'approximate', 'not
    given', or 'total only' for a toll summed over several strikes;
    attacker reads 'stated' or 'inferred'.
    """
    view = per_strike(dataset, source_id)
    several = view["kind"] != "strike"
    frame = pd.DataFrame({
        "subject": view["place_label"] + view["date"].dt.strftime(", %Y-%m-%d").fillna(""),
        "kind": view["kind"],
        "strikes": format_values(view["strikes"], view["strikes_qualifier"]),
    })
    for measure in HARM_MEASURES:
        state = view[f"{measure}_qualifier"].map(_STATE)
        frame[measure] = state.where(~several | (state == "not given"), "total only")
    frame["date"] = np.where(view["date"].notna(), "given", "not given")
    frame["place"] = np.where(view["place"] != "", "given", "not given")
    frame["weapon"] = np.where(view["weapon"] != "", "given", "not given")
    frame["attacker"] = view["side_basis"]
    return frame


# ---------------------------------------------------------------------------
# One study: the data, the source and the side a notebook analyses


@dataclass(frozen=True)
class Study:
    """What a notebook analyses: the validated data, one source's figures, an optional side."""

    dataset: Dataset
    source_id: str
    side: str
    source: pd.Series
    figures: pd.DataFrame

    @property
    def source_line(self) -> str:
        return source_line(self.dataset.sources, [self.source_id])


def expect_types(**values: tuple[object, type]) -> None:
    """Parameters of the types the notebooks declare; papermill itself passes whatever it is given."""
    for name, (value, expected) in values.items():
        if type(value) is not expected:
            raise TypeError(f"parameter {name} must be {expected.__name__}, not {type(value).__name__} {value!r}")


def prepare(data_dir: str = "", source_id: str = "", side: str = "") -> Study:
    """Load and validate the data in data_dir (empty: the bundled data) and pick source_id's figures.

    Every parameter is checked here, so a notebook stops at its first cell
    with a message naming what is wrong.
    """
    expect_types(data_dir=(data_dir, str), source_id=(source_id, str), side=(side, str))
    check_side(side)
    dataset = load_dataset(data_dir or None)
    figures = source_figures(dataset, source_id)
    source = dataset.sources.set_index("source_id").loc[source_id]
    return Study(dataset, source_id, side, source, figures)


def readable_figures(study: Study) -> pd.DataFrame:
    """The source's figures as a reader reads them: what is counted, about whom, the number with its hedge, the quote."""
    figures = study.figures
    strikes = study.dataset.strikes.set_index("strike_id")
    place = figures["strike_id"].map(lambda s: "" if not s else place_label(strikes.at[s, "place"], strikes.at[s, "place_other_name"]))
    date = figures["strike_id"].map(lambda s: "" if not s or pd.isna(strikes.at[s, "date"]) else f", {strikes.at[s, 'date']:%Y-%m-%d}")
    scope = figures["scope"].map({"conflict": "the whole conflict", "analysed_strikes": "the analysed strikes", "strike": ""})
    side = figures["side"].map(lambda s: "" if s == "unspecified" else f" by {side_label(s)}" if s in ATTACKING_SIDES else f", {side_label(s)}")
    side = side.where(~figures["measure"].isin(LOSS_MEASURES), figures["side"].map(lambda s: f", {side_label(s)}' losses" if s in ATTACKING_SIDES else ""))
    subset = figures["subset"].map(lambda s: f" (only: {s.replace('_', ' ')})" if s else "")
    return pd.DataFrame({
        "figure_id": figures["figure_id"],
        "what": figures["measure"].map(measure_label),
        "about": (scope + place + date + side + subset).str.strip(", "),
        "as stated": [format_figure(row) for _, row in figures.iterrows()],
        "quote": figures["quote"],
        "derivation": figures["derivation"],
    }).reset_index(drop=True)


# ---------------------------------------------------------------------------
# Gaps: what the figures leave unknown, each shown from the data

GAP_COLUMNS = ["gap", "evidence", "figure_ids", "would_close"]


def gaps(study: Study) -> pd.DataFrame:
    """What one source's figures leave unknown. evidence is Markdown generated from the data (text escaped)."""
    md = escape_markdown
    figures, dataset, source_id = study.figures, study.dataset, study.source_id
    whole = _whole(figures)
    view = per_strike(dataset, source_id)
    rows = []

    totals = _analysed_totals(whole)
    named = view[view["kind"] != "other analysed strikes"]
    named_with_toll = named[named["civilian_deaths_qualifier"] != "vague"]
    both_strikes = _single(whole, "strikes", "analysed_strikes", "both")
    strikes_total = (format_value(both_strikes["value"].iloc[0], both_strikes["qualifier"].iloc[0]) if len(both_strikes)
                     else "an unstated number of")
    if len(totals) or len(named):
        counted = shown(sum_by(bounds(named_with_toll["strikes"], named_with_toll["strikes_qualifier"]), np.zeros(len(named_with_toll), dtype=int)))
        counted_text = format_value(counted["value"].iloc[0], counted["qualifier"].iloc[0]) if len(counted) else "0"
        rest = view[view["kind"] == "other analysed strikes"]
        rest_text = "; ".join(f"{format_value(r['strikes'], r['strikes_qualifier'])} by {side_label(r['side'])} with "
                              f"{format_value(r['civilian_deaths'], r['civilian_deaths_qualifier'])} civilian deaths between them"
                              for _, r in rest.iterrows())
        rows.append({
            "gap": "Per-strike tolls are missing for most strikes",
            "evidence": md(f"Of {strikes_total} analysed strikes, the source gives a separate toll for {counted_text}"
                           + (f" (in {plural(len(named_with_toll), 'named strike or group', 'named strikes or groups')})" if len(named_with_toll) != counted["value"].iloc[0] else "") + ".")
                        + (md(f" The rest are known only as per-side totals: {rest_text}.") if rest_text else ""),
            "figure_ids": ", ".join(named_with_toll["civilian_deaths_figure_id"]),
            "would_close": "A list of every analysed strike with its date, place, weapon and toll, as in the cited report's own case studies.",
        })

    injuries = figures[figures["measure"] == "civilian_injuries"]
    strikes = dataset.strikes.set_index("strike_id")
    where = [place_label(strikes.at[s, "place"], strikes.at[s, "place_other_name"]) if s else ("the whole conflict" if sc == "conflict" else "the analysed strikes")
             for s, sc in zip(injuries["strike_id"], injuries["scope"])]
    rows.append({
        "gap": "Injuries are barely counted",
        "evidence": md(f"The source gives {plural(len(injuries), 'injury figure')}"
                       + (f": {'; '.join(f'{format_figure(r)} in {w}' for (_, r), w in zip(injuries.iterrows(), where))}" if len(injuries) else "")
                       + ". It gives no injury total for either side or for the conflict." if not (injuries["scope"] != "strike").any() else "."),
        "figure_ids": ", ".join(injuries["figure_id"]),
        "would_close": "Injury counts per strike and per side, with how injuries were defined and counted.",
    })

    share = conflict_share(dataset, source_id)
    if len(share):
        rest = share[share["part"] == "outside_analysed_strikes"].iloc[0]
        total = _single(whole, "civilian_deaths", "conflict", "both")
        rows.append({
            "gap": "Civilian deaths outside the analysed strikes",
            "evidence": md(f"Of {format_value(total['value'].iloc[0], total['qualifier'].iloc[0])} civilian deaths in the conflict, "
                           f"{format_value(rest['civilian_deaths'], rest['civilian_deaths_qualifier'])} are outside the analysed strikes: "
                           "the source gives no place, date, attacker or weapon for them."),
            "figure_ids": ", ".join(share["figure_id"][share["figure_id"] != ""].tolist() + total["figure_id"].tolist()),
            "would_close": "An incident-by-incident record of all civilian deaths (as casualty recorders keep), with sources for each.",
        })

    hedged = figures[figures["qualifier"] != "exact"]
    if len(hedged):
        items = "\n".join(f"- {md(measure_label(r['measure']))}: {md(format_figure(r))}" + (f" (“{md(r['quote'])}”)" if r["quote"] and r["qualifier"] != "vague" else "")
                          for _, r in hedged.iterrows())
        rows.append({
            "gap": "Bounds and vague quantities",
            "evidence": md(f"{plural(len(hedged), 'figure')} of the source {'is' if len(hedged) == 1 else 'are'} not exact; each is shown with its hedge:") + "\n\n" + items,
            "figure_ids": ", ".join(hedged["figure_id"]),
            "would_close": "The exact counts, or the basis of each estimate.",
        })

    mine = strikes.loc[pd.unique(figures["strike_id"][figures["strike_id"] != ""])]
    inferred = mine[mine["side_basis"] == "inferred"]
    if len(inferred):
        items = "\n".join(f"- {md(place_label(s['place'], s['place_other_name']))}"
                          + ("" if pd.isna(s["date"]) else f", {s['date']:%d %B %Y}")
                          + f": {md(side_label(s['side']))}, inferred. {md(s['note'])}" for _, s in inferred.iterrows())
        rows.append({
            "gap": "Attributions that are inferred",
            "evidence": md(f"The source names the attacker of {len(mine) - len(inferred) or 'none'} of the {plural(len(mine), 'strike or group', 'strikes or groups')} it mentions; "
                           f"{'the others are' if len(mine) - len(inferred) else 'all are'} attributed here by inference:") + "\n\n" + items,
            "figure_ids": "",
            "would_close": "A source that states who fired each strike, with its evidence.",
        })

    missiles = figures[figures["measure"] == "missile_strikes"]
    contested = mine[mine["place_other_name"] != ""]
    if len(missiles) or len(contested):
        items = [f"- What a “strike” counts: the source counts {md(format_figure(r))} missile strikes on {md(place_label(strikes.at[r['strike_id'], 'place'], strikes.at[r['strike_id'], 'place_other_name']))} "
                 "within what its totals treat as one strike, so “strike” means an incident in one count and a missile in another."
                 for _, r in missiles.iterrows()]
        quotes = figures[figures["quote"] != ""].drop_duplicates("strike_id").set_index("strike_id")["quote"]
        items += [f"- Which {md(s['place'])}: the place has two names, {md(place_label(s['place'], s['place_other_name']))}, and the data place it in "
                  f"{md(TERRITORY_LABELS.get(s['territory'], s['territory']))}"
                  + (f"; the source's words: “{md(quotes[strike_id])}”." if strike_id in quotes.index else ".")
                  for strike_id, s in contested.iterrows()]
        rows.append({
            "gap": "Ambiguous wording",
            "evidence": "\n".join(items),
            "figure_ids": ", ".join(missiles["figure_id"]),
            "would_close": "Definitions from the original report: what counts as one strike, and which place each name refers to.",
        })
    disputed = source_disagreements(study)
    if len(disputed):
        items = "\n".join(f"- {md(r['subject'])}, {md(measure_label(r['measure']))}: {md(r['range'])} ({md(r['agreement'])}). Who says what: {md(r['sources'])}."
                          for _, r in disputed.iterrows())
        rows.append({
            "gap": "Other sources say otherwise",
            "evidence": md(f"On {plural(len(disputed), 'subject')} this source gives figures for, other sources give other numbers or other hedges:") + "\n\n" + items,
            "figure_ids": ", ".join(disputed["figure_ids"]),
            "would_close": "The original documents, and for each count its date, its method and what it includes.",
        })
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


# ---------------------------------------------------------------------------
# The ledger: every source's value for the same subject, side by side
#
# A subject is what a figure counts and of what: measure, scope, side (for a
# strike, the strike is enough), strike, subset, and, for analysed strikes,
# the study whose selection of strikes it is (the original at the end of the
# source's `cites` chain), so that one study's analysed strikes are compared
# with copies of the same study, never with another study's selection.

DOCUMENT_WORDS = {"ngo_report": "report", "ngo_press_release": "press release", "official_statement": "statement",
                  "news_article": "article", "news_agency_report": "agency report", "encyclopedia": "encyclopedia article", "website_copy": "copy"}
SUBJECT_KEY = ["measure", "scope", "subject_side", "strike_id", "subset", "study"]
LEDGER_COLUMNS = ["subject_id", "subject", "n_sources", "n_originals", "low", "high", "range",
                  "hedged", "hedges_differ", "agreement", "sources", "figure_ids", *SUBJECT_KEY]


def original_of(sources: pd.DataFrame) -> pd.Series:
    """For each source_id, the original at the end of its cites chain (itself when it cites none)."""
    parent = sources.set_index("source_id")["cites"]
    original = pd.Series(parent.index, index=parent.index)
    for _ in range(len(parent)):  # one step up the chain per pass, over all sources at once
        up = parent.reindex(original.to_numpy()).fillna("").to_numpy()
        moving = up != ""
        if not moving.any():
            break
        original[moving] = up[moving]
    return original


def ledger_entries(dataset: Dataset, measures: list[str] | None = None, subject: str = "") -> pd.DataFrame:
    """Every figure with its subject: who says what about which subject. Filtered by measures and by
    subject (a case-insensitive piece of the subject's label or strike_id; empty: all)."""
    figures = dataset.figures
    if measures:
        figures = figures[figures["measure"].isin(measures)]
    sources = dataset.sources.set_index("source_id")
    strikes = dataset.strikes.set_index("strike_id")
    entries = figures.copy()
    entries["original"] = entries["source_id"].map(original_of(dataset.sources))
    entries["study"] = entries["original"].where(entries["scope"] == "analysed_strikes", "")
    entries["subject_side"] = entries["side"].where(entries["scope"] != "strike", "")
    entries["source_label"] = entries["source_id"].map(sources["publisher"])
    entries["original_label"] = entries["original"].map(sources["publisher"])
    entries["original_kind"] = entries["original"].map(sources["kind"])
    # "X, citing X" reads as nonsense when a publisher cites its own document: say which document.
    same_publisher = entries["original_label"] == entries["source_label"]
    entries["citing"] = np.where(entries["original"] == entries["source_id"], "",
                                 np.where(same_publisher, "citing its own " + entries["original_kind"].map(DOCUMENT_WORDS).fillna("original"),
                                          "citing " + entries["original_label"]))
    entries["as_stated"] = format_values(entries["value"], entries["qualifier"])
    # Labels are made once per strike, then looked up: a strike has many figures.
    has_other = strikes["place_other_name"] != ""
    dates = strikes["date"].dropna().unique()
    date_text = strikes["date"].map(dict(zip(dates, pd.DatetimeIndex(dates).strftime(", %d %b %Y")))).fillna(" (group)")
    strike_label = strikes["place"] + np.where(has_other, " / " + strikes["place_other_name"], "") + date_text
    study = ("analysed strikes (study: " + entries["study"].map(sources["publisher"]) + ")").fillna("analysed strikes")
    label = pd.Series(np.select(
        [entries["scope"] == "strike", entries["scope"] == "analysed_strikes"],
        [entries["strike_id"].map(strike_label).fillna(""), study],
        "whole conflict",
    ), index=entries.index)
    # For losses (military deaths, missing) the side is the party that lost them, not an attacker.
    losses = entries["measure"].isin(LOSS_MEASURES)
    side_text = entries["subject_side"].map({s: f", by {side_label(s)}" for s in ATTACKING_SIDES} | {"both": ", both sides"}).fillna("")
    side_text = side_text.where(~losses, entries["subject_side"].map({s: f", {side_label(s)}' losses" for s in ATTACKING_SIDES} | {"both": ", both sides"}).fillna(""))
    subset = ("— only " + entries["subset"].str.replace("_", " ")).where(entries["subset"] != "", "")
    entries["subject"] = label + side_text + np.where(subset != "", " " + subset, "")
    # One identifier per subject, built once per subject rather than once per figure.
    codes = entries.groupby(SUBJECT_KEY, sort=False).ngroup().to_numpy()
    first = entries.drop_duplicates(SUBJECT_KEY)
    subject_id = first[SUBJECT_KEY[0]].astype(object)
    for column in SUBJECT_KEY[1:]:
        subject_id = subject_id + "|" + first[column].astype(object)
    entries["subject_id"] = subject_id.to_numpy()[codes]
    if subject:
        wanted = entries["subject"].str.contains(subject, case=False, regex=False) | entries["strike_id"].str.contains(subject, case=False, regex=False)
        entries = entries[wanted]
    return entries.reset_index(drop=True)


def ledger(entries: pd.DataFrame, min_sources: int = 1) -> pd.DataFrame:
    """Per subject: how many sources and originals, the lowest and highest value stated, and whether they agree.

    agreement is 'one source'; 'no number' (only vague figures); 'agree'
    (same value, same hedge); 'hedges differ' (one value, worded with
    different qualifiers); 'compatible' (different numbers that can all be
    true, such as two lower bounds); or 'disagree' (no single number fits
    every source).
    """
    if entries.empty:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    with_bounds = pd.concat([entries, bounds(entries["value"], entries["qualifier"])], axis=1)
    order = with_bounds.sort_values(["subject_id", "value", "source_id"], na_position="last", kind="stable")
    cites = np.where(order["citing"] != "", ", " + order["citing"], "")
    order = order.assign(listed=order["as_stated"] + " (" + order["source_label"] + cites + ")", not_exact=order["qualifier"] != "exact")
    grouped = order.groupby("subject_id", sort=False)
    table = grouped.agg(
        subject=("subject", "first"), n_sources=("source_id", "nunique"),
        n_originals=("original", "nunique"), low=("value", "min"), high=("value", "max"),
        distinct_values=("value", "nunique"), distinct_qualifiers=("qualifier", "nunique"),
        numbers=("value", "count"), n_figures=("figure_id", "size"), floor=("low", "max"), ceiling=("high", "min"),
        hedged=("not_exact", "any"),
        **{column: (column, "first") for column in SUBJECT_KEY},
    )
    table["sources"] = _join_groups(order["subject_id"], order["listed"], "; ").reindex(table.index)
    table["figure_ids"] = _join_groups(order["subject_id"], order["figure_id"], ", ").reindex(table.index)
    agreement = np.select(
        [table["n_sources"] == 1, table["numbers"] == 0,
         (table["distinct_values"] == 1) & (table["distinct_qualifiers"] == 1) & (table["numbers"] == table["n_figures"]),
         (table["distinct_values"] == 1) & (table["numbers"] == table["n_figures"]), table["floor"] <= table["ceiling"]],
        ["one source", "no number", "agree", "hedges differ", "compatible"],
        "disagree",
    )
    table["agreement"] = agreement
    table["hedges_differ"] = table["distinct_qualifiers"] > 1
    table["range"] = np.where(table["low"] == table["high"], format_values(table["low"], pd.Series("exact", index=table.index)),
                              format_values(table["low"], pd.Series("exact", index=table.index)) + " – " + format_values(table["high"], pd.Series("exact", index=table.index)))
    table.loc[table["numbers"] == 0, "range"] = "no number given"
    table = table.reset_index()
    table = table[table["n_sources"] >= min_sources]
    return table[LEDGER_COLUMNS].reset_index(drop=True)


def _join_groups(keys: pd.Series, texts: pd.Series, separator: str) -> pd.Series:
    """Texts joined within runs of equal keys (keys sorted), by one concatenation pass in C, not a Python call per group."""
    keys_array = keys.to_numpy()
    starts = np.flatnonzero(np.r_[True, keys_array[1:] != keys_array[:-1]])
    pieces = (texts + separator).to_numpy(dtype=object)
    joined = np.add.reduceat(pieces, starts)
    return pd.Series(joined, index=keys_array[starts]).str[: -len(separator)]


def source_disagreements(study: Study) -> pd.DataFrame:
    """Ledger rows for the subjects this source gives figures on, where other sources say otherwise."""
    entries = ledger_entries(study.dataset)
    mine = set(entries.loc[entries["source_id"] == study.source_id, "subject_id"])
    table = ledger(entries[entries["subject_id"].isin(mine)], min_sources=2)
    return table[table["agreement"].isin(["disagree", "hedges differ", "compatible"])].reset_index(drop=True)


def parse_measures(text: str) -> list[str]:
    """'civilian_deaths, strikes' -> the list; an unknown measure is an error listing the known ones. Empty: all."""
    known = field_enum("figures", "measure")
    chosen = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise ValueError(f"unknown measure {', '.join(repr(m) for m in unknown)}; the measures are: {', '.join(known)}")
    return chosen


def compared(dataset: Dataset, source_id: str = "", measures: str = "", subject: str = "", min_sources: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ledger a notebook shows: entries and per-subject table, for the subjects source_id gives figures on
    (empty: every subject), the measures listed (empty: all), subjects matching `subject`, and at least
    min_sources sources per subject."""
    expect_types(source_id=(source_id, str), measures=(measures, str), subject=(subject, str), min_sources=(min_sources, int))
    if min_sources < 1:
        raise ValueError(f"min_sources must be at least 1, not {min_sources}")
    entries = ledger_entries(dataset, parse_measures(measures) or None, subject)
    if source_id:
        source_figures(dataset, source_id)
        entries = entries[entries["subject_id"].isin(entries.loc[entries["source_id"] == source_id, "subject_id"])]
    table = ledger(entries, min_sources)
    return entries[entries["subject_id"].isin(table["subject_id"])].reset_index(drop=True), table
