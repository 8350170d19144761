"""The one table from Cardinal's errors to SageMaker's error codes and HTTP statuses."""

from __future__ import annotations

from cardinal.domain.errors import (
    AlreadyExists,
    CardinalError,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotFound,
)

AWS_ERRORS: dict[type[CardinalError], tuple[str, int]] = {
    NotFound: ("ResourceNotFound", 400),
    AlreadyExists: ("ConflictException", 400),
    InvalidInput: ("ValidationException", 400),
    InvalidState: ("ConflictException", 400),
    LimitExceeded: ("ResourceLimitExceeded", 400),
}


def aws_error(error: CardinalError) -> tuple[str, int]:
    """The ``__type`` and status of ``error``; KeyError for an unmapped class is a bug."""
    for cls in type(error).__mro__:
        if cls in AWS_ERRORS:
            return AWS_ERRORS[cls]
    raise KeyError(type(error).__name__)
