"""What was true at a moment: a group's versions, a card, and a version's release gate as they
were then, answered from the audit trail and the stored, immutable card versions.

Each answer reads the events of the resources it names through the ``(resource_arn, seq)``
index, never the whole trail, and says whether those events hold (``ChainCheck``). The
versions of a group are read in version order: versions are registered one after another under
the group's lock, so the first version with no event by the moment ends the list.

Before a resource's first event it did not exist (NotFound). Limits, each refused with its
reason rather than answered wrongly: a resource stored before the trail began (nothing in the
trail creates it); a card deleted since the moment (its versions, and so its content, were
deleted with it); the gate of a version deleted since (its approval decisions were deleted with
it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cardinal.content.canonical import content_sha256, record_sha256
from cardinal.documents import CardDocument
from cardinal.domain.access import Action
from cardinal.domain.approval_policies import ApprovalDecision
from cardinal.domain.audit import AuditEvent
from cardinal.domain.errors import InvalidInput, InvalidState, NotFound
from cardinal.domain.identifiers import model_package_ref
from cardinal.domain.model_cards import CardVersion, ModelCard
from cardinal.domain.model_registry import ModelPackage
from cardinal.domain.paging import MAX_PAGE_SIZE
from cardinal.domain.point_in_time import (
    ChainCheck,
    Life,
    Moment,
    card_at,
    check_events,
    life_at,
    package_at,
)
from cardinal.services.context import RequestContext
from cardinal.services.documents import as_it_was, gather_document
from cardinal.services.gate import GateDecision, gate_decision
from cardinal.services.model_cards import card_name
from cardinal.services.model_package_groups import group_name
from cardinal.services.model_packages import package_ref
from cardinal.store.pagination import fingerprint, position_token, token_position
from cardinal.store.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True)
class VersionsAt:
    at: datetime
    items: list[ModelPackage]
    next_token: str | None
    chain: ChainCheck


@dataclass(frozen=True)
class CardAt:
    at: datetime
    card: ModelCard
    version: CardVersion
    chain: ChainCheck


@dataclass(frozen=True)
class GateAt:
    at: datetime
    decision: GateDecision
    chain: ChainCheck
    events: tuple[AuditEvent, ...]
    """The audit events the answer rests on: the version's, then its card's, each oldest first."""
    card_version: CardVersion | None
    """The stored version of the documenting card current then, with its status then."""


def _when(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _deleted(kind: str, name: str, event: AuditEvent, what: str) -> InvalidState:
    return InvalidState(
        f"{kind} '{name}' was deleted at {_when(event.occurred_at)} by {event.actor} (audit "
        f"event {event.seq}), and {what} with it. Its audit events still say what it was: "
        f"read them with the audit trail's resource filter ({event.resource_arn})."
    )


class PointInTimeService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def group_versions(
        self,
        ctx: RequestContext,
        group_name_or_arn: str,
        at: datetime,
        *,
        max_results: int = 50,
        next_token: str | None = None,
    ) -> VersionsAt:
        """The group's versions that existed at ``at``, oldest first, as they were then.
        Raises NotFound when the group did not exist then."""
        ctx.require(Action.READ)
        name = group_name(ctx, group_name_or_arn)
        query = fingerprint("versions-at", ctx.scope.arn("model-package-group", name), at)
        start = token_position(next_token, query, int)[1] if next_token else 1
        size = max(1, min(max_results, MAX_PAGE_SIZE))

        def work(uow: UnitOfWork) -> VersionsAt:
            _begin(uow, at)
            arn = ctx.scope.arn("model-package-group", name)
            group = _existing(
                uow,
                arn,
                at,
                f"Model package group '{name}'",
                stored_since=_group_since(uow, ctx, name),
            )
            stored_group = uow.groups.find(ctx.scope, name)
            items: list[ModelPackage] = []
            rested: list[AuditEvent] = list(group.events)
            version, more = start, True
            while more and len(items) < size:
                numbers = range(version, version + size - len(items))
                arns = {n: ctx.scope.arn("model-package", f"{name}/{n}") for n in numbers}
                found = uow.audit.events_of(list(arns.values()), after_seq=group.created.seq)
                for number, package_arn in arns.items():
                    version = number + 1
                    events = found[package_arn]
                    if not any(e.occurred_at <= at for e in events):
                        more = False  # not registered yet: neither is any later version
                        break
                    moment = life_at(package_arn, events, at).moment
                    if moment is None:
                        continue  # deleted by then
                    rested += moment.events
                    stored = (
                        uow.packages.find(ctx.scope, name, number)
                        if stored_group is not None and moment.value("model_card.version")
                        else None
                    )
                    items.append(_package(uow, moment, stored, name, number))
                    if len(items) == size:
                        break
            token = position_token(version, version, query) if more else None
            return VersionsAt(at, items, token, _check(uow, rested))

        return self._store.read(work)

    def card(self, ctx: RequestContext, name_or_arn: str, at: datetime) -> CardAt:
        """The card version current at ``at``, with the status it had then. Raises NotFound
        when the card did not exist then, InvalidState when it was deleted since."""
        ctx.require(Action.READ)
        name = card_name(ctx, name_or_arn)

        def work(uow: UnitOfWork) -> CardAt:
            _begin(uow, at)
            arn = ctx.scope.arn("model-card", name)
            moment, stored, version = _card_moment(uow, ctx, arn, name, at)
            card, then = card_at(moment, stored, version)
            return CardAt(at, card, then, _check(uow, moment.events, version, moment))

        return self._store.read(work)

    def card_document(
        self, ctx: RequestContext, name_or_arn: str, at: datetime
    ) -> tuple[CardAt, CardDocument]:
        """The card at ``at`` and its document as it read then (the linked version's approval
        as it was then, when the trail can say)."""
        then = self.card(ctx, name_or_arn, at)

        def work(uow: UnitOfWork) -> CardDocument:
            document = gather_document(uow, ctx, then.card, then.version)
            package = None
            ref = (
                model_package_ref(then.card.model_package_arn, ctx.scope)
                if then.card.model_package_arn
                else None
            )
            if ref is not None:
                arn = ctx.scope.arn("model-package", f"{ref.group_name}/{ref.version}")
                moment = life_at(arn, uow.audit.events_of([arn])[arn], at).moment
                if moment is not None:
                    stored = uow.packages.find(ctx.scope, ref.group_name, ref.version)
                    package = _package(uow, moment, stored, ref.group_name, ref.version)
            return as_it_was(document, at, then.card.status.value, package)

        return then, self._store.read(work)

    def gate(self, ctx: RequestContext, package_name_or_arn: str, at: datetime) -> GateAt:
        """The release gate of a version as it would have answered at ``at``."""
        ctx.require(Action.READ)
        ref = package_ref(ctx, package_name_or_arn)

        def work(uow: UnitOfWork) -> GateAt:
            _begin(uow, at)
            arn = ctx.scope.arn("model-package", f"{ref.group_name}/{ref.version}")
            label = f"Model package '{ref.group_name}/{ref.version}'"
            stored = uow.packages.find(ctx.scope, ref.group_name, ref.version)
            events = uow.audit.events_of([arn])[arn]
            life = life_at(arn, events, at)
            moment = _moment_of(life, label, at, stored.created_at if stored else None, uow)
            if life.ended_by is not None:
                raise _deleted(
                    "Model package", f"{ref.group_name}/{ref.version}", life.ended_by,
                    "its approval decisions were deleted",
                )  # fmt: skip
            if stored is None:
                raise _not_stored(label)
            package = _package(uow, moment, stored, ref.group_name, ref.version)
            decisions = [d for d in uow.approvals.decisions(stored.id) if d.decided_at <= at]
            rested = list(moment.events)
            card: ModelCard | None = None
            card_version: CardVersion | None = None
            for name in _card_candidates(uow, package, decisions):
                card_arn = ctx.scope.arn("model-card", name)
                card_life = life_at(card_arn, uow.audit.events_of([card_arn])[card_arn], at)
                then = card_life.moment
                if then is None or then.value("model_package_arn") != arn:
                    continue
                card_moment, stored_card, version = _card_moment(uow, ctx, card_arn, name, at)
                card, card_version = card_at(card_moment, stored_card, version)
                rested += card_moment.events
                break
            decision = gate_decision(package, card, card_version, decisions)
            return GateAt(at, decision, _check(uow, rested), tuple(rested), card_version)

        return self._store.read(work)


def _not_stored(label: str) -> InvalidState:
    return InvalidState(
        f"{label} is not stored, but its audit trail does not delete it: run `cardinal verify` "
        "to see what else differs."
    )


def _begin(uow: UnitOfWork, at: datetime) -> None:
    uow.audit.read_one_snapshot()
    if at.tzinfo is None:
        raise InvalidInput(
            "A moment needs its offset from UTC (RFC 3339), e.g. 2026-03-01T12:00:00Z."
        )


def _group_since(uow: UnitOfWork, ctx: RequestContext, name: str) -> datetime | None:
    group = uow.groups.find(ctx.scope, name)
    return group.created_at if group else None


def _existing(
    uow: UnitOfWork, arn: str, at: datetime, label: str, *, stored_since: datetime | None
) -> Moment:
    life = life_at(arn, uow.audit.events_of([arn])[arn], at)
    return _moment_of(life, label, at, stored_since, uow)


def _moment_of(
    life: Life, label: str, at: datetime, stored_since: datetime | None, uow: UnitOfWork
) -> Moment:
    start = uow.audit.first_occurred_at()
    before_trail = life.before_trail or (
        life.moment is None and stored_since is not None and start is not None
        and stored_since < start and stored_since <= at
    )  # fmt: skip
    if before_trail:
        raise InvalidState(
            f"{label} was stored before the audit trail began; the trail can't say what it was "
            f"at {_when(at)}."
        )
    if life.moment is None:
        raise NotFound(f"{label} did not exist at {_when(at)}.")
    return life.moment


def _card_moment(
    uow: UnitOfWork, ctx: RequestContext, arn: str, name: str, at: datetime
) -> tuple[Moment, ModelCard, CardVersion]:
    """The card at ``at``, the card as stored, and its stored version current at ``at``."""
    label = f"Model card '{name}'"
    stored = uow.cards.find(ctx.scope, name)
    life = life_at(arn, uow.audit.events_of([arn])[arn], at)
    moment = _moment_of(life, label, at, stored.created_at if stored else None, uow)
    if life.ended_by is not None:
        raise _deleted("Model card", name, life.ended_by, "its versions were deleted")
    if stored is None:
        raise _not_stored(label)
    number = int(moment.value("latest_version"))
    version = uow.cards.find_version(stored.id, number)
    if version is None:
        raise InvalidState(
            f"{label} was at version {number} at {_when(at)}, but that version is not stored: "
            "run `cardinal verify` to see what else differs."
        )
    return moment, stored, version


def _package(
    uow: UnitOfWork, moment: Moment, stored: ModelPackage | None, group: str, version: int
) -> ModelPackage:
    same_life = stored is not None and stored.created_at == moment.created.occurred_at
    content = None
    card_version = moment.value("model_card.version")
    if same_life and card_version is not None:
        assert stored is not None
        found = uow.packages.find_card_version(stored.id, int(card_version))
        content = found.content if found else None
    return package_at(
        moment,
        package_id=stored.id if same_life and stored else 0,
        group_id=stored.group_id if same_life and stored else 0,
        group_name=group,
        version=version,
        card_content=content,
    )


def _card_candidates(
    uow: UnitOfWork, package: ModelPackage, decisions: list[ApprovalDecision]
) -> list[str]:
    """The cards that may have documented the version: the one documenting it now, and every
    card one of its decisions saw."""
    names: list[str] = []
    now = uow.cards.find_by_package_arn(package.arn)
    if now is not None:
        names.append(now.name)
    for decision in decisions:
        if decision.card_name and decision.card_name not in names:
            names.append(decision.card_name)
    return names


def _check(
    uow: UnitOfWork,
    events: Sequence[AuditEvent],
    version: CardVersion | None = None,
    moment: Moment | None = None,
) -> ChainCheck:
    """Whether the events hold (their hashes, their links to the events before them) and, for
    a card, whether its stored version is the one they name."""
    previous = uow.audit.hashes([e.seq - 1 for e in events if e.seq > 1])
    checked = check_events(events, lambda e: record_sha256(e.record()), previous)
    if version is None or moment is None:
        return checked
    breaks = list(checked.breaks)
    for name, stored in (
        ("latest_version.content_sha256", version.content_sha256),
        ("latest_version.chain_sha256", version.chain_sha256),
    ):
        named = moment.value(name)
        if named is not None and named != stored:
            breaks.append(
                f"model card version {version.version}: its stored {name.split('.')[1]} is not "
                "the one its audit events name"
            )
    try:
        recomputed = content_sha256(version.content)
    except (ValueError, RecursionError):
        recomputed = None
    if recomputed != version.content_sha256:
        breaks.append(f"model card version {version.version}: its content does not match its hash")
    return ChainCheck(checked.events, tuple(breaks))
