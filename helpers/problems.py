"""Problems found in the data, each located as precisely as known (file, row, column), and the error that lists them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .safe import shown

# Shown per error, so one broken column does not bury the others.
MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as known."""

    file: str
    row: int | None  # counted as in a spreadsheet: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        # Cell text in a message is cut short and shows what a terminal would hide (helpers.safe).
        where = [shown(self.file, 300)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{shown(self.column, 60)}'")
        return f"{', '.join(where)}: {shown(self.message, 400)}"


class DataError(ValueError):
    """The data package is missing, unreadable or breaks the schema."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown += f"\n  ... and {more} more"
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data:\n{shown}")


def spreadsheet_rows(mask: pd.Series) -> list[int]:
    """The rows where mask holds, numbered as in a spreadsheet: the header is row 1, the first data row 2."""
    return [int(i) + 2 for i in mask[mask].index]
