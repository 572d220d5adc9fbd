"""Per-side and per-strike views: numbers, qualifiers and figure ids; and what the compute layer may not know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ARTICLE, OTHER_FIGURES, one, study_of, write_dataset
from helpers import views
from helpers.study import Study

HELPERS = Path(views.__file__).parent


def replaced(figure_id: str, **changes) -> list[dict]:
    """The made-up figures, one of them changed."""
    return [{**f, **changes} if f["figure_id"] == figure_id else f for f in OTHER_FIGURES]


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


def test_a_chosen_side_is_the_only_side_shown(bundled, other_data_dir):
    assert views.by_side(Study(bundled, ARTICLE, "azerbaijani_forces"))["side"].tolist() == ["azerbaijani_forces"]
    view = views.per_strike(study_of(other_data_dir, side="armenian_forces"))
    assert set(view["side"]) == {"armenian_forces"} and len(view) == 3
    # The toll outside the analysed strikes is of both sides, whichever is chosen.
    share = views.conflict_share(Study(bundled, ARTICLE, "armenian_forces"))
    assert share["part"].tolist() == ["armenian_forces", "outside_analysed_strikes"]
    assert share["civilian_deaths"].tolist() == [72, 146 - 72 - 11]


def test_conflict_share(article, other):
    share = views.conflict_share(article).set_index("part")
    assert share.loc["outside_analysed_strikes", "civilian_deaths"] == 146 - 72 - 11
    assert share.loc["armenian_forces", "share"] == pytest.approx(72 / 146)
    share = views.conflict_share(other).set_index("part")
    # at least 500 in all, at least 40 + exactly 300 in the analysed strikes: the rest is open both ways
    assert share.loc["outside_analysed_strikes", "civilian_deaths_qualifier"] == "vague"


def test_conflict_totals_keep_the_hedge_and_the_credit(article):
    totals = views.conflict_totals(article)
    assert totals["measure"].tolist() == ["civilian_deaths", "deaths_all"]
    # The article says 146; Amnesty's own release, the same original, says at least 146: read as at least 146.
    assert totals["stated_qualifier"].tolist() == ["exact", "more_than"]
    assert totals["qualifier"].tolist() == ["at_least", "more_than"]
    assert totals["hedge_from"].tolist() == ["aipr-deaths-civilian-conflict", ""]
    # "more than 6,000" sits in the article's report of what Amnesty said: credited to Amnesty's report, as the article credits it.
    assert totals["credited"].tolist() == ["amnesty-2021-01-report", "amnesty-2021-01-report"]
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
    assert (martuni["place"], martuni["place_other_name"], martuni["civilian_deaths"]) == ("Martuni", "Khojavend", 1)
    rest = views.remainders(article, named)
    armenian = one(rest, side="armenian_forces")
    assert (armenian["strikes"], armenian["civilian_deaths"]) == (7, 51)
    azerbaijani = one(rest, side="azerbaijani_forces")
    assert (azerbaijani["strikes"], azerbaijani["civilian_deaths"]) == (8, 11 - martuni["civilian_deaths"])
    # Martuni's named victims are a lower bound: they leave an upper bound for the rest.
    assert azerbaijani["civilian_deaths_qualifier"] == "at_most"
    assert azerbaijani["civilian_injuries_qualifier"] == "vague"  # the article gives no side's injury total
    assert views.per_strike(article)["kind"].tolist() == ["strike", "strike", "other analysed strikes", "other analysed strikes"]


def test_per_strike_on_other_data(other):
    view = views.per_strike(other)
    group = one(view, strike_id="eastbury-strikes")
    assert (group["kind"], group["strikes"], group["civilian_deaths"]) == ("group of strikes", 4, 60)
    assert one(view, strike_id="westham-2024-03-20")["civilian_deaths_qualifier"] == "vague"  # named, but no toll given
    # Armenian forces: at least 40 in 10 strikes, of which Southville (more than 15) and Westham (unknown) are named.
    rest = one(view, kind="other analysed strikes", side="armenian_forces")
    assert (rest["strikes"], rest["strikes_qualifier"], rest["civilian_deaths_qualifier"]) == (8, "exact", "vague")
    # Azerbaijani forces: 300 in 20 strikes; Northtown 120 and Eastbury's 4 strikes with 60 are named.
    rest = one(view, kind="other analysed strikes", side="azerbaijani_forces")
    assert (rest["strikes"], rest["civilian_deaths"], rest["civilian_deaths_qualifier"]) == (15, 120, "exact")


@pytest.mark.parametrize(
    "northtown, rest",
    [
        ({"qualifier": "at_least", "quote": "at least 120 killed in Northtown"}, 120),
        # 300 in the side's analysed strikes, at least 1 in Northtown and 60 in Eastbury: at most 239 in the other 15.
        ({"quote": "killed a ten-year-old boy", "value": "1", "qualifier": "at_least", "derivation": "Named victims: one boy."}, 239),
    ],
)
def test_the_remainder_of_a_lower_bound_is_an_upper_bound(tmp_path, northtown, rest):
    study = study_of(write_dataset(tmp_path / "d", figures=replaced("eg-northtown-deaths", **northtown)))
    left = one(views.remainders(study), side="azerbaijani_forces")
    assert (left["civilian_deaths"], left["civilian_deaths_qualifier"]) == (rest, "at_most")


def test_per_strike_without_per_strike_tolls(tmp_path):
    view = views.per_strike(study_of(write_dataset(tmp_path / "d", figures=[f for f in OTHER_FIGURES if f["scope"] != "strike"])))
    assert view["kind"].tolist() == ["other analysed strikes"] * 2
    assert view["strikes"].tolist() == [10, 20]


def test_dated_strikes_are_every_dated_strike_in_the_data(article):
    per_strike = views.per_strike(article)
    dated = views.dated_strikes(article, per_strike)
    assert len(dated) == article.dataset.strikes["date"].notna().sum() > per_strike["date"].notna().sum()
    assert dated["has_toll"].sum() == per_strike["date"].notna().sum()


# ---------------------------------------------------------------------------
# Nothing in helpers/ knows this dataset, and numbers never import words


def test_helpers_do_not_mention_values_of_the_bundled_data(bundled):
    code = "\n".join(p.read_text(encoding="utf-8") for p in HELPERS.glob("*.py"))
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
    words = {"labels", "text", "text_gaps", "text_ledger", "tables", "charts", "charts_ledger", "charts_strikes", "page"}
    for module in ("bounds", "quotes", "printable", "dataset", "row_rules", "attribution", "study", "views", "checks", "gaps", "ledger"):
        source = (HELPERS / f"{module}.py").read_text(encoding="utf-8")
        imported = set(re.findall(r"^from \.(\w+) import", source, re.M)) | set(re.findall(r"^from \. import (\w+)", source, re.M))
        imported |= set(re.findall(r"^    from \.(\w+) import", source, re.M))
        assert not imported & words, (module, imported & words)
