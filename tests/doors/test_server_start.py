"""A server process makes ready, before its first request, what every first call would otherwise
build: each served SageMaker operation's input checker, the card content validators and the
database engine's first connection. The CLI's own app over a local store, which serves one
command, builds none of it ahead.

Each case runs in a fresh interpreter: these are caches of the process, and this test run's own
process has long since filled them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = """
import json, sys
from pathlib import Path
from starlette.testclient import TestClient
from cardinal.app import create_app
from cardinal.api.sagemaker.operations import OPERATIONS
from cardinal.config import Settings
from cardinal.content import card_content

data_dir, database_url, local = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "local"
# No export or webhook workers: what the pool holds then was opened by the start alone.
settings = Settings(
    auth="off", data_dir=data_dir, database_url=database_url, export_workers=0, webhook_workers=0
)
app = create_app(settings, local=local)
endpoint = app.routes[0].endpoint.__self__  # the SageMaker door's route: POST /
engine = endpoint._services.store.engine
with TestClient(app, base_url="http://127.0.0.1"):  # the lifespan only: no request is made
    print(json.dumps({
        "checkers": sorted(n for n in endpoint._validator._roots if n in OPERATIONS),
        "content_validators": card_content._validator.cache_info().currsize,
        "pooled_connections": engine.pool.checkedin(),
    }))
"""


def _started_app(tmp_path: Path, database_url: str, mode: str) -> dict[str, Any]:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "data"), database_url, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    facts: dict[str, Any] = json.loads(probe.stdout.strip().splitlines()[-1])
    return facts


@pytest.mark.timeout(180)
def test_a_server_prepares_before_its_first_request(database_url: str, tmp_path: Path) -> None:
    from cardinal.api.sagemaker.operations import OPERATIONS

    facts = _started_app(tmp_path, database_url, "server")
    assert facts["checkers"] == sorted(OPERATIONS)
    assert facts["content_validators"] == 2
    assert facts["pooled_connections"] >= 1


@pytest.mark.timeout(180)
def test_the_clis_local_app_prepares_nothing_ahead(tmp_path: Path) -> None:
    facts = _started_app(tmp_path, f"sqlite:///{tmp_path / 'local.db'}", "local")
    assert facts["checkers"] == []
    assert facts["content_validators"] == 0
