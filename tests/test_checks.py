"""Consistency checks among one source's figures, and coverage of facts per strike."""

from __future__ import annotations

import pandas as pd

from conftest import OTHER_FIGURES, one, study_of, write_dataset
from helpers import checks


def compared(frame: pd.DataFrame) -> set[tuple]:
    return {(c["left_figure_ids"], c["left"], c["relation"], c["right"], c["status"]) for _, c in frame.iterrows()}


def test_consistency_checks_on_the_article(article):
    found = checks.consistency_checks(article)
    # Named victims are lower bounds and 146 is read as at least 146: some checks stay open, none fails.
    assert set(found["status"]) == {"passed", "cannot tell"}
    rows = compared(found)
    assert (("mt-strikes-armenian", "mt-strikes-azerbaijani"), 17, "=", 17, "passed") in rows
    assert (("mt-deaths-armenian", "mt-deaths-azerbaijani"), 83, "≤", 146, "passed") in rows
    assert (("mt-deaths-civilian-conflict",), 146, "≤", 6000, "cannot tell") in rows
    assert (("mt-ganja-deaths",), 21, "≤", 72, "passed") in rows
    assert (("mt-ganja-family-deaths",), 4, "≤", 21, "cannot tell") in rows
    assert set(found["check"]) >= {
        "sides_add_up",
        "analysed_within_conflict",
        "civilians_within_all",
        "strike_within_side",
        "part_within_whole",
    }


def test_consistency_checks_fail_when_figures_disagree(tmp_path):
    changes = {
        "eg-strikes-all": {"value": "31", "quote": "31 strikes"},
        "eg-northtown-deaths": {"value": "320", "quote": "320 killed in Northtown"},
    }
    figures = [{**f, **changes.get(f["figure_id"], {})} for f in OTHER_FIGURES]
    found = checks.consistency_checks(study_of(write_dataset(tmp_path / "d", figures=figures)))
    failed = compared(found[found["status"] == "failed"])
    assert (("eg-strikes-arm", "eg-strikes-aze"), 30, "=", 31, "failed") in failed
    assert (("eg-northtown-deaths",), 320, "≤", 300, "failed") in failed
    # The group and the named strike together exceed the side's total too.
    assert (("eg-northtown-deaths", "eg-eastbury-deaths"), 380, "≤", 300, "failed") in failed


def test_consistency_checks_with_bounds_cannot_always_tell(other):
    found = checks.consistency_checks(other).set_index("left_figure_ids")
    # at least 40 + 300 ≤ at least 500: the first part has no upper end, so it may or may not hold
    assert found.loc[[("eg-deaths-arm", "eg-deaths-aze")], "status"].tolist() == ["cannot tell"]
    # at least 500 ≤ about 9,000: cannot be proven either way
    assert found.loc[[("eg-deaths-conflict",)], "status"].tolist() == ["cannot tell"]
    assert found.loc[[("eg-southville-children",)], "status"].tolist() == ["passed"]


def test_coverage_on_the_article(article):
    table = checks.coverage(article)
    ganja = one(table, strike_id="ganja-2020-10-17")
    assert (ganja["civilian_deaths"], ganja["civilian_injuries"], ganja["attacker"]) == ("exact", "vague", "inferred")
    rest = one(table, kind="other analysed strikes", side="armenian_forces")
    facts = (rest["civilian_deaths"], rest["date_given"], rest["place_given"], rest["weapon_given"], rest["attacker"])
    assert facts == ("total_only", False, False, False, "stated")


def test_coverage_on_other_data(other):
    table = checks.coverage(other)
    assert one(table, strike_id="southville-2024-03-09")["civilian_deaths"] == "more_than"
    assert one(table, strike_id="westham-2024-03-20")["civilian_deaths"] == "vague"
    assert one(table, strike_id="northtown-2024-03-02")["attacker"] == "stated"
    eastbury = one(table, strike_id="eastbury-strikes")
    assert (eastbury["civilian_deaths"], eastbury["date_given"]) == ("total_only", False)
