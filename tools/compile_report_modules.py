"""Write the bytecode of the modules the report runs on, once, into the venv.

Run by the Makefile after installing the report's packages, only where
PYTHONDONTWRITEBYTECODE is set (docs/packaging.md, "How make installs"): there
Python never caches what it compiles, and every later report would compile
pandas and Jupyter again. Importing the modules with writing allowed compiles
exactly what the report imports, far less than all of site-packages.

The imports run in two processes at once, split so that neither waits long for
the other: on two quiet cores that took 6 s against 9 to 10 s for one process.
Both import numpy, jupyter_client and the like; Python writes each cache file
to a temporary name and renames it, so the two never leave a torn file.
"""

import subprocess
import sys

# The runner imports papermill, nbconvert, nbclient, yaml and pygments; each kernel
# imports pandas, matplotlib and ipykernel. The groups weigh about the same.
GROUPS = (
    "pandas, yaml, pygments.lexers.python, nbclient",
    "matplotlib.pyplot, matplotlib_inline.backend_inline, ipykernel.kernelapp, ipykernel.ipkernel,"
    " papermill, nbconvert",
)


def main() -> int:
    processes = [
        subprocess.Popen([sys.executable, "-c", f"import sys; sys.dont_write_bytecode = False; import {modules}"])
        for modules in GROUPS
    ]
    failed = [modules for modules, process in zip(GROUPS, processes) if process.wait() != 0]
    for modules in failed:
        print(f"Could not import {modules}: the install into the venv is incomplete.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
