"""Principals and credentials for tests that run with authentication on, made directly in the
store a server will use, sealed with that server's key (the key file in its data directory)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cardinal.config import Settings
from cardinal.domain.access import Grant, Role
from cardinal.services.container import Services
from tests.support.contexts import OPERATOR


@dataclass(frozen=True)
class Issued:
    name: str
    access_key_id: str
    secret_access_key: str
    token: str


def issue(
    database_url: str, data_dir: Path, name: str = "alice", roles: tuple[Grant, ...] = ()
) -> Issued:
    """Create ``name`` (an approver everywhere unless ``roles`` say otherwise) with an access
    key and an API token, in the store at ``database_url`` with the key of ``data_dir``."""
    services = Services.for_database(database_url, None, Settings(data_dir=data_dir).secret_box())
    try:
        identities = services.identities
        identities.create_principal(OPERATOR, name, grants=list(roles or (Grant(Role.APPROVER),)))
        key = identities.create_access_key(OPERATOR, name)
        token = identities.create_token(OPERATOR, name, "tests").token
        return Issued(name, key.access_key_id, key.secret_access_key, token)
    finally:
        services.close()


# A password the identity service accepts, for users who sign in to the web UI.
PASSWORD = "a long enough password"


def issue_with_password(
    database_url: str,
    data_dir: Path,
    name: str,
    roles: tuple[Grant, ...] = (),
    password: str = PASSWORD,
) -> Issued:
    """``issue(...)``, and a password for ``name`` to sign in to the web UI with."""
    issued = issue(database_url, data_dir, name, roles)
    services = Services.for_database(database_url, None, Settings(data_dir=data_dir).secret_box())
    try:
        services.identities.set_password(OPERATOR, name, password)
        return issued
    finally:
        services.close()
