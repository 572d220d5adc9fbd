"""What one source's figures leave unknown: a function per gap, returning None (no such gap) or a dict of the numbers and figure ids."""

from __future__ import annotations

import pandas as pd

from .ledger import balance, ledger_entries, source_disagreements
from .study import Study
from .views import conflict_share, named_strikes, remainders, single, total_of

# Alignments with a party to the war (the others: international, unknown).
PARTY_ALIGNMENTS = ("armenia", "azerbaijan", "nagorno_karabakh_authorities")


def missing_strike_tolls(study: Study) -> dict | None:
    """Of the analysed strikes, how many have a toll of their own; the rest are known only as per-side totals."""
    named = named_strikes(study)
    rest = remainders(study, named)
    if named.empty and rest.empty:
        return None
    with_toll = named[named["civilian_deaths_qualifier"] != "vague"]
    analysed = single(study.whole, "strikes", "analysed_strikes", "both")
    counted = total_of(with_toll, "strikes").iloc[0]
    return {
        "analysed_strikes": (analysed["value"].iloc[0], analysed["qualifier"].iloc[0]) if len(analysed) else (float("nan"), "vague"),
        "strikes_with_own_toll": (counted["value"], counted["qualifier"]),
        "named_with_toll": len(with_toll),
        "remainders": rest[["side", "strikes", "strikes_qualifier", "civilian_deaths", "civilian_deaths_qualifier"]],
        "figure_ids": tuple(with_toll["civilian_deaths_figure_id"]),
    }


def injuries(study: Study) -> dict | None:
    """The injury figures the source gives; a gap always, worse when no total is given."""
    found = study.figures[study.figures["measure"] == "civilian_injuries"]
    return {
        "figures": found[["figure_id", "value", "qualifier", "scope", "side", "strike_id"]].reset_index(drop=True),
        "has_total": bool((found["scope"] != "strike").any()),
        "figure_ids": tuple(found["figure_id"]),
    }


def deaths_outside_analysed(study: Study) -> dict | None:
    """Civilian deaths in the conflict that fall outside the analysed strikes: no place, date or attacker given."""
    share = conflict_share(study)
    if share.empty:
        return None
    total = single(study.whole, "civilian_deaths", "conflict", "both").iloc[0]
    rest = share[share["part"] == "outside_analysed_strikes"].iloc[0]
    return {
        "total": (total["value"], total["qualifier"]),
        "total_figure": study.whole[study.whole["figure_id"] == total["figure_id"]].iloc[0],
        "outside": (rest["civilian_deaths"], rest["civilian_deaths_qualifier"]),
        "figure_ids": (*share.loc[share["figure_id"] != "", "figure_id"], total["figure_id"]),
    }


def hedged_figures(study: Study) -> dict | None:
    """Figures that are bounds, approximate or vague."""
    hedged = study.figures[study.figures["qualifier"] != "exact"]
    if hedged.empty:
        return None
    columns = ["figure_id", "measure", "value", "qualifier", "stated_qualifier", "hedge_from", "hedge_source", "quote"]
    return {"figures": hedged[columns].reset_index(drop=True), "figure_ids": tuple(hedged["figure_id"])}


def _mentioned_strikes(study: Study) -> pd.DataFrame:
    return study.strikes.loc[pd.unique(study.figures.loc[study.figures["strike_id"] != "", "strike_id"])]


def inferred_attributions(study: Study) -> dict | None:
    """Strikes the source mentions whose attacker is inferred, not stated."""
    mentioned = _mentioned_strikes(study)
    inferred = mentioned[mentioned["side_basis"] == "inferred"]
    if inferred.empty:
        return None
    return {
        "mentioned": len(mentioned),
        "strikes": inferred.reset_index()[["strike_id", "date", "place", "place_other_name", "side", "note"]],
        "figure_ids": tuple(study.figures.loc[study.figures["strike_id"].isin(inferred.index), "figure_id"]),
    }


def ambiguous_wording(study: Study) -> dict | None:
    """Words that mean different things: 'strike' as an incident or a missile; places with two names."""
    missiles = study.figures[study.figures["measure"] == "missile_strikes"]
    mentioned = _mentioned_strikes(study)
    contested = mentioned[mentioned["place_other_name"] != ""]
    if missiles.empty and contested.empty:
        return None
    quotes = study.figures[study.figures["quote"] != ""].drop_duplicates("strike_id").set_index("strike_id")["quote"].to_dict()
    places = contested.reset_index()[["strike_id", "place", "place_other_name", "territory"]]
    places["quote"] = places["strike_id"].map(lambda strike_id: quotes.get(strike_id, ""))
    return {
        "missile_figures": missiles[["figure_id", "value", "qualifier", "strike_id"]].reset_index(drop=True),
        "contested_places": places,
        "figure_ids": tuple(missiles["figure_id"]),
    }


def other_sources_differ(study: Study) -> dict | None:
    """Subjects of this source on which other sources give other numbers or other hedges."""
    disputed = source_disagreements(study)
    if disputed.empty:
        return None
    entries = ledger_entries(study)
    return {
        "ledger": disputed,
        "entries": entries[entries["subject_id"].isin(disputed["subject_id"])],
        "figure_ids": tuple(i for ids in disputed["figure_ids"] for i in ids),
    }


def one_sided_sources(study: Study) -> dict | None:
    """Whose sources the data hold, and where the strikes compared across sources are: a gap when they lean to one side."""
    table = balance(study)
    entries = ledger_entries(study)
    on_strikes = entries[entries["strike_id"] != ""]
    sources_per_strike = on_strikes.groupby("strike_id")["source_id"].nunique()
    several = sources_per_strike.index[sources_per_strike > 1]
    compared = study.strikes.loc[several, "territory"].value_counts()
    parties = table.set_index("alignment")["figures"].reindex(PARTY_ALIGNMENTS, fill_value=0)
    if parties.max() <= 2 * max(parties.min(), 1) and len(compared) != 1:
        return None
    return {
        "balance": table,
        "compared_strikes_by_territory": compared.rename_axis("territory").reset_index(name="strikes"),
        "figure_ids": tuple(on_strikes.loc[on_strikes["strike_id"].isin(several), "figure_id"]),
    }


GAPS = (missing_strike_tolls, injuries, deaths_outside_analysed, hedged_figures, inferred_attributions, ambiguous_wording)
GAPS += (other_sources_differ, one_sided_sources)


def found(study: Study) -> dict[str, dict]:
    """The gaps this study has, by name, in reading order."""
    records = {gap.__name__: gap(study) for gap in GAPS}
    return {name: record for name, record in records.items() if record is not None}


def summary(gaps: dict[str, dict]) -> pd.DataFrame:
    """One row per gap: its name and the figures that show it."""
    ids = [record["figure_ids"] for record in gaps.values()]
    return pd.DataFrame({"gap": list(gaps), "figures": [len(i) for i in ids], "figure_ids": ids})
