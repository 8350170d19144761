"""SVG charts: well-formed XML whatever the data, escaped labels, the same drawing every time."""

from __future__ import annotations

import base64
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from cardinal.documents.charts import BarChart, HeatMap, LineChart
from tests.unit.documents.reading import SVG_NAMESPACE, svg_texts

HOSTILE = '<s>"&amp;</s>\u0000'
SHOWN = '<s>"&amp;</s>\ufffd'
AWKWARD_NUMBERS: list[Any] = [math.nan, math.inf, -math.inf, -3.5, 0, 1e300, -1e300, 5e-324]


def _parse(chart: BarChart | LineChart | HeatMap) -> ET.Element:
    svg = ET.fromstring(str(chart.svg()))
    assert svg.tag == f"{SVG_NAMESPACE}svg"
    assert float(svg.get("height", "0")) > 0
    return svg


def _tags(svg: ET.Element, tag: str) -> list[ET.Element]:
    return list(svg.iter(f"{SVG_NAMESPACE}{tag}"))


def test_a_bar_chart_draws_a_bar_per_finite_value_with_its_label() -> None:
    chart = BarChart.of([0.5, -0.25, 2], ["low", "negative", "high"], "Rate")
    svg = _parse(chart)
    assert len(_tags(svg, "rect")) == 3
    texts = svg_texts(svg)
    for label in ("low", "negative", "high", "Rate", "0.5", "-0.25", "2"):
        assert label in texts


@pytest.mark.parametrize(
    "values", [[], AWKWARD_NUMBERS, [math.nan], ["text", None, [1]], [7], [5e-324], [-5e-324, 0]]
)
def test_a_bar_chart_survives_awkward_values(values: list[Any]) -> None:
    svg = _parse(BarChart.of(values, None, None))
    finite = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    assert len(_tags(svg, "rect")) == len(finite)
    for number in ("x", "y", "width", "height"):
        for rect in _tags(svg, "rect"):
            assert math.isfinite(float(rect.get(number, "nan")))


def test_a_line_chart_breaks_where_points_are_missing() -> None:
    points = [[0, 0], [1, 1], [2, math.nan], [3, 3], [4, 2], "bad", [5, 5, 5]]
    svg = _parse(LineChart.of(points, "Recall", "Precision"))
    assert len(_tags(svg, "polyline")) == 2  # (0,0)-(1,1) and (3,3)-(4,2)
    (points_path,) = [p for p in _tags(svg, "path") if p.get("data-marks") == "points"]
    assert points_path.get("d", "").count("M") == 4  # one dot per plottable point
    assert {"Recall", "Precision"} <= set(svg_texts(svg))


@pytest.mark.parametrize(
    "points", [[], [[1, 1]], [[math.inf, 1], [2, -math.inf]], [[0, 1e308], [1, -1e308]]]
)
def test_a_line_chart_survives_awkward_points(points: list[Any]) -> None:
    _parse(LineChart.of(points, None, None))


def test_a_heat_map_has_a_cell_per_value_and_the_axis_labels() -> None:
    svg = _parse(HeatMap.of([[1, 2, 3], [4, 5, 6]], ["a", "b", "c"], ["row 1", "row 2"]))
    cells = [rect for rect in _tags(svg, "rect") if rect.get("stroke") == "#ffffff"]
    assert len(cells) == 6
    texts = svg_texts(svg)
    for label in ("a", "b", "c", "row 1", "row 2", "1", "6"):
        assert label in texts
    assert cells[0].get("fill") != cells[-1].get("fill")


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [[]],
        [[math.nan, math.inf]],
        [[1], [1, 2, 3]],
        [[5, 5], [5, 5]],
        [[-1e308, 1e308]],
        [[0, 5e-324]],
    ],
)
def test_a_heat_map_survives_awkward_matrices(rows: list[Any]) -> None:
    _parse(HeatMap.of(rows, None, None))


def test_labels_are_escaped_and_stripped_of_characters_xml_forbids() -> None:
    charts = (
        BarChart.of([1, 2], [HOSTILE, "b"], HOSTILE),
        LineChart.of([[0, 1], [1, 2]], HOSTILE, HOSTILE),
        HeatMap.of([[1, 2]], [HOSTILE, "x"], [HOSTILE]),
    )
    for chart in charts:
        text = str(chart.svg())
        assert "<s>" not in text
        assert SHOWN in svg_texts(_parse(chart))


def test_the_drawing_is_deterministic() -> None:
    def draw() -> list[str]:
        return [
            str(BarChart.of([0.1, 0.7], ["x", "y"], "v").svg()),
            str(LineChart.of([[0, 0.3], [1, 0.9]], "t", "v").svg()),
            str(HeatMap.of([[1, 2], [3, 4]], ["a", "b"], ["c", "d"]).svg()),
        ]

    assert draw() == draw()


@pytest.mark.parametrize(
    "chart",
    [
        BarChart.of([0.1, 0.7], ["x", HOSTILE], "v"),
        LineChart.of([[0, 0.3], [1, 0.9]], HOSTILE, "v"),
        HeatMap.of([[1, 2], [3, 4]], ["a", "b"], ["c", HOSTILE]),
        BarChart.of([], None, None),
    ],
)
def test_a_chart_as_an_image_is_the_same_drawing(chart: BarChart | LineChart | HeatMap) -> None:
    image = re.fullmatch(
        r'<img src="data:image/svg\+xml;base64,([^"]*)" alt="([^"]*)">', chart.image()
    )
    assert image is not None
    assert image[2] == chart.kind
    assert base64.b64decode(image[1]).decode() == str(chart.svg())


def test_long_and_wide_labels_are_cut_to_fit() -> None:
    label = "数据" * 80
    svg = _parse(BarChart.of([1] * 40, [label] * 40, None))
    texts = [t for t in svg_texts(svg) if t.startswith("数据")]
    assert texts
    assert all(t.endswith("…") and len(t) < 20 for t in texts)


def test_huge_numbers_and_huge_labels_are_drawn() -> None:
    label = "x" * 100_000
    for chart in (
        BarChart.of([10**400, -(10**400), 1], [label, "b", "c"], label),
        LineChart.of([[10**400, 1], [2, 3]], label, None),
        HeatMap.of([[10**400, 1]], [label, "b"], [label]),
    ):
        texts = svg_texts(_parse(chart))
        assert all(len(text) < 200 for text in texts)
