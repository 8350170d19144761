"""Which store a command uses when none is named, and startup failures as one line.

A command that only reads never creates a store: with none there, it says where it looked and
how to name one. A command that writes to the default store says which store that is. A
database that cannot be opened, a port already in use and an endpoint without a scheme each
end in one line on stderr and a documented exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import Result
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cardinal.cli.main import app
from cardinal.store import database
from tests.support.cli import CARDINAL, every_command
from tests.support.databases import PostgresDatabases, postgres_admin_url
from tests.support.server import free_port, start_server

ROOT = Path(__file__).resolve().parents[3]
STORE_VARIABLES = ("CARDINAL_ENDPOINT", "CARDINAL_DATA_DIR", "CARDINAL_DATABASE_URL")

# Every command that talks to Cardinal, with arguments it accepts; the first set only reads.
READS: dict[tuple[str, ...], list[str]] = {
    ("group", "list"): [],
    ("group", "show"): ["churn"],
    ("unversioned-package", "list"): [],
    ("unversioned-package", "show"): ["churn-market"],
    ("package", "list"): ["churn"],
    ("package", "show"): ["churn", "1"],
    ("card", "show"): ["churn-card"],
    ("card", "list"): [],
    ("card", "history"): ["churn-card"],
    ("card", "diff"): ["churn-card", "1", "2"],
    ("card", "export"): ["churn-card", "--format", "json", "-o", "{files}/out.json"],
    ("card", "export-job", "show"): ["churn-card", "audit"],
    ("card", "export-job", "list"): ["churn-card"],
    ("card", "export-job", "download"): ["churn-card", "audit", "-o", "{files}/card.pdf"],
    ("tag", "list"): ["card", "churn-card"],
    ("search",): ["cards"],
    ("gate",): ["churn/1"],
    ("history",): ["churn/1"],
    ("audit",): [],
    ("verify",): [],
    ("users", "list"): [],
    ("users", "show"): ["alice"],
    ("keys", "list"): ["alice"],
    ("tokens", "list"): ["alice"],
    ("whoami",): [],
    ("policy", "show"): [],
    ("evidence", "pack"): ["churn/1", "-o", "{files}/pack.zip"],
    ("webhooks", "list"): [],
    ("webhooks", "deliveries"): ["wh_0123456789abcdef"],
}
WRITES: dict[tuple[str, ...], list[str]] = {
    ("group", "create"): ["churn"],
    ("group", "delete"): ["churn"],
    ("unversioned-package", "create"): ["churn-market"],
    ("unversioned-package", "update"): ["churn-market", "--metadata", "a=1"],
    ("unversioned-package", "delete"): ["churn-market"],
    ("package", "register"): ["churn"],
    ("package", "approve"): ["churn", "1"],
    ("package", "reject"): ["churn", "1", "--description", "no"],
    ("package", "update"): ["churn", "1", "--source-uri", "s3://models/churn/1"],
    ("package", "delete"): ["churn", "1"],
    ("card", "create"): ["churn-card", "--from", "{files}/card.json"],
    ("card", "edit"): ["churn-card"],
    ("card", "status"): ["churn-card", "Approved"],
    ("card", "clone"): ["churn/2", "--name", "churn-card-2"],
    ("card", "attach-report"): [
        "churn-card", "{files}/report.json", "--kind", "model_card_metrics", "--evaluation", "e"
    ],
    ("card", "delete"): ["churn-card"],
    ("card", "export-job", "start"): ["churn-card", "audit", "--to", "s3://audits/cards"],
    ("tag", "set"): ["card", "churn-card", "team=retention"],
    ("tag", "remove"): ["card", "churn-card", "team"],
    ("card", "restore"): ["churn-card", "--to", "Draft", "--reason", "mistake"],
    ("users", "create"): ["alice", "--role", "author"],
    ("users", "disable"): ["alice"],
    ("users", "enable"): ["alice"],
    ("users", "grant"): ["alice", "--role", "approver"],
    ("users", "revoke"): ["alice", "--role", "approver"],
    ("users", "set-password"): ["alice", "--password-stdin"],
    ("keys", "create"): ["alice"],
    ("keys", "revoke"): ["alice", "CRDKAAAAAAAAAAAAAAAA"],
    ("tokens", "create"): ["alice"],
    ("tokens", "revoke"): ["alice", "AAAAAAAAAAAA"],
    ("policy", "set"): ["{files}/policy.json"],
    ("webhooks", "create"): ["http://127.0.0.1:9/hooks"],
    ("webhooks", "delete"): ["wh_0123456789abcdef"],
    ("webhooks", "redeliver"): ["wh_0123456789abcdef", "1"],
    ("webhooks", "rotate"): ["wh_0123456789abcdef"],
}  # fmt: skip
# What a command needs from the environment to succeed on a new store.
WRITE_ENV = {("webhooks", "create"): {"CARDINAL_WEBHOOK_DESTINATIONS": "127.0.0.1"}}
LOCAL_ONLY = {("serve",), ("db", "upgrade")}
SERVER_ONLY = {("login",), ("logout",)}
OFFLINE = {("evidence", "verify")}  # reads a file, never a store


def _lines(stderr: str) -> list[str]:
    return stderr.splitlines()


def _one_line(stderr: str) -> str:
    lines = _lines(stderr)
    assert len(lines) == 1, stderr
    return lines[0]


def _files_under(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    made = tmp_path / "home"
    made.mkdir()
    return made


def _run(
    home: Path, *args: str, env: dict[str, str] | None = None, program: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``cardinal`` (or ``program``) as a new process whose home directory is ``home``."""
    base = {k: v for k, v in os.environ.items() if k not in STORE_VARIABLES}
    base |= {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"), "COLUMNS": "80"}
    return subprocess.run(
        [*(program or [CARDINAL]), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**base, **(env or {})},
        cwd=home,
    )


def _default_store(home: Path) -> Path:
    return home / ".local" / "share" / "cardinal" / "cardinal.db"


# The store nobody named -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["card", "list"], ["search", "cards", "name ~ churn"]])
def test_a_read_command_without_a_store_creates_nothing_and_says_how_to_name_one(
    home: Path, command: list[str]
) -> None:
    ran = _run(home, *command)

    assert ran.returncode == 5, ran.stderr
    assert ran.stdout == ""
    line = _one_line(ran.stderr)
    assert line.startswith("no store: ")
    assert str(_default_store(home)) in line
    for way_out in ("--endpoint", "CARDINAL_ENDPOINT", "--data-dir", "--database-url"):
        assert way_out in line
    assert _files_under(home) == []


def test_a_write_command_on_the_default_store_says_which_store_it_uses(home: Path) -> None:
    made = _run(home, "group", "create", "churn")

    assert made.returncode == 0, made.stderr
    line = _one_line(made.stderr)
    assert line.startswith("note: using the local store at ")
    assert str(_default_store(home)) in line
    assert "--endpoint" in line
    assert _default_store(home).is_file()

    listed = _run(home, "group", "list", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    assert [group["name"] for group in json.loads(listed.stdout)] == ["churn"]


def test_a_store_named_in_the_environment_is_used_without_a_note(
    home: Path, tmp_path: Path
) -> None:
    named = tmp_path / "named"
    made = _run(home, "group", "create", "churn", env={"CARDINAL_DATA_DIR": str(named)})

    assert made.returncode == 0, made.stderr
    assert made.stderr == ""
    assert (named / "cardinal.db").is_file()
    assert _files_under(home) == []


# Every command, on a store named but not there ---------------------------------------------------


def test_every_command_is_known_to_read_or_write() -> None:
    everything = set(every_command())
    assert everything == set(READS) | set(WRITES) | LOCAL_ONLY | SERVER_ONLY | OFFLINE
    assert not set(READS) & set(WRITES)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    made = tmp_path / "files"
    made.mkdir()
    (made / "card.json").write_text('{"model_overview": {}}', encoding="utf-8")
    report = {
        "metric_groups": [
            {"name": "g", "metric_data": [{"name": "auc", "type": "number", "value": 0.9}]}
        ]
    }
    (made / "report.json").write_text(json.dumps(report), encoding="utf-8")
    (made / "policy.json").write_text('{"separation_of_duties": true}', encoding="utf-8")
    return made


def _invoke(command: tuple[str, ...], arguments: list[str], files: Path, *where: str) -> Result:
    args = [a.format(files=files) for a in arguments]
    return CliRunner().invoke(
        app,
        [*command, *args, *where],
        input="a long enough password\n",
        catch_exceptions=False,
        env=WRITE_ENV.get(command),
    )


@pytest.mark.parametrize("command", list(READS), ids=" ".join)
def test_a_read_command_on_a_data_dir_that_is_not_there_creates_nothing(
    command: tuple[str, ...], files: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing"
    result = _invoke(command, READS[command], files, "--data-dir", str(missing))

    assert result.exit_code == 5, result.stderr
    assert result.stdout == ""
    line = _one_line(result.stderr)
    assert line.startswith("no store: ")
    assert str(missing / "cardinal.db") in line
    assert not missing.exists()
    assert [p.name for p in _files_under(files)] == ["card.json", "policy.json", "report.json"]


@pytest.mark.parametrize("command", list(WRITES), ids=" ".join)
def test_a_write_command_on_a_named_data_dir_makes_the_store_without_a_note(
    command: tuple[str, ...], files: Path, tmp_path: Path
) -> None:
    named = tmp_path / "named"
    result = _invoke(command, WRITES[command], files, "--data-dir", str(named))

    assert result.exit_code in (0, 3), result.stderr
    assert "using the local store" not in result.stderr
    assert (named / "cardinal.db").is_file()


def test_a_read_command_on_an_sqlite_url_that_is_not_there_creates_nothing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "nowhere" / "registry.db"
    result = CliRunner().invoke(app, ["card", "list", "--database-url", f"sqlite:///{missing}"])

    assert result.exit_code == 5, result.stderr
    assert str(missing) in _one_line(result.stderr)
    assert not missing.parent.exists()


# Endpoints without a scheme ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "env", "suggested"),
    [
        (["--endpoint", "127.0.0.1:8080"], {}, "http://127.0.0.1:8080"),
        ([], {"CARDINAL_ENDPOINT": "localhost:8080"}, "http://localhost:8080"),
    ],
    ids=["option", "environment"],
)
def test_an_endpoint_without_a_scheme_is_a_usage_error(
    where: list[str], env: dict[str, str], suggested: str
) -> None:
    result = CliRunner().invoke(
        app, ["group", "list", *where], env={"CARDINAL_DATA_DIR": None, **env}
    )

    assert result.exit_code == 2, result.stderr
    line = _one_line(result.stderr)
    assert line.startswith("error: ")
    assert "http:// or https://" in line
    assert suggested in line
    assert "unreachable" not in line


# A database that cannot be opened ----------------------------------------------------------------


@pytest.fixture
def missing_postgres_database(postgres: PostgresDatabases) -> str:
    """A PostgreSQL URL (with a password) naming a database the server does not have."""
    url = make_url(postgres_admin_url()).set(
        password="hush-hush", database="cardinal_no_such_database"
    )
    return url.render_as_string(hide_password=False)


def _cannot_open(ran: subprocess.CompletedProcess[str]) -> str:
    assert ran.returncode == 5, ran.stderr
    line = _one_line(ran.stderr)
    assert line.startswith("unreachable: cannot open postgresql+psycopg://")
    assert "/cardinal_no_such_database: " in line
    assert "hush-hush" not in line
    assert "***" in line
    return line


@pytest.mark.postgres
def test_db_upgrade_of_a_database_that_is_not_there_is_one_line(
    missing_postgres_database: str, home: Path
) -> None:
    ran = _run(home, "db", "upgrade", "--database-url", missing_postgres_database)

    line = _cannot_open(ran)
    assert "cardinal_no_such_database" in line.rpartition(": ")[0]
    assert ran.stdout == ""


@pytest.mark.postgres
def test_serve_on_a_database_that_is_not_there_is_one_line(
    missing_postgres_database: str, home: Path
) -> None:
    port = str(free_port())
    ran = _run(home, "serve", "--port", port, "--database-url", missing_postgres_database)

    _cannot_open(ran)
    assert ran.stdout == ""


@pytest.fixture
def unmigrated_postgres(postgres: PostgresDatabases) -> Iterator[str]:
    with postgres.fresh(migrated=False) as url:
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["card", "list"], ["verify"]])
def test_a_read_command_on_postgresql_without_the_schema_creates_none(
    unmigrated_postgres: str, command: list[str]
) -> None:
    result = CliRunner().invoke(app, [*command, "--database-url", unmigrated_postgres])

    assert result.exit_code == 4, result.stderr
    line = _one_line(result.stderr)
    assert "cardinal db upgrade" in line
    engine = database.create_database_engine(unmigrated_postgres)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_a_database_url_that_does_not_parse_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["card", "list", "--database-url", "not a url"])

    assert result.exit_code == 2, result.stderr
    line = _one_line(result.stderr)
    assert "'not a url'" in line
    assert "--database-url" in line


# A port already in use ---------------------------------------------------------------------------


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield int(held.getsockname()[1])


@pytest.mark.parametrize("demo", [[], ["--demo"]], ids=["plain", "demo"])
def test_serve_on_a_busy_port_is_one_line_before_any_banner(
    busy_port: int, home: Path, tmp_path: Path, demo: list[str]
) -> None:
    data = tmp_path / "data"
    ran = _run(home, "serve", "--port", str(busy_port), "--data-dir", str(data), *demo)

    assert ran.returncode == 5, ran.stderr
    assert ran.stdout == ""
    line = _one_line(ran.stderr)
    assert line.startswith("cannot serve: ")
    assert f"127.0.0.1:{busy_port} is already in use" in line
    assert "--port" in line
    assert not data.exists()


def test_the_demo_on_a_busy_port_is_one_line(busy_port: int, home: Path) -> None:
    ran = _run(
        home, "demo", "--port", str(busy_port), program=[sys.executable, str(ROOT / "dev.py")]
    )

    assert ran.returncode == 5, ran.stderr
    assert ran.stdout == ""
    line = _one_line(ran.stderr)
    assert f"127.0.0.1:{busy_port} is already in use" in line
    assert "--port" in line


@pytest.mark.postgres
def test_serve_creates_the_schema_in_an_empty_postgresql_database(
    unmigrated_postgres: str, tmp_path: Path
) -> None:
    server = start_server(unmigrated_postgres, tmp_path / "server")
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            created = client.post(
                "/api/v1/groups",
                json={"name": "first-group"},
                headers={"X-Cardinal-Actor": "ops"},
            )
        assert created.status_code == 201, created.text
    finally:
        server.stop()
    assert "Database schema created." in server.log.read_text()
    engine = database.create_database_engine(unmigrated_postgres)
    try:
        assert database.current_revision(engine) == database.head_revision()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_serve_on_an_outdated_schema_says_how_to_upgrade_and_upgrades_when_asked(
    unmigrated_postgres: str, home: Path, tmp_path: Path
) -> None:
    engine = database.create_database_engine(unmigrated_postgres)
    try:
        database.upgrade(engine, "0003")
    finally:
        engine.dispose()
    port = str(free_port())
    ran = _run(home, "serve", "--port", port, "--database-url", unmigrated_postgres)
    assert ran.returncode == 4, ran.stderr
    assert "--upgrade" in _one_line(ran.stderr)

    server = start_server(unmigrated_postgres, tmp_path / "server", extra_args=["--upgrade"])
    server.stop()
    assert "Database schema upgraded." in server.log.read_text()
