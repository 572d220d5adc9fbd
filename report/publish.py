"""Publishing a finished run as the report in build/, with or without symbolic links.

Where symlinks can be made (Linux, macOS; Windows in Developer Mode), build/current
is a symlink to runs/RUN, swapped in one atomic rename, and build/notebooks, html and
charts are symlinks into build/current: a reader sees the old report or the new one,
never a mix.

Where they cannot (Windows by default, some network drives), the fallback:
- build/current.txt names the current run ("runs/RUN"); it is written under a
  temporary name and renamed into place, so it too switches atomically;
- build/notebooks, html and charts are real folders, copies of the run's. Each is
  copied in full beside its place first, then swapped in by two renames, so a reader
  finds a whole old folder or a whole new one (or, for that instant, none), never a
  half-copied one. The three switch one after another, not together: a run killed
  between the swaps leaves some folders of the new report and some of the old, which
  the next run replaces.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from . import buildfolder

FOLDERS = ("notebooks", "html", "charts")
POINTER = "current.txt"


def write_atomically(path: Path, content: bytes | str) -> None:
    """Write content under a temporary name beside path, then rename it into place: a reader never sees half of it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    partial.replace(path)


def point(link: Path, target: str) -> None:
    """Make link a symlink to target, swapped in one atomic rename."""
    temporary = link.with_name(f".{link.name}.{uuid.uuid4().hex}")
    temporary.symlink_to(target, target_is_directory=True)
    temporary.replace(link)


def symlinks_permitted(folder: Path) -> bool:
    """Whether symlinks can be made in folder and one replaced by another in a rename (tried with throwaway ones)."""
    first, second = (folder / f".symlink-probe.{uuid.uuid4().hex}" for _ in range(2))
    try:
        first.symlink_to("runs", target_is_directory=True)
        second.symlink_to("current", target_is_directory=True)
        second.replace(first)
        return True
    except OSError:
        # Not permitted (Windows outside Developer Mode), or a link that cannot replace another by rename.
        return False
    finally:
        for probe in (first, second):
            if probe.is_symlink():
                probe.unlink()


def link_folders(build: Path) -> None:
    """Create build/runs, and where symlinks are permitted, build/notebooks, html and charts as links into build/current."""
    (build / "runs").mkdir(parents=True, exist_ok=True)
    if not symlinks_permitted(build):
        return  # the folders are the copies publish() made, if any: keep them
    for name in FOLDERS:
        link = build / name
        if link.is_symlink() and os.readlink(link) == f"current/{name}":
            continue
        if link.exists() and not link.is_symlink():
            # A copy from a run where symlinks were not permitted.
            shutil.rmtree(link) if link.is_dir() else link.unlink()
        point(link, f"current/{name}")


def current_run(build: Path) -> Path | None:
    """The folder of the published run, from build/current or build/current.txt; None if there is none."""
    current = build / "current"
    if current.is_symlink():
        return current if current.exists() else None
    pointer = build / POINTER
    if pointer.is_file():
        run = build / pointer.read_text(encoding="utf-8").strip()
        return run if run.is_dir() else None
    return None


def carry_over(build: Path, run: Path) -> list[tuple[Path, Path]]:
    """Files a user added to the published report (build/html, notebooks, charts) moved into run, the report about to be published,
    so that they stay in the report; one whose name the new run uses goes to build/kept/ instead. (old place, new place) of each."""
    current = current_run(build)
    made = buildfolder.made_files(current) if current else None
    moved = []
    for name in FOLDERS if made is not None else ():
        place = build / name  # a link into the current run, or its copy
        for path in sorted(p for p in place.rglob("*") if p.is_file() and not p.is_symlink()) if place.is_dir() else ():
            relative = f"{name}/{path.relative_to(place).as_posix()}"
            if relative in made:
                continue
            target = run / relative if not (run / relative).exists() else build / "kept" / relative
            if target.exists():  # kept once before under this name: never overwritten
                target = target.with_name(f"{target.stem}.{uuid.uuid4().hex[:8]}{target.suffix}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(target))
            moved.append((place / path.relative_to(place), target))
    return moved


def publish(build: Path, run: Path) -> None:
    """Make run (a folder in build/runs) the report: build/current points at it, by symlink or by current.txt and copies."""
    if symlinks_permitted(build):
        point(build / "current", f"runs/{run.name}")
        (build / POINTER).unlink(missing_ok=True)
        return
    # The slow part, copying, comes first; then the pointer and the renames, each quick.
    staged = {name: build / f".{name}.{uuid.uuid4().hex}" for name in FOLDERS}
    for name, copy in staged.items():
        shutil.copytree(run / name, copy)
    write_atomically(build / POINTER, f"runs/{run.name}\n")
    if (build / "current").is_symlink():
        (build / "current").unlink()  # left by a run where symlinks worked; current.txt now rules
    for name, copy in staged.items():
        _swap(copy, build / name)


def _swap(new: Path, place: Path) -> None:
    """Put folder new at place; whatever was there is moved aside by rename and then removed."""
    old = place.with_name(f".{place.name}.old.{uuid.uuid4().hex}")
    if place.is_symlink() or place.exists():
        place.rename(old)
    new.rename(place)
    if old.is_symlink() or old.is_file():
        old.unlink()
    elif old.exists():
        shutil.rmtree(old)
