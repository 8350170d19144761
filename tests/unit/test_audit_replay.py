"""Replaying one resource's audit events into the state they leave it in, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cardinal.domain.audit import AuditAction, AuditEvent
from cardinal.domain.audit_replay import Difference, StoredResource, replay

ARN = "arn:aws:sagemaker:us-east-1:000000000000:model-package/g/1"
START = datetime(2026, 1, 1, tzinfo=UTC)
A = AuditAction


class Trail:
    """Events of one resource, each in its own request unless told otherwise."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def add(
        self,
        action: AuditAction,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        *,
        same_request: bool = False,
    ) -> Trail:
        seq = len(self.events) + 1
        at = self.events[-1].occurred_at if same_request else START + timedelta(seconds=seq)
        self.events.append(
            AuditEvent(seq, at, "alice", action, ARN, "r", before, after, None, f"h{seq}")
        )
        return self


def _stored(created_at: datetime = START, **fields: Any) -> StoredResource:
    return StoredResource(created_at, fields)


def _fields(found: list[Difference]) -> list[tuple[str, str, Any, Any]]:
    return [(d.kind, d.field, d.stored, d.expected) for d in found]


def _registered() -> Trail:
    return Trail().add(
        A.PACKAGE_REGISTER,
        after={"version": 1, "approval_status": "PendingManualApproval", "description": "d"},
    )


PACKAGE = {
    "description": "d",
    "approval_status": "Approved",
    "approval_description": "ok",
    "details.CustomerMetadataProperties": {"a": "1"},
    "model_card.version": None,
    "model_card.status": None,
    "model_card.content_sha256": None,
}


def test_a_package_ends_with_what_its_events_fix() -> None:
    trail = _registered()
    trail.add(
        A.PACKAGE_APPROVAL,
        {"approval_status": "PendingManualApproval", "approval_description": None},
        {"approval_status": "Approved", "approval_description": "ok"},
    )
    trail.add(
        A.PACKAGE_UPDATE,
        {"CustomerMetadataProperties": None},
        {"CustomerMetadataProperties": {"a": "1"}},
    )
    replayed = replay(ARN, trail.events)
    assert replayed.fixed_fields == set(PACKAGE)
    assert replayed.differences(_stored(**PACKAGE), {}, START) == []
    # Details the trail never names are not compared.
    unfixed = {**PACKAGE, "details.Domain": "x"}
    assert replayed.differences(_stored(**unfixed), {}, START) == []

    reverted = {**PACKAGE, "approval_status": "PendingManualApproval"}
    [found] = replayed.differences(_stored(**reverted), {}, START)
    assert (found.position, found.field, found.stored, found.expected) == (
        "state",
        "approval_status",
        "PendingManualApproval",
        "Approved",
    )
    assert "event 2, model-package:approval" in found.detail


def test_the_events_of_one_request_all_start_from_the_state_before_it() -> None:
    card = {"version": 1, "status": "Draft", "content_sha256": "c1"}
    trail = Trail().add(
        A.PACKAGE_REGISTER,
        after={"version": 1, "approval_status": "Approved", "model_card": card},
    )
    trail.add(
        A.PACKAGE_CARD_CONTENT, card, {"version": 2, "status": "Approved", "content_sha256": "c2"}
    )
    trail.add(
        A.PACKAGE_CARD_STATUS,
        {"version": 1, "status": "Draft"},
        {"version": 2, "status": "Approved"},
        same_request=True,
    )
    replayed = replay(ARN, trail.events)
    assert replayed.history == []
    stored = _stored(
        approval_status="Approved",
        **{
            "model_card.version": 2,
            "model_card.status": "Approved",
            "model_card.content_sha256": "c2",
        },
    )
    assert replayed.differences(stored, {}, START) == []


def test_an_event_made_from_a_stale_state_is_named() -> None:
    trail = _registered()
    trail.add(A.PACKAGE_UPDATE, {"SourceUri": None}, {"SourceUri": "s3://a"})
    trail.add(A.PACKAGE_UPDATE, {"SourceUri": None}, {"SourceUri": "s3://b"})
    replayed = replay(ARN, trail.events)
    [found] = replayed.history
    assert (found.kind, found.position, found.field, found.stored, found.expected) == (
        "history",
        "event 3",
        "details.SourceUri",
        None,
        "s3://a",
    )


def test_tags_are_known_whole_from_a_creation_that_carries_them_and_key_by_key_otherwise() -> None:
    group = Trail().add(
        A.GROUP_CREATE, after={"name": "g", "description": None, "tags": {"t": "1"}}
    )
    group.add(A.TAGS_ADD, {"tags": {}}, {"tags": {"u": "2"}})
    group.add(A.TAGS_REMOVE, {"tags": {"t": "1"}})
    replayed = replay(ARN, group.events)
    assert replayed.history == []
    stored = _stored(description=None)
    assert replayed.differences(stored, {"u": "2"}, START) == []
    assert _fields(replayed.differences(stored, {"u": "2", "t": "1", "x": "3"}, START)) == [
        ("state", "tags.t", "1", None),
        ("state", "tags.x", "3", None),
    ]

    package = _registered().add(A.TAGS_ADD, {"tags": {}}, {"tags": {"u": "2"}})
    replayed = replay(ARN, package.events)
    stored = _stored(description="d", approval_status="PendingManualApproval")
    assert replayed.differences(stored, {"u": "2", "x": "3"}, START) == []
    assert _fields(replayed.differences(stored, {}, START)) == [("state", "tags.u", None, "2")]


def test_a_deleted_resource_must_be_gone_with_its_tags_and_may_be_created_again() -> None:
    trail = Trail().add(A.CARD_CREATE, after={"version": 1, "status": "Draft", "tags": {}})
    trail.add(A.CARD_DELETE, {"version": 1, "status": "Draft", "tags": {}})
    replayed = replay(ARN, trail.events)
    assert replayed.differences(None, {}, START) == []
    assert _fields(replayed.differences(None, {"k": "v"}, START)) == [
        ("state", "tags.k", "v", None)
    ]
    [found] = replayed.differences(_stored(), {}, START)
    assert (found.field, found.stored, found.expected) == ("exists", "present", "absent")
    assert "deleted it (event 2" in found.detail

    trail.add(A.CARD_CREATE, after={"version": 1, "status": "Approved", "tags": {}})
    replayed = replay(ARN, trail.events)
    assert replayed.history == []
    stored = _stored(
        latest_version=1,
        status="Approved",
        model_package_arn=None,
        carried_over_from=None,
        **{"latest_version.status": "Approved"},
    )
    assert replayed.differences(stored, {}, START) == []
    [found] = replayed.differences(None, {}, START)
    assert (found.field, found.stored, found.expected) == ("exists", "absent", "present")


def test_creating_twice_or_changing_after_a_delete_is_named() -> None:
    trail = Trail().add(A.GROUP_CREATE, after={"description": None, "tags": {}})
    trail.add(A.GROUP_CREATE, after={"description": None, "tags": {}})
    trail.add(A.GROUP_DELETE, {"description": None, "tags": {}})
    trail.add(A.TAGS_ADD, {"tags": {}}, {"tags": {"k": "v"}})
    history = replay(ARN, trail.events).history
    assert [(d.position, d.field, d.stored, d.expected) for d in history] == [
        ("event 2", "exists", "absent", "present"),
        ("event 4", "exists", "present", "absent"),
    ]
    assert "creates it again after event 1" in history[0].detail


def test_a_resource_without_a_creating_event() -> None:
    trail = Trail().add(A.TAGS_ADD, {"tags": {}}, {"tags": {"k": "v"}})
    replayed = replay(ARN, trail.events)
    before_the_trail = _stored(START - timedelta(days=1))
    assert replayed.differences(before_the_trail, {"k": "v", "other": "x"}, START) == []
    assert _fields(replayed.differences(before_the_trail, {}, START)) == [
        ("state", "tags.k", None, "v")
    ]
    [found] = replayed.differences(_stored(START), {"k": "v"}, START)
    assert (found.field, found.stored, found.expected) == ("exists", "present", "absent")
    assert "no event creating it" in found.detail


def test_exports_change_nothing_replayed() -> None:
    trail = _registered().add(A.CARD_EXPORT, after={"export_job": "j"})
    replayed = replay(ARN, trail.events)
    assert replayed.events == 1
    assert (
        replay(ARN, Trail().add(A.EXPORT_JOB_FINISH, after={}).events).differences(None, {}, START)
        == []
    )
