"""Showing results in a notebook: generated prose, tables, the numbers behind them, and charts.

Every display carries a plain-text twin, so stored outputs hold no object
reprs and nbval compares what a reader sees. Charts are also saved, as PNG
and SVG named after the chart, into the folder given once by `save_charts_to`, with the chart
drawn for phones beside them as NAME-phone.png.
"""

from __future__ import annotations

import base64
import io
import re
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from .chart_layout import PHONE_WIDTH, POINTS_PER_INCH
from .files import write_atomically
from .labels import MEASURE_LABELS, QUALIFIER_LABELS, QUALIFIER_WORDS, format_date, share_part_label, side_label, territory_label
from .study import HARM_MEASURES
from .text import markdown_to_plain
from .text_gaps import GAP_TITLES

_charts_dir: Path | None = None


def save_charts_to(charts_dir: str) -> None:
    """Also save every chart shown from now on into charts_dir (empty: do not save)."""
    global _charts_dir
    _charts_dir = Path(charts_dir) if charts_dir else None


def markdown(text: str) -> None:
    """Display generated Markdown with its plain-text twin."""
    from IPython.display import display

    display({"text/markdown": text, "text/plain": markdown_to_plain(text)}, raw=True)


# A cell that reads as a number: a digit or more, with commas, a decimal part, a minus or a percent sign.
NUMBER_TEXT = re.compile(r"-?[\d,]*\d(\.\d+)?%?")


def _cell_text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def table_html(frame: pd.DataFrame) -> str:
    """A table as HTML: cells escaped, the index left out (it carries no meaning), text columns read from the left and
    columns whose every cell reads as a number line up on the right. The alignment is written on each cell, as
    JupyterLab keeps such styles (not a style sheet) and they outrank its rule that right-aligns every cell."""

    def numeric(column: pd.Series) -> bool:
        texts = [_cell_text(v) for v in column]
        return any(texts) and all(t == "" or NUMBER_TEXT.fullmatch(t) for t in texts)

    aligned = ["text-align: right; font-variant-numeric: tabular-nums" if numeric(frame[c]) else "text-align: left" for c in frame.columns]

    def row(cells, tag: str) -> str:
        return "<tr>" + "".join(f'<{tag} style="{a}">{escape(_cell_text(v))}</{tag}>' for v, a in zip(cells, aligned)) + "</tr>"

    rows = "\n".join(row(cells, "td") for cells in frame.itertuples(index=False))
    # MathJax skips the table (its cells are data text: '$5 and $10' is not math).
    return (
        '<table class="dataframe tex2jax_ignore mathjax_ignore">\n'
        f"<thead>{row(frame.columns, 'th')}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
    )


def table(frame: pd.DataFrame) -> None:
    """Display a table of text (table_html), with its plain-text twin."""
    from IPython.display import display

    display({"text/html": table_html(frame), "text/plain": frame.to_string(index=False)}, raw=True)


def header(column: str) -> str:
    """A compute table's column name as a reader reads it: 'civilian_deaths_qualifier' -> 'civilians killed: hedge'."""
    for suffix, word in (("_qualifier", "hedge"), ("_figure_ids", "figures"), ("_figure_id", "figure")):
        if column.endswith(suffix):
            return f"{header(column[: -len(suffix)])}: {word}"
    return MEASURE_LABELS.get(column, column.replace("_", " "))


def _cell(column: str, value: object) -> object:
    """One cell of a compute table for a reader: numbers stay numbers, codes become words, ids stay ids."""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp) or (column == "date" and pd.isna(value)):
        return format_date(value)
    if isinstance(value, float):
        return "" if pd.isna(value) else int(value) if value.is_integer() else round(value, 4)
    if not isinstance(value, str) or column.endswith(("_id", "_ids")):
        return value
    if column.endswith("qualifier") or column in HARM_MEASURES:
        return QUALIFIER_LABELS.get(value) or QUALIFIER_WORDS.get(value, "").strip() or value.replace("_", " ")
    if column == "side" or column == "part":
        return share_part_label(value).removeprefix("analysed strikes by ") if column == "part" else side_label(value)
    if column == "territory":
        return territory_label(value)
    if column == "gap":
        return GAP_TITLES[value]
    return MEASURE_LABELS.get(value, value.replace("_", " ")) if column == "measure" else value.replace("_", " ")


def numbers(frame: pd.DataFrame) -> None:
    """Display a table the compute layer returned, as it is (numbers, hedges and figure ids), with readable headers."""
    shown = pd.DataFrame({header(c): [_cell(c, v) for v in frame[c]] for c in frame.columns})
    table(shown)


# Charts are drawn at twice their size on the page, so that they stay crisp on high-resolution screens.
PIXEL_RATIO = 2
# Points to CSS pixels: charts are drawn at 100 dots per inch, one dot per CSS pixel.


def png(figure: Figure) -> bytes:
    """The chart as PNG, at PIXEL_RATIO times its size on the page."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.get_dpi() * PIXEL_RATIO, metadata={"Software": None})
    return buffer.getvalue()


def css_size(figure: Figure) -> tuple[int, int]:
    """The chart's width and height on the page, in CSS pixels."""
    width, height = figure.get_size_inches() * figure.get_dpi()
    return round(width), round(height)


def smallest_text(figure: Figure) -> float:
    """The size of the chart's smallest text at its drawn size, in CSS pixels (after it has been drawn once)."""
    sizes = [t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return round(min(sizes, default=0) * figure.get_dpi() / POINTS_PER_INCH, 1)


def drawing(figure: Figure, drawn: bytes | None = None) -> dict:
    """One drawing of a chart for a page: the PNG (base64), its size in CSS pixels and its smallest text."""
    drawn = drawn if drawn is not None else png(figure)
    width, height = css_size(figure)
    return {"png": base64.b64encode(drawn).decode("ascii"), "width": width, "height": height, "smallest_text": smallest_text(figure)}


def phone_drawing(figure: Figure) -> dict | None:
    """The chart drawn again for a phone's width (PHONE_WIDTH), laid out for it, not shrunk; None for a chart
    that cannot be redrawn."""
    redraw = getattr(figure, "redraw", None)
    return drawing(redraw(PHONE_WIDTH)) if redraw is not None else None


def description(figure: Figure) -> str:
    """What the chart shows, numbers included: the text a screen reader or a plain-text view gets."""
    return getattr(figure, "description", "") or f"Chart: {figure.get_suptitle()}"


def save_chart(figure: Figure, folder: str | Path, drawn: bytes | None = None) -> list[Path]:
    """Write the chart as NAME.png and NAME.svg into folder, NAME being the chart's label."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    svg = io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    paths = [folder / f"{figure.get_label()}.png", folder / f"{figure.get_label()}.svg"]
    write_atomically(paths[0], drawn if drawn is not None else png(figure))
    write_atomically(paths[1], svg.getvalue())
    return paths


def chart(figure: Figure) -> None:
    """Show the chart, with its description as the text a screen reader or a plain-text view gets, and save it
    when a charts folder is set. The PNG is drawn once, for both. The chart drawn for phones rides in the output's
    metadata, where the site's pages (templates/report) offer it to narrow screens; JupyterLab shows the wide one."""
    from IPython.display import display

    drawn = png(figure)
    if _charts_dir is not None:
        save_chart(figure, _charts_dir, drawn)
    wide = drawing(figure, drawn)
    phone = phone_drawing(figure)
    if _charts_dir is not None and phone is not None:
        write_atomically(_charts_dir / f"{figure.get_label()}-phone.png", base64.b64decode(phone["png"]))
    display(
        {"image/png": wide["png"], "text/plain": description(figure)},
        metadata={
            "image/png": {"width": wide["width"], "height": wide["height"]},
            "chart": {"smallest_text": wide["smallest_text"], "phone": phone},
        },
        raw=True,
    )
