"""Sourced casualty figures of the 2020 Nagorno-Karabakh war: load, check, analyse, chart, and say.

One module per question (CONTRIBUTING.md has the map). Numbers: dataset, row_rules, quotes, bounds, attribution, study,
views, checks, gaps, ledger. Words: labels, text, text_gaps, text_ledger, tables. Charts: charts, charts_strikes,
charts_ledger. Showing: page. Messages: printable. The runner and the site are the report package, apart.
"""

from .dataset import BUNDLED_DATA_DIR, PROJECT_ROOT, DataError, Dataset, Problem, load_dataset

__all__ = ["BUNDLED_DATA_DIR", "PROJECT_ROOT", "DataError", "Dataset", "Problem", "load_dataset"]
