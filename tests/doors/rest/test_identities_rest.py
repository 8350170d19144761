"""Identities over the REST API and the Python client, against real servers on both backends:
users and their grants, API tokens and access keys (each secret shown once, stored only as a
hash or ciphertext), and ``/whoami`` in open mode and with a bearer token.

The open-mode tests share one server per backend (each names its own users); the test of
authentication has a server of its own."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select

from cardinal.client import CardinalClient, ForbiddenError, InvalidInputError, NotFoundError
from cardinal.config import Settings
from cardinal.domain.access import Grant, Role
from cardinal.services.container import Services
from cardinal.store.tables import access_keys, api_tokens
from tests.conftest import BACKENDS
from tests.doors.rest.test_registry_rest import client_of
from tests.support.contexts import OPERATOR
from tests.support.databases import module_database
from tests.support.server import RunningServer, start_server


@dataclass
class Shared:
    server: RunningServer
    database_url: str
    api: httpx.Client


@pytest.fixture(scope="module", params=BACKENDS)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shared]:
    """A server in open mode on a fresh database of the backend, for the whole module."""
    with ExitStack() as stack:
        url = module_database(request, tmp_path_factory, stack)
        running = start_server(url, tmp_path_factory.mktemp("server"))
        stack.callback(running.stop)
        yield Shared(running, url, stack.enter_context(client_of(running)))


@pytest.fixture
def api(shared: Shared) -> httpx.Client:
    return shared.api


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    found: dict[str, Any] = response.json()
    return found


def test_whoami_in_open_mode_is_the_name_the_caller_sends(api: httpx.Client) -> None:
    assert ok(api.get("/whoami")) == {"name": "alice", "kind": None, "grants": [], "checked": False}


def test_users_with_grants_listed_granted_revoked_disabled(api: httpx.Client) -> None:
    # An active admin must remain: disabling anyone is refused while there is none.
    api.post("/users", json={"name": "root", "grants": [{"role": "admin"}]})
    made = api.post(
        "/users",
        json={
            "name": "ci-churn",
            "kind": "service",
            "grants": [{"role": "author", "group": "churn"}, {"role": "Viewer"}],
        },
    )
    body = ok(made, 201)
    assert made.headers["location"].endswith("/api/v1/users/ci-churn")
    assert body["kind"] == "service"
    assert body["grants"] == [
        {"role": "author", "group": "churn"},
        {"role": "viewer", "group": None},
    ]
    assert body["disabled"] is False
    assert body["created_by"] == "alice"
    assert body["created_at"]
    names = [u["name"] for u in ok(api.get("/users"))["items"]]
    assert names == sorted(names)
    assert {"ci-churn", "root"} <= set(names)
    assert ok(api.get("/users/ci-churn")) == body

    granted = ok(api.post("/users/ci-churn/grants", json={"role": "approver", "group": "churn"}))
    assert {"role": "approver", "group": "churn"} in granted["grants"]
    params = {"role": "approver", "group": "churn"}
    revoked = ok(api.delete("/users/ci-churn/grants", params=params))
    assert revoked["grants"] == body["grants"]
    assert problem(api.delete("/users/ci-churn/grants", params=params), 404)
    # Admin in one group is a grant nobody holds: the revoke finds nothing, and says why.
    nowhere = problem(api.delete("/users/root/grants", params={"role": "admin", "group": "g"}), 404)
    assert "admin is granted everywhere" in nowhere["detail"]

    assert ok(api.post("/users/ci-churn/disable"))["disabled"] is True
    assert ok(api.get("/users/ci-churn"))["disabled"] is True
    assert ok(api.post("/users/ci-churn/enable"))["disabled"] is False


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ({"name": "hank", "grants": [{"role": "admn"}]}, "$.grants[0].role", "viewer, author"),
        (
            {"name": "hank", "grants": [{"role": "viewer"}, {"role": "admin", "group": "g"}]},
            "$.grants[1].group",
            "admin is granted everywhere",
        ),
        ({"name": "-bob"}, "$.name", "not a valid user name"),
        ({"name": "hank", "kind": "robot"}, "$.kind", ""),
        ({"name": "hank", "password": "x"}, "$.password", ""),
    ],
)
def test_a_refused_user_names_the_field_and_is_not_made(
    api: httpx.Client, body: dict[str, Any], path: str, words: str
) -> None:
    refused = problem(api.post("/users", json=body), 422)
    assert refused["path"] == path
    assert words in refused["detail"]
    assert problem(api.get(f"/users/{body['name']}"), 404)


def test_user_refusals(api: httpx.Client) -> None:
    ok(api.post("/users", json={"name": "carol"}), 201)
    assert problem(api.post("/users", json={"name": "carol"}), 409)
    assert problem(api.get("/users/nobody"), 404)
    assert problem(api.post("/users/nobody/disable"), 404)
    typo = problem(api.post("/users/carol/grants", json={"role": "aproover"}), 422)
    assert typo["path"] == "$.role"
    assert "the roles are viewer, author, approver, admin" in typo["detail"]
    short = problem(api.put("/users/carol/password", json={"password": "short"}), 422)
    assert short["path"] == "$.password"
    assert ok(api.put("/users/carol/password", json={"password": "a long passphrase"}), 204) is None


def test_tokens_are_shown_once_and_revoked(api: httpx.Client) -> None:
    ok(api.post("/users", json={"name": "dave"}), 201)
    issued = ok(api.post("/users/dave/tokens", json={"description": "laptop"}), 201)
    assert set(issued) == {"id", "token", "description", "created_at", "expires_at"}
    assert issued["token"].startswith(f"crd_{issued['id']}_")
    assert issued["description"] == "laptop"
    forever = ok(api.post("/users/dave/tokens", json={"expires_in_days": None}), 201)
    assert forever["expires_at"] is None

    listed = api.get("/users/dave/tokens")
    assert issued["token"] not in listed.text
    assert forever["token"] not in listed.text
    items = ok(listed)["items"]
    assert [set(t) for t in items] == [
        {"id", "description", "created_at", "expires_at", "revoked_at", "state"}
    ] * 2
    assert {t["state"] for t in items} == {"active"}

    assert ok(api.delete(f"/users/dave/tokens/{issued['id']}"), 204) is None
    states = {t["id"]: t["state"] for t in ok(api.get("/users/dave/tokens"))["items"]}
    assert states == {issued["id"]: "revoked", forever["id"]: "active"}
    assert problem(api.delete(f"/users/dave/tokens/{issued['id']}"), 404)
    too_long = problem(api.post("/users/dave/tokens", json={"expires_in_days": 0}), 422)
    assert too_long["path"] == "$.expires_in_days"


def test_at_most_two_active_access_keys(api: httpx.Client) -> None:
    ok(api.post("/users", json={"name": "erin"}), 201)
    first = ok(api.post("/users/erin/keys"), 201)
    assert set(first) == {"access_key_id", "secret_access_key", "created_at"}
    assert re.fullmatch(r"CRDK[A-Z2-7]{16}", first["access_key_id"])
    second = ok(api.post("/users/erin/keys"), 201)
    third = problem(api.post("/users/erin/keys"), 422)
    assert "revoke one first" in third["detail"]

    listed = api.get("/users/erin/keys")
    assert first["secret_access_key"] not in listed.text
    assert [k["access_key_id"] for k in ok(listed)["items"]] == [
        first["access_key_id"],
        second["access_key_id"],
    ]
    assert ok(api.delete(f"/users/erin/keys/{first['access_key_id']}"), 204) is None
    states = {k["access_key_id"]: k["state"] for k in ok(api.get("/users/erin/keys"))["items"]}
    assert states == {first["access_key_id"]: "revoked", second["access_key_id"]: "active"}
    ok(api.post("/users/erin/keys"), 201)


def test_the_store_keeps_no_token_and_no_secret_in_the_clear(shared: Shared) -> None:
    api = shared.api
    ok(api.post("/users", json={"name": "frank"}), 201)
    issued = ok(api.post("/users/frank/tokens", json={}), 201)
    key = ok(api.post("/users/frank/keys"), 201)
    token, secret = issued["token"], key["secret_access_key"]
    engine = create_engine(shared.database_url)
    try:
        with engine.connect() as db:
            tokens = db.execute(select(api_tokens)).mappings().all()
            keys = db.execute(select(access_keys)).mappings().all()
    finally:
        engine.dispose()
    [stored] = [t for t in tokens if t["lookup_id"] == issued["id"]]
    assert re.fullmatch(r"[0-9a-f]{64}", stored["sha256"])
    assert stored["sha256"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for row in tokens for value in row.values())
    [sealed] = [k for k in keys if k["access_key_id"] == key["access_key_id"]]
    assert sealed["secret_ciphertext"] != secret
    assert all(secret not in str(value) for row in keys for value in row.values())


def test_the_client_manages_users_and_credentials(shared: Shared) -> None:
    with CardinalClient(shared.server.url, actor="alice") as client:
        assert client.whoami().checked is False
        made = client.users.create("gina", grants=[("author", "churn"), (Role.VIEWER, None)])
        assert [(g.role, g.group) for g in made.grants] == [
            (Role.AUTHOR, "churn"),
            (Role.VIEWER, None),
        ]
        assert client.users.grant("gina", "approver").grants[-1].role is Role.APPROVER
        assert len(client.users.revoke_grant("gina", Role.APPROVER).grants) == 2
        with pytest.raises(InvalidInputError) as typo:
            client.users.grant("gina", "admn")
        assert typo.value.path == "$.role"
        assert "gina" in [u.name for u in client.users.list()]
        assert client.users.get("gina").created_by == "alice"
        client.users.set_password("gina", "correct horse battery")

        issued = client.users.create_token("gina", description="ci", expires_in_days=None)
        assert issued.token.startswith("crd_")
        assert issued.expires_at is None
        assert issued.token not in repr(issued)
        client.users.revoke_token("gina", issued.id)
        assert [t.state for t in client.users.tokens("gina")] == ["revoked"]

        key = client.users.create_key("gina")
        assert key.secret_access_key not in repr(key)
        client.users.revoke_key("gina", key.access_key_id)
        assert [k.state for k in client.users.keys("gina")] == ["revoked"]
        with pytest.raises(NotFoundError):
            client.users.revoke_key("gina", key.access_key_id)


@pytest.fixture
def secured(database_url: str, tmp_path: Path) -> Iterator[tuple[RunningServer, dict[str, str]]]:
    """A server with authentication on, an admin and an author, and a token of each."""
    data_dir = tmp_path / "secured"
    services = Services.for_database(database_url, None, Settings(data_dir=data_dir).secret_box())
    tokens = {}
    for name, role in [("root", Role.ADMIN), ("alice", Role.AUTHOR)]:
        services.identities.create_principal(OPERATOR, name, grants=[Grant(role)])
        tokens[name] = services.identities.create_token(OPERATOR, name).token
    services.close()
    running = start_server(database_url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
    yield running, tokens
    running.stop()


def test_a_token_names_the_caller_and_the_service_decides(
    secured: tuple[RunningServer, dict[str, str]],
) -> None:
    server, tokens = secured
    with CardinalClient(server.url, token=tokens["alice"], actor="someone-else") as alice:
        who = alice.whoami()
        assert (who.name, who.kind, who.checked) == ("alice", "user", True)
        assert [(g.role, g.group) for g in who.grants] == [(Role.AUTHOR, None)]
        assert alice.users.get("alice").name == "alice"  # herself
        own = alice.users.create_token("alice", description="second")
        assert [t.id for t in alice.users.tokens("alice")][-1] == own.id
        with pytest.raises(ForbiddenError) as refused:
            alice.users.create("mallory", grants=[("admin", None)])
        assert "needs the admin role" in refused.value.detail
    with CardinalClient(server.url, token=tokens["root"]) as root:
        assert [u.name for u in root.users.list()] == ["alice", "root"]
        made = root.users.create("ci", kind="service", grants=[("author", "churn")])
        assert made.created_by == "root"
    anonymous = httpx.get(f"{server.url}/api/v1/whoami", headers={"X-Cardinal-Actor": "root"})
    assert anonymous.status_code == 401
