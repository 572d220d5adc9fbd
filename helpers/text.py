"""Sentences that state numbers, generated from what the compute layer returns: Markdown in which each piece of data is escaped
by escape_markdown, so that a cell of the data can never become a link, a script or a heading in the report."""

from __future__ import annotations

import pandas as pd

from .attribution import UNATTRIBUTED, cites_chain
from .bounds import CONTRADICTORY
from .labels import (
    count_phrase,
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
    read_differently,
    share_part_label,
    side_label,
    source_label,
    stated_form,
    strike_label,
    territory_label,
)
from .printable import address_link, escape_markdown
from .printable import markdown_to_plain as markdown_to_plain  # re-exported: the plain twin of these sentences
from .text_gaps import OUTSIDE, measured_share
from .text_gaps import describe_readings as describe_readings  # re-exported: the note on readings, said once per page

_md = escape_markdown


def credit_phrase(figures: pd.DataFrame, sources: pd.DataFrame, source_id: str) -> str:
    """Whom a source's figures are credited to: ', citing An NGO' (', citing X and Y; some of its figures credited to no one')."""
    publishers = sources.set_index("source_id")["publisher"]
    credited = figures["credited"]
    named = [publishers[c] for c in dict.fromkeys(credited) if c in publishers.index and c != source_id]
    parts = [f"citing {' and '.join(dict.fromkeys(named))}"] if named else []
    if (credited == UNATTRIBUTED).any():
        parts.append("some of its figures credited to no one" if named or (credited == source_id).any() else "credited to no one")
    return (", " + "; ".join(parts)) if parts else ""


def source_phrase(source: pd.Series | dict) -> str:
    """'Publisher (date)' for prose."""
    published = format_published(source.get("published", ""))
    return f"{_md(source['publisher'])} ({_md(published)})" if published else _md(source["publisher"])


def where_to_read(source: pd.Series | dict) -> list[str]:
    """Where a source can be read: its address and the copies of its text (stored_copy), each a link a reader can open."""
    lines = [f"Read at: {address_link(source['url'])}"] if source["url"] else []
    copies = source.get("stored_copy", "").split()
    return lines + (["Copies of the same text:\n\n" + "\n".join(f"- {address_link(a)}" for a in copies)] if copies else [])


def describe_source(sources: pd.DataFrame, source_id: str) -> str:
    """Who states these figures, what kind of publication it is, the chain of originals it cites, and where each can be read."""
    table = sources.set_index("source_id")
    row = table.loc[source_id]
    published = f", published {_md(format_published(row['published']))}" if row["published"] else ", publication date not known"
    lines = [f"**{_md(row['publisher'])}**, “{_md(row['title'])}”{published} ({_md(kind_label(row['kind']))}).", *where_to_read(row)]
    for cited in cites_chain(dict(zip(sources["source_id"], sources["cites"])), source_id)[1:]:
        original = table.loc[cited]
        date = f", {_md(format_published(original['published']))}" if original["published"] else ""
        lines.append(f"It cites **{_md(original['publisher'])}**, “{_md(original['title'])}” ({_md(kind_label(original['kind']))}{date}).")
        lines += where_to_read(original)
        if original["note"]:
            lines.append(f"Note on that original: {_md(original['note'])}")
    if row["note"]:
        lines.append(f"Note on this source: {_md(row['note'])}")
    return "\n\n".join(lines)


def figure_phrase(figure: pd.Series | dict, noun: str) -> str:
    """A figure and what it counts, as read: 'at least 500 civilians killed'; one stated in words only: 'no number of civilians
    killed (its words: “scores”)'."""
    if figure["qualifier"] != "vague" and not pd.isna(figure["value"]):
        return f"{format_figure(figure)} {noun}"
    return f"no number of {noun}" + (f" (its words: “{figure['quote']}”)" if figure.get("quote") else "")


def _as_stated(frame: pd.DataFrame, source: pd.Series, line, nothing: str) -> str:
    """'As <source> states them:' and one bullet per row of frame (line(row) words it); nothing when frame is empty."""
    if frame.empty:
        return f"{source_phrase(source)} {nothing}."
    return f"As {source_phrase(source)} states them:\n\n" + "\n".join(line(row) for _, row in frame.iterrows())


def _side_line(row: pd.Series) -> str:
    side, strikes = _md(side_label(row["side"])), _md(hedged_count(row, "strikes", "analysed strike"))
    if row["civilian_deaths_qualifier"] == "vague":
        return f"- **{side}**: {strikes}; the source gives no total civilian toll for them."
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
    """How much of the conflict's stated civilian toll the analysed strikes cover (where the source gives both)."""
    civilian = totals[totals["measure"] == "civilian_deaths"]
    if civilian.empty:
        return f"{source_phrase(source)} gives no civilian toll for the whole conflict, so no share can be computed."
    total, share = civilian.iloc[0], measured_share(share)
    if total["qualifier"] == "vague":
        return f"{source_phrase(source)} gives the whole conflict's civilian toll in words only (“{_md(total['quote'])}”), so no share of it can be computed."
    if share.empty:
        return f"{source_phrase(source)} gives no civilian toll for the analysed strikes of either side, so how much of the {_md(format_figure(stated_form(total)))} civilian deaths it states for the whole conflict{_md(read_differently(total))} they cover cannot be computed."
    covered = share[share["part"] != OUTSIDE]
    if (share["civilian_deaths_qualifier"] == CONTRADICTORY).any():
        tolls = "; ".join(f"{_md(hedged(r, 'civilian_deaths'))} in the {_md(share_part_label(r['part']))}" for _, r in covered.iterrows())
        return (
            f"The {_md(format_figure(stated_form(total)))} civilian deaths {source_phrase(source)} states for the whole conflict{_md(read_differently(total))} are fewer than "
            f"its analysed strikes' tolls together ({tolls}). The figures contradict each other, so neither the toll outside the "
            "analysed strikes nor any share of the total is computed."
        )
    parts = "".join(f"{_deaths_and_share(r)} were killed in the {_md(share_part_label(r['part']))}; " for _, r in covered.iterrows())
    rest = share[share["part"] == OUTSIDE].iloc[0]
    if rest["civilian_deaths_qualifier"] == "vague":
        tail = "how many fall outside the analysed strikes of both sides these bounds do not tell, and the source says nothing of where, when or by whom those were killed."
    else:
        tail = f"{_deaths_and_share(rest)} fall outside the analysed strikes of both sides, and the source says nothing of where, when or by whom they were killed."
    return f"Of the {_md(format_figure(stated_form(total)))} civilian deaths {source_phrase(source)} states for the whole conflict{_md(read_differently(total))}, {parts}{tail}"


def describe_totals(totals: pd.DataFrame, civilian_share: pd.DataFrame, source: pd.Series, sources: pd.DataFrame) -> str:
    """Civilian deaths against all deaths, keeping each hedge and saying who each total is credited to."""
    if totals.empty:
        return f"{source_phrase(source)} gives no toll of civilians or of all deaths for the whole conflict."
    stated = [
        f"{_md(figure_phrase(stated_form(t), measure_label(t['measure'])))} ({_md(credited_label(t['credited'], sources))}){_md(read_differently(t))}"
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
        group = f" (a group of {count_phrase(row['strikes'], row['strikes_qualifier'], 'strike')}{may}"
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


NO_SIDE_COUNTS = "The source gives no per-side count of analysed strikes to take the named strikes from."
NOTHING_LEFT = (
    "No analysed strikes are left once the named strikes are taken from each side's count: the named strikes make up all the"
    " analysed strikes the source counts (inferred where the source does not say so)."
)


def _lead(phrase: str, qualifier: str) -> str:
    return f"**{_md(phrase[:1].upper() + phrase[1:])}" if qualifier == "vague" else f"The **{_md(phrase)}"


def describe_remainders(rest: pd.DataFrame, by_side: pd.DataFrame) -> str:
    """Per side, the analysed strikes the source does not name: their number and toll, split unknown; where there are none, why
    (by_side, views.by_side: whether the source counts any side's analysed strikes)."""
    if rest.empty:
        return NOTHING_LEFT if by_side["strikes"].notna().any() else NO_SIDE_COUNTS
    lines = [
        # 'The **7 other analysed strikes**'; a count not given: '**An unstated number of other analysed strikes**'.
        f"- {_lead(count_phrase(r['strikes'], r['strikes_qualifier'], 'other analysed strike'), r['strikes_qualifier'])} by {_md(side_label(r['side']))}**"
        + (
            ": their toll is not computed, as the named strikes' tolls exceed the side's analysed total: the figures contradict each other."
            if r["civilian_deaths_qualifier"] == CONTRADICTORY
            else f" killed {_md(hedged_count(r, 'civilian_deaths', 'civilian'))} between them (inferred, on the assumption above); the source does not say how these deaths split between the strikes, nor where or when they were."
        )
        for _, r in rest.iterrows()
    ]
    lead = "Each side's analysed total less its named strikes. This is inferred here, not stated by the source: it assumes that the named strikes are among the analysed ones, which the source does not say; the tolls of the other analysed strikes below rest on that assumption:\n\n"
    return lead + "\n".join(lines)


def headline(
    by_side: pd.DataFrame, share: pd.DataFrame, totals: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame, source_id: str
) -> str:
    """The finding in two sentences, every hedge kept, from views.by_side, conflict_share, conflict_totals and the study's figures
    (why a figure is read more cautiously than worded is the page's note: describe_readings)."""
    source = sources.set_index("source_id").loc[source_id]
    sentences = []
    if len(by_side):
        credit = _md(credit_phrase(figures[figures["scope"] == "analysed_strikes"], sources, source_id))
        lead = f"{source_phrase(source)}{credit}, on strikes selected, not sampled, for unlawfully killing civilians"
        sentences.append(f"{lead}: {_md(_sides_killed(by_side))}.")
    if len(totals):
        subject = "" if len(by_side) else source_phrase(source)
        sentences.append(_whole_conflict(share, totals, sources, (source_id, source["cites"]), subject))
    return (
        " ".join(sentences)
        or f"{source_phrase(source)} gives no per-side figures for analysed strikes and no toll of civilians or of all deaths for the whole conflict."
    )


def _sides_killed(by_side: pd.DataFrame) -> str:
    """'10 strikes by Armenian forces killed at least 40 civilians; 20 strikes by Azerbaijani forces killed 300' (the noun said once)."""
    parts, noun = [], "civilian"
    for _, r in by_side.iterrows():
        strikes = f"{hedged_count(r, 'strikes', 'strike')} by {side_label(r['side'])}"
        if r["civilian_deaths_qualifier"] == "vague":
            parts.append(f"{strikes}, no total toll given for them")
            continue
        parts.append(f"{strikes} killed {hedged_count(r, 'civilian_deaths', noun) if noun else hedged(r, 'civilian_deaths')}")
        noun = ""
    return "; ".join(parts)


def _whole_conflict(share: pd.DataFrame, totals: pd.DataFrame, sources: pd.DataFrame, own: tuple[str, str], subject: str) -> str:
    """The headline's sentence on the whole war: the civilian toll (else all deaths), credited unless to `own` (the source or its
    cites), and what of it falls outside the analysed strikes; subject: who gives it, when the headline has not named them yet."""
    civilian = totals[totals["measure"] == "civilian_deaths"]
    credits: dict[str, list[str]] = {}  # each number as said, and whom each figure of it is credited to ('' the source itself)
    for _, t in (civilian if len(civilian) else totals).iterrows():
        said = figure_phrase(t, "civilian deaths" if len(civilian) else measure_label(t["measure"]))
        credits.setdefault(said, []).append("" if t["credited"] in own else credited_label(t["credited"], sources))
    stated = [said + (f" ({'also ' * ('' in c)}{' and '.join(filter(None, c))})" if any(c) else "") for said, c in credits.items()]
    rest = measured_share(share).query("part == @OUTSIDE")
    hedge = rest["civilian_deaths_qualifier"].iloc[0] if len(rest) else "vague"
    if hedge == CONTRADICTORY:
        return (
            f"Its toll for the war, {_md(stated[0])}, is below the analysed strikes' tolls together, so no toll outside them is computed."
        )
    if hedge != "vague":
        outside = hedged(rest.iloc[0], "civilian_deaths")
        return f"{_md(outside[0].upper() + outside[1:])} of the war's {_md(stated[0])} fall outside the analysed strikes."
    return f"{subject or 'It'} gives {_md(' and '.join(stated))} for the whole war."


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
    stating, publications = figures["source_id"].nunique(), plural(len(sources), "publication")
    return f"{source_phrase(source)} states {mine}, each kept in the data with its verbatim quote and its hedge. The data package holds {every}, stated by {stating} of the {publications} it lists with the originals they cite."


def no_dated_strikes(side: str = "") -> str:
    """Why there is no time line: no strike (of the side chosen) in the data has a date."""
    return f"No strike{' by ' + _md(side_label(side)) if side else ''} in the data has a date: there is no time line to show."
