"""Sourced casualty figures of the 2020 Nagorno-Karabakh war: load, check, analyse, chart, and say.

Modules, one responsibility each:
- dataset: read the data package and validate it against data/datapackage.json
- analysis: per-side and per-strike views, consistency checks, coverage, the cross-source ledger
- charts: one function per chart, each returning a matplotlib Figure with a source line
- text: numbers, parties and places in words, and safe Markdown for notebook prose
- run: execute the notebooks into build/ (python -m helpers.run)
- site: the report as a site: page chrome, the entry page and the run record
- files: write report files atomically
"""

from .dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, DataError, Dataset, Problem, load_dataset

__all__ = ["BUNDLED_DATA_DIR", "PROJECT_ROOT", "DataError", "Dataset", "Problem", "load_dataset"]
