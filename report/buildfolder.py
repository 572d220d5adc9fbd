"""The build folder: which folder the runner may write into, what it may delete there, and one run at a time.

The runner only deletes what it made. It marks each folder it creates (the build
folder itself, each runs/RUN) with a marker file, and refuses, with a message and
before anything is written:
- a build folder that is a file, or is, is inside, or contains the project's source
  folders (`--build-dir .` from the project folder, `--build-dir notebooks`);
- a build folder that holds files it did not make (no marker and not the layout an
  earlier run left);
- a build/current that is a real folder rather than the runner's link.

A lock file in the build folder lets one run at a time write there; a second run
waits for the first, saying so, and then publishes its own complete report.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from pathlib import Path

from helpers.dataset import PROJECT_ROOT

MARKER = ".made-by-helpers-run"
LOCK = ".run.lock"
# What the project holds besides build/: none of it may be, hold or be held by a build folder.
SOURCE_FOLDERS = ("notebooks", "helpers", "data", "tests", "docs", "benchmarks", "tools", "binder", "report", ".git", ".venv")
# What a run leaves in its build folder (report.publish): an earlier run's folder without a marker
# (made before markers existed) is adopted when it holds nothing else.
RUNNER_NAMES = {"runs", "current", "current.txt", "notebooks", "html", "charts", "failed", MARKER, LOCK}
RUN_NAME = re.compile(r"[0-9a-f]{32}")


class BuildFolderError(RuntimeError):
    """A build folder the runner must not write into."""


def _source_paths() -> list[Path]:
    return [PROJECT_ROOT, *(PROJECT_ROOT / name for name in SOURCE_FOLDERS)]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check(build: Path) -> None:
    """Refuse a build folder the runner did not make or that holds the project's sources; raise BuildFolderError."""
    build = build.resolve()
    for source in _source_paths():
        source = source.resolve()
        if _within(source, build):
            raise BuildFolderError(
                f"build folder {build} is or contains the project's {'folder' if source == PROJECT_ROOT.resolve() else source.name + '/'}; "
                "a run would overwrite it. Choose a new folder, e.g. --build-dir build"
            )
        if source != PROJECT_ROOT.resolve() and _within(build, source):
            raise BuildFolderError(
                f"build folder {build} is inside the project's {source.name}/ folder; choose a folder outside it, e.g. --build-dir build"
            )
    if build.is_symlink() and not build.exists():
        raise BuildFolderError(f"build folder {build} is a link to nothing; remove it or choose another folder")
    if build.exists() and not build.is_dir():
        raise BuildFolderError(f"build folder {build} is a file, not a folder; choose another folder")
    if not build.exists():
        return
    if not (build / MARKER).is_file() and not _left_by_a_run(build):
        raise BuildFolderError(
            f"build folder {build} holds files the runner did not make; it only writes into a new or empty folder "
            "or one an earlier run made. Choose another folder, e.g. --build-dir build"
        )
    current = build / "current"
    if current.exists() and not current.is_symlink():
        raise BuildFolderError(
            f"{current} is a real {'folder' if current.is_dir() else 'file'}, not the runner's link to the current report; "
            "move it away (the runner never deletes what it did not make) and run again"
        )
    for name in ("notebooks", "html", "charts"):
        folder = build / name
        if folder.exists() and not folder.is_symlink() and not (build / "current.txt").is_file():
            raise BuildFolderError(
                f"{folder} is a real folder, not the runner's link into the current report, and no run copied it there; "
                "move it away (the runner never deletes what it did not make) and run again"
            )
    for name in ("runs", "failed"):
        if (build / name).exists() and not (build / name).is_dir():
            raise BuildFolderError(f"{build / name} is a file, not the runner's folder; move it away and run again")


def _left_by_a_run(build: Path) -> bool:
    """An empty folder, or one holding only what an earlier run (before markers) leaves."""
    for entry in build.iterdir():
        if entry.name.startswith("."):
            if entry.name.startswith((".symlink-probe.", ".notebooks.", ".html.", ".charts.", ".current.")):
                continue
            if entry.name in (MARKER, LOCK):
                continue
            return False
        if entry.name not in RUNNER_NAMES:
            return False
        if entry.name == "runs" and entry.is_dir() and not entry.is_symlink():
            if not all(RUN_NAME.fullmatch(run.name) for run in entry.iterdir()):
                return False
        if entry.name in ("notebooks", "html", "charts", "current") and not entry.is_symlink():
            return False
    return True


def claim(build: Path) -> None:
    """Create (or adopt, once check() passed) the build folder and mark it as the runner's."""
    build.mkdir(parents=True, exist_ok=True)
    marker = build / MARKER
    if not marker.exists():
        marker.write_text("This folder was made by python -m report (make report); the runner deletes only what it made.\n")


def mark_run(run: Path) -> None:
    run.mkdir(parents=True)
    (run / MARKER).write_text("A run of python -m report.\n")


def is_ours(run: Path) -> bool:
    """A run folder the runner made: a run name, and its marker (or, from before markers, only a run's folders)."""
    if run.is_symlink() or not run.is_dir() or not RUN_NAME.fullmatch(run.name):
        return False
    if (run / MARKER).is_file():
        return True
    return all(entry.name in ("notebooks", "html", "charts") for entry in run.iterdir())


@contextmanager
def locked(build: Path, say=None):
    """Hold the build folder's lock for the block; a second run waits for the first, saying so once."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(build / LOCK))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        (say or (lambda text: print(text, file=sys.stderr, flush=True)))(
            f"Another run is writing the report in {build}; waiting for it to finish (Ctrl-C to stop)."
        )
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
