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


def test_a_table_without_rows_is_not_shown_its_sentence_is(shown):
    """No table with headers and no rows: the generated sentence saying why is shown in its place, or nothing."""
    empty = pd.DataFrame(columns=["strike", "civilians killed"])
    page.table(empty, "strikes", "The source names no strike.")
    page.table(empty, "strikes")
    page.numbers(empty)
    assert [data for data, _ in shown] == [{"text/markdown": "The source names no strike.", "text/plain": "The source names no strike."}]


def test_a_chart_with_nothing_drawn_is_neither_shown_nor_saved(article, tmp_path, shown):
    """A chart whose rows draw no bar (every toll not given) is empty: its sentence is shown instead, and no file is written."""
    view = views.by_side(article).assign(civilian_deaths=float("nan"), civilian_deaths_qualifier="vague")
    drawn = charts.civilian_deaths_by_side(view, "Source: test")
    assert drawn.empty and not charts.civilian_deaths_by_side(views.by_side(article), "Source: test").empty
    page.chart(drawn, str(tmp_path), "The source gives no toll for these strikes.")
    page.chart(drawn, str(tmp_path))
    assert [data["text/markdown"] for data, _ in shown] == ["The source gives no toll for these strikes."]
    assert not list(tmp_path.iterdir())


def test_each_cell_names_its_column_for_a_phone():
    """Every data cell carries its column's name (data-label), escaped, for the site's cards on a phone; headers do not."""
    html = page.table_html(pd.DataFrame({"strike <b>": ["Ganja"], "civilians killed": ["at least 21"]}))
    assert '<table class="dataframe cards' in html
    assert '<td data-label="strike &lt;b&gt;" style="text-align: left">Ganja</td>' in html
    assert '<td data-label="civilians killed" style="text-align: right; font-variant-numeric: tabular-nums">at least 21</td>' in html
    assert "<th data-label" not in html


def test_a_reader_table_reads_as_cards_on_a_phone(tmp_path):
    """At 390 px, with the site's stylesheet, a wide reader table does not scroll sideways: each row is a card whose lines read
    "column: value", the numbers still on the right, a long address wrapped; at 1280 px it is a table with its header."""
    from helpers.dataset import PROJECT_ROOT
    from test_jupyterlab import CHROMIUM_ARGS, require_browser

    frame = pd.DataFrame(
        {
            "strike": ["Ganja / Gandzak, 17 October 2020", "Barda / Partav, 28 October 2020"],
            "attacker": ["Armenian forces (inferred)", "Armenian forces (stated)"],
            "civilians killed": ["at least 21", "21"],
            "civilians injured": ["more than 40", "no number given"],
            "read at": ["https://www.example.org/" + "a-very-long-address-without-a-space-" * 4, ""],
            "weapon": ["ballistic missiles and heavy artillery", "cluster munitions"],
        }
    )
    css = (PROJECT_ROOT / "report" / "templates" / "site" / "site.css").read_text(encoding="utf-8")
    html = f'<!doctype html><meta name="viewport" content="width=device-width"><style>{css}</style><main><div class="jp-OutputArea-output">{page.table_html(frame)}</div></main>'
    (tmp_path / "table.html").write_text(html, encoding="utf-8")
    executable, sync_playwright = require_browser()
    measure = """() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      scrolled: Array.from(document.querySelectorAll('.jp-OutputArea-output')).map(e => e.scrollWidth - e.clientWidth),
      header: getComputedStyle(document.querySelector('thead')).display,
      cells: Array.from(document.querySelectorAll('td')).filter(c => c.offsetParent).map(c => ({
        label: getComputedStyle(c, '::before').content, align: getComputedStyle(c).textAlign, right: c.getBoundingClientRect().right})),
    })"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            shown = {}
            for width in (390, 1280):
                tab = browser.new_page(viewport={"width": width, "height": 844})
                tab.goto((tmp_path / "table.html").as_uri())
                shown[width] = tab.evaluate(measure)
        finally:
            browser.close()
    phone, desk = shown[390], shown[1280]
    assert phone["overflow"] <= 0 and max(phone["scrolled"]) <= 0, phone
    assert phone["header"] == "none" and desk["header"] != "none"
    assert [c["label"] for c in phone["cells"][:3]] == ['"strike: "', '"attacker: "', '"civilians killed: "'], phone["cells"]
    assert phone["cells"][2]["align"] == "right" and all(c["right"] <= 390 for c in phone["cells"]), phone["cells"]
    assert len(phone["cells"]) == frame.size - 1  # the empty cell is left out of its card
    assert all(c["label"] in ("none", "normal") for c in desk["cells"])
