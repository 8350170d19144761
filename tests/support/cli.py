"""Running `cardinal` in tests: in this process (Typer's runner) or as a real process, against a
running server or a local store, with a scriptable ``$EDITOR``."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from click.testing import Result
from typer.testing import CliRunner

from cardinal.cli.main import app

CARDINAL = str(Path(sys.executable).with_name("cardinal"))

# A scriptable $EDITOR: applies CARDINAL_TEST_EDIT ([[keys...], value] pairs) to the YAML file,
# or writes CARDINAL_TEST_RAW as it is; with CARDINAL_TEST_NESTED it first runs another command
# (a concurrent edit) with its own CARDINAL_TEST_EDIT.
EDITOR_SCRIPT = """
import json, os, subprocess, sys
import yaml

path = sys.argv[1]
nested = os.environ.pop("CARDINAL_TEST_NESTED", None)
if nested:
    spec = json.loads(nested)
    env = {**os.environ, "CARDINAL_TEST_EDIT": json.dumps(spec["edit"])}
    subprocess.run(spec["command"], env=env, check=True)
raw = os.environ.get("CARDINAL_TEST_RAW")
if raw is not None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(raw)
    sys.exit(0)
with open(path, encoding="utf-8") as text:
    doc = yaml.safe_load(text)
for keys, value in json.loads(os.environ.get("CARDINAL_TEST_EDIT", "[]")):
    target = doc
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value
with open(path, "w", encoding="utf-8") as out:
    yaml.safe_dump(doc, out, sort_keys=False)
"""


@dataclass
class Cli:
    """Runs `cardinal` against one Cardinal (server or local store); ``files`` holds the
    files a test writes, ``data_dir`` is that Cardinal's data directory."""

    where: list[str]
    files: Path
    data_dir: Path
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.runner.invoke(app, [*args, *self.where], env=env, catch_exceptions=False)

    def ok(self, *args: str, env: dict[str, str] | None = None) -> Result:
        result = self(*args, env=env)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--output", "json").stdout)

    def yaml(self, *args: str) -> Any:
        return yaml.safe_load(self.ok(*args, "--output", "yaml").stdout)

    def process(self, *args: str) -> subprocess.CompletedProcess[str]:
        where = ["--database" if a == "--database-url" else a for a in self.where]
        return subprocess.run(
            [CARDINAL, *args, *where], capture_output=True, text=True, timeout=120, check=False
        )

    def write(self, name: str, text: str) -> Path:
        path = self.files / name
        path.write_text(text, encoding="utf-8")
        return path

    def editor(self, **env: str) -> dict[str, str]:
        script = self.write("editor.py", EDITOR_SCRIPT)
        return {"EDITOR": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", **env}


def one_line(result: Result) -> str:
    """The one line a failing command printed on stderr."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def every_command() -> dict[tuple[str, ...], Any]:
    """Every command of `cardinal` (loaded, however lazily the CLI loads them), by its path."""
    import typer.main

    def walk(group: Any, path: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
        context = group.make_context(path[-1] if path else "cardinal", [], resilient_parsing=True)
        found: dict[tuple[str, ...], Any] = {}
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if hasattr(command, "list_commands"):
                found |= walk(command, (*path, name))
            else:
                found[(*path, name)] = command
        return found

    return walk(typer.main.get_command(app), ())
