"""The published OpenAPI document: FastAPI's, with what it says about parameters made exact.

A query, header or path parameter is either sent or absent; it is never JSON ``null``. FastAPI
renders an optional parameter as "a string or null", which invites a client (or a generator of
test requests) to send the text ``null``; the document drops that alternative, so each
parameter's schema is the one its value is validated against.

A mapping whose keys follow a pattern (tags, customer metadata) is rendered by pydantic as
``patternProperties``, which leaves keys of any other form unconstrained; the server refuses
them, so the document names the pattern under ``propertyNames`` instead.

Some rules are a service's to check, with a message of its own (a password's length, a token's
lifetime, a webhook URL's form); the document states them from the rule's own constants. Card content, a free-form
object to pydantic, is declared by the JSON Schema it is validated against, with the bound on
integers every body is held to (2^53 - 1) stated on its numbers and its free values. Every
operation that takes a body may answer 413, the body limit's refusal.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from cardinal.content.card_content import CardFlavour, content_schema
from cardinal.content.reports.schemas import REPORT_DEFINITIONS
from cardinal.domain.text import MAX_EXACT_INTEGER
from cardinal.domain.webhooks import WEBHOOK_URL_PATTERN
from cardinal.services.identities import MAX_TOKEN_DAYS
from cardinal.services.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH

# (component, property) -> what the service that reads the property holds it to.
_CHECKED_BY_SERVICES: dict[tuple[str, str], dict[str, Any]] = {
    ("PasswordPut", "password"): {"minLength": MIN_PASSWORD_LENGTH},
    ("TokenCreate", "expires_in_days"): {"minimum": 1, "maximum": MAX_TOKEN_DAYS},
    ("WebhookCreate", "url"): {"pattern": WEBHOOK_URL_PATTERN},
}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    choices = schema.get("anyOf")
    if not isinstance(choices, list):
        return schema
    kept = [choice for choice in choices if choice != {"type": "null"}]
    if len(kept) != 1:
        return {**schema, "anyOf": kept}
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept[0], **rest}


def _keys_by_pattern(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _keys_by_pattern(item)
        return
    if not isinstance(node, dict):
        return
    by_pattern = node.get("patternProperties")
    if isinstance(by_pattern, dict) and len(by_pattern) == 1 and "additionalProperties" not in node:
        ((pattern, values),) = by_pattern.items()
        del node["patternProperties"]
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        node["additionalProperties"] = values
    for value in node.values():
        _keys_by_pattern(value)


def _narrow(schema: dict[str, Any], keywords: dict[str, Any]) -> None:
    """Add ``keywords`` to ``schema``, or to each of its choices but ``null``."""
    for choice in schema.get("anyOf", [schema]):
        if choice.get("type") != "null":
            choice.update(keywords)


# Where card content goes in the bodies, by the schema it follows: the one the content is
# validated against (with the array limits and per-type metric values it adds to the data file).
_CARD_CONTENTS = {
    "ModelCardContent": (
        CardFlavour.MODEL_CARD,
        ["CardCreate", "CardContentUpdate", "CardDraft"],
    ),
    "ModelPackageCardContent": (CardFlavour.MODEL_PACKAGE, ["EmbeddedCardCreate"]),
}


def _rebased(node: Any, base: str) -> Any:
    """A copy of a content schema for the document: its ``#/definitions/...`` references
    point into its place under ``base``, and it names no ``$schema`` or ``$id`` of its own."""
    if isinstance(node, list):
        return [_rebased(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {k: _rebased(v, base) for k, v in node.items() if k not in ("$schema", "$id")}
    ref = copied.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        copied["$ref"] = base + ref.removeprefix("#")
    return copied


# Any JSON value whose integers JSON carries exactly: what card content holds where its schema
# leaves a value free (the extra members of a metric group, say).
_EXACT_JSON = "ExactJsonValue"
_EXACT_REF = {"$ref": f"#/components/schemas/{_EXACT_JSON}"}
_EXACT_NUMBER = {"minimum": -MAX_EXACT_INTEGER, "maximum": MAX_EXACT_INTEGER}


def _exact_json_value() -> dict[str, Any]:
    return {
        "description": f"Any JSON value; a number in it is within ±{MAX_EXACT_INTEGER} "
        "(2^53 - 1): an integer beyond is refused, as JSON can't carry it exactly.",
        "anyOf": [
            {"type": "string"},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "number", **_EXACT_NUMBER},
            {"type": "array", "items": _EXACT_REF},
            {"type": "object", "additionalProperties": _EXACT_REF},
        ],
    }


def _exact_numbers(node: Any) -> None:
    """State the content's rule on integers (:mod:`cardinal.domain.text`) where its schema
    admits a number: on each number, and on each value the schema leaves free."""
    if isinstance(node, list):
        for item in node:
            _exact_numbers(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in ("if", "not"):  # conditions: what they admit is not the content's
            _exact_numbers(value)
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    if "number" in types or "integer" in types:
        node["minimum"] = max(node.get("minimum", -MAX_EXACT_INTEGER), -MAX_EXACT_INTEGER)
        node["maximum"] = min(node.get("maximum", MAX_EXACT_INTEGER), MAX_EXACT_INTEGER)
    free: tuple[object, ...] = (True, {})
    an_object = "object" in types or (types == [None] and isinstance(node.get("properties"), dict))
    if (
        an_object
        and node.get("additionalProperties", True) in free
        and "patternProperties" not in node
    ):
        node["additionalProperties"] = _EXACT_REF
    if "array" in types and node.get("items", True) in free:
        node["items"] = _EXACT_REF


def _in_components(node: Any) -> Any:
    """A copy of a report schema whose ``#/$defs/...`` references point into the components."""
    if isinstance(node, list):
        return [_in_components(item) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {k: _in_components(v) for k, v in node.items()}
    ref = copied.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        copied["$ref"] = "#/components/schemas/" + ref.removeprefix("#/$defs/")
    return copied


def _report_schemas(document: dict[str, Any]) -> None:
    """The parts the report upload bodies share join the components; the bodies refer there."""
    schemas = document["components"]["schemas"]
    for name, definition in REPORT_DEFINITIONS.items():
        assert name not in schemas, name
        schemas[name] = _in_components(definition)
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if "schema" in media:
                    media["schema"] = _in_components(media["schema"])


def _card_contents(schemas: dict[str, Any]) -> None:
    schemas[_EXACT_JSON] = _exact_json_value()
    for name, (flavour, bodies) in _CARD_CONTENTS.items():
        schemas[name] = _rebased(content_schema(flavour), f"#/components/schemas/{name}")
        _exact_numbers(schemas[name])
        for body in bodies:
            described = schemas[body]["properties"]["content"].get("description")
            schemas[body]["properties"]["content"] = {
                "$ref": f"#/components/schemas/{name}",
                **({"description": described} if described else {}),
            }


# Every body is read up to the door's limit and refused past it (``api/body_limit.py``), before
# any route runs: a JSON body's escapes (12 bytes for a character beyond the BMP, written as a
# surrogate pair) can pass the limit with far fewer characters than a field's maxLength allows.
_TOO_LARGE = {
    "description": "Content too large: the request body is over the server's limit.",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def _exact(document: dict[str, Any]) -> dict[str, Any]:
    components = document.get("components", {})
    _keys_by_pattern(components)  # before the card content schemas join: they are not pydantic's
    _card_contents(components["schemas"])
    _report_schemas(document)
    for (component, name), keywords in _CHECKED_BY_SERVICES.items():
        _narrow(components["schemas"][component]["properties"][name], keywords)
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if "schema" in parameter:
                    parameter["schema"] = _without_null(parameter["schema"])
            if "requestBody" in operation:
                operation.get("responses", {}).setdefault("413", _TOO_LARGE)
    return document


def publish_openapi(app: FastAPI) -> None:
    """Serve the exact document at the app's ``openapi_url``."""
    generate = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _exact(generate())
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
