"""Tables as a reader reads them (hedges written out, codes in words) from what the compute layer returns; the checks in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .checks import consistency_checks
from .labels import (
    ALIGNMENT_LABELS,
    credited_label,
    format_figure,
    format_share,
    format_value,
    format_values,
    hedged,
    measure_label,
    plural,
    rest_inferred,
    scope_label,
    share_part_label,
    side_label,
    side_phrase,
    strike_label,
    subset_label,
    territory_label,
)
from .ledger import latest_counts
from .printable import escape_markdown as _md
from .study import Study
from .text import source_phrase
from .text_ledger import citing, range_text, subject_label, who_says_what

COVERAGE_WORDS = {"exact": "given", "at_least": "lower bound", "more_than": "lower bound", "at_most": "upper bound"}
COVERAGE_WORDS |= {"approx": "approximate", "vague": "not given", "total_only": "total only", "contradictory": "not computed"}
CHECK_WORDS = {
    "sides_add_up": "{measure}: the sides' analysed strikes add up to all analysed strikes",
    "analysed_within_conflict": "{measure}: the analysed strikes' toll is within the conflict's",
    "civilians_within_all": "civilian deaths are within all deaths in the conflict",
    "strike_within_side": "{measure}: {strike} is within the analysed strikes by {side}, if it is one of them (inferred where the source does not say so)",
    "named_within_side": "{measure}: the named strikes together are within the analysed strikes by {side}, if they are among them (inferred where the source does not say so)",
    "part_within_whole": "{measure}: the part “{subset}” is within the whole",
}
CHECK_OUTCOMES = {"passed": "passed", "failed": "failed"}
CHECK_OUTCOMES["cannot tell"] = "could not be decided, as a bound or a vague figure leaves them open"


def figures_table(study: Study) -> pd.DataFrame:
    """The source's figures: what is counted, about whom, the number with its hedge, the quote and how it was derived (in the order
    of figures.csv, where each row's id is)."""
    figures, strikes = study.figures, study.strikes
    # A strike's figure is about the strike named after it, so its scope goes without saying.
    scope = figures["scope"].map(lambda code: "" if code == "strike" else scope_label(code))
    place = figures["strike_id"].map(lambda s: strike_label(strikes.loc[s]) if s else "")
    side = [side_phrase(s, m) for s, m in zip(figures["side"], figures["measure"])]
    subset = figures["subset"].map(lambda s: f" (only: {subset_label(s)})" if s else "")
    columns = {
        "what": figures["measure"].map(measure_label),
        "about": (scope + place + side + subset).str.strip(", "),
        "as stated": [format_figure(row.to_dict() | {"qualifier": row["stated_qualifier"]}) for _, row in figures.iterrows()],
        "read as": [format_figure(row) for _, row in figures.iterrows()],
        "credited to": figures["credited"].map(study.dataset.sources.set_index("source_id")["publisher"]).fillna("no one"),
        "quote": figures["quote"],
        "derivation": figures["derivation"],
    }
    return pd.DataFrame(columns).reset_index(drop=True)


def check_description(check: pd.Series | dict, strikes: pd.DataFrame) -> str:
    """What one consistency check asks, in words (strikes: the strikes table indexed by strike_id)."""
    strike = strike_label(strikes.loc[check["strike_id"]]) if check["strike_id"] else ""
    words = {"measure": measure_label(check["measure"]), "side": side_label(check["side"]), "subset": subset_label(check["subset"])}
    return CHECK_WORDS[check["check"]].format(strike=strike, **words)


def check_sum(check: pd.Series | dict, figures: pd.DataFrame) -> str:
    """The left side of a check as the figures it adds: '40 + 300'."""
    stated = figures.set_index("figure_id").loc[list(check["left_figure_ids"])]
    return " + ".join(format_value(v, q) for v, q in zip(stated["value"], stated["qualifier"]))


def checks_table(checks: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per consistency check: what it asks, the numbers it compares, and how it came out."""
    right = hedged(checks, "right")
    columns = {
        "check": [check_description(c, study.strikes) for _, c in checks.iterrows()],
        "compared": [f"{check_sum(c, study.figures)} {c['relation']} {v}" for (_, c), v in zip(checks.iterrows(), right)],
        "result": checks["status"],
    }
    return pd.DataFrame(columns)


def describe_checks(checks: pd.DataFrame, figures: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """How the consistency checks came out, naming any that failed."""
    if checks.empty:
        return "The source gives no figures that can be checked against each other."
    counts = checks["status"].value_counts()
    if counts.get("passed", 0) == len(checks):
        return f"All {plural(len(checks), 'consistency check')} passed." if len(checks) > 1 else "The one consistency check passed."
    parts = [f"{plural(counts[status], 'check')} {word}" for status, word in CHECK_OUTCOMES.items() if counts.get(status, 0)]
    failed = (
        f"\n\n- **Failed:** {_md(check_description(c, strikes))}: {_md(check_sum(c, figures))} {c['relation']} {_md(hedged(c, 'right'))}"
        for _, c in checks[checks["status"] == "failed"].iterrows()
    )
    return f"Of {plural(len(checks), 'consistency check')}: " + "; ".join(parts) + "." + "".join(failed)


def by_side_table(view: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "attacking side": view["side"].map(side_label),
        "analysed strikes": hedged(view, "strikes"),
        "civilians killed": hedged(view, "civilian_deaths"),
        "killed per strike (computed)": format_values(view["deaths_per_strike"].round(1), view["deaths_per_strike_qualifier"]),
    }
    return pd.DataFrame(columns)


def _strike_names(view: pd.DataFrame, counted: bool) -> list[str]:
    """Each row's strike, or for a side's other analysed strikes 'other analysed strikes by X' (with their number when counted)."""
    return [
        strike_label(r)
        if r["kind"] != "other analysed strikes"
        else f"{hedged(r, 'strikes') + ' ' if counted else ''}other analysed strikes by {side_label(r['side'])}" + rest_inferred(r)
        for _, r in view.iterrows()
    ]


def per_strike_table(view: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "strike": _strike_names(view, counted=False),
        "kind": view["kind"],
        "territory": view["territory"].map(territory_label),
        "attacker": view["side"].map(side_label) + " (" + view["side_basis"] + ")",
        "strikes": hedged(view, "strikes"),
        "civilians killed": hedged(view, "civilian_deaths"),
        "civilians injured": hedged(view, "civilian_injuries"),
        "weapon": view["weapon"].where(view["kind"] != "other analysed strikes", "").replace("", "not given"),
    }
    return pd.DataFrame(columns)


def share_table(share: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "part of the conflict's civilian deaths": share["part"].map(share_part_label),
        "civilians killed": hedged(share, "civilian_deaths"),
        "share of the total": [format_share(v, q) for v, q in zip(share["share"], share["share_qualifier"])],
    }
    return pd.DataFrame(columns)


def nothing_per_strike(source: pd.Series, side: str = "") -> str:
    """Why there is nothing to show per strike: the source names no strike or group and counts no analysed strikes (of the side)."""
    by = f" by {_md(side_label(side))}" if side else ""
    return f"{source_phrase(source)} gives figures for no strike or group of strikes{by}, and no count of analysed strikes{by}: there is nothing to show per strike."


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    given = {fact: coverage[f"{fact}_given"].map({True: "given", False: "not given"}) for fact in ("date", "place", "weapon")}
    columns = {
        "subject": _strike_names(coverage, counted=True),
        "kind": coverage["kind"],
        "civilians killed": coverage["civilian_deaths"].map(COVERAGE_WORDS),
        "civilians injured": coverage["civilian_injuries"].map(COVERAGE_WORDS),
        **given,
        "attacker": coverage["attacker"],
    }
    return pd.DataFrame(columns)


def ledger_table(table: pd.DataFrame, entries: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per subject: range, how many sources and originals, agreement, who said what."""
    sources = study.dataset.sources
    columns = {
        "subject": [subject_label(r, sources, study.strikes) for _, r in table.iterrows()],
        "what": table["measure"].map(measure_label),
        "reported": [range_text(r) for _, r in table.iterrows()],
        "sources": table["n_sources"],
        "originals": table["n_originals"],
        "agreement": table["agreement"],
        "who says what": [who_says_what(entries, s, sources) for s in table["subject_id"]],
    }
    return pd.DataFrame(columns)


def disagreements_table(table: pd.DataFrame, entries: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Subjects on which sources disagree, with the sources on each side of the disagreement (their counts compared), grouped by value."""
    disputed = table[table["agreement"].isin(["disagree", "hedges differ"])]
    if disputed.empty:
        return pd.DataFrame(columns=["subject", "what", "reported", "sources by value"])
    sources = study.dataset.sources
    # A toll's earlier counts are its series (05's growth chart), never a side of the disagreement.
    latest = latest_counts(entries)
    chosen = latest[latest["subject_id"].isin(disputed["subject_id"])].copy()
    cites = citing(chosen, sources)
    chosen["who"] = chosen["source_id"].map(sources.set_index("source_id")["publisher"]) + np.where(cites != "", " (" + cites + ")", "")
    chosen["as stated"] = format_values(chosen["value"], chosen["qualifier"])
    ordered = chosen.sort_values(["value", "source_id"])
    by_value = ordered.groupby(["subject_id", "as stated"], sort=False)["who"].agg(", ".join).reset_index()
    listed = (by_value["as stated"] + ": " + by_value["who"]).groupby(by_value["subject_id"], sort=False).agg(" | ".join)
    columns = {
        "subject": [subject_label(r, sources, study.strikes) for _, r in disputed.iterrows()],
        "what": disputed["measure"].map(measure_label),
        "reported": [range_text(r) for _, r in disputed.iterrows()],
        "sources by value": disputed["subject_id"].map(listed).to_numpy(),
    }
    return pd.DataFrame(columns)


def describe_contradictions(study: Study) -> str:
    """The source's figures that contradict each other, each number with whom it is credited to; '' when none do."""
    found = consistency_checks(study)
    failed = found[found["status"] == "failed"]
    if failed.empty:
        return ""
    figures, sources = study.figures.set_index("figure_id"), study.dataset.sources

    def stated(ids) -> str:
        return " + ".join(
            f"{format_value(figures.at[i, 'value'], figures.at[i, 'qualifier'])} ({credited_label(figures.at[i, 'credited'], sources)})"
            for i in ids
        )

    lines = (
        f"- {_md(check_description(c, study.strikes))}: {_md(stated(c['left_figure_ids']))} {c['relation']} "
        f"{_md(stated([c['right_figure_id']]))} does not hold."
        for _, c in failed.iterrows()
    )
    lead = "**The source's figures contradict each other**, so what would need them to agree (a toll outside the analysed strikes, a share of a total, the rest of a side's strikes) is not computed:"
    return lead + "\n\n" + "\n".join(lines)


def alignment_table(table: pd.DataFrame) -> pd.DataFrame:
    """Who documents the strikes of each side (ledger.alignment_by_side), as a reader reads it."""
    return pd.DataFrame(
        {
            "strikes by": table["attacker"].map(side_label),
            "documented by bodies": table["alignment"].map(lambda a: ALIGNMENT_LABELS.get(a, a)),
            "strikes": table["strikes"].map(lambda n: format_value(n, "exact")),
            "bodies": table["bodies"].map(lambda n: format_value(n, "exact")),
            "publications": table["publications"].map(lambda n: format_value(n, "exact")),
        }
    )
