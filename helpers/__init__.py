"""Sourced casualty figures of the 2020 Nagorno-Karabakh war: load, check, analyse, chart, and say; one module per question
(CONTRIBUTING.md has the map). The runner and the site are the report package, apart."""

from .dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, DataError, Dataset, Problem, load_dataset

__all__ = ["BUNDLED_DATA_DIR", "PROJECT_ROOT", "DataError", "Dataset", "Problem", "load_dataset"]
