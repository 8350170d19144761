"""The one table from Cardinal's errors to SageMaker's error codes and HTTP statuses."""

from __future__ import annotations

from cardinal.domain.errors import (
    AccessDenied,
    AlreadyExists,
    CardinalError,
    InputField,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
)
from cardinal.domain.model_cards import LinkedPackageNotFound
from cardinal.domain.models import ModelExists, ModelNotFound

AWS_ERRORS: dict[type[CardinalError], tuple[str, int]] = {
    NotFound: ("ResourceNotFound", 400),
    AlreadyExists: ("ConflictException", 400),
    InvalidInput: ("ValidationException", 400),
    InvalidState: ("ConflictException", 400),
    LimitExceeded: ("ResourceLimitExceeded", 400),
    NotAuthenticated: ("UnrecognizedClientException", 400),
    AccessDenied: ("AccessDeniedException", 403),
    # AWS answers CreateModel of a taken name and Describe/DeleteModel of an unknown one so.
    ModelNotFound: ("ValidationException", 400),
    ModelExists: ("ValidationException", 400),
    # AWS refuses card content linking a model package that does not exist as invalid content.
    LinkedPackageNotFound: ("ValidationException", 400),
}


# Inputs whose refusals read the same for two members: the message names the member.
NAMED_MEMBERS: dict[InputField, str] = {
    InputField.SEARCH_SORT: "SortBy",
}


def aws_message(error: CardinalError) -> str:
    """The ``message`` of ``error`` on this door."""
    if isinstance(error, InvalidInput) and error.field in NAMED_MEMBERS:
        return f"{NAMED_MEMBERS[error.field]}: {error.message}"
    return error.message


def aws_error(error: CardinalError) -> tuple[str, int]:
    """The ``__type`` and status of ``error``; KeyError for an unmapped class is a bug."""
    for cls in type(error).__mro__:
        if cls in AWS_ERRORS:
            return AWS_ERRORS[cls]
    raise KeyError(type(error).__name__)
