"""Identities through the services on both backends: principals, grants, tokens, access keys,
and the role every service checks before it reads or changes anything."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import event, select

from cardinal.domain.access import Grant, Role
from cardinal.domain.audit import AuditAction, AuditQuery
from cardinal.domain.errors import (
    AccessDenied,
    AlreadyExists,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
)
from cardinal.domain.identities import Principal, PrincipalKind
from cardinal.domain.paging import PageRequest
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from cardinal.store.tables import access_keys, api_tokens
from tests.support.contexts import OPERATOR


def as_(services: Services, name: str) -> RequestContext:
    """The context of a request authenticated as ``name``."""
    principal = services.identities.describe_principal(OPERATOR, name)
    return replace(OPERATOR, actor=name, principal=principal)


def test_a_principal_is_created_with_its_grants_and_audited(services: Services) -> None:
    created = services.identities.create_principal(
        OPERATOR, "alice", grants=[Grant(Role.AUTHOR, "churn"), Grant(Role.VIEWER)]
    )
    assert created.kind is PrincipalKind.USER
    assert set(created.grants) == {Grant(Role.AUTHOR, "churn"), Grant(Role.VIEWER)}
    with pytest.raises(AlreadyExists):
        services.identities.create_principal(OPERATOR, "alice")
    with pytest.raises(InvalidInput, match="not a valid user name"):
        services.identities.create_principal(OPERATOR, "no spaces")
    events = services.audit.list_audit_events(
        OPERATOR, AuditQuery(resource_arn="cardinal:user/alice")
    )
    assert [e.action for e in events.items] == [AuditAction.USER_CREATE]
    assert events.items[0].actor == "operator"
    assert services.verification.verify_evidence(OPERATOR).ok


def test_roles_are_checked_by_the_services(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "viewer", grants=[Grant(Role.VIEWER)])
    ids.create_principal(OPERATOR, "author", grants=[Grant(Role.AUTHOR, "churn")])
    services.groups.create_model_package_group(OPERATOR, "churn")
    services.groups.create_model_package_group(OPERATOR, "fraud")

    viewer, author = as_(services, "viewer"), as_(services, "author")
    assert services.groups.list_model_package_groups(viewer, PageRequest(sort_by="Name")).items
    with pytest.raises(
        AccessDenied, match="writing in group churn needs the author role"
    ) as refused:
        services.packages.register_model_package(viewer, "churn", NewModelPackage())
    assert refused.value.rule == "role"
    assert "you have viewer" in refused.value.message

    registered = services.packages.register_model_package(author, "churn", NewModelPackage())
    assert registered.created_by == "author"
    with pytest.raises(AccessDenied, match="in group fraud"):
        services.packages.register_model_package(author, "fraud", NewModelPackage())
    from cardinal.domain.model_registry import ApprovalStatus

    with pytest.raises(AccessDenied, match="needs the approver role"):
        services.packages.decide_approval(author, registered.arn, ApprovalStatus.APPROVED)
    with pytest.raises(AccessDenied, match="administering Cardinal needs the admin role"):
        ids.create_principal(author, "mallory", grants=[Grant(Role.ADMIN)])
    assert ids.list_principals(OPERATOR)[-1].name == "viewer"  # nothing was made


def test_tokens_are_stored_as_hashes_and_end_when_revoked(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "ci", PrincipalKind.SERVICE, [Grant(Role.AUTHOR)])
    issued = ids.create_token(OPERATOR, "ci", "pipeline", expires_in_days=30)
    assert issued.token.startswith("crd_")
    assert ids.authenticate_token(issued.token).name == "ci"

    with services.store.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(select(api_tokens))]
    assert len(rows) == 1
    assert issued.token not in json.dumps(rows, default=str)
    assert len(rows[0]["sha256"]) == 64

    for wrong in ("", "crd_nope", issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")):
        with pytest.raises(NotAuthenticated):
            ids.authenticate_token(wrong)
    ids.revoke_token(OPERATOR, "ci", issued.info.lookup_id)
    with pytest.raises(NotAuthenticated, match="expired or revoked"):
        ids.authenticate_token(issued.token)
    assert ids.list_tokens(OPERATOR, "ci")[0].revoked_at is not None
    with pytest.raises(NotFound):
        ids.revoke_token(OPERATOR, "ci", issued.info.lookup_id)


def test_a_disabled_principal_cannot_authenticate(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "admin", grants=[Grant(Role.ADMIN)])
    ids.create_principal(OPERATOR, "bob", grants=[Grant(Role.VIEWER)])
    token = ids.create_token(OPERATOR, "bob").token
    key = ids.create_access_key(OPERATOR, "bob")
    ids.set_disabled(OPERATOR, "bob", True)
    with pytest.raises(NotAuthenticated, match="disabled"):
        ids.authenticate_token(token)
    assert ids.access_key(key.access_key_id) is None
    ids.set_disabled(OPERATOR, "bob", False)
    assert ids.authenticate_token(token).name == "bob"


def test_access_keys_are_sealed_limited_to_two_and_revocable(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "carol", grants=[Grant(Role.APPROVER)])
    first = ids.create_access_key(OPERATOR, "carol")
    second = ids.create_access_key(OPERATOR, "carol")
    found = ids.access_key(first.access_key_id)
    assert found is not None
    assert (found[0].name, found[1]) == ("carol", first.secret_access_key)
    with services.store.engine.connect() as connection:
        stored = [dict(r._mapping) for r in connection.execute(select(access_keys))]
    assert first.secret_access_key not in json.dumps(stored, default=str)
    with pytest.raises(LimitExceeded, match="revoke one first"):
        ids.create_access_key(OPERATOR, "carol")
    ids.revoke_access_key(OPERATOR, "carol", first.access_key_id)
    assert ids.access_key(first.access_key_id) is None
    assert ids.access_key(second.access_key_id) is not None
    assert ids.access_key("CRDKUNKNOWNUNKNOWN22") is None
    assert [k.state for k in ids.list_access_keys(OPERATOR, "carol")] == ["revoked", "active"]


def test_a_credential_is_read_with_its_holder_and_grants_in_two_statements(
    services: Services,
) -> None:
    """Every authenticated request pays for this read: the credential joined to its holder,
    then the holder's grants; not the holder again by name."""
    ids = services.identities
    ids.create_principal(
        OPERATOR, "hana", grants=[Grant(Role.APPROVER, "churn"), Grant(Role.VIEWER)]
    )
    ids.set_password(OPERATOR, "hana", "a long enough password")
    token = ids.create_token(OPERATOR, "hana").token
    key = ids.create_access_key(OPERATOR, "hana")
    session = ids.start_session(OPERATOR, "hana", "a long enough password")
    assert session is not None
    selects: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    engine = services.store.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        holders = [
            ids.authenticate_token(token),
            ids.session_principal(session.token),
            found[0] if (found := ids.access_key(key.access_key_id)) else None,
        ]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    expected = {Grant(Role.APPROVER, "churn"), Grant(Role.VIEWER)}
    for holder in holders:
        assert holder is not None
        assert (holder.name, set(holder.grants), holder.disabled) == ("hana", expected, False)
    assert len(selects) == 6, selects


def test_a_principal_manages_its_own_credentials_but_no_one_elses(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "dave", grants=[Grant(Role.VIEWER)])
    ids.create_principal(OPERATOR, "erin", grants=[Grant(Role.VIEWER)])
    dave = as_(services, "dave")
    assert ids.create_token(dave, "dave").info.principal == "dave"
    assert ids.describe_principal(dave, "dave").name == "dave"
    with pytest.raises(AccessDenied):
        ids.create_token(dave, "erin")
    with pytest.raises(AccessDenied):
        ids.grant(dave, "dave", Grant(Role.ADMIN))


def test_the_last_admin_cannot_be_disabled_or_demoted(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "root", grants=[Grant(Role.ADMIN)])
    with pytest.raises(InvalidState, match="no active admin"):
        ids.set_disabled(OPERATOR, "root", True)
    with pytest.raises(InvalidState, match="no active admin"):
        ids.revoke_grant(OPERATOR, "root", Grant(Role.ADMIN))
    assert ids.describe_principal(OPERATOR, "root") == Principal(
        "root", PrincipalKind.USER, (Grant(Role.ADMIN),), False,
        ids.describe_principal(OPERATOR, "root").created_at, "operator",
    )  # fmt: skip
    ids.create_principal(OPERATOR, "root2", grants=[Grant(Role.ADMIN)])
    ids.set_disabled(OPERATOR, "root", True)
    assert ids.describe_principal(OPERATOR, "root").disabled


def test_passwords_are_argon2_hashes(services: Services) -> None:
    ids = services.identities
    ids.create_principal(OPERATOR, "frank", grants=[Grant(Role.VIEWER)])
    with pytest.raises(InvalidInput, match="at least 12"):
        ids.set_password(OPERATOR, "frank", "short")
    ids.set_password(OPERATOR, "frank", "correct horse battery")
    found = ids.check_password("frank", "correct horse battery")
    assert found is not None
    assert found.name == "frank"
    assert ids.check_password("frank", "wrong horse battery") is None
    assert ids.check_password("nobody", "correct horse battery") is None


def test_a_web_session_starts_with_the_password_and_ends_on_sign_out(services: Services) -> None:
    from cardinal.domain.api_tokens import csrf_matches
    from cardinal.store.tables import web_sessions

    ids = services.identities
    ids.create_principal(OPERATOR, "gina", grants=[Grant(Role.APPROVER)])
    ids.set_password(OPERATOR, "gina", "a long enough password")
    assert ids.start_session(OPERATOR, "gina", "the wrong password") is None
    assert ids.start_session(OPERATOR, "nobody", "a long enough password") is None
    session = ids.start_session(OPERATOR, "gina", "a long enough password")
    assert session is not None
    assert session.token.startswith("crs_")
    assert ids.session_principal(session.token).name == "gina"
    assert csrf_matches(session.token, session.csrf_token)
    assert not csrf_matches(session.token, "0" * 64)
    with pytest.raises(NotAuthenticated):
        ids.authenticate_token(session.token)  # a session is not an API token
    with services.store.engine.connect() as connection:
        stored = [dict(r._mapping) for r in connection.execute(select(web_sessions))]
    assert session.token not in json.dumps(stored, default=str)

    ids.end_session(OPERATOR, session.token)
    with pytest.raises(NotAuthenticated, match="ended"):
        ids.session_principal(session.token)
    actions = [
        e.action
        for e in services.audit.list_audit_events(
            OPERATOR, AuditQuery(resource_arn="cardinal:user/gina")
        ).items
    ]
    assert actions[-2:] == [AuditAction.SESSION_START, AuditAction.SESSION_END]


def test_a_store_without_an_admin_may_still_disable_a_user(services: Services) -> None:
    services.identities.create_principal(OPERATOR, "hal", grants=[Grant(Role.VIEWER)])
    assert services.identities.set_disabled(OPERATOR, "hal", True).disabled
