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
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from helpers.dataset import PROJECT_ROOT

MARKER = ".made-by-helpers-run"
# The files the runner wrote into a finished run (or into failed/), one relative path a line: whatever else is found there is a
# user's, and is kept (moved on with the report, or left where it is), never deleted.
MANIFEST = ".files-made-by-helpers-run"
LOCK = ".run.lock"
# What the project holds besides build/: none of it may be, hold or be held by a build folder.
SOURCE_FOLDERS = ("notebooks", "helpers", "data", "tests", "docs", "benchmarks", "tools", "binder", "report", ".git", ".venv")
# What a run leaves in its build folder (report.publish): an earlier run's folder without a marker
# (made before markers existed) is adopted when it holds nothing else.
RUNNER_NAMES = {"runs", "current", "current.txt", "notebooks", "html", "charts", "failed", "kept", MARKER, LOCK}
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


def _files(folder: Path) -> list[str]:
    """Every file under folder, as a relative path with / (the runner's own bookkeeping left out)."""
    found = (p for p in folder.rglob("*") if (p.is_file() or p.is_symlink()) and p.name not in (MARKER, MANIFEST))
    return sorted(p.relative_to(folder).as_posix() for p in found)


def record_made(folder: Path, files: list[str] | None = None) -> None:
    """Write folder's manifest: the files the runner made there (default: every file in it now)."""
    listed = _files(folder) if files is None else files
    (folder / MANIFEST).write_text("".join(f"{name}\n" for name in listed), encoding="utf-8")


def made_files(folder: Path) -> set[str] | None:
    """The files the runner made in folder, from its manifest; None for a folder without one (made before manifests)."""
    manifest = folder / MANIFEST
    return set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else None


def others_files(folder: Path) -> list[str]:
    """The files in folder the runner did not make (none known for a folder without a manifest)."""
    made = made_files(folder)
    return [] if made is None else [name for name in _files(folder) if name not in made]


def remove_made(folder: Path) -> list[Path]:
    """Remove what the runner made in folder; a file it did not make stays, with the folders holding it: returned, to be named."""
    kept = [folder / name for name in others_files(folder)]
    if not kept:
        shutil.rmtree(folder, ignore_errors=True)
        return []
    for name in made_files(folder) or ():
        (folder / name).unlink(missing_ok=True)
    for inner in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), key=lambda p: len(p.parts), reverse=True):
        if not any(inner.iterdir()):
            inner.rmdir()
    # What is left is the user's: no longer a folder of the runner's, never looked into again.
    for bookkeeping in (MANIFEST, MARKER):
        (folder / bookkeeping).unlink(missing_ok=True)
    return kept


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
