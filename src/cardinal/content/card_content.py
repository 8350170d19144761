"""Model card content (the JSON object SageMaker carries as ``Content`` of a model card and as
``ModelCard.ModelCardContent`` of a model package): :func:`parse_card_content` parses the text,
refuses what would not round-trip (duplicate keys, NaN/Infinity, lone surrogates, NUL) and validates
it with draft-07 semantics against one of two schema data files in ``schemas/`` (the full card,
or the reduced card embedded in a model package), each loaded once on first use and adjusted in
memory in two deliberate ways: the array limits CloudFormation documents but draft-07 ignores
become real ``maxItems``, and each metric is checked against the one shape its ``type`` names, so
errors say what a metric of that type needs. Every refusal is an :class:`InvalidCardContent`
(an :class:`InvalidInput`) listing each place the schema is broken, with its JSON path, and
carrying the first one's path. :func:`card_facts` and :func:`metadata_only` derive the indexed
facts and the ``IncludedData=MetadataOnly`` view.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any, NoReturn

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from cardinal.domain.errors import InvalidInput
from cardinal.domain.json_paths import json_path
from cardinal.domain.text import (
    UNSAFE_INTEGER_TEXT,
    UNSTORABLE_TEXT,
    unsafe_integer_path,
    unstorable_path,
)

MAX_CONTENT_CHARS = 100_000
MAX_PROBLEMS = 50


class CardFlavour(StrEnum):
    """Which schema a content document must follow."""

    MODEL_CARD = "model_card"  # CreateModelCard / UpdateModelCard content
    MODEL_PACKAGE = "model_package"  # the card embedded in a model package


_SCHEMA_FILES = {
    CardFlavour.MODEL_CARD: "model_card.schema.json",
    CardFlavour.MODEL_PACKAGE: "model_package_card.schema.json",
}

# Array limits from CloudFormation AWS::SageMaker::ModelCard (and the v2 SDK) that the schemas
# state only in keywords draft-07 ignores. A path missing from a flavour is skipped.
_ARRAY_LIMITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("model_overview", "model_artifact"), 15),
    (("model_overview", "inference_environment", "container_image"), 15),
    (("training_details", "training_job_details", "training_datasets"), 15),
    (("training_details", "training_job_details", "training_environment", "container_image"), 15),
    (("training_details", "training_job_details", "training_metrics"), 50),
    (("training_details", "training_job_details", "user_provided_training_metrics"), 50),
    (("training_details", "training_job_details", "hyper_parameters"), 100),
    (("training_details", "training_job_details", "user_provided_hyper_parameters"), 100),
)

_METRIC_VALUE_RULES = {
    "number": "a number",
    "string": "a string of at most 63 characters",
    "boolean": "true or false",
    "linear_graph": "a non-empty array of [x, y] pairs of numbers",
    "bar_chart": "a non-empty array of numbers",
    "matrix": "an array of 1 to 20 rows, each an array of 1 to 20 numbers",
}

_METADATA_ONLY_PATHS = (
    ("model_overview", "model_id"),
    ("model_overview", "model_name"),
    ("intended_uses", "risk_rating"),
    ("model_package_details", "model_package_group_name"),
    ("model_package_details", "model_package_arn"),
)

_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    type(None): "null",
}

_short = reprlib.Repr()
_short.maxstring = 80
_short.maxother = 80
_short.maxlist = 6
_short.maxdict = 4
_short.maxlevel = 2


@dataclass(frozen=True)
class ContentProblem:
    """One place where content breaks a rule: its JSON path and what is wrong there."""

    path: str
    detail: str


class InvalidCardContent(InvalidInput):
    """Card content refused in one or more places.

    ``problems`` lists at most :data:`MAX_PROBLEMS` of the ``count`` places, the most relevant
    first, and ``path`` is the first's. With one problem the message is
    ``Invalid model card content at $.a: ...``; with several,
    ``Invalid model card content: 3 problems: at $.a: ...; at $.b: ...; at $.c: ...``.
    """

    def __init__(self, problems: Sequence[ContentProblem], count: int | None = None) -> None:
        first = problems[0]
        count = len(problems) if count is None else count
        if count == 1:
            message = f"Invalid model card content at {first.path}: {first.detail}"
        else:
            shown = "" if count == len(problems) else f" (the first {len(problems)})"
            listed = "; ".join(f"at {p.path}: {p.detail}" for p in problems)
            message = f"Invalid model card content: {count} problems{shown}: {listed}"
        super().__init__(message, first.path)
        self.problems = tuple(problems)
        self.count = count


@dataclass(frozen=True)
class CardFacts:
    """The content fields the registry indexes and searches by."""

    model_id: str | None  # model_overview.model_id, else model_package_details.model_package_arn
    model_name: str | None  # model_overview.model_name
    risk_rating: str | None  # intended_uses.risk_rating
    model_package_group_name: str | None  # model_package_details.model_package_group_name
    model_package_arn: str | None  # model_package_details.model_package_arn


def parse_card_content(text: str, flavour: CardFlavour) -> dict[str, Any]:
    """Parse and validate card content text and return the parsed document.

    The caller keeps the original text unchanged. Raises :class:`InvalidCardContent` with path
    ``$`` when the text is longer than :data:`MAX_CONTENT_CHARS`, is not JSON, is not a JSON
    object, or holds duplicate keys or non-finite numbers; with the path of a key or string
    holding a NUL character or a lone UTF-16 surrogate (text no database stores faithfully), or
    of an integer beyond ±(2^53 - 1) (which JSON can't carry exactly); and
    with one problem per offending field when the document breaks the schema of ``flavour`` or
    one of the CloudFormation array limits (the shallowest first; of equals, the first found).
    """
    if len(text) > MAX_CONTENT_CHARS:
        _refuse(
            "$", f"content is {len(text):,} characters long; the limit is {MAX_CONTENT_CHARS:,}"
        )
    document = _load_json(text)
    if not isinstance(document, dict):
        _refuse("$", f"content must be a JSON object, not a JSON {_json_type(document)}")
    unstorable_at = unstorable_path(document)
    if unstorable_at is not None:
        _refuse(
            json_path(unstorable_at),
            f"text holds {UNSTORABLE_TEXT}",
        )
    unsafe_at = unsafe_integer_path(document)
    if unsafe_at is not None:
        _refuse(json_path(unsafe_at), f"the number is {UNSAFE_INTEGER_TEXT}")
    errors = sorted(_validator(flavour).iter_errors(document), key=_shallowness)
    if errors:
        raise _schema_refusal(errors, document)
    return document


def card_facts(content: Mapping[str, Any]) -> CardFacts:
    """Pick the indexed facts out of a content document; a missing or non-string field is None."""
    model_package_arn = _text_at(content, "model_package_details", "model_package_arn")
    return CardFacts(
        model_id=_text_at(content, "model_overview", "model_id") or model_package_arn,
        model_name=_text_at(content, "model_overview", "model_name"),
        risk_rating=_text_at(content, "intended_uses", "risk_rating"),
        model_package_group_name=_text_at(
            content, "model_package_details", "model_package_group_name"
        ),
        model_package_arn=model_package_arn,
    )


def metadata_only(content: Mapping[str, Any]) -> dict[str, Any]:
    """The content reduced to the five JSON paths SageMaker keeps for IncludedData=MetadataOnly.

    Keeps model_overview.model_id, model_overview.model_name, intended_uses.risk_rating,
    model_package_details.model_package_group_name and model_package_details.model_package_arn
    where present, nested as in the original; a section left with none of them is dropped.
    """
    reduced: dict[str, Any] = {}
    for section, key in _METADATA_ONLY_PATHS:
        part = content.get(section)
        if isinstance(part, Mapping) and key in part:
            reduced.setdefault(section, {})[key] = part[key]
    return reduced


def _text_at(content: Mapping[str, Any], section: str, key: str) -> str | None:
    part = content.get(section)
    value = part.get(key) if isinstance(part, Mapping) else None
    return value if isinstance(value, str) else None


def _refuse(path: str, detail: str) -> NoReturn:
    raise InvalidCardContent([ContentProblem(path, detail)])


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        _refuse("$", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        _refuse("$", "not valid JSON: nested too deeply")
    except ValueError:
        # int() refuses integers past sys.get_int_max_str_digits().
        _refuse("$", "not valid JSON: a number has too many digits")


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                _refuse("$", f"duplicate key {_short.repr(key)} in a JSON object")
            seen.add(key)
    return obj


def _refuse_constant(name: str) -> NoReturn:
    _refuse("$", f"{name} is not a JSON number")


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        _refuse("$", f"{_short.repr(literal)} is out of the range of a double")
    return number


def _json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), "number")


@functools.cache
def _validator(flavour: CardFlavour) -> Draft7Validator:
    text = resources.files("cardinal.content").joinpath("schemas", _SCHEMA_FILES[flavour])
    schema = json.loads(text.read_text(encoding="utf-8"))
    _apply_array_limits(schema)
    metric_data = schema["properties"]["evaluation_details"]["items"]["properties"]
    metric_data = metric_data["metric_groups"]["items"]["properties"]["metric_data"]
    metric_data["items"] = _dispatch_on_metric_type(metric_data["items"], schema["definitions"])
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def prepare_validators() -> None:
    """Load and check both schemas now rather than on the first card's content (about 10 ms)."""
    for flavour in CardFlavour:
        _validator(flavour)


def content_schema(flavour: CardFlavour) -> dict[str, Any]:
    """The JSON Schema card content of ``flavour`` is validated against (a draft-07 document;
    the REST API's description publishes it)."""
    schema: dict[str, Any] = _validator(flavour).schema
    return schema


def _apply_array_limits(schema: dict[str, Any]) -> None:
    for steps, limit in _ARRAY_LIMITS:
        node: dict[str, Any] | None = schema
        for step in steps:
            node = node.get("properties", {}).get(step) if node is not None else None
        if node is not None:
            node["maxItems"] = limit


def _dispatch_on_metric_type(
    any_of_metrics: dict[str, Any], definitions: Mapping[str, Any]
) -> dict[str, Any]:
    """Replace ``anyOf`` over the metric shapes with an ``if type == t then shape(t)`` chain.

    The shapes' ``type`` enums are disjoint, so this accepts the same metrics, except that a
    number/string/boolean metric must now hold a value of that kind (the v2 SDK checks the same).
    """
    types: list[str] = []
    branches: list[dict[str, Any]] = []
    for option in any_of_metrics["anyOf"]:
        shape = definitions[option["$ref"].removeprefix("#/definitions/")]
        for metric_type in shape["properties"]["type"]["enum"]:
            then = copy.deepcopy(shape)
            value = then["properties"]["value"]
            candidates = value.get("anyOf", [value])
            chosen = [c for c in candidates if c.get("type") == metric_type] or candidates
            then["properties"]["value"] = chosen[0] if len(chosen) == 1 else {"anyOf": chosen}
            types.append(metric_type)
            branches.append(
                {
                    "if": {"properties": {"type": {"const": metric_type}}, "required": ["type"]},
                    "then": then,
                }
            )
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": types}},
        "allOf": branches,
    }


def _schema_refusal(
    errors: Iterable[ValidationError], document: Mapping[str, Any]
) -> InvalidCardContent:
    """One problem per place, in the order of ``errors``; of several faults in one place (a
    string both too long and of the wrong pattern, cells of one matrix) the first is kept.

    ``best_match`` alone prefers the last of sibling errors and documents its heuristic as
    changing between versions; it is used only to descend into ``anyOf`` contexts.
    """
    places: dict[str, ContentProblem] = {}
    for error in errors:
        problem = _schema_problem(best_match([error]) if error.context else error, document)
        places.setdefault(problem.path, problem)
    problems = list(places.values())
    return InvalidCardContent(problems[:MAX_PROBLEMS], len(problems))


def _shallowness(error: ValidationError) -> tuple[int, bool]:
    return len(error.absolute_path), error.validator in ("anyOf", "oneOf")


def _schema_problem(error: ValidationError, document: Mapping[str, Any]) -> ContentProblem:
    steps: list[str | int] = list(error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in error.validator_value if name not in instance]
        named = [name for name in missing if error.message == f"{name!r} is a required property"]
        field = (named or missing)[0]
        steps.append(field)
        detail = f"{field!r} is a required property"
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        unknown = [
            key
            for key in instance
            if key not in allowed and not any(re.search(p, key) for p in patterns)
        ]
        steps.append(unknown[0])
        detail = f"unknown field {_short.repr(unknown[0])}"
        if len(unknown) > 1:
            detail += f" (also {', '.join(_short.repr(key) for key in unknown[1:])})"
        detail += f"; allowed here: {', '.join(allowed) or 'nothing'}"
    elif _is_metric_value(steps):
        metric_type = _metric_type_at(document, steps)
        where = f" at {json_path(steps)}" if len(steps) > 7 else ""
        steps = steps[:7]
        detail = (
            f"the value of a {metric_type!r} metric must be "
            f"{_METRIC_VALUE_RULES.get(metric_type, 'of its type')} ({_describe(error)}{where})"
        )
    else:
        detail = _describe(error)
    return ContentProblem(json_path(steps), detail)


def _is_metric_value(steps: Sequence[str | int]) -> bool:
    return len(steps) >= 7 and tuple(steps[i] for i in (0, 2, 4, 6)) == (
        "evaluation_details",
        "metric_groups",
        "metric_data",
        "value",
    )


def _metric_type_at(document: Mapping[str, Any], steps: Sequence[str | int]) -> str:
    node: Any = document
    for step in steps[:6]:
        node = node[step]
    return str(node["type"])


def _describe(error: ValidationError) -> str:
    """jsonschema's message, without echoing a long instance back in full."""
    rule, limit, instance = error.validator, error.validator_value, error.instance
    if rule == "maxLength":
        return f"{len(instance):,} characters is longer than the limit of {limit:,}"
    if rule == "maxItems":
        return f"{len(instance)} items is more than the limit of {limit}"
    if rule == "minItems":
        return f"must have at least {limit} item{'s' if limit != 1 else ''}"
    if rule == "type":
        return f"{_short.repr(instance)} is not of type {limit!r}"
    if rule == "enum":
        return f"{_short.repr(instance)} is not one of {limit!r}"
    if rule == "pattern":
        return f"{_short.repr(instance)} does not match {limit!r}"
    return str(error.message)
