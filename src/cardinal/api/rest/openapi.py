"""The published OpenAPI document: FastAPI's, with what it says about parameters made exact.

A query, header or path parameter is either sent or absent; it is never JSON ``null``. FastAPI
renders an optional parameter as "a string or null", which invites a client (or a generator of
test requests) to send the text ``null``; the document drops that alternative, so each
parameter's schema is the one its value is validated against.

A mapping whose keys follow a pattern (tags, customer metadata) is rendered by pydantic as
``patternProperties``, which leaves keys of any other form unconstrained; the server refuses
them, so the document names the pattern under ``propertyNames`` instead.

Some rules are a service's to check, with a message of its own (a password's length, a token's
lifetime); the document states them from the service's own constants. Card content, a free-form
object to pydantic, is declared by the JSON Schema it is validated against.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from cardinal.content.card_content import CardFlavour, content_schema
from cardinal.services.identities import MAX_TOKEN_DAYS
from cardinal.services.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH

# (component, property) -> what the service that reads the property holds it to.
_CHECKED_BY_SERVICES: dict[tuple[str, str], dict[str, Any]] = {
    ("PasswordPut", "password"): {"minLength": MIN_PASSWORD_LENGTH},
    ("TokenCreate", "expires_in_days"): {"minimum": 1, "maximum": MAX_TOKEN_DAYS},
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


def _card_contents(schemas: dict[str, Any]) -> None:
    for name, (flavour, bodies) in _CARD_CONTENTS.items():
        schemas[name] = _rebased(content_schema(flavour), f"#/components/schemas/{name}")
        for body in bodies:
            described = schemas[body]["properties"]["content"].get("description")
            schemas[body]["properties"]["content"] = {
                "$ref": f"#/components/schemas/{name}",
                **({"description": described} if described else {}),
            }


def _exact(document: dict[str, Any]) -> dict[str, Any]:
    components = document.get("components", {})
    _keys_by_pattern(components)  # before the card content schemas join: they are not pydantic's
    _card_contents(components["schemas"])
    for (component, name), keywords in _CHECKED_BY_SERVICES.items():
        _narrow(components["schemas"][component]["properties"][name], keywords)
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if "schema" in parameter:
                    parameter["schema"] = _without_null(parameter["schema"])
    return document


def publish_openapi(app: FastAPI) -> None:
    """Serve the exact document at the app's ``openapi_url``."""
    generate = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _exact(generate())
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
