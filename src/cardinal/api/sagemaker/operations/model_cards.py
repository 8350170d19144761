"""CreateModelCard, DescribeModelCard, UpdateModelCard, DeleteModelCard, ListModelCards,
ListModelCardVersions."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker import shapes
from cardinal.api.sagemaker.call import Call, Handler, page_request, tags_of, with_token
from cardinal.api.sagemaker.protocol import to_datetime
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.paging import SortOrder


def _status(call: Call) -> ModelCardStatus | None:
    value = call.get("ModelCardStatus")
    return ModelCardStatus(value) if value else None


def create_model_card(call: Call) -> dict[str, Any]:
    status = _status(call)
    assert status is not None
    card = call.services.cards.create_model_card(
        call.ctx,
        call.params["ModelCardName"],
        call.params["Content"],
        status,
        kms_key_id=call.get("SecurityConfig", {}).get("KmsKeyId"),
        tags=tags_of(call),
    ).card
    return {"ModelCardArn": card.arn}


def describe_model_card(call: Call) -> dict[str, Any]:
    described = call.services.cards.describe_model_card(
        call.ctx, call.params["ModelCardName"], call.get("ModelCardVersion")
    )
    return shapes.card_description(
        described.card,
        described.version,
        metadata_only_content=call.get("IncludedData") == "MetadataOnly",
    )


def update_model_card(call: Call) -> dict[str, Any]:
    card = call.services.cards.update_model_card(
        call.ctx, call.params["ModelCardName"], content=call.get("Content"), status=_status(call)
    ).card
    return {"ModelCardArn": card.arn}


def delete_model_card(call: Call) -> dict[str, Any]:
    call.services.cards.delete_model_card(call.ctx, call.params["ModelCardName"])
    return {}


def list_model_cards(call: Call) -> dict[str, Any]:
    page = call.services.cards.list_model_cards(
        call.ctx,
        page_request(call, sort_by="CreationTime"),
        name_contains=call.get("NameContains"),
        status=_status(call),
        created_after=to_datetime(call.get("CreationTimeAfter")),
        created_before=to_datetime(call.get("CreationTimeBefore")),
    )
    body = {"ModelCardSummaries": [shapes.card_summary(card) for card in page.items]}
    return with_token(body, page.next_token)


def list_model_card_versions(call: Call) -> dict[str, Any]:
    card, page = call.services.cards.list_model_card_versions(
        call.ctx,
        call.params["ModelCardName"],
        page_request(call, sort_by="Version", sort_order=SortOrder.DESCENDING),
        status=_status(call),
        created_after=to_datetime(call.get("CreationTimeAfter")),
        created_before=to_datetime(call.get("CreationTimeBefore")),
    )
    body = {
        "ModelCardVersionSummaryList": [
            shapes.card_version_summary(card, version) for version in page.items
        ]
    }
    return with_token(body, page.next_token)


OPERATIONS: dict[str, Handler] = {
    "CreateModelCard": create_model_card,
    "DescribeModelCard": describe_model_card,
    "UpdateModelCard": update_model_card,
    "DeleteModelCard": delete_model_card,
    "ListModelCards": list_model_cards,
    "ListModelCardVersions": list_model_card_versions,
}
