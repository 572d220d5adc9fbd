"""Words for numbers, parties and places, so notebook prose is generated from data.

Everything that inserts text from a CSV into Markdown goes through
``escape_markdown`` so that a cell of the data can never become a link,
a script or a heading in the report.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd

SIDE_LABELS = {
    "armenian_forces": "Armenian forces",
    "azerbaijani_forces": "Azerbaijani forces",
    "both": "both sides",
    "unspecified": "attacker not stated",
}

QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "approx": "about ",
    # Derived by the analysis, never stored: a remainder of an exact total less a lower bound.
    "at_most": "at most ",
}

# Qualifiers under which the true number may be higher than the value shown.
LOWER_BOUNDS = ("at_least", "more_than")

MEASURE_LABELS = {
    "strikes": "strikes",
    "civilian_deaths": "civilians killed",
    "civilian_injuries": "civilians injured",
    "deaths_all": "deaths, civilian and military",
    "military_deaths": "military deaths",
    "military_missing": "military missing",
    "missile_strikes": "missiles striking (within one strike)",
    "submunitions": "submunitions",
    "places_struck": "places struck",
    "sites_visited": "strike sites visited",
    "people_interviewed": "people interviewed",
    "war_duration_weeks": "weeks of war",
    "war_duration_days": "days of war",
}

TERRITORY_LABELS = {"azerbaijan": "Azerbaijan", "nagorno_karabakh": "Nagorno-Karabakh", "armenia": "Armenia"}

# Characters that could start markup inside a sentence: emphasis, code, links,
# images, HTML, tables. Escaped, they print as themselves.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|!~$])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#|!~$])")


def escape_markdown(text: object) -> str:
    """Text from data, made inert in Markdown: no markup, no links, no HTML, no line breaks."""
    plain = html.escape(str(text), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain).replace("\r", " ").replace("\n", " ")


def markdown_to_plain(markdown: str) -> str:
    """The plain-text twin of generated Markdown: escapes removed."""
    return html.unescape(_ESCAPED.sub(r"\1", markdown))


def format_number(value: float) -> str:
    """2500 -> '2,500'; 43.0 -> '43'; 2.5 -> '2.5'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not given"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def format_value(value: float, qualifier: str) -> str:
    """A number as a reader should read it: 'more than 2,500', 'at least 43', '7', 'no number given'."""
    if qualifier == "vague" or value is None or (isinstance(value, float) and math.isnan(value)):
        return "no number given"
    return QUALIFIER_WORDS[qualifier] + format_number(value)


def format_values(values: pd.Series, qualifiers: pd.Series) -> pd.Series:
    """format_value over aligned columns."""
    values = pd.Series(values, dtype=float)
    qualifiers = pd.Series(qualifiers, index=values.index, dtype=object)
    # Formatted once per distinct number: columns repeat the same few numbers many times.
    numbers = values.map({v: format_number(v) for v in values.dropna().unique()}).fillna("")
    text = qualifiers.map(QUALIFIER_WORDS).fillna("") + numbers
    return text.where(values.notna() & (qualifiers != "vague"), "no number given")


def format_figure(figure: pd.Series | dict) -> str:
    """A row of figures.csv as a reader should read it; a vague figure shows its quote instead of a number."""
    if figure["qualifier"] == "vague" or pd.isna(figure["value"]):
        quote = figure.get("quote", "")
        return f"no number given (“{quote}”)" if quote else "no number given"
    return format_value(figure["value"], figure["qualifier"])


def side_label(side: str) -> str:
    return SIDE_LABELS.get(side, side)


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure.replace("_", " "))


def place_label(place: str, other_name: str = "") -> str:
    """A place with both of its names when it is contested: 'Place / Other name'."""
    return f"{place} / {other_name}" if other_name else place


def source_label(source: pd.Series | dict) -> str:
    """'Publisher, YYYY-MM-DD'."""
    published = source.get("published", "")
    return f"{source['publisher']}, {published}" if published else str(source["publisher"])


def source_line(sources: pd.DataFrame, source_ids: list[str]) -> str:
    """The line under a chart: who states these numbers and whom they cite (publisher and date only when there are many)."""
    table = sources.set_index("source_id")
    unique = list(dict.fromkeys(source_ids))
    if len(unique) > 3:
        return "Sources: " + "; ".join(source_label(table.loc[s]) for s in unique) + " (details in data/sources.csv)."
    parts = []
    for source_id in dict.fromkeys(source_ids):
        row = table.loc[source_id]
        text = f"{source_label(row)}, “{row['title']}”"
        if row["cites"]:
            text += f", citing {table.loc[row['cites'], 'publisher']}"
        parts.append(text)
    return "Source: " + "; ".join(parts) + "."


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """'1 strike', '7 strikes'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{format_number(count)} {word}"


def count_phrase(value: float, qualifier: str, singular: str, plural_form: str | None = None) -> str:
    """'1 civilian', 'more than 2,500 civilians', 'an unstated number of civilians'."""
    stated = format_value(value, qualifier)
    if stated == "no number given":
        return f"an unstated number of {plural_form or singular + 's'}"
    word = singular if value == 1 and qualifier == "exact" else (plural_form or singular + "s")
    return f"{stated} {word}"


def show_markdown(markdown: str) -> None:
    """Display generated Markdown with a plain-text twin (no object repr in stored outputs)."""
    from IPython.display import display

    display({"text/markdown": markdown, "text/plain": markdown_to_plain(markdown)}, raw=True)


def show_table(frame: pd.DataFrame) -> None:
    """Display a table; pandas escapes its cells in HTML, and the index is hidden when it carries no meaning."""
    from IPython.display import display

    plain = frame.to_string(index=False)
    html = frame.to_html(index=False, escape=True, na_rep="", border=0, classes="dataframe")
    display({"text/html": html, "text/plain": plain}, raw=True)


# ---------------------------------------------------------------------------
# Sentences for the notebooks. Each takes the tables the analysis produces and
# returns Markdown in which every piece of data is escaped.


def _md(value: object) -> str:
    return escape_markdown(value)


def format_share(value: float, qualifier: str) -> str:
    """A proportion in per cent, rounded away from the hedge: an upper bound rounds up, a lower bound down."""
    if qualifier == "vague" or value is None or math.isnan(value):
        return "an unknown share"
    tenths = value * 1000
    rounded = math.ceil(tenths - 1e-9) if qualifier == "at_most" else math.floor(tenths + 1e-9) if qualifier in LOWER_BOUNDS else round(tenths)
    number = f"{rounded / 10:.1f}".rstrip("0").rstrip(".")
    return QUALIFIER_WORDS.get(qualifier, "") + number + "%"


def source_phrase(source: pd.Series | dict) -> str:
    """'Publisher (YYYY-MM-DD)' for prose, escaped."""
    published = source.get("published", "")
    return f"{_md(source['publisher'])} ({_md(published)})" if published else _md(source["publisher"])


def describe_source(sources: pd.DataFrame, source_id: str) -> str:
    """Who states these figures, what kind of publication it is, and the chain of originals it cites."""
    table = sources.set_index("source_id")
    row = table.loc[source_id]
    lines = [f"**{_md(row['publisher'])}**, “{_md(row['title'])}”"
             + (f", published {_md(row['published'])}" if row["published"] else ", publication date not known")
             + f" ({_md(row['kind'].replace('_', ' '))})."]
    if row["url"]:
        lines.append(f"Read at: {_md(row['url'])}")
    seen = {source_id}
    cited = row["cites"]
    while cited and cited not in seen:
        seen.add(cited)
        original = table.loc[cited]
        lines.append(f"It cites **{_md(original['publisher'])}**, “{_md(original['title'])}” ({_md(original['kind'].replace('_', ' '))}"
                     + (f", {_md(original['published'])}" if original["published"] else "") + ").")
        if original["note"]:
            lines.append(f"On that original: {_md(original['note'])}")
        cited = original["cites"]
    if row["note"]:
        lines.append(f"On this source: {_md(row['note'])}")
    return "\n\n".join(lines)


def describe_checks(checks: pd.DataFrame) -> str:
    """How the consistency checks came out, naming any that failed."""
    if checks.empty:
        return "The source gives no figures that can be checked against each other."
    counts = checks["status"].value_counts()
    parts = [f"{plural(counts.get(status, 0), 'check')} {word}" for status, word in
             (("passed", "passed"), ("failed", "failed"), ("cannot tell", "could not be decided, as a bound or a vague figure leaves them open"))
             if counts.get(status, 0)]
    if counts.get("passed", 0) == len(checks):
        return f"All {plural(len(checks), 'consistency check')} passed." if len(checks) > 1 else "The one consistency check passed."
    text = f"Of {plural(len(checks), 'consistency check')}: " + "; ".join(parts) + "."
    for _, check in checks[checks["status"] == "failed"].iterrows():
        text += f"\n\n- **Failed:** {_md(check['check'])}: {_md(check['left'])} {check['relation']} {_md(check['right'])} (figures {_md(check['figure_ids'])})"
    return text


def describe_by_side(view: pd.DataFrame, source: pd.Series) -> str:
    """Per side: strikes analysed, civilians killed, and the average per strike (computed, not stated)."""
    if view.empty:
        return f"{source_phrase(source)} gives no per-side figures for the analysed strikes."
    lines = []
    for _, row in view.iterrows():
        strikes = format_value(row["strikes"], row["strikes_qualifier"])
        deaths = format_value(row["civilian_deaths"], row["civilian_deaths_qualifier"])
        average = format_value(round(row["deaths_per_strike"], 1), row["deaths_per_strike_qualifier"]) if row["deaths_per_strike_qualifier"] != "vague" else "not computable"
        if row["civilian_deaths_qualifier"] == "vague":
            lines.append(f"- **{_md(row['side_label'])}**: {_md(count_phrase(row['strikes'], row['strikes_qualifier'], 'analysed strike'))}; "
                         "the source gives no civilian toll for them.")
            continue
        lines.append(f"- **{_md(row['side_label'])}**: {_md(count_phrase(row['strikes'], row['strikes_qualifier'], 'analysed strike'))}, which killed "
                     f"{_md(count_phrase(row['civilian_deaths'], row['civilian_deaths_qualifier'], 'civilian'))}, "
                     + (f"that is {_md(average)} per strike on average (computed here, not stated by the source)." if row["deaths_per_strike_qualifier"] != "vague"
                        else "but the number of strikes is not given, so no average can be computed."))
    return f"As {source_phrase(source)} states them:\n\n" + "\n".join(lines)


def describe_share(share: pd.DataFrame, total_text: str, source: pd.Series) -> str:
    """How much of the conflict's stated civilian toll the analysed strikes cover."""
    if share.empty:
        return f"{source_phrase(source)} gives no civilian toll for the whole conflict, so no share can be computed."
    rest = share[share["part"] == "outside_analysed_strikes"].iloc[0]
    covered = share[share["part"] != "outside_analysed_strikes"]
    parts = [f"{_md(format_value(r['civilian_deaths'], r['civilian_deaths_qualifier']))} ({_md(format_share(r['share'], r['civilian_deaths_qualifier']))}) were killed in the {_md(r['label'])}"
             for _, r in covered.iterrows()]
    return (f"Of the {_md(total_text)} civilian deaths {source_phrase(source)} states for the whole conflict, "
            + ("; ".join(parts) + "; " if parts else "")
            + f"{_md(format_value(rest['civilian_deaths'], rest['civilian_deaths_qualifier']))} "
              f"({_md(format_share(rest['share'], rest['civilian_deaths_qualifier']))}) fall outside the analysed strikes, "
              "and the source says nothing of where, when or by whom they were killed.")


def describe_totals(totals: pd.DataFrame, civilian_share: tuple[float, str] | None, source: pd.Series) -> str:
    """Civilian deaths against all deaths, keeping each hedge."""
    if totals.empty:
        return f"{source_phrase(source)} gives no conflict-wide death toll."
    stated = [f"{_md(format_value(r['value'], r['qualifier']))} {_md(measure_label(r['measure']))}" for _, r in totals.iterrows()]
    text = f"{source_phrase(source)} states " + " and ".join(stated) + " for the whole conflict."
    if civilian_share is not None:
        value, qualifier = civilian_share
        text += (f" Civilians were therefore {_md(format_share(value, qualifier))} of all deaths"
                 + (" (the total is a lower bound, so this share is an upper bound)" if qualifier == "at_most" else "") + ".")
    return text


def describe_strikes(view: pd.DataFrame, source: pd.Series) -> str:
    """One line per named strike or group, then what is left per side, with attacker stated or inferred."""
    if view.empty:
        return f"{source_phrase(source)} gives no per-strike figures."
    lines = []
    for _, row in view.iterrows():
        deaths = format_value(row["civilian_deaths"], row["civilian_deaths_qualifier"])
        injuries = format_value(row["civilian_injuries"], row["civilian_injuries_qualifier"])
        if row["kind"] == "other analysed strikes":
            count = format_value(row["strikes"], row["strikes_qualifier"])
            lines.append(f"- The **{_md(count)} other analysed strikes by {_md(side_label(row['side']))}** killed {_md(deaths)} civilians between them; "
                         "the source does not say how these deaths split between the strikes, nor where or when they were.")
            continue
        when = f"{row['date']:%d %B %Y}" if not pd.isna(row["date"]) else "date not given"
        where = f"{place_label(row['place'], row['place_other_name'])}, {TERRITORY_LABELS.get(row['territory'], row['territory'])}"
        group = f" (a group of {format_value(row['strikes'], row['strikes_qualifier'])} strikes)" if row["kind"] == "group of strikes" else ""
        attacker = side_label(row["side"]) + (" (stated)" if row["side_basis"] == "stated" else " (inferred: the source does not say who fired)")
        harm = f"{count_phrase(row['civilian_deaths'], row['civilian_deaths_qualifier'], 'civilian')} killed" if deaths != "no number given" else "no death toll given"
        if injuries != "no number given":
            harm += f", {count_phrase(row['civilian_injuries'], row['civilian_injuries_qualifier'], 'civilian')} injured"
        lines.append(f"- **{_md(where)}**, {_md(when)}{_md(group)}: {_md(harm)}; attacker: {_md(attacker)}.")
    return f"As {source_phrase(source)} states them:\n\n" + "\n".join(lines)


def describe_gaps(gaps: pd.DataFrame) -> str:
    """The data-gap table as Markdown sections: what is unknown, what the data show, what would close it."""
    sections = []
    for _, gap in gaps.iterrows():
        sections.append(f"### {_md(gap['gap'])}\n\n{gap['evidence']}\n\n*What would close it:* {_md(gap['would_close'])}")
    return "\n\n".join(sections)


# ---------------------------------------------------------------------------
# Tables as a reader reads them: hedges written out, parties and places named.


def by_side_table(view: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "attacking side": view["side_label"],
        "analysed strikes": format_values(view["strikes"], view["strikes_qualifier"]),
        "civilians killed": format_values(view["civilian_deaths"], view["civilian_deaths_qualifier"]),
        "killed per strike (computed)": format_values(view["deaths_per_strike"].round(1), view["deaths_per_strike_qualifier"]),
        "figures": view["strikes_figure_id"] + ", " + view["civilian_deaths_figure_id"],
    })


def per_strike_table(view: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "strike": view["place_label"].where(view["kind"] != "other analysed strikes",
                                            format_values(view["strikes"], view["strikes_qualifier"]) + " " + view["place_label"]),
        "kind": view["kind"],
        "date": view["date"].dt.strftime("%Y-%m-%d").fillna("not given"),
        "territory": view["territory"].map(TERRITORY_LABELS).fillna(""),
        "attacker": view["side"].map(side_label) + " (" + view["side_basis"] + ")",
        "strikes": format_values(view["strikes"], view["strikes_qualifier"]),
        "civilians killed": format_values(view["civilian_deaths"], view["civilian_deaths_qualifier"]),
        "civilians injured": format_values(view["civilian_injuries"], view["civilian_injuries_qualifier"]),
        "weapon": view["weapon"].replace("", "not given"),
    })


def share_table(share: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "part of the conflict's civilian deaths": share["label"],
        "civilians killed": format_values(share["civilian_deaths"], share["civilian_deaths_qualifier"]),
        "share of the stated total": [format_share(v, q) for v, q in zip(share["share"], share["civilian_deaths_qualifier"])],
    })


AGREEMENT_WORDS = {
    "agree": "agree",
    "hedges differ": "give one number but word it differently",
    "compatible": "give different numbers that could all be true (bounds, or a vague word)",
    "disagree": "disagree: no single number fits every source",
    "no number": "give no number",
    "one source": "come from one source only",
}


def ledger_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ledger as a reader reads it: subject, range, how many sources and originals, agreement, who said what."""
    return pd.DataFrame({
        "subject": table["subject"],
        "what": table["measure"].map(measure_label),
        "reported": table["range"],
        "sources": table["n_sources"],
        "originals": table["n_originals"],
        "agreement": table["agreement"],
        "who says what": table["sources"],
    })


def disagreements_table(table: pd.DataFrame, entries: pd.DataFrame) -> pd.DataFrame:
    """Subjects on which sources disagree, with the sources on each side of the disagreement, grouped by value."""
    disputed = table[table["agreement"].isin(["disagree", "hedges differ"])]
    if disputed.empty:
        return pd.DataFrame(columns=["subject", "what", "reported", "sources by value"])
    chosen = entries[entries["subject_id"].isin(disputed["subject_id"])].copy()
    chosen["who"] = chosen["source_label"] + np.where(chosen["citing"] != "", " (" + chosen["citing"] + ")", "")
    by_value = (chosen.sort_values(["value", "source_id"]).groupby(["subject_id", "as_stated"], sort=False)["who"].agg(", ".join)
                .reset_index())
    by_value["side"] = by_value["as_stated"] + ": " + by_value["who"]
    listed = by_value.groupby("subject_id", sort=False)["side"].agg(" | ".join)
    return pd.DataFrame({
        "subject": disputed["subject"],
        "what": disputed["measure"].map(measure_label),
        "reported": disputed["range"],
        "sources by value": disputed["subject_id"].map(listed),
    }).reset_index(drop=True)


def describe_ledger(table: pd.DataFrame) -> str:
    """What the comparison across sources shows, generated from the ledger."""
    if table.empty:
        return "No subject has figures from more than one source in the chosen selection."
    counts = table["agreement"].value_counts()
    lines = [f"{plural(len(table), 'subject')} {'has' if len(table) == 1 else 'have'} figures from more than one source. On "
             + "; on ".join(f"{plural(counts[a], 'subject')} the sources {AGREEMENT_WORDS[a]}" for a in AGREEMENT_WORDS if counts.get(a, 0)) + "."]
    disputed = table[table["agreement"] == "disagree"].copy()
    if len(disputed):
        disputed["spread"] = (disputed["high"] - disputed["low"]) / disputed["high"].where(disputed["high"] > 0)
        widest = disputed.sort_values(["spread", "subject_id"], ascending=[False, True]).iloc[0]
        lines.append(f"The widest disagreement, relative to its size: {_md(widest['subject'])}, {_md(measure_label(widest['measure']))}, "
                     f"reported as {_md(widest['range'])} by {plural(widest['n_sources'], 'source')} going back to {plural(widest['n_originals'], 'original')}.")
    hedges = table[table["hedges_differ"]]
    if len(hedges):
        lines.append("Sources word the same number differently for " + "; ".join(f"{_md(r['subject'])} ({_md(measure_label(r['measure']))})" for _, r in hedges.iterrows())
                     + ": a hedge such as “at least” dropped in one copy is a change of meaning, not of number.")
    copies = table[table["n_sources"] > table["n_originals"]]
    if len(copies):
        lines.append(f"For {plural(len(copies), 'subject')}, some sources are copies of the same original: agreement between copies is one account repeated, not independent confirmation.")
    return "\n\n".join(lines)
