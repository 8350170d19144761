"""Model cards and their immutable versions, and the rules of changing them.

Every change of content makes version N+1, a new immutable record. A change of status alone
changes the status of the current version and makes no new version. A single update may not
change both. An Archived card takes no more content changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cardinal.domain.errors import InvalidInput, InvalidState, NotFound


class LinkedPackageNotFound(NotFound):
    """The model package a card's content links (``model_package_details.model_package_arn``)
    does not exist in this account and region: a fact of the store, not of the content's form.
    ``path`` is where the link sits in the content.

    SageMaker answers it as a ValidationException, which its door keeps.
    """

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class ModelCardStatus(StrEnum):
    DRAFT = "Draft"
    PENDING_REVIEW = "PendingReview"
    APPROVED = "Approved"
    ARCHIVED = "Archived"


class RiskRating(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"
    UNKNOWN = "Unknown"


@dataclass
class CardVersion:
    card_id: int
    version: int
    content: str
    status: ModelCardStatus
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str
    content_sha256: str = ""
    previous_sha256: str | None = None
    chain_sha256: str = ""


@dataclass
class ModelCard:
    id: int
    name: str
    arn: str
    latest_version: int
    status: ModelCardStatus
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str
    kms_key_id: str | None = None
    model_package_arn: str | None = None
    carried_over_from: dict[str, Any] | None = None
    risk_rating: str | None = None
    """intended_uses.risk_rating of the latest version, as stored with the card."""
    model_id: str | None = None
    """model_overview.model_id of the latest version, as stored with the card."""
    model_package_group_name: str | None = None
    """The group of the version the latest version documents, as stored with the card."""


class CardChange(StrEnum):
    CONTENT = "content"
    STATUS = "status"


def classify_card_update(
    card: ModelCard, content: str | None, status: ModelCardStatus | None
) -> CardChange:
    """Which kind of change an update is, or why it is refused.

    Raises InvalidInput when the update changes both or neither, InvalidState when it changes
    the content of an Archived card.
    """
    if content is not None and status is not None:
        raise InvalidInput(
            "You cannot update both model card content and model card status in a single call."
        )
    if content is None and status is None:
        raise InvalidInput("Provide either Content or ModelCardStatus to update a model card.")
    if content is not None:
        if card.status is ModelCardStatus.ARCHIVED:
            raise InvalidState(
                f"Model card '{card.name}' is Archived: its content can no longer be changed."
            )
        return CardChange.CONTENT
    return CardChange.STATUS
