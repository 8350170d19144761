"""What a resource was at a moment: its audit events up to then, replayed.

A point-in-time answer rests on the audit trail. The events of one resource, oldest first, up to
and including the moment, are folded (``audit_replay``) into the fields they fix; the creating
event says when and by whom the resource was made, the last event that changed it when and by
whom it was last modified. Content is not in the trail, only its SHA-256: a card version's
content is read from the stored, immutable version the trail names, and checked against that
hash.

An answer is only as good as the events it rests on, so it says whether they hold: each
event's hash is recomputed from what it covers, and each must name the hash of the event before
it in the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cardinal.domain.audit import AuditAction, AuditEvent
from cardinal.domain.audit_replay import CREATES, DELETES, Replay
from cardinal.domain.model_cards import CardVersion, ModelCard, ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, EmbeddedModelCard, ModelPackage

# Events that change a resource without modifying it: its tags, and exports of a card.
_NOT_MODIFYING = {
    AuditAction.TAGS_ADD,
    AuditAction.TAGS_REMOVE,
    AuditAction.CARD_EXPORT,
    AuditAction.EXPORT_JOB_FINISH,
}


@dataclass(frozen=True)
class Moment:
    """One resource as its events up to a moment leave it."""

    arn: str
    replay: Replay
    created: AuditEvent
    modified: AuditEvent
    events: tuple[AuditEvent, ...]
    """The events of this life of the resource (since it was last created) up to the moment."""

    def value(self, name: str) -> Any:
        return self.replay.values().get(name)

    def details(self) -> dict[str, Any]:
        """A package's details (the members of the request that registered or changed it)."""
        prefix = "details."
        return {
            name[len(prefix) :]: value
            for name, value in sorted(self.replay.values().items())
            if name.startswith(prefix) and value is not None
        }


@dataclass(frozen=True)
class Life:
    """What one resource's events say about a moment."""

    moment: Moment | None
    """The resource at the moment; None when it did not exist then."""
    ended_by: AuditEvent | None
    """The event that deleted it after the moment, if one did: what was stored of it is gone."""
    before_trail: bool
    """True when its events change it without ever creating it: it was stored before the trail
    began, and the trail alone can't say what it was."""


def life_at(arn: str, events: Iterable[AuditEvent], at: datetime) -> Life:
    """The resource ``arn`` at ``at`` from its events (all of them, oldest first)."""
    replay = Replay(arn)
    created: AuditEvent | None = None
    modified: AuditEvent | None = None
    kept: list[AuditEvent] = []
    before_trail = False
    ended_by: AuditEvent | None = None
    for event in events:
        if event.occurred_at > at:
            if created is not None and event.action in DELETES:
                ended_by = ended_by or event
            continue
        if event.action in CREATES:
            replay, created, modified, kept = Replay(arn), event, event, []
        elif created is None and event.action not in _NOT_MODIFYING:
            before_trail = True
        replay.apply(event)
        kept.append(event)
        if event.action not in _NOT_MODIFYING:
            modified = event
    if created is None or modified is None or replay.exists is False:
        return Life(None, None, before_trail and created is None)
    return Life(Moment(arn, replay, created, modified, tuple(kept)), ended_by, False)


def package_at(
    moment: Moment,
    *,
    package_id: int,
    group_id: int,
    group_name: str,
    version: int,
    card_content: str | None,
) -> ModelPackage:
    """The model package at the moment. ``card_content`` is the stored content of the embedded
    card version the moment names (None when it is no longer stored)."""
    card_version = moment.value("model_card.version")
    card = None
    if card_version is not None and card_content is not None:
        card = EmbeddedModelCard(
            content=card_content,
            status=str(moment.value("model_card.status")),
            version=int(card_version),
        )
    return ModelPackage(
        id=package_id,
        group_id=group_id,
        group_name=group_name,
        version=version,
        arn=moment.arn,
        description=moment.value("description"),
        approval_status=ApprovalStatus(moment.value("approval_status")),
        approval_description=moment.value("approval_description"),
        created_at=moment.created.occurred_at,
        created_by=moment.created.actor,
        last_modified_at=moment.modified.occurred_at,
        last_modified_by=moment.modified.actor,
        details=moment.details(),
        model_card=card,
    )


def card_at(
    moment: Moment, stored: ModelCard, version: CardVersion
) -> tuple[ModelCard, CardVersion]:
    """The card, and its version current at the moment, with the status they had then.
    ``stored`` is the card as stored now and ``version`` the stored version the moment names."""
    status = ModelCardStatus(moment.value("status"))
    card = ModelCard(
        id=stored.id,
        name=stored.name,
        arn=stored.arn,
        latest_version=int(moment.value("latest_version")),
        status=status,
        created_at=moment.created.occurred_at,
        created_by=moment.created.actor,
        last_modified_at=moment.modified.occurred_at,
        last_modified_by=moment.modified.actor,
        kms_key_id=stored.kms_key_id,
        model_package_arn=moment.value("model_package_arn"),
        carried_over_from=moment.value("carried_over_from"),
    )
    then = CardVersion(
        card_id=version.card_id,
        version=version.version,
        content=version.content,
        status=status,
        created_at=version.created_at,
        created_by=version.created_by,
        last_modified_at=moment.modified.occurred_at,
        last_modified_by=moment.modified.actor,
        content_sha256=version.content_sha256,
        chain_sha256=version.chain_sha256,
        previous_sha256=version.previous_sha256,
    )
    return card, then


@dataclass(frozen=True)
class ChainCheck:
    """Whether the events an answer rests on hold."""

    events: int
    breaks: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        return not self.breaks


def check_events(
    events: Iterable[AuditEvent],
    recompute: Callable[[AuditEvent], str],
    previous_hashes: Mapping[int, str | None],
) -> ChainCheck:
    """Check each event: its hash against ``recompute(event)``, and the hash it names as the
    one before it against ``previous_hashes[seq - 1]`` (the hash stored for that event; the
    first event names none)."""
    checked = 0
    breaks: list[str] = []
    for event in events:
        checked += 1
        where = f"audit event {event.seq} ({event.action.value} {event.resource_arn})"
        if recompute(event) != event.hash:
            breaks.append(f"{where}: its content does not match its hash")
        expected = None if event.seq == 1 else previous_hashes.get(event.seq - 1)
        if event.previous_hash != expected:
            breaks.append(f"{where}: it does not name the hash of the event before it")
    return ChainCheck(checked, tuple(breaks))
