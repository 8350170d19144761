"""Stored principals, their grants, API tokens (as hashes) and access keys (as ciphertext)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from cardinal.domain.access import Grant, Role
from cardinal.domain.errors import NotFound
from cardinal.domain.identities import AccessKeyInfo, Principal, PrincipalKind, TokenInfo
from cardinal.store.tables import access_keys, api_tokens, grants, principals, web_sessions

# A credential's holder, read with the credential in one statement (its password hash left out).
_HOLDER = (
    principals.c.id,
    principals.c.name,
    principals.c.kind,
    principals.c.disabled,
    principals.c.created_at,
    principals.c.created_by,
)

EVERY_GROUP = "*"


@dataclass(frozen=True)
class StoredToken:
    holder: Principal
    sha256: str
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class StoredAccessKey:
    holder: Principal
    secret_ciphertext: str
    revoked_at: datetime | None


@dataclass(frozen=True)
class StoredSession:
    holder: Principal
    sha256: str
    expires_at: datetime
    ended_at: datetime | None


class IdentityRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def find(self, name: str, *, for_update: bool = False) -> Principal | None:
        query = select(principals).where(principals.c.name == name)
        row = self._db.execute(query.with_for_update() if for_update else query).one_or_none()
        return None if row is None else self._principal(row)

    def get(self, name: str, *, for_update: bool = False) -> Principal:
        found = self.find(name, for_update=for_update)
        if found is None:
            raise NotFound(f"No user or service account is named '{name}'.")
        return found

    def all(self) -> list[Principal]:
        rows = self._db.execute(select(principals).order_by(principals.c.name)).all()
        by_id = self._grants_by_principal([row.id for row in rows])
        return [self._principal(row, by_id.get(row.id, ())) for row in rows]

    def add(self, name: str, kind: PrincipalKind, now: datetime, actor: str) -> Principal:
        self._db.execute(
            insert(principals).values(
                name=name,
                kind=kind.value,
                disabled=False,
                password_hash=None,
                created_at=now,
                created_by=actor,
                last_modified_at=now,
                last_modified_by=actor,
            )
        )
        return self.get(name)

    def set_disabled(self, name: str, disabled: bool, now: datetime, actor: str) -> None:
        self._touch(name, now, actor, disabled=disabled)

    def set_password_hash(self, name: str, hashed: str | None, now: datetime, actor: str) -> None:
        self._touch(name, now, actor, password_hash=hashed)

    def password_hash(self, name: str) -> str | None:
        found = self._db.execute(
            select(principals.c.password_hash).where(
                principals.c.name == name, principals.c.disabled.is_(False)
            )
        ).scalar_one_or_none()
        return found if isinstance(found, str) else None

    def add_grant(self, name: str, grant: Grant, now: datetime, actor: str) -> None:
        self._db.execute(
            insert(grants).values(
                principal_id=self._id(name),
                role=grant.role.value,
                group_name=grant.group or EVERY_GROUP,
                created_at=now,
                created_by=actor,
            )
        )

    def remove_grant(self, name: str, grant: Grant) -> bool:
        removed = self._db.execute(
            delete(grants).where(
                grants.c.principal_id == self._id(name),
                grants.c.role == grant.role.value,
                grants.c.group_name == (grant.group or EVERY_GROUP),
            )
        )
        return bool(removed.rowcount)

    def count_active_admins(self) -> int:
        return len(
            self._db.execute(
                select(principals.c.id)
                .join(grants, grants.c.principal_id == principals.c.id)
                .where(principals.c.disabled.is_(False), grants.c.role == Role.ADMIN.value)
            ).all()
        )

    def add_token(
        self,
        name: str,
        lookup_id: str,
        sha256: str,
        description: str,
        expires_at: datetime | None,
        now: datetime,
        actor: str,
    ) -> None:
        self._db.execute(
            insert(api_tokens).values(
                principal_id=self._id(name),
                lookup_id=lookup_id,
                sha256=sha256,
                description=description,
                created_at=now,
                created_by=actor,
                expires_at=expires_at,
            )
        )

    def find_token(self, lookup_id: str) -> StoredToken | None:
        row = self._db.execute(
            select(
                *_HOLDER,
                api_tokens.c.sha256,
                api_tokens.c.expires_at,
                api_tokens.c.revoked_at,
            )
            .join(principals, principals.c.id == api_tokens.c.principal_id)
            .where(api_tokens.c.lookup_id == lookup_id)
        ).one_or_none()
        if row is None:
            return None
        return StoredToken(self._principal(row), row.sha256, row.expires_at, row.revoked_at)

    def tokens(self, name: str) -> list[TokenInfo]:
        rows = self._db.execute(
            select(api_tokens)
            .where(api_tokens.c.principal_id == self._id(name))
            .order_by(api_tokens.c.id)
        ).all()
        return [
            TokenInfo(
                row.lookup_id,
                name,
                row.description,
                row.created_at,
                row.expires_at,
                row.revoked_at,
            )
            for row in rows
        ]

    def revoke_token(self, name: str, lookup_id: str, now: datetime, actor: str) -> bool:
        changed = self._db.execute(
            update(api_tokens)
            .where(
                api_tokens.c.principal_id == self._id(name),
                api_tokens.c.lookup_id == lookup_id,
                api_tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=now, revoked_by=actor)
        )
        return bool(changed.rowcount)

    def add_access_key(
        self, name: str, access_key_id: str, ciphertext: str, now: datetime, actor: str
    ) -> None:
        self._db.execute(
            insert(access_keys).values(
                principal_id=self._id(name),
                access_key_id=access_key_id,
                secret_ciphertext=ciphertext,
                created_at=now,
                created_by=actor,
            )
        )

    def find_access_key(self, access_key_id: str) -> StoredAccessKey | None:
        row = self._db.execute(
            select(*_HOLDER, access_keys.c.secret_ciphertext, access_keys.c.revoked_at)
            .join(principals, principals.c.id == access_keys.c.principal_id)
            .where(access_keys.c.access_key_id == access_key_id)
        ).one_or_none()
        if row is None:
            return None
        return StoredAccessKey(self._principal(row), row.secret_ciphertext, row.revoked_at)

    def access_keys(self, name: str) -> list[AccessKeyInfo]:
        rows = self._db.execute(
            select(access_keys)
            .where(access_keys.c.principal_id == self._id(name))
            .order_by(access_keys.c.id)
        ).all()
        return [
            AccessKeyInfo(row.access_key_id, name, row.created_at, row.revoked_at) for row in rows
        ]

    def revoke_access_key(self, name: str, access_key_id: str, now: datetime, actor: str) -> bool:
        changed = self._db.execute(
            update(access_keys)
            .where(
                access_keys.c.principal_id == self._id(name),
                access_keys.c.access_key_id == access_key_id,
                access_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=now, revoked_by=actor)
        )
        return bool(changed.rowcount)

    def add_session(
        self, name: str, lookup_id: str, sha256: str, now: datetime, expires_at: datetime
    ) -> None:
        self._db.execute(
            insert(web_sessions).values(
                principal_id=self._id(name),
                lookup_id=lookup_id,
                sha256=sha256,
                created_at=now,
                expires_at=expires_at,
            )
        )

    def find_session(self, lookup_id: str) -> StoredSession | None:
        row = self._db.execute(
            select(
                *_HOLDER,
                web_sessions.c.sha256,
                web_sessions.c.expires_at,
                web_sessions.c.ended_at,
            )
            .join(principals, principals.c.id == web_sessions.c.principal_id)
            .where(web_sessions.c.lookup_id == lookup_id)
        ).one_or_none()
        if row is None:
            return None
        return StoredSession(self._principal(row), row.sha256, row.expires_at, row.ended_at)

    def end_session(self, lookup_id: str, now: datetime) -> bool:
        changed = self._db.execute(
            update(web_sessions)
            .where(web_sessions.c.lookup_id == lookup_id, web_sessions.c.ended_at.is_(None))
            .values(ended_at=now)
        )
        return bool(changed.rowcount)

    def _id(self, name: str) -> int:
        found = self._db.execute(
            select(principals.c.id).where(principals.c.name == name)
        ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"No user or service account is named '{name}'.")
        return int(found)

    def _touch(self, name: str, now: datetime, actor: str, **values: Any) -> None:
        self._db.execute(
            update(principals)
            .where(principals.c.name == name)
            .values(**values, last_modified_at=now, last_modified_by=actor)
        )

    def _grants_by_principal(self, ids: list[int]) -> dict[int, tuple[Grant, ...]]:
        if not ids:
            return {}
        found: dict[int, list[Grant]] = {}
        rows = self._db.execute(
            select(grants.c.principal_id, grants.c.role, grants.c.group_name)
            .where(grants.c.principal_id.in_(ids))
            .order_by(grants.c.id)
        ).all()
        for row in rows:
            group = None if row.group_name == EVERY_GROUP else row.group_name
            found.setdefault(row.principal_id, []).append(Grant(Role(row.role), group))
        return {key: tuple(value) for key, value in found.items()}

    def _principal(
        self, row: Row[*tuple[Any, ...]], held: tuple[Grant, ...] | None = None
    ) -> Principal:
        if held is None:
            held = self._grants_by_principal([row.id]).get(row.id, ())
        return Principal(
            name=row.name,
            kind=PrincipalKind(row.kind),
            grants=held,
            disabled=bool(row.disabled),
            created_at=row.created_at,
            created_by=row.created_by,
        )
