"""Per-side and per-strike views of one source's figures, hedges carried as bounds: values, qualifiers and the ids of their figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bounds import BOUND_COLUMNS, CONTRADICTORY, NOTHING, as_values, bounds, divide, filled, put_values, subtract, sum_by, with_bounds
from .study import ATTACKING_SIDES, COUNTED, HARM_MEASURES, Study

STRIKE_FACTS = ["strike_id", "date", "place", "place_other_name", "territory", "side", "side_basis", "weapon", "may_include"]
PER_STRIKE_COLUMNS = ["kind", *STRIKE_FACTS, *[f"{m}{s}" for m in COUNTED for s in ("", "_qualifier")]]
PER_STRIKE_COLUMNS += [f"{m}_figure_id" for m in HARM_MEASURES]


def single(figures: pd.DataFrame, measure: str, scope: str, side: str) -> pd.DataFrame:
    """At most one figure (a source gives one value per subject), with its bounds."""
    chosen = figures[(figures["measure"] == measure) & (figures["scope"] == scope) & (figures["side"] == side)].head(1)
    return with_bounds(chosen).reset_index(drop=True)


def analysed_totals(study: Study) -> pd.DataFrame:
    """Per attacking side and measure, the source's analysed-strikes figure with its bounds; index (side, measure)."""
    figures = study.whole
    chosen = figures[(figures["scope"] == "analysed_strikes") & figures["side"].isin(ATTACKING_SIDES) & figures["measure"].isin(COUNTED)]
    return with_bounds(chosen).set_index(["side", "measure"])


def _sides_with_totals(study: Study) -> list[str]:
    present = set(analysed_totals(study).index.get_level_values("side"))
    return [side for side in study.sides if side in present]


def _side_totals(study: Study, measure: str, sides: list[str]) -> pd.DataFrame:
    """The analysed-strikes figure of measure for each of sides (NaN where the source gives none)."""
    return analysed_totals(study).reindex(pd.MultiIndex.from_product([sides, [measure]])).droplevel(1)


def by_side(study: Study) -> pd.DataFrame:
    """Per side with analysed-strike figures: strikes, civilians killed, and deaths_per_strike (computed; a bound if either figure is)."""
    frame = pd.DataFrame({"side": _sides_with_totals(study)})
    parts = {}
    for measure in ("strikes", "civilian_deaths"):
        found = _side_totals(study, measure, list(frame["side"]))
        parts[measure] = filled(found).reset_index(drop=True)
        frame[measure] = found["value"].to_numpy()
        frame[f"{measure}_qualifier"] = found["qualifier"].fillna("vague").to_numpy()
        frame[f"{measure}_figure_id"] = found["figure_id"].fillna("").to_numpy()
    put_values(frame, "deaths_per_strike", divide(parts["civilian_deaths"], parts["strikes"]))
    return frame


def named_strikes(study: Study) -> pd.DataFrame:
    """The strikes the source gives figures for, counts and tolls: kind 'group of strikes' where it counts several, else 'strike' (one)."""
    on_strikes = study.whole[study.whole["scope"] == "strike"]
    order = pd.Index(pd.unique(on_strikes["strike_id"]), name="strike_id")
    named = study.strikes.reindex(order).reset_index()[STRIKE_FACTS]
    for measure in COUNTED:
        chosen = on_strikes[on_strikes["measure"] == measure].set_index("strike_id").reindex(order)
        if measure == "strikes":
            chosen = chosen.fillna({"value": 1.0, "qualifier": "exact"})
        named[measure] = chosen["value"].to_numpy()
        named[f"{measure}_qualifier"] = chosen["qualifier"].fillna("vague").to_numpy()
        if measure != "strikes":
            named[f"{measure}_figure_id"] = chosen["figure_id"].fillna("").to_numpy()
    named["kind"] = np.where((named["strikes"] == 1) & (named["strikes_qualifier"] == "exact"), "strike", "group of strikes")
    return named[named["side"].isin(study.sides)].reindex(columns=PER_STRIKE_COLUMNS).reset_index(drop=True)


def remainders(study: Study, named: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per side with a strikes total, its analysed strikes less its named ones (assumed among them), if any: 'other analysed strikes'."""
    named = named_strikes(study) if named is None else named
    sides = _sides_with_totals(study)
    rest = pd.DataFrame({"kind": "other analysed strikes", "side": sides, "side_basis": "stated"})
    has_total = {}
    for measure in COUNTED:
        total = _side_totals(study, measure, sides)
        has_total[measure] = (total["value"].notna() | (total["qualifier"] == "vague")).to_numpy()
        taken = sum_by(bounds(named[measure], named[f"{measure}_qualifier"]), named["side"].to_numpy()).reindex(pd.Index(sides))
        put_values(rest, measure, subtract(filled(total).reset_index(drop=True), filled(taken, NOTHING).reset_index(drop=True)))
        rest.loc[~has_total[measure], [measure, f"{measure}_qualifier"]] = [np.nan, "vague"]
    # A toll left over with no strikes keeps its row: the consistency checks flag it.
    nothing_left = (rest["strikes"] == 0) & (rest["strikes_qualifier"] == "exact") & ~(rest["civilian_deaths"] > 0)
    rest = rest[has_total["strikes"] & ~nothing_left.to_numpy()].reindex(columns=PER_STRIKE_COLUMNS)
    # The remainder is no one strike: no id, place or weapon (text columns empty, as in the tables, not NaN).
    rest[["strike_id", "place", "place_other_name", "territory", "weapon", *[f"{m}_figure_id" for m in HARM_MEASURES]]] = ""
    return rest.reset_index(drop=True)


def per_strike(study: Study) -> pd.DataFrame:
    """Named strikes, then per side the rest of the analysed strikes (see named_strikes and remainders)."""
    named = named_strikes(study)
    frame = pd.concat([named, remainders(study, named)], ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"])
    # A side's rest is inferred where named strikes were taken from its total: that they are among its analysed ones is assumed.
    rest = frame["kind"] == "other analysed strikes"
    frame["rest_inferred"] = rest & frame["side"].isin(frame.loc[~rest, "side"])
    return frame


def conflict_share(study: Study) -> pd.DataFrame:
    """The conflict's civilian deaths split into each side's analysed strikes and the rest, with shares; empty without a conflict total."""
    columns = ["part", "civilian_deaths", "civilian_deaths_qualifier", "share", "share_qualifier", "figure_id"]
    total = single(study.whole, "civilian_deaths", "conflict", "both")
    if total.empty:
        return pd.DataFrame(columns=columns)
    totals = analysed_totals(study)
    deaths = totals[totals.index.get_level_values("measure") == "civilian_deaths"].droplevel("measure")
    deaths = deaths.reindex([s for s in ATTACKING_SIDES if s in deaths.index])
    covered = sum_by(deaths, np.zeros(len(deaths), dtype=int)).reset_index(drop=True)
    rest = subtract(total[BOUND_COLUMNS], covered) if len(deaths) else total[BOUND_COLUMNS]
    parts = pd.concat([deaths[BOUND_COLUMNS], rest], ignore_index=True)
    frame = pd.DataFrame({"part": [*deaths.index, "outside_analysed_strikes"], "figure_id": [*deaths["figure_id"], ""]})
    put_values(frame, "civilian_deaths", parts)
    put_values(frame, "share", divide(parts, pd.concat([total[BOUND_COLUMNS]] * len(parts), ignore_index=True)))
    # A total below its parts has no shares: each would be a share of a number the figures themselves contradict.
    if (frame["civilian_deaths_qualifier"] == CONTRADICTORY).any():
        frame[["share", "share_qualifier"]] = [np.nan, CONTRADICTORY]
    keep = frame["part"].isin([*study.sides, "outside_analysed_strikes"])
    return frame.loc[keep, columns].reset_index(drop=True)


def conflict_totals(study: Study) -> pd.DataFrame:
    """The source's conflict-wide totals, civilians killed then all deaths, read with hedges (attribution) and credited."""
    figures = study.whole
    conflict = figures[(figures["scope"] == "conflict") & (figures["side"] == "both")]
    chosen = conflict[conflict["measure"].isin(["civilian_deaths", "deaths_all"])]
    chosen = chosen.sort_values("measure", key=lambda m: m.map({"civilian_deaths": 0, "deaths_all": 1}))
    columns = ["figure_id", "measure", "value", "qualifier", "stated_qualifier", "hedge_from", "hedge_source", "credited", "quote"]
    return chosen[columns].reset_index(drop=True)


def civilian_share_of_all(study: Study) -> pd.DataFrame:
    """Civilian deaths as a share of all deaths in the conflict: one row (value, qualifier), none without both figures."""
    civilians = single(study.whole, "civilian_deaths", "conflict", "both")
    everyone = single(study.whole, "deaths_all", "conflict", "both")
    if civilians.empty or everyone.empty:
        return pd.DataFrame(columns=["value", "qualifier"])
    return as_values(divide(civilians, everyone))


def total_of(named: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The sum of a column of values with qualifiers, as one row (value, qualifier)."""
    summed = sum_by(bounds(named[measure], named[f"{measure}_qualifier"]), np.zeros(len(named), dtype=int))
    return as_values(filled(summed.reindex([0]), NOTHING))


def war_span(study: Study) -> dict:
    """The war's first and last day (Timestamps) and what ended it (end_label), from the data package; {} when it gives none."""
    conflict = study.dataset.conflict
    if not conflict.get("start") or not conflict.get("end"):
        return {}
    return {"start": pd.Timestamp(conflict["start"]), "end": pd.Timestamp(conflict["end"]), "end_label": conflict.get("end_event", "")}


def dated_strikes(study: Study, per_strike_view: pd.DataFrame) -> pd.DataFrame:
    """Every dated strike of the study's sides, whichever source names it, with the source's toll where given (has_toll; per_strike)."""
    strikes = study.dataset.strikes
    dated = strikes[strikes["date"].notna() & strikes["side"].isin(study.sides)]
    dated = dated[["strike_id", "date", "place", "place_other_name", "side", "side_basis"]].sort_values(["date", "strike_id"])
    tolls = per_strike_view[per_strike_view["strike_id"] != ""].set_index("strike_id")
    dated = dated.join(tolls[["civilian_deaths", "civilian_deaths_qualifier", "civilian_deaths_figure_id"]], on="strike_id")
    dated = dated.fillna({"civilian_deaths_qualifier": "vague", "civilian_deaths_figure_id": ""})
    dated["has_toll"] = dated["civilian_deaths_qualifier"] != "vague"
    return dated.reset_index(drop=True)
