"""What every report parser shares: :class:`ReportError`, a :class:`Node` that walks a parsed
report while keeping the JSON path of where it stands, and the parsed groups and metrics, each
remembering the place in the report it came from so that a metric the model card schema refuses
is reported at that place.

Every refusal names the report (a file path or an ``s3://`` URI), the JSON path inside it and
what was expected there, for example ``Report run/statistics.json at
$.binary_classification_metrics.auc.value: expected a number, found the string 'high'``.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn

from cardinal.domain.errors import InvalidInput, NotFound
from cardinal.domain.json_paths import Step, json_path

# Markers tools write for a number they could not compute: smclarify writes ±Infinity as the
# strings "Infinity"/"-Infinity", Model Monitor writes "NaN", Python's json writes NaN/Infinity
# literals (read as non-finite floats).
NOT_A_NUMBER_MARKERS = frozenset({"NaN", "Infinity", "-Infinity"})

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = 4
_short.maxdict = 3
_short.maxlevel = 1


class ReportError(InvalidInput):
    """A report that cannot be read or parsed; ``path`` is the JSON path inside the report.

    ``source`` is the file path or URI of the report. ``path`` is None when the report as a
    whole could not be read (missing file, S3 error, too large).
    """

    def __init__(self, source: str, path: str | None, detail: str) -> None:
        where = f" at {path}" if path is not None else ""
        super().__init__(f"Report {source}{where}: {detail}", path)
        self.source = source
        self.detail = detail


class ReportNotFound(NotFound):
    """A report location in S3 naming a bucket or an object that does not exist."""

    def __init__(self, source: str, detail: str) -> None:
        super().__init__(f"Report {source}: cannot read it: {detail}")
        self.source = source
        self.detail = detail


def describe(value: Any) -> str:
    """How a found value is named in an error: its JSON type, and the value when short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {_short.repr(value)}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    return "an object"


def is_number(value: Any) -> bool:
    """A JSON number (bool is not one, although Python says so)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_missing_number(value: Any) -> bool:
    """null, a non-finite number, or a string a tool writes for one."""
    if value is None:
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    return isinstance(value, str) and value in NOT_A_NUMBER_MARKERS


_MISSING = object()


@dataclass(frozen=True)
class Node:
    """One value of a parsed report and where it stands in it."""

    source: str
    value: Any
    steps: tuple[Step, ...] = ()

    @property
    def path(self) -> str:
        return json_path(self.steps)

    @property
    def exists(self) -> bool:
        return self.value is not _MISSING

    def fail(self, expected: str) -> NoReturn:
        found = describe(self.value) if self.exists else "nothing (the key is missing)"
        raise ReportError(self.source, self.path, f"expected {expected}, found {found}")

    def child(self, step: Step, value: Any) -> Node:
        return Node(self.source, value, (*self.steps, step))

    # Objects

    def object(self, expected: str = "an object") -> dict[str, Any]:
        if not isinstance(self.value, dict):
            self.fail(expected)
        return self.value

    def at(self, key: str) -> Node:
        """The member ``key`` of this object; it may be missing (``exists`` is False)."""
        return self.child(key, self.object().get(key, _MISSING))

    def items(self, expected: str = "an object") -> Iterator[tuple[str, Node]]:
        for key, value in self.object(expected).items():
            yield key, self.child(key, value)

    # Arrays

    def elements(self, expected: str = "an array") -> list[Node]:
        if not isinstance(self.value, list):
            self.fail(expected)
        return [self.child(index, value) for index, value in enumerate(self.value)]

    def numbers(self, expected: str = "an array of numbers") -> list[int | float]:
        for element in self.elements(expected):
            element.number()
        return list(self.value)

    # Scalars

    def number(self, expected: str = "a number") -> int | float:
        if not is_number(self.value) or not math.isfinite(self.value):
            self.fail(expected)
        return self.value  # type: ignore[no-any-return]

    def text(self, expected: str = "a string") -> str:
        if not isinstance(self.value, str):
            self.fail(expected)
        return self.value

    def label(self, expected: str = "a string or a number") -> str:
        """A value that names something, formatted as the SDK v2 formats it (Python's ``str``).

        Strings, numbers, booleans and arrays of those are accepted; an array prints as a
        Python list (``[1, 2]``, ``['a']``), as the SDK's f-strings print it.
        """
        value = self.value
        scalar = (str, int, float, bool)
        if isinstance(value, list) and all(isinstance(item, scalar) for item in value):
            return str(value)
        if not isinstance(value, scalar):
            self.fail(expected)
        return str(value)


@dataclass
class ParsedMetric:
    """A card metric and the report node it was made from.

    ``verbatim`` says the metric is the node itself (the plain metrics file), so a path inside
    the metric maps one to one onto a path inside the report.
    """

    metric: dict[str, Any]
    origin: Node
    verbatim: bool = False


@dataclass
class ParsedGroup:
    """A card metric group and the report node it was made from (``verbatim`` as above)."""

    name: str
    origin: Node
    verbatim: bool = False
    metrics: list[ParsedMetric] = field(default_factory=list)

    def as_card_group(self) -> dict[str, Any]:
        return {"name": self.name, "metric_data": [m.metric for m in self.metrics]}


def number_metric(name: str, value: int | float, origin: Node) -> ParsedMetric:
    return ParsedMetric({"name": name, "type": "number", "value": value}, origin)
