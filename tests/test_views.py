"""Per-side and per-strike views, consistency checks and coverage: numbers, qualifiers and figure ids."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import ARTICLE, OTHER_FIGURES, OTHER_SOURCE, one, study_of, write_dataset
from helpers import checks, views
from helpers.study import ParameterError, Study, check_parameters

# ---------------------------------------------------------------------------
# Per side


def test_by_side_on_the_article(article):
    view = views.by_side(article)
    assert view["side"].tolist() == ["armenian_forces", "azerbaijani_forces"]
    armenian, azerbaijani = view.iloc[0], view.iloc[1]
    assert (armenian["strikes"], armenian["civilian_deaths"], armenian["deaths_per_strike"]) == (8, 72, 9)
    assert (azerbaijani["strikes"], azerbaijani["civilian_deaths"]) == (9, 11)
    assert azerbaijani["deaths_per_strike"] == pytest.approx(11 / 9)
    assert set(view["civilian_deaths_qualifier"]) == {"exact"}
    assert armenian["civilian_deaths_figure_id"] == "mt-deaths-armenian"


def test_by_side_on_other_data_keeps_bounds(other):
    view = views.by_side(other).set_index("side")
    assert view.at["armenian_forces", "civilian_deaths"] == 40
    assert view.at["armenian_forces", "civilian_deaths_qualifier"] == "at_least"
    assert view.at["armenian_forces", "deaths_per_strike"] == 4
    assert view.at["armenian_forces", "deaths_per_strike_qualifier"] == "at_least"
    # Here the other side's strikes kill more: nothing is fixed to the article's shares.
    assert view.at["azerbaijani_forces", "civilian_deaths"] == 300
    assert view.at["azerbaijani_forces", "deaths_per_strike"] == 15


def test_by_side_filter(bundled):
    assert views.by_side(Study(bundled, ARTICLE, "azerbaijani_forces"))["side"].tolist() == ["azerbaijani_forces"]


def test_parameters_are_checked_once_for_runner_and_notebooks(bundled, other):
    with pytest.raises(ParameterError, match="side 'russian_forces' is not one of"):
        check_parameters({"source_id": ARTICLE, "side": "russian_forces"}, bundled)
    with pytest.raises(ParameterError, match=re.escape("source_id 'nobody' is not in sources.csv")) as error:
        check_parameters({"source_id": "nobody"}, bundled)
    assert ARTICLE in str(error.value)
    with pytest.raises(ParameterError, match="'example-ngo-2024' states no figures") as error:
        check_parameters({"source_id": "example-ngo-2024"}, other.dataset)
    assert OTHER_SOURCE in str(error.value)
    with pytest.raises(ParameterError, match="parameter side must be str, not int 3"):
        check_parameters({"source_id": ARTICLE, "side": 3}, bundled)
    with pytest.raises(ParameterError, match="unknown measure 'deaths'"):
        check_parameters({"source_id": ARTICLE, "measures": "deaths"}, bundled)
    with pytest.raises(ParameterError, match="min_sources must be at least 1"):
        check_parameters({"source_id": ARTICLE, "measures": "", "min_sources": 0}, bundled)
    # Empty source: every subject, where the notebook compares sources (it has `measures`); an error elsewhere.
    assert check_parameters({"source_id": "", "measures": ""}, bundled) is bundled
    with pytest.raises(ParameterError, match="source_id '' is not in sources.csv"):
        check_parameters({"source_id": ""}, bundled)


def test_conflict_share(article, other):
    share = views.conflict_share(article).set_index("part")
    assert share.loc["outside_analysed_strikes", "civilian_deaths"] == 146 - 72 - 11
    assert share.loc["armenian_forces", "share"] == pytest.approx(72 / 146)
    share = views.conflict_share(other).set_index("part")
    # at least 500 in all, at least 40 + exactly 300 in the analysed strikes: the rest is open both ways
    assert share.loc["outside_analysed_strikes", "civilian_deaths_qualifier"] == "vague"


def test_conflict_share_honours_side_but_the_rest_is_of_both_sides(bundled):
    share = views.conflict_share(Study(bundled, ARTICLE, "armenian_forces"))
    assert share["part"].tolist() == ["armenian_forces", "outside_analysed_strikes"]
    assert share["civilian_deaths"].tolist() == [72, 146 - 72 - 11]


def test_conflict_totals_keep_the_hedge(article):
    totals = views.conflict_totals(article)
    assert totals["measure"].tolist() == ["civilian_deaths", "deaths_all"]
    # The article says 146; Amnesty's own release, the same original, says at least 146: read as at least 146.
    assert totals["stated_qualifier"].tolist() == ["exact", "more_than"]
    assert totals["qualifier"].tolist() == ["at_least", "more_than"]
    assert totals["hedge_from"].tolist() == ["aipr-deaths-civilian-conflict", ""]
    assert totals["credited"].tolist() == ["amnesty-2021-01-report", "unattributed"]
    assert totals["value"].tolist() == [146, 6000]
    # Two open-ended totals: no share of civilians among all deaths follows.
    assert views.civilian_share_of_all(article)["qualifier"].tolist() == ["vague"]


# ---------------------------------------------------------------------------
# Per strike


def test_named_strikes_and_remainders_on_the_article(article):
    named = views.named_strikes(article)
    ganja = one(named, strike_id="ganja-2020-10-17")
    assert (ganja["kind"], ganja["civilian_deaths"], ganja["side"], ganja["side_basis"]) == ("strike", 21, "armenian_forces", "inferred")
    martuni = one(named, strike_id="martuni-2020-09-27")
    assert (martuni["place"], martuni["place_other_name"]) == ("Martuni", "Khojavend")
    assert martuni["civilian_deaths"] == 1
    rest = views.remainders(article, named)
    armenian = one(rest, side="armenian_forces")
    assert (armenian["strikes"], armenian["civilian_deaths"]) == (7, 51)
    azerbaijani = one(rest, side="azerbaijani_forces")
    assert (azerbaijani["strikes"], azerbaijani["civilian_deaths"]) == (8, 11 - martuni["civilian_deaths"])
    # A named toll that is a lower bound leaves an upper bound for the rest.
    expected = "at_most" if martuni["civilian_deaths_qualifier"] in ("at_least", "more_than") else "exact"
    assert azerbaijani["civilian_deaths_qualifier"] == expected
    assert azerbaijani["civilian_injuries_qualifier"] == "vague"  # the article gives no side's injury total
    assert views.per_strike(article)["kind"].tolist() == ["strike", "strike", "other analysed strikes", "other analysed strikes"]


def test_per_strike_on_other_data(other):
    view = views.per_strike(other)
    group = one(view, strike_id="eastbury-strikes")
    assert (group["kind"], group["strikes"], group["civilian_deaths"]) == ("group of strikes", 4, 60)
    westham = one(view, strike_id="westham-2024-03-20")
    assert westham["civilian_deaths_qualifier"] == "vague"  # named, but no toll given
    # Armenian forces: at least 40 in 10 strikes, of which Southville (more than 15) and Westham (unknown) are named.
    rest = one(view, kind="other analysed strikes", side="armenian_forces")
    assert (rest["strikes"], rest["strikes_qualifier"]) == (8, "exact")
    assert rest["civilian_deaths_qualifier"] == "vague"
    # Azerbaijani forces: 300 in 20 strikes; Northtown 120 and Eastbury's 4 strikes with 60 are named.
    rest = one(view, kind="other analysed strikes", side="azerbaijani_forces")
    assert (rest["strikes"], rest["civilian_deaths"], rest["civilian_deaths_qualifier"]) == (15, 120, "exact")


def test_remainder_of_a_lower_bound_is_an_upper_bound(tmp_path):
    figures = [dict(f) for f in OTHER_FIGURES]
    for f in figures:
        if f["figure_id"] == "eg-northtown-deaths":
            f.update(qualifier="at_least", quote="at least 120 killed in Northtown")
    rest = one(views.remainders(study_of(write_dataset(tmp_path / "d", figures=figures))), side="azerbaijani_forces")
    assert (rest["civilian_deaths"], rest["civilian_deaths_qualifier"]) == (120, "at_most")


def test_per_strike_without_per_strike_tolls(tmp_path):
    figures = [f for f in OTHER_FIGURES if f["scope"] != "strike"]
    view = views.per_strike(study_of(write_dataset(tmp_path / "d", figures=figures)))
    assert view["kind"].tolist() == ["other analysed strikes"] * 2
    assert view["strikes"].tolist() == [10, 20]


def test_per_strike_side_filter(other_data_dir):
    view = views.per_strike(study_of(other_data_dir, side="armenian_forces"))
    assert set(view["side"]) == {"armenian_forces"}
    assert len(view) == 3


# ---------------------------------------------------------------------------
# Consistency checks


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
    figures = [dict(f) for f in OTHER_FIGURES]
    for f in figures:
        if f["figure_id"] == "eg-strikes-all":
            f.update(value="31", quote="31 strikes")
        if f["figure_id"] == "eg-northtown-deaths":
            f.update(value="320", quote="320 killed in Northtown")
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


# ---------------------------------------------------------------------------
# Coverage


def test_coverage_on_the_article(article):
    table = checks.coverage(article)
    ganja = one(table, strike_id="ganja-2020-10-17")
    assert (ganja["civilian_deaths"], ganja["civilian_injuries"], ganja["attacker"]) == ("exact", "vague", "inferred")
    rest = one(table, kind="other analysed strikes", side="armenian_forces")
    assert (rest["civilian_deaths"], rest["date_given"], rest["place_given"], rest["weapon_given"], rest["attacker"]) == (
        "total_only",
        False,
        False,
        False,
        "stated",
    )


def test_coverage_on_other_data(other):
    table = checks.coverage(other)
    assert one(table, strike_id="southville-2024-03-09")["civilian_deaths"] == "more_than"
    assert one(table, strike_id="westham-2024-03-20")["civilian_deaths"] == "vague"
    assert one(table, strike_id="northtown-2024-03-02")["attacker"] == "stated"
    eastbury = one(table, strike_id="eastbury-strikes")
    assert (eastbury["civilian_deaths"], eastbury["date_given"]) == ("total_only", False)


# ---------------------------------------------------------------------------
# Nothing in helpers/ knows this dataset


def test_helpers_do_not_mention_values_of_the_bundled_data(bundled):
    code = "\n".join(p.read_text(encoding="utf-8") for p in (Path(views.__file__).parent).glob("*.py"))
    words = set(bundled.strikes["place"]) | set(bundled.strikes["place_other_name"]) - {""}
    words |= set(bundled.strikes["strike_id"]) | set(bundled.figures["figure_id"]) | set(bundled.sources["source_id"])
    words |= {"Amnesty", "Moscow Times"}
    for word in words - {""}:
        assert word not in code, word
    mine = bundled.figures[bundled.figures["source_id"] == ARTICLE]
    numbers = {int(v) for v in mine["value"].dropna() if v >= 10} | {int(v) for v in bundled.figures["value"].dropna() if v >= 1000}
    for number in numbers:
        for shape in {str(number), f"{number:,}"}:
            assert not re.search(rf"(?<![\w.]){re.escape(shape)}(?![\w.])", code), shape


def test_compute_never_imports_the_text_layer():
    """Numbers and words live apart: a module that computes imports neither labels nor text nor anything that does."""
    words = {"labels", "text", "text_checks", "text_gaps", "text_ledger", "tables", "charts", "charts_ledger", "show", "site"}
    for module in ("bounds", "quotes", "dataset", "problems", "rules", "attribution", "study", "views", "checks", "gaps", "ledger"):
        source = (Path(views.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
        imported = set(re.findall(r"^from \.(\w+) import", source, re.M)) | set(re.findall(r"^from \. import (\w+)", source, re.M))
        assert not imported & words, (module, imported & words)
