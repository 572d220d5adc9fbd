"""The report as a site a newsroom could publish: every notebook a page, the page chrome, and the run record.

Each executed notebook is rendered by nbconvert with the 'page' template (templates/page), the first (00-overview)
as the entry page index.html; beside it, the same way, the guide to the words the pages use (templates/site/how-to-read.md,
linked from every page's header). nbconvert's ExtractOutputPreprocessor writes each chart (PNG) and each table's and
chart's numbers (CSV) into a folder beside the page, named after the page, so pages stay light; one stylesheet
(site.css) serves every page. The run record (run.json) is written beside the pages, so it is published with them.

No path of the building machine reaches a page: parameters that are paths are shown relative to the project, or by
their last folder name when outside it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path

from helpers.dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, load_dataset, load_schema
from helpers.printable import isolated
from helpers.study import data_folder, parse_measures

from .parameters import RUNNER_PARAMETERS, notebook_parameters
from .publish import write_atomically

TEMPLATES = Path(__file__).parent / "templates"
RECORD_NAME = "run.json"
INDEX_NAME = "index.html"
STYLESHEET = "site.css"
# The guide to the pages' words (glossary and method): Markdown, rendered as a page like a notebook's.
GUIDE = TEMPLATES / "site" / "how-to-read.md"
SHORT_HASH = 8  # hex digits of a commit or checksum shown in a footer (run.json has them whole)
# The packages whose versions can change what a page shows.
MAIN_PACKAGES = ("pandas", "numpy", "matplotlib", "nbconvert", "nbformat", "papermill", "ipykernel")


@dataclass(frozen=True)
class Page:
    """One notebook as a page of the site: the overview (00-...) is the entry page."""

    stem: str
    title: str
    summary: str

    @property
    def file(self) -> str:
        return INDEX_NAME if self.stem.startswith("00-") else f"{self.stem}.html"


def _title(markdown: str, default: str) -> str:
    """The first line of Markdown when it is a heading, without its #s; else default."""
    first = markdown.strip().splitlines()
    return first[0].lstrip("#").strip() if first and first[0].startswith("#") else default


def page_of(path: Path) -> Page:
    """A notebook's page: its title is its first heading, its summary the notebook's metadata "summary"."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    first = next((c.source for c in notebook.cells if c.cell_type == "markdown"), "")
    return Page(path.stem, _title(first, path.stem), notebook.metadata.get("summary", ""))


GUIDE_PAGE = Page(GUIDE.stem, _title(GUIDE.read_text(encoding="utf-8"), GUIDE.stem), "")


def path_for_readers(value: str) -> str:
    """A path as a page may show it: relative to the project folder, or only its last name when outside it."""
    path = Path(value).expanduser()
    if not value or not path.is_absolute():
        return value
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return f"…/{path.name} (a folder outside the project)"


def parameter_values(path: Path, given: dict) -> list[dict]:
    """The notebook's parameters for this run, as the run record keeps them: name, value as given (typed; paths shown safely), the
    notebook's help, whether it was given."""
    rows = []
    for name, parameter in notebook_parameters(path).items():
        if name not in RUNNER_PARAMETERS:
            value = given.get(name, parameter.default)
            readable = path_for_readers(value) if name.endswith("_dir") else value
            rows.append({"name": name, "value": readable, "help": parameter.help, "given": name in given})
    return rows


# Each parameter as a page names it, what it does and what its empty value means, in a reader's words (the notebook's help is for
# whoever runs it, and names the codes and columns it takes). A parameter not listed shows its name with spaces and its help.
PARAMETER_WORDS = {
    "data_dir": ("data folder", "the data package analysed", "the bundled data"),
    "source_id": ("source", "whose figures are analysed", "all sources"),
    "side": ("attacking side", "only strikes by this side", "both sides"),
    "measures": ("measures", "what is compared", "all measures"),
    "subject": ("subject", "only strikes whose place name holds this text", "all subjects"),
    "min_sources": ("minimum sources", "only subjects with figures from at least this many sources", "none"),
}


def value_in_words(name: str, value: object, folder: Path | None) -> str:
    """A parameter's value as a reader reads it: a source by its publisher and date (looked up in the run's data folder; None: the
    bundled data), a side or a measure by its label, a data folder by its path or as the bundled data, an empty value in words."""
    from helpers.labels import format_number, measure_label, side_label, source_label

    if value == "":
        return PARAMETER_WORDS.get(name, ("", "", "none"))[2]
    if name == "data_dir":
        bundled = (data_folder(str(value)) or BUNDLED_DATA_DIR).resolve() == BUNDLED_DATA_DIR.resolve()
        return PARAMETER_WORDS[name][2] if bundled else path_for_readers(str(value))
    if name == "source_id":
        sources = load_dataset(folder).sources.set_index("source_id")
        return source_label(sources.loc[value]) if value in sources.index else str(value)
    if name == "side":
        return side_label(value)
    if name == "measures":
        return ", ".join(map(measure_label, parse_measures(value)))
    if name == "subject":
        return f"“{value}”"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format_number(value) if isinstance(value, int | float) else str(value)


def parameters_for_readers(path: Path, given: dict) -> list[dict]:
    """The notebook's parameters for this run as its page shows them: each also with its label, its value and what it does in words
    (value_in_words, on the run's data: given's data_dir)."""
    folder = data_folder(given.get("data_dir", ""))
    rows = []
    for row in parameter_values(path, given):
        label, what, _ = PARAMETER_WORDS.get(row["name"], (row["name"].replace("_", " "), row["help"], ""))
        words = value_in_words(row["name"], given.get(row["name"], row["value"]), folder)
        rows.append(row | {"label": label, "what": what, "words": words})
    return rows


def _git(*arguments: str) -> str | None:
    try:
        done = subprocess.run(["git", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=20, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def data_checksum(folder: Path) -> dict:
    """SHA-256 of each file of the data package (its datapackage.json and tables), and of all of them together."""
    whole, files = hashlib.sha256(), {}
    for path in [folder / "datapackage.json", *(folder / resource["path"] for resource in load_schema().values())]:
        if path.is_file():
            content = path.read_bytes()
            files[path.name] = hashlib.sha256(content).hexdigest()
            whole.update(path.name.encode() + b"\0" + content + b"\0")
    return {"sha256": whole.hexdigest(), "files": files}


def data_folder_of(per_notebook: dict[Path, dict]) -> Path:
    """The data folder the run read (the notebooks all get the same data_dir)."""
    data_dirs = {values.get("data_dir", "") for values in per_notebook.values()}
    return data_folder(next(iter(data_dirs - {""}), "")) or BUNDLED_DATA_DIR


def run_record(paths: list[Path], per_notebook: dict[Path, dict], built: datetime | None = None) -> dict:
    """What a run was made from: when, which commit (and whether the tree had changes), which data, which parameters, which versions."""
    built = built or datetime.now(UTC)
    folder = data_folder_of(per_notebook)
    status = _git("status", "--porcelain", "--untracked-files=no")
    versions = {}
    for name in MAIN_PACKAGES:
        try:
            versions[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            continue  # the record names only what is installed
    return {
        "built": built.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _git("rev-parse", "HEAD"),
        "dirty": None if status is None else bool(status),
        "data": {"folder": path_for_readers(str(folder)), **data_checksum(folder)},
        "parameters": {path.stem: {p["name"]: p["value"] for p in parameter_values(path, per_notebook[path])} for path in paths},
        "python": platform.python_version(),
        "packages": versions,
    }


def site_title(folder: Path) -> str:
    """The data package's title (of the data the run read, else the bundled one)."""
    package = folder / "datapackage.json"
    if not package.is_file():
        package = BUNDLED_DATA_DIR / "datapackage.json"
    return isolated(json.loads(package.read_text(encoding="utf-8")).get("title", "Report"))


def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "site"), autoescape=True, keep_trailing_newline=True)


def chrome(pages: list[Page], page: Page, record: dict, title: str) -> dict:
    """Header, footer and (on the entry page) the list of pages, as HTML. The guide (GUIDE_PAGE) stands outside the reading order."""
    from helpers.labels import format_date

    environment = _environment()
    readings = [p for p in pages if p.file != INDEX_NAME]
    is_index = page.file == INDEX_NAME
    index = readings.index(page) if page in readings else None
    built = datetime.strptime(record["built"], "%Y-%m-%dT%H:%M:%SZ")
    previous = readings[index - 1] if index else None
    following = readings[index + 1] if index is not None and index + 1 < len(readings) else None
    if is_index:  # the entry page leads to the first page
        following = readings[0] if readings else None
    values = {
        "site_title": title, "index_file": INDEX_NAME, "record_file": RECORD_NAME, "is_index": is_index, "previous": previous,
        "next": following, "position": None if index is None else index + 1, "count": len(readings), "pages": readings,
        "guide": None if page == GUIDE_PAGE else GUIDE_PAGE,
        "built": {"date": format_date(built), "time": built.strftime("%H:%M UTC"), "commit": (record["commit"] or "unknown")[:SHORT_HASH],
                  "dirty": record["dirty"], "data_folder": record["data"]["folder"], "data_sha": record["data"]["sha256"][:SHORT_HASH],
                  "data_bundled": record["data"]["folder"] == path_for_readers(str(BUNDLED_DATA_DIR)),
                  "python": record["python"], "packages": ", ".join(f"{name} {version}" for name, version in record["packages"].items())},
    }  # fmt: skip
    render = {name: environment.get_template(f"{name}.html.j2").render(values) for name in ("header", "footer", "contents")}
    return render | {"contents": render["contents"] if is_index else ""}


def _write_page(notebook, html_dir: Path, page: Page, site_parts: dict) -> None:
    """A notebook written as a page of the site by nbconvert with the 'page' template (site_parts: the header, footer, list of pages
    and parameters box as HTML), its charts and CSV files in a folder named after the page."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExtractOutputPreprocessor
    from nbconvert.writers import FilesWriter

    exporter = HTMLExporter(
        template_name="page", extra_template_basedirs=[str(TEMPLATES)], exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(ExtractOutputPreprocessor(extract_output_types={"image/png", "text/csv"}), enabled=True)
    # nbconvert's sanitize_html would escape the notebook's own headings and tables, so it stays off: text from the
    # data is escaped where it enters an output (helpers.text.escape_markdown, helpers.page.table_html).
    body, resources = exporter.from_notebook_node(notebook, resources={"output_files_dir": page.stem, "site": site_parts})
    FilesWriter(build_directory=str(html_dir)).write(body, resources, notebook_name=Path(page.file).stem)


def render_guide(html_dir: Path, pages: list[Page], record: dict, title: str) -> None:
    """The guide to the pages' words (GUIDE, Markdown) as a page of the site: a notebook of one Markdown cell, rendered as the
    notebooks are, so that it has their header, footer and stylesheet."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    notebook = new_notebook(cells=[new_markdown_cell(GUIDE.read_text(encoding="utf-8"), id=GUIDE_PAGE.stem)])
    notebook.metadata["title"] = f"{GUIDE_PAGE.title} · {title}"
    _write_page(notebook, html_dir, GUIDE_PAGE, {**chrome(pages, GUIDE_PAGE, record, title), "parameters": ""})


def render_page(notebook_path: Path, html_dir: Path, page: Page, pages: list[Page], record: dict, given: dict, title: str) -> int:
    """The executed notebook as one page of the site, its charts and CSV files in a folder named after the page (with the entry
    page, the guide: render_guide); returns how many warnings it printed, which the page leaves out."""
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata["title"] = title if page.file == INDEX_NAME else f"{page.title} · {title}"  # the page's <title>, in memory only
    # The entry page states the finding first; the parameters of the run are on every other page.
    parameters = [] if page.file == INDEX_NAME else parameters_for_readers(notebook_path, given)
    box = _environment().get_template("parameters.html.j2").render(parameters=parameters, record_file=RECORD_NAME) if parameters else ""
    _write_page(notebook, html_dir, page, {**chrome(pages, page, record, title), "parameters": box})
    if page.file == INDEX_NAME:
        render_guide(html_dir, pages, record, title)
    return warnings_in(notebook)


def warnings_in(notebook) -> int:
    """How many outputs of an executed notebook went to stderr (warnings): the pages leave them out."""
    return sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )


def write_site_files(html_dir: Path, record: dict) -> None:
    """The run record and the stylesheet, beside the pages."""
    write_atomically(html_dir / RECORD_NAME, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    shutil.copyfile(TEMPLATES / "site" / STYLESHEET, html_dir / STYLESHEET)
