"""The card content as a form: which fields of the model card schema a person types as text,
and how the values of such a form become card content again.

A section whose fields are text (and risk ratings, an enum) gets one input per field; anything
else (evaluation details, artifacts, nested objects) is edited as JSON. Validation stays the
schema's: the content a form makes is checked like any other, with the same messages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cardinal.domain.errors import InvalidInput
from cardinal.domain.model_cards import RiskRating

SECTIONS = (
    "model_overview", "intended_uses", "business_details", "training_details",
    "evaluation_details", "additional_information", "model_package_details",
)  # fmt: skip


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    options: tuple[str, ...] = ()  # an enum's values; empty: free text


@dataclass(frozen=True)
class FormSection:
    name: str
    title: str
    fields: tuple[FormField, ...]  # the text fields; the rest of the section is JSON


@cache
def form_sections() -> tuple[FormSection, ...]:
    text = resources.files("cardinal.content").joinpath("schemas", "model_card.schema.json")
    schema = json.loads(text.read_text(encoding="utf-8"))
    found = []
    for name in SECTIONS:
        properties = schema["properties"][name].get("properties", {})
        fields = []
        for field, spec in properties.items():
            if field == "risk_rating":
                fields.append(FormField(field, _label(field), tuple(r.value for r in RiskRating)))
            elif spec.get("type") == "string" and "enum" not in spec:
                fields.append(FormField(field, _label(field)))
        found.append(FormSection(name, _label(name), tuple(fields)))
    return tuple(found)


def form_values(content: Mapping[str, Any]) -> dict[str, str]:
    """The form's values for ``content``: ``section.field`` for text, ``section`` for the JSON
    of what else the section holds."""
    values: dict[str, str] = {}
    for section in form_sections():
        body = content.get(section.name)
        texts = {f.name for f in section.fields}
        if isinstance(body, dict):
            for field in section.fields:
                given = body.get(field.name)
                if isinstance(given, str):
                    values[f"{section.name}.{field.name}"] = given
            rest = {k: v for k, v in body.items() if k not in texts or not isinstance(v, str)}
            values[section.name] = json.dumps(rest, indent=2, ensure_ascii=False) if rest else ""
        elif body is not None:
            values[section.name] = json.dumps(body, indent=2, ensure_ascii=False)
    return values


def content_from_form(values: Mapping[str, str]) -> dict[str, Any]:
    """The card content a submitted form states; InvalidInput naming the section whose JSON
    does not parse. Empty inputs leave their field out."""
    content: dict[str, Any] = {}
    for section in form_sections():
        raw = values.get(section.name, "").strip()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except json.JSONDecodeError as error:
                raise InvalidInput(
                    f"{section.title}: the JSON does not parse (line {error.lineno}, column "
                    f"{error.colno}: {error.msg}).",
                    path=f"$.{section.name}",
                ) from None
        texts = {
            f.name: values[f"{section.name}.{f.name}"].strip()
            for f in section.fields
            if values.get(f"{section.name}.{f.name}", "").strip()
        }
        if texts:
            if body is None:
                body = {}
            if not isinstance(body, dict):
                raise InvalidInput(
                    f"{section.title}: the JSON must be an object to go with its fields.",
                    path=f"$.{section.name}",
                )
            body = {**body, **texts}
        if body not in (None, {}, []):
            content[section.name] = body
    return content


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()
