"""Tables as a reader reads them: hedges written out, parties and places named, codes in words.

Each function takes what the compute layer returns and gives a table of
text for the page; the numeric tables themselves are shown by show.numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .labels import (
    SCOPE_LABELS,
    format_figure,
    format_share,
    format_values,
    measure_label,
    share_part_label,
    side_label,
    strike_label,
    territory_label,
)
from .study import LOSS_MEASURES, Study
from .text_checks import check_description, check_sum
from .text_ledger import citing, range_text, subject_label, who_says_what

COVERAGE_WORDS = {
    "exact": "given",
    "at_least": "lower bound",
    "more_than": "lower bound",
    "at_most": "upper bound",
    "approx": "approximate",
    "vague": "not given",
    "total_only": "total only",
}


def figures_table(study: Study) -> pd.DataFrame:
    """The source's figures: what is counted, about whom, the number with its hedge, the quote, and the figure's id."""
    figures, strikes = study.figures, study.strikes
    place = figures["strike_id"].map(lambda s: strike_label(strikes.loc[s]) if s else "")
    # A strike's figure is about the strike named after it, so its scope goes without saying.
    scope = figures["scope"].map(lambda code: "" if code == "strike" else SCOPE_LABELS.get(code, code.replace("_", " ")))
    loss = figures["measure"].isin(LOSS_MEASURES)
    side = [
        (
            ""
            if s == "unspecified"
            else f", {side_label(s)}' losses"
            if is_loss and s != "both"
            else f" by {side_label(s)}"
            if s != "both"
            else ", both sides"
        )
        for s, is_loss in zip(figures["side"], loss)
    ]
    subset = figures["subset"].map(lambda s: f" (only: {s.replace('_', ' ')})" if s else "")
    return pd.DataFrame(
        {
            "what": figures["measure"].map(measure_label),
            "about": (scope + place + side + subset).str.strip(", "),
            "as stated": [format_figure(row.to_dict() | {"qualifier": row["stated_qualifier"]}) for _, row in figures.iterrows()],
            "read as": [format_figure(row) for _, row in figures.iterrows()],
            "credited to": figures["credited"].map(study.dataset.sources.set_index("source_id")["publisher"]).fillna("no one"),
            "quote": figures["quote"],
            "derivation": figures["derivation"],
            "figure": figures["figure_id"],
        }
    ).reset_index(drop=True)


def checks_table(checks: pd.DataFrame, study: Study) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "check": [check_description(c, study.strikes) for _, c in checks.iterrows()],
            "compared": [
                f"{check_sum(c, study.figures)} {c['relation']} {v}"
                for (_, c), v in zip(checks.iterrows(), format_values(checks["right"], checks["right_qualifier"]))
            ],
            "result": checks["status"],
        }
    )


def by_side_table(view: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "attacking side": view["side"].map(side_label),
            "analysed strikes": format_values(view["strikes"], view["strikes_qualifier"]),
            "civilians killed": format_values(view["civilian_deaths"], view["civilian_deaths_qualifier"]),
            "killed per strike (computed)": format_values(view["deaths_per_strike"].round(1), view["deaths_per_strike_qualifier"]),
        }
    )


def per_strike_table(view: pd.DataFrame) -> pd.DataFrame:
    named = view["kind"] != "other analysed strikes"
    return pd.DataFrame(
        {
            "strike": [
                strike_label(r) if n else f"other analysed strikes by {side_label(r['side'])}" for (_, r), n in zip(view.iterrows(), named)
            ],
            "kind": view["kind"],
            "territory": view["territory"].map(territory_label),
            "attacker": view["side"].map(side_label) + " (" + view["side_basis"] + ")",
            "strikes": format_values(view["strikes"], view["strikes_qualifier"]),
            "civilians killed": format_values(view["civilian_deaths"], view["civilian_deaths_qualifier"]),
            "civilians injured": format_values(view["civilian_injuries"], view["civilian_injuries_qualifier"]),
            "weapon": view["weapon"].where(named, "").replace("", "not given"),
        }
    )


def share_table(share: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "part of the conflict's civilian deaths": share["part"].map(share_part_label),
            "civilians killed": format_values(share["civilian_deaths"], share["civilian_deaths_qualifier"]),
            "share of the total": [format_share(v, q) for v, q in zip(share["share"], share["share_qualifier"])],
        }
    )


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    named = coverage["kind"] != "other analysed strikes"
    given = {True: "given", False: "not given"}
    return pd.DataFrame(
        {
            "subject": [
                strike_label(r)
                if n
                else f"{format_values(pd.Series([r['strikes']]), pd.Series([r['strikes_qualifier']])).iloc[0]} other analysed strikes by {side_label(r['side'])}"
                for (_, r), n in zip(coverage.iterrows(), named)
            ],
            "kind": coverage["kind"],
            "civilians killed": coverage["civilian_deaths"].map(COVERAGE_WORDS),
            "civilians injured": coverage["civilian_injuries"].map(COVERAGE_WORDS),
            "date": coverage["date_given"].map(given),
            "place": coverage["place_given"].map(given),
            "weapon": coverage["weapon_given"].map(given),
            "attacker": coverage["attacker"],
        }
    )


def ledger_table(table: pd.DataFrame, entries: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per subject: range, how many sources and originals, agreement, who said what."""
    sources = study.dataset.sources
    return pd.DataFrame(
        {
            "subject": [subject_label(r, sources, study.strikes) for _, r in table.iterrows()],
            "what": table["measure"].map(measure_label),
            "reported": [range_text(r) for _, r in table.iterrows()],
            "sources": table["n_sources"],
            "originals": table["n_originals"],
            "agreement": table["agreement"],
            "who says what": [who_says_what(entries, s, sources) for s in table["subject_id"]],
        }
    )


def disagreements_table(table: pd.DataFrame, entries: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Subjects on which sources disagree, with the sources on each side of the disagreement, grouped by value."""
    disputed = table[table["agreement"].isin(["disagree", "hedges differ"])]
    if disputed.empty:
        return pd.DataFrame(columns=["subject", "what", "reported", "sources by value"])
    sources = study.dataset.sources
    chosen = entries[entries["subject_id"].isin(disputed["subject_id"])].copy()
    cites = citing(chosen, sources)
    chosen["who"] = chosen["source_id"].map(sources.set_index("source_id")["publisher"]) + np.where(cites != "", " (" + cites + ")", "")
    chosen["as stated"] = format_values(chosen["value"], chosen["qualifier"])
    by_value = (
        chosen.sort_values(["value", "source_id"]).groupby(["subject_id", "as stated"], sort=False)["who"].agg(", ".join).reset_index()
    )
    by_value["group"] = by_value["as stated"] + ": " + by_value["who"]
    listed = by_value.groupby("subject_id", sort=False)["group"].agg(" | ".join)
    return pd.DataFrame(
        {
            "subject": [subject_label(r, sources, study.strikes) for _, r in disputed.iterrows()],
            "what": disputed["measure"].map(measure_label),
            "reported": [range_text(r) for _, r in disputed.iterrows()],
            "sources by value": disputed["subject_id"].map(listed).to_numpy(),
        }
    )
