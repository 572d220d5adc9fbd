"""Publishing a report with symlinks, and without them where they are not permitted (Windows by default).

The fallback is tested here by making every symlink fail, as Windows does outside
Developer Mode.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from report import publish, run


def fake_run(build: Path, name: str, files: dict[str, str]) -> Path:
    """A finished run folder: files like {'html/01.html': 'text'}; every published folder exists."""
    folder = build / "runs" / name
    for sub in publish.FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refuse(*args, **kwargs):
    raise OSError(1314, "A required privilege is not held by the client")  # what Windows says


def forbid_symlinks(monkeypatch) -> None:
    monkeypatch.setattr(os, "symlink", refuse)
    monkeypatch.setattr(Path, "symlink_to", refuse)


@pytest.fixture
def no_symlinks(monkeypatch):
    forbid_symlinks(monkeypatch)


def test_with_symlinks_current_is_a_link_swapped_to_the_new_run(tmp_path):
    build = tmp_path / "build"
    publish.link_folders(build)
    first = fake_run(build, "first", {"html/a.html": "one"})
    publish.publish(build, first)
    second = fake_run(build, "second", {"html/a.html": "two"})
    publish.publish(build, second)

    assert os.readlink(build / "current") == "runs/second"
    assert (build / "html" / "a.html").read_text() == "two"
    assert all(os.readlink(build / name) == f"current/{name}" for name in publish.FOLDERS)
    assert publish.current_run(build).resolve() == second.resolve()
    assert not (build / publish.POINTER).exists()


def test_without_symlinks_a_pointer_file_and_copies_replace_the_links(tmp_path, no_symlinks):
    build = tmp_path / "build"
    assert not publish.symlinks_permitted(tmp_path)
    publish.link_folders(build)
    first = fake_run(build, "first", {"html/01.html": "old page", "html/gone.html": "only in the first run", "charts/c.svg": "<svg/>"})
    publish.publish(build, first)
    assert (build / publish.POINTER).read_text() == "runs/first\n"
    assert contents(build / "html") == {"01.html": b"old page", "gone.html": b"only in the first run"}

    second = fake_run(build, "second", {"html/01.html": "new page", "notebooks/01.ipynb": "{}"})
    publish.link_folders(build)  # a second run must keep the published copies until it publishes
    assert contents(build / "html") == {"01.html": b"old page", "gone.html": b"only in the first run"}
    publish.publish(build, second)

    assert (build / publish.POINTER).read_text() == "runs/second\n"
    assert publish.current_run(build) == second
    for name in publish.FOLDERS:
        assert not (build / name).is_symlink() and (build / name).is_dir()
        assert contents(build / name) == contents(second / name)
    assert not (build / "current").exists()
    # No staged copy or moved-aside folder is left behind.
    assert sorted(p.name for p in build.iterdir()) == ["charts", "current.txt", "html", "notebooks", "runs"]


def test_fallback_takes_over_a_build_made_with_symlinks(tmp_path, monkeypatch):
    build = tmp_path / "build"
    publish.link_folders(build)
    publish.publish(build, fake_run(build, "first", {"html/01.html": "from links"}))
    assert (build / "current").is_symlink()

    forbid_symlinks(monkeypatch)
    second = fake_run(build, "second", {"html/01.html": "from copies"})
    publish.link_folders(build)
    publish.publish(build, second)

    assert not (build / "current").is_symlink()
    assert publish.current_run(build) == second
    assert not (build / "html").is_symlink() and (build / "html" / "01.html").read_text() == "from copies"


def test_runner_publishes_a_real_report_without_symlinks(tmp_path, no_symlinks):
    """The runner end to end on one notebook, twice, where no symlink can be made."""
    build = tmp_path / "build"
    paths = run.notebook_paths("01")
    parameters = {path: {} for path in paths}
    first = run.run_report(paths, parameters, build)
    second = run.run_report(paths, parameters, build)

    assert (build / publish.POINTER).read_text().strip() == f"runs/{second.name}"
    assert not first.exists()  # the earlier run is removed once the new one is published
    assert [p.name for p in (build / "runs").iterdir()] == [second.name]
    html = build / "html" / f"{paths[0].stem}.html"
    assert not html.parent.is_symlink()
    assert "<html" in html.read_text(encoding="utf-8")
    assert contents(build / "charts") == contents(second / "charts")
