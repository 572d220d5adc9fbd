"""The runner deletes only what it made, runs one at a time per build folder, refuses in the runner
what a kernel would refuse, ends a hung or dead kernel with a message, and never prints a traceback.

The destructive cases (a build folder that is the project, or holds its notebooks) run in a temporary clone
of the project, through the runner's command line.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import notebook_with, write_dataset
from helpers.dataset import PROJECT_ROOT
from helpers.printable import printable as shown
from report import buildfolder, parameters, run

FIRST = parameters.notebook_paths("01")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> list[Path]:
    """A notebook that only starts a kernel: enough for what the build folder does with a run, in a second or two."""
    return [notebook_with(tmp_path_factory.mktemp("tiny"), "01-tiny.ipynb", "x = 1")]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A temporary copy of the project's sources (not its venv or build)."""
    target = tmp_path_factory.mktemp("clone") / "project"
    shutil.copytree(
        PROJECT_ROOT, target, ignore=shutil.ignore_patterns(".venv", "build", ".git", "__pycache__", ".pytest_cache", ".hypothesis")
    )
    return target


def run_in_clone(clone: Path, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "report", *arguments],
        cwd=cwd or clone,
        env={**os.environ, "PYTHONPATH": str(clone)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "build_dir, message",
    [
        (".", "is or contains the project's folder"),
        ("..", "is or contains the project's folder"),
        ("notebooks", "is or contains the project's notebooks/"),
        ("data/report", "is inside the project's data/ folder"),
        ("helpers", "is or contains the project's helpers/"),
    ],
)
def test_a_build_folder_that_is_holds_or_is_inside_the_sources_is_refused(clone, build_dir, message):
    before = tree(clone)
    result = run_in_clone(clone, "--notebooks", "01", "--build-dir", build_dir)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Nothing was run or removed" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(clone) == before
    assert not (clone / "notebooks").is_symlink()


@pytest.mark.parametrize(
    "content, message",
    [("", "06-broken.ipynb is not a readable notebook"), ("{}", "06-broken.ipynb is not a readable notebook"),
     ('{"cells": [<<<<<<< HEAD', "06-broken.ipynb is not a readable notebook")],
    ids=["empty", "not a notebook", "merge conflict"],
)  # fmt: skip
def test_a_broken_notebook_in_notebooks_is_named_by_the_runner(clone, content, message, tmp_path):
    """As a user meets it: a broken file among the notebooks, for --list-parameters and for a run; no traceback, nothing written."""
    broken = clone / "notebooks" / "06-broken.ipynb"
    broken.write_text(content, encoding="utf-8")
    try:
        for arguments in (["--list-parameters"], ["--build-dir", str(tmp_path / "build")]):
            done = run_in_clone(clone, *arguments)
            assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not (tmp_path / "build").exists()
    finally:
        broken.unlink()


def test_a_folder_holding_files_the_runner_did_not_make_is_refused(tmp_path, capsys):
    build = tmp_path / "mine"
    (build / "html").mkdir(parents=True)
    (build / "html" / "index.html").write_text("my page")
    (build / "runs").mkdir()
    (build / "runs" / "notes.txt").write_text("my notes")
    before = tree(build)
    assert run.main(["--notebooks", "01", "--build-dir", str(build)]) == 2
    err = capsys.readouterr().err
    assert "holds files the runner did not make" in err and "Traceback" not in err
    assert tree(build) == before


def test_a_build_folder_that_is_a_file_and_a_real_current_folder_are_refused(tmp_path, capsys):
    file = tmp_path / "build"
    file.write_text("not a folder")
    assert run.main(["--notebooks", "01", "--build-dir", str(file)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    build = tmp_path / "made"
    buildfolder.claim(build)
    (build / "current").mkdir()
    (build / "current" / "kept.txt").write_text("mine")
    assert run.main(["--notebooks", "01", "--build-dir", str(build)]) == 2
    err = capsys.readouterr().err
    assert "current is a real folder" in err and "Traceback" not in err
    assert (build / "current" / "kept.txt").read_text() == "mine"


def test_a_run_removes_only_the_runs_it_made(tmp_path, tiny):
    build = tmp_path / "build"
    first = run.run_report(tiny, {tiny[0]: {}}, build)
    assert (build / buildfolder.MARKER).is_file() and (first / buildfolder.MARKER).is_file()
    (build / "runs" / "my-notes.txt").write_text("mine")
    (build / "runs" / ("a" * 32)).mkdir()  # a run's name, but not the runner's: no marker, a file of mine
    (build / "runs" / ("a" * 32) / "keep.txt").write_text("mine")
    second = run.run_report(tiny, {tiny[0]: {}}, build)
    assert not first.exists() and second.exists()
    assert (build / "runs" / "my-notes.txt").read_text() == "mine"
    assert (build / "runs" / ("a" * 32) / "keep.txt").read_text() == "mine"


def test_files_a_user_adds_to_the_report_are_kept_and_named(tmp_path, tiny, capsys):
    """A file added to the published report (a robots.txt before publishing) moves on with each new report; one left in an
    earlier run's folder stays there; each is named in a warning. The runner's own files are replaced as before."""
    build = tmp_path / "build"
    first = run.run_report(tiny, {tiny[0]: {}}, build)
    (build / "html" / "robots.txt").write_text("User-agent: *")
    (build / "charts" / "mine").mkdir()
    (build / "charts" / "mine" / "note.md").write_text("mine")
    (first / "notes.txt").write_text("mine, beside the run's folders")
    capsys.readouterr()
    second = run.run_report(tiny, {tiny[0]: {}}, build)
    err = capsys.readouterr().err
    assert (build / "html" / "robots.txt").read_text() == "User-agent: *"
    assert (build / "charts" / "mine" / "note.md").read_text() == "mine"
    assert "warning: kept" in err and "robots.txt" in err and "note.md" in err and "notes.txt" in err
    assert (first / "notes.txt").read_text() == "mine, beside the run's folders"
    assert sorted(p.name for p in first.rglob("*")) == ["notes.txt"], "the runner's own files of the earlier run are removed"
    third = run.run_report(tiny, {tiny[0]: {}}, build)
    assert not second.exists() and (third / "html" / "robots.txt").read_text() == "User-agent: *"
    assert (build / "html" / "01-tiny.html").is_file()


def test_a_file_in_failed_is_kept_by_the_next_failed_run(tmp_path, capsys):
    fails = [notebook_with(tmp_path, "01-fails.ipynb", "raise ValueError('broken on purpose')")]
    build = tmp_path / "build"
    with pytest.raises(run.NotebookFailed):
        run.run_report(fails, {fails[0]: {}}, build)
    (build / "failed" / "my-notes.txt").write_text("mine")
    capsys.readouterr()
    with pytest.raises(run.NotebookFailed):
        run.run_report(fails, {fails[0]: {}}, build)
    assert (build / "failed" / "my-notes.txt").read_text() == "mine"
    assert (build / "failed" / "01-fails.ipynb").is_file()
    assert "warning: kept" in capsys.readouterr().err


def test_a_build_folder_from_before_markers_is_adopted(tmp_path, tiny):
    build = tmp_path / "build"
    run.run_report(tiny, {tiny[0]: {}}, build)
    (build / buildfolder.MARKER).unlink()
    for made in (build / "runs").iterdir():
        (made / buildfolder.MARKER).unlink()
    buildfolder.check(build)  # only what a run leaves: accepted


# ---------------------------------------------------------------------------
# One run at a time


def test_a_second_run_waits_for_the_first_with_a_message(tmp_path, capsys):
    from filelock import FileLock

    build = tmp_path / "build"
    buildfolder.claim(build)
    holder = FileLock(str(build / buildfolder.LOCK))
    holder.acquire()
    result = {}
    second = threading.Thread(target=lambda: result.setdefault("code", run.main(["--notebooks", "01", "--build-dir", str(build)])))
    second.start()
    deadline = time.monotonic() + 60
    while not _waiting(capsys, result):
        assert time.monotonic() < deadline, "no message that the run waits"
        time.sleep(0.2)
    assert not (build / "runs").exists() or not any((build / "runs").iterdir()), "the second run started while the lock was held"
    holder.release()
    second.join(timeout=300)
    assert result["code"] == 0
    assert sorted(p.name for p in (build / "html").glob("*.html")) == ["01-article-figures.html", "how-to-read.html", "index.html"]


def _waiting(capsys, result) -> bool:
    result["err"] = result.get("err", "") + capsys.readouterr().err
    return "Another run is writing the report" in result["err"]


@pytest.mark.long
def test_two_runs_at_once_both_end_well_and_the_report_is_complete(tmp_path):
    build = tmp_path / "build"
    command = [sys.executable, "-m", "report", "--notebooks", "01,04", "--build-dir", str(build)]
    runs = [subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [r.communicate(timeout=600) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outcomes
    assert not any("Traceback" in err for _, err in outcomes)
    assert sorted(p.name for p in (build / "html").glob("*.html")) == [
        "01-article-figures.html",
        "04-data-gaps.html",
        "how-to-read.html",
        "index.html",
    ]
    assert len(list((build / "runs").iterdir())) == 1


# ---------------------------------------------------------------------------
# Refused in the runner, before any kernel


@pytest.fixture
def no_kernel(monkeypatch):
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def test_own_data_without_the_default_source_is_refused_before_any_kernel(tmp_path, capsys, no_kernel):
    data_dir = write_dataset(tmp_path / "own")
    assert run.main(["-p", "data_dir", str(data_dir), "--build-dir", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert "source_id 'moscow-times-2021-01-14' is not in sources.csv" in err and "example-gazette-2024-05-01" in err
    assert not (tmp_path / "build").exists()


def test_a_relative_data_dir_is_read_from_the_project_folder_wherever_the_runner_starts(tmp_path, monkeypatch):
    from helpers.study import data_folder

    monkeypatch.chdir(tmp_path)
    assert data_folder("data") == PROJECT_ROOT / "data"
    parameters.check_values({FIRST[0]: {"data_dir": "data"}})  # accepted: the bundled data, from anywhere
    with pytest.raises(parameters.ParameterError, match="data folder does not exist"):
        parameters.check_values({FIRST[0]: {"data_dir": "no-such-data"}})


def test_a_bad_timeout_is_refused(tmp_path, capsys, no_kernel):
    assert run.main(["--timeout", "0", "--notebooks", "01", "--build-dir", str(tmp_path / "b")]) == 2
    assert "--timeout must be at least 1 second" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# Hung and dead kernels, file-system failures: messages, the previous report intact


@pytest.fixture(scope="module")
def earlier(tmp_path_factory, tiny) -> Path:
    build = tmp_path_factory.mktemp("earlier") / "build"
    run.run_report(tiny, {tiny[0]: {}}, build)
    return build


@pytest.mark.parametrize(
    "code, message",
    [
        ("import time\ntime.sleep(120)", "08-hangs.ipynb stopped: a cell ran longer than the time limit of 3 s"),
        ("import os\nos._exit(1)", "08-hangs.ipynb stopped: its kernel died"),
    ],
    ids=["hung", "dead"],
)
def test_a_hung_or_dead_kernel_ends_the_run_with_a_message_naming_the_notebook(code, message, tmp_path, earlier):
    before = tree(earlier / "current")
    notebook = notebook_with(tmp_path, "08-hangs.ipynb", code)
    with pytest.raises(run.NotebookFailed) as error:
        run.run_report([notebook], {notebook: {}}, earlier, timeout=3)
    assert message in str(error.value)
    assert tree(earlier / "current") == before


def test_disk_full_is_a_message_and_the_report_stays(tmp_path, earlier, capsys, monkeypatch):
    before = tree(earlier / "current")

    def full(run_folder):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(run_folder))

    monkeypatch.setattr(buildfolder, "mark_run", full)
    assert run.main(["--notebooks", "01", "--build-dir", str(earlier)]) == 1
    err = capsys.readouterr().err
    assert "could not write the report" in err and "No space left on device" in err and "Traceback" not in err
    assert tree(earlier / "current") == before


def test_undecodable_bytes_in_a_path_are_shown_escaped(tmp_path, capsys):
    build = os.fsdecode(bytes(tmp_path) + b"/bad\xffname")
    Path(build).write_text("a file")  # refused: a file, and the message must print
    assert run.main(["--notebooks", "01", "--build-dir", build]) == 2
    err = capsys.readouterr().err
    assert "bad\\udcffname" in err and "is a file" in err


def test_shown_makes_hidden_characters_visible_and_cuts_long_text():
    assert shown("a\x1b[31mb") == "a\\x1b[31mb"
    assert shown("id\u200b") == "id\\u200b" and shown("\u202eevil") == "\\u202eevil"
    assert shown("Ganja, Gəncə") == "Ganja, Gəncə"
    long = shown("x" * 10_000_000)
    assert len(long) < 300 and "10,000,000 characters" in long
