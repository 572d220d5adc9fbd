"""The built report as a site, opened from file:// in headless Chromium at desktop and phone width.

For a report of the bundled data and one of the tests' made-up data package,
every page (the entry page and one per notebook) is checked for: no
horizontal overflow, no request to any other host, links that resolve, a
title of its own, code folded by default, charts whose alt text states the
numbers drawn on them, charts drawn again for a phone with text no smaller
than 10 CSS pixels as shown, numbers right-aligned and text left-aligned in
tables, prose without code or snake_case, and no absolute path of the
building machine.
Chromium is Debian's, launched as in test_browser (skipped on a workstation
without it, a failure under CI).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import OTHER_SOURCE, write_dataset
from helpers import parameters, run, site
from helpers.dataset import PROJECT_ROOT, load_dataset
from test_browser import CHROMIUM_ARGS, TABLE_COLUMNS, misaligned, require_browser

NOTEBOOKS = parameters.notebook_paths()
WIDTHS = (1280, 390)
SVG = "{http://www.w3.org/2000/svg}"


def build_report(build: Path, given: dict) -> Path:
    per_notebook = parameters.resolve_parameters(NOTEBOOKS, given, {})
    parameters.check_values(per_notebook)
    run.run_report(NOTEBOOKS, per_notebook, build)
    return build


@pytest.fixture(scope="module")
def browser():
    executable, sync_playwright = require_browser()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module", params=["bundled", "other"])
def report(request, tmp_path_factory):
    """A report of the bundled data, and one of the made-up data package (data_dir outside the project), with the paths
    a page must never show."""
    build = tmp_path_factory.mktemp(f"site-{request.param}") / "build"
    forbidden = [str(PROJECT_ROOT), str(build.parent)]
    data_dir = None
    if request.param == "bundled":
        given = {}
    else:
        data_dir = write_dataset(tmp_path_factory.mktemp("site-data") / "other")
        given = {"data_dir": str(data_dir), "source_id": OTHER_SOURCE}
        forbidden.append(str(data_dir))
    dataset = load_dataset(data_dir)
    ids = set(dataset.strikes["strike_id"]) | set(dataset.sources["source_id"]) | set(dataset.figures["figure_id"])
    return build_report(build, given), forbidden, ids


def drawn_numbers(svg: Path) -> tuple[tuple[str, ...], set[str]]:
    """The chart's texts and the numbers written on it (labels, notes, source line), axis ticks left out."""
    root = ElementTree.parse(svg).getroot()
    numbers: set[str] = set()
    texts: list[str] = []

    def walk(element, in_tick: bool) -> None:
        ident = element.get("id", "")
        in_tick = in_tick or bool(re.match(r"[xy]tick_", ident))
        if element.tag == f"{SVG}text" and not in_tick:
            text = "".join(element.itertext())
            texts.append(text)
            numbers.update(re.findall(r"\d[\d,]*(?:\.\d+)?", text))
        for child in element:
            walk(child, in_tick)

    walk(root, False)
    return tuple(texts), numbers


def charts_by_title(build: Path) -> dict[str, set[str]]:
    """Numbers written on each chart, by the chart's title (the text its alt text starts with)."""
    return dict(drawn_numbers(svg) for svg in (build / "charts").glob("*.svg"))


PAGE_STATE = """() => {
  const root = document.documentElement;
  const visible = e => e.checkVisibility({contentVisibilityAuto: true});
  return {
    title: document.title,
    overflow: root.scrollWidth - root.clientWidth,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
    details: Array.from(document.querySelectorAll('details.code')).map(d => d.open),
    visibleCode: Array.from(document.querySelectorAll('.jp-InputArea-editor')).filter(visible).length,
    codeCells: document.querySelectorAll('.jp-CodeCell').length,
    parameterBoxes: document.querySelectorAll('.run-parameters').length,
    images: Array.from(document.querySelectorAll('img')).map(i => {
      // A chart is a <picture>: its wide drawing in the <img>, the phone's in a <source> (2x) picked by width.
      const source = i.parentElement.tagName === 'PICTURE' ? i.parentElement.querySelector('source') : null;
      const phone = !!source && i.currentSrc === source.getAttribute('srcset').replace(/ 2x$/, '');
      const drawing = phone ? source : i;
      return {alt: i.getAttribute('alt') || '', complete: i.complete, naturalWidth: i.naturalWidth, phone: phone,
        hasPhone: !!source, pixels: phone ? 2 * i.naturalWidth : i.naturalWidth, shownWidth: i.getBoundingClientRect().width,
        drawnWidth: Number(drawing.dataset.cssWidth), smallestText: Number(drawing.dataset.smallestText)};
    }),
    columns: (TABLE_COLUMNS)(document.querySelector('main')),
    prose: Array.from(document.querySelectorAll('.jp-RenderedMarkdown, .site-index main p, .site-index main li'))
      .map(e => ({text: e.innerText, code: e.querySelectorAll('code').length})),
    header: !!document.querySelector('header a[href="index.html"]'),
    footer: (document.querySelector('footer') || {textContent: ''}).textContent,
  };
}""".replace("TABLE_COLUMNS", TABLE_COLUMNS)


def test_the_site_reads_on_desktop_and_phone_and_stays_on_this_machine(report, browser):
    build, forbidden, ids = report
    html_dir = build / "html"
    pages = [html_dir / "index.html", *[html_dir / f"{n.stem}.html" for n in NOTEBOOKS]]
    assert sorted(html_dir.glob("*.html")) == sorted(pages)
    record = json.loads((html_dir / "run.json").read_text(encoding="utf-8"))
    assert set(record) >= {"built", "commit", "dirty", "data", "parameters", "python", "packages"}
    assert len(record["data"]["sha256"]) == 64 and record["packages"]["pandas"]
    charts = charts_by_title(build)
    titles = set()
    for page in pages:
        source = page.read_text(encoding="utf-8")
        for path in forbidden:
            assert path not in source, f"{page.name} shows the machine's path {path}"
        assert not re.search(r"<script[^>]+src=", source), f"{page.name} loads a script"
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
            elsewhere: list[str] = []
            context.route(
                re.compile(r"^(?!file:|data:|about:).*"), lambda route, req, seen=elsewhere: (seen.append(req.url), route.abort())
            )
            try:
                tab = context.new_page()
                tab.goto(page.as_uri())
                tab.wait_for_load_state("load")
                state = tab.evaluate(PAGE_STATE)
            finally:
                context.close()
            where = f"{page.name} at {width} px"
            assert not elsewhere, f"{where} asked other hosts for {elsewhere}"
            assert state["overflow"] <= 0, f"{where} overflows sideways by {state['overflow']} px"
            assert state["title"] and state["title"] != "Notebook", where
            assert "Built on" in state["footer"] and (record["commit"] or "unknown")[: site.SHORT_HASH] in state["footer"], where
            for href in state["links"]:
                target = urlparse(href)
                if target.scheme in ("http", "https", "mailto"):
                    continue
                assert not target.scheme, f"{where}: link {href}"
                assert (html_dir / unquote(target.path)).is_file() if target.path else True, f"{where}: link {href} resolves to nothing"
            assert not any(state["details"]) and state["visibleCode"] == 0, f"{where}: code is not folded: {state}"
            for image in state["images"]:
                assert image["complete"] and image["naturalWidth"] > 0, f"{where}: an image did not load"
                # Up to 940 px a chart is shown as drawn for a phone, laid out for it, not a wide drawing shrunk.
                assert image["hasPhone"] and image["phone"] == (width <= 940), f"{where}: {image['alt'][:60]} phone drawing {image}"
                # At least about two image pixels per CSS pixel: crisp on high-resolution screens.
                assert image["pixels"] >= 1.9 * image["shownWidth"] > 0, f"{where}: {image['alt'][:60]}: {image}"
                # Its smallest text, at the size the chart is shown at, no smaller than 10 CSS pixels.
                shown_text = image["smallestText"] * image["shownWidth"] / image["drawnWidth"]
                assert shown_text >= 10, f"{where}: {image['alt'][:60]}: smallest text {shown_text:.1f} px"
                chart = next((texts for texts in charts if any(image["alt"].startswith(f"Chart: {t}.") for t in texts)), None)
                assert chart, f"{where}: alt text names no chart: {image['alt'][:120]}"
                missing = {n for n in charts[chart] if n not in image["alt"]}
                assert not missing, f"{where}: alt text of “{image['alt'][:60]}…” lacks the numbers {missing}: {image['alt']}"
            # A column whose every cell reads as a number lines up on the right; any other reads from the left.
            assert not misaligned(state["columns"]), f"{where}: " + "; ".join(misaligned(state["columns"]))
            for block in state["prose"]:
                # Prose names things in words: no code, no snake_case identifiers.
                assert not block["code"] and not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", block["text"]), f"{where}: {block['text'][:200]}"
                # Nor the data's ids (a table's provenance column may hold them; prose names strikes and sources in words).
                named = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", block["text"]))
                assert not named, f"{where}: ids {named} in “{block['text'][:200]}”"
        if page.name != "index.html":
            assert state["header"], f"{page.name} has no link to the entry page"
            assert state["codeCells"] and state["parameterBoxes"] == 1, f"{page.name}: {state['codeCells']} code cells, parameter boxes"
        titles.add(state["title"])
    assert len(titles) == len(pages), f"pages share titles: {titles}"


def test_entry_page_states_the_headline_with_its_caveat(report):
    build, _, _ = report
    index = (build / "html" / "index.html").read_text(encoding="utf-8")
    assert "selected, not sampled" in index
    for notebook in NOTEBOOKS:
        assert f'href="{notebook.stem}.html"' in index
    assert "figures stated by" in index and "Built on" in index


def test_parameters_box_shows_paths_relative_or_by_name(tmp_path):
    inside = site.shown_path(str(PROJECT_ROOT / "data"))
    outside = site.shown_path(str(tmp_path / "mine"))
    assert inside == "data" and outside.startswith("…/mine") and str(tmp_path) not in outside
    rows = site.shown_parameters(NOTEBOOKS[1], {"data_dir": str(tmp_path / "mine"), "side": "armenian_forces"})
    shown = {r["name"]: r for r in rows}
    assert "charts_dir" not in shown and shown["side"]["given"] and not shown["source_id"]["given"]
    assert str(tmp_path) not in json.dumps(rows)


def test_a_page_leaves_out_what_its_notebook_printed_to_stderr(tmp_path):
    """A warning names files of the building machine: the page leaves it out, and render_page counts it for the runner."""
    import nbformat
    from nbformat.v4 import new_output

    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    warning = f"{PROJECT_ROOT}/helpers/charts.py:1: UserWarning: a warning"
    code_cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
    code_cell.outputs.append(new_output("stream", name="stderr", text=warning))
    path = tmp_path / NOTEBOOKS[0].name
    nbformat.write(notebook, path)
    pages = site.pages(NOTEBOOKS)
    record = site.run_record(NOTEBOOKS, {n: {} for n in NOTEBOOKS})
    warned = site.render_page(path, tmp_path / "page.html", pages[0], pages, record, {}, "Title")
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert warned == 1 and "UserWarning" not in page and str(PROJECT_ROOT) not in page
    assert site.warnings_in(nbformat.read(NOTEBOOKS[0], as_version=4)) == 0  # the committed notebooks print none
