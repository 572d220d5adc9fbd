"""Sentences that state numbers, generated from what the compute layer returns.

Every function returns Markdown in which each piece of data is escaped by
``escape_markdown``, so that a cell of the data can never become a link, a
script or a heading in the report.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .labels import (
    count_phrase,
    format_date,
    format_figure,
    format_share,
    format_value,
    format_values,
    measure_label,
    place_label,
    plural,
    share_part_label,
    side_label,
    source_label,
    strike_label,
    territory_label,
)
from .study import LOSS_MEASURES

# Characters that could start markup inside a sentence: emphasis, code, links,
# images, HTML, tables, math. Escaped, they print as themselves.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|!~])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#|!~])")
# What a Markdown renderer would turn into a link or math although no markup asks for it: bare URLs and
# e-mail addresses (GFM autolinks in JupyterLab's marked, nbconvert's mistune url plugin) and $...$.
# Written as HTML character references they show as the same characters, but match no pattern.
_AUTOLINKED = {"$": "&#36;", "@": "&#64;", "://": "&#58;//", "www.": "www&#46;"}
_AUTOLINK = re.compile("|".join(re.escape(k) for k in _AUTOLINKED), re.IGNORECASE)
# MathJax typesets $...$ and \(...\) in the page's text after Markdown is rendered; text holding those
# characters is wrapped in a span MathJax skips (tex2jax_ignore in MathJax 2, mathjax_ignore in 3).
NO_MATH = '<span class="tex2jax_ignore mathjax_ignore">'


def escape_markdown(text: object) -> str:
    """Text from data, made inert in Markdown: no markup, no links, no math, no HTML, no line breaks."""
    raw = str(text)
    plain = html.escape(raw, quote=False)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", plain).replace("\r", " ").replace("\n", " ")
    escaped = _AUTOLINK.sub(lambda m: _AUTOLINKED.get(m.group(), m.group()[:3] + "&#46;"), escaped)
    if "$" in raw or "\\" in raw:
        escaped = f"{NO_MATH}{escaped}</span>"
    return escaped


_md = escape_markdown


def markdown_to_plain(markdown: str) -> str:
    """The plain-text twin of generated Markdown: escapes removed."""
    return html.unescape(_ESCAPED.sub(r"\1", markdown.replace(NO_MATH, "").replace("</span>", "")))


def reading(figure: pd.Series | dict, sources: pd.DataFrame) -> str:
    """A figure as the analysis reads it, saying so where that is weaker than the source's words:
    'at least 37 (stated as 37; An NGO's press release, from the same original, says at least 37)'."""
    if not figure.get("hedge_from", ""):
        return format_figure(figure)
    publisher = sources.set_index("source_id").at[figure["hedge_source"], "publisher"]
    document = DOCUMENT_WORDS.get(sources.set_index("source_id").at[figure["hedge_source"], "kind"], "text")
    value, read_as = figure["value"], format_value(figure["value"], figure["qualifier"])
    return f"{read_as} (stated as {format_value(value, figure['stated_qualifier'])}; {publisher}'s {document}, from the same original, says {read_as})"


def describe_readings(figures: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Figures the analysis reads more cautiously than the source words them, and why; '' when there are none."""
    weaker = figures[figures["hedge_from"] != ""]
    if weaker.empty:
        return ""
    items = "\n".join(f"- {_md(measure_label(f['measure']))}: {_md(reading(f, sources))}." for _, f in weaker.iterrows())
    return (
        "Where the same original says it with a hedge, the analysis uses the hedge: every sum, share and check below "
        "reads these figures as lower bounds.\n\n" + items
    )


def credit_phrase(figures: pd.DataFrame, sources: pd.DataFrame, source_id: str) -> str:
    """Whom a source's figures are credited to: ', citing An NGO' (', citing X and Y; some figures credited to no one')."""
    publishers = sources.set_index("source_id")["publisher"]
    credited = figures["credited"]
    named = [publishers[c] for c in dict.fromkeys(credited) if c in publishers.index and c != source_id]
    parts = [f"citing {' and '.join(dict.fromkeys(named))}"] if named else []
    if (credited == "unattributed").any():
        parts.append("some figures credited to no one" if named or (credited == source_id).any() else "credited to no one")
    return (", " + "; ".join(parts)) if parts else ""


def source_phrase(source: pd.Series | dict) -> str:
    """'Publisher (date)' for prose."""
    published = source.get("published", "")
    return f"{_md(source['publisher'])} ({_md(published)})" if published else _md(source["publisher"])


def describe_source(sources: pd.DataFrame, source_id: str) -> str:
    """Who states these figures, what kind of publication it is, and the chain of originals it cites."""
    table = sources.set_index("source_id")
    row = table.loc[source_id]
    lines = [
        f"**{_md(row['publisher'])}**, “{_md(row['title'])}”"
        + (f", published {_md(row['published'])}" if row["published"] else ", publication date not known")
        + f" ({_md(row['kind'].replace('_', ' '))})."
    ]
    if row["url"]:
        lines.append(f"Read at: {_md(row['url'])}")
    seen = {source_id}
    cited = row["cites"]
    while cited and cited not in seen:
        seen.add(cited)
        original = table.loc[cited]
        lines.append(
            f"It cites **{_md(original['publisher'])}**, “{_md(original['title'])}” ({_md(original['kind'].replace('_', ' '))}"
            + (f", {_md(original['published'])}" if original["published"] else "")
            + ")."
        )
        if original["note"]:
            lines.append(f"On that original: {_md(original['note'])}")
        cited = original["cites"]
    if row["note"]:
        lines.append(f"On this source: {_md(row['note'])}")
    return "\n\n".join(lines)


# ---------------------------------------------------------------------------
# Consistency checks

CHECK_WORDS = {
    "sides_add_up": "{measure}: the sides' analysed strikes add up to all analysed strikes",
    "analysed_within_conflict": "{measure}: the analysed strikes' toll is within the conflict's",
    "civilians_within_all": "civilian deaths are within all deaths in the conflict",
    "strike_within_side": "{measure}: {strike} is within the analysed strikes by {side}",
    "named_within_side": "{measure}: the named strikes together are within the analysed strikes by {side}",
    "part_within_whole": "{measure}: the part “{subset}” is within the whole",
}


def check_description(check: pd.Series | dict, strikes: pd.DataFrame) -> str:
    """What one consistency check asks, in words (strikes: the strikes table indexed by strike_id)."""
    strike = strike_label(strikes.loc[check["strike_id"]]) if check["strike_id"] else ""
    return CHECK_WORDS[check["check"]].format(
        measure=measure_label(check["measure"]), side=side_label(check["side"]), strike=strike, subset=check["subset"].replace("_", " ")
    )


def check_sum(check: pd.Series | dict, figures: pd.DataFrame) -> str:
    """The left side of a check as the figures it adds: '40 + 300'."""
    stated = figures.set_index("figure_id").loc[list(check["left_figure_ids"])]
    return " + ".join(format_value(v, q) for v, q in zip(stated["value"], stated["qualifier"]))


def describe_checks(checks: pd.DataFrame, figures: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """How the consistency checks came out, naming any that failed."""
    if checks.empty:
        return "The source gives no figures that can be checked against each other."
    counts = checks["status"].value_counts()
    if counts.get("passed", 0) == len(checks):
        return f"All {plural(len(checks), 'consistency check')} passed." if len(checks) > 1 else "The one consistency check passed."
    parts = [
        f"{plural(counts.get(status, 0), 'check')} {word}"
        for status, word in (
            ("passed", "passed"),
            ("failed", "failed"),
            ("cannot tell", "could not be decided, as a bound or a vague figure leaves them open"),
        )
        if counts.get(status, 0)
    ]
    text = f"Of {plural(len(checks), 'consistency check')}: " + "; ".join(parts) + "."
    for _, check in checks[checks["status"] == "failed"].iterrows():
        text += (
            f"\n\n- **Failed:** {_md(check_description(check, strikes))}: {_md(check_sum(check, figures))} {check['relation']} "
            f"{_md(format_value(check['right'], check['right_qualifier']))}"
        )
    return text


# ---------------------------------------------------------------------------
# Per side and per strike


def _as_stated(frame: pd.DataFrame, source: pd.Series, line, nothing: str) -> str:
    """'As <source> states them:' and one bullet per row of frame (line(row) words it); nothing when frame is empty."""
    if frame.empty:
        return f"{source_phrase(source)} {nothing}."
    return f"As {source_phrase(source)} states them:\n\n" + "\n".join(line(row) for _, row in frame.iterrows())


def _side_line(row: pd.Series) -> str:
    strikes = _md(count_phrase(row["strikes"], row["strikes_qualifier"], "analysed strike"))
    if row["civilian_deaths_qualifier"] == "vague":
        return f"- **{_md(side_label(row['side']))}**: {strikes}; the source gives no civilian toll for them."
    if row["deaths_per_strike_qualifier"] == "vague":
        average = "but the number of strikes is not given, so no average can be computed."
    else:
        per_strike = format_value(round(row["deaths_per_strike"], 1), row["deaths_per_strike_qualifier"])
        average = f"that is {_md(per_strike)} per strike on average (computed here, not stated by the source)."
    killed = _md(count_phrase(row["civilian_deaths"], row["civilian_deaths_qualifier"], "civilian"))
    return f"- **{_md(side_label(row['side']))}**: {strikes}, which killed {killed}, {average}"


def describe_by_side(view: pd.DataFrame, source: pd.Series) -> str:
    """Per side: strikes analysed, civilians killed, and the average per strike (computed, not stated)."""
    return _as_stated(view, source, _side_line, "gives no per-side figures for the analysed strikes")


def describe_share(share: pd.DataFrame, totals: pd.DataFrame, source: pd.Series, sources: pd.DataFrame) -> str:
    """How much of the conflict's stated civilian toll the analysed strikes cover."""
    if share.empty:
        return f"{source_phrase(source)} gives no civilian toll for the whole conflict, so no share can be computed."
    total = totals[totals["measure"] == "civilian_deaths"].iloc[0]
    rest = share[share["part"] == "outside_analysed_strikes"].iloc[0]
    covered = share[share["part"] != "outside_analysed_strikes"]
    parts = [
        f"{_md(format_value(r['civilian_deaths'], r['civilian_deaths_qualifier']))} ({_md(format_share(r['share'], r['share_qualifier']))}) "
        f"were killed in the {_md(share_part_label(r['part']))}"
        for _, r in covered.iterrows()
    ]
    return (
        f"Of the {_md(reading(total, sources))} civilian deaths {source_phrase(source)} states for the whole conflict, "
        + ("; ".join(parts) + "; " if parts else "")
        + f"{_md(format_value(rest['civilian_deaths'], rest['civilian_deaths_qualifier']))} "
        f"({_md(format_share(rest['share'], rest['share_qualifier']))}) fall outside the analysed strikes of both sides, "
        "and the source says nothing of where, when or by whom they were killed."
    )


def describe_totals(totals: pd.DataFrame, civilian_share: pd.DataFrame, source: pd.Series, sources: pd.DataFrame) -> str:
    """Civilian deaths against all deaths, keeping each hedge and saying who each total is credited to."""
    if totals.empty:
        return f"{source_phrase(source)} gives no conflict-wide death toll."
    publishers = sources.set_index("source_id")["publisher"]
    stated = []
    for _, total in totals.iterrows():
        credit = (
            "credited to no one"
            if total["credited"] == "unattributed"
            else f"credited to {publishers.get(total['credited'], total['credited'])}"
        )
        stated.append(f"{_md(reading(total, sources))} {_md(measure_label(total['measure']))} ({_md(credit)})")
    text = f"{source_phrase(source)} states " + " and ".join(stated) + " for the whole conflict."
    if len(civilian_share):
        value, qualifier = civilian_share["value"].iloc[0], civilian_share["qualifier"].iloc[0]
        if qualifier == "vague":
            text += " No share of civilians among all deaths follows from them: both totals are open-ended."
        else:
            why = {
                "at_most": " (an upper bound: the total of all deaths is a lower bound)",
                "at_least": " (a lower bound: the civilian toll is one)",
            }
            text += f" Civilians were therefore {_md(format_share(value, qualifier))} of all deaths{why.get(qualifier, '')}."
    return text


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
        group = f" (a group of {format_value(row['strikes'], row['strikes_qualifier'])} strikes" + (
            f", which may include the strikes of {'; '.join(included)})" if included else ")"
        )
    basis = " (stated)" if row["side_basis"] == "stated" else " (inferred: the source does not say who fired)"
    if row["civilian_deaths_qualifier"] == "vague":
        harm = "no death toll given"
    else:
        harm = f"{count_phrase(row['civilian_deaths'], row['civilian_deaths_qualifier'], 'civilian')} killed"
    if row["civilian_injuries_qualifier"] != "vague":
        harm += f", {count_phrase(row['civilian_injuries'], row['civilian_injuries_qualifier'], 'civilian')} injured"
    return f"- **{_md(where)}**{_md(group)}: {_md(harm)}; attacker: {_md(side_label(row['side']) + basis)}."


def describe_strikes(named: pd.DataFrame, source: pd.Series, strikes: pd.DataFrame) -> str:
    """One line per named strike or group (with the single strikes a group may include), with attacker stated or inferred.
    strikes is indexed by strike_id."""
    return _as_stated(named, source, lambda row: _strike_line(row, strikes), "names no strike with figures of its own")


def describe_remainders(rest: pd.DataFrame) -> str:
    """Per side, the analysed strikes the source does not name: their number and toll, split unknown."""
    if rest.empty:
        return "No analysed strikes are left once the named ones are taken away, or the source gives no per-side totals to take them from."
    lines = [
        f"- The **{_md(format_value(r['strikes'], r['strikes_qualifier']))} other analysed strikes by {_md(side_label(r['side']))}** killed "
        f"{_md(count_phrase(r['civilian_deaths'], r['civilian_deaths_qualifier'], 'civilian'))} between them; "
        "the source does not say how these deaths split between the strikes, nor where or when they were."
        for _, r in rest.iterrows()
    ]
    return (
        "Each side's analysed total less its named strikes (this assumes the named strikes are among the analysed ones, "
        "as the source implies by reporting them together):\n\n" + "\n".join(lines)
    )


# ---------------------------------------------------------------------------
# Gaps: one wording per gap of helpers.gaps

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
    "ambiguous_wording": "Definitions from the original report: what counts as one strike, and which place each name refers to.",
    "other_sources_differ": "The original documents, and for each count its date, its method and what it includes.",
    "one_sided_sources": "Per-strike counts from the side the data hold few sources from, and independent per-strike records "
    "for strikes on every side's territory, each with its own sources.",
}


def _missing_strike_tolls(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    analysed = gap["analysed_strikes"]
    of = format_value(*analysed) if analysed[1] != "vague" else "an unstated number of"
    counted = gap["strikes_with_own_toll"]
    text = f"Of {of} analysed strikes, the source gives a separate toll for {format_value(*counted)}"
    if gap["named_with_toll"] != counted[0]:
        text += f" (in {plural(gap['named_with_toll'], 'named strike or group', 'named strikes or groups')})"
    text = _md(text + ".")
    rest = gap["remainders"]
    if len(rest):
        listed = "; ".join(
            f"{format_value(r['strikes'], r['strikes_qualifier'])} by {side_label(r['side'])} with "
            f"{format_value(r['civilian_deaths'], r['civilian_deaths_qualifier'])} civilian deaths between them"
            for _, r in rest.iterrows()
        )
        text += " " + _md(f"The rest are known only as per-side totals: {listed}.")
    return text


def _where(figure: pd.Series, strikes: pd.DataFrame) -> str:
    if figure["strike_id"]:
        return place_label(strikes.at[figure["strike_id"], "place"], strikes.at[figure["strike_id"], "place_other_name"])
    return "the whole conflict" if figure["scope"] == "conflict" else "the analysed strikes"


def _injuries(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    figures = gap["figures"]
    text = f"The source gives {plural(len(figures), 'injury figure')}"
    if len(figures):
        text += ": " + "; ".join(f"{format_figure(f)} in {_where(f, strikes)}" for _, f in figures.iterrows())
    text += "." if gap["has_total"] else ". It gives no injury total for either side or for the conflict."
    return _md(text)


def _deaths_outside_analysed(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    return _md(
        f"Of {reading(gap['total_figure'], sources)} civilian deaths in the conflict, {format_value(*gap['outside'])} are outside the analysed "
        "strikes: the source gives no place, date, attacker or weapon for them."
    )


def _hedged_figures(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    figures = gap["figures"]
    items = "\n".join(
        f"- {_md(measure_label(f['measure']))}: {_md(reading(f, sources))}"
        + (f" (“{_md(f['quote'])}”)" if f["quote"] and f["qualifier"] != "vague" else "")
        for _, f in figures.iterrows()
    )
    return (
        _md(
            f"{plural(len(figures), 'figure')} of the source {'is' if len(figures) == 1 else 'are'} not exact; each is shown with its hedge:"
        )
        + "\n\n"
        + items
    )


def _inferred_attributions(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    inferred = gap["strikes"]
    stated = gap["mentioned"] - len(inferred)
    items = "\n".join(f"- {_md(strike_label(s))}: {_md(side_label(s['side']))}, inferred. {_md(s['note'])}" for _, s in inferred.iterrows())
    return (
        _md(
            f"The source names the attacker of {stated or 'none'} of the {plural(gap['mentioned'], 'strike or group', 'strikes or groups')} it mentions; "
            f"{'the others are' if stated else 'all are'} attributed here by inference:"
        )
        + "\n\n"
        + items
    )


def _ambiguous_wording(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    items = [
        f"- What a “strike” counts: the source counts {_md(format_figure(f))} missile strikes"
        + (
            f" on {_md(place_label(strikes.at[f['strike_id'], 'place'], strikes.at[f['strike_id'], 'place_other_name']))} "
            "within what its totals treat as one strike, so “strike” means an incident in one count and a missile in another."
            if f["strike_id"]
            # A count not tied to one strike (the whole conflict, or the strikes analysed).
            else ", where its other counts of strikes may count incidents: “strike” may mean an incident in one count and a missile in another."
        )
        for _, f in gap["missile_figures"].iterrows()
    ]
    items += [
        f"- Which {_md(p['place'])}: the place has two names, {_md(place_label(p['place'], p['place_other_name']))}, and the data place it in "
        f"{_md(territory_label(p['territory']))}" + (f"; the source's words: “{_md(p['quote'])}”." if p["quote"] else ".")
        for _, p in gap["contested_places"].iterrows()
    ]
    return "\n".join(items)


def _other_sources_differ(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    entries = gap["entries"]
    table = gap["ledger"]
    items = "\n".join(
        f"- {_md(subject_label(r, sources, strikes))}, {_md(measure_label(r['measure']))}: {_md(range_text(r))} "
        f"({_md(r['agreement'])}). Who says what: {_md(who_says_what(entries, r['subject_id'], sources))}."
        for _, r in table.iterrows()
    )
    return (
        _md(f"On {plural(len(table), 'subject')} this source gives figures for, other sources give other numbers or other hedges:")
        + "\n\n"
        + items
    )


ALIGNMENT_WORDS = {
    "armenia": "aligned with Armenia",
    "azerbaijan": "aligned with Azerbaijan",
    "nagorno_karabakh_authorities": "of the Nagorno-Karabakh authorities",
    "international": "international (outlets and organisations)",
    "unknown": "of unknown alignment",
}


def describe_balance(table: pd.DataFrame) -> str:
    """Figures per alignment of the body credited (ledger.balance), in one sentence."""
    if table.empty:
        return "The data hold no figures."
    parts = [
        f"bodies {ALIGNMENT_WORDS.get(r['alignment'], r['alignment'])}: {plural(r['figures'], 'figure')} "
        f"(from {plural(r['bodies'], 'body', 'bodies')}, read in {plural(r['publications'], 'publication')}; "
        f"{format_value(r['on_single_strikes'], 'exact')} on single strikes, {format_value(r['on_groups'], 'exact')} on groups of strikes)"
        for _, r in table.iterrows()
    ]
    return _md(
        "Who the figures come from, by the alignment of the body each is credited to (for a figure credited to no one, "
        "the publication it was read in): " + "; ".join(parts) + "."
    )


def _one_sided_sources(gap: dict, strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    compared = gap["compared_strikes_by_territory"]
    where = "; ".join(f"{plural(r['strikes'], 'strike')} in {territory_label(r['territory'])}" for _, r in compared.iterrows())
    text = describe_balance(gap["balance"])
    return text + " " + _md(f"The strikes that more than one source gives figures on: {where or 'none'}.")


# One wording per gap of helpers.gaps, by the gap's name.
GAP_WORDING = {
    "missing_strike_tolls": _missing_strike_tolls,
    "injuries": _injuries,
    "deaths_outside_analysed": _deaths_outside_analysed,
    "hedged_figures": _hedged_figures,
    "inferred_attributions": _inferred_attributions,
    "ambiguous_wording": _ambiguous_wording,
    "other_sources_differ": _other_sources_differ,
    "one_sided_sources": _one_sided_sources,
}


def describe_gaps(gaps: dict[str, dict], strikes: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The gaps (gaps.found) as Markdown sections: what is unknown, what the data show, what would close it (strikes indexed by strike_id)."""
    return "\n\n".join(
        f"### {GAP_TITLES[name]}\n\n{GAP_WORDING[name](gap, strikes, sources)}\n\n*What would close it:* {GAP_REMEDIES[name]}"
        for name, gap in gaps.items()
    )


# ---------------------------------------------------------------------------
# The ledger in words

DOCUMENT_WORDS = {
    "ngo_report": "report",
    "ngo_press_release": "press release",
    "official_statement": "statement",
    "news_article": "article",
    "news_agency_report": "agency report",
    "encyclopedia": "encyclopedia article",
    "website_copy": "copy",
}

AGREEMENT_WORDS = {
    "agree": "agree",
    "hedges differ": "give one number but word it differently",
    "compatible": "give different numbers that could all be true (bounds, or a vague word)",
    "disagree": "disagree: no single number fits every source",
    "no number": "give no number",
    "one source": "come from one source only",
    "running count": "are one body's counts on different dates: a running count, not a disagreement",
}


def subject_label(subject: pd.Series | dict, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """What a ledger subject is about: 'Northtown, 2 March 2024', 'analysed strikes (study: An NGO), by Armenian forces'."""
    publishers = sources.set_index("source_id")["publisher"]
    if subject["scope"] == "strike":
        strike = strikes.loc[subject["strike_id"]]
        label = (
            strike_label(strike) if not pd.isna(strike["date"]) else place_label(strike["place"], strike["place_other_name"]) + " (group)"
        )
    elif subject["scope"] == "analysed_strikes":
        label = (
            f"analysed strikes (study: {publishers.get(subject['study'], subject['study'])})" if subject["study"] else "analysed strikes"
        )
    else:
        label = "whole conflict"
    side = subject["subject_side"]
    if side == "both":
        label += ", both sides"
    elif side in ("armenian_forces", "azerbaijani_forces"):
        losses = subject["measure"] in LOSS_MEASURES
        label += f", {side_label(side)}' losses" if losses else f", by {side_label(side)}"
    if subject["subset"]:
        label += f" — only {subject['subset'].replace('_', ' ')}"
    return label


def range_text(subject: pd.Series | dict) -> str:
    """'13 – 19', '37', '18, and a vague word meaning 24 or more', or 'no number given'."""
    floor = subject.get("vague_floor", float("nan"))
    vague = "" if pd.isna(floor) else f"a vague word meaning {format_value(floor, 'exact')} or more"
    if pd.isna(subject["low"]):
        return vague or "no number given"
    low, high = format_value(subject["low"], "exact"), format_value(subject["high"], "exact")
    numbers = low if low == high else f"{low} – {high}"
    return f"{numbers}, and {vague}" if vague else numbers


def citing(entries: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Per entry, whom the text credits the number to: '' when the publication itself, 'citing X',
    'citing its own report' (X is its own publisher), or 'credited to no one'."""
    publishers = sources.set_index("source_id")["publisher"]
    kinds = sources.set_index("source_id")["kind"]
    credited = entries["credited"]
    named = "citing " + credited.map(publishers).fillna("")
    own_document = "citing its own " + credited.map(kinds).map(DOCUMENT_WORDS).fillna("original")
    text = named.where(credited.map(publishers) != entries["source_id"].map(publishers), own_document)
    text = text.where(credited != entries["source_id"], "")
    return text.where(credited != "unattributed", "credited to no one")


def as_stated(entries: pd.DataFrame) -> pd.Series:
    """Per entry, its value as stated, a vague word with the least it is read as: 'at least 37', 'dozens (24 or more)'."""
    stated = format_values(entries["value"], entries["qualifier"])
    word = entries["vague_word"] + " (" + format_values(entries["vague_floor"], pd.Series("exact", index=entries.index)) + " or more)"
    return stated.where(entries["vague_floor"].isna(), word)


def count_date(dated: str) -> str:
    """'2020-10-31' -> '31 October 2020'; '2021-01' -> 'January 2021'; '' -> ''."""
    if not dated:
        return ""
    if len(dated) == 7:
        return pd.Timestamp(dated + "-01").strftime("%B %Y")
    return format_date(pd.Timestamp(dated))


def who_says_what(entries: pd.DataFrame, subject_id: int, sources: pd.DataFrame) -> str:
    """'13 (A Daily, citing An NGO, 2 March 2024); at least 14 (…)', lowest value first, each with its date where known."""
    mine = entries[entries["subject_id"] == subject_id].sort_values(["value", "source_id"], na_position="last")
    publishers = sources.set_index("source_id")["publisher"]
    cites = citing(mine, sources)
    dates = mine["dated"].map(count_date)
    who = mine["source_id"].map(publishers) + cites.where(cites == "", ", " + cites) + dates.where(dates == "", ", " + dates)
    return "; ".join(as_stated(mine) + " (" + who + ")")


def describe_ledger(table: pd.DataFrame, sources: pd.DataFrame, strikes: pd.DataFrame) -> str:
    """What the comparison across sources shows, generated from the ledger."""
    if table.empty:
        return "No subject has figures from more than one source in the chosen selection."
    counts = table["agreement"].value_counts()
    lines = [
        f"In the chosen selection, {plural(len(table), 'subject')} {'has' if len(table) == 1 else 'have'} figures from more than one source. On "
        + "; on ".join(f"{plural(counts[a], 'subject')} the sources {AGREEMENT_WORDS[a]}" for a in AGREEMENT_WORDS if counts.get(a, 0))
        + "."
    ]
    disputed = table[table["agreement"] == "disagree"].copy()
    if len(disputed):
        disputed["spread"] = (disputed["high"] - disputed["low"]) / disputed["high"].where(disputed["high"] > 0)
        widest = disputed.sort_values(["spread", "subject_id"], ascending=[False, True]).iloc[0]
        lines.append(
            f"The widest disagreement, relative to its size: {_md(subject_label(widest, sources, strikes))}, {_md(measure_label(widest['measure']))}, "
            f"reported as {_md(range_text(widest))} by {plural(widest['n_sources'], 'source')} going back to {plural(widest['n_originals'], 'original')}."
        )
    hedges = table[table["hedges_differ"]]
    if len(hedges):
        lines.append(
            "Sources word the same number differently for "
            + "; ".join(f"{_md(subject_label(r, sources, strikes))} ({_md(measure_label(r['measure']))})" for _, r in hedges.iterrows())
            + ": a hedge such as “at least” dropped in one copy is a change of meaning, not of number."
        )
    copies = table[table["n_sources"] > table["n_originals"]]
    if len(copies):
        lines.append(
            f"For {plural(len(copies), 'subject')}, some sources are copies of the same original: agreement between copies is one account repeated, not independent confirmation."
        )
    return "\n\n".join(lines)


# ---------------------------------------------------------------------------
# The headline: what the analysis finds, in two or three sentences


def headline(
    by_side: pd.DataFrame, share: pd.DataFrame, totals: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame, source_id: str
) -> str:
    """The finding in a few sentences, from views.by_side, views.conflict_share and views.conflict_totals
    (figures: the study's, for whom they are credited to), every hedge kept."""
    source = sources.set_index("source_id").loc[source_id]
    sentences = []
    sides = [
        f"{count_phrase(r['strikes'], r['strikes_qualifier'], 'strike')} by {side_label(r['side'])}"
        + (
            ""
            if r["civilian_deaths_qualifier"] == "vague"
            else f", which killed {count_phrase(r['civilian_deaths'], r['civilian_deaths_qualifier'], 'civilian')}"
        )
        for _, r in by_side.iterrows()
    ]
    if sides:
        credit = credit_phrase(figures[figures["scope"] == "analysed_strikes"], sources, source_id)
        sentences.append(
            f"{source_phrase(source)}{_md(credit)}{',' if credit else ''} "
            f"reports strikes analysed for unlawfully killing civilians: {_md('; '.join(sides))}."
        )
        sentences.append(
            "The strikes were selected, not sampled: they show what the source attributes to each side, not which side's strikes were deadlier in general."
        )
    if len(totals):
        publishers = sources.set_index("source_id")["publisher"]
        stated = [
            f"{reading(t, sources)} {measure_label(t['measure'])}"
            + (
                ", credited to no one"
                if t["credited"] == "unattributed"
                else ""
                if t["credited"] in (source_id, source["cites"])
                else f", credited to {publishers[t['credited']]}"
            )
            for _, t in totals.iterrows()
        ]
        whole = f"For the whole conflict it gives {_md('; and '.join(stated))}"
        rest = share[share["part"] == "outside_analysed_strikes"]
        if len(rest) and rest["civilian_deaths_qualifier"].iloc[0] != "vague":
            outside = format_value(rest["civilian_deaths"].iloc[0], rest["civilian_deaths_qualifier"].iloc[0])
            whole += f". {_md(outside[0].upper() + outside[1:])} of those civilian deaths fall outside the analysed strikes, with no place, date or attacker given"
        sentences.append(whole + ".")
    return " ".join(sentences) if sentences else f"{source_phrase(source)} gives no figures on strikes or on the conflict's toll."


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
