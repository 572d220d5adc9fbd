"""What a notebook puts on its page: prose, reader tables, the numbers behind them, and charts. Every output has a plain-text twin (so
nbval compares what a reader sees, no object reprs); reader tables and charts also their numbers as CSV, which the site writes beside the
page. Compute tables are marked as the method ("role": "method"): the site folds them with the code behind "numbers behind this".
A table without rows and a chart with nothing drawn are not shown: where given, a sentence saying why is shown instead."""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from .charts import Chart
from .labels import QUALIFIER_WORDS
from .text import markdown_to_plain

# A cell that reads as a number: digits with commas, a decimal part, a minus or a percent sign, and a hedge before it
# (the words labels.format_value writes, so that a hedged number lines up like any other).
_HEDGES = "|".join(re.escape(words) for words in QUALIFIER_WORDS.values() if words)
NUMBER_TEXT = re.compile(rf"(?:{_HEDGES})?-?[\d,]*\d(\.\d+)?%?")
# Compute tables are rounded for reading; the data keep every digit.
METHOD_DECIMALS = 2


def _display(data: dict, metadata: dict | None = None) -> None:
    from IPython.display import display

    display(data, metadata=metadata or {}, raw=True)


def markdown(text: str) -> None:
    """Display generated Markdown with its plain-text twin (nothing for empty text)."""
    if text:
        _display({"text/markdown": text, "text/plain": markdown_to_plain(text)})


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def table_html(frame: pd.DataFrame) -> str:
    """A table as HTML: cells escaped, no index, text left and numbers right-aligned on each cell (JupyterLab keeps such styles, and
    they outrank its rule that right-aligns every cell). MathJax skips the table: its cells are data text ('$5 and $10' is not math).
    Each cell names its column (data-label): on a phone the site shows each row as a card of "column: value" lines (class cards)."""
    numeric = []
    for column in frame.columns:
        texts = [_text(v) for v in frame[column]]
        numeric.append(any(texts) and all(t == "" or NUMBER_TEXT.fullmatch(t) for t in texts))
    aligned = ["text-align: right; font-variant-numeric: tabular-nums" if n else "text-align: left" for n in numeric]
    labels = [f' data-label="{escape(str(column))}"' for column in frame.columns]

    def row(cells, tag: str) -> str:
        shown = (f'<{tag}{label * (tag == "td")} style="{a}">{escape(_text(v))}</{tag}>' for v, a, label in zip(cells, aligned, labels))
        return "<tr>" + "".join(shown) + "</tr>"

    rows = "\n".join(row(cells, "td") for cells in frame.itertuples(index=False))
    head = row(frame.columns, "th")
    return f'<table class="dataframe cards tex2jax_ignore mathjax_ignore">\n<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>'


def table(frame: pd.DataFrame, name: str, nothing: str = "") -> None:
    """Display a reader table, with its plain-text twin and its CSV (name: the file the site writes it to); a table without rows
    is not shown, the sentence `nothing` (generated Markdown: why there is nothing) in its place."""
    if frame.empty:
        markdown(nothing)
        return
    data = {"text/html": table_html(frame), "text/plain": frame.to_string(index=False), "text/csv": frame.to_csv(index=False)}
    _display(data, {"filename": name})


def _method_cell(value: object) -> object:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return "" if np.isnan(value) else int(value) if value.is_integer() else round(value, METHOD_DECIMALS)
    return value


def numbers(frame: pd.DataFrame) -> None:
    """Display a table the compute layer returned, as the method: its codes and ids as they are, numbers rounded; nothing without rows
    (the prose says why)."""
    if frame.empty:
        return
    method = pd.DataFrame({str(c).replace("_", " "): [_method_cell(v) for v in frame[c]] for c in frame.columns})
    _display({"text/html": table_html(method), "text/plain": method.to_string(index=False)}, {"role": "method"})


def chart(drawn: Chart, charts_dir: str = "", nothing: str = "") -> None:
    """Display the chart as PNG, its description as plain text, its numbers as CSV; save NAME.png, .svg, .csv into charts_dir if given.
    A chart with nothing drawn is neither shown nor saved: the sentence `nothing` (generated Markdown), if any, is shown instead."""
    if drawn.empty:
        markdown(nothing)
        return
    png, csv = drawn.png(), drawn.numbers.to_csv(index=False)
    if charts_dir:
        folder = Path(charts_dir)
        # Not its parents: a kernel still drawing after an interrupted run was removed must not bring its folder back.
        folder.mkdir(exist_ok=True)
        for suffix, content in ((".png", png), (".svg", drawn.svg()), (".csv", csv.encode("utf-8"))):
            (folder / f"{drawn.name}{suffix}").write_bytes(content)
    width, height = drawn.css_size
    data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": drawn.description, "text/csv": csv}
    _display(data, {"image/png": {"width": width, "height": height}, "filename": drawn.name, "smallest_text": drawn.smallest_text})
