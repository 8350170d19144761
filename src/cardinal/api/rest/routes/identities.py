"""Identities: the caller (``/whoami``), users and service accounts (``/users``), their grants,
password, API tokens and SigV4 access keys.

Who may do what is the IdentityService's to decide (admin for everyone; a principal for itself);
these routes only translate. A new token or access key secret is in the one answer that issues
it and nowhere else: never in a list, a log line or the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.domain.access import Grant
from cardinal.domain.errors import InvalidInput
from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH
from cardinal.domain.identities import parse_grant, parse_held_grant
from cardinal.wire.evidence import problem_responses
from cardinal.wire.identities import (
    ROLE_NAMES,
    AccessKeyIssued,
    AccessKeyRead,
    GrantBody,
    GrantRead,
    Items,
    PasswordPut,
    PrincipalCreate,
    PrincipalRead,
    TokenCreate,
    TokenIssued,
    TokenRead,
    WhoAmI,
)

router = APIRouter(tags=["identities"], responses=problem_responses(400, 401, 403, 404, 409, 422))

UserName = Annotated[str, Path(min_length=1, max_length=64, description="A user or service.")]
TokenId = Annotated[str, Path(min_length=1, max_length=64)]
AccessKeyId = Annotated[str, Path(min_length=1, max_length=64)]
NO_CONTENT = status.HTTP_204_NO_CONTENT


@contextmanager
def _at(prefix: str) -> Iterator[None]:
    """A service's InvalidInput about a field, pointed at where that field is in this request."""
    try:
        yield
    except InvalidInput as error:
        if error.path is None or error.path.startswith("$"):
            raise
        raise InvalidInput(error.message, path=f"{prefix}.{error.path}") from None


def _grant(role: str, group: str | None, where: str = "$") -> Grant:
    with _at(where):
        return parse_grant(role, group)


@router.get("/whoami", response_model=WhoAmI, summary="Who the caller is")
def whoami(ctx: ContextDep) -> WhoAmI:
    """The principal the request's token names, with its grants. Where nobody is checked (open
    mode, the CLI's local store) it is whoever ``X-Cardinal-Actor`` names, with ``checked``
    false and no grants."""
    principal = ctx.principal
    if principal is None:
        return WhoAmI(name=ctx.actor, kind=None, grants=[], checked=False)
    grants = [GrantRead.of(g) for g in principal.grants]
    return WhoAmI(name=principal.name, kind=principal.kind, grants=grants, checked=True)


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=PrincipalRead,
    summary="Create a user or service account",
)
def create_user(
    body: PrincipalCreate,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> PrincipalRead:
    """Create a user (a person) or a service account (a CI job) with its grants; takes the admin
    role. 409 if the name is taken; 422 naming the roles for a role that is not one."""
    grants = [_grant(g.role, g.group, f"$.grants[{i}]") for i, g in enumerate(body.grants)]
    with _at("$"):
        made = services.identities.create_principal(ctx, body.name, body.kind, grants)
    response.headers["Location"] = str(request.url_for("read_user", name=made.name))
    return PrincipalRead.of(made)


@router.get("/users", response_model=Items[PrincipalRead], summary="List users")
def list_users(services: ServicesDep, ctx: ContextDep) -> Items[PrincipalRead]:
    """Every user and service account, by name; takes the admin role."""
    found = services.identities.list_principals(ctx)
    return Items[PrincipalRead](items=[PrincipalRead.of(p) for p in found])


@router.get("/users/{name}", response_model=PrincipalRead, summary="Read a user")
def read_user(name: UserName, services: ServicesDep, ctx: ContextDep) -> PrincipalRead:
    """One user or service account with its grants (admin, or the principal itself)."""
    return PrincipalRead.of(services.identities.describe_principal(ctx, name))


@router.post("/users/{name}/disable", response_model=PrincipalRead, summary="Disable a user")
def disable_user(name: UserName, services: ServicesDep, ctx: ContextDep) -> PrincipalRead:
    """Disable a principal: its tokens and keys stop working (they are kept, for enabling it
    again). Refused (409) if it would leave no active admin."""
    return PrincipalRead.of(services.identities.set_disabled(ctx, name, True))


@router.post("/users/{name}/enable", response_model=PrincipalRead, summary="Enable a user")
def enable_user(name: UserName, services: ServicesDep, ctx: ContextDep) -> PrincipalRead:
    """Enable a disabled principal again."""
    return PrincipalRead.of(services.identities.set_disabled(ctx, name, False))


@router.post("/users/{name}/grants", response_model=PrincipalRead, summary="Grant a role")
def grant_role(
    name: UserName, body: GrantBody, services: ServicesDep, ctx: ContextDep
) -> PrincipalRead:
    """Grant a role, everywhere or in one group (a grant held already changes nothing)."""
    return PrincipalRead.of(services.identities.grant(ctx, name, _grant(body.role, body.group)))


@router.delete("/users/{name}/grants", response_model=PrincipalRead, summary="Revoke a grant")
def revoke_grant(
    name: UserName,
    services: ServicesDep,
    ctx: ContextDep,
    role: Annotated[
        str,
        Query(
            min_length=1,
            max_length=32,
            description="The role.",
            json_schema_extra={"enum": ROLE_NAMES},
        ),
    ],
    group: Annotated[
        str | None,
        Query(
            max_length=ENTITY_NAME_MAX_LENGTH,
            pattern=ENTITY_NAME,
            description="The group it was granted in; absent: every.",
        ),
    ] = None,
) -> PrincipalRead:
    """Revoke a grant the principal holds (404 if it holds no such grant, as for admin in one
    group, which is granted to nobody). Refused (409) if it would leave no active admin."""
    with _at("$"):
        grant = parse_held_grant(role, group)
    return PrincipalRead.of(services.identities.revoke_grant(ctx, name, grant))


@router.put("/users/{name}/password", status_code=NO_CONTENT, summary="Set a user's password")
def set_password(
    name: UserName, body: PasswordPut, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Set the password the web UI signs in with (admin, or the user itself); at least 12
    characters."""
    with _at("$"):
        services.identities.set_password(ctx, name, body.password)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/users/{name}/tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenIssued,
    summary="Issue an API token",
)
def create_token(
    name: UserName, body: TokenCreate, services: ServicesDep, ctx: ContextDep
) -> TokenIssued:
    """Issue an API token (``crd_…``) for REST and the CLI; the answer is the only place the
    token is ever shown. Expires in ``expires_in_days`` (1 to 3650; null: never)."""
    with _at("$"):
        issued = services.identities.create_token(ctx, name, body.description, body.expires_in_days)
    info = issued.info
    return TokenIssued(
        id=info.lookup_id,
        token=issued.token,
        description=info.description,
        created_at=info.created_at,
        expires_at=info.expires_at,
    )


@router.get("/users/{name}/tokens", response_model=Items[TokenRead], summary="List API tokens")
def list_tokens(name: UserName, services: ServicesDep, ctx: ContextDep) -> Items[TokenRead]:
    """A principal's tokens with their state (active, expired, revoked), never the tokens."""
    now = datetime.now(UTC)
    found = services.identities.list_tokens(ctx, name)
    return Items[TokenRead](items=[TokenRead.of(t, now) for t in found])


@router.delete(
    "/users/{name}/tokens/{token_id}", status_code=NO_CONTENT, summary="Revoke an API token"
)
def revoke_token(
    name: UserName, token_id: TokenId, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Revoke a token at once (404 if the principal has no such active token)."""
    services.identities.revoke_token(ctx, name, token_id)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/users/{name}/keys",
    status_code=status.HTTP_201_CREATED,
    response_model=AccessKeyIssued,
    summary="Issue a SigV4 access key",
)
def create_key(name: UserName, services: ServicesDep, ctx: ContextDep) -> AccessKeyIssued:
    """Issue an access key for the SageMaker door (boto3, the SageMaker SDKs); the answer is the
    only place its secret is ever shown. At most two are active at once (422: revoke one)."""
    issued = services.identities.create_access_key(ctx, name)
    made = next(
        (
            k.created_at
            for k in services.identities.list_access_keys(ctx, name)
            if k.access_key_id == issued.access_key_id
        ),
        None,
    )
    return AccessKeyIssued(
        access_key_id=issued.access_key_id,
        secret_access_key=issued.secret_access_key,
        created_at=made,
    )


@router.get("/users/{name}/keys", response_model=Items[AccessKeyRead], summary="List access keys")
def list_keys(name: UserName, services: ServicesDep, ctx: ContextDep) -> Items[AccessKeyRead]:
    """A principal's access keys with their state (active, revoked), never their secrets."""
    found = services.identities.list_access_keys(ctx, name)
    return Items[AccessKeyRead](items=[AccessKeyRead.of(k) for k in found])


@router.delete(
    "/users/{name}/keys/{access_key_id}", status_code=NO_CONTENT, summary="Revoke an access key"
)
def revoke_key(
    name: UserName, access_key_id: AccessKeyId, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Revoke an access key at once (404 if the principal has no such active key)."""
    services.identities.revoke_access_key(ctx, name, access_key_id)
    return Response(status_code=NO_CONTENT)
