"""The study a notebook runs: the validated data, one source's figures, and the parameters, checked by check_parameters alone: the runner
calls it before any kernel starts, and open_study as a notebook's first step, so that a value is refused the same way by both."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .attribution import read_with_hedges
from .dataset import PROJECT_ROOT, Dataset, field_enum, load_dataset
from .row_rules import ATTACKING_SIDES

HARM_MEASURES = ("civilian_deaths", "civilian_injuries")
LOSS_MEASURES = ("military_deaths", "military_missing", "military_injuries")
COUNTED = ("strikes", *HARM_MEASURES)
# The notebooks' parameters and the types they declare: papermill passes whatever it is given.
PARAMETER_TYPES = {"data_dir": str, "source_id": str, "side": str, "measures": str, "subject": str, "min_sources": int, "charts_dir": str}


class ParameterError(ValueError):
    """A parameter value the notebooks cannot take."""


def data_folder(data_dir: str) -> Path | None:
    """Where data_dir points: None for the bundled data; a relative path from the project folder, wherever the runner or notebook starts."""
    if not data_dir:
        return None
    path = Path(data_dir).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def parse_measures(text: str) -> list[str]:
    """'civilian_deaths, strikes' -> the list; empty: all measures."""
    known = field_enum("figures", "measure")
    chosen = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise ParameterError(f"measures: unknown measure {', '.join(repr(m) for m in unknown)}; the measures are: {', '.join(known)}")
    return chosen


def check_source(dataset: Dataset, source_id: str) -> None:
    """The source must be in sources.csv and state figures; the message names the sources that do."""
    with_figures = ", ".join(sorted(dataset.figures["source_id"].unique())) or "none"
    if not (dataset.sources["source_id"] == source_id).any():
        raise ParameterError(f"source_id '{source_id}' is not in sources.csv of {dataset.data_dir}; sources with figures: {with_figures}")
    if not (dataset.figures["source_id"] == source_id).any():
        raise ParameterError(f"source_id '{source_id}' states no figures in {dataset.data_dir}; sources with figures: {with_figures}")


def check_parameters(values: dict, dataset: Dataset | None = None) -> Dataset:
    """The validated data, every parameter checked (empty source_id: all, where sources are compared); else ParameterError or DataError."""
    for name, value in values.items():
        expected = PARAMETER_TYPES.get(name)
        if expected is not None and type(value) is not expected:
            raise ParameterError(f"parameter {name} must be {expected.__name__}, not {type(value).__name__} {value!r}")
    if dataset is None:
        dataset = load_dataset(data_folder(values.get("data_dir", "")))
    side = values.get("side", "")
    if side not in ("", *ATTACKING_SIDES):
        raise ParameterError(f"side '{side}' is not one of: '' (both sides), {', '.join(ATTACKING_SIDES)}")
    if "source_id" in values and (values["source_id"] or "measures" not in values):
        check_source(dataset, values["source_id"])
    parse_measures(values.get("measures", ""))
    if values.get("min_sources", 1) < 1:
        raise ParameterError(f"min_sources must be at least 1, not {values['min_sources']}")
    return dataset


@dataclass(frozen=True)
class Study:
    """What a notebook analyses: the validated data, one source (empty: all sources), an optional side."""

    dataset: Dataset
    source_id: str
    side: str = ""

    @cached_property
    def figures(self) -> pd.DataFrame:
        """The source's figures (none chosen: all), each credited and read as the analysis reads it (attribution.read_with_hedges)."""
        figures = self.dataset.figures
        return read_with_hedges(self.dataset, figures[figures["source_id"] == self.source_id] if self.source_id else figures)

    @cached_property
    def whole(self) -> pd.DataFrame:
        """The source's figures about all of their subject, not about a part such as one family."""
        return self.figures[self.figures["subset"] == ""]

    @property
    def source(self) -> pd.Series:
        return self.dataset.sources.set_index("source_id").loc[self.source_id]

    @property
    def sides(self) -> tuple[str, ...]:
        """The attacking sides this study looks at."""
        return (self.side,) if self.side else ATTACKING_SIDES

    @cached_property
    def strikes(self) -> pd.DataFrame:
        return self.dataset.strikes.set_index("strike_id")


def open_study(data_dir: str = "", source_id: str = "", side: str = "", **others) -> Study:
    """A notebook's first step: check the parameters, load and validate the data, choose the source; else stop with a message."""
    return Study(check_parameters({"data_dir": data_dir, "source_id": source_id, "side": side, **others}), source_id, side)
