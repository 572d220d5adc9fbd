"""Run a notebook's own code in this process: each code cell with `exec`, in a fresh namespace, the
parameters injected after the parameters cell as papermill injects them, and IPython's display kept
(every output is built, as in a kernel, then dropped). The same Python a kernel runs, without a kernel:
fast enough to run every notebook on many generated data packages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

from report import parameters  # noqa: E402


@cache
def code_cells(path: Path) -> tuple[tuple[bool, str], ...]:
    """(is the parameters cell, source) of each code cell."""
    notebook = nbformat.read(path, as_version=4)
    return tuple(("parameters" in cell.metadata.get("tags", []), cell.source) for cell in notebook.cells if cell.cell_type == "code")


def run_in_process(path: Path, values: dict, shown: list | None = None) -> str:
    """Execute the notebook's cells with values for its parameters; raises whatever a cell raises. Returns the text of
    what it displayed (plain text, Markdown and HTML of every output). Given a list `shown`, appends to it each output
    as displayed: (the index of its code cell, its data by MIME type, its metadata)."""
    import IPython.display

    outputs: list[tuple[int, object, dict]] = []
    cell = 0
    original = IPython.display.display
    IPython.display.display = lambda *objects, metadata=None, **kwargs: outputs.extend((cell, o, metadata or {}) for o in objects)
    try:
        namespace: dict = {"__name__": "__main__"}
        for cell, (is_parameters, source) in enumerate(code_cells(path)):
            code = compile(source, f"{path.name}, cell {cell}", "exec")
            exec(code, namespace)  # noqa: S102 - the project's own notebook code
            if is_parameters:
                namespace.update(values)
    finally:
        IPython.display.display = original
        plt.close("all")
    if shown is not None:
        shown.extend(outputs)
    return "\n".join(
        str(data.get(mime, "")) for _, data, _ in outputs if isinstance(data, dict) for mime in ("text/plain", "text/markdown", "text/html")
    )


NOTEBOOKS = parameters.notebook_paths()
