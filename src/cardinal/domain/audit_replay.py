"""Replaying the audit trail: the state a resource's events leave it in, and where it differs.

A resource's events, oldest first, fix some of its fields: a creating event fixes what its
``after`` carries, later events fix what they change, a delete fixes that the resource and its
tags are gone. A field no event fixes is not known (a package's details at registration, say)
and is never compared. Fields are named as the store holds them:

=============================  ==========================================================
group                          ``description``
model package                  ``description``, ``approval_status``,
                               ``approval_description``, ``details.<member>``,
                               ``model_card.version``, ``model_card.status``,
                               ``model_card.content_sha256``
unversioned model package      ``description``, ``details.<member>``, ``model_card.*`` (none)
model card                     ``latest_version``, ``status``, ``model_package_arn``,
                               ``carried_over_from``, ``latest_version.status``,
                               ``latest_version.content_sha256``,
                               ``latest_version.chain_sha256``
model                          ``details.<member>``
any of them                    ``exists``, ``tags.<key>``
=============================  ==========================================================

Replaying also checks the trail against itself: an event's ``before`` must be what the events
before it left. One that is not was made from a stale read (a concurrent change it did not
see) or after a change made outside Cardinal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from cardinal.domain.audit import IDENTITY_RESOURCES, WEBHOOK_RESOURCES, AuditAction, AuditEvent

PRESENT = "present"
ABSENT = "absent"

# The events that create a resource, and those that delete it.
CREATES = frozenset(
    {
        AuditAction.GROUP_CREATE,
        AuditAction.PACKAGE_REGISTER,
        AuditAction.CARD_CREATE,
        AuditAction.MODEL_CREATE,
    }
)
DELETES = frozenset(
    {
        AuditAction.GROUP_DELETE,
        AuditAction.PACKAGE_DELETE,
        AuditAction.CARD_DELETE,
        AuditAction.MODEL_DELETE,
    }
)
# Exports change no stored field of the card they name; finished export jobs, users and their
# credentials are not among the resources replayed here (their events are in the chain).
_NOT_REPLAYED = {
    AuditAction.CARD_EXPORT,
    AuditAction.EXPORT_JOB_FINISH,
    *(
        action
        for action in AuditAction
        if action.value.split(":")[0] in IDENTITY_RESOURCES | WEBHOOK_RESOURCES
    ),
}

_EMBEDDED_CARD = {
    "version": "model_card.version",
    "status": "model_card.status",
    "content_sha256": "model_card.content_sha256",
}
_CARD_VERSION = {
    "version": "latest_version",
    "content_sha256": "latest_version.content_sha256",
    "chain_sha256": "latest_version.chain_sha256",
    "model_package_arn": "model_package_arn",
}


@dataclass(frozen=True)
class Fixed:
    """A value the trail fixes, and the event that fixed it."""

    value: Any
    seq: int
    action: AuditAction


@dataclass(frozen=True)
class Difference:
    """A field whose stored value (``kind="state"``) or recorded before value
    (``kind="history"``) is not the value the trail leaves it with."""

    resource: str
    position: str
    field: str
    stored: Any
    expected: Any
    detail: str
    kind: Literal["state", "history"]


@dataclass(frozen=True)
class StoredResource:
    """A resource as it is stored: when it was created, and its fields by their names above."""

    created_at: datetime
    fields: Mapping[str, Any]


def _facts(action: AuditAction, payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """The fields an event's ``after`` (or ``before``) says, in store names."""
    if action in (AuditAction.TAGS_ADD, AuditAction.TAGS_REMOVE):
        return {}
    if payload is None:
        if action is AuditAction.PACKAGE_CARD_CONTENT:
            return dict.fromkeys(_EMBEDDED_CARD.values())
        return {}
    facts: dict[str, Any] = {}
    if action in (AuditAction.GROUP_CREATE, AuditAction.GROUP_DELETE):
        facts["description"] = payload.get("description")
    elif action in (AuditAction.PACKAGE_REGISTER, AuditAction.PACKAGE_DELETE):
        for name in ("description", "approval_status", "approval_description"):
            if name in payload:
                facts[name] = payload[name]
        if action is AuditAction.PACKAGE_REGISTER:
            details = _object(payload.get("details")) or {}
            facts.update({f"details.{key}": value for key, value in details.items()})
            # A registration names its embedded card exactly when it has one.
            card = _object(payload.get("model_card")) or {}
            facts.update({to: card.get(key) for key, to in _EMBEDDED_CARD.items()})
    elif action in (AuditAction.MODEL_CREATE, AuditAction.MODEL_DELETE):
        # A model never changes: its creation fixes every member it was created with.
        details = _object(payload.get("details")) or {}
        facts.update({f"details.{key}": value for key, value in details.items()})
    elif action is AuditAction.PACKAGE_APPROVAL:
        for name in ("approval_status", "approval_description"):
            if name in payload:
                facts[name] = payload[name]
    elif action is AuditAction.PACKAGE_UPDATE:
        facts.update({f"details.{key}": value for key, value in payload.items()})
    elif action in (AuditAction.PACKAGE_CARD_CONTENT, AuditAction.PACKAGE_CARD_STATUS):
        facts.update({to: payload[key] for key, to in _EMBEDDED_CARD.items() if key in payload})
    elif action.value.startswith("model-card:"):
        facts.update({to: payload[key] for key, to in _CARD_VERSION.items() if key in payload})
        if "status" in payload:
            facts["status"] = facts["latest_version.status"] = payload["status"]
        if action is AuditAction.CARD_CREATE:
            facts["carried_over_from"] = payload.get("carried_over_from")
    return facts


def _object(value: Any) -> Mapping[str, Any] | None:
    """``value`` if it is a JSON object: an event edited into another shape fixes nothing (its
    hash no longer holds, which the audit trail's check reports)."""
    return value if isinstance(value, Mapping) else None


def _tags(payload: Mapping[str, Any] | None) -> dict[str, str] | None:
    tags = _object(payload.get("tags")) if payload is not None else None
    return None if tags is None else dict(tags)


@dataclass
class _State:
    exists: Fixed | None = None
    created: Fixed | None = None
    fields: dict[str, Fixed] = field(default_factory=dict)
    # A key fixed to None is known to be absent; with ``all_tags`` set, so is every key not here.
    tags: dict[str, Fixed] = field(default_factory=dict)
    all_tags: Fixed | None = None

    def copy(self) -> _State:
        return _State(self.exists, self.created, dict(self.fields), dict(self.tags), self.all_tags)

    def tag(self, key: str) -> Fixed | None:
        if key in self.tags:
            return self.tags[key]
        if self.all_tags is not None:
            return Fixed(None, self.all_tags.seq, self.all_tags.action)
        return None


class Replay:
    """One resource's events folded, oldest first, into the state they leave it in."""

    def __init__(self, arn: str) -> None:
        self.arn = arn
        self.events = 0
        self.last: AuditEvent | None = None
        self.history: list[Difference] = []
        self._state = _State()
        # The events of one request are one change: each one's ``before`` is the state from
        # before the request, not from before the event.
        self._request: tuple[str, datetime] | None = None
        self._at_request_start = _State()

    @property
    def created(self) -> Fixed | None:
        """The creating event since the last delete, if the trail holds one."""
        return self._state.created

    @property
    def fixed_fields(self) -> set[str]:
        """The names of the fields the trail fixes."""
        return set(self._state.fields)

    @property
    def exists(self) -> bool | None:
        """Whether the events leave the resource existing; None when none of them says."""
        return None if self._state.exists is None else bool(self._state.exists.value)

    def values(self) -> dict[str, Any]:
        """The fields the trail fixes, by name, with the values it fixes them to."""
        return {name: fixed.value for name, fixed in self._state.fields.items()}

    def apply(self, event: AuditEvent) -> None:
        if event.action in _NOT_REPLAYED:
            return
        before, after = _object(event.before), _object(event.after)
        self.events += 1
        self.last = event
        request = (event.request_id, event.occurred_at)
        if request != self._request:
            self._request, self._at_request_start = request, self._state.copy()
        self._check_before(event, before, after, self._at_request_start)
        state, seq, action = self._state, event.seq, event.action
        if action in CREATES:
            self._state = state = _State(created=Fixed(True, seq, action))
        if action in CREATES or action in DELETES:
            state.exists = Fixed(action in CREATES, seq, action)
        if action in DELETES:
            state.created, state.fields = None, {}
            state.tags, state.all_tags = {}, Fixed(True, seq, action)
            return
        for name, value in _facts(action, after).items():
            state.fields[name] = Fixed(value, seq, action)
        created_tags = _tags(after) if action in CREATES else None
        if created_tags is not None:
            state.all_tags = Fixed(True, seq, action)
            state.tags = {k: Fixed(v, seq, action) for k, v in created_tags.items()}
        if action is AuditAction.TAGS_ADD:
            for key, value in (_tags(after) or {}).items():
                state.tags[key] = Fixed(value, seq, action)
        if action is AuditAction.TAGS_REMOVE:
            for key in _tags(before) or {}:
                state.tags[key] = Fixed(None, seq, action)

    def _check_before(
        self,
        event: AuditEvent,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        state: _State,
    ) -> None:
        done = f"event {event.seq} ({event.action.value})"

        def differs(name: str, recorded: Any, known: Fixed | None, detail: str = "") -> None:
            if known is None or known.value == recorded:
                return
            by = f"event {known.seq} ({known.action.value})"
            self.history.append(
                Difference(
                    self.arn,
                    f"event {event.seq}",
                    name,
                    recorded,
                    known.value,
                    detail.format(done=done, by=by)
                    or f"the {name} that {done} changed is not the one {by} left: the change was "
                    "made from a stale read, or after a change made outside Cardinal",
                    "history",
                )
            )

        if event.action in CREATES:
            differs(
                "exists", ABSENT, _existence(state.exists), "{done} creates it again after {by}"
            )
            return
        if state.exists is not None:
            differs("exists", PRESENT, _existence(state.exists), "{done} changes it after {by}")
        for name, recorded in _facts(event.action, before).items():
            differs(name, recorded, state.fields.get(name))
        before_tags = _tags(before)
        if event.action is AuditAction.TAGS_ADD:
            for key in _tags(after) or {}:
                differs(f"tags.{key}", (before_tags or {}).get(key), state.tag(key))
        elif before_tags is not None:
            keys = set(before_tags)
            if event.action in DELETES and state.all_tags is not None:
                keys |= {k for k, v in state.tags.items() if v.value is not None}
            for key in sorted(keys):
                differs(f"tags.{key}", before_tags.get(key), state.tag(key))

    def differences(
        self, stored: StoredResource | None, stored_tags: Mapping[str, str], trail_start: datetime
    ) -> list[Difference]:
        """Where the stored resource (None: not stored) and its tags differ from the replayed
        state, after the trail's own inconsistencies. ``trail_start`` is when the trail's first
        event was appended: a resource stored since before it may lack a creating event."""
        found = list(self.history)
        state, last = self._state, self.last
        if stored is None:
            if last is None or (state.exists is not None and not state.exists.value):
                found += _tag_differences(self.arn, state, stored_tags)
                return found
            found.append(
                self._state_difference(
                    "exists",
                    ABSENT,
                    PRESENT,
                    f"it is not stored, but its audit trail does not delete it (last event "
                    f"{last.seq}, {last.action.value})",
                )
            )
            return found
        if state.exists is not None and not state.exists.value:
            found.append(
                self._state_difference(
                    "exists",
                    PRESENT,
                    ABSENT,
                    f"it is still stored, but its audit trail deleted it (event "
                    f"{state.exists.seq}, {state.exists.action.value})",
                )
            )
            return found
        if state.created is None and stored.created_at >= trail_start:
            found.append(
                self._state_difference(
                    "exists",
                    PRESENT,
                    ABSENT,
                    "it is stored, but its audit trail has no event creating it",
                )
            )
        for name, fixed in sorted(state.fields.items()):
            value = stored.fields.get(name)
            if value != fixed.value:
                found.append(
                    self._state_difference(
                        name,
                        value,
                        fixed.value,
                        f"the stored {name} is not the one its audit trail ends with (set by "
                        f"event {fixed.seq}, {fixed.action.value})",
                    )
                )
        found += _tag_differences(self.arn, state, stored_tags)
        return found

    def _state_difference(self, name: str, stored: Any, expected: Any, detail: str) -> Difference:
        return Difference(self.arn, "state", name, stored, expected, detail, "state")


def _existence(fixed: Fixed | None) -> Fixed | None:
    if fixed is None:
        return None
    return Fixed(PRESENT if fixed.value else ABSENT, fixed.seq, fixed.action)


def _tag_differences(arn: str, state: _State, stored: Mapping[str, str]) -> list[Difference]:
    keys = set(state.tags) | (set(stored) if state.all_tags is not None else set())
    found = []
    for key in sorted(keys):
        fixed = state.tag(key)
        assert fixed is not None
        if stored.get(key) != fixed.value:
            found.append(
                Difference(
                    arn,
                    "state",
                    f"tags.{key}",
                    stored.get(key),
                    fixed.value,
                    f"the stored tag {key!r} is not the one its audit trail ends with (set by "
                    f"event {fixed.seq}, {fixed.action.value})",
                    "state",
                )
            )
    return found


def replay(arn: str, events: Iterable[AuditEvent]) -> Replay:
    """The state ``events`` (one resource's, oldest first) leave the resource ``arn`` in."""
    replayed = Replay(arn)
    for event in events:
        replayed.apply(event)
    return replayed


def untracked_tag_differences(arn: str, stored_tags: Mapping[str, str]) -> list[Difference]:
    """Tags stored for a resource that is neither stored nor named in the audit trail."""
    return [
        Difference(
            arn,
            "state",
            f"tags.{key}",
            value,
            None,
            "a tag is stored for a resource that is not stored and that its audit trail never "
            "names",
            "state",
        )
        for key, value in sorted(stored_tags.items())
    ]


def untracked_resource_difference(arn: str) -> Difference:
    """A stored resource that the audit trail never names."""
    return Difference(
        arn,
        "state",
        "exists",
        PRESENT,
        ABSENT,
        "it is stored, but its audit trail has no event creating it",
        "state",
    )
