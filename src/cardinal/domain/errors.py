"""The errors Cardinal's rules raise, one small closed tree.

    CardinalError
    ├── NotFound          the named resource does not exist (in this account and region)
    ├── AlreadyExists     a resource with that name exists already
    ├── InvalidInput      the request breaks a rule about its own content; carries a JSON path
    ├── InvalidState      the request is well formed but the stored state forbids it
    │   └── StaleVersion  the change was based on a version that is no longer the latest
    └── LimitExceeded     a size or count limit would be passed

Each door maps these classes to its own error format with exactly one table; a door never
invents an error of its own for a rule, and an unmapped class is a bug caught by a test.
"""

from __future__ import annotations


class CardinalError(Exception):
    """Base of every error a rule of Cardinal raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CardinalError):
    """The resource does not exist."""


class AlreadyExists(CardinalError):
    """A resource with this identity exists already."""


class InvalidInput(CardinalError):
    """The input breaks a rule; ``path`` is the JSON path of the offending field, if known."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class InvalidState(CardinalError):
    """The stored state forbids the change (archived card, link taken, group not empty, ...)."""


class StaleVersion(InvalidState):
    """The change was based on a version that is no longer the latest."""


class LimitExceeded(CardinalError):
    """A size or count limit would be exceeded."""


ERROR_CLASSES: tuple[type[CardinalError], ...] = (
    NotFound,
    AlreadyExists,
    InvalidInput,
    InvalidState,
    LimitExceeded,
)
