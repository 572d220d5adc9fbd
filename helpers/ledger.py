"""The ledger: every source's value for the same subject side by side, and whether they agree. A subject is a measure, scope, side
(none for a strike), strike, subset and, for analysed strikes, the study whose selection they are (its original). A figure counts for the
body its text credits; a vague word as the least it means; of one body's counts on different dates (a running count), the latest. A toll of people grows as bodies are found: its counts are
compared only with counts made at about the same time as its latest; earlier counts are the toll's series, never a disagreement."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .attribution import OWN_ACCOUNT, attributed, original_of
from .bounds import with_bounds
from .study import Study, parse_measures

SUBJECT_KEY = ["measure", "scope", "subject_side", "strike_id", "subset", "study"]
LEDGER_COLUMNS = [
    "subject_id", "n_sources", "n_originals", "compared_sources", "compared_originals", "low", "high", "qualifier", "wordings",
    "vague_floor", "hedged", "hedges_differ", "series", "agreement", "figure_ids", *SUBJECT_KEY,
]  # fmt: skip
# Measures that count people harmed: a toll that grows as the dead are found and lists revised.
TOLLS = ("civilian_deaths", "civilian_injuries", "deaths_all", "military_deaths", "military_injuries", "military_missing")
# Counts of a toll dated within a week of its latest count are compared with it; older ones are counts of a toll still being counted
# (officials' counts from a strike's first hours, against an NGO's count months later). A week: counts reported days apart are
# still read as one moment of counting; a toll revised weeks later is a later count.
ABOUT_THE_SAME_TIME = pd.Timedelta(days=7)
# The order in which one number's wordings are listed: as stated bare first, then the hedges.
WORDING_ORDER = {"exact": 0, "approx": 1, "at_least": 2, "more_than": 3}


def ledger_entries(study: Study, measures: list[str] | None = None, subject: str = "") -> pd.DataFrame:
    """Every figure of the measures (empty: all) on strikes whose id or places hold `subject` (empty: all); subject_id, body, dated,
    and earlier (an earlier count of a toll or of its body, not compared: see ledger)."""
    dataset = study.dataset
    entries = dataset.figures
    if measures:
        entries = entries[entries["measure"].isin(measures)]
    entries = attributed(entries, dataset.sources)
    sources = dataset.sources.set_index("source_id")
    entries["study"] = entries["source_id"].map(original_of(dataset.sources)).where(entries["scope"] == "analysed_strikes", "")
    entries["subject_side"] = entries["side"].where(entries["scope"] != "strike", "")
    own = entries["original"].str.startswith(OWN_ACCOUNT)
    entries["body"] = entries["credited"].map(sources["publisher"]).where(~own, entries["original"])
    entries["original_kind"] = entries["original"].map(sources["kind"]).fillna("")
    entries["dated"] = entries["as_of"].where(entries["as_of"] != "", entries["source_id"].map(sources["published"]))
    floors = dataset.vague_quantities.set_index("word")["at_least"] if dataset.vague_quantities is not None else pd.Series(dtype=float)
    entries["vague_floor"] = entries["vague_word"].str.lower().map(floors)
    entries["subject_id"] = entries.groupby(SUBJECT_KEY, sort=False).ngroup()
    # Bodies as integer codes: grouping a million rows by a text column is several times slower.
    entries["earlier"] = _earlier(entries.assign(body_code=pd.factorize(entries["body"])[0]))
    if subject:
        strikes = study.strikes
        names = entries["strike_id"] + " " + entries["strike_id"].map(strikes["place"] + " " + strikes["place_other_name"]).fillna("")
        entries = entries[names.str.contains(subject, case=False, regex=False) & (entries["strike_id"] != "")]
    return entries.reset_index(drop=True)


def date_span(dated: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The earliest and latest day each date can be: '2024-03-02' that day twice; '2024-03' the month's first and last day; '' NaT."""
    day = pd.to_datetime(dated.where(dated.str.len() == 10), format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(dated.where(dated.str.len() == 7), format="%Y-%m", errors="coerce")
    return day.fillna(month), day.fillna(month + pd.offsets.MonthEnd(0))


def _earlier(entries: pd.DataFrame) -> pd.Series:
    """Per entry, whether it is an earlier count: of its body (that body gave another number on a later date), or, for a toll, of
    the toll (dated more than ABOUT_THE_SAME_TIME before the subject's latest count)."""
    keys = [entries["subject_id"], entries["body_code"]]
    # A month ("2021-01") and a day in it are the same date: a body's dates are compared at the coarsest precision it uses.
    month_only = (entries["dated"].str.len() == 7).groupby(keys, sort=False).transform("any")
    date = entries["dated"].where(~month_only, entries["dated"].str[:7]).replace("", np.nan)
    values = entries["value"].groupby(keys, sort=False).transform("nunique")
    order = pd.Series(pd.factorize(date, sort=True)[0], index=entries.index).where(date.notna())
    of_body = (values > 1) & (order < order.groupby(keys, sort=False).transform("max"))
    # Earlier only if it is, however its month is read: its latest possible day before the latest count's earliest.
    earliest, latest_possible = date_span(entries["dated"])
    latest = earliest.groupby(entries["subject_id"], sort=False).transform("max")
    of_toll = entries["measure"].isin(TOLLS) & (latest_possible < latest - ABOUT_THE_SAME_TIME)
    return of_body | of_toll


def latest_counts(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries compared (ledger_entries marks the rest): a toll's earlier counts are its series, never compared."""
    return entries[~entries["earlier"]]


def ledger(entries: pd.DataFrame, min_sources: int = 1) -> pd.DataFrame:
    """Per subject of entries (ledger_entries, or whole subjects of it: its earlier counts are marked per subject): how many
    sources and originals, the lowest and highest value, and agreement: 'one source', 'no number', 'running count', 'agree',
    'hedges differ' (one value, other hedges), 'compatible' (all can be true) or 'disagree'."""
    if entries.empty:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    compared = latest_counts(entries)
    known = with_bounds(compared)
    known["low"] = known["low"].where(known["vague_floor"].isna(), known["vague_floor"])
    known["numbered"] = known["qualifier"].where(known["value"].notna())
    order = entries.assign(not_exact=entries["qualifier"] != "exact")
    order = order.sort_values(["subject_id", "value", "source_id"], na_position="last", kind="stable")
    table = order.groupby("subject_id", sort=False).agg(
        n_sources=("source_id", "nunique"), n_originals=("original", "nunique"), hedged=("not_exact", "any"),
        distinct_qualifiers=("qualifier", "nunique"), series=("earlier", "any"), figure_ids=("figure_id", tuple),
        vague_floor=("vague_floor", "max"), **{column: (column, "first") for column in SUBJECT_KEY},
    )  # fmt: skip
    # The range and the verdict are of the counts compared: the latest of each body, at about the same time.
    among = known.groupby("subject_id").agg(
        bodies=("body", "nunique"), compared_sources=("source_id", "nunique"), compared_originals=("original", "nunique"), distinct_values=("value", "nunique"), numbers=("value", "count"), meanings=("vague_floor", "count"),
        n_figures=("figure_id", "size"), floor=("low", "max"), ceiling=("high", "min"), qualifiers=("qualifier", "nunique"),
        low=("value", "min"), high=("value", "max"), qualifier=("numbered", "first"), numbered_qualifiers=("numbered", "nunique"),
    )  # fmt: skip
    table = table.join(among)
    # One wording shared by every number compared is carried with the range ('at least 4'); mixed wordings are listed, the bare
    # number first ('140 or at least 140'), and said where the numbers are one.
    table["qualifier"] = table["qualifier"].where(table["numbered_qualifiers"] == 1, "")
    worded = known.loc[known["numbered"].notna(), ["subject_id", "numbered"]].drop_duplicates()
    worded = worded.assign(_order=worded["numbered"].map(WORDING_ORDER).fillna(len(WORDING_ORDER))).sort_values(["subject_id", "_order"])
    wordings = worded.groupby("subject_id")["numbered"].agg(tuple)
    table["wordings"] = [wordings.get(subject_id, ()) for subject_id in table.index]
    one_value = (table["distinct_values"] == 1) & (table["numbers"] == table["n_figures"])
    table["agreement"] = np.select(
        [table["n_sources"] == 1, table["numbers"] + table["meanings"] == 0, table["series"] & (table["bodies"] == 1),
         one_value & (table["qualifiers"] == 1), one_value, table["floor"] <= table["ceiling"]],
        ["one source", "no number", "running count", "agree", "hedges differ", "compatible"],
        "disagree",
    )  # fmt: skip
    table["hedges_differ"] = table["distinct_qualifiers"] > 1
    table = table.reset_index()
    return table.loc[table["n_sources"] >= min_sources, LEDGER_COLUMNS].reset_index(drop=True)


def toll_growth(entries: pd.DataFrame, measure: str = "civilian_deaths") -> pd.DataFrame:
    """How each toll grew: per strike whose toll was counted on more than one date, its dated counts with a number, in order of
    date (a strike's toll is what is counted in a strike's first hours; the conflict's tolls are in the ledger). One measure (a toll)."""
    counts = entries[(entries["measure"] == measure) & (entries["scope"] == "strike") & (entries["dated"] != "") & entries["value"].notna()]
    dates = counts.groupby("subject_id")["dated"].transform("nunique")
    # In order of the latest day each count can have been made: one dated by its month only ("2020-10") after that month's days.
    counts = counts[dates > 1]
    # date_span of the kept rows only: assigning a longer Series to an empty frame would give it that Series' rows, all NaN.
    counts = counts.assign(_latest=date_span(counts["dated"])[1])
    ordered = counts.sort_values(["subject_id", "_latest", "value", "source_id"], kind="stable")
    return ordered.drop(columns="_latest").reset_index(drop=True)


# Verdicts where the latest counts of other sources say otherwise; a running count's latest count is one body's, its earlier
# counts the toll's series: not other sources saying otherwise.
DIFFERENCES = ("disagree", "hedges differ", "compatible")


def source_disagreements(study: Study) -> pd.DataFrame:
    """Ledger rows for the subjects the study's source gives figures on, where other sources say otherwise."""
    entries = ledger_entries(study)
    mine = entries.loc[entries["source_id"] == study.source_id, "subject_id"]
    table = ledger(entries[entries["subject_id"].isin(mine)], min_sources=2)
    return table[table["agreement"].isin(DIFFERENCES)].reset_index(drop=True)


def compared(study: Study, measures: str = "", subject: str = "", min_sources: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The notebook's ledger (entries, table): the source's subjects (none: all) with min_sources sources, those that differ first."""
    entries = ledger_entries(study, parse_measures(measures) or None, subject)
    if study.source_id:
        entries = entries[entries["subject_id"].isin(entries.loc[entries["source_id"] == study.source_id, "subject_id"])]
    table = ledger(entries, min_sources)
    table = table.sort_values("agreement", key=lambda a: ~a.isin(DIFFERENCES), kind="stable").reset_index(drop=True)
    return entries[entries["subject_id"].isin(table["subject_id"])].reset_index(drop=True), table


def _credited_body(entries: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Per entry, the source_id of the body its figure is credited to, else (credited to no one) of the publication it was read in."""
    return entries["credited"].where(entries["credited"].isin(sources.index), entries["source_id"])


def alignment_by_side(study: Study) -> pd.DataFrame:
    """Per attacking side of the strikes in the data and alignment of the body credited (else the publication): how many strikes
    they document, from how many bodies and publications, in how many figures. Strikes of unknown attacker are left out."""
    entries = ledger_entries(study)
    sources = study.dataset.sources.set_index("source_id")
    on = entries[(entries["scope"] == "strike") & (entries["strike_id"] != "")]
    who = _credited_body(on, sources)
    on = on.assign(
        alignment=who.map(sources["alignment"]), who=who.map(sources["publisher"]), attacker=on["strike_id"].map(study.strikes["side"])
    )
    table = on.groupby(["attacker", "alignment"]).agg(
        strikes=("strike_id", "nunique"), bodies=("who", "nunique"), publications=("source_id", "nunique"), figures=("figure_id", "size")
    )  # fmt: skip
    table = table.reset_index()
    return table[table["attacker"].isin(["armenian_forces", "azerbaijani_forces"])].reset_index(drop=True)


def balance(study: Study) -> pd.DataFrame:
    """Per alignment of the body credited (else the publication): figures, bodies, publications, figures on single strikes and groups."""
    entries = ledger_entries(study)
    sources = study.dataset.sources.set_index("source_id")
    who = _credited_body(entries, sources)
    single = entries["strike_id"].map(study.strikes["date"]).notna()
    entries = entries.assign(
        alignment=who.map(sources["alignment"]), who=who.map(sources["publisher"]),
        on_single_strikes=(entries["scope"] == "strike") & single, on_groups=(entries["scope"] == "strike") & ~single,
    )  # fmt: skip
    table = entries.groupby("alignment").agg(
        bodies=("who", "nunique"), publications=("source_id", "nunique"), figures=("figure_id", "size"),
        on_single_strikes=("on_single_strikes", "sum"), on_groups=("on_groups", "sum"),
    )  # fmt: skip
    return table.reset_index()
