"""Identities through the REST API: ``client.users`` (users and service accounts, their grants,
password, API tokens and access keys) and ``client.whoami()``. Answers are the API's own
pydantic models; a new token or secret is only in the answer that issues it.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from urllib.parse import quote

from cardinal.client.http import Http, value
from cardinal.domain.access import Role
from cardinal.domain.identities import DEFAULT_TOKEN_DAYS, PrincipalKind
from cardinal.wire.identities import (
    AccessKeyIssued,
    AccessKeyRead,
    Items,
    PrincipalRead,
    TokenIssued,
    TokenRead,
    WhoAmI,
)

GrantSpec = tuple[Role | str, str | None]
"""A role and the group it applies in (None: every group)."""


def _user(name: str) -> str:
    return f"/users/{quote(name, safe='')}"


def _grant(role: Role | str, group: str | None) -> dict[str, str | None]:
    return {"role": value(role), "group": group}


def whoami(http: Http) -> WhoAmI:
    return http.model(WhoAmI, "GET", "/whoami")[0]


class Users:
    """``client.users``: the ``/users`` resource, with each user's grants and credentials."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def create(
        self,
        name: str,
        *,
        kind: PrincipalKind | str = PrincipalKind.USER,
        grants: Sequence[GrantSpec] = (),
    ) -> PrincipalRead:
        """Create a user or service account with ``grants`` (409 if the name is taken)."""
        body = {"name": name, "kind": value(kind), "grants": [_grant(*g) for g in grants]}
        return self._http.model(PrincipalRead, "POST", "/users", json_body=body)[0]

    def list(self) -> builtins.list[PrincipalRead]:
        """Every user and service account, by name."""
        return self._http.model(Items[PrincipalRead], "GET", "/users")[0].items

    def get(self, name: str) -> PrincipalRead:
        return self._http.model(PrincipalRead, "GET", _user(name))[0]

    def disable(self, name: str) -> PrincipalRead:
        """Disable a principal: its tokens and keys stop working until it is enabled."""
        return self._http.model(PrincipalRead, "POST", f"{_user(name)}/disable")[0]

    def enable(self, name: str) -> PrincipalRead:
        return self._http.model(PrincipalRead, "POST", f"{_user(name)}/enable")[0]

    def grant(self, name: str, role: Role | str, group: str | None = None) -> PrincipalRead:
        """Grant ``role`` in ``group`` (None: every group)."""
        path = f"{_user(name)}/grants"
        return self._http.model(PrincipalRead, "POST", path, json_body=_grant(role, group))[0]

    def revoke_grant(self, name: str, role: Role | str, group: str | None = None) -> PrincipalRead:
        """Revoke a grant (404 if it is not held)."""
        params = {"role": value(role), "group": group}
        path = f"{_user(name)}/grants"
        return self._http.model(PrincipalRead, "DELETE", path, params=params)[0]

    def set_password(self, name: str, password: str) -> None:
        """Set the password the web UI signs in with."""
        path = f"{_user(name)}/password"
        self._http.request("PUT", path, json_body={"password": password})

    def create_token(
        self,
        name: str,
        *,
        description: str = "",
        expires_in_days: int | None = DEFAULT_TOKEN_DAYS,
    ) -> TokenIssued:
        """Issue an API token (``expires_in_days=None``: it never expires); the answer is the
        only place the token is ever shown."""
        body = {"description": description, "expires_in_days": expires_in_days}
        path = f"{_user(name)}/tokens"
        return self._http.model(TokenIssued, "POST", path, json_body=body)[0]

    def tokens(self, name: str) -> builtins.list[TokenRead]:
        """A principal's tokens with their state, never the tokens themselves."""
        return self._http.model(Items[TokenRead], "GET", f"{_user(name)}/tokens")[0].items

    def revoke_token(self, name: str, token_id: str) -> None:
        self._http.request("DELETE", f"{_user(name)}/tokens/{quote(token_id, safe='')}")

    def create_key(self, name: str) -> AccessKeyIssued:
        """Issue a SigV4 access key; the answer is the only place its secret is ever shown."""
        return self._http.model(AccessKeyIssued, "POST", f"{_user(name)}/keys")[0]

    def keys(self, name: str) -> builtins.list[AccessKeyRead]:
        """A principal's access keys with their state, never their secrets."""
        return self._http.model(Items[AccessKeyRead], "GET", f"{_user(name)}/keys")[0].items

    def revoke_key(self, name: str, access_key_id: str) -> None:
        self._http.request("DELETE", f"{_user(name)}/keys/{quote(access_key_id, safe='')}")
