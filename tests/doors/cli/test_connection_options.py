"""The connection options go ahead of the command or after it, and the one after it wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cardinal.cli.main import app
from tests.support.databases import sqlite_url
from tests.support.server import RunningServer, start_server


@pytest.fixture
def sqlite_server(tmp_path: Path) -> RunningServer:
    directory = tmp_path / "served"
    directory.mkdir()
    running = start_server(sqlite_url(directory), directory / "server")
    yield running  # type: ignore[misc]
    running.stop()


def _names(output: str) -> list[str]:
    return [group["name"] for group in json.loads(output)]


@pytest.mark.parametrize(
    "arguments",
    [
        ["--endpoint", "{url}", "group", "list", "--output", "json"],
        ["group", "list", "--endpoint", "{url}", "--output", "json"],
        ["--endpoint={url}", "group", "list", "-o", "json"],
    ],
    ids=["before", "after", "before-with-equals"],
)
def test_endpoint_before_or_after_the_command(
    sqlite_server: RunningServer, tmp_path: Path, arguments: list[str]
) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["group", "create", "churn", "--endpoint", sqlite_server.url])
    assert created.exit_code == 0, created.stderr
    args = [a.format(url=sqlite_server.url) for a in arguments]
    # A local store named in the environment must not be what the command reads.
    env = {"CARDINAL_DATA_DIR": str(tmp_path / "elsewhere"), "CARDINAL_ENDPOINT": ""}
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.stderr
    assert _names(result.stdout) == ["churn"]


def test_an_option_after_the_command_wins_over_one_before(
    sqlite_server: RunningServer, tmp_path: Path
) -> None:
    runner = CliRunner()
    runner.invoke(app, ["group", "create", "served", "--endpoint", sqlite_server.url])
    local = tmp_path / "local"
    made = runner.invoke(app, ["--data-dir", str(local), "group", "create", "local-only"])
    assert made.exit_code == 0, made.stderr
    result = runner.invoke(
        app,
        ["--region", "eu-west-1", "--endpoint", sqlite_server.url, "group", "list",
         "--region", "us-east-1", "-o", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert _names(result.stdout) == ["served"]
    local_list = runner.invoke(app, ["--data-dir", str(local), "group", "list", "-o", "json"])
    assert _names(local_list.stdout) == ["local-only"]


def test_endpoint_before_and_a_local_store_after_is_a_usage_error(
    sqlite_server: RunningServer, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app,
        ["--endpoint", sqlite_server.url, "group", "list", "--data-dir", str(tmp_path / "x")],
    )
    assert result.exit_code == 2
    assert "either --endpoint or a local store" in result.stderr
