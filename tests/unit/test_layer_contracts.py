"""The layer contracts in pyproject.toml hold, and they catch an import that breaks one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def test_the_contracts_hold(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " broken" not in result.stdout.replace("0 broken", "")


def test_a_domain_module_importing_the_store_breaks_a_contract(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    (project / "src" / "cardinal" / "domain" / "shortcut.py").write_text(
        '"""A rule that reads the database itself."""\n\nimport cardinal.store.tables\n'
    )
    result = _lint(project)
    assert result.returncode == 1
    assert "domain imports nothing of Cardinal's outside domain" in result.stdout
    assert "cardinal.domain.shortcut -> cardinal.store.tables" in result.stdout


def test_the_client_importing_the_rest_door_breaks_a_contract(tmp_path: Path) -> None:
    project = _copy(tmp_path)
    (project / "src" / "cardinal" / "client" / "shortcut.py").write_text(
        '"""A client module that borrows the server\'s app."""\n\nimport cardinal.api.rest.app\n'
    )
    result = _lint(project)
    assert result.returncode == 1
    assert "the client and the wire package stay light" in result.stdout
