"""Write the bytecode of the modules the report runs on, once, into the venv.

Run by the Makefile after installing the report's packages, only where
PYTHONDONTWRITEBYTECODE is set (docs/packaging.md, "How make installs"): there
Python never caches what it compiles, and every later report would compile
pandas and Jupyter again. Compiling only what the report imports takes a
fraction of the time of compiling all of site-packages.

What the report imports is listed in tools/report-modules.txt, recorded by
`--record` (which `make lock` runs, since only a new lock changes it). The
listed files are compiled in two processes at once, without running them: on
two quiet cores 2.7 s, against 5.6 s for importing the modules with writing
allowed in two processes and 9 to 10 s in one. A module missing from the list
(another platform or Python) still works: Python compiles it as it imports it,
in memory, on every run. Without the list, the modules are imported instead.

Usage: compile_report_modules.py [--record [FILE]]
"""

import subprocess
import sys
import sysconfig
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

MANIFEST = Path(__file__).with_name("report-modules.txt")
# What the runner imports (papermill, nbconvert, nbclient, yaml, pygments) and each kernel (pandas, matplotlib,
# ipykernel), besides the project's own helpers. Split in two groups of about the same weight for the fallback.
GROUPS = (
    "pandas, yaml, pygments.lexers.python, nbclient",
    "matplotlib.pyplot, matplotlib_inline.backend_inline, ipykernel.kernelapp, ipykernel.ipkernel, papermill, nbconvert",
)
HELPERS = "report.run, report.site, helpers.page, helpers.charts, helpers.charts_ledger, helpers.tables, helpers.gaps"


def installed_folders() -> list[Path]:
    """Where the venv's packages live (site-packages; the same folder twice on most systems)."""
    return sorted({Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")})


def record(manifest: Path = MANIFEST) -> int:
    """Import what the report imports and write the names of the modules that came from the venv's packages.

    Modules already imported when Python started are left out: they come from the venv's .pth files, which
    depend on how the venv was made (one whose pip came from ensurepip also has setuptools' _distutils_hack),
    not on what the report imports, and Python compiles them at every start anyway.
    """
    at_start = set(sys.modules)
    for modules in (*GROUPS, HELPERS):
        for name in modules.split(", "):
            __import__(name)
    folders = installed_folders()
    names = sorted(
        name
        for name, module in list(sys.modules.items())
        if name not in at_start
        and str(getattr(module, "__file__", None) or "").endswith(".py")
        and any(Path(module.__file__).resolve().is_relative_to(folder) for folder in folders)
    )
    header = f"# Modules the report imports from installed packages, recorded on Python {sys.version_info[0]}.{sys.version_info[1]}, {sys.platform}.\n"
    manifest.write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"Recorded {len(names)} modules in {manifest.name}.")
    return 0


def source_of(name: str, folders: list[Path]) -> Path | None:
    """The file of a module, found by its name without importing it: a/b.py, or a/b/__init__.py for a package."""
    relative = Path(*name.split("."))
    for folder in folders:
        for candidate in (folder / relative.with_suffix(".py"), folder / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def compile_file(path: Path) -> bool:
    import py_compile

    # Timestamps, as Python's own cache uses, so that imports check the file's date, not a hash of its text.
    mode = py_compile.PycInvalidationMode.TIMESTAMP
    return py_compile.compile(str(path), doraise=False, quiet=1, invalidation_mode=mode) is not None


def import_groups() -> int:
    """The fallback: import the modules with writing allowed, two groups at once."""
    command = "import sys; sys.dont_write_bytecode = False; import {}"
    processes = [subprocess.Popen([sys.executable, "-c", command.format(modules)]) for modules in GROUPS]
    failed = [modules for modules, process in zip(GROUPS, processes) if process.wait() != 0]
    for modules in failed:
        print(f"Could not import {modules}: the install into the venv is incomplete.", file=sys.stderr)
    return 1 if failed else 0


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["--record"] and len(arguments) <= 2:
        return record(Path(arguments[1]) if len(arguments) == 2 else MANIFEST)
    if arguments:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    if not MANIFEST.is_file():
        return import_groups()
    folders = installed_folders()
    names = [line for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    files = [path for path in (source_of(name, folders) for name in names) if path is not None]
    with ProcessPoolExecutor(max_workers=2) as pool:
        compiled = sum(pool.map(compile_file, files, chunksize=25))
    if compiled < len(files):
        print(f"Compiled {compiled} of the report's {len(files)} modules; the rest compile as they are imported.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
