"""Races between concurrent writers, started together by a barrier, against real servers.

Each test runs on SQLite (one server) and on PostgreSQL (two server processes, the threads
spread over both). Every acknowledged change must be in the stored state afterwards, every
limit must hold, no request may fail with a 5xx, and the audit trail must agree with the state.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.races.support import Servers, race

TRIALS = 50


def _register(sm: Any, group: str) -> str:
    return str(sm.create_model_package(ModelPackageGroupName=group)["ModelPackageArn"])


def test_an_approval_survives_a_concurrent_metadata_update(servers: Servers) -> None:
    sm = servers.client(0)
    sm.create_model_package_group(ModelPackageGroupName="approvals")

    def trial(number: int) -> bool:
        arn = _register(sm, "approvals")
        answers = race(
            servers,
            lambda c: c.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved"),
            lambda c: c.update_model_package(
                ModelPackageArn=arn, CustomerMetadataProperties={"trial": str(number)}
            ),
        )
        assert [a.code for a in answers] == ["OK", "OK"]
        stored = sm.describe_model_package(ModelPackageName=arn)
        return bool(
            stored["ModelApprovalStatus"] == "Approved"
            and stored.get("CustomerMetadataProperties") == {"trial": str(number)}
        )

    lost = [number for number in range(TRIALS) if not trial(number)]
    assert lost == []
    servers.assert_audit_agrees()


def test_eight_concurrent_metadata_keys_all_survive(servers: Servers) -> None:
    sm = servers.client(0)
    sm.create_model_package_group(ModelPackageGroupName="metadata")
    for arn in [_register(sm, "metadata") for _ in range(5)]:
        answers = race(
            servers,
            *[
                (lambda c, k=k, arn=arn: c.update_model_package(
                    ModelPackageArn=arn, CustomerMetadataProperties={f"key-{k}": str(k)}
                ))
                for k in range(8)
            ],
        )  # fmt: skip
        assert {a.code for a in answers} == {"OK"}
        stored = sm.describe_model_package(ModelPackageName=arn)
        assert stored["CustomerMetadataProperties"] == {f"key-{k}": str(k) for k in range(8)}
    servers.assert_audit_agrees()


def test_approval_lifecycle_source_and_metadata_at_once_all_survive(servers: Servers) -> None:
    sm = servers.client(0)
    sm.create_model_package_group(ModelPackageGroupName="fields")

    def trial(number: int) -> None:
        arn = _register(sm, "fields")
        answers = race(
            servers,
            lambda c: c.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Rejected"),
            lambda c: c.update_model_package(
                ModelPackageArn=arn,
                ModelLifeCycle={"Stage": "Staging", "StageStatus": "Deployed"},
            ),
            lambda c: c.update_model_package(
                ModelPackageArn=arn, SourceUri=f"s3://models/{number}.tar.gz"
            ),
            lambda c: c.update_model_package(
                ModelPackageArn=arn, CustomerMetadataProperties={"owner": "risk"}
            ),
        )
        assert {a.code for a in answers} == {"OK"}
        stored = sm.describe_model_package(ModelPackageName=arn)
        assert stored["ModelApprovalStatus"] == "Rejected"
        assert stored["ModelLifeCycle"]["Stage"] == "Staging"
        assert stored["SourceUri"] == f"s3://models/{number}.tar.gz"
        assert stored["CustomerMetadataProperties"] == {"owner": "risk"}

    for number in range(10):
        trial(number)
    servers.assert_audit_agrees()


def test_concurrent_add_tags_never_exceed_fifty(servers: Servers) -> None:
    sm = servers.client(0)
    arn = sm.create_model_package_group(ModelPackageGroupName="tagged")["ModelPackageGroupArn"]
    answers = race(
        servers,
        *[
            (lambda c, w=w: c.add_tags(
                ResourceArn=arn, Tags=[{"Key": f"w{w}-{i}", "Value": "x"} for i in range(10)]
            ))
            for w in range(8)
        ],
    )  # fmt: skip
    assert sorted(a.code for a in answers) == ["OK"] * 5 + ["ResourceLimitExceeded"] * 3
    tags = {t["Key"] for t in sm.list_tags(ResourceArn=arn, MaxResults=100)["Tags"]}
    accepted = {f"w{w}-{i}" for w, a in enumerate(answers) if a.code == "OK" for i in range(10)}
    assert tags == accepted
    servers.assert_audit_agrees()


def test_a_card_never_links_a_version_being_deleted(servers: Servers) -> None:
    sm = servers.client(0)
    sm.create_model_package_group(ModelPackageGroupName="linked")

    def trial(number: int) -> None:
        arn = _register(sm, "linked")
        content = f'{{"model_package_details": {{"model_package_arn": "{arn}"}}}}'
        answers = race(
            servers,
            lambda c: c.create_model_card(
                ModelCardName=f"card-{number}", Content=content, ModelCardStatus="Draft"
            ),
            lambda c: c.delete_model_package(ModelPackageName=arn),
        )
        created, deleted = (a.code == "OK" for a in answers)
        assert created != deleted, answers
        if created:
            assert sm.describe_model_package(ModelPackageName=arn)["ModelPackageArn"] == arn
            assert answers[1].code == "ConflictException"
        else:
            assert answers[0].code == "ValidationException"
            with pytest.raises(ClientError):
                sm.describe_model_card(ModelCardName=f"card-{number}")

    for number in range(30):
        trial(number)
    servers.assert_audit_agrees()


def test_a_version_documented_by_a_card_being_edited_is_never_deleted(servers: Servers) -> None:
    """An edit that keeps the card's link does not check the link again; the version it names
    still cannot be deleted meanwhile, and the edit is stored."""
    sm = servers.client(0)
    sm.create_model_package_group(ModelPackageGroupName="documented")

    def content(arn: str, description: str) -> str:
        return (
            f'{{"model_package_details": {{"model_package_arn": "{arn}"}}, '
            f'"model_overview": {{"model_description": "{description}"}}}}'
        )

    def trial(number: int) -> None:
        arn = _register(sm, "documented")
        card = f"kept-{number}"
        sm.create_model_card(
            ModelCardName=card, Content=content(arn, "one"), ModelCardStatus="Draft"
        )
        answers = race(
            servers,
            lambda c: c.update_model_card(ModelCardName=card, Content=content(arn, "two")),
            lambda c: c.delete_model_package(ModelPackageName=arn),
        )
        assert [a.code for a in answers] == ["OK", "ConflictException"], answers
        assert sm.describe_model_package(ModelPackageName=arn)["ModelPackageArn"] == arn
        described = sm.describe_model_card(ModelCardName=card)
        assert described["ModelCardVersion"] == 2
        assert '"two"' in described["Content"]

    for number in range(15):
        trial(number)
    servers.assert_audit_agrees()


def test_registering_into_a_group_being_deleted_is_not_found_never_a_500(
    servers: Servers,
) -> None:
    sm = servers.client(0)

    def trial(group: str) -> None:
        sm.create_model_package_group(ModelPackageGroupName=group)
        answers = race(
            servers,
            lambda c: c.create_model_package(ModelPackageGroupName=group),
            lambda c: c.delete_model_package_group(ModelPackageGroupName=group),
        )
        registered, deleted = (a.code == "OK" for a in answers)
        assert registered != deleted, answers
        if deleted:
            assert answers[0].code == "ResourceNotFound"
        else:
            assert answers[1].code == "ConflictException"
            listed = sm.list_model_packages(ModelPackageGroupName=group)
            assert len(listed["ModelPackageSummaryList"]) == 1

    for number in range(30):
        trial(f"doomed-{number}")
    servers.assert_audit_agrees()


def test_concurrent_updates_of_one_card_lose_nothing(servers: Servers) -> None:
    sm = servers.client(0)
    sm.create_model_card(ModelCardName="busy", Content="{}", ModelCardStatus="Draft")
    answers = race(
        servers,
        lambda c: c.update_model_card(ModelCardName="busy", ModelCardStatus="PendingReview"),
        *[
            (lambda c, w=w: c.update_model_card(
                ModelCardName="busy",
                Content=f'{{"model_overview": {{"model_description": "w{w}"}}}}',
            ))
            for w in range(5)
        ],
    )  # fmt: skip
    assert {a.code for a in answers} == {"OK"}
    card = sm.describe_model_card(ModelCardName="busy")
    assert card["ModelCardVersion"] == 6
    assert card["ModelCardStatus"] == "PendingReview"
    servers.assert_audit_agrees()


def test_a_registration_repeated_at_once_with_one_client_token_registers_once(
    servers: Servers,
) -> None:
    """The client token is looked up before the group's lock: repeats sent together, over both
    servers, get one version, and every caller its ARN."""
    sm = servers.client(0)
    sm.create_model_package_group(ModelPackageGroupName="idempotent")
    for trial in range(10):
        arns: list[str] = []

        def register(c: Any, token: str = f"token-{trial}", arns: list[str] = arns) -> None:
            answer = c.create_model_package(ModelPackageGroupName="idempotent", ClientToken=token)
            arns.append(answer["ModelPackageArn"])

        answers = race(servers, *[register] * 6)
        assert [a.code for a in answers] == ["OK"] * 6
        assert len(arns) == 6
        assert len(set(arns)) == 1, arns
    listed = sm.list_model_packages(ModelPackageGroupName="idempotent", MaxResults=100)
    summaries = listed["ModelPackageSummaryList"]
    assert sorted(p["ModelPackageVersion"] for p in summaries) == list(range(1, 11))
    servers.assert_audit_agrees()
