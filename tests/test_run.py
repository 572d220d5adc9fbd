"""The report runner: parameters checked before anything runs, failures that leave the previous report intact."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import notebook_with
from report import parameters, run, site

NOTEBOOKS = parameters.notebook_paths()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (following the report's links) with its content."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parameters_are_read_from_the_notebooks():
    params = parameters.notebook_parameters(parameters.notebook_paths("02")[0])
    assert params["source_id"].default == "moscow-times-2021-01-14"
    assert params["side"].type_name == "str" and "attacking side" in params["side"].help


def test_command_line_values_are_converted_and_applied_per_notebook():
    per_notebook = parameters.resolve_parameters(NOTEBOOKS, {}, {"side": "armenian_forces", "source_id": "x"})
    first, by_side = parameters.notebook_paths("01,02")
    assert per_notebook[first] == {"source_id": "x"}  # 01 has no side parameter
    assert per_notebook[by_side] == {"side": "armenian_forces", "source_id": "x"}


@pytest.mark.parametrize(
    "given, message",
    [
        ({"colour": "red"}, "unknown parameter 'colour'"),
        ({"x; import os #": "1"}, "is not a Python identifier"),
        ({"class": "1"}, "is not a Python identifier"),
        ({"charts_dir": "/tmp"}, "set by the runner"),
    ],
)
def test_bad_parameter_names_are_rejected_with_the_list(given, message):
    with pytest.raises(parameters.ParameterError, match=message.replace("(", r"\(")) as error:
        parameters.resolve_parameters(NOTEBOOKS, {}, given)
    if "unknown" in message or "identifier" in message:
        assert "source_id: str = 'moscow-times-2021-01-14'" in str(error.value)


def test_wrong_type_from_a_file_is_rejected():
    with pytest.raises(parameters.ParameterError, match="parameter source_id must be str, not int 7"):
        parameters.resolve_parameters(NOTEBOOKS, {"source_id": 7}, {})


def test_unsafe_string_is_rejected_before_papermill_writes_it_into_code(monkeypatch):
    from papermill.translators import PythonTranslator

    # Papermill escapes strings today; if a version ever did not, the runner must still refuse.
    monkeypatch.setattr(PythonTranslator, "translate", classmethod(lambda cls, v: '"' + v + '"'))
    with pytest.raises(parameters.ParameterError, match="cannot be passed to a notebook safely"):
        parameters.resolve_parameters(NOTEBOOKS, {}, {"source_id": 'x"; import os; os.remove("y") #'})


@pytest.mark.parametrize(
    "values, message",
    [
        ({"source_id": "no-such-source"}, "source_id 'no-such-source' is not in sources.csv"),
        ({"side": "russian_forces"}, "side 'russian_forces' is not one of"),
        ({"data_dir": "/no/such/folder"}, "data folder does not exist"),
    ],
)
def test_bad_values_are_rejected_before_any_kernel(values, message):
    paths = parameters.notebook_paths("02")
    with pytest.raises(parameters.ParameterError, match=message):
        parameters.check_values({paths[0]: {"source_id": "moscow-times-2021-01-14", **values}})


def test_parameter_file_must_be_a_mapping(tmp_path):
    file = tmp_path / "params.yaml"
    file.write_text("- source_id\n")
    with pytest.raises(parameters.ParameterError, match="must be a mapping"):
        parameters.load_parameter_file(str(file))
    file.write_text("source_id: [unclosed\n")
    with pytest.raises(parameters.ParameterError, match="not valid YAML"):
        parameters.load_parameter_file(str(file))
    with pytest.raises(parameters.ParameterError, match="does not exist"):
        parameters.load_parameter_file(str(tmp_path / "missing.yaml"))


def test_cli_rejects_bad_input_and_leaves_build_alone(tmp_path, capsys):
    build = tmp_path / "build"
    build.mkdir()
    (build / "keep.txt").write_text("earlier result")
    code = run.main(["-p", "colour", "red", "--build-dir", str(build)])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown parameter 'colour'" in err and "Nothing was run" in err
    assert snapshot(build) == {"keep.txt": b"earlier result"}


def test_a_failed_run_names_notebook_and_cell_and_keeps_the_previous_report(tmp_path):
    build = tmp_path / "build"
    first = parameters.notebook_paths("04")
    run.run_report(first, {first[0]: {}}, build)
    before = snapshot(build / "current")
    bad = notebook_with(tmp_path, "09-fails.ipynb", "x = 1", "raise ValueError('broken on purpose')")
    with pytest.raises(run.NotebookFailed, match=r"09-fails.ipynb failed in cell \d+ .*ValueError: broken on purpose"):
        run.run_report([bad], {bad: {}}, build)
    assert snapshot(build / "current") == before
    assert (build / "html" / "04-data-gaps.html").exists()
    assert (build / "failed" / "09-fails.ipynb").exists()
    assert [p.name for p in (build / "runs").iterdir()] == [os.readlink(build / "current").split("/")[-1]]


def test_a_successful_run_replaces_the_report_and_never_writes_source_notebooks(tmp_path, capsys):
    build = tmp_path / "build"
    sources_before = {p: p.read_bytes() for p in NOTEBOOKS}
    paths = parameters.notebook_paths("01")
    first = run.run_report(paths, {paths[0]: {}}, build)
    # A line as each notebook starts and as it finishes, with its time.
    assert re.fullmatch(r"started  01-article-figures\nfinished 01-article-figures in \d+\.\d s\n", capsys.readouterr().out)
    second = run.run_report(paths, {paths[0]: {}}, build)
    record = json.loads((build / "html" / "run.json").read_text())
    assert record["parameters"] == {"01-article-figures": {"data_dir": "", "source_id": "moscow-times-2021-01-14"}}
    assert (build / "html" / "01-article-figures.html").exists() and (build / "html" / site.STYLESHEET).exists()
    assert not first.exists() and second.exists()
    assert (build / "current").resolve() == second.resolve()
    assert (build / "notebooks" / "01-article-figures.ipynb").exists()
    assert {p: p.read_bytes() for p in NOTEBOOKS} == sources_before
    executed = json.loads((build / "notebooks" / "01-article-figures.ipynb").read_text())
    assert executed["metadata"]["papermill"]["parameters"]["charts_dir"] == str(second / "charts")


def test_a_file_section_gives_one_notebook_its_own_values():
    per_notebook = parameters.resolve_parameters(NOTEBOOKS, {"source_id": "a", "05": {"source_id": "", "min_sources": 3}}, {})
    compared = parameters.notebook_paths("05")[0]
    assert per_notebook[compared] == {"source_id": "", "min_sources": 3}
    assert all(values == {"source_id": "a"} for path, values in per_notebook.items() if path != compared)
    with pytest.raises(parameters.ParameterError, match="section '07' that names no notebook"):
        parameters.resolve_parameters(NOTEBOOKS, {"07": {"source_id": ""}}, {})
    with pytest.raises(parameters.ParameterError, match="unknown parameter 'side'"):
        parameters.resolve_parameters(NOTEBOOKS, {"05": {"side": "armenian_forces"}}, {})


def test_notebook_05_compares_every_subject_through_the_runner(tmp_path, capsys):
    """source_id empty, as documented for 05, while 01 keeps the default source: one parameter file, one report."""
    file = tmp_path / "params.yaml"
    file.write_text('"05":\n  source_id: ""\n  measures: ""\n  min_sources: 2\n', encoding="utf-8")
    build = tmp_path / "build"
    assert run.main(["-f", str(file), "--notebooks", "01,05", "--build-dir", str(build)]) == 0
    notebook = json.loads((build / "notebooks" / "05-sources-compared.ipynb").read_text(encoding="utf-8"))
    shown = "\n".join("".join(o.get("data", {}).get("text/plain", "")) for c in notebook["cells"] for o in c.get("outputs", []))
    # Subjects the default source says nothing about are compared too, e.g. military losses.
    assert "military" in shown


def test_an_empty_source_for_every_notebook_names_the_overview_that_refuses_it(tmp_path, capsys):
    """05 accepts an empty source_id (every subject); given to every notebook, the overview, run with every report, refuses it."""
    build = tmp_path / "build"
    assert run.main(["-p", "source_id", "", "--notebooks", "05", "--build-dir", str(build)]) == 2
    err = capsys.readouterr().err
    assert "00-overview: source_id '' is not in sources.csv" in err and "Nothing was run" in err and not build.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("source_id: a\nsource_id: b\n", "line 2: 'source_id' is given twice"),
        ('"05":\n  min_sources: 2\n  min_sources: 3\n', "line 3: 'min_sources' is given twice"),
        ("a: &x [1, 2]\nb: *x\n", "aliases (*name) are not accepted"),
        ("x:\n  y:\n    z:\n      w: 1\n", "nested deeper than a parameter file needs"),
        ("source_id: [unclosed\n", "is not valid YAML"),
        ("- source_id\n", "must be a mapping"),
        ("source_id: " + "x" * 70_000 + "\n", "a parameter file is at most 65,536"),
    ],
    ids=["duplicate key", "duplicate key in a section", "alias", "deep nesting", "not YAML", "not a mapping", "too large"],
)
def test_a_parameter_file_is_read_safely(tmp_path, content, message):
    """Safe YAML with limits: no aliases (a bomb of them took minutes and all memory), no duplicate keys (the last won)."""
    file = tmp_path / "params.yaml"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(parameters.ParameterError, match=re.escape(message)):
        parameters.load_parameter_file(str(file))


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is not a readable notebook"),
        ('{"cells": [<<<<<<< HEAD', "is not a readable notebook"),
        (None, "the parameters cell is not valid Python, line 2"),
    ],
    ids=["empty file", "merge conflict", "syntax error in the parameters cell"],
)
def test_a_broken_notebook_is_named_with_its_problem(tmp_path, text, message):
    path = tmp_path / "06-broken.ipynb"
    if text is None:
        cell = new_code_cell('source_id: str = "a"  # which source\nside: str = "  # unclosed')
        cell.metadata["tags"] = ["parameters"]
        nbformat.write(new_notebook(cells=[cell]), path)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(parameters.ParameterError, match=re.escape(message)) as error:
        parameters.notebook_parameters(path)
    assert "06-broken.ipynb" in str(error.value)
