"""The notebooks' parameters: found with papermill, checked strictly, converted from what the user gave.

Unlike bare papermill, nothing runs on a parameter the notebooks do not
declare, a name that is not a Python identifier, a value of the wrong type,
or a value study.check_parameters refuses (bad data, an unknown source, side
or measure): each is a ParameterError naming the parameter and listing the
notebooks' parameters.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Hashable
from pathlib import Path
from typing import NamedTuple

from helpers.dataset import PROJECT_ROOT, DataError, load_dataset
from helpers.printable import printable
from helpers.study import ParameterError, check_parameters, data_folder

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# Parameters the runner sets itself: charts go into the run's own folder.
RUNNER_PARAMETERS = ("charts_dir",)
TYPES = {"str": str, "int": int, "float": float, "bool": bool}


def notebook_paths(selection: str = "") -> list[Path]:
    """The notebooks in reading order; selection like '01,03' keeps those whose names start so."""
    paths = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
    wanted = [s.strip() for s in selection.split(",") if s.strip()]
    unknown = [w for w in wanted if not any(p.name.startswith(w) for p in paths)]
    if unknown:
        raise ParameterError(f"no notebook matches {', '.join(unknown)}; the notebooks are: {', '.join(p.name for p in paths)}")
    return [p for p in paths if not wanted or any(p.name.startswith(w) for w in wanted)]


class Parameter(NamedTuple):
    """One parameter a notebook declares."""

    name: str
    type_name: str
    default: object
    help: str


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The parameters declared in the notebook's cell tagged 'parameters', as papermill finds them.

    Stricter than papermill: every line of that cell must be `name: type = literal  # help`.
    """
    import nbformat
    import papermill

    try:
        cells = [c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", [])]
    # nbformat's NotJSONError is a ValueError; a JSON file that is no notebook ('{}') fails its conversion with a ValidationError.
    except (OSError, ValueError, KeyError, AttributeError, TypeError, RecursionError, nbformat.ValidationError) as error:
        raise ParameterError(f"{path.name} is not a readable notebook (a merge conflict, an empty file?): {printable(error)}") from None
    if len(cells) != 1:
        raise ParameterError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    try:
        statements = ast.parse(cells[0].source).body
    except SyntaxError as error:
        raise ParameterError(f"{path.name}: the parameters cell is not valid Python, line {error.lineno}: {printable(error.msg)}") from None
    found = papermill.inspect_notebook(str(path))
    if len(found) != len(statements) or not all(isinstance(s, ast.AnnAssign) and s.value is not None for s in statements):
        raise ParameterError(f"{path.name}: the parameters cell may hold only `name: type = literal  # comment` lines")
    parameters = {}
    for name, found_one in found.items():
        type_name = found_one["inferred_type_name"]
        if type_name not in TYPES:
            raise ParameterError(f"{path.name}: parameter {name} has type {type_name}; use one of {', '.join(TYPES)}")
        try:
            default = ast.literal_eval(found_one["default"])
        except (ValueError, SyntaxError):
            raise ParameterError(f"{path.name}: parameter {name} must default to a literal, not {found_one['default']}") from None
        parameters[name] = Parameter(name, type_name, default, found_one["help"])
    return parameters


def describe_parameters(paths: list[Path]) -> str:
    lines = []
    for path in paths:
        lines.append(f"  {path.name}:")
        for p in notebook_parameters(path).values():
            lines.append(f"    {p.name}: {p.type_name} = {p.default!r}  # {p.help}")
    return "\n".join(lines)


def _convert(parameter: Parameter, value: object, given_as_text: bool) -> object:
    """The value in the parameter's type; text from the command line is converted, YAML values must already fit."""
    expected = TYPES[parameter.type_name]
    if given_as_text and isinstance(value, str):
        try:
            if expected is bool:
                if value.lower() not in ("true", "false"):
                    raise ValueError(value)
                return value.lower() == "true"
            return expected(value)
        except ValueError:
            raise ParameterError(f"parameter {parameter.name} must be {parameter.type_name}, not {printable(repr(value), 120)}") from None
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not expected:
        raise ParameterError(
            f"parameter {parameter.name} must be {parameter.type_name}, not {type(value).__name__} {printable(repr(value), 120)}"
        )
    return value


def resolve_parameters(paths: list[Path], from_file: dict, from_command_line: dict) -> dict[Path, dict]:
    """Per notebook, the parameters it gets. Raises ParameterError naming what is wrong and listing the parameters.

    In the file, a key naming a notebook (its number, e.g. "05", or its name) holds parameters for that
    notebook only, e.g. `"05": {source_id: ""}` to compare every subject in notebook 05 alone. Values from
    the command line go to every notebook and win over the file's.
    """
    declared = {path: notebook_parameters(path) for path in paths}
    sections = {key: value for key, value in from_file.items() if isinstance(value, dict)}
    common = [(name, value, False) for name, value in from_file.items() if name not in sections]
    command_line = [(name, value, True) for name, value in from_command_line.items()]
    resolved = {path: {} for path in paths}
    for given, chosen in [
        (common, paths),
        *[(_section(key, value), _section_paths(key, paths)) for key, value in sections.items()],
        (command_line, paths),
    ]:
        values = _checked_values(given, [declared[path] for path in chosen] or list(declared.values()), paths)
        for path in chosen:
            resolved[path].update({name: value for name, value in values.items() if name in declared[path]})
    return resolved


def _section(key: str, section: dict) -> list[tuple]:
    return [(name, value, False) for name, value in section.items()]


def _section_paths(key: object, paths: list[Path]) -> list[Path]:
    """The notebooks (of those being run) a file section names; a name that matches no notebook is an error."""
    every = notebook_paths()
    if not isinstance(key, str) or not any(p.name.startswith(key) or p.stem == key for p in every):
        raise ParameterError(
            f"the parameter file has a section {key!r} that names no notebook; the notebooks are: {', '.join(p.stem for p in every)}"
        )
    return [p for p in paths if p.name.startswith(key) or p.stem == key]


def _checked_values(given: list[tuple], declared: list[dict[str, Parameter]], paths: list[Path]) -> dict[str, object]:
    """Names and values checked against what the notebooks declare, converted to the declared types."""
    known = {name: p for params in declared for name, p in params.items()}
    values: dict[str, object] = {}
    for name, value, as_text in given:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ParameterError(
                f"parameter name {name!r} is not a Python identifier\nThe notebooks' parameters are:\n{describe_parameters(paths)}"
            )
        if name in RUNNER_PARAMETERS:
            raise ParameterError(f"parameter {name} is set by the runner (charts go to build/charts)")
        if name not in known:
            raise ParameterError(f"unknown parameter {name!r}\nThe notebooks' parameters are:\n{describe_parameters(paths)}")
        values[name] = _convert(known[name], value, as_text)
        if isinstance(values[name], str):
            _check_injectable(name, values[name])
    return values


def _check_injectable(name: str, value: str) -> None:
    """Papermill writes values into code: make sure this one reads back as exactly the same string."""
    from papermill.translators import PythonTranslator

    code = PythonTranslator.translate(value)
    try:
        same = ast.literal_eval(code) == value
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise ParameterError(f"parameter {name}: the value {value!r} cannot be passed to a notebook safely")


def check_values(per_notebook: dict[Path, dict]) -> None:
    """Each notebook's values checked as the notebook itself will check them, before any kernel starts."""
    datasets = {}
    for path, given in per_notebook.items():
        # The values the notebook will run with: its defaults, then what was given (own data without
        # the default source is refused here, not in a kernel).
        values = {name: p.default for name, p in notebook_parameters(path).items() if name not in RUNNER_PARAMETERS} | given
        data_dir = values.get("data_dir", "")
        try:
            if data_dir not in datasets:
                datasets[data_dir] = load_dataset(data_folder(data_dir))
            check_parameters(values, datasets[data_dir])
        except DataError as error:
            raise ParameterError(f"data_dir '{printable(data_dir, 120)}': {error}") from None
        except ParameterError as error:
            # Named, as the overview runs with every report: a value it refuses may be one given for another notebook.
            raise ParameterError(f"{path.stem}: {error}") from None
        except OSError as error:
            # A path the file system refuses (a name too long, a loop of links): the parameter is at fault, not the report.
            raise ParameterError(f"data_dir '{printable(data_dir, 120)}' cannot be read: {error.strerror or error}") from None


# A parameter file holds a few names and values: anything beyond these limits is refused before it is read further.
MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 3  # names, a notebook's section of names, a value


def load_parameter_file(path: str) -> dict:
    """The file's mapping of parameter names to values, read as safe YAML without aliases or duplicate keys."""
    import yaml

    file = Path(path)
    if not file.is_file():
        raise ParameterError(f"parameter file {path} does not exist")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise ParameterError(f"parameter file {path} is {file.stat().st_size:,} bytes; a parameter file is at most {MAX_FILE_BYTES:,}")
    try:
        content = yaml.load(file.read_text(encoding="utf-8"), Loader=_strict_loader())  # noqa: S506 - a SafeLoader, stricter
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as error:
        raise ParameterError(f"parameter file {path} is not valid YAML: {printable(error, 400)}") from None
    except ParameterError as error:
        raise ParameterError(f"parameter file {path}: {error}") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ParameterError(f"parameter file {path} must be a mapping of parameter names to values, e.g. 'source_id: my-source'")
    return content


def _strict_loader():
    """yaml's SafeLoader that refuses aliases (a bomb of nested aliases takes minutes and all memory), nesting deeper than
    MAX_DEPTH, and a key given twice (the last would silently win)."""
    import yaml

    class StrictLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise ParameterError(f"line {self.peek_event().start_mark.line + 1}: aliases (*name) are not accepted")
            self.depth += 1
            if self.depth > MAX_DEPTH + 1:
                raise ParameterError(f"line {self.peek_event().start_mark.line + 1}: nested deeper than a parameter file needs")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable):
                    continue  # yaml itself refuses it, with its line
                if key in seen:
                    raise ParameterError(f"line {key_node.start_mark.line + 1}: {printable(repr(key), 80)} is given twice")
                seen.add(key)
            return super().construct_mapping(node, deep)

    return StrictLoader
