"""`cardinal card clone` on a local store, and the SDK v2 loading the card it made."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.demo import GROUP, seed_demo_registry
from cardinal.services.model_packages import NewModelPackage
from tests.support.sdk import run_ok, sdk_python
from tests.support.server import start_server

CTX = RequestContext(Scope("000000000000", "us-east-1"), "demo", "seed")


def _cardinal(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def demo(services: Services) -> Services:
    seed_demo_registry(services, CTX)
    services.packages.register_model_package(CTX, GROUP, NewModelPackage(description="v3"))
    return services


@pytest.mark.sdk
def test_clone_then_load_with_the_sdk_v2(demo: Services, database_url: str, tmp_path: Path) -> None:
    python = sdk_python("v2")
    result = _cardinal(
        "card", "clone", f"{GROUP}/3", "--name", "customer-churn-v3", "--database-url", database_url
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Created model card customer-churn-v3 (version 1, Draft) for "
        "arn:aws:sagemaker:us-east-1:000000000000:model-package/customer-churn/3.",
        result.stdout.splitlines()[1],
    ]
    assert result.stdout.splitlines()[1].startswith(
        "Carried over business_details, intended_uses, additional_information from "
        "customer-churn-v2 version 2 (chain "
    )
    source = json.loads(demo.cards.describe_model_card(CTX, "customer-churn-v2").version.content)

    server = start_server(database_url, tmp_path / "server")
    try:
        seen = run_ok(python, "load_cloned_v2.py", server, tmp_path)
    finally:
        server.stop()
    assert seen["version"] == 1
    assert seen["status"] == "Draft"
    for section in ("business_details", "intended_uses", "additional_information"):
        assert seen[section] == source[section], section
    assert seen["model_package_arn"].endswith(":model-package/customer-churn/3")
    assert seen["model_package_version"] == 3


def test_clone_refusals_and_json(demo: Services, database_url: str) -> None:
    taken = _cardinal(
        "card", "clone", f"{GROUP}/1", "--name", "again", "--database-url", database_url
    )
    assert taken.returncode == 4
    assert "already documented by model card 'customer-churn-v1'" in taken.stderr
    missing = _cardinal(
        "card", "clone", f"{GROUP}/7", "--name", "nope", "--database-url", database_url
    )
    assert missing.returncode == 3
    made = _cardinal(
        "card", "clone", f"{GROUP}/3", "--name", "customer-churn-v3", "--output", "json",
        "--database-url", database_url,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    body = json.loads(made.stdout)
    assert (body["name"], body["version"], body["status"]) == ("customer-churn-v3", 1, "Draft")
    assert body["model_package_arn"].endswith(":model-package/customer-churn/3")
    assert body["carried_over_from"]["model_card_arn"].endswith(":model-card/customer-churn-v2")
