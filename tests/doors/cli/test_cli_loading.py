"""What `cardinal` loads: `--version` and `--help` load no command, a command against a server
loads none of the server (database, web framework, PDF renderer), and `cardinal --help` lists
each command with its own help's first paragraph."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from cardinal.cli.lazy import load
from cardinal.cli.main import Commands, app
from tests.support.server import RunningServer

SERVER_SIDE = ("sqlalchemy", "fastapi", "starlette", "weasyprint", "uvicorn", "alembic")
OURS_SERVER_SIDE = ("cardinal.services", "cardinal.store", "cardinal.api", "cardinal.documents")

RUN = """
import json, sys
from cardinal.cli.main import app
try:
    app(sys.argv[1:], prog_name="cardinal")
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _loaded(*args: str) -> tuple[int, list[str]]:
    ran = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=120
    )
    last = json.loads(ran.stderr.strip().splitlines()[-1])
    return last["code"], last["modules"]


def _of(modules: list[str], roots: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == r or m.startswith(r + ".") for r in roots)]


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_command(args: list[str]) -> None:
    code, modules = _loaded(*args)
    assert code == 0
    commands = [m for m in modules if m.startswith("cardinal.cli.") and m != "cardinal.cli.main"]
    assert set(commands) <= {
        "cardinal.cli.errors",
        "cardinal.cli.exit_codes",
        "cardinal.cli.lazy",
        "cardinal.cli.options",
        "cardinal.cli.overview",
        "cardinal.cli.terminal",
    }
    # httpx._main is the stand-in that keeps httpx's command line out (cardinal/cli/__init__.py).
    assert _of(modules, ("httpx", "cardinal.client.client", "cardinal.wire")) == ["httpx._main"]
    assert _of(modules, SERVER_SIDE + OURS_SERVER_SIDE) == []


def test_a_command_against_a_server_loads_none_of_the_server(server: RunningServer) -> None:
    code, modules = _loaded("gate", "nothing/1", "--endpoint", server.url)
    assert code == 3
    assert "httpx" in modules
    assert _of(modules, SERVER_SIDE + OURS_SERVER_SIDE) == []
    assert "cardinal.cli.card" not in modules
    # What a gate does not need: YAML, and httpx's own command line (click, pygments).
    assert _of(modules, ("yaml", "click", "pygments", "httpx._main")) == ["httpx._main"]


CARD_COMMAND_MODULES = (
    "cardinal.cli.card_clone",
    "cardinal.cli.card_commands",
    "cardinal.cli.card_diff",
    "cardinal.cli.card_edit",
    "cardinal.cli.card_export",
    "cardinal.cli.card_report",
)


def test_a_card_command_loads_only_its_own_module(server: RunningServer) -> None:
    code, modules = _loaded("card", "show", "nothing", "--endpoint", server.url)
    assert code == 3
    assert _of(modules, CARD_COMMAND_MODULES) == ["cardinal.cli.card_commands"]
    # Reading a card needs no schema validation (that is the server's).
    assert _of(modules, ("jsonschema",)) == []
    assert _of(modules, SERVER_SIDE + OURS_SERVER_SIDE) == []


def test_the_card_commands_are_all_listed_and_a_mistyped_one_is_answered() -> None:
    listed = CliRunner().invoke(app, ["card", "--help"])
    assert listed.exit_code == 0
    for name in (
        "create", "show", "list", "history", "edit", "status", "restore", "diff", "clone",
        "attach-report", "delete", "export", "export-job",
    ):  # fmt: skip
        assert f" {name} " in listed.stdout, name
    typo = CliRunner().invoke(app, ["card", "shwo", "churn-1"])
    assert typo.exit_code == 2
    assert "Did you mean 'show'?" in typo.stderr


def test_the_listing_shows_each_command_s_own_summary() -> None:
    group = typer.main.get_command(app)
    context = group.make_context("cardinal", [], resilient_parsing=True)
    assert set(Commands.lazy) <= set(group.list_commands(context))
    for name, entry in Commands.lazy.items():
        command = load(name, entry)
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert entry.summary == first, name


def test_a_mistyped_command_is_answered_with_the_one_meant() -> None:
    typo = CliRunner().invoke(app, ["gaet", "churn/1"])
    assert typo.exit_code == 2
    assert "No such command 'gaet'" in typo.stderr
    assert "Did you mean 'gate'?" in typo.stderr
