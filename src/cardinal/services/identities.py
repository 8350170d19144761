"""Use cases of identities: users and service accounts, their grants and credentials, and
recognising the caller behind a token or an access key.

Managing anyone takes the admin role; a principal may also read itself and manage its own
tokens and access keys. Every change is an audit event on the principal's resource
(``cardinal:user/NAME``), with the authenticated actor; secrets never enter the trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from cardinal.domain.access import Action, Grant, Role
from cardinal.domain.api_tokens import (
    SESSION_PREFIX,
    csrf_token,
    issue_token,
    lookup_id,
    token_matches,
)
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import (
    AlreadyExists,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
)
from cardinal.domain.identities import (
    ADMIN_EVERYWHERE,
    DEFAULT_TOKEN_DAYS,
    AccessKeyInfo,
    IssuedAccessKey,
    Principal,
    PrincipalKind,
    TokenInfo,
    check_principal_name,
    is_access_key_id,
    new_access_key,
)
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.passwords import hash_password, password_matches
from cardinal.services.secret_box import SecretBox
from cardinal.store.unit_of_work import Store, UnitOfWork

MAX_ACTIVE_ACCESS_KEYS = 2
MAX_TOKEN_DAYS = 3650
SESSION_LIFETIME = timedelta(hours=12)
_TOKEN_REFUSED = "The token is not valid: it is unknown, expired or revoked. Sign in again."


def principal_arn(name: str) -> str:
    return f"cardinal:user/{name}"


@dataclass(frozen=True)
class IssuedSession:
    token: str = field(repr=False)  # the session cookie's value
    csrf_token: str = field(repr=False)  # what the session's forms carry
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True)
class IssuedApiToken:
    info: TokenInfo
    token: str  # shown once


class IdentityService:
    def __init__(self, store: Store, secrets: SecretBox) -> None:
        self._store = store
        self._secrets = secrets

    # Principals and grants

    def create_principal(
        self,
        ctx: RequestContext,
        name: str,
        kind: PrincipalKind = PrincipalKind.USER,
        grants: Sequence[Grant] = (),
    ) -> Principal:
        ctx.require(Action.ADMINISTER)
        check_principal_name(name)

        def work(uow: UnitOfWork) -> Principal:
            if uow.identities.find(name) is not None:
                raise AlreadyExists(f"A user or service account named '{name}' exists already.")
            now = utcnow()
            uow.identities.add(name, kind, now, ctx.actor)
            for grant in dict.fromkeys(grants):
                uow.identities.add_grant(name, grant, now, ctx.actor)
            after = {"name": name, "kind": kind.value, "grants": _grants(grants)}
            record(uow, ctx, AuditAction.USER_CREATE, principal_arn(name), after=after, at=now)
            return uow.identities.get(name)

        return self._store.write(work)

    def list_principals(self, ctx: RequestContext) -> list[Principal]:
        ctx.require(Action.ADMINISTER)
        return self._store.read(lambda uow: uow.identities.all())

    def describe_principal(self, ctx: RequestContext, name: str) -> Principal:
        _require_self_or_admin(ctx, name)
        return self._store.read(lambda uow: uow.identities.get(name))

    def set_disabled(self, ctx: RequestContext, name: str, disabled: bool) -> Principal:
        ctx.require(Action.ADMINISTER)

        def work(uow: UnitOfWork) -> Principal:
            principal = uow.identities.get(name, for_update=True)
            if principal.disabled == disabled:
                return principal
            now = utcnow()
            admins = uow.identities.count_active_admins()
            uow.identities.set_disabled(name, disabled, now, ctx.actor)
            if disabled:
                _keep_an_admin(uow, admins, f"disabling {name}")
            action = AuditAction.USER_DISABLE if disabled else AuditAction.USER_ENABLE
            record(
                uow, ctx, action, principal_arn(name),
                before={"disabled": not disabled}, after={"disabled": disabled}, at=now,
            )  # fmt: skip
            return uow.identities.get(name)

        return self._store.write(work)

    def grant(self, ctx: RequestContext, name: str, grant: Grant) -> Principal:
        ctx.require(Action.ADMINISTER)

        def work(uow: UnitOfWork) -> Principal:
            principal = uow.identities.get(name, for_update=True)
            if grant in principal.grants:
                return principal
            now = utcnow()
            uow.identities.add_grant(name, grant, now, ctx.actor)
            record(
                uow, ctx, AuditAction.USER_GRANT, principal_arn(name),
                after={"grant": _grants([grant])[0]}, at=now,
            )  # fmt: skip
            return uow.identities.get(name)

        return self._store.write(work)

    def revoke_grant(self, ctx: RequestContext, name: str, grant: Grant) -> Principal:
        """Take ``grant`` from ``name`` (admin). NotFound when it holds no such grant (admin in
        one group is one nobody holds); InvalidState when no active admin would be left."""
        ctx.require(Action.ADMINISTER)

        def work(uow: UnitOfWork) -> Principal:
            uow.identities.get(name, for_update=True)
            admins = uow.identities.count_active_admins()
            if not uow.identities.remove_grant(name, grant):
                held = f"{name} does not hold {_grants([grant])[0]}"
                if grant.role is Role.ADMIN and grant.group is not None:
                    raise NotFound(f"{held}; {ADMIN_EVERYWHERE}")
                raise NotFound(f"{held}.")
            if grant.role is Role.ADMIN:
                _keep_an_admin(uow, admins, f"taking admin from {name}")
            record(
                uow, ctx, AuditAction.USER_REVOKE_GRANT, principal_arn(name),
                before={"grant": _grants([grant])[0]},
            )  # fmt: skip
            return uow.identities.get(name)

        return self._store.write(work)

    def set_password(self, ctx: RequestContext, name: str, password: str) -> None:
        _require_self_or_admin(ctx, name)
        hashed = hash_password(password)

        def work(uow: UnitOfWork) -> None:
            uow.identities.get(name, for_update=True)
            now = utcnow()
            uow.identities.set_password_hash(name, hashed, now, ctx.actor)
            record(uow, ctx, AuditAction.USER_PASSWORD, principal_arn(name), at=now)

        self._store.write(work)

    def has_admin(self) -> bool:
        return self._store.read(lambda uow: uow.identities.count_active_admins() > 0)

    # API tokens

    def create_token(
        self,
        ctx: RequestContext,
        name: str,
        description: str = "",
        expires_in_days: int | None = DEFAULT_TOKEN_DAYS,
    ) -> IssuedApiToken:
        _require_self_or_admin(ctx, name)
        if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
            raise InvalidInput(
                f"A token expires in 1 to {MAX_TOKEN_DAYS} days (or never, if asked).",
                path="expires_in_days",
            )
        if len(description) > 256:
            raise InvalidInput("A token's description has at most 256 characters.")
        issued = issue_token()

        def work(uow: UnitOfWork) -> TokenInfo:
            _enabled(uow.identities.get(name, for_update=True))
            now = utcnow()
            expires = None if expires_in_days is None else now + timedelta(days=expires_in_days)
            uow.identities.add_token(
                name, issued.lookup_id, issued.hash, description, expires, now, ctx.actor
            )
            after = {
                "token": issued.lookup_id,
                "description": description,
                "expires_at": None if expires is None else expires.isoformat(),
            }
            record(uow, ctx, AuditAction.TOKEN_CREATE, principal_arn(name), after=after, at=now)
            return TokenInfo(issued.lookup_id, name, description, now, expires, None)

        return IssuedApiToken(self._store.write(work), issued.token)

    def list_tokens(self, ctx: RequestContext, name: str) -> list[TokenInfo]:
        _require_self_or_admin(ctx, name)
        return self._store.read(lambda uow: uow.identities.tokens(name))

    def revoke_token(self, ctx: RequestContext, name: str, token_id: str) -> None:
        _require_self_or_admin(ctx, name)

        def work(uow: UnitOfWork) -> None:
            now = utcnow()
            if not uow.identities.revoke_token(name, token_id, now, ctx.actor):
                raise NotFound(f"{name} has no active token {token_id}.")
            record(
                uow, ctx, AuditAction.TOKEN_REVOKE, principal_arn(name),
                before={"token": token_id}, at=now,
            )  # fmt: skip

        self._store.write(work)

    def authenticate_token(self, token: str) -> Principal:
        """The principal ``token`` belongs to; NotAuthenticated for anything else."""
        found_id = lookup_id(token)
        if found_id is None:
            raise NotAuthenticated(
                "The Authorization header carries no Cardinal token (Bearer crd_...)."
            )

        def work(uow: UnitOfWork) -> Principal:
            stored = uow.identities.find_token(found_id)
            if stored is None or not token_matches(token, stored.sha256):
                raise NotAuthenticated(_TOKEN_REFUSED)
            if stored.revoked_at is not None or _past(stored.expires_at):
                raise NotAuthenticated(_TOKEN_REFUSED)
            return _usable(stored.holder)

        return self._store.read(work)

    # SigV4 access keys

    def create_access_key(self, ctx: RequestContext, name: str) -> IssuedAccessKey:
        _require_self_or_admin(ctx, name)
        issued = new_access_key()
        sealed = self._secrets.seal(issued.secret_access_key)

        def work(uow: UnitOfWork) -> None:
            _enabled(uow.identities.get(name, for_update=True))
            active = [k for k in uow.identities.access_keys(name) if k.revoked_at is None]
            if len(active) >= MAX_ACTIVE_ACCESS_KEYS:
                raise LimitExceeded(
                    f"{name} has {len(active)} active access keys, the most one may have; "
                    f"revoke one first ({', '.join(k.access_key_id for k in active)})."
                )
            now = utcnow()
            uow.identities.add_access_key(name, issued.access_key_id, sealed, now, ctx.actor)
            record(
                uow, ctx, AuditAction.ACCESS_KEY_CREATE, principal_arn(name),
                after={"access_key_id": issued.access_key_id}, at=now,
            )  # fmt: skip

        self._store.write(work)
        return issued

    def list_access_keys(self, ctx: RequestContext, name: str) -> list[AccessKeyInfo]:
        _require_self_or_admin(ctx, name)
        return self._store.read(lambda uow: uow.identities.access_keys(name))

    def revoke_access_key(self, ctx: RequestContext, name: str, access_key_id: str) -> None:
        _require_self_or_admin(ctx, name)

        def work(uow: UnitOfWork) -> None:
            now = utcnow()
            if not uow.identities.revoke_access_key(name, access_key_id, now, ctx.actor):
                raise NotFound(f"{name} has no active access key {access_key_id}.")
            record(
                uow, ctx, AuditAction.ACCESS_KEY_REVOKE, principal_arn(name),
                before={"access_key_id": access_key_id}, at=now,
            )  # fmt: skip

        self._store.write(work)

    def access_key(self, access_key_id: str) -> tuple[Principal, str] | None:
        """The holder of an active access key and its secret, to verify a signature; None when
        the key is unknown, revoked, its holder disabled, or it was sealed with another key."""
        if not is_access_key_id(access_key_id):
            return None

        def work(uow: UnitOfWork) -> tuple[Principal, str] | None:
            stored = uow.identities.find_access_key(access_key_id)
            if stored is None or stored.revoked_at is not None:
                return None
            principal = stored.holder
            secret = self._secrets.open(stored.secret_ciphertext)
            if principal.disabled or secret is None:
                return None
            return principal, secret

        return self._store.read(work)

    # Web sessions (the web UI signs in with a password)

    def start_session(self, ctx: RequestContext, name: str, password: str) -> IssuedSession | None:
        """A new session of ``name`` when ``password`` is its password; None otherwise (the
        same answer, in about the same time, for an unknown name)."""
        principal = self.check_password(name, password)
        if principal is None:
            return None
        issued = issue_token(SESSION_PREFIX)
        signed_in = replace(ctx, actor=principal.name, principal=principal)

        def work(uow: UnitOfWork) -> IssuedSession:
            now = utcnow()
            expires = now + SESSION_LIFETIME
            uow.identities.add_session(principal.name, issued.lookup_id, issued.hash, now, expires)
            record(
                uow, signed_in, AuditAction.SESSION_START, principal_arn(principal.name),
                after={"session": issued.lookup_id}, at=now,
            )  # fmt: skip
            return IssuedSession(issued.token, csrf_token(issued.token), expires, principal)

        return self._store.write(work)

    def session_principal(self, token: str) -> Principal:
        """The principal of an active session; NotAuthenticated for anything else."""
        found_id = lookup_id(token, SESSION_PREFIX)
        if found_id is None:
            raise NotAuthenticated("Sign in first.")

        def work(uow: UnitOfWork) -> Principal:
            stored = uow.identities.find_session(found_id)
            if stored is None or not token_matches(token, stored.sha256):
                raise NotAuthenticated("Sign in first.")
            if stored.ended_at is not None or _past(stored.expires_at):
                raise NotAuthenticated("The session has ended; sign in again.")
            return _usable(stored.holder)

        return self._store.read(work)

    def end_session(self, ctx: RequestContext, token: str) -> None:
        """End a session (signing out); a session already ended or unknown is left alone."""
        found_id = lookup_id(token, SESSION_PREFIX)
        if found_id is None:
            return

        def work(uow: UnitOfWork) -> None:
            stored = uow.identities.find_session(found_id)
            if stored is None or not token_matches(token, stored.sha256):
                return
            now = utcnow()
            if uow.identities.end_session(found_id, now):
                record(
                    uow, replace(ctx, actor=stored.holder.name), AuditAction.SESSION_END,
                    principal_arn(stored.holder.name), before={"session": found_id}, at=now,
                )  # fmt: skip

        self._store.write(work)

    # Passwords (the web UI signs in with them)

    def check_password(self, name: str, password: str) -> Principal | None:
        def work(uow: UnitOfWork) -> tuple[str | None, Principal | None]:
            return uow.identities.password_hash(name), uow.identities.find(name)

        stored, principal = self._store.read(work)
        if not password_matches(stored, password) or principal is None or principal.disabled:
            return None
        return principal


def _require_self_or_admin(ctx: RequestContext, name: str) -> None:
    if ctx.principal is not None and ctx.principal.name == name:
        return
    ctx.require(Action.ADMINISTER)


def _usable(principal: Principal) -> Principal:
    if principal.disabled:
        raise NotAuthenticated(f"{principal.name} is disabled.")
    return principal


def _enabled(principal: Principal) -> None:
    if principal.disabled:
        raise InvalidState(f"{principal.name} is disabled; enable it before giving it credentials.")


def _keep_an_admin(uow: UnitOfWork, admins_before: int, doing: str) -> None:
    """Refuse the change that takes the store from some active admin to none."""
    if admins_before > 0 and uow.identities.count_active_admins() == 0:
        raise InvalidState(
            f"Refused {doing}: it would leave no active admin. Grant admin to another user first."
        )


def _past(moment: datetime | None) -> bool:
    return moment is not None and moment <= utcnow()


def _grants(grants: Sequence[Grant]) -> list[str]:
    return [g.role.value if g.group is None else f"{g.role.value}@{g.group}" for g in grants]
