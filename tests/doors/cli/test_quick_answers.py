"""What `cardinal` answers without loading the full command line (`cardinal.cli.quick`):
`--version`, `--help` and a plain `cardinal gate` against a server give the same output and exit
code as the full command line, load none of its framework, and leave everything else (another
option, an unknown version, no answer) to it."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from cardinal import __version__
from cardinal.cli import overview
from tests.support.cli import CARDINAL
from tests.support.server import RunningServer

FRAMEWORK = ("typer", "click", "rich", "pydantic", "httpx", "httpcore", "yaml")

QUICK = """
import json, sys
from cardinal.cli.quick import answer
code = answer(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""
FULL = "from cardinal.cli.main import main; main()"


def _quick(*args: str) -> tuple[int | None, str, list[str]]:
    ran = subprocess.run(
        [sys.executable, "-c", QUICK, *args], capture_output=True, text=True, timeout=60
    )
    last = json.loads(ran.stderr.strip().splitlines()[-1])
    return last["code"], ran.stdout, last["modules"]


def _full(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", FULL, *args], capture_output=True, text=True, timeout=120
    )


def _cardinal(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CARDINAL, *args], capture_output=True, text=True, timeout=120)


def _of(modules: list[str], roots: tuple[str, ...]) -> list[str]:
    # httpx._main is a stand-in that keeps httpx's command line out (cardinal/cli/__init__.py).
    found = [m for m in modules if any(m == r or m.startswith(r + ".") for r in roots)]
    return [m for m in found if m != "httpx._main"]


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["--help"], 0), ([], 2)])
def test_version_and_help_are_the_full_command_line_s(args: list[str], code: int) -> None:
    answered, stdout, modules = _quick(*args)
    full = _full(*args)
    assert (answered, stdout) == (full.returncode, full.stdout)
    assert answered == code
    if args == ["--version"]:
        assert stdout == f"{__version__}\n"
    else:
        assert stdout.startswith("\n Usage: cardinal [OPTIONS] COMMAND [ARGS]...\n")
        assert "│ gate " in stdout
    assert _of(modules, FRAMEWORK) == []


def test_the_help_lists_every_command_and_option_as_the_full_command_line_has_them() -> None:
    import typer.main

    from cardinal.cli.main import app

    group = typer.main.get_command(app)
    context = group.make_context("cardinal", ["--help"], resilient_parsing=True)
    assert [c.name for c in overview.COMMANDS] == group.list_commands(context)
    for command in overview.COMMANDS:
        if command.module is None:
            found = group.get_command(context, command.name)
            assert found is not None
            first = " ".join((found.help or "").split("\n\n")[0].split())
            assert command.summary == first, command.name
    params = {p.name: p for p in group.get_params(context)}
    assert [o.name for o in overview.OPTIONS] == list(params)
    for option in overview.OPTIONS:
        param = params[option.name]
        assert option.flags == ", ".join(param.opts), option.name
        assert overview.OPTION_HELP[option.name] == getattr(param, "help", None), option.name
    assert group.help == "\n\n".join(overview.DESCRIPTION)
    # Lines fit the width they are rendered for.
    assert max(len(line) for line in overview.render(60).splitlines()) == 60


def _seed(url: str) -> None:
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30) as client:
        client.post("/groups", json={"name": "churn"}).raise_for_status()
        for _ in range(2):
            client.post("/groups/churn/versions", json={}).raise_for_status()
        arn = client.get("/groups/churn/versions/1").json()["arn"]
        content = {"model_package_details": {"model_package_arn": arn}}
        client.post("/cards", json={"name": "churn-1", "content": content}).raise_for_status()
        client.put("/cards/churn-1/status", json={"status": "Approved"}).raise_for_status()
        approved = client.post(
            "/groups/churn/versions/1/approve",
            json={"description": "ok\x1b]0;pwned\x07 \x1b[2Jfor release"},
        )
        approved.raise_for_status()


def test_a_gate_is_answered_as_the_full_command_line_answers_it(server: RunningServer) -> None:
    _seed(server.url)
    where = ["--endpoint", server.url]
    cases = [
        (["gate", "churn/1", *where], 0),
        (["gate", "churn/1", "-o", "json", *where], 0),
        ([*where, "gate", "churn/1", "--output=JSON"], 0),
        (["gate", "churn/2", *where], 1),
        (["gate", "churn/2", "--output", "json", "--region", "us-east-1", *where], 1),
    ]
    for args, code in cases:
        answered, stdout, modules = _quick(*args)
        full = _full(*args)
        assert answered == full.returncode == code, (args, full.stderr)
        assert stdout == full.stdout, args
        assert _of(modules, FRAMEWORK) == [], args
    opened = _cardinal("gate", "churn/1", *where)
    assert opened.returncode == 0
    assert opened.stdout.startswith("OPEN: churn/1 is Approved and documented by churn-1")
    # The comment reaches the terminal as text: its escape sequences are not sent.
    assert "ok]0;pwned [2Jfor release" in opened.stdout
    assert "\x1b" not in opened.stdout
    assert "\x07" not in opened.stdout
    closed = _cardinal("gate", "churn/2", *where)
    assert closed.returncode == 1
    assert closed.stdout.splitlines()[0] == "CLOSED: churn/2"
    assert json.loads(_cardinal("gate", "churn/1", "-o", "json", *where).stdout)["open"] is True


def test_what_the_quick_answer_does_not_cover_is_left_to_the_full_command_line(
    server: RunningServer,
) -> None:
    _seed(server.url)
    where = ["--endpoint", server.url]
    left = [
        ["gate", "churn/9", *where],  # not found: the full command line says so
        ["gate", "churn/1", "--as-of", "2030-01-01T00:00:00Z", *where],
        ["gate", "churn/1", "--output", "yaml", *where],
        ["gate", "churn/1", "--data-dir", "/nonexistent", *where],
        ["gate", "churn/1"],  # no endpoint: the local store
        ["gate", "churn/1", "--endpoint", "127.0.0.1:1"],
        ["gate", "churn/1", "--endpoint", "http://127.0.0.1:1"],  # no answer
        ["gate", "churn/1", "--endpoint"],
        ["gate", "churn/1", "churn/2", *where],
        ["gate", "churn/1", *where, "--endpoint", server.url],
        ["group", "list", *where],
    ]
    for args in left:
        assert _quick(*args)[0] is None, args
    missing = _cardinal("gate", "churn/9", *where)
    assert missing.returncode == 3
    assert "not found" in missing.stderr
    unreachable = _cardinal("gate", "churn/1", "--endpoint", "http://127.0.0.1:1")
    assert unreachable.returncode == 5
    assert "no answer from the Cardinal server at http://127.0.0.1:1" in unreachable.stderr
    then = _cardinal("gate", "churn/1", "--as-of", "2030-01-01T00:00:00Z", *where)
    assert then.returncode == 0
    assert "As of 2030-01-01T00:00:00Z" in then.stdout
    proxied = subprocess.run(
        [sys.executable, "-c", QUICK, "gate", "churn/1", *where],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HTTPS_PROXY": "http://127.0.0.1:1", "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(proxied.stderr.strip().splitlines()[-1])["code"] is None
