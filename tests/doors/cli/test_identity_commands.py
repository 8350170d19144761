"""`cardinal users|keys|tokens|whoami|login|logout`: on a local store (both backends) the
operator manages users and credentials unchecked; against servers, `login` keeps a token in a
file only its owner reads, and the token (kept, or CARDINAL_TOKEN) names the caller."""

from __future__ import annotations

import getpass
import hashlib
import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import create_engine, select

from cardinal.cli.main import app
from cardinal.config import Settings
from cardinal.domain.access import Grant, Role
from cardinal.services.container import Services
from cardinal.store.tables import access_keys, api_tokens
from tests.support.cli import Cli, one_line
from tests.support.contexts import OPERATOR
from tests.support.databases import sqlite_url
from tests.support.server import RunningServer, start_server


@pytest.fixture
def local(database_url: str, tmp_path: Path) -> Cli:
    files = tmp_path / "files"
    files.mkdir()
    data_dir = tmp_path / "local"
    return Cli(["--database-url", database_url, "--data-dir", str(data_dir)], files, data_dir)


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--output", "json").stdout)


def refused(result: Result) -> str:
    assert result.exit_code == 4, (result.stdout, result.stderr)
    return one_line(result)


def test_users_with_roles_in_a_group_grants_and_disable(local: Cli) -> None:
    made = as_json(
        local, "users", "create", "alice", "--role", "author", "--role", "approver",
        "--group", "churn",
    )  # fmt: skip
    assert made["kind"] == "user"
    assert made["grants"] == [
        {"role": "author", "group": "churn"},
        {"role": "approver", "group": "churn"},
    ]
    assert made["created_by"] == f"local:{getpass.getuser()}"
    service = as_json(local, "users", "create", "ci", "--service")
    assert (service["kind"], service["grants"]) == ("service", [{"role": "viewer", "group": None}])
    local.ok("users", "create", "root", "--role", "admin")

    listed = local.ok("users", "list").stdout
    assert re.search(r"alice\s+user\s+author@churn, approver@churn\s+no", listed)
    assert re.search(r"ci\s+service\s+viewer\s+no", listed)
    assert [u["name"] for u in as_json(local, "users", "list")] == ["alice", "ci", "root"]
    shown = local.ok("users", "show", "alice").stdout
    assert re.search(r"grants\s+author@churn, approver@churn", shown)

    granted = as_json(local, "users", "grant", "ci", "--role", "author", "--group", "fraud")
    assert {"role": "author", "group": "fraud"} in granted["grants"]
    revoked = local.ok("users", "revoke", "ci", "--role", "viewer").stdout
    assert "ci now holds author@fraud." in revoked
    assert "not found" in local("users", "revoke", "ci", "--role", "viewer").stderr

    assert "Disabled alice." in local.ok("users", "disable", "alice").stdout
    assert as_json(local, "users", "show", "alice")["disabled"] is True
    assert as_json(local, "users", "enable", "alice")["disabled"] is False


def test_a_typo_in_a_role_is_refused_naming_the_roles(local: Cli) -> None:
    line = refused(local("users", "create", "bob", "--role", "admn"))
    assert "'admn' is not a role; the roles are viewer, author, approver, admin" in line
    assert local("users", "show", "bob").exit_code == 3
    local.ok("users", "create", "bob")
    assert "the roles are" in refused(local("users", "grant", "bob", "--role", "aprover"))


def test_tokens_are_shown_once_listed_without_the_token_and_revoked(local: Cli) -> None:
    local.ok("users", "create", "alice")
    issued = as_json(local, "tokens", "create", "alice", "--description", "laptop")
    assert issued["token"].startswith("crd_")
    shown = local.ok("tokens", "create", "alice", "--no-expiry")
    assert "Shown once: store the token now." in shown.stderr
    second = re.search(r"export CARDINAL_TOKEN=(crd_\S+)", shown.stdout)
    assert second is not None
    assert re.search(r"expires\s+never", shown.stdout)

    listed = local.ok("tokens", "list", "alice").stdout
    assert issued["id"] in listed
    assert "laptop" in listed
    assert issued["token"] not in listed
    assert second[1] not in listed
    assert "token" not in as_json(local, "tokens", "list", "alice")[0]

    assert as_json(local, "tokens", "revoke", "alice", issued["id"]) == {
        "id": issued["id"],
        "state": "revoked",
    }
    states = {t["id"]: t["state"] for t in as_json(local, "tokens", "list", "alice")}
    assert states[issued["id"]] == "revoked"
    assert local("tokens", "revoke", "alice", issued["id"]).exit_code == 3
    both = local("tokens", "create", "alice", "--no-expiry", "--expires-in-days", "3")
    assert both.exit_code == 2


def test_access_keys_two_at_most_each_secret_shown_once(local: Cli) -> None:
    local.ok("users", "create", "ci", "--service", "--role", "author")
    first = as_json(local, "keys", "create", "ci")
    assert set(first) == {"access_key_id", "secret_access_key"}
    shown = local.ok("keys", "create", "ci")
    assert shown.stderr.strip() == "Shown once: store the secret now."
    exported = re.search(
        r"export AWS_ACCESS_KEY_ID=(CRDK\w+) AWS_SECRET_ACCESS_KEY=(\S+)", shown.stdout
    )
    assert exported is not None
    assert exported[2] in shown.stdout.splitlines()[1]  # the secret's own line, before the export

    third = refused(local("keys", "create", "ci"))
    assert "revoke one first" in third
    listed = local.ok("keys", "list", "ci").stdout
    assert first["secret_access_key"] not in listed
    assert exported[2] not in listed

    local.ok("keys", "revoke", "ci", first["access_key_id"])
    states = {k["access_key_id"]: k["state"] for k in as_json(local, "keys", "list", "ci")}
    assert states == {first["access_key_id"]: "revoked", exported[1]: "active"}
    as_json(local, "keys", "create", "ci")


def test_the_store_keeps_tokens_hashed_and_secrets_sealed(local: Cli, database_url: str) -> None:
    local.ok("users", "create", "alice")
    token = as_json(local, "tokens", "create", "alice")["token"]
    secret = as_json(local, "keys", "create", "alice")["secret_access_key"]
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            tokens = db.execute(select(api_tokens)).mappings().all()
            keys = db.execute(select(access_keys)).mappings().all()
    finally:
        engine.dispose()
    [stored] = tokens
    assert re.fullmatch(r"[0-9a-f]{64}", stored["sha256"])
    assert stored["sha256"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(value != token and token not in str(value) for value in stored.values())
    [key] = keys
    assert all(secret not in str(value) for value in key.values())


def test_whoami_on_a_local_store_is_the_local_user(local: Cli) -> None:
    me = f"local:{getpass.getuser()}"
    assert re.search(rf"name\s+{re.escape(me)}", local.ok("whoami").stdout)
    assert as_json(local, "whoami") == {"name": me, "kind": None, "grants": [], "checked": False}


def test_set_password_asked_twice_or_read_from_stdin(local: Cli) -> None:
    local.ok("users", "create", "alice")
    runner = local.runner
    asked = runner.invoke(
        app, ["users", "set-password", "alice", *local.where], input="a long passphrase\n" * 2
    )
    assert asked.exit_code == 0, asked.stderr
    assert "a long passphrase" not in asked.stdout
    piped = runner.invoke(
        app,
        ["users", "set-password", "alice", "--password-stdin", *local.where],
        input="another long one\n",
    )
    assert piped.exit_code == 0, piped.stderr
    short = runner.invoke(
        app, ["users", "set-password", "alice", "--password-stdin", *local.where], input="short\n"
    )
    assert "at least 12 characters" in refused(short)


# Against servers: `login`, `logout`, and the token every command sends.


@pytest.fixture
def config_home(tmp_path: Path) -> Path:
    return tmp_path / "config"


def at(server: RunningServer, tmp_path: Path) -> Cli:
    files = tmp_path / "files"
    files.mkdir(exist_ok=True)
    return Cli(["--endpoint", server.url], files, server.data_dir)


def login(cli: Cli, token: str, config_home: Path) -> Result:
    return cli.runner.invoke(
        app,
        ["login", "--token-stdin", *cli.where],
        input=f"{token}\n",
        env={"XDG_CONFIG_HOME": str(config_home), "CARDINAL_TOKEN": None},
    )


@pytest.fixture
def open_server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(sqlite_url(tmp_path), tmp_path / "open")
    yield running
    running.stop()


def test_login_keeps_the_token_for_the_endpoint_readable_by_its_owner_only(
    open_server: RunningServer, tmp_path: Path, config_home: Path
) -> None:
    cli = at(open_server, tmp_path)
    cli.ok("users", "create", "alice")
    token = as_json(cli, "tokens", "create", "alice")["token"]

    assert "not a Cardinal API token" in refused(login(cli, "hunter2", config_home))
    assert not config_home.exists()

    logged_in = login(cli, token, config_home)
    assert logged_in.exit_code == 0, logged_in.stderr
    assert token not in logged_in.stdout + logged_in.stderr
    assert "checks nobody" in logged_in.stderr
    kept = config_home / "cardinal" / "credentials.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert json.loads(kept.read_text()) == {"endpoints": {open_server.url: {"token": token}}}
    assert list(kept.parent.iterdir()) == [kept]

    env = {"XDG_CONFIG_HOME": str(config_home)}
    out = cli.ok("logout", env=env)
    assert f"Logged out of {open_server.url}." in out.stdout
    assert not kept.exists()
    assert "No token was kept" in cli.ok("logout", env=env).stdout
    local_store = cli.runner.invoke(app, ["login", "--data-dir", str(tmp_path / "x")])
    assert local_store.exit_code == 2


@pytest.fixture
def secured(database_url: str, tmp_path: Path) -> Iterator[tuple[RunningServer, str]]:
    """A server with authentication on, and a token of its admin."""
    data_dir = tmp_path / "secured"
    services = Services.for_database(database_url, None, Settings(data_dir=data_dir).secret_box())
    services.identities.create_principal(OPERATOR, "root", grants=[Grant(Role.ADMIN)])
    token = services.identities.create_token(OPERATOR, "root").token
    services.close()
    running = start_server(database_url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
    yield running, token
    running.stop()


def test_the_token_kept_or_in_cardinal_token_names_the_caller(
    secured: tuple[RunningServer, str], tmp_path: Path, config_home: Path
) -> None:
    server, root_token = secured
    cli = at(server, tmp_path)
    nobody = {"XDG_CONFIG_HOME": str(config_home), "CARDINAL_TOKEN": None}
    assert "not signed in" in refused(cli("whoami", env=nobody))

    as_root = {**nobody, "CARDINAL_TOKEN": root_token}
    who = json.loads(cli.ok("whoami", "-o", "json", env=as_root).stdout)
    assert who == {
        "name": "root",
        "kind": "user",
        "grants": [{"role": "admin", "group": None}],
        "checked": True,
    }
    cli.ok("users", "create", "alice", "--role", "author", env=as_root)
    alice = json.loads(cli.ok("tokens", "create", "alice", "-o", "json", env=as_root).stdout)

    unknown = "crd_AAAAAAAAAAAA_" + "A" * 43
    assert "not signed in" in refused(login(cli, unknown, config_home))
    assert not config_home.exists()
    logged_in = login(cli, alice["token"], config_home)
    assert logged_in.exit_code == 0, logged_in.stderr
    assert f"Logged in to {server.url} as alice." in logged_in.stdout
    assert re.search(r"name\s+alice", cli.ok("whoami", env=nobody).stdout)
    assert "forbidden" in refused(cli("users", "list", env=nobody))
    # CARDINAL_TOKEN wins over the kept token.
    assert "root" in cli.ok("users", "list", env=as_root).stdout

    revoked = cli.ok("tokens", "revoke", "alice", alice["id"], env=nobody)
    assert f"Revoked token {alice['id']} of alice." in revoked.stdout
    assert "not signed in" in refused(cli("whoami", env=nobody))
