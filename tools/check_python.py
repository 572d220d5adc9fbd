"""Stop with a plain message when this Python is older than pyproject.toml's requires-python.

Run by the Makefile before anything is installed. Without it, an older Python fails
later, on some pinned package that has no release for it, with a message that names
that package instead of the Python version. Written for any Python (no f-strings,
no tomllib) so that it can speak to the old ones it turns away.
"""

import os
import re
import sys

PYPROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "pyproject.toml")


def required_version(pyproject_text):
    """The (major, minor) in `requires-python = ">=X.Y"`."""
    match = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', pyproject_text, re.MULTILINE)
    if match is None:
        raise ValueError("pyproject.toml has no requires-python = \">=X.Y\"")
    return int(match.group(1)), int(match.group(2))


def problem(found, needed, executable):
    """A message naming what is needed and what was found, or None when found is new enough."""
    if tuple(found[:2]) >= needed:
        return None
    return (
        "This project needs Python {0}.{1} or newer; {2} is Python {3}.{4}.{5}.\n"
        "Install Python {0}.{1} or newer and run make again with it, e.g. make report PYTHON_BASE=python{0}.{1}"
        " (or remove .venv if it was made with the old one)."
    ).format(needed[0], needed[1], executable, found[0], found[1], found[2])


def main():
    with open(PYPROJECT) as handle:
        needed = required_version(handle.read())
    message = problem(sys.version_info, needed, sys.executable)
    if message:
        sys.stderr.write(message + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
