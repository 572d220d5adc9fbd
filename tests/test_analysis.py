"""Per-side and per-strike views, bounds arithmetic, consistency checks and coverage."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import OTHER_FIGURES, OTHER_SOURCE, write_dataset
from helpers import analysis
from helpers.dataset import load_dataset

ARTICLE = "moscow-times-2021-01-14"


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


@pytest.fixture
def other(other_data_dir):
    return load_dataset(other_data_dir)


def one(frame: pd.DataFrame, **where) -> pd.Series:
    chosen = frame
    for column, value in where.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, where
    return chosen.iloc[0]


# ---------------------------------------------------------------------------
# Bounds


def shown_of(values, qualifiers):
    return analysis.shown(analysis.bounds(pd.Series(values, dtype=float), pd.Series(qualifiers)))


def test_bounds_round_trip_every_qualifier():
    seen = shown_of([5, 5, 5, 5, 5, np.nan], ["exact", "at_least", "more_than", "approx", "at_most", "vague"])
    assert seen["qualifier"].tolist() == ["exact", "at_least", "more_than", "approx", "at_most", "vague"]
    assert seen["value"].tolist()[:5] == [5, 5, 5, 5, 5] and math.isnan(seen["value"].iloc[5])


def test_remainder_of_bounds():
    def rest(whole, part):
        w = analysis.bounds(pd.Series([whole[0]], dtype=float), pd.Series([whole[1]]))
        p = analysis.bounds(pd.Series([part[0]], dtype=float), pd.Series([part[1]]))
        out = analysis.shown(analysis.subtract(w, p)).iloc[0]
        return out["value"], out["qualifier"]
    assert rest((72, "exact"), (21, "exact")) == (51, "exact")
    assert rest((72, "at_least"), (21, "exact")) == (51, "at_least")
    assert rest((72, "exact"), (21, "at_least")) == (51, "at_most")   # more in the part leaves less for the rest
    assert rest((72, "exact"), (np.nan, "vague")) == (72, "at_most")
    assert rest((72, "more_than"), (21, "exact")) == (51, "more_than")
    value, qualifier = rest((72, "at_least"), (21, "at_least"))
    assert qualifier == "vague" and math.isnan(value)


def test_compare_statuses():
    def status(left, right, relation):
        l = analysis.bounds(pd.Series([left[0]], dtype=float), pd.Series([left[1]]))
        r = analysis.bounds(pd.Series([right[0]], dtype=float), pd.Series([right[1]]))
        return analysis.compare(l, r, relation).iloc[0]
    assert status((146, "exact"), (6000, "more_than"), "≤") == "passed"
    assert status((7000, "exact"), (6000, "exact"), "≤") == "failed"
    assert status((146, "at_least"), (6000, "more_than"), "≤") == "cannot tell"
    assert status((17, "exact"), (17, "exact"), "=") == "passed"
    assert status((18, "exact"), (17, "exact"), "=") == "failed"
    assert status((17, "at_least"), (17, "exact"), "=") == "cannot tell"
    assert status((6000, "more_than"), (6000, "exact"), "≤") == "failed"


# ---------------------------------------------------------------------------
# Per side


def test_by_side_on_the_article(bundled):
    view = analysis.by_side(bundled, ARTICLE)
    assert view["side"].tolist() == ["armenian_forces", "azerbaijani_forces"]
    armenian, azerbaijani = view.iloc[0], view.iloc[1]
    assert (armenian["strikes"], armenian["civilian_deaths"], armenian["deaths_per_strike"]) == (8, 72, 9)
    assert (azerbaijani["strikes"], azerbaijani["civilian_deaths"]) == (9, 11)
    assert azerbaijani["deaths_per_strike"] == pytest.approx(11 / 9)
    assert set(view["civilian_deaths_qualifier"]) == {"exact"}
    assert armenian["civilian_deaths_figure_id"] == "mt-deaths-armenian"


def test_by_side_on_other_data_keeps_bounds(other):
    view = analysis.by_side(other, OTHER_SOURCE).set_index("side")
    assert view.at["armenian_forces", "civilian_deaths"] == 40
    assert view.at["armenian_forces", "civilian_deaths_qualifier"] == "at_least"
    assert view.at["armenian_forces", "deaths_per_strike"] == 4
    assert view.at["armenian_forces", "deaths_per_strike_qualifier"] == "at_least"
    # Here the other side's strikes kill more: nothing is fixed to the article's shares.
    assert view.at["azerbaijani_forces", "civilian_deaths"] == 300
    assert view.at["azerbaijani_forces", "deaths_per_strike"] == 15


def test_by_side_filter_and_bad_side(bundled):
    assert analysis.by_side(bundled, ARTICLE, side="azerbaijani_forces")["side"].tolist() == ["azerbaijani_forces"]
    with pytest.raises(ValueError, match="side 'russian_forces' is not one of"):
        analysis.by_side(bundled, ARTICLE, side="russian_forces")


def test_unknown_source_names_the_known_ones(bundled):
    with pytest.raises(ValueError, match=re.escape("source_id 'nobody' is not in sources.csv")) as error:
        analysis.by_side(bundled, "nobody")
    assert ARTICLE in str(error.value)


def test_source_without_figures_is_an_error(other):
    with pytest.raises(ValueError, match="'example-ngo-2024' states no figures") as error:
        analysis.by_side(other, "example-ngo-2024")
    assert OTHER_SOURCE in str(error.value)


def test_conflict_share(bundled, other):
    share = analysis.conflict_share(bundled, ARTICLE).set_index("part")
    assert share.loc["outside_analysed_strikes", "civilian_deaths"] == 146 - 72 - 11
    assert share.loc["armenian_forces", "share"] == pytest.approx(72 / 146)
    share = analysis.conflict_share(other, OTHER_SOURCE).set_index("part")
    # at least 500 in all, at least 40 + exactly 300 in the analysed strikes: the rest is a bound both ways open
    rest = share.loc["outside_analysed_strikes"]
    assert rest["civilian_deaths_qualifier"] == "vague"


def test_conflict_totals_keep_the_hedge(bundled):
    totals = analysis.conflict_totals(bundled, ARTICLE)
    assert totals["measure"].tolist() == ["civilian_deaths", "deaths_all"]
    assert totals["qualifier"].tolist() == ["exact", "more_than"]
    assert totals["value"].tolist() == [146, 6000]


# ---------------------------------------------------------------------------
# Per strike


def test_per_strike_on_the_article(bundled):
    view = analysis.per_strike(bundled, ARTICLE)
    ganja = one(view, strike_id="ganja-2020-10-17")
    assert (ganja["kind"], ganja["civilian_deaths"], ganja["side"], ganja["side_basis"]) == ("strike", 21, "armenian_forces", "inferred")
    martuni = one(view, strike_id="martuni-2020-09-27")
    assert martuni["place_label"] == "Martuni / Khojavend"
    assert (martuni["civilian_deaths"], martuni["civilian_injuries"]) == (1, 1)
    rest = one(view, kind="other analysed strikes", side="armenian_forces")
    assert (rest["strikes"], rest["civilian_deaths"], rest["civilian_deaths_qualifier"]) == (7, 51, "exact")
    rest = one(view, kind="other analysed strikes", side="azerbaijani_forces")
    assert (rest["strikes"], rest["civilian_deaths"]) == (8, 10)
    assert rest["civilian_injuries_qualifier"] == "vague"  # the article gives no side's injury total


def test_per_strike_on_other_data(other):
    view = analysis.per_strike(other, OTHER_SOURCE)
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


def test_per_strike_without_per_strike_tolls(tmp_path):
    figures = [f for f in OTHER_FIGURES if f["scope"] != "strike"]
    dataset = load_dataset(write_dataset(tmp_path / "d", figures=figures))
    view = analysis.per_strike(dataset, OTHER_SOURCE)
    assert view["kind"].tolist() == ["other analysed strikes"] * 2
    assert view["strikes"].tolist() == [10, 20]


def test_per_strike_side_filter(other):
    view = analysis.per_strike(other, OTHER_SOURCE, side="armenian_forces")
    assert set(view["side"]) == {"armenian_forces"}
    assert len(view) == 3


# ---------------------------------------------------------------------------
# Consistency checks


def test_consistency_checks_on_the_article(bundled):
    checks = analysis.consistency_checks(bundled, ARTICLE)
    assert set(checks["status"]) == {"passed", "cannot tell"}  # the named victims of Martuni and of one family are lower bounds
    rows = {(c["left"], c["relation"], c["right"]) for _, c in checks.iterrows()}
    assert ("8 + 9", "=", "17") in rows
    assert ("72 + 11", "≤", "146") in rows
    assert ("146", "≤", "more than 6,000") in rows
    assert ("21", "≤", "72") in rows
    assert ("at least 4", "≤", "21") in rows
    assert ("at least 1", "≤", "11") in rows
    assert checks["figure_ids"].str.contains("mt-ganja-family-deaths").any()


def test_consistency_checks_fail_when_figures_disagree(tmp_path):
    figures = [dict(f) for f in OTHER_FIGURES]
    for f in figures:
        if f["figure_id"] == "eg-strikes-all":
            f.update(value="31", quote="31 strikes")
        if f["figure_id"] == "eg-northtown-deaths":
            f.update(value="320", quote="320 killed in Northtown")
    dataset = load_dataset(write_dataset(tmp_path / "d", figures=figures))
    checks = analysis.consistency_checks(dataset, OTHER_SOURCE)
    failed = checks[checks["status"] == "failed"]
    assert ("10 + 20", "=", "31") in set(zip(failed["left"], failed["relation"], failed["right"]))
    assert ("320", "≤", "300") in set(zip(failed["left"], failed["relation"], failed["right"]))
    # The group and the named strike together exceed the side's total too.
    assert failed["check"].str.contains("named strikes together").any()


def test_consistency_checks_with_bounds_cannot_always_tell(other):
    checks = analysis.consistency_checks(other, OTHER_SOURCE).set_index("figure_ids")
    # at least 40 + 300 ≤ at least 500: the first part has no upper end, so it may or may not hold
    assert checks.loc["eg-deaths-arm, eg-deaths-aze, eg-deaths-conflict", "status"] == "cannot tell"
    # at least 500 ≤ about 9,000: cannot be proven either way
    assert checks.loc["eg-deaths-conflict, eg-deaths-all", "status"] == "cannot tell"
    assert checks.loc["eg-southville-children, eg-southville-deaths", "status"] == "passed"


# ---------------------------------------------------------------------------
# Coverage


def test_coverage_on_the_article(bundled):
    table = analysis.coverage(bundled, ARTICLE).set_index("subject")
    assert table.loc["Ganja / Gandzak, 2020-10-17", "civilian_deaths"] == "given"
    assert table.loc["Ganja / Gandzak, 2020-10-17", "civilian_injuries"] == "not given"
    assert table.loc["Martuni / Khojavend, 2020-09-27", "civilian_injuries"] == "lower bound"
    assert table.loc["Ganja / Gandzak, 2020-10-17", "attacker"] == "inferred"
    rest = table.loc["other strikes by Armenian forces"]
    assert (rest["civilian_deaths"], rest["date"], rest["place"], rest["weapon"], rest["attacker"]) == ("total only", "not given", "not given", "not given", "stated")


def test_coverage_on_other_data(other):
    table = analysis.coverage(other, OTHER_SOURCE).set_index("subject")
    assert table.loc["Southville, 2024-03-09", "civilian_deaths"] == "lower bound"
    assert table.loc["Westham, 2024-03-20", "civilian_deaths"] == "not given"
    assert table.loc["Northtown / Nordstadt, 2024-03-02", "attacker"] == "stated"
    assert table.loc["Eastbury", "civilian_deaths"] == "total only"
    assert table.loc["Eastbury", "date"] == "not given"


# ---------------------------------------------------------------------------
# Nothing in helpers/ knows this dataset


def test_helpers_do_not_mention_values_of_the_bundled_data(bundled):
    code = "\n".join(p.read_text(encoding="utf-8") for p in (Path(analysis.__file__).parent).glob("*.py"))
    words = set(bundled.strikes["place"]) | set(bundled.strikes["place_other_name"]) - {""}
    words |= set(bundled.strikes["strike_id"]) | set(bundled.figures["figure_id"]) | set(bundled.sources["source_id"])
    words |= {"Amnesty", "Moscow Times"}
    for word in words - {""}:
        assert word not in code, word
    article = bundled.figures[bundled.figures["source_id"] == ARTICLE]
    numbers = {int(v) for v in article["value"].dropna() if v >= 10} | {int(v) for v in bundled.figures["value"].dropna() if v >= 1000}
    for number in numbers:
        for shape in {str(number), f"{number:,}"}:
            assert not re.search(rf"(?<![\w.]){re.escape(shape)}(?![\w.])", code), shape
