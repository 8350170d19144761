"""Conventions of the CLI: every error has an exit code, every command documents an example,
shell completion is offered."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cardinal.cli.errors import EXIT_REFUSED, EXIT_UNREACHABLE, EXITS, exit_for
from cardinal.cli.main import app
from cardinal.client import errors as client_errors
from cardinal.client.errors import ApiError, CardinalClientError, api_error
from cardinal.domain.errors import ERROR_CLASSES, StaleVersion
from tests.support.cli import every_command

COMMANDS = list(every_command())


def _error(cls: type[Exception]) -> Exception:
    if issubclass(cls, ApiError):
        return cls(400, {"status": 400, "detail": "bad", "path": "$.a"})
    return cls("message")


CLIENT_ERRORS = [
    cls
    for cls in vars(client_errors).values()
    if isinstance(cls, type) and issubclass(cls, CardinalClientError)
]


@pytest.mark.parametrize(
    "cls", [*ERROR_CLASSES, StaleVersion, *CLIENT_ERRORS], ids=lambda c: c.__name__
)
def test_every_error_has_an_exit_code(cls: type[Exception]) -> None:
    assert any(c in EXITS for c in cls.__mro__), cls
    code, label, message = exit_for(_error(cls))
    assert code in (3, 4, 5)
    assert label
    assert "\n" not in message


def test_problem_details_name_the_json_path_and_5xx_is_unreachable() -> None:
    assert exit_for(api_error(422, {"status": 422, "detail": "not one of", "path": "$.x.y"})) == (
        EXIT_REFUSED,
        "refused",
        "$.x.y: not one of",
    )
    assert exit_for(api_error(503, {"status": 503, "title": "Unavailable"}))[0] == EXIT_UNREACHABLE


def test_the_expected_commands_exist() -> None:
    assert set(COMMANDS) >= {
        ("group", "create"), ("group", "list"), ("group", "show"), ("group", "delete"),
        ("package", "register"), ("package", "list"), ("package", "show"),
        ("package", "approve"), ("package", "reject"), ("package", "update"), ("package", "delete"),
        ("card", "create"), ("card", "show"), ("card", "list"), ("card", "history"),
        ("card", "edit"), ("card", "status"), ("card", "diff"), ("card", "clone"),
        ("card", "attach-report"), ("card", "delete"), ("card", "export"),
        ("card", "export-job", "start"), ("card", "export-job", "show"),
        ("card", "export-job", "list"), ("card", "export-job", "download"),
        ("tag", "list"), ("tag", "set"), ("tag", "remove"),
        ("search",), ("gate",), ("audit",), ("verify",), ("serve",), ("db", "upgrade"),
        ("evidence", "pack"), ("evidence", "verify"),
    }  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    shown = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "Example" in shown.stdout
    # Local-only commands, and the offline check of an evidence pack, reach no server.
    if command not in {("serve",), ("db", "upgrade"), ("evidence", "verify")}:
        assert "--endpoint" in shown.stdout


def test_shell_completion_is_offered() -> None:
    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert "--install-completion" in shown.stdout
    assert "--show-completion" in shown.stdout
    assert "5 server unreachable" in " ".join(shown.stdout.split())
