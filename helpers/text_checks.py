"""The consistency checks in words: what each check asks, the figures it adds, and how the checks came out."""

from __future__ import annotations

import pandas as pd

from .labels import format_value, measure_label, plural, side_label, strike_label
from .text import escape_markdown as _md

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
