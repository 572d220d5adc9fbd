"""Sentences that state numbers, generated from what the compute layer returns: Markdown in which each piece of data is escaped
by escape_markdown, so that a cell of the data can never become a link, a script or a heading in the report."""

from __future__ import annotations

import pandas as pd

from .attribution import UNATTRIBUTED, cites_chain
from .bounds import CONTRADICTORY
from .labels import (
    DOCUMENT_WORDS,
    credited_label,
    format_date,
    format_figure,
    format_published,
    format_share,
    format_value,
    hedged,
    hedged_count,
    kind_label,
    measure_label,
    plural,
    share_part_label,
    side_label,
    source_label,
    strike_label,
    territory_label,
)
from .printable import escape_markdown
from .printable import markdown_to_plain as markdown_to_plain  # re-exported: the plain twin of these sentences

_md = escape_markdown
OUTSIDE = "outside_analysed_strikes"


def reading(figure: pd.Series | dict, sources: pd.DataFrame) -> str:
    """A figure as the analysis reads it, saying so where weaker than the source's words: 'at least 37 (stated as 37; …)'."""
    if not figure.get("hedge_from", ""):
        return format_figure(figure)
    hedge_source = sources.set_index("source_id").loc[figure["hedge_source"]]
    document = f"{hedge_source['publisher']}'s {DOCUMENT_WORDS.get(hedge_source['kind'], 'text')}"
    read_as = format_value(figure["value"], figure["qualifier"])
    return f"{read_as} (stated as {format_value(figure['value'], figure['stated_qualifier'])}; {document}, from the same original, says {read_as})"


def describe_readings(figures: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Figures the analysis reads more cautiously than the source words them, and why; '' when there are none."""
    weaker = figures[figures["hedge_from"] != ""]
    if weaker.empty:
        return ""
    items = "\n".join(f"- {_md(measure_label(f['measure']))}: {_md(reading(f, sources))}." for _, f in weaker.iterrows())
    return f"Where the same original says it with a hedge, the analysis uses the hedge: every sum, share and check below reads these figures as lower bounds.\n\n{items}"


def credit_phrase(figures: pd.DataFrame, sources: pd.DataFrame, source_id: str) -> str:
    """Whom a source's figures are credited to: ', citing An NGO' (', citing X and Y; some figures credited to no one')."""
    publishers = sources.set_index("source_id")["publisher"]
    credited = figures["credited"]
    named = [publishers[c] for c in dict.fromkeys(credited) if c in publishers.index and c != source_id]
    parts = [f"citing {' and '.join(dict.fromkeys(named))}"] if named else []
    if (credited == UNATTRIBUTED).any():
        parts.append("some figures credited to no one" if named or (credited == source_id).any() else "credited to no one")
    return (", " + "; ".join(parts)) if parts else ""


def source_phrase(source: pd.Series | dict) -> str:
    """'Publisher (date)' for prose."""
    published = format_published(source.get("published", ""))
    return f"{_md(source['publisher'])} ({_md(published)})" if published else _md(source["publisher"])


def describe_source(sources: pd.DataFrame, source_id: str) -> str:
    """Who states these figures, what kind of publication it is, and the chain of originals it cites."""
    table = sources.set_index("source_id")
    row = table.loc[source_id]
    published = f", published {_md(format_published(row['published']))}" if row["published"] else ", publication date not known"
    lines = [f"**{_md(row['publisher'])}**, “{_md(row['title'])}”{published} ({_md(kind_label(row['kind']))})."]
    if row["url"]:
        lines.append(f"Read at: {_md(row['url'])}")
    for cited in cites_chain(dict(zip(sources["source_id"], sources["cites"])), source_id)[1:]:
        original = table.loc[cited]
        date = f", {_md(format_published(original['published']))}" if original["published"] else ""
        lines.append(f"It cites **{_md(original['publisher'])}**, “{_md(original['title'])}” ({_md(kind_label(original['kind']))}{date}).")
        if original["note"]:
            lines.append(f"On that original: {_md(original['note'])}")
    if row["note"]:
        lines.append(f"On this source: {_md(row['note'])}")
    return "\n\n".join(lines)


def _as_stated(frame: pd.DataFrame, source: pd.Series, line, nothing: str) -> str:
    """'As <source> states them:' and one bullet per row of frame (line(row) words it); nothing when frame is empty."""
    if frame.empty:
        return f"{source_phrase(source)} {nothing}."
    return f"As {source_phrase(source)} states them:\n\n" + "\n".join(line(row) for _, row in frame.iterrows())


def _side_line(row: pd.Series) -> str:
    side, strikes = _md(side_label(row["side"])), _md(hedged_count(row, "strikes", "analysed strike"))
    if row["civilian_deaths_qualifier"] == "vague":
        return f"- **{side}**: {strikes}; the source gives no civilian toll for them."
    if row["deaths_per_strike_qualifier"] == "vague":
        average = "but the number of strikes is not given, so no average can be computed."
    else:
        per_strike = format_value(round(row["deaths_per_strike"], 1), row["deaths_per_strike_qualifier"])
        average = f"that is {_md(per_strike)} per strike on average (computed here, not stated by the source)."
    return f"- **{side}**: {strikes}, which killed {_md(hedged_count(row, 'civilian_deaths', 'civilian'))}, {average}"


def describe_by_side(view: pd.DataFrame, source: pd.Series) -> str:
    """Per side: strikes analysed, civilians killed, and the average per strike (computed, not stated)."""
    return _as_stated(view, source, _side_line, "gives no per-side figures for the analysed strikes")


def _deaths_and_share(part: pd.Series) -> str:
    return f"{_md(hedged(part, 'civilian_deaths'))} ({_md(format_share(part['share'], part['share_qualifier']))})"


def describe_share(share: pd.DataFrame, totals: pd.DataFrame, source: pd.Series, sources: pd.DataFrame) -> str:
    """How much of the conflict's stated civilian toll the analysed strikes cover."""
    if share.empty:
        return f"{source_phrase(source)} gives no civilian toll for the whole conflict, so no share can be computed."
    total = totals[totals["measure"] == "civilian_deaths"].iloc[0]
    covered = share[share["part"] != OUTSIDE]
    if (share["civilian_deaths_qualifier"] == CONTRADICTORY).any():
        tolls = "; ".join(f"{_md(hedged(r, 'civilian_deaths'))} in the {_md(share_part_label(r['part']))}" for _, r in covered.iterrows())
        return (
            f"The {_md(reading(total, sources))} civilian deaths {source_phrase(source)} states for the whole conflict are fewer than "
            f"its analysed strikes' tolls together ({tolls}). The figures contradict each other, so neither the toll outside the "
            "analysed strikes nor any share of the total is computed."
        )
    parts = "".join(f"{_deaths_and_share(r)} were killed in the {_md(share_part_label(r['part']))}; " for _, r in covered.iterrows())
    outside = _deaths_and_share(share[share["part"] == OUTSIDE].iloc[0])
    return f"Of the {_md(reading(total, sources))} civilian deaths {source_phrase(source)} states for the whole conflict, {parts}{outside} fall outside the analysed strikes of both sides, and the source says nothing of where, when or by whom they were killed."


def describe_totals(totals: pd.DataFrame, civilian_share: pd.DataFrame, source: pd.Series, sources: pd.DataFrame) -> str:
    """Civilian deaths against all deaths, keeping each hedge and saying who each total is credited to."""
    if totals.empty:
        return f"{source_phrase(source)} gives no conflict-wide death toll."
    stated = [
        f"{_md(reading(t, sources))} {_md(measure_label(t['measure']))} ({_md(credited_label(t['credited'], sources))})"
        for _, t in totals.iterrows()
    ]
    text = f"{source_phrase(source)} states " + " and ".join(stated) + " for the whole conflict."
    if civilian_share.empty:
        return text
    value, qualifier = civilian_share["value"].iloc[0], civilian_share["qualifier"].iloc[0]
    if qualifier == "vague":
        return text + " No share of civilians among all deaths follows from them: both totals are open-ended."
    why = dict(at_most=" (an upper bound: the total of all deaths is a lower bound)", at_least=" (a lower bound: the civilian toll is one)")
    return text + f" Civilians were therefore {_md(format_share(value, qualifier))} of all deaths{why.get(qualifier, '')}."


def _strike_line(row: pd.Series, strikes: pd.DataFrame) -> str:
    where = strike_label(row) + (", date not given" if pd.isna(row["date"]) else "") + f", {territory_label(row['territory'])}"
    group = ""
    if row["kind"] == "group of strikes":
        # A strike in the group's own place is named by its date alone.
        included = [
            format_date(strikes.at[s, "date"])
            if strikes.at[s, "place"] == row["place"] and not pd.isna(strikes.at[s, "date"])
            else strike_label(strikes.loc[s])
            for s in row["may_include"].split()
        ]
        may = f", which may include the strikes of {'; '.join(included)})" if included else ")"
        group = f" (a group of {hedged(row, 'strikes')} strikes{may}"
    basis = " (stated)" if row["side_basis"] == "stated" else " (inferred: the source does not say who fired)"
    killed = (
        f"{hedged_count(row, 'civilian_deaths', 'civilian')} killed"
        if row["civilian_deaths_qualifier"] != "vague"
        else "no death toll given"
    )
    injured = f", {hedged_count(row, 'civilian_injuries', 'civilian')} injured" if row["civilian_injuries_qualifier"] != "vague" else ""
    return f"- **{_md(where)}**{_md(group)}: {_md(killed + injured)}; attacker: {_md(side_label(row['side']) + basis)}."


def describe_strikes(named: pd.DataFrame, source: pd.Series, strikes: pd.DataFrame) -> str:
    """One line per named strike or group (and the strikes it may include), its attacker stated or inferred."""
    return _as_stated(named, source, lambda row: _strike_line(row, strikes), "names no strike with figures of its own")


def describe_remainders(rest: pd.DataFrame) -> str:
    """Per side, the analysed strikes the source does not name: their number and toll, split unknown."""
    if rest.empty:
        return "No analysed strikes are left once the named ones are taken away, or the source gives no per-side totals to take them from."
    lines = [
        f"- The **{_md(hedged(r, 'strikes'))} other analysed strikes by {_md(side_label(r['side']))}**"
        + (
            ": their toll is not computed, as the named strikes' tolls exceed the side's analysed total: the figures contradict each other."
            if r["civilian_deaths_qualifier"] == CONTRADICTORY
            else f" killed {_md(hedged_count(r, 'civilian_deaths', 'civilian'))} between them; the source does not say how these deaths split between the strikes, nor where or when they were."
        )
        for _, r in rest.iterrows()
    ]
    lead = "Each side's analysed total less its named strikes (this assumes the named strikes are among the analysed ones, as the source implies by reporting them together):\n\n"
    return lead + "\n".join(lines)


def headline(
    by_side: pd.DataFrame, share: pd.DataFrame, totals: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame, source_id: str
) -> str:
    """The finding in a few sentences, every hedge kept, from views.by_side, conflict_share, conflict_totals and the study's figures."""
    source = sources.set_index("source_id").loc[source_id]
    sentences = []
    if len(by_side):
        sides = [
            f"{hedged_count(r, 'strikes', 'strike')} by {side_label(r['side'])}"
            + ("" if r["civilian_deaths_qualifier"] == "vague" else f", which killed {hedged_count(r, 'civilian_deaths', 'civilian')}")
            for _, r in by_side.iterrows()
        ]
        credit = _md(credit_phrase(figures[figures["scope"] == "analysed_strikes"], sources, source_id))
        sentences += [
            f"{source_phrase(source)}{credit}{',' if credit else ''} reports strikes analysed for unlawfully killing civilians: {_md('; '.join(sides))}.",
            "The strikes were selected, not sampled: they show what the source attributes to each side, not which side's strikes were deadlier in general.",
        ]
    if len(totals):
        sentences.append(_whole_conflict(share, totals, sources, (source_id, source["cites"])))
    return " ".join(sentences) if sentences else f"{source_phrase(source)} gives no figures on strikes or on the conflict's toll."


def _whole_conflict(share: pd.DataFrame, totals: pd.DataFrame, sources: pd.DataFrame, own: tuple[str, str]) -> str:
    """The headline's sentence on the whole conflict: its totals (credited unless to `own`, the source or its cites), deaths outside."""
    stated = [
        f"{reading(t, sources)} {measure_label(t['measure'])}"
        + ("" if t["credited"] in own else ", " + credited_label(t["credited"], sources))
        for _, t in totals.iterrows()
    ]
    text = f"For the whole conflict it gives {_md('; and '.join(stated))}"
    rest = share[share["part"] == OUTSIDE]
    if len(rest) and rest["civilian_deaths_qualifier"].iloc[0] == CONTRADICTORY:
        text += ". That civilian toll is below the analysed strikes' tolls together, so no toll outside them is computed"
    elif len(rest) and rest["civilian_deaths_qualifier"].iloc[0] != "vague":
        outside = hedged(rest.iloc[0], "civilian_deaths")
        text += f". {_md(outside[0].upper() + outside[1:])} of those civilian deaths fall outside the analysed strikes, with no place, date or attacker given"
    return text + "."


def source_line(sources: pd.DataFrame, figures: pd.DataFrame) -> str:
    """The line under a chart: who states these figures and whom they credit (publisher and date only when there are many)."""
    table = sources.set_index("source_id")
    unique = list(dict.fromkeys(figures["source_id"]))
    if len(unique) > 3:
        return "Sources: " + "; ".join(source_label(table.loc[s]) for s in unique) + " (details in the data's list of sources)."
    parts = [
        f"{source_label(table.loc[s])}, “{table.at[s, 'title']}”{credit_phrase(figures[figures['source_id'] == s], sources, s)}"
        for s in unique
    ]
    return "Source: " + "; ".join(parts) + "."


def evidence(source_figures: pd.DataFrame, sources: pd.DataFrame, figures: pd.DataFrame, source: pd.Series) -> str:
    """What stands behind the headline: the source's figures, and all the figures and sources in the data."""
    mine, every = plural(len(source_figures), "figure"), plural(len(figures), "figure")
    stating, publications = plural(figures["source_id"].nunique(), "source"), plural(len(sources), "publication")
    return f"These numbers come from the {mine} that {source_phrase(source)} states, each with its verbatim quote and its hedge. The data package holds {every} stated by {stating}, and lists {publications} with the originals they cite."


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


def side_scope(side: str, section: str) -> str:
    """What a section of the per-side page covers when one attacking side is chosen (side), or both (side empty)."""
    both, one = SIDE_SCOPE[section]
    return one.format(side=_md(side_label(side))) if side else both


def side_chosen(side: str) -> str:
    """Said wherever one attacking side was chosen (the side parameter); nothing when both are."""
    if not side:
        return ""
    return f"Only strikes by {_md(side_label(side))} are shown where figures are per side. Figures for the whole conflict cover both sides, and are shown as the source gives them."
