"""Verifying the evidence: every card's hash chain, the audit trail's hash chain, and that
every resource is stored as its audit trail says.

Nothing is repaired: each break is reported precisely (which resource, which version or event,
which hash was stored and which was recomputed; or which field is stored with a value other
than the one its audit trail ends with) and left as found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from cardinal.content.canonical import content_sha256, record_sha256, version_chain_sha256
from cardinal.domain.access import Action
from cardinal.domain.audit_replay import Difference
from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import CardVersion
from cardinal.services.context import RequestContext
from cardinal.services.model_cards import card_name
from cardinal.services.state_replay import check_resource_states, shown
from cardinal.store.unit_of_work import Store, UnitOfWork

Progress = Callable[[str, int, int], None]
"""Called with (what is being checked, how many done, how many in all)."""


BreakKind = Literal["hash", "state", "history"]


@dataclass(frozen=True)
class Break:
    """One place where the stored evidence does not hold.

    ``kind`` says which check found it: ``hash``, a stored hash (``stored``) is not the one
    recomputed from what it covers (``recomputed``); ``state``, a resource's stored field
    (``stored``, position ``state``) is not the value its audit trail ends with
    (``recomputed``); ``history``, an event's before value (``stored``) is not the value the
    resource's events before it left (``recomputed``).
    """

    resource: str
    position: str
    field: str
    stored: str | None
    recomputed: str | None
    detail: str
    kind: BreakKind = "hash"


@dataclass
class VerificationReport:
    card_versions: int = 0
    package_card_versions: int = 0
    audit_events: int = 0
    resources: int = 0
    resources_before_trail: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def _check_chain(
    entries: Iterator[tuple[str, int, CardVersion]],
    report: VerificationReport,
    on_each: Callable[[], None],
) -> None:
    current: str | None = None
    expected_version = 1
    previous_chain: str | None = None
    latest_of: dict[str, int] = {}

    def close(resource: str | None) -> None:
        if resource is not None and expected_version - 1 != latest_of[resource]:
            report.breaks.append(
                Break(
                    resource,
                    f"version {latest_of[resource]}",
                    "version",
                    None,
                    None,
                    f"the latest version is {latest_of[resource]}, but versions stop at "
                    f"{expected_version - 1}",
                )
            )

    for resource, latest, version in entries:
        if resource != current:
            close(current)
            current, expected_version, previous_chain = resource, 1, None
            latest_of[resource] = latest
        where = f"version {version.version}"
        if version.version != expected_version:
            report.breaks.append(
                Break(
                    resource, where, "version", None, None, f"version {expected_version} is missing"
                )
            )
        try:
            recomputed = content_sha256(version.content)
        except (ValueError, RecursionError):
            recomputed = None
        if recomputed != version.content_sha256:
            report.breaks.append(
                Break(
                    resource,
                    where,
                    "content_sha256",
                    version.content_sha256,
                    recomputed,
                    "the stored content does not match its hash",
                )
            )
        if version.previous_sha256 != previous_chain:
            report.breaks.append(
                Break(
                    resource,
                    where,
                    "previous_sha256",
                    version.previous_sha256,
                    previous_chain,
                    "the link to the version before does not match",
                )
            )
        chain = version_chain_sha256(
            resource, version.version, recomputed or "", version.previous_sha256
        )
        if chain != version.chain_sha256:
            report.breaks.append(
                Break(
                    resource,
                    where,
                    "chain_sha256",
                    version.chain_sha256,
                    chain,
                    "the version's chain hash does not match its content and link",
                )
            )
        previous_chain = version.chain_sha256
        expected_version = version.version + 1
        on_each()
    close(current)


def _check_audit(uow: UnitOfWork, report: VerificationReport, on_each: Callable[[], None]) -> None:
    expected_seq = 1
    previous: str | None = None
    for event in uow.audit.stream():
        where = f"event {event.seq}"
        if event.seq != expected_seq:
            report.breaks.append(
                Break(
                    "audit trail",
                    where,
                    "seq",
                    None,
                    None,
                    f"events {expected_seq} to {event.seq - 1} are missing",
                )
            )
        if event.previous_hash != previous:
            report.breaks.append(
                Break(
                    "audit trail",
                    where,
                    "previous_sha256",
                    event.previous_hash,
                    previous,
                    "the link to the event before does not match",
                )
            )
        recomputed = record_sha256(json.loads(json.dumps(event.record())))
        if recomputed != event.hash:
            report.breaks.append(
                Break(
                    "audit trail",
                    where,
                    "sha256",
                    event.hash,
                    recomputed,
                    f"the event ({event.action.value} on {event.resource_arn}) does not match "
                    "its hash",
                )
            )
        previous, expected_seq = event.hash, event.seq + 1
        on_each()
    head_seq, head_hash = uow.audit.head()
    if (head_seq, head_hash) != (expected_seq - 1, previous):
        report.breaks.append(
            Break(
                "audit trail",
                f"event {head_seq}",
                "head",
                head_hash,
                previous,
                f"the chain head names event {head_seq}; the last event is {expected_seq - 1}",
            )
        )


def _state_break(difference: Difference) -> Break:
    return Break(
        difference.resource,
        difference.position,
        difference.field,
        shown(difference.stored),
        shown(difference.expected),
        difference.detail,
        difference.kind,
    )


class VerificationService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def check_access(self, ctx: RequestContext) -> None:
        """AccessDenied unless the caller may verify (checked again by :meth:`verify_evidence`;
        a door that answers before the walk ends asks first)."""
        ctx.require(Action.READ)

    def verify_card(self, ctx: RequestContext, name_or_arn: str) -> VerificationReport:
        """Walk the hash chain of one card's versions (its audit trail is verified with the
        whole trail, by :meth:`verify_evidence`). Raises NotFound."""
        self.check_access(ctx)
        name = card_name(ctx, name_or_arn)

        def work(uow: UnitOfWork) -> VerificationReport:
            card = uow.cards.find(ctx.scope, name)
            if card is None:
                raise NotFound(f"Model card '{name}' does not exist.")
            report = VerificationReport(card_versions=card.latest_version)
            _check_chain(uow.cards.stream_versions(card.id), report, lambda: None)
            return report

        return self._store.read(work)

    def verify_evidence(
        self, ctx: RequestContext, progress: Progress | None = None
    ) -> VerificationReport:
        """Walk every hash chain and replay every resource's audit trail against its stored
        state; the report lists each break found (none: all holds)."""
        self.check_access(ctx)
        report = VerificationReport()
        tick = progress or (lambda _stage, _done, _total: None)

        def work(uow: UnitOfWork) -> VerificationReport:
            uow.audit.read_one_snapshot()
            totals = {
                "model card versions": uow.cards.count_versions(),
                "embedded card versions": uow.packages.count_card_versions(),
                "audit events": uow.audit.count(),
            }

            def counter(stage: str) -> Callable[[], None]:
                done = [0]
                tick(stage, 0, totals[stage])

                def step() -> None:
                    done[0] += 1
                    if done[0] % 500 == 0 or done[0] == totals[stage]:
                        tick(stage, done[0], totals[stage])

                return step

            card_step = counter("model card versions")
            _check_chain(uow.cards.stream_versions(), report, card_step)
            package_step = counter("embedded card versions")
            _check_chain(uow.packages.stream_card_versions(), report, package_step)
            audit_step = counter("audit events")
            _check_audit(uow, report, audit_step)
            totals["resource states"] = totals["audit events"]
            states = check_resource_states(uow, counter("resource states"))
            report.breaks += [_state_break(difference) for difference in states.differences]
            report.resources = states.resources
            report.resources_before_trail = states.resources_before_trail
            report.card_versions = totals["model card versions"]
            report.package_card_versions = totals["embedded card versions"]
            report.audit_events = totals["audit events"]
            return report

        return self._store.read(work)
