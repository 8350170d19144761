"""The errors Cardinal's rules raise, one small closed tree.

    CardinalError
    ├── NotFound          the named resource does not exist (in this account and region)
    ├── AlreadyExists     a resource with that name exists already
    ├── InvalidInput      the request breaks a rule about its own content; names the input
    ├── InvalidState      the request is well formed but the stored state forbids it
    │   └── StaleVersion  the change was based on a version that is no longer the latest
    ├── LimitExceeded     a size or count limit would be passed
    ├── NotAuthenticated  the caller's credential is missing, unknown, expired or revoked
    └── AccessDenied      the caller is known, but no grant or rule of Cardinal lets it do this

Each door maps these classes to its own error format with exactly one table; a door never
invents an error of its own for a rule, and an unmapped class is a bug caught by a test.
"""

from __future__ import annotations

from enum import StrEnum


class CardinalError(Exception):
    """Base of every error a rule of Cardinal raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CardinalError):
    """The resource does not exist."""


class AlreadyExists(CardinalError):
    """A resource with this identity exists already."""


class InputField(StrEnum):
    """An input a rule can refuse, named in Cardinal's words.

    Each door says where the field sits in its own requests (the REST door's JSON paths are in
    ``api/rest/problems.py``); the rules never spell a door's names.
    """

    EMBEDDED_CARD_CONTENT = "embedded_card_content"
    EXPORT_JOB = "export_job"
    METADATA_TO_REMOVE = "metadata_to_remove"
    OUTPUT_PATH = "output_path"
    PAGE_TOKEN = "page_token"
    RESOURCE = "resource"
    SEARCH_FILTER = "search_filter"
    SEARCH_SORT = "search_sort"
    TAGS = "tags"
    TAG_KEYS = "tag_keys"


class InvalidInput(CardinalError):
    """The input breaks a rule.

    ``field`` names the input the rule refused; ``path`` is the JSON path inside it (inside the
    card content for a content rule), or, raised by a door, the door's own name for the input.
    """

    def __init__(
        self, message: str, path: str | None = None, *, field: InputField | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.field = field


class UnknownPageToken(InvalidInput):
    """A page token names no position of the list it was given for: not one the server issued
    for that list and its filters."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field=InputField.PAGE_TOKEN)


class InvalidState(CardinalError):
    """The stored state forbids the change (archived card, link taken, group not empty, ...)."""


class StaleVersion(InvalidState):
    """The change was based on a version that is no longer the latest."""


class LimitExceeded(CardinalError):
    """A size or count limit would be exceeded."""


class NotAuthenticated(CardinalError):
    """The credential is missing, unknown, expired, revoked, or its holder is disabled."""


class AccessDenied(CardinalError):
    """The caller may not do this: a role it lacks, or an approval policy's rule.

    ``rule`` names what refused (``role``, or the policy rule, e.g. ``separation_of_duties``).
    """

    def __init__(self, message: str, *, rule: str = "role") -> None:
        super().__init__(message)
        self.rule = rule


ERROR_CLASSES: tuple[type[CardinalError], ...] = (
    NotFound,
    AlreadyExists,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    AccessDenied,
)
