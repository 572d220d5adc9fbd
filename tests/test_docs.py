"""Every command README.md and CONTRIBUTING.md show is true as written.

The commands are those of the fenced shell blocks, and the inline ones that start with `make` or `.venv/`. The
cheap ones run (help, the list of parameters, one notebook through papermill, nbval on one notebook); the others are
checked without running: `make -n` (the target and the options exist; what its recipe would run is checked in turn),
the `python -m` module imports in that Python, the runner's and bench.py's options are accepted by their parsers
(and the runner's parameters by its own checks), uv's, ruff's and pip's options by theirs (each given its command's
arguments followed by --help, which they parse first), every file of the project a command names exists. A tool
that lives in .venv is called as .venv/bin/NAME (make does not activate the venv), and pip in .venv only after the
same block has put it there (the .venv make makes has none). Nothing here uses the network or writes outside tmp_path.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from unittest import mock

import pytest

from helpers.dataset import PROJECT_ROOT

DOCS = ("README.md", "CONTRIBUTING.md")
SHELL = {"sh", "bash", "shell", "console"}
LANGUAGES = SHELL | {"yaml", "text"}
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
VENV_PYTHON = VENV_BIN / "python"
# The Python that made the venv: what `python -m venv` and the pip outside .venv are.
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
FILE_SUFFIXES = {".ipynb", ".py", ".txt", ".toml", ".yaml", ".yml", ".json", ".md", ".csv", ".cfg", ".lock"}
TIMEOUT = 180

FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"(?<!`)`([^`]+)`(?!`)")


def _clean_path() -> str:
    """PATH without the venv: the docs are for a shell where it is not activated."""
    venv = os.environ.get("VIRTUAL_ENV")
    keep = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        resolved = Path(entry).resolve() if entry else None
        if resolved and (resolved == VENV_BIN.resolve() or (venv and resolved == (Path(venv) / "bin").resolve())):
            continue
        keep.append(entry)
    return os.pathsep.join(keep)


CLEAN_PATH = _clean_path()
# The docs' commands run in a plain shell in the project's folder: no venv activated, no make or pytest of ours around.
ENV = {
    **{k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTEST_ADDOPTS"}},
    "PATH": CLEAN_PATH,
}
# Console scripts that only .venv has: a command naming one bare does not run in a plain shell.
VENV_ONLY = (
    {p.name for p in VENV_BIN.iterdir() if not p.name.startswith(("python", "activate", "Activate", "uv", "pip"))}
    if VENV_BIN.is_dir()
    else set()
)


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    text: str
    earlier: tuple[str, ...] = ()  # the commands before it in the same block
    also: tuple[str, ...] = ()  # where else the docs give the same command

    @property
    def words(self) -> list[str]:
        return shlex.split(self.text, comments=True)

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}{f' (+{len(self.also)})' if self.also else ''}: {shlex.join(self.words)}"


def fenced_blocks(doc: str) -> list[tuple[int, str, str]]:
    """(line of the opening fence, language, body) of every fenced block."""
    text = (PROJECT_ROOT / doc).read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1).strip(), m.group(2)) for m in FENCE.finditer(text)]


def commands_of_block(doc: str, start: int, body: str) -> list[Command]:
    commands: list[Command] = []
    lines = body.replace("\\\n", " ").split("\n")
    for offset, line in enumerate(lines, start=1):
        if shlex.split(line, comments=True):
            commands.append(Command(doc, start + offset, line.strip(), tuple(c.text for c in commands)))
    return commands


def is_command(span: str) -> bool:
    """An inline span the reader is to type: make with a target, a path into .venv, or a bare tool of .venv with
    arguments that are options or files (`jupyter nbconvert` in a sentence names a program, `ruff format .` is a command)."""
    words = span.split()
    if len(words) >= 2 and words[0] == "make":
        return True
    if words[0].startswith(".venv/bin/"):
        return len(words) >= 2  # `.venv/bin/uv` alone names a file
    return words[0] in VENV_ONLY and any(w.startswith("-") or looks_like_a_path(w) for w in words[1:])


def inline_commands(doc: str) -> list[Command]:
    text = (PROJECT_ROOT / doc).read_text(encoding="utf-8")
    prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = []
    for match in INLINE.finditer(prose):
        span = " ".join(match.group(1).split())
        if span and is_command(span):
            found.append(Command(doc, prose.count("\n", 0, match.start()) + 1, span))
    return found


def all_commands() -> list[Command]:
    """Each command once (`make report` is given a dozen times), with the places it is given."""
    found: dict[tuple, list[Command]] = {}
    for doc in DOCS:
        commands = []
        for start, language, body in fenced_blocks(doc):
            if language in SHELL:
                commands += commands_of_block(doc, start, body)
        for command in commands + inline_commands(doc):
            found.setdefault((tuple(command.words), pip_installed_by(command.earlier)), []).append(command)
    return [replace(same[0], also=tuple(f"{c.doc}:{c.line}" for c in same[1:])) for same in found.values()]


# ---------------------------------------------------------------------------
# Checking one command


def looks_like_a_path(word: str) -> bool:
    if "://" in word or "=" in word or word.startswith("-"):
        return False
    return word == "." or "/" in word or Path(word).suffix in FILE_SUFFIXES or bool(re.fullmatch(r"\.\[[\w,-]+\]", word))


def path_problems(words: list[str], outputs: tuple[str, ...] = ()) -> list[str]:
    """Every file of the project a command names exists; `.[extra]` names an extra of pyproject.toml."""
    problems = []
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    for word in words:
        if word in outputs or not looks_like_a_path(word):
            continue
        if extra := re.fullmatch(r"\.\[([\w,-]+)\]", word):
            problems += [f"pyproject.toml has no extra {name!r}" for name in extra.group(1).split(",") if name not in extras]
        elif not Path(word).is_absolute() and not (PROJECT_ROOT / word).exists():
            problems.append(f"{word} does not exist in the project")
    return problems


def run(arguments: list[str], timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True, timeout=timeout)


def tail(result: subprocess.CompletedProcess, lines: int = 15) -> str:
    return "\n".join((result.stdout + result.stderr).strip().splitlines()[-lines:])


def imports_in(python: str | Path, module: str) -> bool:
    code = "import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)"
    return run([str(python), "-c", code, module], timeout=60).returncode == 0


def options_accepted(tool: list[str], arguments: list[str]) -> list[str]:
    """The tool parses the arguments followed by --help (uv, ruff: clap; pip: optparse): an unknown option or a missing
    value is an error before any help is printed, and nothing runs."""
    result = run([*tool, *arguments, "--help"], timeout=60)
    return [] if result.returncode == 0 else [f"{' '.join(tool)} does not accept {' '.join(arguments)}:\n{tail(result)}"]


def check(words: list[str], earlier: tuple[str, ...], may_run: bool, tmp_path: Path) -> list[str]:
    """What is wrong with one command (split into words); may_run: cheap commands are run, not just checked."""
    if any(w in {"&&", "||", ";", "|"} for w in words):
        return ["one command per line, please: the test checks each line on its own"]
    name, arguments = words[0], words[1:]
    if name == "make":
        return check_make(arguments, tmp_path)
    if name.startswith(".venv/"):
        tool = PROJECT_ROOT / name
        if name == ".venv/bin/uv" and not tool.exists() and shutil.which("uv", path=CLEAN_PATH):
            # make used the uv on PATH and put none in .venv; the docs say to use that one then.
            return check_other_tool([shutil.which("uv", path=CLEAN_PATH)], arguments)
        if not tool.exists():
            return [f"{name} does not exist (make creates .venv)"]
        program = tool.name
        if program.startswith("python"):
            return check_venv_python(arguments, earlier, may_run, tmp_path)
        if program == "papermill":
            return check_papermill(arguments, may_run, tmp_path)
        return check_other_tool([name], arguments)
    if name in {"python", "python3"}:
        return check_base_python(arguments)
    if name == "uv":
        uv = shutil.which("uv", path=CLEAN_PATH) or (str(VENV_BIN / "uv") if (VENV_BIN / "uv").exists() else None)
        if uv is None:
            pytest.skip("no uv here to check the options against")
        return check_other_tool([uv], arguments)
    if name in VENV_ONLY:
        return [f"{name} is not on the PATH of a shell where .venv is not activated (make does not activate it): .venv/bin/{name}"]
    if shutil.which(name, path=CLEAN_PATH) is None:
        return [f"{name} is not on the PATH"]
    return path_problems(arguments)


def check_make(arguments: list[str], tmp_path: Path) -> list[str]:
    result = run(["make", "-n", "--no-print-directory", *arguments], timeout=60)
    if result.returncode != 0:
        return [f"make -n {' '.join(arguments)} fails: " + "\n".join(result.stderr.strip().splitlines()[:3])]
    problems = []
    for line in result.stdout.splitlines():
        if line.startswith(".venv/bin/"):
            problems += [f"its recipe runs `{line.strip()}`: {p}" for p in check(shlex.split(line), (), False, tmp_path)]
    return problems


def check_other_tool(tool: list[str], arguments: list[str]) -> list[str]:
    """Options checked by the tool's own parser where it parses before --help; files checked."""
    problems = path_problems(arguments)
    if any(a.startswith("-") for a in arguments) and Path(tool[0]).name in {"uv", "ruff"}:
        problems += options_accepted(tool, arguments)
    return problems


def pip_installed_by(earlier: tuple[str, ...]) -> bool:
    """Has an earlier command of the block given .venv a pip (`python -m venv .venv`, or ensurepip in it)?"""
    for text in earlier:
        words = shlex.split(text, comments=True)
        if words[:4] in (["python", "-m", "venv", ".venv"], ["python3", "-m", "venv", ".venv"]) and "--without-pip" not in words:
            return True
        if words[0].startswith(".venv/bin/python") and words[1:3] == ["-m", "ensurepip"]:
            return True
    return False


def check_venv_python(arguments: list[str], earlier: tuple[str, ...], may_run: bool, tmp_path: Path) -> list[str]:
    if not arguments:
        return []
    if arguments[0] != "-m":
        problems = path_problems(arguments[:1])
        if arguments[0] == "benchmarks/bench.py" and not problems:
            problems += check_bench(arguments[1:])
        return problems
    module, rest = arguments[1], arguments[2:]
    if module == "pip":
        if not pip_installed_by(earlier):
            return [
                "the .venv that make makes usually has no pip (it is made --without-pip and installed with uv): "
                "run `.venv/bin/python -m ensurepip --default-pip` first in the same block, or use uv"
            ]
        return check_pip(rest)
    if not imports_in(VENV_PYTHON, module):
        return [f"{module} does not import in .venv"]
    if module == "report":
        return check_report(rest, may_run)
    if module == "pytest":
        return check_pytest(rest, may_run)
    return path_problems(rest)


def check_base_python(arguments: list[str]) -> list[str]:
    """`python -m venv .venv` (not run: it would touch .venv): the Python has venv, and ensurepip unless --without-pip."""
    if arguments[:1] != ["-m"] or len(arguments) < 2:
        return path_problems(arguments)
    module, rest = arguments[1], arguments[2:]
    needed = [module] + (["ensurepip"] if module == "venv" and "--without-pip" not in rest else [])
    problems = [f"{m} does not import in {BASE_PYTHON}" for m in needed if not imports_in(BASE_PYTHON, m)]
    return problems + (path_problems(rest, outputs=tuple(rest)) if module == "venv" else path_problems(rest))


def check_pip(arguments: list[str]) -> list[str]:
    """Not run (it installs): its options parsed by a pip, its files checked."""
    problems = path_problems(arguments)
    pip = [BASE_PYTHON, "-m", "pip"]
    if run([*pip, "--version"], timeout=60).returncode != 0:
        import ensurepip

        wheels = sorted((Path(ensurepip.__file__).parent / "_bundled").glob("pip-*.whl"))
        if not wheels:
            pytest.skip("no pip here to check the options against")
        pip = [BASE_PYTHON, f"{wheels[-1]}/pip"]
    return problems + options_accepted(pip, arguments)


def check_report(arguments: list[str], may_run: bool) -> list[str]:
    """The runner's options through its own parser, its notebooks and parameters through its own checks, before any kernel
    would start; `--list-parameters` is run."""
    from helpers.study import ParameterError
    from report import parameters
    from report import run as runner

    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            options = runner._arguments(arguments)
    except SystemExit as exit:
        return [f"python -m report does not accept {' '.join(arguments)}: {errors.getvalue().strip()}"] if exit.code else []
    if options.list_parameters and may_run:
        result = run([str(VENV_PYTHON), "-m", "report", *arguments], timeout=120)
        if result.returncode != 0:
            return [f"exit status {result.returncode}:\n{tail(result)}"]
        missing = [p.name for p in parameters.notebook_paths() if p.name not in result.stdout]
        return [f"the list leaves out {missing}"] if missing else []
    try:
        paths = parameters.notebook_paths(options.notebooks)
        file = PROJECT_ROOT / options.file if options.file else None
        # A parameter file the docs name as an example of the reader's own (PARAMS=my-params.yaml) is not ours to check.
        from_file = parameters.load_parameter_file(str(file)) if file and file.is_file() else {}
        parameters.check_values(parameters.resolve_parameters(paths, from_file, dict(options.parameter)))
    except ParameterError as error:
        return [f"the runner refuses it: {error}"]
    return [] if options.timeout >= 1 else ["--timeout must be at least 1"]


def check_pytest(arguments: list[str], may_run: bool) -> list[str]:
    """pytest on one notebook (nbval) is run; a larger run is only checked: its files exist, its options are pytest's."""
    problems = path_problems(arguments)
    notebooks = [a for a in arguments if a.endswith(".ipynb")]
    if problems:
        return problems
    if may_run and len(notebooks) == 1 and notebooks == [a for a in arguments if not a.startswith("-")]:
        result = run([str(VENV_PYTHON), "-m", "pytest", "-p", "no:cacheprovider", *arguments])
        return [] if result.returncode == 0 else [f"exit status {result.returncode}:\n{tail(result)}"]
    options = [a.split("=")[0] for a in arguments if a.startswith("-")]
    problems += [f"pytest has no option {o}" for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", pytest_usage())]
    return problems


@cache
def pytest_usage() -> str:
    return run([str(VENV_PYTHON), "-m", "pytest", "--help"], timeout=60).stdout


def check_papermill(arguments: list[str], may_run: bool, tmp_path: Path) -> list[str]:
    """`--help-notebook` is run; one notebook is run too, into tmp_path, after its -p names are checked against the
    notebook's parameters cell (papermill itself only warns about an unknown one)."""
    from report.parameters import notebook_parameters

    papermill = str(VENV_BIN / "papermill")
    if "--help-notebook" in arguments:
        problems = path_problems(arguments)
        if problems or not may_run:
            return problems
        result = run([papermill, *arguments], timeout=120)
        return [] if result.returncode == 0 and "Parameters inferred" in result.stdout else [f"{tail(result)}"]
    positional = [a for a in arguments[:2] if not a.startswith("-")]
    if len(positional) < 2:
        return ["papermill NOTEBOOK OUTPUT: the docs' command names both"]
    notebook, output = positional
    problems = path_problems(arguments, outputs=(output,))
    if not Path(output).is_absolute() and not (PROJECT_ROOT / output).parent.is_dir():
        problems.append(f"the folder of {output} does not exist")
    if problems:
        return problems
    declared = notebook_parameters(PROJECT_ROOT / notebook)
    given = [arguments[i + 1] for i, a in enumerate(arguments) if a in {"-p", "--parameters"} and i + 1 < len(arguments)]
    problems += [f"{notebook} declares no parameter {name}" for name in given if name not in declared]
    if problems or not may_run:
        return problems
    result = run([papermill, notebook, str(tmp_path / "out.ipynb"), *arguments[2:]])
    return [] if result.returncode == 0 else [f"exit status {result.returncode}:\n{tail(result)}"]


class _WouldRun(Exception):
    """bench.py got past its options to the work."""


def check_bench(arguments: list[str]) -> list[str]:
    """bench.py's options through its own parser and check of --parts, with the work replaced by a stop."""
    spec = importlib.util.spec_from_file_location("bench_for_docs", PROJECT_ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    def stop(*args, **kwargs):
        raise _WouldRun

    work = ("first_run", "floor_command", "measure", "scales")
    if not all(hasattr(bench, name) for name in work):
        return [f"bench.py no longer has {work}: tests/test_docs.py must stop its work another way"]
    errors = io.StringIO()
    with mock.patch.multiple(bench, **dict.fromkeys(work, stop)), mock.patch.object(sys, "argv", ["bench.py", *arguments]):
        try:
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                bench.main()
        except _WouldRun:
            pass
        except SystemExit as exit:
            if exit.code:
                return [f"benchmarks/bench.py does not accept {' '.join(arguments)}: {errors.getvalue().strip()}"]
    return []


# ---------------------------------------------------------------------------
# The tests


COMMANDS = all_commands()


def test_the_docs_show_commands():
    """The extraction finds what it is for (an empty list would make every other test here pass)."""
    texts = {shlex.join(c.words) for c in COMMANDS}
    assert {"make report", "make test", ".venv/bin/python -m report --list-parameters"} <= texts
    assert any(t.startswith(".venv/bin/papermill notebooks/") for t in texts)
    assert any(t.startswith(".venv/bin/python -m pytest notebooks/") for t in texts)


def test_every_fenced_block_says_its_language():
    """An unmarked block could be a command this test skips: each says whether it is shell, YAML or plain text."""
    for doc in DOCS:
        for line, language, _ in fenced_blocks(doc):
            assert language in LANGUAGES, f"{doc}:{line}: fenced block marked {language!r}; one of {sorted(LANGUAGES)}"


@pytest.mark.parametrize("doc", DOCS)
def test_shell_blocks_parse(doc):
    for line, language, body in fenced_blocks(doc):
        if language in SHELL:
            result = subprocess.run(["bash", "-n"], input=body, capture_output=True, text=True)
            assert result.returncode == 0, f"{doc}:{line}: {result.stderr}"


@pytest.mark.skipif(not VENV_PYTHON.exists(), reason="the docs' commands use .venv, which make creates")
@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_command_is_true_as_written(command, tmp_path):
    problems = check(command.words, command.earlier, True, tmp_path)
    assert not problems, f"{command}\n" + "\n".join(f"  - {p}" for p in problems)


@pytest.mark.parametrize("doc", DOCS)
def test_parameter_files_shown_are_accepted_by_the_runner(doc, tmp_path):
    from helpers.study import ParameterError
    from report import parameters

    for line, language, body in fenced_blocks(doc):
        if language == "yaml":
            file = tmp_path / "parameters.yaml"
            file.write_text(body, encoding="utf-8")
            paths = parameters.notebook_paths()
            try:
                parameters.check_values(parameters.resolve_parameters(paths, parameters.load_parameter_file(str(file)), {}))
            except ParameterError as error:
                pytest.fail(f"{doc}:{line}: the runner refuses this parameter file: {error}")


def _origin() -> str | None:
    """owner/name of the repository's own address on GitHub, if it has one (read from .git, no network)."""
    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
    match = re.search(r"github\.com[:/]([^/]+/[^/]+?)(?:\.git)?/?$", url)
    return match.group(1) if match else None


def test_binder_links_open_this_repository_or_are_left_out():
    origin = _origin()
    for doc in (*DOCS, "CHANGELOG.md"):
        text = (PROJECT_ROOT / doc).read_text(encoding="utf-8")
        assert "OWNER/REPO" not in text, f"{doc}: a placeholder address"
        for repository in re.findall(r"https://mybinder\.org/v2/gh/([^/\s]+/[^/\s]+)/", text):
            assert repository == origin, f"{doc}: a Binder link to {repository}, but this repository's address is {origin}"


BROKEN = [
    "make bench --scale-only",
    "make bench BENCH_ARGS=--scale-only",
    "make bench BENCH_ARGS='--parts scales'",
    "make no-such-target",
    "papermill --help-notebook notebooks/02-casualties-by-side.ipynb",
    ".venv/bin/papermill notebooks/99-missing.ipynb /tmp/out.ipynb",
    ".venv/bin/papermill notebooks/02-casualties-by-side.ipynb /tmp/out.ipynb -p colour red",
    ".venv/bin/python -m pip install ipdb",
    ".venv/bin/python -m report --scale-only",
    ".venv/bin/python -m report -p colour red",
    ".venv/bin/python -m report --notebooks 09",
    ".venv/bin/python -m no_such_module",
    ".venv/bin/python -m pytest --no-such-option tests/test_text.py",
    ".venv/bin/uv pip install --python .venv/bin/python --constraints-file requirements.txt ipdb",
    ".venv/bin/ruff format --chek .",
    "ruff format .",
    "cat docs/no-such-file.md",
]


@pytest.mark.skipif(not VENV_PYTHON.exists(), reason="the docs' commands use .venv, which make creates")
@pytest.mark.parametrize("wrong", BROKEN)
def test_a_wrong_command_is_caught(wrong, tmp_path):
    """The checks are not vacuous: each of these (several once in the docs) is found wrong, and none of them runs."""
    assert check(shlex.split(wrong), (), True, tmp_path), f"{wrong!r} passed the checks"
