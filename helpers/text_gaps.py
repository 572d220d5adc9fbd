"""The gaps in words: one wording per gap of helpers.gaps, with what would close it; the note on figures read with a hedge their
source's words lack; on the per-side page, what each section covers and the limits of the comparison (data escaped by escape_markdown)."""

from __future__ import annotations

import pandas as pd

from .bounds import CONTRADICTORY, LOWER_BOUNDS
from .labels import (
    DOCUMENT_WORDS,
    count_phrase,
    format_figure,
    format_value,
    hedged,
    measure_label,
    place_label,
    plural,
    read_differently,
    scope_label,
    side_label,
    stated_form,
    strike_label,
    territory_label,
)
from .printable import escape_markdown as _md
from .text_ledger import describe_balance, range_text, subject_label, who_says_what

OUTSIDE = "outside_analysed_strikes"  # views.conflict_share's part outside the analysed strikes

GAP_TITLES = {
    "missing_strike_tolls": "Per-strike tolls are missing for most strikes",
    "injuries": "Injuries are barely counted",
    "deaths_outside_analysed": "Civilian deaths outside the analysed strikes",
    "hedged_figures": "Bounds and vague quantities",
    "inferred_attributions": "Attributions that are inferred",
    "ambiguous_wording": "Ambiguous wording",
    "other_sources_differ": "Other sources say otherwise",
    "one_sided_sources": "The sources lean to one side",
}
GAP_REMEDIES = {
    "missing_strike_tolls": "A list of every analysed strike with its date, place, weapon and toll, as in the cited report's own case studies.",
    "injuries": "Injury counts per strike and per side, with how injuries were defined and counted.",
    "deaths_outside_analysed": "An incident-by-incident record of all civilian deaths (as casualty recorders keep), with sources for each.",
    "hedged_figures": "The exact counts, or the basis of each estimate.",
    "inferred_attributions": "A source that states who fired each strike, with its evidence.",
    "ambiguous_wording": "Definitions from the original report: what counts as one strike, and whether its named strikes are among those it analyses.",
    "other_sources_differ": "The original documents, and for each count its date, its method and what it includes.",
    "one_sided_sources": "Per-strike counts from the side the data hold few sources from, and independent per-strike records for strikes on every side's territory, each with its own sources.",
}


def reading(figure: pd.Series | dict, sources: pd.DataFrame) -> str:
    """A figure the analysis reads more cautiously than its source words it, and why: 'at least 37 (stated as 37; …)'. Said once
    per page, in the note of describe_readings: every other sentence gives the figure as read (format_figure)."""
    hedge_source = sources.set_index("source_id").loc[figure["hedge_source"]]
    document = f"{hedge_source['publisher']}'s {DOCUMENT_WORDS.get(hedge_source['kind'], 'text')}"
    read_as = format_value(figure["value"], figure["qualifier"])
    return f"{read_as} (stated as {format_value(figure['value'], figure['stated_qualifier'])}; {document}, from the same original, says {read_as})"


def describe_readings(figures: pd.DataFrame, sources: pd.DataFrame) -> str:
    """A note, once per page: the figures read more cautiously than the source words them, and why; '' when there are none."""
    weaker = figures[figures["hedge_from"] != ""]
    if weaker.empty:
        return ""
    items = "\n".join(
        f"- {_md(measure_label(f['measure']))}, {_md(scope_label(f['scope']))}: {_md(reading(f, sources))}." for _, f in weaker.iterrows()
    )
    return (
        f"*Note:* where the same original words a figure with a hedge, every sum, share and check here reads it with that hedge:\n\n{items}"
    )


def _listed(lead: str, items: list[str]) -> str:
    """A sentence from data (escaped here) and a bullet list of already escaped items."""
    return _md(lead) + "\n\n" + "\n".join(items)


def _place(strikes: pd.DataFrame, strike_id: str) -> str:
    return place_label(strikes.at[strike_id, "place"], strikes.at[strike_id, "place_other_name"])


def _missing_strike_tolls(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    analysed, counted = gap["analysed_strikes"], gap["strikes_with_own_toll"]
    of = format_value(*analysed) if analysed[1] != "vague" else "an unstated number of"
    if gap["named_with_toll"] == counted[0]:  # each strike with a toll of its own
        text = f"Of {of} analysed strikes, the source gives a separate toll for {format_value(*counted)}"
    else:  # groups among them: a group's toll is one total for its strikes, no strike's own
        named = plural(gap["named_with_toll"], "named strike or group", "named strikes or groups")
        text = f"Of {of} analysed strikes, the source's tolls for {named} cover {format_value(*counted)}"
    if gap["named_with_toll"]:
        text += ", if the strikes it names are among them (inferred where the source does not say so)"
    text = _md(text + ".")
    if len(gap["remainders"]):
        listed = "; ".join(
            f"{count_phrase(r['strikes'], r['strikes_qualifier'], 'strike')} by {side_label(r['side'])} with {hedged(r, 'civilian_deaths')} civilian deaths between them"
            for _, r in gap["remainders"].iterrows()
        )
        text += " " + _md(f"The rest are known only as per-side totals: {listed}.")
    return text


def _injuries(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    figures = gap["figures"]
    text = f"The source gives {plural(len(figures), 'injury figure') if len(figures) else 'no injury figure'}"
    if len(figures):
        where = {"conflict": "the whole conflict"}
        text += ": " + "; ".join(
            f"{format_figure(stated_form(f))}{read_differently(f)} in {_place(strikes, f['strike_id']) if f['strike_id'] else where.get(f['scope'], 'the analysed strikes')}"
            for _, f in figures.iterrows()
        )
    return _md(text + ("." if gap["has_total"] else ". It gives no injury total for either side or for the conflict."))


def _deaths_outside_analysed(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    total = format_figure(gap["total_figure"])
    if len(gap["figure_ids"]) == 1:  # the total's alone: no side's analysed strikes have a toll to take from it
        return _md(
            f"The source gives {format_figure(stated_form(gap['total_figure']))}{read_differently(gap['total_figure'])} civilian deaths in the conflict and no toll for the analysed strikes of either side: of the deaths not in the strikes it names, it gives no place, date, attacker or weapon."
        )
    text = f"Of {total} civilian deaths in the conflict, {format_value(*gap['outside'])} are outside the analysed strikes: the source gives no place, date, attacker or weapon for them."
    return _md(text)


def _hedged_figures(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    figures = gap["figures"]
    return _listed(
        f"{plural(len(figures), 'figure')} of the source {'is' if len(figures) == 1 else 'are'} not exact, as stated or as read; each is shown with its hedge:",
        [
            f"- {_md(measure_label(f['measure']))}: {_md(format_figure(stated_form(f)))}{_md(read_differently(f))}"
            + (f" (“{_md(f['quote'])}”)" if f["quote"] and f["qualifier"] != "vague" else "")
            for _, f in figures.iterrows()
        ],
    )


def _inferred_attributions(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    inferred, stated = gap["strikes"], gap["mentioned"] - len(gap["strikes"])
    lead = f"Of the {plural(gap['mentioned'], 'strike or group', 'strikes or groups')} the source mentions, it names the attacker of {stated or 'none'}; {'the others are' if stated else 'all are'} attributed here by inference:"
    items = [f"- {_md(strike_label(s))}: {_md(side_label(s['side']))}, inferred. {_md(s['note'])}" for _, s in inferred.iterrows()]
    return _listed(lead, items)


def _ambiguous_wording(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    items = [
        f"- What a “strike” counts: the source counts {_md(format_figure(f))} missile strikes"
        + (
            f" on {_md(_place(strikes, f['strike_id']))}. Inferred here, not stated by the source: if that place is one of the strikes its "
            "totals analyse (the source does not say so), its totals count those missiles as one strike, and “strike” means an "
            "incident in one count and a missile in another; the tolls computed for the other analysed strikes rest on the same assumption."
            if f["strike_id"]
            # A count not tied to one strike (the whole conflict, or the strikes analysed).
            else ", where its other counts of strikes may count incidents: “strike” may mean an incident in one count and a missile in another."
        )
        for _, f in gap["missile_figures"].iterrows()
    ]
    items += [
        f"- Names used by each side: {_md(place_label(p['place'], p['place_other_name']))}, one place, which the data place in "
        f"{_md(territory_label(p['territory']))}" + (f"; the source's words: “{_md(p['quote'])}”." if p["quote"] else ".")
        for _, p in gap["contested_places"].iterrows()
    ]
    return "\n".join(items)


def _other_sources_differ(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    entries, table = gap["entries"], gap["ledger"]
    items = [
        f"- {_md(subject_label(r, sources, strikes))}, {_md(measure_label(r['measure']))}: {_md(range_text(r))} ({_md(r['agreement'])}). Who says what: {_md(who_says_what(entries, r['subject_id'], sources))}."
        for _, r in table.iterrows()
    ]
    lead = f"On {plural(len(table), 'subject')} this source gives figures for, other sources give other numbers or other hedges:"
    return _listed(lead, items)


def _one_sided_sources(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    compared = gap["compared_strikes_by_territory"]
    where = "; ".join(f"{plural(r['strikes'], 'strike')} in {territory_label(r['territory'])}" for _, r in compared.iterrows())
    return describe_balance(gap["balance"]) + " " + _md(f"The strikes that more than one source gives figures on: {where or 'none'}.")


# One wording per gap of helpers.gaps, by the gap's name: the wording's, less its "_".
WORDINGS = (_missing_strike_tolls, _injuries, _deaths_outside_analysed, _hedged_figures, _inferred_attributions, _ambiguous_wording)
GAP_WORDING = {wording.__name__[1:]: wording for wording in (*WORDINGS, _other_sources_differ, _one_sided_sources)}


def describe_gaps(gaps: dict[str, dict], strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The gaps (gaps.found) as Markdown sections: what is unknown, what the data show, what would close it."""
    if not gaps:
        return "The data show no gap in this source's figures."
    return "\n\n".join(
        f"### {GAP_TITLES[name]}\n\n{GAP_WORDING[name](gap, strikes, sources)}\n\n*What would close it:* {GAP_REMEDIES[name]}"
        for name, gap in gaps.items()
    )


SIDE_SCOPE = {
    "share": (
        "Both attacking sides' analysed strikes are shown, and the toll outside them.",
        "Only the analysed strikes by {side} are shown as a part (the side chosen for this run). The part outside the analysed strikes is the total less both sides' analysed strikes, since the source does not split it by side; the other side's analysed strikes are left out, so the parts shown do not add up to the total.",
    ),
    "totals": (
        "These totals are for the whole conflict and cover both sides.",
        "These totals are for the whole conflict and cover both sides: the source does not split them by side, so they are shown whole although only {side} were chosen for this run.",
    ),
}


def side_scope(side: str, section: str, shown: pd.DataFrame) -> str:
    """What a section of the per-side page shows (the rows of `shown`) when one attacking side is chosen (side), or both (side
    empty); nothing where it shows nothing, or its figures contradict each other (the section says why)."""
    if shown.empty or shown.isin([CONTRADICTORY]).any(axis=None):
        return ""
    both, one = SIDE_SCOPE[section]
    return one.format(side=_md(side_label(side))) if side else both


def side_chosen(side: str) -> str:
    """Said wherever one attacking side was chosen (the side parameter); nothing when both are."""
    if not side:
        return ""
    return f"Only strikes by {_md(side_label(side))} are shown where figures are per side. Figures for the whole conflict cover both sides, and are shown as the source gives them."


def measured_share(share: pd.DataFrame) -> pd.DataFrame:
    """views.conflict_share where the source gives some side's analysed strikes a toll, else no rows: without one, what lies
    outside the analysed strikes is not known (it is not the whole toll)."""
    return share if (share["part"] != OUTSIDE).any() else share.iloc[0:0]


def describe_limits(by_side: pd.DataFrame, share: pd.DataFrame, totals: pd.DataFrame) -> str:
    """What the per-side comparison can and cannot support, as far as the source's figures (views.by_side, conflict_share,
    conflict_totals) give it anything to compare: each claim made only where the figures bear it out."""
    if by_side.empty:
        items = ["- **It cannot** compare the sides: the source gives no per-side figures for analysed strikes."]
    else:
        outside = measured_share(share).query("part == @OUTSIDE")
        hedge = outside["civilian_deaths_qualifier"].iloc[0] if len(outside) else "vague"
        # Only part of the toll: more than none are left outside the analysed strikes, which an upper bound cannot say.
        part = hedge not in ("vague", CONTRADICTORY, "at_most") and outside["civilian_deaths"].iloc[0] > 0
        sides = " and ".join(f"by {side_label(side)}" for side in by_side["side"])
        only_part = ", and that these strikes account for only part of the civilian toll it gives for the whole conflict" if part else ""
        items = [
            f"- **It can** show what the source attributes to the analysed strikes {_md(sides)}{only_part}.",
            "- **It cannot** say which side's strikes were deadlier in general. The strikes were chosen because they unlawfully killed civilians, not sampled from all strikes; a per-strike average over them describes the selection, not either side's conduct of the war.",
        ]
        if (by_side["civilian_deaths_qualifier"] != "vague").any():
            known = hedge not in ("vague", CONTRADICTORY)
            no_attacker = ", and the deaths outside the analysed strikes have no attacker in the source" if known else ""
            items.append(
                f"- **It cannot** compare sides by where civilians died: the tolls are of analysed strikes, not of all civilian deaths on either side{no_attacker}."
            )
    if totals["qualifier"].isin(LOWER_BOUNDS).any():
        items.append(
            "- A total given as a lower bound (“more than”, “at least”) stays a lower bound here: a share computed from it is an upper bound, and is written as one."
        )
    return "\n".join(items)
