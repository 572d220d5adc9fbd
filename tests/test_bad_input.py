"""Bad input, the way users give it: through the runner (`make report` / python -m report) and, where it
applies, through plain papermill. Each must stop with a message naming what is wrong and where (file, row,
column, parameter) and leave an earlier build/ exactly as it was.

Plain papermill only applies where the notebook itself can see the problem: bad data, an unknown source or
side, a value of the wrong type. An unknown or non-identifier parameter name is papermill's own business (it
only warns, and writes names into code unescaped), which is why the runner exists; those are tested through
the runner only, and the runner must reject them before any kernel starts.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import OTHER_FIGURES, OTHER_SOURCE, OTHER_SOURCES, OTHER_STRIKES, notebook_with, write_dataset
from helpers.dataset import BUNDLED_DATA_DIR, PROJECT_ROOT
from report import parameters, run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a report, following its links, with its bytes; links recorded with their targets."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            files[str(path.relative_to(folder)) + " ->"] = os.readlink(path).encode()
        if path.is_file():
            files[str(path.relative_to(folder))] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory) -> Path:
    """A build/ holding an earlier report (of a notebook that only starts a kernel: the report's contents do not matter here)."""
    notebook = notebook_with(tmp_path_factory.mktemp("tiny"), "01-tiny.ipynb")
    build = tmp_path_factory.mktemp("earlier") / "build"
    run.run_report([notebook], {notebook: {}}, build)
    return build


# ---------------------------------------------------------------------------
# Broken data folders, made from a copy of the bundled data


def edit_csv(folder: Path, table: str, change) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame).to_csv(path, index=False, lineterminator="\n")


def set_value(table: str, key: str, column: str, value: str, id_column: str = "figure_id"):
    def change(frame):
        frame.loc[frame[id_column] == key, column] = value
        return frame

    return lambda folder: edit_csv(folder, table, change)


def cp1252(folder: Path) -> None:
    path = folder / "strikes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Khojavend", "Khojav\u00e9nd").encode("cp1252", errors="replace"))


# name: (how to break a copy of the data, pieces the message must contain)
BROKEN_DATA = {
    "data_dir does not exist": (None, ["does-not-exist", "data folder does not exist"]),
    "data_dir is empty": (
        lambda f: [p.unlink() for p in f.iterdir()],
        ["sources.csv: table file not found", "figures.csv: table file not found"],
    ),
    "data_dir lacks one table": (lambda f: (f / "strikes.csv").unlink(), ["strikes.csv: table file not found"]),
    "missing column": (
        lambda f: edit_csv(f, "figures", lambda d: d.drop(columns="qualifier")),
        ["figures.csv, row 1, column 'qualifier'", "required column is missing"],
    ),
    "extra unknown column": (
        lambda f: edit_csv(f, "strikes", lambda d: d.assign(casualties="3")),
        ["strikes.csv, row 1, column 'casualties'", "unknown column"],
    ),
    "empty file": (lambda f: (f / "sources.csv").write_text(""), ["sources.csv: file is empty"]),
    "non-UTF-8 file": (cp1252, ["strikes.csv, row 2, column 'place_other_name'", "is not UTF-8"]),
    "number written as text": (
        set_value("figures", "mt-deaths-armenian", "value", "seventy-two"),
        ["figures.csv, row 4, column 'value'", "'seventy-two' is not a number"],
    ),
    "negative count": (set_value("figures", "mt-deaths-azerbaijani", "value", "-11"), ["figures.csv, row 6, column 'value'", "negative"]),
    "duplicated id": (
        set_value("figures", "mt-deaths-azerbaijani", "figure_id", "mt-deaths-armenian"),
        ["figures.csv, row 6, column 'figure_id'", "duplicate"],
    ),
    "dangling foreign key": (
        set_value("figures", "mt-ganja-deaths", "strike_id", "ganja-2020-10-18"),
        ["figures.csv, row 12, column 'strike_id'", "'ganja-2020-10-18' is not a strike_id in strikes.csv"],
    ),
    "quote that does not state its value": (
        set_value("figures", "mt-ganja-deaths", "value", "12"),
        ["figures.csv, row 12, column 'quote'", "does not state the value 12"],
    ),
    "date that is not a date": (
        set_value("strikes", "ganja-2020-10-17", "date", "17/10/2020", "strike_id"),
        ["strikes.csv, row 3, column 'date'", "'17/10/2020' is not a date"],
    ),
    # Issue 12: what validation let through to a kernel, or a traceback.
    "infinite value": (
        set_value("figures", "mt-deaths-armenian", "value", "inf"),
        ["figures.csv, row 4, column 'value'", "not a finite number"],
    ),
    "absurd value": (
        set_value("figures", "mt-deaths-armenian", "value", "1e308"),
        ["figures.csv, row 4, column 'value'", "larger than any count"],
    ),
    "strike date outside pandas' range": (
        set_value("strikes", "ganja-2020-10-17", "date", "0202-10-17", "strike_id"),
        ["strikes.csv, row 3, column 'date'", "0202-10-17 is not between 1900 and 2100"],
    ),
    "impossible published date": (
        set_value("sources", "moscow-times-2021-01-14", "published", "2021-13-45", "source_id"),
        ["sources.csv, row 2, column 'published'", "'2021-13-45' is not a date that exists"],
    ),
    "header-only table": (
        lambda f: (f / "strikes.csv").write_text((f / "strikes.csv").read_text().split("\n")[0] + "\n"),
        ["strikes.csv, row 2: has a header but no rows"],
    ),
    "trailing comma on every row": (
        lambda f: (f / "figures.csv").write_text(
            "\n".join(line + "," if line and i else line for i, line in enumerate((f / "figures.csv").read_text().split("\n")))
        ),
        ["figures.csv, row 2", "more cells than the 16 columns"],
    ),
    "unterminated quote on the last row": (
        lambda f: (f / "strikes.csv").write_text((f / "strikes.csv").read_text().rstrip("\n") + ',"oops\n'),
        ["strikes.csv, row 21:", "never closed"],
    ),
    "blank line inside a table": (
        lambda f: (
            set_value("figures", "mt-deaths-armenian", "value", "seventy-two")(f),
            (f / "figures.csv").write_text((f / "figures.csv").read_text().replace("\n", "\n\n", 1)),
        ),
        ["figures.csv, row 5, column 'value'", "'seventy-two' is not a number"],
    ),
    "ANSI escape in a cell": (
        set_value("figures", "mt-deaths-armenian", "measure", "\x1b[31mred\x1b[0m"),
        ["figures.csv, row 4, column 'measure'", "'\\x1b[31mred\\x1b[0m' is not one of"],
    ),
    "10 MB cell": (
        set_value("figures", "mt-deaths-armenian", "value", "9" * 10_000_000 + "x"),
        ["figures.csv, row 4, column 'value'", "characters in all)"],
    ),
    "zero-width character in an id": (
        set_value("figures", "mt-ganja-deaths", "strike_id", "ganja-2020-10-17\u200b"),
        ["figures.csv, row 12, column 'strike_id'", "'ganja-2020-10-17\\u200b' is not a strike_id"],
    ),
}


def broken_copy(root: Path, name: str) -> Path:
    breaker, _ = BROKEN_DATA[name]
    folder = root / name.replace(" ", "-")
    if breaker is None:
        return root / "does-not-exist"
    shutil.copytree(BUNDLED_DATA_DIR, folder)
    breaker(folder)
    return folder


def check_unchanged(build: Path, before: dict) -> None:
    assert snapshot(build) == before, "the earlier build/ was changed"


@pytest.mark.parametrize("name", BROKEN_DATA)
def test_broken_data_through_the_runner(name, tmp_path, earlier_build, capsys):
    before = snapshot(earlier_build)
    folder = broken_copy(tmp_path, name)
    code = run.main(["-p", "data_dir", str(folder), "--build-dir", str(earlier_build)])
    err = capsys.readouterr().err
    assert code == 2
    for piece in BROKEN_DATA[name][1]:
        assert piece in err, (piece, err)
    assert "Nothing was run" in err
    # Safe to print: no raw control characters, short, no traceback.
    assert "\x1b" not in err and "\u200b" not in err and len(err) < 20_000 and "Traceback" not in err
    check_unchanged(earlier_build, before)


OTHER_BAD_INPUT = {
    "unknown source_id": ({"source_id": "no-such-source"}, ["source_id 'no-such-source' is not in sources.csv", "moscow-times-2021-01-14"]),
    "unknown side": ({"side": "russian_forces"}, ["side 'russian_forces' is not one of"]),
    "value of the wrong type": ({"source_id": 7}, ["parameter source_id must be str, not int 7"]),
}
# A few through plain papermill in make test (a kernel each); every kind in the long run.
SHORT = ["missing column", "non-UTF-8 file", *OTHER_BAD_INPUT]


def through_papermill(name: str, root: Path) -> str | None:
    """The error notebook 02 (which has every parameter but 05's) stops with on this bad input; None if it ran through."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = parameters.notebook_paths("02")[0]
    given = OTHER_BAD_INPUT[name][0] if name in OTHER_BAD_INPUT else {"data_dir": str(broken_copy(root, name))}
    try:
        papermill.execute_notebook(
            str(notebook), str(root / "out.ipynb"), parameters=given, kernel_name="python3", progress_bar=False, cwd=str(notebook.parent)
        )
    except PapermillExecutionError as error:
        return f"{error.ename}: {error.evalue}"
    return None


@pytest.mark.parametrize("name", [*SHORT, *[pytest.param(name, marks=pytest.mark.long) for name in BROKEN_DATA if name not in SHORT]])
def test_bad_input_through_plain_papermill(name, tmp_path):
    message = through_papermill(name, tmp_path)
    assert message is not None, "the notebook ran through"
    for piece in OTHER_BAD_INPUT[name][1] if name in OTHER_BAD_INPUT else BROKEN_DATA[name][1]:
        assert piece in message, (piece, message)
    assert "KeyError" not in message and "Traceback" not in message


@pytest.mark.parametrize(
    "arguments, pieces",
    [
        (["-p", "colour", "red"], ["unknown parameter 'colour'", "source_id: str = 'moscow-times-2021-01-14'"]),
        (["-p", "x; import os #", "1"], ["'x; import os #' is not a Python identifier", "data_dir: str"]),
        (["-p", "min_sources", "two"], ["parameter min_sources must be int, not 'two'"]),
        (["-p", "source_id", "no-such-source"], ["source_id 'no-such-source' is not in sources.csv"]),
        (["-p", "side", "russian_forces"], ["side 'russian_forces' is not one of"]),
        (["-p", "measures", "bodies"], ["unknown measure 'bodies'"]),
        (["--notebooks", "07"], ["no notebook matches 07"]),
    ],
)
def test_bad_parameters_through_the_runner_never_reach_a_kernel(arguments, pieces, earlier_build, capsys, monkeypatch):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    before = snapshot(earlier_build)
    code = run.main([*arguments, "--build-dir", str(earlier_build)])
    err = capsys.readouterr().err
    assert code == 2
    for piece in pieces:
        assert piece in err, (piece, err)
    check_unchanged(earlier_build, before)


def test_wrong_type_in_a_parameter_file(tmp_path, earlier_build, capsys):
    before = snapshot(earlier_build)
    file = tmp_path / "params.yaml"
    file.write_text("source_id: 7\n")
    assert run.main(["-f", str(file), "--build-dir", str(earlier_build)]) == 2
    assert "parameter source_id must be str, not int 7" in capsys.readouterr().err
    check_unchanged(earlier_build, before)


@pytest.mark.parametrize(
    "content, message",
    [
        ("a: &x [1, 2]\nb: *x\n", "aliases (*name) are not accepted"),
        ("source_id: a\nsource_id: b\n", "'source_id' is given twice"),
        ("- source_id\n", "must be a mapping"),
        ("x:\n  y:\n    z:\n      w: 1\n", "nested deeper than a parameter file needs"),
    ],
    ids=["alias", "duplicate key", "not a mapping", "deep nesting"],
)
def test_a_hostile_parameter_file_through_the_runner(content, message, tmp_path, earlier_build, capsys):
    before = snapshot(earlier_build)
    file = tmp_path / "params.yaml"
    file.write_text(content)
    assert run.main(["-f", str(file), "--build-dir", str(earlier_build)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    check_unchanged(earlier_build, before)


@pytest.mark.parametrize(
    "package, message",
    [
        ([], "must be a JSON object (a data package), not list"),
        ({"conflict": "2020"}, "must be an object"),
        ({"title": None}, "must be a text"),
    ],
    ids=["a list", "conflict a text", "title null"],
)
def test_a_broken_datapackage_json_through_the_runner(package, message, tmp_path, earlier_build, capsys):
    before = snapshot(earlier_build)
    data_dir = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data_dir)
    (data_dir / "datapackage.json").write_text(json.dumps(package))
    assert run.main(["-p", "data_dir", str(data_dir), "--build-dir", str(earlier_build)]) == 2
    err = capsys.readouterr().err
    assert "datapackage.json" in err and message in err and "Traceback" not in err
    check_unchanged(earlier_build, before)


def test_a_data_dir_too_long_for_the_file_system_is_a_bad_parameter(tmp_path, earlier_build, capsys):
    before = snapshot(earlier_build)
    assert run.main(["-p", "data_dir", str(tmp_path / ("x" * 300)), "--build-dir", str(earlier_build)]) == 2
    err = capsys.readouterr().err
    assert "data_dir" in err and "cannot be read: File name too long" in err and "could not write" not in err
    check_unchanged(earlier_build, before)


def test_make_report_rejects_a_bad_parameter_file(tmp_path):
    """The README's command itself, end to end (the venv exists: make test built it), with a file name holding a space: make
    quotes what it passes on."""
    file = tmp_path / "my params.yaml"
    file.write_text("colour: red\n")
    build_before = snapshot(PROJECT_ROOT / "build") if (PROJECT_ROOT / "build").exists() else {}
    result = subprocess.run(
        ["make", "--no-print-directory", "report", f"PARAMS={file}"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "unknown parameter 'colour'" in result.stderr
    assert (snapshot(PROJECT_ROOT / "build") if (PROJECT_ROOT / "build").exists() else {}) == build_before


# ---------------------------------------------------------------------------
# Text from the data holding markup


HOSTILE = "<script>alert(1)</script>"
LINK = "[click me](javascript:alert(2))"


# A right-to-left override: written raw, it made the rest of a headline read backwards (numbers too).
OVERRIDE = "\u202e"
LONG_PLACE = "Southville, the district of the old railway works beside the river crossing, with its three villages " * 2


def test_html_and_script_in_data_are_shown_as_text(tmp_path):
    """Through the runner, as a user runs it: markup and script in text fields, a bidi override in a publisher's name, a place
    name of 200 characters, and totals that contradict each other (a conflict toll of 200 below the sides' 40+ and 300)."""
    sources = [
        dict(
            OTHER_SOURCES[0],
            publisher=f"Gazette {HOSTILE}{OVERRIDE}",
            title=f"Title {LINK}",
            note=f"note <img src=x onerror=alert(3)> {LINK}",
        ),
        OTHER_SOURCES[1],
    ]
    strikes = [dict(OTHER_STRIKES[0], place=f"North{HOSTILE}town", note=LINK), dict(OTHER_STRIKES[1], place=LONG_PLACE)]
    strikes += OTHER_STRIKES[2:]
    figures = [dict(f) for f in OTHER_FIGURES]
    for f in figures:
        if f["figure_id"] == "eg-northtown-deaths":
            f["quote"] = f"120 killed {HOSTILE} {LINK}"
        if f["figure_id"] == "eg-deaths-conflict":
            f.update(value="200", qualifier="exact", quote="200 civilians died")
    data_dir = write_dataset(tmp_path / "hostile", sources=sources, strikes=strikes, figures=figures)
    # And a cell over the csv module's 128 KB, in a table with a blank line.
    notes = (data_dir / "strikes.csv").read_text(encoding="utf-8").replace('"Inferred for tests."', '"' + "x" * 140_000 + '"')
    (data_dir / "strikes.csv").write_text(notes.replace("\n", "\n\n", 1), encoding="utf-8")
    build = tmp_path / "build"
    code = run.main(["-p", "data_dir", str(data_dir), "-p", "source_id", OTHER_SOURCE, "--build-dir", str(build)])
    assert code == 0
    pages = sorted((build / "html").glob("*.html"))
    # One page per notebook (the entry page among them), whose headlines and charts carry the hostile publisher's name too.
    assert len(pages) == len(parameters.notebook_paths()) + 1  # and the guide, how to read these pages
    shown_escaped = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for script in soup.find_all("script"):
            assert "alert(" not in (script.string or ""), page.name
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                # An image's alt text is text, never followed: there the source line may name the hostile title as it is.
                if attribute != "alt":
                    assert "javascript:" not in text.lower(), (page.name, tag.name, attribute)
                assert not attribute.lower().startswith("on") or "alert(" not in text, (page.name, tag.name, attribute)
        assert not soup.find("img", src="x")
        shown_escaped |= "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert OVERRIDE not in html, f"{page.name}: a bidi override from the data is obeyed"
        visible = soup.get_text(" ")
        assert not re.search(r"at most -|(?<![\w-])-\d[\d,.]*%", visible), f"{page.name} prints a negative count or share"
    assert shown_escaped, "the hostile text should still be visible, as text"
    entry = (build / "html" / "index.html").read_text(encoding="utf-8")
    assert "contradict each other" in entry and "\\u202e" in entry


# ---------------------------------------------------------------------------
# Interrupted runs


def start_runner(build: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "report", "--notebooks", "02,03", "--build-dir", str(build)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_for_new_run(build: Path, previous: set[str], timeout: float = 60) -> None:
    """Until the runner has started writing a new run (a notebook is executing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = {p.name for p in (build / "runs").iterdir()} - previous
        if any(any((build / "runs" / name / "notebooks").glob("*.ipynb")) for name in runs):
            return
        time.sleep(0.1)
    raise AssertionError("the runner did not start a notebook in time")


def processes_of(session: int) -> list:
    """The processes left in a session (the runner's kernels, if it did not end them)."""
    import psutil

    left = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getsid(process.pid) == session and process.status() != psutil.STATUS_ZOMBIE:
                left.append(process)
    return left


@pytest.mark.parametrize(
    "how, group",
    [(signal.SIGTERM, True), (signal.SIGTERM, False), pytest.param(signal.SIGKILL, True, marks=pytest.mark.long)],
    ids=["terminated", "runner-alone-terminated", "killed"],
)
def test_an_interrupted_run_leaves_the_previous_report(how, group, tmp_path, earlier_build):
    """Stopped by a signal to it and its kernels (Ctrl-C, a killed terminal) or to the runner alone (kill PID, a CI timeout):
    the previous report stays, and a run that could clean up leaves no partial file and no kernel writing on."""
    build = tmp_path / "build"
    shutil.copytree(earlier_build, build, symlinks=True)
    before = snapshot(build / "current")
    runs_before = {p.name for p in (build / "runs").iterdir()}
    runner = start_runner(build)
    try:
        wait_for_new_run(build, runs_before)
        (os.killpg if group else os.kill)(runner.pid, how)
        runner.wait(timeout=60)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
    if how == signal.SIGTERM:
        assert not processes_of(runner.pid), "the runner's kernels outlived it"
        time.sleep(2)  # anything still running would write now
    assert snapshot(build / "current") == before
    for name in ("notebooks", "html", "charts"):
        assert os.readlink(build / name) == f"current/{name}"
        assert not [p for p in (build / name).iterdir() if p.name.endswith(".partial")]
    if how == signal.SIGTERM:
        assert runner.returncode == 130
        assert {p.name for p in (build / "runs").iterdir()} == runs_before, "a terminated run must remove its partial files"
        return
    # A killed run cannot clean up: the next run starts by removing what it left, and publishes a whole report.
    assert run.main(["--notebooks", "01", "--build-dir", str(build)]) == 0
    assert len(list((build / "runs").iterdir())) == 1


# Bad inputs covered: 13 kinds of broken data (through the runner and through plain papermill each),
# 7 bad parameters through the runner (unknown name, non-identifier name, wrong type, unknown source_id,
# unknown side, unknown measure, unknown notebook) plus unknown source_id, unknown side and a wrong type
# through plain papermill, a wrong type in a parameter file, a bad parameter through `make report`,
# markup and script in text fields, and a run stopped by SIGTERM and by SIGKILL:
# 27 distinct bad inputs (the three kinds of markup counted apart), in 41 test cases.
# Issue 12 added 11 kinds of broken data here (non-finite and absurd values, a year out of range, an
# impossible date, a header-only table, trailing commas, an unclosed quote, a blank line, ANSI escapes,
# a 10 MB cell, a zero-width character), each through the runner and plain papermill, and every message
# checked for no raw control characters, a bounded length and no traceback; tests/test_safety.py holds
# the build folder, lock, timeout, dead kernel and file-system cases.
