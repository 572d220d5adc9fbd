"""Whether one source's figures agree with each other (numbers compared, relation, status, figures), and which facts it gives per strike."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bounds import BOUND_COLUMNS, add, as_values, compare, sum_by, with_bounds
from .study import ATTACKING_SIDES, COUNTED, HARM_MEASURES, Study
from .views import analysed_totals, per_strike, single

CHECK_ABOUT = ["measure", "side", "strike_id", "subset"]
CHECK_NUMBERS = "left left_qualifier relation right right_qualifier status left_figure_ids right_figure_id".split()
CHECK_COLUMNS = ["check", *CHECK_ABOUT, *CHECK_NUMBERS]


def _checks(check: str, parts: list[pd.DataFrame], relation: str, whole: pd.DataFrame, **about) -> pd.DataFrame:
    """Checks of aligned rows: the sum of parts (relation) whole. Each frame has figure_id and bounds."""
    left = add(*[p[BOUND_COLUMNS] for p in parts])
    seen_left, seen_right = as_values(left), as_values(whole[BOUND_COLUMNS])
    left_ids = pd.Series(list(zip(*[p["figure_id"] for p in parts])), index=whole.index)
    columns = {"check": check, "left": seen_left["value"], "left_qualifier": seen_left["qualifier"], "relation": relation}
    columns |= {"right": seen_right["value"], "right_qualifier": seen_right["qualifier"], "status": compare(left, whole, relation)}
    frame = pd.DataFrame({**columns, "left_figure_ids": left_ids, "right_figure_id": whole["figure_id"]}, index=whole.index)
    for column in CHECK_ABOUT:
        frame[column] = about.get(column, "")
    return frame


def consistency_checks(study: Study) -> pd.DataFrame:
    """Parts within wholes and sums that must match among the source's figures: 'passed', 'failed', or 'cannot tell' (a bound or vague)."""
    whole = study.whole
    checks = []
    for measure in COUNTED:
        per_side = [p for p in (single(whole, measure, "analysed_strikes", s) for s in ATTACKING_SIDES) if len(p)]
        both = single(whole, measure, "analysed_strikes", "both")
        if len(per_side) == len(ATTACKING_SIDES) and len(both):
            checks.append(_checks("sides_add_up", per_side, "=", both, measure=measure))
        conflict = single(whole, measure, "conflict", "both")
        parts = [both] if len(both) else per_side
        if measure != "strikes" and len(conflict) and parts:
            checks.append(_checks("analysed_within_conflict", parts, "≤", conflict, measure=measure))
    civilians, everyone = single(whole, "civilian_deaths", "conflict", "both"), single(whole, "deaths_all", "conflict", "both")
    if len(civilians) and len(everyone):
        checks.append(_checks("civilians_within_all", [civilians], "≤", everyone, measure="civilian_deaths"))
    checks += _strike_checks(study) + _subset_checks(study)
    if not checks:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    return pd.concat(checks, ignore_index=True)[CHECK_COLUMNS]


def _strike_checks(study: Study) -> list[pd.DataFrame]:
    """Each named strike, and all of a side's named strikes together, within the side's analysed total."""
    totals = analysed_totals(study)
    whole = with_bounds(study.whole)
    on_strikes = whole[(whole["scope"] == "strike") & whole["measure"].isin(COUNTED)].copy()
    on_strikes["attacker"] = on_strikes["strike_id"].map(study.strikes["side"])
    key = pd.MultiIndex.from_arrays([on_strikes["attacker"], on_strikes["measure"]])
    matched = key.isin(totals.index)
    parts = on_strikes[matched].reset_index(drop=True)
    if parts.empty:
        return []
    against = totals.loc[key[matched]].reset_index(drop=True)
    about = {"measure": parts["measure"], "side": parts["attacker"], "strike_id": parts["strike_id"]}
    checks = [_checks("strike_within_side", [parts], "≤", against, **about)]
    several = parts.groupby(["attacker", "measure"])["figure_id"].transform("size") > 1
    if several.any():
        many = parts[several]
        summed = sum_by(many, [many["attacker"], many["measure"]])
        left = summed.assign(figure_id=many.groupby(["attacker", "measure"])["figure_id"].agg(tuple)).reset_index(drop=True)
        right = totals.loc[summed.index].reset_index(drop=True)
        keys = summed.index.to_frame(index=False)
        check = _checks("named_within_side", [left], "≤", right, measure=keys["measure"], side=keys["attacker"])
        # The left side is several figures summed: list them all, not one tuple inside another.
        check["left_figure_ids"] = left["figure_id"]
        checks.append(check)
    return checks


def _subset_checks(study: Study) -> list[pd.DataFrame]:
    """A figure about part of a subject (one family) within the figure about all of it."""
    figures = with_bounds(study.figures)
    subject = ["measure", "scope", "strike_id", "side"]
    subsets = figures[figures["subset"] != ""].merge(figures[figures["subset"] == ""], on=subject, suffixes=("", "_whole"))
    if subsets.empty:
        return []
    container = subsets[[f"{c}_whole" for c in ("figure_id", *BOUND_COLUMNS)]]
    container.columns = ["figure_id", *BOUND_COLUMNS]
    about = {column: subsets[column] for column in ("measure", "strike_id", "subset")}
    return [_checks("part_within_whole", [subsets], "≤", container, **about)]


def coverage(study: Study) -> pd.DataFrame:
    """Per row of per_strike, the facts given: each toll's qualifier or 'total_only' (several strikes), date, place, weapon, attacker."""
    view = per_strike(study)
    several = view["kind"] != "strike"
    frame = view[["kind", "strike_id", "side", "date", "place", "place_other_name", "strikes", "strikes_qualifier", "rest_inferred"]].copy()
    for measure in HARM_MEASURES:
        state = view[f"{measure}_qualifier"]
        frame[measure] = state.where(~several | (state == "vague"), "total_only")
    frame["date_given"] = view["date"].notna()
    frame["place_given"] = view["place"] != ""
    frame["weapon_given"] = view["weapon"] != ""
    frame["attacker"] = np.where(view["side_basis"] == "stated", "stated", "inferred")
    return frame
