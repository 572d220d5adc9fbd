"""Who each figure is credited to (attributed_to; empty: the publication's `cites`, or itself when it cites none), and the original account
behind it: the end of the credited body's `cites` chain. Copies of one original are one account; an unattributed figure is its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .bounds import LOWER_BOUNDS

if TYPE_CHECKING:
    from .dataset import Dataset

# attributed_to holds a source_id, or this: the text credits the number to no one.
UNATTRIBUTED = "unattributed"
# The account of an unattributed figure: this prefix and the figure's id.
OWN_ACCOUNT = UNATTRIBUTED + ":"
SUBJECT_COLUMNS = ["measure", "scope", "side", "strike_id", "subset"]


def cites_chain(cites: dict[str, str], source_id: str) -> list[str]:
    """source_id and the sources its `cites` lead to, in order, up to the original or to the last before a repeat."""
    chain = [source_id]
    while cites.get(chain[-1], "") not in ("", *chain):
        chain.append(cites[chain[-1]])
    return chain


def original_of(sources: pd.DataFrame) -> pd.Series:
    """For each source_id, the original at the end of its cites chain (itself when it cites none)."""
    cites = dict(zip(sources["source_id"], sources["cites"]))
    return pd.Series({source_id: cites_chain(cites, source_id)[-1] for source_id in cites}, dtype=object)


def credited(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Per figure, the source_id it is credited to, or UNATTRIBUTED."""
    cites = sources.set_index("source_id")["cites"]
    default = figures["source_id"].map(cites.where(cites != "", cites.index))
    return figures["attributed_to"].where(figures["attributed_to"] != "", default)


def attributed(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Figures with `credited` (a source_id or UNATTRIBUTED) and `original`: the credited body's original, or the figure's own account."""
    who = credited(figures, sources)
    original = who.map(original_of(sources)).where(who != UNATTRIBUTED, OWN_ACCOUNT + figures["figure_id"])
    return figures.assign(credited=who, original=original)


def read_with_hedges(dataset: Dataset, figures: pd.DataFrame) -> pd.DataFrame:
    """Attributed figures, an exact one taking the hedge a copy of its original states (stated_qualifier, hedge_from, hedge_source)."""
    figures = attributed(figures, dataset.sources)
    figures["stated_qualifier"] = figures["qualifier"]
    everyone = attributed(dataset.figures, dataset.sources)
    hedged = everyone[everyone["qualifier"].isin(LOWER_BOUNDS) & ~everyone["original"].str.startswith(OWN_ACCOUNT)]
    key = [*SUBJECT_COLUMNS, "original", "value"]
    weaker = hedged.drop_duplicates(key)[[*key, "qualifier", "figure_id", "source_id"]]
    weaker = weaker.rename(columns={"qualifier": "hedge", "figure_id": "hedge_from", "source_id": "hedge_source"})
    matched = figures.reset_index().merge(weaker, on=key, how="left").set_index("index")
    exact = figures["qualifier"] == "exact"
    figures["qualifier"] = figures["qualifier"].where(~exact | matched["hedge"].isna(), matched["hedge"])
    figures["hedge_from"] = matched["hedge_from"].where(exact, None).fillna("")
    figures["hedge_source"] = matched["hedge_source"].where(exact, None).fillna("")
    return figures
