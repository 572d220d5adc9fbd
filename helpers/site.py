"""The report as a site a newsroom could publish: page chrome, the parameters box, the entry page and the run record.

Each notebook is rendered by nbconvert with the 'report' template
(templates/report), which loads nothing from another host, folds every code
cell behind "show code", puts a box of the run's parameters in place of
papermill's injected cell, and wraps the page in the header and footer made
here (site title, link to the entry page, previous and next page, the run
record). The entry page (index.html) and the run record (run.json) are
written beside the pages, in the run's html folder, so they are published
with them in one switch.

No path of the building machine reaches a page: parameters that are paths
are shown relative to the project, or by their last folder name when outside
it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path

from .dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, load_schema
from .files import write_atomically
from .parameters import RUNNER_PARAMETERS, notebook_parameters

TEMPLATES = Path(__file__).parent / "templates"
RECORD_NAME = "run.json"
INDEX_NAME = "index.html"
SHORT_HASH = 8  # hex digits of a commit or checksum shown in a footer (run.json has them whole)
# The packages whose versions can change what a page shows.
MAIN_PACKAGES = ("pandas", "numpy", "matplotlib", "nbconvert", "nbformat", "papermill", "ipykernel", "frictionless")


@dataclass(frozen=True)
class Page:
    """One notebook as a page of the site."""

    stem: str
    title: str
    summary: str

    @property
    def file(self) -> str:
        return f"{self.stem}.html"


def _plain(markdown: str) -> str:
    """Inline Markdown as plain text: code ticks, emphasis and link targets dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*_]", "", text).strip()


def page_of(path: Path) -> Page:
    """A notebook's page: its title is its first heading; its summary the notebook's metadata "summary", else the first sentence under the title."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    first = next((c.source for c in notebook.cells if c.cell_type == "markdown"), "")
    lines = first.strip().splitlines()
    title = _plain(lines[0].lstrip("#")) if lines and lines[0].startswith("#") else path.stem
    paragraph = " ".join(" ".join(lines[1:]).split())
    first_sentence = re.split(r"(?<=[.:;])\s", _plain(paragraph), maxsplit=1)[0].rstrip(":;") if paragraph else ""
    return Page(path.stem, title, notebook.metadata.get("summary", first_sentence))


def pages(paths: list[Path]) -> list[Page]:
    return [page_of(path) for path in paths]


def shown_path(value: str) -> str:
    """A path as a page may show it: relative to the project folder, or only its last name when outside it."""
    if not value:
        return value
    path = Path(value).expanduser()
    if not path.is_absolute():
        return value
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return f"…/{path.name} (a folder outside the project)"


def shown_parameters(path: Path, given: dict) -> list[dict]:
    """The notebook's parameters for this run: name, value as given (paths shown safely), what it does, whether it was given."""
    rows = []
    for name, parameter in notebook_parameters(path).items():
        if name in RUNNER_PARAMETERS:
            continue
        value = given.get(name, parameter.default)
        text = shown_path(value) if name.endswith("_dir") else value
        rows.append({"name": name, "value": "" if text == "" else str(text), "help": parameter.help, "given": name in given})
    return rows


# ---------------------------------------------------------------------------
# The run record


def _git(*arguments: str) -> str | None:
    try:
        done = subprocess.run(["git", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=20, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def data_files(folder: Path) -> list[Path]:
    """The data package's files: its datapackage.json (when the folder has one) and its tables."""
    tables = [folder / resource["path"] for resource in load_schema().values()]
    return [p for p in [folder / "datapackage.json", *tables] if p.is_file()]


def data_checksum(folder: Path) -> dict:
    """SHA-256 of each file of the data package, and of all of them together (names and contents, in order)."""
    whole = hashlib.sha256()
    files = {}
    for path in data_files(folder):
        content = path.read_bytes()
        files[path.name] = hashlib.sha256(content).hexdigest()
        whole.update(path.name.encode() + b"\0" + content + b"\0")
    return {"sha256": whole.hexdigest(), "files": files}


def run_record(paths: list[Path], per_notebook: dict[Path, dict], built: datetime | None = None) -> dict:
    """What a run was made from: when, which commit (and whether the tree had changes), which data, which parameters, which versions."""
    built = built or datetime.now(UTC)
    folder = data_folder_of(per_notebook)
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    versions = {}
    for name in MAIN_PACKAGES:
        try:
            versions[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "built": built.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "dirty": None if status is None else bool(status),
        "data": {"folder": shown_path(str(folder)), **data_checksum(folder)},
        "parameters": {path.stem: {p["name"]: p["value"] for p in shown_parameters(path, per_notebook[path])} for path in paths},
        "python": platform.python_version(),
        "packages": versions,
    }


# ---------------------------------------------------------------------------
# Chrome and pages


def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "site"), autoescape=True, keep_trailing_newline=True)


def data_folder_of(per_notebook: dict[Path, dict]) -> Path:
    """The data folder the run read (the notebooks all get the same data_dir)."""
    from .study import data_folder

    data_dirs = {values.get("data_dir", "") for values in per_notebook.values()}
    return data_folder(next(iter(data_dirs - {""}), "")) or BUNDLED_DATA_DIR


def site_title(folder: Path) -> str:
    """The data package's title (of the data the run read, else the bundled one)."""
    package = folder / "datapackage.json"
    if not package.is_file():
        package = BUNDLED_DATA_DIR / "datapackage.json"
    return json.loads(package.read_text(encoding="utf-8")).get("title", "Report")


def _built_words(record: dict) -> dict:
    from .labels import format_date

    built = datetime.strptime(record["built"], "%Y-%m-%dT%H:%M:%SZ")
    return {
        "date": format_date(built),
        "time": built.strftime("%H:%M UTC"),
        "commit": (record["commit"] or "unknown")[:SHORT_HASH],
        "dirty": record["dirty"],
        "data_folder": record["data"]["folder"],
        "data_sha": record["data"]["sha256"][:SHORT_HASH],
        "python": record["python"],
        "packages": ", ".join(f"{name} {version}" for name, version in record["packages"].items() if version),
    }


def chrome(pages: list[Page], index: int | None, record: dict, title: str) -> dict:
    """Header and footer of a page (index None: the entry page), as HTML."""
    environment = _environment()
    previous = pages[index - 1] if index is not None and index > 0 else None
    following = pages[index + 1] if index is not None and index + 1 < len(pages) else (pages[0] if index is None and pages else None)
    values = {
        "site_title": title,
        "index_file": INDEX_NAME,
        "record_file": RECORD_NAME,
        "is_index": index is None,
        "previous": previous,
        "next": following,
        "position": None if index is None else index + 1,
        "count": len(pages),
        "built": _built_words(record),
    }
    return {
        "header": environment.get_template("header.html.j2").render(values),
        "footer": environment.get_template("footer.html.j2").render(values),
        "css": (TEMPLATES / "site" / "site.css").read_text(encoding="utf-8"),
    }


def render_page(notebook_path: Path, html_path: Path, page: Page, pages: list[Page], record: dict, given: dict, title: str) -> int:
    """The executed notebook as one page of the site (title: the site's); returns how many warnings it printed, which
    the page leaves out."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata["title"] = f"{page.title} · {title}"  # the page's <title>, in memory only
    parameters_box = _environment().get_template("parameters.html.j2").render(parameters=shown_parameters(notebook_path, given))
    resources = {"site": {**chrome(pages, pages.index(page), record, title), "parameters": parameters_box}}
    # nbconvert's sanitize_html escapes the notebook's own headings and tables, so it
    # stays off: text from the data is escaped where it enters an output instead
    # (helpers.text.escape_markdown, pandas' escaping), and the tests check the HTML.
    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES / "site")],  # the chart macro, shared with the entry page
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    write_atomically(html_path, body)
    return warnings_in(notebook)


def warnings_in(notebook) -> int:
    """How many outputs of an executed notebook went to stderr (warnings): the pages leave them out."""
    return sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )


def write_record(html_dir: Path, record: dict) -> Path:
    path = html_dir / RECORD_NAME
    write_atomically(path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return path


def write_index(html_dir: Path, pages: list[Page], record: dict, per_notebook: dict[Path, dict], title: str) -> Path:
    """The entry page: title, the headline from the data with its hedges, the key chart, the pages, what stands behind it."""
    from . import charts, show, text, views
    from .study import prepare

    # The study of the run: its data and side, and its source (the first notebook's that names one, else the default).
    values = {}
    for path, given in per_notebook.items():
        declared = notebook_parameters(path)
        for name in ("data_dir", "source_id", "side"):
            value = given.get(name, declared[name].default if name in declared else "")
            if value and not values.get(name):
                values[name] = value
    study = prepare(values.get("data_dir", ""), values.get("source_id", ""), values.get("side", ""))
    by_side = views.by_side(study)
    share = views.conflict_share(study)
    totals = views.conflict_totals(study)
    source_line = text.source_line(study.dataset.sources, study.figures)
    figure = charts.civilian_deaths_by_side(by_side, source_line)
    page = (
        _environment()
        .get_template("index.html.j2")
        .render(
            title=title,
            headline=text.markdown_to_plain(text.headline(by_side, share, totals, study.figures, study.dataset.sources, study.source_id)),
            evidence=text.markdown_to_plain(text.evidence(study.figures, study.dataset.sources, study.dataset.figures, study.source)),
            side=text.markdown_to_plain(text.side_chosen(study.side)) if study.side else "",
            chart={"wide": show.drawing(figure), "phone": show.phone_drawing(figure), "alt": show.description(figure)},
            pages=pages,
            **chrome(pages, None, record, title),
        )
    )
    path = html_dir / INDEX_NAME
    write_atomically(path, page)
    return path
