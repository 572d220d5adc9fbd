"""helpers.page: what a notebook puts on its page, each output with its plain-text twin, tables and charts with their CSV."""

from __future__ import annotations

import base64

import pandas as pd
import pytest

from helpers import charts, page, text, views


@pytest.fixture
def shown(monkeypatch) -> list[tuple[dict, dict]]:
    """Every display call's data and metadata."""
    calls = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata=None: calls.append((data, metadata or {})))
    return calls


def test_a_chart_is_one_png_with_its_description_and_numbers_and_is_saved_only_when_asked(article, tmp_path, shown):
    drawn = charts.civilian_deaths_by_side(views.by_side(article), text.source_line(article.dataset.sources, article.figures))
    page.chart(drawn)
    assert not list(tmp_path.iterdir())
    page.chart(drawn, str(tmp_path))
    (data, metadata), (again, _) = shown
    assert data["text/plain"] == drawn.description and data["text/plain"].startswith("Chart: Civilians killed in the analysed strikes")
    assert "72" in data["text/plain"] and "11" in data["text/plain"]
    assert data["text/csv"] == drawn.numbers.to_csv(index=False) and "72" in data["text/csv"]
    # One drawing, at twice the size it is shown at, named for the file the site writes it to.
    width, height = drawn.css_size
    assert metadata["image/png"] == {"width": width, "height": height} and metadata["filename"] == drawn.name
    png = base64.b64decode(data["image/png"])
    assert int.from_bytes(png[16:20], "big") == 2 * width and png == base64.b64decode(again["image/png"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{drawn.name}.{suffix}" for suffix in ("csv", "png", "svg")]
    assert (tmp_path / f"{drawn.name}.png").read_bytes() == png


def test_a_reader_table_aligns_numbers_right_and_carries_its_csv(shown):
    frame = pd.DataFrame({"strike": ["Ganja <b>", "Barda"], "civilians killed": ["at least 21", "no number given"], "count": [3, 12]})
    page.table(frame, "strikes")
    data, metadata = shown[0]
    assert metadata == {"filename": "strikes"} and data["text/csv"] == frame.to_csv(index=False)
    html = data["text/html"]
    assert "Ganja &lt;b&gt;" in html and "Ganja <b>" not in html
    cells = html.split("<td ")
    assert 'style="text-align: left">Ganja' in cells[1] and 'style="text-align: right; font-variant-numeric: tabular-nums">3' in cells[3]
    assert "text-align: left" in cells[2]  # a column with a cell that is not a number reads from the left


def test_numbers_are_the_method_rounded_for_reading(article, shown):
    page.numbers(views.by_side(article).assign(ratio=[1.2222, 0.4932]))
    data, metadata = shown[0]
    assert metadata == {"role": "method"}
    plain = data["text/plain"]
    assert "civilian deaths qualifier" in plain and "mt-deaths-armenian" in plain  # the method: codes and ids as they are
    assert "1.22" in plain and "1.2222" not in plain and "0.49" in plain


def test_empty_prose_shows_nothing(shown):
    page.markdown("")
    assert shown == []
    page.markdown("**72** civilians")
    assert shown[0][0]["text/markdown"] == "**72** civilians" and "72" in shown[0][0]["text/plain"]
