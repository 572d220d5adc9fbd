"""Who each figure is credited to, and the original account behind it.

A figure is credited to whoever the text it was read in says said it
(figures.attributed_to), not to the publication it was read in. An empty
attributed_to means the publication's own `cites` (or the publication itself
when it cites nothing); 'unattributed' means the text credits it to no one.
The original is the end of the credited body's `cites` chain. Copies of one
original are one account; an unattributed figure is an account of its own.
"""

from __future__ import annotations

import pandas as pd

from .bounds import LOWER_BOUNDS
from .dataset import Dataset
from .rules import UNATTRIBUTED

# Prefix of the account of an unattributed figure: the figure's own, credited to no one.
OWN_ACCOUNT = "unattributed:"
SUBJECT_COLUMNS = ["measure", "scope", "side", "strike_id", "subset"]


def original_of(sources: pd.DataFrame) -> pd.Series:
    """For each source_id, the original at the end of its cites chain (itself when it cites none).

    Validation refuses chains that loop, so every chain ends.
    """
    parent = sources.set_index("source_id")["cites"]
    original = pd.Series(parent.index, index=parent.index)
    for _ in range(len(parent)):  # one step up the chain per pass, over all sources at once
        up = parent.reindex(original.to_numpy()).fillna("").to_numpy()
        moving = up != ""
        if not moving.any():
            break
        original[moving] = up[moving]
    return original


def credited(dataset: Dataset, figures: pd.DataFrame | None = None) -> pd.Series:
    """Per figure, the source_id it is credited to, or 'unattributed'."""
    figures = dataset.figures if figures is None else figures
    cites = dataset.sources.set_index("source_id")["cites"]
    default = figures["source_id"].map(cites.where(cites != "", cites.index))
    return figures["attributed_to"].where(figures["attributed_to"] != "", default)


def accounts(dataset: Dataset, figures: pd.DataFrame | None = None) -> pd.Series:
    """Per figure, the original account it belongs to: the credited body's original, or the figure's own when unattributed."""
    figures = dataset.figures if figures is None else figures
    who = credited(dataset, figures)
    original = who.map(original_of(dataset.sources))
    return original.where(who != UNATTRIBUTED, OWN_ACCOUNT + figures["figure_id"])


def attributed(dataset: Dataset, figures: pd.DataFrame) -> pd.DataFrame:
    """Figures with `credited` (a source_id or 'unattributed') and `original` (the account) columns."""
    return figures.assign(credited=credited(dataset, figures), original=accounts(dataset, figures))


def read_with_hedges(dataset: Dataset, figures: pd.DataFrame) -> pd.DataFrame:
    """Attributed figures with the reading the analysis uses.

    Where the data hold the same original's figure on the same subject with
    the same value but a hedge ("at least 37" where this one says "37"),
    the weaker reading is used: `qualifier` becomes that hedge, `stated_qualifier`
    keeps the publication's own, `hedge_from` names the figure it comes from and `hedge_source` that figure's source.
    """
    figures = attributed(dataset, figures)
    figures["stated_qualifier"] = figures["qualifier"]
    everyone = dataset.figures.assign(original=accounts(dataset))
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
