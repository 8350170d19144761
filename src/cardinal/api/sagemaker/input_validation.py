"""Server-side validation of SageMaker request bodies, driven by botocore's own service model.

An :class:`InputValidator` walks an operation's input shape alongside the parsed JSON body and
reports what AWS reports: JSON type mismatches as a ``SerializationException`` (the first one
stops the walk), and every broken constraint (required, length, value range, pattern, enum,
union) as one ``ValidationException`` whose message has AWS's form, ``N validation errors
detected: Value 'x' at 'a.b' failed to satisfy constraint: ...``. Paths use the member names with
the first letter lower-cased, joined by dots; a list item is ``<list>.<n>.member`` with ``n``
counted from 1; a map value is ``<map>.<key>``, and a bad map key is reported at the map itself
as ``Map keys must satisfy constraint: [...]``. Values of ``sensitive`` shapes (and everything
inside them) are shown as ``'***'``. Each shape is compiled once, on first use, into a small
checker object that is cached by shape name, so a request only walks its own body.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

import regex
from botocore.loaders import Loader
from botocore.model import (
    ListShape,
    MapShape,
    OperationNotFoundError,
    ServiceModel,
    Shape,
    StructureShape,
)

from cardinal.domain.text import storable

__all__ = ["InputValidator", "RequestInvalid", "load_sagemaker_service_model"]

VALIDATION = "ValidationException"
SERIALIZATION = "SerializationException"

MAX_REPORTED_ERRORS = 10
MAX_VALUE_CHARS = 100
PATTERN_TIMEOUT_SECONDS = 0.1
MASK = "'***'"

_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def load_sagemaker_service_model() -> ServiceModel:
    """Load botocore's SageMaker service model (the ``service-2`` description)."""
    return ServiceModel(Loader().load_service_model("sagemaker", "service-2"), "sagemaker")


class RequestInvalid(Exception):
    """The request body breaks the operation's input shape.

    ``code`` is ``ValidationException`` for constraint violations and ``SerializationException``
    for JSON type mismatches; ``message`` is the text to send back.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------------
# Rendering


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "..."


def _render(value: object, masked: bool) -> str:
    if value is None:
        return "null"
    if masked:
        return MASK
    if isinstance(value, str):
        return f"'{_truncate(value)}'"
    # Only the start of a value is shown: rendering all of a list of 100,000 items would take
    # as long as parsing it did.
    if isinstance(value, list):
        value = value[:MAX_VALUE_CHARS]
    elif isinstance(value, dict):
        value = dict(itertools.islice(value.items(), MAX_VALUE_CHARS))
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"'{_truncate(text)}'"


def _error(value: object, path: str, constraint: str, masked: bool) -> str:
    return f"Value {_render(value, masked)} at '{path}' failed to satisfy constraint: {constraint}"


def _type_error(
    expected: str, path: str, value: object, detail: str | None = None
) -> RequestInvalid:
    got = detail or _json_type(value)
    if not path:
        return RequestInvalid(SERIALIZATION, f"Expected {expected} as the request body, got {got}")
    return RequestInvalid(SERIALIZATION, f"Expected {expected} at '{path}', got {got}")


def _bound(number: float) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _length_constraints(size: int, low: float | None, high: float | None) -> list[str]:
    failures = []
    if low is not None and size < low:
        failures.append(f"Member must have length greater than or equal to {_bound(low)}")
    if high is not None and size > high:
        failures.append(f"Member must have length less than or equal to {_bound(high)}")
    return failures


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# ---------------------------------------------------------------------------------------------
# Patterns


def _join_surrogates(match: regex.Match[str]) -> str:
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


@cache
def _compile_pattern(pattern: str) -> regex.Pattern[str] | None:
    """Compile a model pattern once; ``None`` when it cannot be compiled (the check is skipped).

    Some patterns were written for Java and spell supplementary characters as UTF-16 surrogate
    pairs (``\\uD800\\uDC00-\\uDBFF\\uDFFF``); those are rewritten to code points first.
    ``.`` matches line breaks too: card content is JSON, and pretty-printed JSON is still JSON.
    """
    try:
        return regex.compile(pattern, regex.DOTALL)
    except (regex.error, ValueError, OverflowError):
        pass
    rewritten = regex.sub(
        r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})",
        _join_surrogates,
        pattern,
        flags=regex.IGNORECASE,
    )
    try:
        return regex.compile(rewritten, regex.DOTALL)
    except (regex.error, ValueError, OverflowError):
        return None


# ---------------------------------------------------------------------------------------------
# Checkers: one per shape, built once and shared by every request.


UNSTORABLE_TEXT = "Member must be Unicode text without NUL characters or lone surrogates"
# datetime's range, a day in from each end so that any UTC offset stays inside it.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


class _Checker:
    __slots__ = ("sensitive",)

    def __init__(self, shape: Shape) -> None:
        self.sensitive: bool = bool(shape.metadata.get("sensitive", False))

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        raise NotImplementedError


class _AnyChecker(_Checker):
    """Documents and shape types this module does not know: anything goes."""

    __slots__ = ()

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        return


class _StringChecker(_Checker):
    __slots__ = ("enum", "enum_text", "max", "min", "pattern", "pattern_text")

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        meta = shape.metadata
        self.min: float | None = meta.get("min")
        self.max: float | None = meta.get("max")
        self.pattern_text: str | None = meta.get("pattern")
        self.pattern = _compile_pattern(self.pattern_text) if self.pattern_text else None
        enum = meta.get("enum")
        self.enum: frozenset[str] | None = frozenset(enum) if enum else None
        self.enum_text = f"[{', '.join(enum)}]" if enum else ""

    def constraints(self, value: str) -> list[str]:
        """The constraints ``value`` breaks, as AWS phrases them."""
        failures = _length_constraints(len(value), self.min, self.max)
        if not storable(value):
            failures.append(UNSTORABLE_TEXT)
        if self.pattern is not None:
            try:
                matched = self.pattern.fullmatch(value, timeout=PATTERN_TIMEOUT_SECONDS)
            except TimeoutError:
                matched = True  # a pattern we cannot decide in time is not held against the caller
            if not matched:
                failures.append(
                    f"Member must satisfy regular expression pattern: {self.pattern_text}"
                )
        if self.enum is not None and value not in self.enum:
            failures.append(f"Member must satisfy enum value set: {self.enum_text}")
        return failures

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if not isinstance(value, str):
            raise _type_error("a string", path, value)
        masked = masked or self.sensitive
        for failure in self.constraints(value):
            errors.append(_error(value, path, failure, masked))


class _NumberChecker(_Checker):
    __slots__ = ("integral", "max", "min", "range", "type_name")

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.type_name: str = shape.type_name
        self.integral = self.type_name in _INT_RANGES
        self.range: tuple[int, int] = _INT_RANGES.get(self.type_name, (0, 0))
        self.min: float | None = shape.metadata.get("min")
        self.max: float | None = shape.metadata.get("max")

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if isinstance(value, bool):
            raise _type_error("an integer" if self.integral else "a number", path, value)
        if self.integral:
            if not isinstance(value, int):
                raise _type_error("an integer", path, value)
            low, high = self.range
            if not low <= value <= high:
                bits = 32 if self.type_name == "integer" else 64
                raise _type_error(f"a {bits}-bit integer", path, value, "a number out of range")
        elif not isinstance(value, int | float):
            raise _type_error("a number", path, value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise _type_error("a number", path, value, "a non-finite number")
        masked = masked or self.sensitive
        if self.min is not None and value < self.min:
            errors.append(
                _error(
                    value,
                    path,
                    f"Member must have value greater than or equal to {_bound(self.min)}",
                    masked,
                )
            )
        if self.max is not None and value > self.max:
            errors.append(
                _error(
                    value,
                    path,
                    f"Member must have value less than or equal to {_bound(self.max)}",
                    masked,
                )
            )


class _BooleanChecker(_Checker):
    __slots__ = ()

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if not isinstance(value, bool):
            raise _type_error("a boolean", path, value)


class _TimestampChecker(_Checker):
    __slots__ = ()

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        expected = "a timestamp (epoch seconds or an ISO-8601 string)"
        if isinstance(value, bool):
            raise _type_error(expected, path, value)
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                raise _type_error(expected, path, value, "a non-finite number")
            if not _EARLIEST.timestamp() <= value <= _LATEST.timestamp():
                errors.append(_error(value, path, TIME_RANGE, masked))
            return
        if not isinstance(value, str):
            raise _type_error(expected, path, value)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _type_error(expected, path, value, "a string that is not ISO-8601") from None
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if not _EARLIEST <= aware <= _LATEST:
            errors.append(_error(value, path, TIME_RANGE, masked))


TIME_RANGE = "Member must be a time between the years 1 and 9999"


class _BlobChecker(_Checker):
    __slots__ = ("max", "min")

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.min: float | None = shape.metadata.get("min")
        self.max: float | None = shape.metadata.get("max")

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if not isinstance(value, str):
            raise _type_error("a base64-encoded string", path, value)
        try:
            size = len(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            raise _type_error(
                "a base64-encoded string", path, value, "a string that is not base64"
            ) from None
        masked = masked or self.sensitive
        for failure in _length_constraints(size, self.min, self.max):
            errors.append(_error(value, path, failure, masked))


class _ListChecker(_Checker):
    __slots__ = ("max", "member", "min")

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.min: float | None = shape.metadata.get("min")
        self.max: float | None = shape.metadata.get("max")
        self.member: _Checker = _AnyChecker(shape)

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if not isinstance(value, list):
            raise _type_error("a list", path, value)
        masked = masked or self.sensitive
        for failure in _length_constraints(len(value), self.min, self.max):
            errors.append(_error(value, path, failure, masked))
        if self.max is not None and len(value) > self.max:
            return  # refused already; checking each of maybe 100,000 items would only cost time
        member = self.member
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                errors.append(_error(None, item_path, "Member must not be null", masked))
            else:
                member.check(item, item_path, errors, masked)


class _MapChecker(_Checker):
    __slots__ = ("key", "max", "min", "value")

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.min: float | None = shape.metadata.get("min")
        self.max: float | None = shape.metadata.get("max")
        self.key: _Checker = _AnyChecker(shape)
        self.value: _Checker = _AnyChecker(shape)

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if not isinstance(value, dict):
            raise _type_error("an object", path, value)
        masked = masked or self.sensitive
        for failure in _length_constraints(len(value), self.min, self.max):
            errors.append(_error(value, path, failure, masked))
        if self.max is not None and len(value) > self.max:
            return  # refused already, as a list that is too long
        key_checker = self.key if isinstance(self.key, _StringChecker) else None
        value_checker = self.value
        for key, item in value.items():
            if key_checker is not None:
                failures = key_checker.constraints(key)
                if failures:
                    constraint = f"Map keys must satisfy constraint: [{', '.join(failures)}]"
                    errors.append(_error(key, path, constraint, masked or key_checker.sensitive))
            item_path = f"{path}.{key}"
            if item is None:
                errors.append(_error(None, item_path, "Member must not be null", masked))
            else:
                value_checker.check(item, item_path, errors, masked)


class _StructureChecker(_Checker):
    __slots__ = ("members", "union")

    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self.union = bool(shape.metadata.get("union", False))
        # (wire name, path segment, checker, required); filled in by the builder.
        self.members: tuple[tuple[str, str, _Checker, bool], ...] = ()

    def check(self, value: Any, path: str, errors: list[str], masked: bool) -> None:
        if not isinstance(value, dict):
            raise _type_error("an object", path, value)
        masked = masked or self.sensitive
        present = 0
        for name, segment, checker, required in self.members:
            item = value.get(name)
            if item is None:
                if required:
                    errors.append(
                        _error(None, _child(path, segment), "Member must not be null", masked)
                    )
                continue
            present += 1
            checker.check(item, _child(path, segment), errors, masked)
        if self.union and present != 1:
            errors.append(_error(value, path, "Member must have exactly one member set", masked))


_SCALARS: dict[str, type[_Checker]] = {
    "string": _StringChecker,
    "integer": _NumberChecker,
    "long": _NumberChecker,
    "float": _NumberChecker,
    "double": _NumberChecker,
    "boolean": _BooleanChecker,
    "timestamp": _TimestampChecker,
    "blob": _BlobChecker,
}


def _segment(member_name: str) -> str:
    return member_name[:1].lower() + member_name[1:]


# ---------------------------------------------------------------------------------------------
# The validator


class InputValidator:
    """Validates request bodies against one service model's input shapes.

    Checkers are built the first time an operation is validated and cached by shape name (member
    references in the model add only serialization traits, never constraints), so recursive
    shapes such as ``SearchExpression`` share one checker. Safe to use from several threads.
    """

    def __init__(self, service_model: ServiceModel) -> None:
        self._model = service_model
        self._roots: dict[str, _Checker | None] = {}
        self._checkers: dict[str, _Checker] = {}
        self._lock = threading.Lock()

    def validate(self, operation_name: str, params: object) -> None:
        """Raise :class:`RequestInvalid` if ``params`` (the parsed JSON body) breaks the
        operation's input shape; raise ``KeyError`` for an operation the model does not have."""
        root = self._root(operation_name)
        if not isinstance(params, dict):
            raise _type_error("a JSON object", "", params)
        if root is None:
            return
        errors: list[str] = []
        try:
            root.check(params, "", errors, False)
        except RecursionError:
            raise RequestInvalid(SERIALIZATION, "The request body is nested too deeply") from None
        if errors:
            count = len(errors)
            noun = "error" if count == 1 else "errors"
            shown = "; ".join(errors[:MAX_REPORTED_ERRORS])
            raise RequestInvalid(VALIDATION, f"{count} validation {noun} detected: {shown}")

    def prepare(self, operation_names: Iterable[str]) -> None:
        """Build the checkers of ``operation_names`` now rather than on each one's first call."""
        for name in operation_names:
            self._root(name)

    def _root(self, operation_name: str) -> _Checker | None:
        try:
            return self._roots[operation_name]
        except KeyError:
            pass
        with self._lock:
            if operation_name not in self._roots:
                try:
                    operation = self._model.operation_model(operation_name)
                except OperationNotFoundError:
                    raise KeyError(operation_name) from None
                shape = operation.input_shape
                self._roots[operation_name] = None if shape is None else self._build(shape)
            return self._roots[operation_name]

    def _build(self, shape: Shape) -> _Checker:
        cached = self._checkers.get(shape.name)
        if cached is not None:
            return cached
        checker: _Checker
        if shape.metadata.get("document"):
            checker = _AnyChecker(shape)
            self._checkers[shape.name] = checker
        elif isinstance(shape, StructureShape):
            structure = _StructureChecker(shape)
            # Registered before its members so that recursive shapes find it.
            self._checkers[shape.name] = structure
            required = set(shape.required_members)
            structure.members = tuple(
                (name, _segment(name), self._build(member), name in required)
                for name, member in shape.members.items()
            )
            checker = structure
        elif isinstance(shape, ListShape):
            items = _ListChecker(shape)
            self._checkers[shape.name] = items
            items.member = self._build(shape.member)
            checker = items
        elif isinstance(shape, MapShape):
            mapping = _MapChecker(shape)
            self._checkers[shape.name] = mapping
            mapping.key = self._build(shape.key)
            mapping.value = self._build(shape.value)
            checker = mapping
        else:
            checker = _SCALARS.get(shape.type_name, _AnyChecker)(shape)
            self._checkers[shape.name] = checker
        return checker
