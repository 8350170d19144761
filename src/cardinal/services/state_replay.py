"""Comparing every resource's stored state with the state its audit trail ends with.

The trail is read grouped by resource ARN (the ``(resource_arn, seq)`` index) and replayed one
resource at a time; the stored groups, packages, cards, models and tags of a few hundred replayed
resources at a time are then read by ARN and compared. Stored resources that no event names
are found by the database (an anti-join), so memory stays bounded however large the store is.

A resource stored since before the trail's first event (a store upgraded to a version that
keeps the trail) has no creating event; it is compared only in what later events fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from cardinal.content.canonical import content_sha256
from cardinal.domain.audit import AuditEvent
from cardinal.domain.audit_replay import (
    Difference,
    Replay,
    StoredResource,
    untracked_resource_difference,
    untracked_tag_differences,
)
from cardinal.domain.identifiers import parse_arn
from cardinal.store.unit_of_work import UnitOfWork

LOOKUP_BATCH = 500


@dataclass
class StateCheck:
    """What comparing the stored state with the audit trail found."""

    resources: int = 0
    resources_before_trail: int = 0
    differences: list[Difference] = field(default_factory=list)


def _hash(content: str) -> str:
    try:
        return content_sha256(content)
    except (ValueError, RecursionError):
        return "(content that is not JSON)"


def _package_fields(row: dict[str, Any], wanted: set[str]) -> dict[str, Any]:
    details = row["details"] if isinstance(row["details"], dict) else {}
    has_card = row["model_card_content"] is not None
    fields = {
        "description": row["description"],
        "approval_status": row["approval_status"],
        "approval_description": row["approval_description"],
        **{f"details.{key}": value for key, value in details.items()},
        "model_card.version": (row["model_card_version"] or 1) if has_card else None,
        "model_card.status": row["model_card_status"] if has_card else None,
    }
    if "model_card.content_sha256" in wanted:
        fields["model_card.content_sha256"] = _hash(row["model_card_content"]) if has_card else None
    return fields


def _unversioned_package_fields(row: dict[str, Any]) -> dict[str, Any]:
    details = row["details"] if isinstance(row["details"], dict) else {}
    return {
        "description": row["description"],
        **{f"details.{key}": value for key, value in details.items()},
        # An unversioned package carries no embedded card.
        "model_card.version": None,
        "model_card.status": None,
        "model_card.content_sha256": None,
    }


def _card_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "latest_version": row["latest_version"],
        "status": row["status"],
        "model_package_arn": row["model_package_arn"],
        "carried_over_from": row["carried_over_from"],
        "latest_version.status": row["version_status"],
        "latest_version.content_sha256": row["version_content_sha256"],
        "latest_version.chain_sha256": row["version_chain_sha256"],
    }


def _stored(row: dict[str, Any] | None, wanted: set[str]) -> StoredResource | None:
    if row is None:
        return None
    parsed = parse_arn(row["arn"])
    if parsed is not None and parsed.kind == "model":
        details = row["details"] if isinstance(row["details"], dict) else {}
        fields = {f"details.{key}": value for key, value in details.items()}
    elif parsed is not None and parsed.kind == "model-package" and "/" not in parsed.resource:
        fields = _unversioned_package_fields(row)
    elif "approval_status" in row:
        fields = _package_fields(row, wanted)
    elif "latest_version" in row:
        fields = _card_fields(row)
    else:
        fields = {"description": row["description"]}
    return StoredResource(row["created_at"], fields)


def _compare(
    uow: UnitOfWork, batch: Sequence[Replay], trail_start: datetime, check: StateCheck
) -> None:
    arns = [replayed.arn for replayed in batch]
    rows = uow.audit.stored_resources(arns)
    tags = uow.tags.all_for(arns)
    for replayed in batch:
        stored = _stored(rows.get(replayed.arn), replayed.fixed_fields)
        if replayed.events == 0 and stored is None:
            continue
        check.resources += 1
        if stored is not None and replayed.created is None and stored.created_at < trail_start:
            check.resources_before_trail += 1
        check.differences += replayed.differences(stored, tags[replayed.arn], trail_start)


def _by_resource(events: Iterator[AuditEvent], on_event: Callable[[], None]) -> Iterator[Replay]:
    for arn, group in groupby(events, key=lambda event: event.resource_arn):
        replayed = Replay(arn)
        for event in group:
            replayed.apply(event)
            on_event()
        yield replayed


def check_resource_states(uow: UnitOfWork, on_event: Callable[[], None]) -> StateCheck:
    """Replay the trail of every resource and compare it with what is stored; ``on_event`` is
    called once per event replayed."""
    check = StateCheck()
    trail_start = uow.audit.first_occurred_at()
    if trail_start is not None:
        batch: list[Replay] = []
        for replayed in _by_resource(uow.audit.stream_by_resource(), on_event):
            batch.append(replayed)
            if len(batch) == LOOKUP_BATCH:
                _compare(uow, batch, trail_start, check)
                batch = []
        _compare(uow, batch, trail_start, check)
    for arn, created_at in uow.audit.stream_resources_without_events():
        check.resources += 1
        if trail_start is None or created_at < trail_start:
            check.resources_before_trail += 1
        else:
            check.differences.append(untracked_resource_difference(arn))
    for arn, rows in groupby(uow.audit.stream_untracked_tags(), key=itemgetter(0)):
        check.differences += untracked_tag_differences(arn, {key: value for _, key, value in rows})
    return check


def shown(value: Any) -> str | None:
    """A stored or replayed value as a report shows it: text as it is, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
