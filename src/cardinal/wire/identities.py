"""Request and response bodies of identities on the REST API: the caller (``/whoami``), users
and service accounts with their grants, and their API tokens and SigV4 access keys.

A secret (a token, an access key's secret, a password) appears in exactly one body each: the
answer that issues it, or the request that sets it. Those fields are left out of ``repr``, so a
model that ends up in a log line does not carry the secret with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cardinal.domain.access import Grant, Role
from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH
from cardinal.domain.identities import (
    DEFAULT_TOKEN_DAYS,
    PRINCIPAL_NAME_PATTERN,
    AccessKeyInfo,
    Principal,
    PrincipalKind,
    TokenInfo,
)

T = TypeVar("T")

# What the services check precisely (a name's characters, a role's spelling, a password's
# strength, a token's lifetime) is left to them, so their messages name the rule; the bounds here
# only keep absurd input out. The document states the rules from the same constants.
PrincipalName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Field(json_schema_extra={"pattern": PRINCIPAL_NAME_PATTERN}),
]
ROLE_NAMES = [role.value for role in Role]
RoleName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32),
    Field(json_schema_extra={"enum": ROLE_NAMES}),
]
GroupName = Annotated[
    str, StringConstraints(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Items(BaseModel, Generic[T]):
    """A whole list (these lists are short: the users of one Cardinal, one user's credentials)."""

    items: list[T]


class GrantBody(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "description": "admin is granted everywhere: a grant of admin names no group.",
            "anyOf": [
                {"properties": {"role": {"enum": [r for r in ROLE_NAMES if r != Role.ADMIN]}}},
                {"properties": {"role": {"const": Role.ADMIN.value}, "group": {"type": "null"}}},
            ],
        },
    )

    role: RoleName = Field(description="viewer, author, approver or admin.")
    group: GroupName | None = Field(
        default=None, description="The model package group it applies in; absent: every group."
    )


class GrantRead(BaseModel):
    role: Role
    group: str | None

    @classmethod
    def of(cls, grant: Grant) -> GrantRead:
        return cls(role=grant.role, group=grant.group)


class WhoAmI(BaseModel):
    """The caller. ``checked`` is false where nobody is checked (open mode, a local store):
    then ``name`` is whoever the caller said it is, and it holds no grants."""

    name: str
    kind: PrincipalKind | None
    grants: list[GrantRead]
    checked: bool


class PrincipalCreate(Body):
    name: PrincipalName
    kind: PrincipalKind = PrincipalKind.USER
    grants: Annotated[list[GrantBody], Field(max_length=100)] = Field(default_factory=list)


class PrincipalRead(BaseModel):
    name: str
    kind: PrincipalKind
    grants: list[GrantRead]
    disabled: bool
    created_at: datetime | None
    created_by: str | None

    @classmethod
    def of(cls, principal: Principal) -> PrincipalRead:
        return cls(
            name=principal.name,
            kind=principal.kind,
            grants=[GrantRead.of(g) for g in principal.grants],
            disabled=principal.disabled,
            created_at=principal.created_at,
            created_by=principal.created_by,
        )


class PasswordPut(Body):
    password: Annotated[str, StringConstraints(max_length=1024)] = Field(
        repr=False, json_schema_extra={"format": "password", "writeOnly": True}
    )


class TokenCreate(Body):
    description: Annotated[str, StringConstraints(max_length=256)] = ""
    expires_in_days: int | None = Field(
        default=DEFAULT_TOKEN_DAYS, description="Days until it expires; null: never."
    )


class TokenIssued(BaseModel):
    """A new API token: the only answer that ever holds the token itself."""

    id: str
    token: str = Field(repr=False, description="Shown once: send it as Authorization: Bearer.")
    description: str
    created_at: datetime
    expires_at: datetime | None


class TokenRead(BaseModel):
    id: str
    description: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str = Field(description="active, expired or revoked.")

    @classmethod
    def of(cls, token: TokenInfo, now: datetime) -> TokenRead:
        return cls(
            id=token.lookup_id,
            description=token.description,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            state=token.state(now),
        )


class AccessKeyIssued(BaseModel):
    """A new SigV4 access key: the only answer that ever holds its secret."""

    access_key_id: str
    secret_access_key: str = Field(repr=False, description="Shown once.")
    created_at: datetime | None = None


class AccessKeyRead(BaseModel):
    access_key_id: str
    created_at: datetime
    revoked_at: datetime | None
    state: str = Field(description="active or revoked.")

    @classmethod
    def of(cls, key: AccessKeyInfo) -> AccessKeyRead:
        return cls(
            access_key_id=key.access_key_id,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
            state=key.state,
        )
