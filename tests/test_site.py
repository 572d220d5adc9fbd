"""The built report as a site, opened from file:// in headless Chromium at desktop and phone width.

For a report of the bundled data, one of the tests' made-up data package and one for every other bundled source (one in the short
run, the rest in the long run), every page (the entry page and one per
notebook) is checked for: no horizontal overflow, no request to any other host, links that resolve, a title of its
own, code folded by default, no empty chart, reader tables with rows that fit the screen (cards on a phone), charts that are files beside the page (lazily loaded, with width and height) whose alt
text states the numbers drawn on them and whose smallest text is at least 11 CSS pixels at 390 px, numbers
right-aligned and text left-aligned in tables, prose without code or snake_case, no absolute path of the building
machine; a link to the guide (how to read these pages) in every header; every source's address a link that opens only an
http(s) address, wraps on a phone and tells the site nothing; the parameters box in words; and for weight: each page's HTML and CSS at most 100 KB, all a page loads at 390 px at most 400 KB, the
whole site at most 1.5 MB. Chromium is Debian's, launched as in test_jupyterlab (skipped on a workstation without it,
a failure under CI).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import OTHER_SOURCE, write_dataset
from helpers import views
from helpers.charts import NOTHING_TO_SHOW
from helpers.dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, load_dataset
from helpers.labels import source_label
from helpers.printable import LINK_REL
from helpers.study import Study
from report import parameters, run, site
from test_jupyterlab import CHROMIUM_ARGS, TABLE_COLUMNS, misaligned, require_browser

NOTEBOOKS = parameters.notebook_paths()
WIDTHS = (1280, 390)
SVG = "{http://www.w3.org/2000/svg}"
KB = 1024
PAGE_LIMIT, LOADED_AT_PHONE_LIMIT, SITE_LIMIT = 100 * KB, 400 * KB, 1536 * KB
SMALLEST_TEXT_AT_PHONE = 11  # CSS px


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


# Every bundled source that gives figures gets its own report: a short run in make test builds one that gives only some of the
# figures the pages are built for (Vestnik Kavkaza's), the long run (make test-long, CI) every other one.
SHORT_RUN_SOURCE = "vestnik-kavkaza-2021-01-14"
EVERY_SOURCE = sorted(set(load_dataset().figures["source_id"]) - {SHORT_RUN_SOURCE})
DEFAULT_SOURCE = parameters.notebook_parameters(NOTEBOOKS[1])["source_id"].default
REPORTS = ["bundled", "other", SHORT_RUN_SOURCE, *(pytest.param(s, marks=pytest.mark.long) for s in EVERY_SOURCE if s != DEFAULT_SOURCE)]


@pytest.fixture(scope="module", params=REPORTS)
def report(request, tmp_path_factory):
    """A report of the bundled data, one of the made-up data package (data_dir outside the project), and one for each other
    bundled source, built as a user builds it (the runner's command), with the paths a page must never show, the data's ids
    and its sources."""
    build = tmp_path_factory.mktemp(f"site-{request.param}") / "build"
    forbidden = [str(PROJECT_ROOT), str(build.parent)]
    arguments, data_dir = [], None
    if request.param == "other":
        data_dir = write_dataset(tmp_path_factory.mktemp("site-data") / "other")
        arguments = ["-p", "data_dir", str(data_dir), "-p", "source_id", OTHER_SOURCE]
        forbidden.append(str(data_dir))
    elif request.param != "bundled":
        arguments = ["-p", "source_id", request.param]
    assert run.main([*arguments, "--build-dir", str(build)]) == 0
    dataset = load_dataset(data_dir)
    ids = set(dataset.strikes["strike_id"]) | set(dataset.sources["source_id"]) | set(dataset.figures["figure_id"])
    chosen = OTHER_SOURCE if data_dir else arguments[2] if arguments else DEFAULT_SOURCE
    source = dataset.sources.set_index("source_id").loc[chosen]
    per_side = not views.by_side(Study(dataset, chosen)).empty  # whether the source gives figures per attacking side
    return build, forbidden, ids, dataset.sources, source, per_side


def drawn_numbers(svg: Path) -> set[str]:
    """The numbers written on a chart (labels, notes, source line), axis ticks left out."""
    root = ElementTree.parse(svg).getroot()
    numbers: set[str] = set()

    def walk(element, in_tick: bool) -> None:
        in_tick = in_tick or bool(re.match(r"[xy]tick_", element.get("id", "")))
        if element.tag == f"{SVG}text" and not in_tick:
            numbers.update(re.findall(r"\d[\d,]*(?:\.\d+)?", "".join(element.itertext())))
        for child in element:
            walk(child, in_tick)

    walk(root, False)
    return numbers


def charts_by_name(build: Path) -> dict[str, set[str]]:
    """Numbers written on each chart, by the chart's name (its files are NAME.svg in build/charts, NAME.png beside a page)."""
    return {svg.stem: drawn_numbers(svg) for svg in (build / "charts").glob("*.svg")}


PAGE_STATE = """async () => {
  const root = document.documentElement;
  const visible = e => e.checkVisibility({contentVisibilityAuto: true});
  const images = Array.from(document.querySelectorAll('img'));
  const lazy = images.map(i => i.loading === 'lazy');
  images.forEach(i => { i.loading = 'eager'; });  // every chart loaded, to check it, wherever it is on the page
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  return {
    title: document.title,
    overflow: root.scrollWidth - root.clientWidth,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
    details: Array.from(document.querySelectorAll('details.code')).map(d => d.open),
    visibleCode: Array.from(document.querySelectorAll('.jp-InputArea-editor')).filter(visible).length,
    codeCells: document.querySelectorAll('.jp-CodeCell').length,
    parameterBoxes: document.querySelectorAll('.run-parameters').length,
    images: images.map((i, n) => ({alt: i.getAttribute('alt') || '', src: i.getAttribute('src'), complete: i.complete, lazy: lazy[n],
      naturalWidth: i.naturalWidth, shownWidth: i.getBoundingClientRect().width, drawnWidth: Number(i.getAttribute('width')),
      drawnHeight: Number(i.getAttribute('height')), smallestText: Number(i.dataset.smallestText)})),
    columns: (TABLE_COLUMNS)(document.querySelector('main')),
    // Prose without the sources' addresses, which are the data's (checked as links below).
    prose: Array.from(document.querySelectorAll('main .jp-RenderedMarkdown, main > p, main li'))
      .filter(e => !e.closest('details')).map(e => ({code: e.querySelectorAll('code').length,
        text: Array.from(e.querySelectorAll('a.address')).reduce((text, a) => text.replace(a.innerText, ''), e.innerText)})),
    addresses: Array.from(document.querySelectorAll('a.address')).map(a => ({href: a.getAttribute('href'), rel: a.getAttribute('rel'),
      text: a.innerText, wraps: getComputedStyle(a).overflowWrap})),
    parameters: Array.from(document.querySelectorAll('.run-parameters')).map(e => e.innerText),
    // Reader tables (the method's are folded): their rows, and how far right they reach against the screen.
    tables: Array.from(document.querySelectorAll('main table')).filter(t => !t.closest('details')).map(t => ({
      rows: t.tBodies.length ? t.tBodies[0].rows.length : 0, right: t.getBoundingClientRect().right, text: t.innerText,
      scrolls: t.parentElement.scrollWidth - t.parentElement.clientWidth, screen: root.clientWidth})),
    header: !!document.querySelector('header a[href="index.html"]'),
    guide: !!document.querySelector('header a[href="GUIDE_FILE"]'),
    footer: (document.querySelector('footer') || {textContent: ''}).textContent,
  };
}""".replace("TABLE_COLUMNS", TABLE_COLUMNS).replace("GUIDE_FILE", site.GUIDE_PAGE.file)


def page_state(browser, page: Path, width: int) -> tuple[dict, list[str]]:
    """What a reader's browser shows of the page at this width, and the requests it made to other hosts."""
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    elsewhere: list[str] = []
    context.route(re.compile(r"^(?!file:|data:|about:).*"), lambda route, req: (elsewhere.append(req.url), route.abort()))
    try:
        tab = context.new_page()
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        return tab.evaluate(PAGE_STATE), elsewhere
    finally:
        context.close()


def check_images(state: dict, charts: dict, where: str, width: int) -> None:
    for image in state["images"]:
        name = image["alt"][:60]
        assert NOTHING_TO_SHOW[:-1] not in image["alt"], f"{where}: an empty chart: {name}"
        assert image["complete"] and image["naturalWidth"] > 0 and image["lazy"], (
            f"{where}: {name} did not load lazily from a file: {image}"
        )
        assert not image["src"].startswith("data:") and image["drawnWidth"] and image["drawnHeight"], f"{where}: {name}: {image}"
        # One drawing, at twice its size: crisp on high-resolution screens (a little less where a wide screen scales it up).
        assert image["naturalWidth"] >= 1.4 * image["shownWidth"] > 0, f"{where}: {name}: {image}"
        if width < 500:
            shown_text = image["smallestText"] * image["shownWidth"] / image["drawnWidth"]
            assert shown_text >= SMALLEST_TEXT_AT_PHONE, f"{where}: {name}: smallest text {shown_text:.1f} px"
        chart = Path(unquote(image["src"])).stem
        assert chart in charts and image["alt"].startswith("Chart: "), f"{where}: no chart {chart}: {image['alt'][:120]}"
        missing = {n for n in charts[chart] if n not in image["alt"]}
        assert not missing, f"{where}: alt text of “{name}…” lacks the numbers {missing}: {image['alt']}"


def check_tables(state: dict, where: str) -> None:
    """Every reader table has rows and fits the screen: no sideways scrolling, of the page or of the table's own box."""
    for table in state["tables"]:
        assert table["rows"] > 0, f"{where}: a table without rows"
        assert table["right"] <= table["screen"] + 1 and table["scrolls"] <= 1, f"{where}: a table wider than the screen: {table}"


def check_prose(state: dict, ids: set[str], where: str) -> None:
    """Prose, reader tables and the parameters box name things in words: no code, no snake_case identifiers, no ids of the data
    (outside folded sections)."""
    boxes = [{"text": text, "code": 0} for text in [*state["parameters"], *(table["text"] for table in state["tables"])]]
    for block in [*state["prose"], *boxes]:
        assert not block["code"] and not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", block["text"]), f"{where}: {block['text'][:200]}"
        named = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", block["text"]))
        assert not named, f"{where}: ids {named} in “{block['text'][:200]}”"


def check_addresses(state: dict, sources, where: str) -> None:
    """Each source's address shown is a link to it: http or https only, wrapping anywhere, telling the site nothing."""
    known = {a for column in ("url", "stored_copy") for cell in sources[column] for a in cell.split()}
    for link in state["addresses"]:
        assert link["text"] in known and urlparse(link["href"]).scheme in ("http", "https"), f"{where}: {link}"
        assert link["rel"] == LINK_REL and link["wraps"] == "anywhere", f"{where}: {link}"


def test_the_site_reads_on_desktop_and_phone_and_stays_on_this_machine(report, browser):
    build, forbidden, ids, sources, chosen, _ = report
    html_dir = build / "html"
    guide = html_dir / site.GUIDE_PAGE.file
    pages = [html_dir / site.page_of(n).file for n in NOTEBOOKS] + [guide]
    assert sorted(html_dir.glob("*.html")) == sorted(pages)
    record = json.loads((html_dir / "run.json").read_text(encoding="utf-8"))
    assert set(record) >= {"built", "commit", "dirty", "data", "parameters", "python", "packages"}
    assert len(record["data"]["sha256"]) == 64 and record["packages"]["pandas"]
    charts = charts_by_name(build)
    titles = set()
    for page in pages:
        source = page.read_text(encoding="utf-8")
        for path in forbidden:
            assert path not in source, f"{page.name} shows the machine's path {path}"
        assert not re.search(r"<script[^>]+src=", source), f"{page.name} loads a script"
        for width in WIDTHS:
            state, elsewhere = page_state(browser, page, width)
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
            assert not any(state["details"]) and state["visibleCode"] == 0, f"{where}: code is not folded: {state['details']}"
            check_images(state, charts, where, width)
            check_tables(state, where)
            assert not misaligned(state["columns"]), f"{where}: " + "; ".join(misaligned(state["columns"]))
            check_prose(state, ids, where)
            check_addresses(state, sources, where)
        if page.name != "index.html":
            assert state["header"], f"{page.name} has no link to the entry page"
        if page not in (pages[0], guide):
            assert state["codeCells"] and state["parameterBoxes"] == 1, f"{page.name}: {state['codeCells']} code cells, parameter boxes"
            assert f"source: {source_label(chosen)}" in state["parameters"][0], f"{page.name}: {state['parameters']}"
        assert state["guide"] == (page != guide), f"{page.name}: no link to the guide in its header"
        if page.name.startswith("01-") and chosen["url"]:  # the page that describes the source links where it can be read
            assert chosen["url"] in [link["text"] for link in state["addresses"]], f"{page.name}: {state['addresses']}"
        titles.add(state["title"])
    assert len(titles) == len(pages), f"pages share titles: {titles}"


def test_pages_are_light(report):
    """Each page's HTML with its stylesheet, all that a page loads, and the whole site, within the limits of issue 17."""
    build = report[0]
    html_dir = build / "html"
    css = (html_dir / site.STYLESHEET).stat().st_size
    for page in html_dir.glob("*.html"):
        html = page.stat().st_size
        assert html + css <= PAGE_LIMIT, f"{page.name}: {(html + css) / KB:.0f} KB of HTML and CSS"
        images = re.findall(r'<img src="([^"]+)"', page.read_text(encoding="utf-8"))
        loaded = html + css + sum((html_dir / unquote(src)).stat().st_size for src in images)
        assert loaded <= LOADED_AT_PHONE_LIMIT, f"{page.name}: {loaded / KB:.0f} KB loaded"
    total = sum(p.stat().st_size for p in html_dir.rglob("*") if p.is_file())
    assert total <= SITE_LIMIT, f"the site is {total / KB:.0f} KB"
    # Every chart and reader table has its numbers beside the page.
    for page in html_dir.glob("*.html"):
        for csv in re.findall(r'<a href="([^"]+\.csv)"', page.read_text(encoding="utf-8")):
            assert (html_dir / unquote(csv)).is_file(), f"{page.name}: {csv}"


def test_entry_page_states_the_headline_with_its_caveat(report):
    """The caveat on selected strikes stands with per-side figures, and only there (a count of one strike has no selection)."""
    build, per_side = report[0], report[-1]
    index = (build / "html" / "index.html").read_text(encoding="utf-8")
    assert ("selected, not sampled" in index) == per_side
    for notebook in NOTEBOOKS[1:]:
        assert f'href="{notebook.stem}.html"' in index
    assert ", stated by " in index and " of the " in index and "Built on" in index


def test_parameters_box_shows_paths_relative_or_by_name(other_data_dir):
    inside = site.path_for_readers(str(PROJECT_ROOT / "data"))
    outside = site.path_for_readers(str(other_data_dir))
    assert inside == "data" and outside.startswith(f"…/{other_data_dir.name}") and str(other_data_dir.parent) not in outside
    given = {"data_dir": str(other_data_dir), "source_id": OTHER_SOURCE, "side": "armenian_forces"}
    rows = site.parameters_for_readers(parameters.notebook_paths("02")[0], given)
    shown = {r["name"]: r for r in rows}
    assert "charts_dir" not in shown and shown["side"]["given"] and not shown["data_dir"]["words"].startswith("the bundled")
    assert shown["data_dir"]["words"] == outside and str(other_data_dir.parent) not in json.dumps(rows)


def test_parameters_box_says_each_parameter_and_value_in_words(other_data_dir):
    """Labels and values as a reader reads them: a source by its publisher and date (from the run's data), sides and measures by their
    labels, empty values in words; the run record keeps the values as the notebooks take them."""
    ledger_notebook, by_side = parameters.notebook_paths("05")[0], parameters.notebook_paths("02")[0]
    bundled = load_dataset().sources.set_index("source_id")
    words = {r["label"]: r["words"] for r in site.parameters_for_readers(ledger_notebook, {"subject": "ganja", "min_sources": 3})}
    assert words == {
        "data folder": "the bundled data", "source": source_label(bundled.loc["moscow-times-2021-01-14"]),
        "measures": "civilians killed, civilians injured, strikes", "subject": "“ganja”", "minimum sources": "3",
    }  # fmt: skip
    assert words["source"] == "The Moscow Times, 14 January 2021"
    empty = {"data_dir": "data", "source_id": "", "measures": ""}
    words = [r["words"] for r in site.parameters_for_readers(ledger_notebook, empty)]
    assert words == ["the bundled data", "all sources", "all measures", "all subjects", "2"]
    other = {"data_dir": str(other_data_dir), "source_id": OTHER_SOURCE, "side": "azerbaijani_forces"}
    shown = {r["label"]: r for r in site.parameters_for_readers(by_side, other)}
    assert shown["source"]["words"] == "Example Gazette, 1 May 2024" and shown["attacking side"]["words"] == "Azerbaijani forces"
    assert all("_" not in r["label"] + r["words"] + r["what"] for r in shown.values())
    recorded = site.run_record([by_side, ledger_notebook], {by_side: other, ledger_notebook: {"min_sources": 3}})["parameters"]
    assert recorded[by_side.stem]["side"] == "azerbaijani_forces" and recorded[by_side.stem]["source_id"] == OTHER_SOURCE
    assert recorded[ledger_notebook.stem]["min_sources"] == 3 and recorded[ledger_notebook.stem]["measures"].startswith("civilian_deaths,")


def test_the_site_and_the_readme_have_one_title():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert readme == f"# {site.site_title(BUNDLED_DATA_DIR)}"


def test_the_guide_is_a_page_of_the_site_and_states_no_number_of_the_data():
    """The guide explains words, generically: true for any data package, so no number in it may come from the data (its one
    example's numbers are said to be invented)."""
    guide = site.GUIDE.read_text(encoding="utf-8")
    assert site.GUIDE_PAGE.file == "how-to-read.html" and guide.startswith(f"# {site.GUIDE_PAGE.title}\n")
    for term in ("hedge", "lower bound", "upper bound", "credited to", "original", "copy", "agree", "compatible", "disagree",
                 "hedges differ", "analysed strikes", "inferred", "stated as", "read as", "earlier counts"):  # fmt: skip
        assert term in guide.lower(), term
    numbers = re.findall(r"\d+", guide)
    assert set(numbers) <= {"10", "4", "6"} and "invented numbers" in guide, numbers


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
    pages = [site.page_of(n) for n in NOTEBOOKS]
    record = site.run_record(NOTEBOOKS, {n: {} for n in NOTEBOOKS})
    warned = site.render_page(path, tmp_path, pages[0], pages, record, {}, "Title")
    page = (tmp_path / pages[0].file).read_text(encoding="utf-8")
    assert warned == 1 and "UserWarning" not in page and str(PROJECT_ROOT) not in page
    assert site.warnings_in(nbformat.read(NOTEBOOKS[0], as_version=4)) == 0  # the committed notebooks print none
