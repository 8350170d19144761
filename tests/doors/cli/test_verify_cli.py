"""`cardinal verify` on an untouched store and on stores edited behind Cardinal's back."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.demo import seed_demo_registry
from cardinal.services.model_packages import EmbeddedCardChange, NewModelPackage

CTX = RequestContext(Scope("000000000000", "us-east-1"), "demo", "seed")


def _verify(database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", "verify", "--database-url", database_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def seeded(services: Services, database_url: str) -> str:
    seed_demo_registry(services, CTX)
    services.packages.register_model_package(
        CTX,
        "customer-churn",
        NewModelPackage(model_card=EmbeddedCardChange(json.dumps({"model_overview": {}}), "Draft")),
    )
    return database_url


def _execute(services: Services, statement: str) -> None:
    with services.store.engine.begin() as connection:
        connection.execute(text(statement))


def test_an_untouched_store_verifies(seeded: str) -> None:
    result = _verify(seeded)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: checked 4 model card versions, 1 embedded card versions" in result.stdout
    assert "6 resource states; every hash holds, every resource matches its audit trail." in (
        result.stdout
    )


def test_an_edited_card_version_is_named(seeded: str, services: Services) -> None:
    _execute(
        services,
        "UPDATE model_card_versions SET content = REPLACE(content, 'Medium', 'Low') "
        "WHERE version = 1 AND card_id = (SELECT id FROM model_cards WHERE name = 'customer-churn-v1')",
    )
    result = _verify(seeded)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("BREAK")]
    assert lines == [
        "BREAK arn:aws:sagemaker:us-east-1:000000000000:model-card/customer-churn-v1 version 1: "
        "the stored content does not match its hash",
        "BREAK arn:aws:sagemaker:us-east-1:000000000000:model-card/customer-churn-v1 version 1: "
        "the version's chain hash does not match its content and link",
    ]
    assert "content_sha256 stored:" in result.stdout


def test_a_rehashed_edit_still_breaks_the_chain(seeded: str, services: Services) -> None:
    from cardinal.content.canonical import content_sha256, version_chain_sha256

    arn = CTX.scope.arn("model-card", "customer-churn-v1")
    forged = json.dumps({"model_overview": {"model_description": "forged"}})
    forged_hash = content_sha256(forged)
    chain = version_chain_sha256(arn, 1, forged_hash, None)
    with services.store.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE model_card_versions SET content = :c, content_sha256 = :h, chain_sha256 = :k "
                "WHERE version = 1 AND card_id = (SELECT id FROM model_cards WHERE name = 'customer-churn-v1')"
            ),
            {"c": forged, "h": forged_hash, "k": chain},
        )
    result = _verify(seeded)
    assert result.returncode == 1
    assert f"BREAK {arn} version 2: the link to the version before does not match" in result.stdout


def test_an_edited_or_deleted_audit_event_is_found(seeded: str, services: Services) -> None:
    _execute(services, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    result = _verify(seeded)
    assert result.returncode == 1
    assert "BREAK audit trail event 3: the event (" in result.stdout
    _execute(services, "UPDATE audit_events SET actor = 'demo' WHERE seq = 3")
    assert _verify(seeded).returncode == 0
    _execute(services, "DELETE FROM audit_events WHERE seq = 4")
    result = _verify(seeded)
    assert result.returncode == 1
    assert "BREAK audit trail event 5: events 4 to 4 are missing" in result.stdout


def test_an_edited_embedded_card_is_found(seeded: str, services: Services) -> None:
    _execute(services, "UPDATE model_package_card_versions SET content = '{}'")
    result = _verify(seeded)
    assert result.returncode == 1
    assert (
        "model-package/customer-churn/3 version 1: the stored content does not match"
        in result.stdout
    )


def test_an_approval_reverted_behind_cardinals_back_is_named(
    seeded: str, services: Services
) -> None:
    arn = CTX.scope.arn("model-package", "customer-churn/1")
    _execute(
        services,
        f"UPDATE model_packages SET approval_status = 'PendingManualApproval' WHERE arn = '{arn}'",
    )
    result = _verify(seeded)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    [found] = [i for i, line in enumerate(lines) if line.startswith("BREAK")]
    assert lines[found].startswith(
        f"BREAK {arn} state: the stored approval_status is not the one its audit trail ends with "
        "(set by event "
    )
    assert lines[found].endswith(", model-package:approval)")
    assert lines[found + 1 : found + 3] == [
        "  approval_status stored:      PendingManualApproval",
        "  approval_status audit trail: Approved",
    ]
    assert lines[-1].startswith("BROKEN: 1 break(s) in 4 model card versions")


def test_state_breaks_in_json(seeded: str, services: Services) -> None:
    arn = CTX.scope.arn("model-package-group", "customer-churn")
    _execute(services, f"DELETE FROM tags WHERE resource_arn = '{arn}'")
    result = subprocess.run(
        [sys.executable, "-m", "cardinal", "verify", "--database-url", seeded, "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["breaks"] == [
        {
            "resource": arn,
            "position": "state",
            "field": "tags.team",
            "stored": None,
            "recomputed": "retention",
            "detail": report["breaks"][0]["detail"],
            "kind": "state",
        }
    ]
