"""The card content as a form and back: text fields as inputs, the rest as JSON."""

from __future__ import annotations

import json

import pytest

from cardinal.content.card_content import CardFlavour, parse_card_content
from cardinal.content.card_form import content_from_form, form_sections, form_values
from cardinal.domain.errors import InvalidInput

CONTENT = {
    "model_overview": {"model_description": "Trees", "model_version": 2},
    "intended_uses": {"risk_rating": "High", "purpose_of_model": "Rank churn"},
    "evaluation_details": [{"name": "holdout", "metric_groups": []}],
    "additional_information": {"custom_details": {"owner": "risk"}},
}


def test_a_card_makes_a_form_that_makes_the_same_card() -> None:
    values = form_values(CONTENT)
    assert values["model_overview.model_description"] == "Trees"
    assert json.loads(values["model_overview"]) == {"model_version": 2}
    assert values["intended_uses.risk_rating"] == "High"
    assert content_from_form(values) == CONTENT
    parse_card_content(json.dumps(content_from_form(values)), CardFlavour.MODEL_CARD)


def test_the_form_offers_the_schemas_text_fields_and_the_risk_ratings() -> None:
    sections = {s.name: s for s in form_sections()}
    uses = {f.name: f for f in sections["intended_uses"].fields}
    assert uses["risk_rating"].options == ("High", "Medium", "Low", "Unknown")
    assert "explanations_for_risk_rating" in uses
    assert sections["evaluation_details"].fields == ()


def test_empty_inputs_leave_their_fields_out_and_text_is_kept_as_typed() -> None:
    made = content_from_form({"business_details.business_problem": " <b>churn</b> ", "x": "y"})
    assert made == {"business_details": {"business_problem": "<b>churn</b>"}}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"evaluation_details": "[{bad"}, "Evaluation details: the JSON does not parse"),
        (
            {"intended_uses": "[1]", "intended_uses.purpose_of_model": "x"},
            "Intended uses: the JSON must be an object",
        ),
    ],
)
def test_json_that_does_not_fit_is_refused_naming_the_section(
    values: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        content_from_form(values)
