"""The timeline of one model version: every recorded change of the version and of the cards
that documented it (the card documenting it now, and every card an approval of it saw), oldest
first, straight from the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditEvent, AuditQuery
from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import ModelCard
from cardinal.domain.model_registry import ModelPackage
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import package_ref
from cardinal.store.unit_of_work import Store, UnitOfWork

# A version's own events and its cards' are a few dozen; a timeline reads at most this many of
# each resource's, and says when it stopped there.
MAX_EVENTS = 1000


@dataclass(frozen=True)
class VersionTimeline:
    package: ModelPackage
    card: ModelCard | None
    """The card documenting the version now, if one does."""
    card_arns: tuple[str, ...]
    """Every card whose events are in the timeline."""
    events: tuple[AuditEvent, ...]
    """Oldest first."""
    complete: bool
    """False when a resource had more than MAX_EVENTS events and the rest were not read."""


class TimelineService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def version_timeline(self, ctx: RequestContext, package_name_or_arn: str) -> VersionTimeline:
        """Raises NotFound."""
        ctx.require(Action.READ)
        ref = package_ref(ctx, package_name_or_arn)

        def work(uow: UnitOfWork) -> VersionTimeline:
            package = uow.packages.find(ctx.scope, ref.group_name, ref.version)
            if package is None:
                raise NotFound(f"Could not find model package '{package_name_or_arn}'.")
            card = uow.cards.find_by_package_arn(package.arn)
            arns = [card.arn] if card else []
            for decision in uow.approvals.decisions(package.id):
                if decision.card_name:
                    seen = ctx.scope.arn("model-card", decision.card_name)
                    if seen not in arns:
                        arns.append(seen)
            events: list[AuditEvent] = []
            complete = True
            for arn in (package.arn, *arns):
                page = uow.audit.list_page(AuditQuery(resource_arn=arn, max_results=MAX_EVENTS))
                events.extend(page.items)
                complete = complete and page.next_token is None
            events.sort(key=lambda event: event.seq)
            return VersionTimeline(package, card, tuple(arns), tuple(events), complete)

        return self._store.read(work)
