"""SVG charts for the chart metrics of a card: bar charts, line charts and heat maps.

Each chart is a small frozen description of the metric (:meth:`BarChart.of` and friends accept
whatever the content holds) whose ``svg()`` draws it (``image()``: the same drawing as an
image). The drawing is deterministic (fixed sizes, coordinates rounded to 0.1), every text goes
through ``markupsafe`` escaping and loses the characters XML forbids, and NaN, infinities,
negative numbers, non-numbers and empty data are drawn as gaps or "n/a" rather than failing.
The numbers themselves are printed beside each chart by the document (rounded as everywhere,
:func:`~cardinal.documents.text.number_text`), so a chart only has to be readable.
"""

from __future__ import annotations

import base64
import math
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup

from cardinal.documents.text import SIGNIFICANT_DIGITS, is_number, number_text, text_of

FONT = "'DejaVu Sans', 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
WIDTH = 640
INK, GRID, BAR, MISSING = "#1f2933", "#d9dee5", "#3b6ea5", "#8a94a3"
_LOW, _HIGH = (247, 251, 255), (8, 48, 107)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _Chart(ABC):
    kind: ClassVar[str]

    @abstractmethod
    def svg(self) -> Markup: ...

    def image(self) -> Markup:
        """The drawing as an ``<img>`` of an SVG ``data:`` URL, for the PDF: WeasyPrint's HTML
        parser reads an inline ``<svg>`` token by token, several times slower than the XML
        parser that reads an image's SVG."""
        encoded = base64.b64encode(str(self.svg()).encode()).decode("ascii")
        return Markup('<img src="data:image/svg+xml;base64,{}" alt="{}">').format(
            encoded, self.kind
        )


@dataclass(frozen=True)
class BarChart(_Chart):
    """A ``bar_chart`` metric: one bar per value, labelled by ``x_axis_name`` where given."""

    kind = "bar chart"

    raw: tuple[Any, ...]
    labels: tuple[str, ...]
    x_title: str | None
    y_title: str | None

    @classmethod
    def of(cls, values: Sequence[Any], x_axis: Any, y_axis: Any) -> BarChart:
        x_title, x_labels = _axis(x_axis)
        size = max(len(values), len(x_labels))
        raw = tuple(values) + (None,) * (size - len(values))
        return cls(raw, _labels(x_labels, size), x_title, _axis_title(y_axis))

    def svg(self) -> Markup:
        return _bar_chart(self)


@dataclass(frozen=True)
class LineChart(_Chart):
    """A ``linear_graph`` metric: ``[x, y]`` points joined in the order given."""

    kind = "line chart"

    raw: tuple[tuple[Any, Any], ...]
    x_title: str | None
    y_title: str | None

    @classmethod
    def of(cls, points: Sequence[Any], x_axis: Any, y_axis: Any) -> LineChart:
        raw = tuple(
            (p[0], p[1]) if isinstance(p, list) and len(p) == 2 else (p, None) for p in points
        )
        return cls(raw, _axis_title(x_axis), _axis_title(y_axis))

    def svg(self) -> Markup:
        return _line_chart(self)


@dataclass(frozen=True)
class HeatMap(_Chart):
    """A ``matrix`` metric: rows of cells, columns and rows named by the axis names."""

    kind = "heat map"

    raw: tuple[tuple[Any, ...], ...]
    column_labels: tuple[str, ...]
    row_labels: tuple[str, ...]
    x_title: str | None
    y_title: str | None

    @classmethod
    def of(cls, rows: Sequence[Any], x_axis: Any, y_axis: Any) -> HeatMap:
        cells = [tuple(row) if isinstance(row, list) else (row,) for row in rows]
        x_title, x_labels = _axis(x_axis)
        y_title, y_labels = _axis(y_axis)
        width = max([len(x_labels), *(len(row) for row in cells)])
        height = max(len(cells), len(y_labels))
        cells += [()] * (height - len(cells))
        raw = tuple(row + (None,) * (width - len(row)) for row in cells)
        return cls(raw, _labels(x_labels, width), _labels(y_labels, height), x_title, y_title)

    def svg(self) -> Markup:
        return _heat_map(self)


def _axis(value: Any) -> tuple[str | None, tuple[str, ...]]:
    """An axis name is a title (a string) or one label per bar/column/row (a list)."""
    if isinstance(value, list):
        return None, tuple(text_of(item) for item in value)
    return _axis_title(value), ()


def _axis_title(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return ", ".join(text_of(item) for item in value)
    return text_of(value)


def _labels(given: tuple[str, ...], size: int) -> tuple[str, ...]:
    return given + tuple(str(index) for index in range(len(given) + 1, size + 1))


def _number(value: Any) -> float:
    if not is_number(value):
        return math.nan
    try:
        return float(value)
    except OverflowError:  # an integer beyond any float
        return math.inf if value > 0 else -math.inf


def _short(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    return number_text(value, digits) if math.isfinite(value) else "n/a"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", " ".join(text.split()))


def _text_width(text: str, size: float) -> float:
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return size * (0.62 * (len(text) - wide) + 1.0 * wide)


def _fit(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (the full text is in the table)."""
    # No character is narrower than 0.62 em, so nothing past this many can be shown.
    text = _clean(text[: int(width / (0.62 * size)) + 2])
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _c(value: float) -> str:
    return f"{value:.1f}"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 10,
    anchor: str = "middle",
    rotate: float | None = None,
    fill: str = INK,
    bold: bool = False,
) -> Markup:
    turn = f"rotate({rotate:g} {_c(x)} {_c(y)})" if rotate is not None else None
    return Markup(
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}{}>{}</text>'
    ).format(
        _c(x),
        _c(y),
        f"{size:g}",
        anchor,
        fill,
        Markup(' transform="{}"').format(turn) if turn else "",
        Markup(' font-weight="bold"') if bold else "",
        _clean(text),
    )


def _svg(height: float, label: str, body: list[Markup]) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" role="img" aria-label="{label}" font-family="{font}">{body}</svg>'
    ).format(w=WIDTH, h=_c(height), label=_clean(label), font=FONT, body=Markup("").join(body))


def _path(d: str, *, stroke: str | None = None, fill: str = "none", marks: str = "") -> Markup:
    """One path for many strokes or shapes of the same colour: fewer elements to lay out."""
    if not d:
        return Markup("")
    return Markup('<path d="{}" fill="{}"{}{}/>').format(
        d,
        fill,
        Markup(' stroke="{}"').format(stroke) if stroke else "",
        Markup(' data-marks="{}"').format(marks) if marks else "",
    )


def _no_data(kind: str) -> Markup:
    return _svg(40, f"{kind}: no data", [_text(WIDTH / 2, 24, "No data", fill=MISSING)])


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if high == low:
        pad = abs(low) * 0.5 or 1.0
        low, high = low - pad, high + pad
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return [low, high]
    raw = span / count
    if raw <= 0:  # a span of a few subnormal numbers
        return [low, high]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    if step <= 0 or not math.isfinite(step):
        return [low, high]
    start, stop = math.floor(low / step), math.ceil(high / step)
    if stop - start > 4 * count:
        return [low, high]
    return [index * step for index in range(start, stop + 1)]


class _Scale:
    """Maps data values low..high onto pixels start..end (end may be above start)."""

    def __init__(self, ticks: list[float], start: float, end: float) -> None:
        self.low, self.high, self.start, self.end = ticks[0], ticks[-1], start, end
        self.ticks = ticks

    def __call__(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        if not math.isfinite(share):
            share = 0.5
        return self.start + min(max(share, -0.05), 1.05) * (self.end - self.start)


def _y_axis(
    scale: _Scale, left: float, right: float, title: str | None, top: float, bottom: float
) -> list[Markup]:
    lines = " ".join(f"M{_c(left)} {_c(scale(tick))}H{_c(right)}" for tick in scale.ticks)
    out = [_path(lines, stroke=GRID)]
    for tick in scale.ticks:
        out.append(_text(left - 6, scale(tick) + 3.5, _short(tick), size=9, anchor="end"))
    if title:
        middle = (top + bottom) / 2
        out.append(_text(14, middle, _fit(title, bottom - top, 10), rotate=-90, bold=True))
    return out


def _bar_chart(chart: BarChart) -> Markup:
    if not chart.raw:
        return _no_data(BarChart.kind)
    values = [_number(v) for v in chart.raw]
    finite = [v for v in values if math.isfinite(v)]
    ticks = _ticks(min([0.0, *finite]), max([0.0, *finite]))
    left, top, plot_height = 64.0 + (18 if chart.y_title else 0), 14.0, 220.0
    band = (WIDTH - left - 12) / len(values)
    every = math.ceil(len(values) / 40)
    shown = [_fit(label, 110, 10) for label in chart.labels]
    flat = all(_text_width(label, 10) <= band * every * 0.95 for label in shown[::every])
    label_room = 16.0
    if not flat:
        slant = max(_text_width(s, 10) for s in shown[::every]) * 0.72
        label_room = slant + 14
        # A turned label reaches left of its bar; the first one must stay inside the chart.
        left = max(left, slant - band / 2 + 4)
        band = (WIDTH - left - 12) / len(values)
    height = top + plot_height + label_room + (20 if chart.x_title else 4)
    scale = _Scale(ticks, top + plot_height, top)
    out = _y_axis(scale, left, WIDTH - 12, chart.y_title, top, top + plot_height)
    zero = scale(0.0)
    for index, value in enumerate(values):
        middle = left + band * (index + 0.5)
        if not math.isfinite(value):
            if len(values) <= 40:
                out.append(_text(middle, zero - 4, "n/a", size=8, fill=MISSING))
            continue
        y = scale(value)
        out.append(
            Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>').format(
                _c(middle - band * 0.35), _c(min(y, zero)), _c(band * 0.7), _c(abs(zero - y)), BAR
            )
        )
        if len(values) <= 24 and _text_width(_short(value), 8) <= band:
            if value >= 0:
                out.append(_text(middle, y - 3, _short(value), size=8))
            elif zero - y < -14:  # a long negative bar: inside its end, clear of the labels
                out.append(_text(middle, y - 4, _short(value), size=8, fill="#ffffff"))
            else:
                out.append(_text(middle, y + 10, _short(value), size=8))
    out.append(
        Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>').format(
            _c(left), _c(zero), _c(WIDTH - 12), _c(zero), INK
        )
    )
    base = top + plot_height
    for index in range(0, len(values), every):
        middle = left + band * (index + 0.5)
        if flat:
            out.append(_text(middle, base + 13, shown[index]))
        else:
            out.append(_text(middle + 3, base + 10, shown[index], anchor="end", rotate=-45))
    if chart.x_title:
        out.append(_text((left + WIDTH) / 2, height - 6, _fit(chart.x_title, 400, 10), bold=True))
    return _svg(height, BarChart.kind, out)


def _line_chart(chart: LineChart) -> Markup:
    if not chart.raw:
        return _no_data(LineChart.kind)
    points = [(_number(x), _number(y)) for x, y in chart.raw]
    good = [(x, y) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    xs, ys = [x for x, _ in good] or [0.0], [y for _, y in good] or [0.0]
    left, top, plot_height = 64.0 + (18 if chart.y_title else 0), 14.0, 240.0
    right, base = WIDTH - 16.0, top + plot_height
    height = base + 24 + (20 if chart.x_title else 0)
    x_scale = _Scale(_ticks(min(xs), max(xs)), left, right)
    y_scale = _Scale(_ticks(min(ys), max(ys)), base, top)
    out = _y_axis(y_scale, left, right, chart.y_title, top, base)
    lines = " ".join(f"M{_c(x_scale(tick))} {_c(top)}V{_c(base)}" for tick in x_scale.ticks)
    out.append(_path(lines, stroke=GRID))
    for tick in x_scale.ticks:
        out.append(_text(x_scale(tick), base + 14, _short(tick), size=9))
    segments: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if math.isfinite(x) and math.isfinite(y):
            segments[-1].append((x_scale(x), y_scale(y)))
        elif segments[-1]:
            segments.append([])
    for segment in segments:
        if len(segment) > 1:
            coordinates = " ".join(f"{_c(x)},{_c(y)}" for x, y in segment)
            out.append(
                Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>').format(
                    coordinates, BAR
                )
            )
    if len(good) <= 60 or any(len(segment) == 1 for segment in segments):
        # One path of small circles (two arcs each) rather than an element per point.
        dots = " ".join(
            f"M{_c(x_scale(x) - 2.5)} {_c(y_scale(y))}a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0"
            for x, y in good
        )
        out.append(_path(dots, fill=BAR, marks="points"))
    if not good:
        out.append(_text((left + right) / 2, (top + base) / 2, "No plottable points", fill=MISSING))
    if chart.x_title:
        out.append(_text((left + right) / 2, height - 6, _fit(chart.x_title, 400, 10), bold=True))
    return _svg(height, LineChart.kind, out)


def _colour(share: float) -> str:
    red, green, blue = (round(lo + (hi - lo) * share) for lo, hi in zip(_LOW, _HIGH, strict=True))
    return f"#{red:02x}{green:02x}{blue:02x}"


def _heat_map(chart: HeatMap) -> Markup:
    rows = [[_number(v) for v in row] for row in chart.raw]
    if not rows or not rows[0]:
        return _no_data(HeatMap.kind)
    finite = [v for row in rows for v in row if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    span = high - low if math.isfinite(high - low) else math.inf
    row_names = [_fit(label, 130, 10) for label in chart.row_labels]
    left = max(_text_width(name, 10) for name in row_names) + 10 + (20 if chart.y_title else 0)
    # Cells may be wider than high, so that short column labels fit without turning.
    cell_width = max(8.0, min(120.0, (WIDTH - left - 8) / len(rows[0])))
    cell_height = min(cell_width, 40.0)
    column_names = [_fit(label, 110, 10) for label in chart.column_labels]
    flat = all(_text_width(name, 10) <= cell_width * 0.95 for name in column_names)
    label_room = 16.0
    if not flat:
        # Column labels are turned below the grid; the first one must stay inside the chart.
        slant = max(_text_width(name, 10) for name in column_names) * 0.72
        label_room = slant + 14
        left = max(left, slant - cell_width / 2 + 4)
        cell_width = max(8.0, min(120.0, (WIDTH - left - 8) / len(rows[0])))
        cell_height = min(cell_width, 40.0)
    top = 8.0
    base = top + cell_height * len(rows)
    height = base + label_room + 26 + (20 if chart.x_title else 0)
    widest = max(len(_short3(v)) for row in rows for v in row)
    size = min(11.0, cell_height * 0.5, cell_width * 0.9 / (0.62 * widest))
    out = []
    for r, row in enumerate(rows):
        y = top + r * cell_height
        out.append(_text(left - 6, y + cell_height / 2 + 3.5, row_names[r], anchor="end"))
        for c, value in enumerate(row):
            x = left + c * cell_width
            share = (value - low) / span if span and math.isfinite(span) else 0.5
            fill = _colour(share) if math.isfinite(value) else "#eeeeee"
            out.append(
                Markup(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff"/>'
                ).format(_c(x), _c(y), _c(cell_width), _c(cell_height), fill)
            )
            if size >= 5:
                ink = "#ffffff" if math.isfinite(value) and share > 0.55 else INK
                out.append(
                    _text(
                        x + cell_width / 2,
                        y + cell_height / 2 + size * 0.35,
                        _short3(value),
                        size=round(size, 1),
                        fill=ink,
                    )
                )
    for c, name in enumerate(column_names):
        x = left + (c + 0.5) * cell_width
        if flat:
            out.append(_text(x, base + 13, name))
        else:
            out.append(_text(x + 3, base + 10, name, anchor="end", rotate=-45))
    if chart.y_title:
        out.append(
            _text(14, (top + base) / 2, _fit(chart.y_title, base - top, 10), rotate=-90, bold=True)
        )
    out += _legend(left, base + label_room + 4, low, high)
    if chart.x_title:
        out.append(
            _text(
                left + cell_width * len(rows[0]) / 2,
                height - 6,
                _fit(chart.x_title, 400, 10),
                bold=True,
            )
        )
    return _svg(height, HeatMap.kind, out)


def _short3(value: float) -> str:
    """A heat map cell has room for three significant digits."""
    return _short(value, 3)


def _legend(left: float, y: float, low: float, high: float) -> list[Markup]:
    out = [_text(left, y + 10, _short(low), size=9, anchor="start")]
    start = left + _text_width(_short(low), 9) + 6
    for step in range(6):
        out.append(
            Markup('<rect x="{}" y="{}" width="18" height="12" fill="{}"/>').format(
                _c(start + step * 18), _c(y), _colour(step / 5)
            )
        )
    out.append(_text(start + 6 * 18 + 6, y + 10, _short(high), size=9, anchor="start"))
    return out
