"""Run a scenario script inside one of the SageMaker SDK virtual environments.

The SDK v2 and the v3 SDK cannot share a virtual environment with each other or with Cardinal,
so each scenario is a plain script run by that environment's interpreter as a subprocess,
pointed at a running server and cut off from any AWS configuration of the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RunningServer

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "doors" / "sagemaker" / "sdk_scenarios"
TIMEOUT_SECONDS = 180

# SDK name -> (environment variable set by dev.py, virtual environment made by dev.py)
SDKS = {
    "v2": ("CARDINAL_SDK_V2_PYTHON", ROOT / ".venvs" / "sdk-v2"),
    "v3": ("CARDINAL_SDK_V3_PYTHON", ROOT / ".venvs" / "sdk-v3"),
}


def sdk_python(sdk: str) -> Path:
    """The interpreter of an SDK's virtual environment; skips (fails under CI=true) without it."""
    variable, venv = SDKS[sdk]
    configured = os.environ.get(variable)
    scripts = "Scripts" if os.name == "nt" else "bin"
    python = Path(configured) if configured else venv / scripts / "python"
    if not python.exists():
        problem = (
            f"no SDK {sdk} interpreter at {python} (set {variable}, or make it with "
            '`.venv/bin/python -c "import dev; dev.ensure_sdk_venvs()"`)'
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"SDK tests must run under CI=true, but {problem}")
        pytest.skip(problem)
    return python


@dataclass
class ScenarioRun:
    returncode: int
    stdout: str
    stderr: str

    def observations(self) -> dict[str, Any]:
        """The JSON object the scenario printed as its last line of stdout."""
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        assert lines, f"the scenario printed nothing\n--- stderr ---\n{self.stderr}"
        parsed = json.loads(lines[-1])
        assert isinstance(parsed, dict)
        return parsed


def run_scenario(
    python: Path,
    script: str,
    server_url: str,
    tmp_path: Path,
    credentials: tuple[str, str] | None = None,
) -> ScenarioRun:
    """Run ``sdk_scenarios/<script>`` with an SDK environment's ``python`` against ``server_url``,
    signing with ``credentials`` (access key id, secret) when given."""
    key, secret = credentials or ("alice", "unused")
    home = tmp_path / "scenario-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(tmp_path),
        "AWS_ENDPOINT_URL_SAGEMAKER": server_url,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    completed = subprocess.run(
        [str(python), str(SCENARIOS / script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return ScenarioRun(completed.returncode, completed.stdout, completed.stderr)


def run_ok(python: Path, script: str, server: RunningServer, tmp_path: Path) -> dict[str, Any]:
    """Run a scenario, require exit code 0 (showing its stderr otherwise), return its output."""
    run = run_scenario(python, script, server.url, tmp_path, server.credentials)
    assert run.returncode == 0, (
        f"{script} exited with {run.returncode}\n--- stderr ---\n{run.stderr}"
        f"\n--- stdout ---\n{run.stdout[-4000:]}"
        f"\n--- server log (last 4000 characters) ---\n{server.log.read_text()[-4000:]}"
    )
    return run.observations()
