"""Kernels that the tests start (papermill, nbval, JupyterLab) import helpers from this project, as the
tests themselves do, even after a plain (not editable) `pip install ".[test]"`: the installed copy has no
data/ or notebooks/ beside it. (`python -m helpers.run` does the same for its kernels.)"""

import os
from pathlib import Path

os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH")]))
