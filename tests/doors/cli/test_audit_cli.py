"""`cardinal audit` reads the trail by resource, actor, action and time, page by page."""

from __future__ import annotations

import json
import subprocess
import sys

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.demo import seed_demo_registry

CTX = RequestContext(Scope("000000000000", "us-east-1"), "demo", "seed")
CARD = "arn:aws:sagemaker:us-east-1:000000000000:model-card/customer-churn-v1"


def _audit(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", "audit", "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_audit_by_resource_and_pages(services: Services, database_url: str) -> None:
    seed_demo_registry(services, CTX)
    result = _audit(database_url, "--resource", CARD, "--output", "json")
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    assert [e["action"] for e in events] == [
        "model-card:create",
        "model-card:link",
        "model-card:status",
    ]
    assert events[2]["before"] == {"version": 2, "status": "Draft"}
    assert {e["actor"] for e in events} == {"demo"}

    seen: list[int] = []
    token: list[str] = []
    while True:
        page = json.loads(_audit(database_url, "--limit", "4", "--output", "json", *token).stdout)
        seen.extend(e["seq"] for e in page["events"])
        if page["next_token"] is None:
            break
        token = ["--next-token", page["next_token"]]
    assert seen == list(range(1, len(seen) + 1))
    assert len(seen) > 8

    text = _audit(database_url, "--action", "model-card:status")
    assert text.returncode == 0
    assert text.stdout.splitlines()[1] == '    before: {"version":2,"status":"Draft"}'
    bad = _audit(database_url, "--since", "yesterday")
    assert bad.returncode == 2
    assert "--since 'yesterday' is not an ISO-8601 time" in bad.stderr
