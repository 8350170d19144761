"""Who can call Cardinal: users (people) and service accounts (CI jobs), their grants, and the
credentials they call with (API tokens for REST and the CLI, access keys for SigV4).

A principal's name is what the audit trail records as the actor of each change it makes. Open
mode (authentication off) has no principals: the caller names itself and may do anything.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cardinal.domain.access import Action, Grant, Role, missing_role
from cardinal.domain.errors import InvalidInput

# The name of a user or service account.
PRINCIPAL_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$"
_NAME = re.compile(PRINCIPAL_NAME_PATTERN)
ACCESS_KEY_PREFIX = "CRDK"
DEFAULT_TOKEN_DAYS = 90
_KEY_ALPHABET = string.ascii_uppercase + "234567"
_ACCESS_KEY_ID = re.compile(rf"{ACCESS_KEY_PREFIX}[{_KEY_ALPHABET}]{{16}}")


class PrincipalKind(StrEnum):
    USER = "user"
    SERVICE = "service"


@dataclass(frozen=True)
class Principal:
    name: str
    kind: PrincipalKind
    grants: tuple[Grant, ...] = ()
    disabled: bool = False
    created_at: datetime | None = None
    created_by: str | None = None

    def missing(self, action: Action, group: str | None = None) -> str | None:
        """None when this principal may do ``action`` (in ``group``); else what is missing."""
        return missing_role(self.grants, action, group)


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed: never the token itself, which only its holder saw once."""

    lookup_id: str
    principal: str
    description: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True)
class AccessKeyInfo:
    """A SigV4 access key as listed: its id, never its secret."""

    access_key_id: str
    principal: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def state(self) -> str:
        return "revoked" if self.revoked_at is not None else "active"


@dataclass(frozen=True)
class IssuedAccessKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)  # shown once, to the one it is issued to


def check_principal_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InvalidInput(
            f"'{name}' is not a valid user name: 1 to 64 letters, digits and . _ @ + -, "
            "starting with a letter or digit.",
            path="name",
        )
    return name


ADMIN_EVERYWHERE = (
    "admin is granted everywhere or not at all: administering users, keys and policies is not "
    "a task within one group."
)


def parse_grant(role: str, group: str | None) -> Grant:
    """The grant of ``role`` (in ``group``, or everywhere) to be given; InvalidInput naming the
    roles, or refusing admin in one group."""
    parsed = parse_held_grant(role, group)
    if parsed.role is Role.ADMIN and group is not None:
        raise InvalidInput(ADMIN_EVERYWHERE, path="group")
    return parsed


def parse_held_grant(role: str, group: str | None) -> Grant:
    """The grant of ``role`` (in ``group``, or everywhere) that a principal may hold, to be
    revoked; InvalidInput naming the roles. Admin in one group is a grant no principal holds,
    which is the store's to answer (the revoke finds nothing), not a fault of the request."""
    try:
        parsed = Role(role.lower())
    except ValueError:
        raise InvalidInput(
            f"'{role}' is not a role; the roles are {', '.join(r.value for r in Role)}.",
            path="role",
        ) from None
    return Grant(parsed, group)


def new_access_key() -> IssuedAccessKey:
    key_id = ACCESS_KEY_PREFIX + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))
    return IssuedAccessKey(key_id, secrets.token_urlsafe(30))


def is_access_key_id(value: str) -> bool:
    return _ACCESS_KEY_ID.fullmatch(value) is not None
