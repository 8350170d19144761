"""The registry's pages: the home page, groups and their versions (with the approval decision
and its gate), search and the audit trail.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from cardinal.api.web.frame import (
    PAGE_SIZE,
    PageFrame,
    asked_as_of,
    asked_cursor,
    form_moment,
    status_of,
)
from cardinal.api.web.pager import pager
from cardinal.api.web.security import (
    Visitor,
    form_of,
)
from cardinal.documents.html_page import render_html_parts
from cardinal.domain.approval_policies import Outcome, Pending, Refused
from cardinal.domain.audit import SESSION_ACTIONS, AuditAction, AuditQuery
from cardinal.domain.errors import (
    CardinalError,
    InvalidInput,
)
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.domain.paging import PageRequest, SortOrder
from cardinal.domain.search import Resource, SearchQuery
from cardinal.domain.search_language import ALIASES, parse_filter, property_name
from cardinal.services.gate import GateDecision

SEARCHABLE = {
    "cards": Resource.MODEL_CARD,
    "versions": Resource.MODEL_PACKAGE,
    "groups": Resource.MODEL_PACKAGE_GROUP,
}


class RegistryPages(PageFrame):
    async def _home(self, request: Request, who: Visitor) -> Response:
        services, ctx = self._services, who.ctx
        pending = await self._call(
            services.packages.list_model_packages,
            ctx,
            PageRequest(sort_by="CreationTime", sort_order=SortOrder.DESCENDING,
                        max_results=PAGE_SIZE),
            approval_status=ApprovalStatus.PENDING_MANUAL_APPROVAL,
        )  # fmt: skip
        reviews = await self._call(
            services.cards.list_model_cards,
            ctx,
            PageRequest(sort_by="CreationTime", sort_order=SortOrder.DESCENDING,
                        max_results=PAGE_SIZE),
            status=ModelCardStatus.PENDING_REVIEW,
        )  # fmt: skip
        events = await self._call(
            services.audit.list_audit_events,
            ctx,
            AuditQuery(max_results=15, newest_first=True, leave_out=SESSION_ACTIONS),
        )
        return self._render(
            "home.html", who, versions=pending.items, cards=reviews.items, events=events.items
        )

    async def _groups(self, request: Request, who: Visitor) -> Response:
        found = await self._call(
            self._services.groups.list_model_package_groups,
            who.ctx,
            PageRequest(sort_by="Name", max_results=PAGE_SIZE, next_token=asked_cursor(request)),
        )
        return self._render(
            "groups.html",
            who,
            groups=found.items,
            pages=pager(request.query_params, found.next_token),
        )

    async def _group(self, request: Request, who: Visitor) -> Response:
        name = request.path_params["group"]
        as_of = asked_as_of(request)
        if as_of is not None:
            then = await self._call(
                self._services.past.group_versions, who.ctx, name, as_of,
                max_results=PAGE_SIZE, next_token=asked_cursor(request),
            )  # fmt: skip
            return self._render(
                "group_as_of.html", who, name=name, as_of=as_of, versions=then.items,
                chain=then.chain, pages=pager(request.query_params, then.next_token),
            )  # fmt: skip
        group = await self._call(self._services.groups.describe_model_package_group, who.ctx, name)
        versions = await self._call(
            self._services.packages.list_model_packages,
            who.ctx,
            PageRequest(sort_by="CreationTime", sort_order=SortOrder.DESCENDING,
                        max_results=PAGE_SIZE, next_token=asked_cursor(request)),
            group_name_or_arn=name,
        )  # fmt: skip
        cards = await self._call(
            self._services.cards.cards_documenting, who.ctx, [p.arn for p in versions.items]
        )
        return self._render(
            "group.html", who, group=group, versions=versions.items, cards=cards,
            pages=pager(request.query_params, versions.next_token),
        )  # fmt: skip

    async def _version(
        self,
        request: Request,
        who: Visitor,
        *,
        refusal: str | None = None,
        status: int = 200,
        comment: str = "",
        card_name: str = "",
    ) -> Response:
        group, number = request.path_params["group"], request.path_params["version"]
        as_of = asked_as_of(request)
        if as_of is not None:
            then = await self._call(self._services.past.gate, who.ctx, f"{group}/{number}", as_of)
            return self._render(
                "version_as_of.html", who, as_of=as_of, gate=then.decision,
                package=then.decision.package, card_version=then.card_version, chain=then.chain,
            )  # fmt: skip
        gate = await self._call(self._services.gate.check_release, who.ctx, f"{group}/{number}")
        policy = await self._call(self._services.policies.show_policy, who.ctx, group)
        state = await self._call(self._services.policies.approval_state, who.ctx, gate.package.arn)
        timeline = await self._call(
            self._services.timelines.version_timeline, who.ctx, gate.package.arn
        )
        source, parts = None, None
        if gate.card is None:
            source = await self._call(
                self._services.carry_over.source_for, who.ctx, gate.package.arn
            )
        else:
            document = await self._call(
                self._services.documents.card_document, who.ctx, gate.card.name
            )
            parts = render_html_parts(document)
        return self._render(
            "version.html", who, status, comment=comment, package=gate.package, gate=gate,
            decisions=gate.decisions, policy=policy, refusal=refusal, source=source,
            state=state, yours=_your_approval(state.your_approval), parts=parts,
            timeline=timeline,
            card_name=card_name or f"{group}-v{number}", decisions_left=_decisions_left(gate),
            inference=json.dumps(gate.package.details.get("InferenceSpecification"), indent=2),
        )  # fmt: skip

    async def _decide(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        group, number = request.path_params["group"], request.path_params["version"]
        try:
            decision = ApprovalStatus(fields.get("decision", ""))
        except ValueError:
            return await self._version(
                request, who, refusal="Choose Approve or Reject.", status=422
            )
        try:
            await self._call(
                self._services.packages.decide_approval,
                who.ctx, f"{group}/{number}", decision, fields.get("comment") or None,
            )  # fmt: skip
        except CardinalError as refused:
            return await self._version(
                request, who, refusal=refused.message, status=status_of(refused),
                comment=fields.get("comment", ""),
            )  # fmt: skip
        return RedirectResponse(request.url.path.rsplit("/", 1)[0], status_code=303)

    async def _start_card(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        group, number = request.path_params["group"], request.path_params["version"]
        name = fields.get("name", "").strip()
        try:
            await self._call(
                self._services.carry_over.start_card_for_package,
                who.ctx, f"{group}/{number}", name,
            )  # fmt: skip
        except CardinalError as refused:
            return await self._version(
                request, who, refusal=refused.message, status=status_of(refused),
                card_name=name,
            )  # fmt: skip
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

    async def _evidence_pack(self, request: Request, who: Visitor) -> Response:
        group, number = request.path_params["group"], request.path_params["version"]
        pack = await self._call(
            self._services.evidence_packs.pack, who.ctx, f"{group}/{number}", asked_as_of(request)
        )
        return Response(
            pack.data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{pack.file_name}"'},
        )

    async def _search(self, request: Request, who: Visitor) -> Response:
        text = request.query_params.get("q", "")
        kind = request.query_params.get("in", "cards")
        resource = SEARCHABLE.get(kind, Resource.MODEL_CARD)
        hits: list[Any] = []
        next_token = None
        problem = None
        if text or asked_cursor(request):
            try:
                query = SearchQuery(
                    resource=resource,
                    expression=parse_filter(text, resource),
                    sort_by=property_name(resource, "modified") or "LastModifiedTime",
                    descending=True,
                    max_results=PAGE_SIZE,
                    next_token=asked_cursor(request),
                )
                found = await self._call(self._services.search.search, who.ctx, query)
                hits, next_token = [hit.item for hit in found.items], found.next_token
            except InvalidInput as refused:
                problem = refused.message
        return self._render(
            "search.html", who, 422 if problem else 200, q=text, kind=kind, hits=hits,
            resource=resource.value, pages=pager(request.query_params, next_token),
            aliases=sorted(ALIASES[resource]), refusal=problem, kinds=list(SEARCHABLE),
        )  # fmt: skip

    async def _audit(self, request: Request, who: Visitor) -> Response:
        given = {
            k: request.query_params.get(k, "").strip()
            for k in ("resource", "actor", "action", "since", "until")
        }
        try:
            action = AuditAction(given["action"]) if given["action"] else None
        except ValueError:
            raise InvalidInput(
                f"'{given['action']}' is not an action; pick one from the list."
            ) from None
        events = await self._call(
            self._services.audit.list_audit_events,
            who.ctx,
            AuditQuery(
                resource_arn=given["resource"] or None,
                actor=given["actor"] or None,
                action=action,
                since=form_moment(given["since"], "From"),
                until=form_moment(given["until"], "Until"),
                max_results=50,
                newest_first=True,
                next_token=asked_cursor(request),
            ),
        )
        return self._render(
            "audit.html", who, events=events.items, filters=given, actions=list(AuditAction),
            pages=pager(request.query_params, events.next_token),
        )  # fmt: skip


def _your_approval(outcome: Outcome) -> str:
    if isinstance(outcome, Refused):
        return f"Your approval would be refused: {outcome.rule}: {outcome.reason}."
    if isinstance(outcome, Pending):
        return f"Your approval would count as {len(outcome.approvers)} of {outcome.required}."
    return "Your approval would approve this version."


def _decisions_left(gate: GateDecision) -> list[ApprovalStatus]:
    """The decisions that would change the version's status: an approved version can still be
    rejected, a rejected one approved."""
    status = gate.package.approval_status
    return [d for d in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED) if d is not status]
