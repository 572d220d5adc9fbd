"""Fuzz tests, one per family of hostile input the runner reads besides the data's text (tests/test_property.py draws any text in
every text column): every JSON value in every field of datapackage.json, arbitrary YAML parameter files, broken and truncated
notebook files, and a signal at a random point of a run. Each gives a report or a clear message, never a traceback, and loses
no file.

A short run of each is in `make test` (FUZZ_EXAMPLES, default 30; the signals 1); `make test-long` (and CI) runs
LONG_FUZZ_EXAMPLES (default 600; the signals 8).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from helpers.dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, DataError, load_dataset
from helpers.study import ParameterError
from report import parameters

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
LONG_EXAMPLES = int(os.environ.get("LONG_FUZZ_EXAMPLES", "600"))
SIGNAL_EXAMPLES, LONG_SIGNAL_EXAMPLES = 1, 8
SHORT = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LONG = settings(SHORT, max_examples=LONG_EXAMPLES)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
# Where datapackage.json's fields are (the data package's own title and the war's dates), and the whole file: None.
PACKAGE_FIELDS = [None, ("title",), ("conflict",), ("conflict", "start"), ("conflict", "end"), ("conflict", "end_event"), ("name",)]
PACKAGE_FIELDS += [("resources",), ("conflict", "name")]
BUNDLED_PACKAGE = json.loads((BUNDLED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def _with_value(package: dict, field: tuple | None, value):
    """The package with value at field (a path of keys; None: the whole file)."""
    if field is None:
        return value
    changed = json.loads(json.dumps(package))
    holder = changed
    for key in field[:-1]:
        if not isinstance(holder.get(key), dict):
            holder[key] = {}
        holder = holder[key]
    holder[field[-1]] = value
    return changed


def check_package(folder: Path, field, value) -> None:
    """Any JSON value in any field: the data load, or a message naming datapackage.json (and the field) and nothing else."""
    shutil.copytree(BUNDLED_DATA_DIR, folder, dirs_exist_ok=True)
    package = _with_value(BUNDLED_PACKAGE, field, value)
    note(f"datapackage.json: {json.dumps(package)[:2000]}")
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    try:
        dataset = load_dataset(folder)
    except DataError as error:
        assert all(p.file.endswith("datapackage.json") for p in error.problems), str(error)
        return
    from report import site

    assert isinstance(site.site_title(folder), str) and set(dataset.conflict) <= set(package.get("conflict", {}))


@SHORT
@given(field=st.sampled_from(PACKAGE_FIELDS), value=JSON)
def test_any_json_in_any_field_of_datapackage_json(tmp_path_factory, field, value):
    check_package(tmp_path_factory.mktemp("package"), field, value)


@pytest.mark.long
@LONG
@given(field=st.sampled_from(PACKAGE_FIELDS), value=JSON)
def test_any_json_in_any_field_of_datapackage_json_long_run(tmp_path_factory, field, value):
    check_package(tmp_path_factory.mktemp("package"), field, value)


# YAML: documents of names and values, anchors and aliases, keys given twice, nesting of any depth, any text at all.
NAMES = st.sampled_from(["source_id", "side", "data_dir", "min_sources", "measures", "subject", "05", "00", "x y", "&a", "*a"])
SCALARS = st.sampled_from(["''", "moscow-times-2021-01-14", "armenian_forces", "2", "-1", "1e9", "null", "yes", "[1, 2]", "{a: 1}"])


@st.composite
def yaml_texts(draw) -> str:
    def block(depth: int) -> list[str]:
        lines = []
        for _ in range(draw(st.integers(0, 4))):
            name, indent = draw(NAMES), "  " * depth
            anchor = draw(st.sampled_from(["", "", " &a", " &b"]))
            if depth < 6 and draw(st.booleans()):
                lines += [f"{indent}{name}:{anchor}", *block(depth + 1)]
            else:
                lines.append(f"{indent}{name}:{anchor} {draw(st.one_of(SCALARS, st.sampled_from(['*a', '*b'])))}")
        return lines

    structured = "\n".join(block(0))
    return draw(st.one_of(st.just(structured), st.text(max_size=200), st.builds("\n".join, st.lists(SCALARS, max_size=5))))


def check_parameter_file(folder: Path, content: str) -> None:
    """The file's values reach the notebooks, or a ParameterError names what is wrong; within a second, never a traceback."""
    note(f"parameter file:\n{content}")
    file = folder / "params.yaml"
    file.write_text(content, encoding="utf-8")
    started = time.monotonic()
    try:
        given = parameters.load_parameter_file(str(file))
        per_notebook = parameters.resolve_parameters(parameters.notebook_paths(), given, {})
        parameters.check_values(per_notebook)
    except ParameterError as error:
        assert "Traceback" not in str(error) and len(str(error)) < 5000
    assert time.monotonic() - started < 10, "a parameter file of a few lines took seconds"


@SHORT
@given(content=yaml_texts())
def test_any_parameter_file(tmp_path_factory, content):
    check_parameter_file(tmp_path_factory.mktemp("yaml"), content)


@pytest.mark.long
@LONG
@given(content=yaml_texts())
def test_any_parameter_file_long_run(tmp_path_factory, content):
    check_parameter_file(tmp_path_factory.mktemp("yaml"), content)


# Notebooks: a real one cut short anywhere, bytes changed anywhere, or any JSON in its place.
REAL_NOTEBOOKS = [path.read_bytes() for path in parameters.notebook_paths()]


@st.composite
def broken_notebooks(draw) -> bytes:
    original = draw(st.sampled_from(REAL_NOTEBOOKS))
    how = draw(st.sampled_from(["cut", "changed", "json"]))
    if how == "cut":
        return original[: draw(st.integers(0, len(original) - 1))]
    if how == "json":
        return json.dumps(draw(JSON)).encode("utf-8")
    at = draw(st.integers(0, len(original) - 1))
    return original[:at] + draw(st.binary(min_size=1, max_size=8)) + original[at + draw(st.integers(0, 8)) :]


def check_notebook(folder: Path, content: bytes) -> None:
    """A broken notebook in notebooks/: its parameters read, or a message naming the file; --list-parameters too."""
    path = folder / "06-broken.ipynb"
    path.write_bytes(content)
    try:
        parameters.notebook_parameters(path)
        parameters.describe_parameters([path])
    except ParameterError as error:
        assert "06-broken.ipynb" in str(error) and "Traceback" not in str(error)


@SHORT
@given(content=broken_notebooks())
def test_any_broken_notebook_file(tmp_path_factory, content):
    check_notebook(tmp_path_factory.mktemp("notebook"), content)


@pytest.mark.long
@LONG
@given(content=broken_notebooks())
def test_any_broken_notebook_file_long_run(tmp_path_factory, content):
    check_notebook(tmp_path_factory.mktemp("notebook"), content)


# Signals: SIGTERM or SIGINT to the runner alone or to it and its kernels, at a random moment of a run.


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """A build folder holding an earlier report of notebook 01."""
    build = tmp_path_factory.mktemp("earlier") / "build"
    from report import run

    assert run.main(["--notebooks", "01", "--build-dir", str(build)]) == 0
    return build


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_signal(earlier: Path, folder: Path, which: int, group: bool, after: float) -> None:
    """Whenever it comes, a signal ends the run with the previous report whole, or lets it publish a whole new one; no partial
    file, no kernel left running, and the user's own file in the report kept."""
    build = folder / "build"
    shutil.copytree(earlier, build, symlinks=True)
    (build / "html" / "robots.txt").write_text("mine")
    before, published = files_of(build / "current"), (build / "current").resolve()
    command = [sys.executable, "-m", "report", "--notebooks", "01,02", "--build-dir", str(build)]
    runner = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(after)
    (os.killpg if group else os.kill)(runner.pid, which)
    try:
        _, err = runner.communicate(timeout=120)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
    err = err.decode("utf-8", "replace")
    note(f"returncode {runner.returncode}, stderr: {err}")
    assert "Traceback" not in err
    assert runner.returncode in (0, 130)
    from test_bad_input import processes_of

    assert not processes_of(runner.pid), "kernels outlived the runner"
    time.sleep(1)  # anything still running would write now
    runs = sorted((build / "runs").iterdir())
    assert len(runs) == 1, "an ended run leaves only the published report"
    assert (build / "html" / "robots.txt").read_text() == "mine"
    if (build / "current").resolve() == published:
        assert runner.returncode == 130 and files_of(build / "current") == before
    else:  # finished, or stopped once the new report was published
        assert {"01-article-figures.html", "02-casualties-by-side.html", "index.html"} <= {p.name for p in (build / "html").iterdir()}
    assert not [p for p in build.rglob("*") if p.name.endswith(".partial")]


SIGNALS = dict(which=st.sampled_from([signal.SIGTERM, signal.SIGINT]), group=st.booleans(), after=st.floats(0.3, 14.0))


@settings(SHORT, max_examples=SIGNAL_EXAMPLES)
@given(**SIGNALS)
def test_a_signal_at_any_point_of_a_run(earlier, tmp_path_factory, which, group, after):
    check_signal(earlier, tmp_path_factory.mktemp("signal"), which, group, after)


@pytest.mark.long
@settings(SHORT, max_examples=LONG_SIGNAL_EXAMPLES)
@given(**SIGNALS)
def test_a_signal_at_any_point_of_a_run_long_run(earlier, tmp_path_factory, which, group, after):
    check_signal(earlier, tmp_path_factory.mktemp("signal"), which, group, after)
