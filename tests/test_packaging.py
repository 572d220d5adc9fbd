"""Packaging: the lock, requirements.txt and pyproject.toml agree; the version and the licences are stated
once and copied faithfully; the Python check, Binder's files and the README's routes say what is true."""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from collections import defaultdict

import pytest
import yaml
from packaging.licenses import canonicalize_license_expression
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from helpers.dataset import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
LOCK = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
NAME = canonicalize_name(PROJECT["name"])
TEST_TOOLS = {"pytest", "nbval", "playwright", "frictionless", "jupyterlab"}
SUPPORTED = ["3.11", "3.12", "3.13"]
PLATFORMS = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "macos": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
}


def locked_versions() -> dict[str, set[str]]:
    versions = defaultdict(set)
    for package in LOCK["package"]:
        if canonicalize_name(package["name"]) != NAME:
            versions[canonicalize_name(package["name"])].add(package["version"])
    return dict(versions)


def requirement_pins() -> list[Requirement]:
    """requirements.txt's pins, without comments and continuation lines."""
    lines = (PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def declared() -> dict[str, list[Requirement]]:
    """pyproject.toml's requirements: '' for the runtime ones, then one list per extra."""
    return {"": [Requirement(r) for r in PROJECT["dependencies"]]} | {
        extra: [Requirement(r) for r in requirements] for extra, requirements in PROJECT["optional-dependencies"].items()
    }


def environment(python: str, platform: str) -> dict[str, str]:
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_machine": "x86_64",
        **PLATFORMS[platform],
    }


def test_requirements_txt_pins_exactly_the_lock():
    pins = defaultdict(set)
    for requirement in requirement_pins():
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{requirement} is not pinned"
        pins[canonicalize_name(requirement.name)].add(specifier.version)
    assert dict(pins) == locked_versions(), "requirements.txt is not uv.lock's export: run make lock"


def test_lock_was_resolved_from_pyproject():
    """uv.lock records the requirements it was resolved from; they must be pyproject.toml's own."""
    (project,) = [p for p in LOCK["package"] if canonicalize_name(p["name"]) == NAME]
    assert project["version"] == PROJECT["version"]
    assert LOCK["requires-python"] == PROJECT["requires-python"]
    in_lock = {(canonicalize_name(r["name"]), r.get("specifier", ""), r.get("marker", "")) for r in project["metadata"]["requires-dist"]}
    in_pyproject = {
        (canonicalize_name(r.name), str(r.specifier), f"extra == '{extra}'" if extra else "")
        for extra, requirements in declared().items()
        for r in requirements
    }
    assert in_lock == in_pyproject, "pyproject.toml changed since uv.lock was made: run make lock"
    assert sorted(project["metadata"]["provides-extras"]) == sorted(PROJECT["optional-dependencies"])


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("python", SUPPORTED)
def test_every_declared_requirement_has_one_pin_that_satisfies_it_on(platform, python):
    env = environment(python, platform)
    pins = defaultdict(list)
    for requirement in requirement_pins():
        if requirement.marker is None or requirement.marker.evaluate(env):
            (specifier,) = requirement.specifier
            pins[canonicalize_name(requirement.name)].append(Version(specifier.version))
    for requirements in declared().values():
        for requirement in requirements:
            versions = pins[canonicalize_name(requirement.name)]
            assert len(versions) == 1, f"{requirement.name}: {len(versions)} pins for Python {python} on {platform}"
            assert requirement.specifier.contains(versions[0], prereleases=True), (
                f"{requirement.name} {versions[0]} does not satisfy {requirement}"
            )
    # Platform-only dependencies are locked too (the lock was not resolved for one platform only).
    expected = {"linux": "pexpect", "macos": "appnope", "windows": "pywinpty"}[platform]
    assert pins[expected], f"no pin of {expected} for {platform}"


def test_the_report_installs_no_test_tools():
    """What `pip install .` brings (the runtime requirements and theirs, in the lock) holds none of the test tools."""
    packages = {canonicalize_name(p["name"]): p for p in LOCK["package"]}
    needed, queue = set(), [NAME]
    while queue:
        for dependency in packages[queue.pop()].get("dependencies", []):
            name = canonicalize_name(dependency["name"])
            if name not in needed:
                needed.add(name)
                queue.append(name)
    assert needed & TEST_TOOLS == set()
    assert TEST_TOOLS <= {canonicalize_name(r.name) for r in declared()["test"]}
    assert {"pandas", "papermill", "nbconvert", "ipykernel", "matplotlib"} <= needed


def test_version_is_pyprojects_wherever_it_is_repeated():
    version = PROJECT["version"]
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == version
    (data,) = [r for r in citation["references"] if r["type"] == "data"]
    assert data["version"] == version
    assert json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"version (\d+\.\d+\.\d+)", readme) == [version]
    changelog = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\d+\.\d+\.\d+)", changelog, re.MULTILINE)[0] == version


def test_licences_code_mit_data_cc_by():
    assert canonicalize_license_expression(PROJECT["license"]) == "MIT AND CC-BY-4.0"
    for path in PROJECT["license-files"]:
        assert (PROJECT_ROOT / path).is_file(), path
    holder = PROJECT["authors"][0]["name"]
    licence = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and re.search(rf"Copyright \(c\) \d{{4}} {re.escape(holder)}", licence)
    data_licence = (PROJECT_ROOT / "data" / "LICENSE").read_text(encoding="utf-8")
    assert "SPDX-License-Identifier: CC-BY-4.0" in data_licence and holder in data_licence
    package = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in package["licenses"]] == ["CC-BY-4.0"]
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["license"] == "MIT"
    assert [r["license"] for r in citation["references"] if r["type"] == "data"] == ["CC-BY-4.0"]
    assert [a["name"] for a in citation["authors"]] == [holder]


def load_check_python():
    spec = importlib.util.spec_from_file_location("check_python", PROJECT_ROOT / "tools" / "check_python.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_check_names_what_is_needed_and_what_was_found():
    check = load_check_python()
    needed = check.required_version((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f">={needed[0]}.{needed[1]}" == PROJECT["requires-python"]
    message = check.problem((3, 10, 13), needed, "/usr/bin/python3")
    assert "needs Python 3.11 or newer" in message and "/usr/bin/python3 is Python 3.10.13" in message
    assert check.problem((3, 11, 0), needed, "python3") is None
    assert check.problem((3, 13, 0), needed, "python3") is None
    # The supported range starts where requires-python does, and is what the lock was checked for.
    classifiers = [c.rsplit(" :: ", 1)[1] for c in PROJECT["classifiers"] if c.startswith("Programming Language :: Python :: 3.")]
    assert classifiers == SUPPORTED and SUPPORTED[0] == f"{needed[0]}.{needed[1]}"


def test_binder_uses_the_lock_and_any_link_opens_the_first_notebook():
    """The README links Binder only once the repository has a public address (tests/test_docs.py: never a placeholder)."""
    binder = PROJECT_ROOT / "binder"
    assert (binder / "runtime.txt").read_text(encoding="utf-8").strip() == f"python-{SUPPORTED[0]}"
    lines = [line for line in (binder / "requirements.txt").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert lines == ["-c ../requirements.txt", "-e .[lab]"]
    assert (binder / "../requirements.txt").resolve() == (PROJECT_ROOT / "requirements.txt").resolve()
    first = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))[0]
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert all(link.endswith(f"?urlpath=lab/tree/notebooks/{first.name}") for link in links)


def test_the_list_of_the_reports_modules_is_current(tmp_path):
    """tools/report-modules.txt (what a first `make report` compiles) names what the report imports with the locked
    versions: exactly, on the Python and platform it was recorded on; elsewhere nearly all of it. What Python imports
    as it starts is not the report's and stays out of the list: a venv whose pip came from ensurepip imports
    setuptools' _distutils_hack at start, one made otherwise does not (CI failed on that once). Here a
    sitecustomize imports iniconfig, a test tool the report never imports, at start."""
    import os
    import subprocess
    import sys

    manifest = PROJECT_ROOT / "tools" / "report-modules.txt"
    fresh = tmp_path / "modules.txt"
    startup = tmp_path / "startup"
    startup.mkdir()
    (startup / "sitecustomize.py").write_text("import iniconfig\n", encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(startup), os.environ.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "tools" / "compile_report_modules.py"), "--record", str(fresh)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": path},
        check=True,
        capture_output=True,
    )
    header, *committed = manifest.read_text(encoding="utf-8").splitlines()
    fresh_header, *recorded = fresh.read_text(encoding="utf-8").splitlines()
    assert "iniconfig" not in recorded, "a module imported as Python starts was listed as the report's"
    if header == fresh_header:
        assert set(committed) == set(recorded), "run `make lock` (or tools/compile_report_modules.py --record)"
    else:
        assert len(set(committed) & set(recorded)) >= 0.9 * len(recorded)
