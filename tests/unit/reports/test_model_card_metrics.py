"""The plain metrics file, and what every kind shares: the registry, card-ready groups."""

from __future__ import annotations

import copy

import pytest

from cardinal.content.reports import PARSERS, ReportError, parse_report
from cardinal.domain.errors import InvalidInput
from cardinal.domain.report_kinds import ReportKind
from tests.unit.reports.support import FIXTURES, card_with, load, metric_types

ALL_TYPES = {"number", "string", "boolean", "linear_graph", "bar_chart", "matrix"}


def test_the_plain_file_passes_through_with_null_optional_fields_dropped() -> None:
    report = load("model_card_metrics.all-types.json")
    expected = copy.deepcopy(report["metric_groups"])
    del expected[1]["metric_data"][1]["notes"]  # "notes": null
    groups = parse_report(report, ReportKind.MODEL_CARD_METRICS, "m.json")
    assert groups == expected
    assert metric_types(groups) == ALL_TYPES
    card_with(groups)


def test_a_group_keeps_only_its_name_and_metrics() -> None:
    report = {"metric_groups": [{"name": "g", "owner": "x", "metric_data": []}], "extra": 1}
    assert parse_report(report, ReportKind.MODEL_CARD_METRICS, "m.json") == [
        {"name": "g", "metric_data": []}
    ]


def test_the_groups_are_copies_of_the_report() -> None:
    report = load("model_card_metrics.all-types.json")
    groups = parse_report(report, ReportKind.MODEL_CARD_METRICS, "m.json")
    groups[1]["metric_data"][0]["value"].append([2.0, 0.5])
    assert report["metric_groups"][1]["metric_data"][0]["value"][-1] == [1.0, 1.0]


def test_every_kind_has_a_parser() -> None:
    assert set(PARSERS) == set(ReportKind)


@pytest.mark.parametrize(("name", "kind"), FIXTURES.items())
def test_every_fixture_makes_groups_a_card_accepts(name: str, kind: ReportKind) -> None:
    groups = parse_report(load(name), kind, name)
    assert groups
    assert all(set(group) == {"name", "metric_data"} for group in groups)
    content = card_with(groups)
    assert content["evaluation_details"][0]["metric_groups"] == groups


def test_report_errors_are_invalid_input() -> None:
    assert issubclass(ReportError, InvalidInput)
    with pytest.raises(InvalidInput) as caught:
        parse_report([], ReportKind.MODEL_CARD_METRICS, "m.json")
    assert isinstance(caught.value, ReportError)
    assert caught.value.source == "m.json"
    assert caught.value.path == "$"
