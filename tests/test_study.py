"""The study a notebook runs and the one check of its parameters, shared by the runner and the notebooks."""

from __future__ import annotations

import re

import pytest

from conftest import ARTICLE, OTHER_SOURCE
from helpers.study import ParameterError, Study, check_parameters, open_study


@pytest.mark.parametrize(
    "values, message",
    [
        (
            {"source_id": ARTICLE, "side": "russian_forces"},
            "side 'russian_forces' is not one of: '' (both sides), armenian_forces, azerbaijani_forces",
        ),
        ({"source_id": ARTICLE, "side": 3}, "parameter side must be str, not int 3"),
        ({"source_id": "nobody"}, "source_id 'nobody' is not in sources.csv of {data}; sources with figures: {with_figures}"),
        # Empty source: every subject where the notebook compares sources (it has `measures`); an error elsewhere.
        ({"source_id": ""}, "source_id '' is not in sources.csv"),
        ({"source_id": ARTICLE, "measures": "deaths"}, "measures: unknown measure 'deaths'; the measures are: strikes, civilian_deaths"),
        ({"source_id": "", "measures": "", "min_sources": 0}, "min_sources must be at least 1, not 0"),
    ],
)
def test_a_parameter_the_notebooks_cannot_take_is_refused_by_name(bundled, values, message):
    with_figures = ", ".join(sorted(bundled.figures["source_id"].unique()))
    with pytest.raises(ParameterError, match=re.escape(message.format(data=bundled.data_dir, with_figures=with_figures))):
        check_parameters(values, bundled)


def test_a_source_without_figures_is_refused_naming_those_with(other):
    with pytest.raises(ParameterError, match="'example-ngo-2024' states no figures") as error:
        check_parameters({"source_id": "example-ngo-2024"}, other.dataset)
    assert OTHER_SOURCE in str(error.value)


def test_open_study_checks_loads_and_chooses(bundled):
    assert check_parameters({"source_id": "", "measures": ""}, bundled) is bundled
    study = open_study("", ARTICLE, "azerbaijani_forces", measures="civilian_deaths")
    assert isinstance(study, Study) and (study.source_id, study.sides) == (ARTICLE, ("azerbaijani_forces",))
    assert set(study.figures["source_id"]) == {ARTICLE} and (study.whole["subset"] == "").all()
    with pytest.raises(ParameterError, match="min_sources must be at least 1"):
        open_study("", "", measures="", min_sources=0)
