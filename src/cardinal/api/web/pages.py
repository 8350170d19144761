"""The web UI's pages: server-rendered HTML over the same services as every door.

Each page only reads what it shows and hands each action (a decision, a status change) to a
service; a refusal is shown on the page in the service's own words. Lists are keyset pages: the
cursor is in the URL (``?next=``), nothing loads a whole collection.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from cardinal.api.auth_mode import AuthMode
from cardinal.api.web.links import resource_link
from cardinal.api.web.pager import pager
from cardinal.api.web.security import (
    CsrfRefused,
    Visitor,
    double_submit_token,
    form_of,
    protect,
    safe_next,
    start_session_cookie,
    visitor,
)
from cardinal.content.card_form import content_from_form, form_sections, form_values
from cardinal.documents.html_page import render_html_parts
from cardinal.domain.approval_policies import Outcome, Pending, Refused
from cardinal.domain.audit import SESSION_ACTIONS, AuditAction, AuditQuery
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import (
    AccessDenied,
    CardinalError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    StaleVersion,
    UnknownPageToken,
)
from cardinal.domain.identifiers import Scope, model_package_ref
from cardinal.domain.identities import Principal
from cardinal.domain.model_cards import LinkedPackageNotFound, ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.domain.paging import PageRequest, SortOrder
from cardinal.domain.search import Resource, SearchQuery
from cardinal.domain.search_language import ALIASES, parse_filter, property_name
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.gate import GateDecision
from cardinal.services.identities import SESSION_LIFETIME

HERE = Path(__file__).parent
EXPORT_FORMATS = [(DocumentFormat.PDF, "PDF"), (DocumentFormat.HTML, "HTML"),
                  (DocumentFormat.MARKDOWN, "Markdown"), (DocumentFormat.HUGGING_FACE,
                  "Hugging Face card")]  # fmt: skip
SEARCHABLE = {
    "cards": Resource.MODEL_CARD,
    "versions": Resource.MODEL_PACKAGE,
    "groups": Resource.MODEL_PACKAGE_GROUP,
}
PAGE_SIZE = 25
Page = Callable[[Request, Visitor], Awaitable[Response]]
_STATUS: dict[type[CardinalError], int] = {
    StaleVersion: 412,
    NotFound: 404,
    LinkedPackageNotFound: 404,
    AccessDenied: 403,
    InvalidInput: 422,
    UnknownPageToken: 422,
    NotAuthenticated: 401,
}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""
    env.filters["url"] = lambda value: quote(str(value), safe="")
    env.filters["as_text"] = _text
    env.filters["resource_link"] = resource_link
    return env


class WebUi:
    def __init__(self, services: Services, mode: AuthMode, scope: Scope) -> None:
        self._services = services
        self._mode = mode
        self._scope = scope
        self._templates = _environment()

    def routes(self) -> list[BaseRoute]:
        page = self._page
        return [
            Route("/", page(self._home), methods=["GET"]),
            Route("/login", self._login_form, methods=["GET"]),
            Route("/login", self._login, methods=["POST"]),
            Route("/logout", self._logout, methods=["POST"]),
            Route("/groups", page(self._groups), methods=["GET"]),
            Route("/groups/{group}", page(self._group), methods=["GET"]),
            Route("/groups/{group}/versions/{version:int}", page(self._version), methods=["GET"]),
            Route(
                "/groups/{group}/versions/{version:int}/decision",
                page(self._decide),
                methods=["POST"],
            ),
            Route(
                "/groups/{group}/versions/{version:int}/card",
                page(self._start_card),
                methods=["POST"],
            ),
            Route(
                "/groups/{group}/versions/{version:int}/evidence",
                page(self._evidence_pack),
                methods=["GET"],
            ),
            Route("/cards", page(self._cards), methods=["GET"]),
            Route("/cards/new", page(self._new_card_form), methods=["GET"]),
            Route("/cards/new", page(self._new_card), methods=["POST"]),
            Route("/cards/{name}", page(self._card), methods=["GET"]),
            Route("/cards/{name}/versions/{version:int}", page(self._card), methods=["GET"]),
            Route("/cards/{name}/diff", page(self._diff), methods=["GET"]),
            Route("/cards/{name}/chain", page(self._chain), methods=["GET"]),
            Route("/cards/{name}/history", page(self._history), methods=["GET"]),
            Route("/cards/{name}/edit", page(self._edit_form), methods=["GET"]),
            Route("/cards/{name}/edit", page(self._edit), methods=["POST"]),
            Route("/cards/{name}/export", page(self._export), methods=["GET"]),
            Route("/search", page(self._search), methods=["GET"]),
            Route("/cards/{name}/status", page(self._card_status), methods=["POST"]),
            Route("/cards/{name}/link", page(self._link_card), methods=["POST"]),
            Route("/audit", page(self._audit), methods=["GET"]),
            Route("/account", page(self._account), methods=["GET"]),
            Route("/account/tokens", page(self._new_token), methods=["POST"]),
            Route("/account/keys", page(self._new_key), methods=["POST"]),
            Route("/account/revoke", page(self._revoke), methods=["POST"]),
            Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        ]

    # The frame of every page

    def _page(self, handler: Page) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            who = await visitor(request, self._services, self._mode, self._scope)
            if who is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                to_login = RedirectResponse(f"/login?{urlencode({'next': target}, safe='/')}", 303)
                return protect(to_login, request)
            try:
                response = await handler(request, who)
            except CsrfRefused as refused:
                response = self._render("error.html", who, 403, message=str(refused))
            except CardinalError as error:
                status = _STATUS.get(type(error), 409)
                response = self._render("error.html", who, status, message=error.message)
            return protect(response, request, None if who.signed_in else who.csrf)

        return endpoint

    def _render(
        self, template: str, who: Visitor | None, status: int = 200, **values: Any
    ) -> HTMLResponse:
        html = self._templates.get_template(template).render(
            who=who, open_mode=self._mode is not AuthMode.ON, **values
        )
        return HTMLResponse(html, status_code=status)

    async def _call(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(work, *args, **kwargs)

    # Signing in and out

    async def _login_form(self, request: Request) -> Response:
        token = double_submit_token(request)
        next_page = safe_next(request.query_params.get("next"))
        response = self._render("login.html", None, csrf=token, next_page=next_page)
        return protect(response, request, token)

    async def _login(self, request: Request) -> Response:
        token = double_submit_token(request)
        try:
            fields = await form_of(request, None)
        except CsrfRefused as refused:
            return protect(self._render("error.html", None, 403, message=str(refused)), request)
        next_page = safe_next(fields.get("next"))
        session = await self._call(
            self._services.identities.start_session,
            await self._anonymous(),
            fields.get("name", ""),
            fields.get("password", ""),
        )
        if session is None:
            wrong = self._render(
                "login.html", None, 401, csrf=token, next_page=next_page,
                error="The name or the password is wrong.", name=fields.get("name", ""),
            )  # fmt: skip
            return protect(wrong, request, token)
        signed_in = RedirectResponse(next_page, status_code=303)
        start_session_cookie(
            signed_in, request, session.token, int(SESSION_LIFETIME.total_seconds())
        )
        return protect(signed_in, request)

    async def _logout(self, request: Request) -> Response:
        who = await visitor(request, self._services, self._mode, self._scope)
        try:
            await form_of(request, who)
        except CsrfRefused as refused:
            return protect(self._render("error.html", who, 403, message=str(refused)), request)
        session = request.cookies.get("cardinal_session")
        if who is not None and session:
            await self._call(self._services.identities.end_session, who.ctx, session)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie("cardinal_session", path="/")
        return protect(response, request)

    async def _anonymous(self) -> RequestContext:
        return RequestContext(self._scope, "anonymous", "web-sign-in")

    # Pages

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
            PageRequest(sort_by="Name", max_results=PAGE_SIZE, next_token=_cursor(request)),
        )
        return self._render(
            "groups.html",
            who,
            groups=found.items,
            pages=pager(request.query_params, found.next_token),
        )

    async def _group(self, request: Request, who: Visitor) -> Response:
        name = request.path_params["group"]
        as_of = _as_of(request)
        if as_of is not None:
            then = await self._call(
                self._services.past.group_versions, who.ctx, name, as_of,
                max_results=PAGE_SIZE, next_token=_cursor(request),
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
                        max_results=PAGE_SIZE, next_token=_cursor(request)),
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
        as_of = _as_of(request)
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
                request, who, refusal=refused.message, status=_STATUS.get(type(refused), 409),
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
                request, who, refusal=refused.message, status=_STATUS.get(type(refused), 409),
                card_name=name,
            )  # fmt: skip
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

    async def _cards(self, request: Request, who: Visitor) -> Response:
        found = await self._call(
            self._services.cards.list_model_cards,
            who.ctx,
            PageRequest(sort_by="Name", max_results=PAGE_SIZE, next_token=_cursor(request)),
        )
        return self._render(
            "cards.html",
            who,
            cards=found.items,
            pages=pager(request.query_params, found.next_token),
        )

    async def _new_card_form(
        self,
        request: Request,
        who: Visitor,
        *,
        values: dict[str, str] | None = None,
        refusal: str | None = None,
        status: int = 200,
    ) -> Response:
        return self._render("card_new.html", who, status, values=values or {}, refusal=refusal)

    async def _new_card(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        name, package = fields.get("name", "").strip(), fields.get("package", "").strip()
        try:
            if package:
                await self._call(
                    self._services.carry_over.start_card_for_package, who.ctx, package, name
                )
            else:
                await self._call(
                    self._services.cards.create_model_card,
                    who.ctx, name, "{}", ModelCardStatus.DRAFT,
                )  # fmt: skip
        except CardinalError as refused:
            return await self._new_card_form(
                request, who, values={"name": name, "package": package},
                refusal=refused.message, status=_STATUS.get(type(refused), 409),
            )  # fmt: skip
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

    async def _link_card(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        name = request.path_params["name"]
        based_on = fields.get("based_on", "")
        try:
            await self._call(
                self._services.carry_over.link_card,
                who.ctx, name, fields.get("package", "").strip(),
                expected_version=int(based_on) if based_on.isdigit() else None,
            )  # fmt: skip
        except CardinalError as refused:
            code = _STATUS.get(type(refused), 409)
            return await self._card(request, who, refusal=refused.message, status=code)
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

    async def _card(
        self, request: Request, who: Visitor, *, refusal: str | None = None, status: int = 200
    ) -> Response:
        name, wanted = request.path_params["name"], request.path_params.get("version")
        as_of = _as_of(request) if wanted is None else None
        if as_of is not None:
            then, document = await self._call(
                self._services.past.card_document, who.ctx, name, as_of
            )
            return self._render(
                "card.html", who, card=then.card, version=then.version,
                parts=render_html_parts(document), statuses=[], refusal=None, changes=None,
                history=[], formats=EXPORT_FORMATS, current=False, as_of=as_of, chain=then.chain,
                documents=model_package_ref(then.card.model_package_arn, who.ctx.scope)
                if then.card.model_package_arn else None,
            )  # fmt: skip
        described = await self._call(
            self._services.cards.describe_model_card, who.ctx, name, wanted
        )
        document = await self._call(
            self._services.documents.card_document, who.ctx, name, described.version.version
        )
        changes = None
        if described.version.version > 1:
            diff = await self._call(
                self._services.card_diffs.diff_versions,
                who.ctx, name, described.version.version - 1, described.version.version,
            )  # fmt: skip
            changes = diff.diff.changes
        history = await self._call(
            self._services.cards.list_model_card_versions,
            who.ctx, name,
            PageRequest(sort_by="Version", sort_order=SortOrder.DESCENDING, max_results=10),
        )  # fmt: skip
        return self._render(
            "card.html", who, status, card=described.card, version=described.version,
            parts=render_html_parts(document), statuses=list(ModelCardStatus), refusal=refusal,
            changes=changes, history=history[1].items, formats=EXPORT_FORMATS,
            documents=model_package_ref(described.card.model_package_arn, who.ctx.scope)
            if described.card.model_package_arn else None,
            current=described.version.version == described.card.latest_version,
        )  # fmt: skip

    async def _edit_form(self, request: Request, who: Visitor) -> Response:
        name = request.path_params["name"]
        described = await self._call(self._services.cards.describe_model_card, who.ctx, name)
        values = form_values(json.loads(described.version.content))
        return self._render(
            "edit.html", who, card=described.card, based_on=described.version.version,
            sections=form_sections(), values=values,
        )  # fmt: skip

    async def _edit(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        name = request.path_params["name"]
        based_on = int(fields.get("based_on", "0") or 0)
        try:
            content = content_from_form(fields)
            await self._call(
                self._services.cards.update_model_card,
                who.ctx, name, content=json.dumps(content), expected_version=based_on,
            )  # fmt: skip
        except CardinalError as refused:
            card = await self._call(self._services.cards.describe_model_card, who.ctx, name)
            problems = getattr(refused, "problems", ())
            return self._render(
                "edit.html", who, _STATUS.get(type(refused), 409), card=card.card,
                based_on=based_on, sections=form_sections(), values=fields,
                refusal=refused.message, problems=problems,
            )  # fmt: skip
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

    async def _diff(self, request: Request, who: Visitor) -> Response:
        name = request.path_params["name"]
        try:
            older = int(request.query_params.get("from", ""))
            newer_text = request.query_params.get("to")
            newer = int(newer_text) if newer_text else None
        except ValueError:
            raise InvalidInput("from and to are version numbers, e.g. ?from=1&to=2.") from None
        diff = await self._call(
            self._services.card_diffs.diff_versions, who.ctx, name, older, newer
        )
        return self._render("diff.html", who, diff=diff, changes=diff.diff.changes)

    async def _history(self, request: Request, who: Visitor) -> Response:
        card, versions = await self._call(
            self._services.cards.list_model_card_versions,
            who.ctx, request.path_params["name"],
            PageRequest(sort_by="Version", sort_order=SortOrder.DESCENDING,
                        max_results=PAGE_SIZE, next_token=_cursor(request)),
        )  # fmt: skip
        return self._render(
            "card_history.html", who, card=card, history=versions.items,
            pages=pager(request.query_params, versions.next_token),
        )  # fmt: skip

    async def _chain(self, request: Request, who: Visitor) -> Response:
        name = request.path_params["name"]
        report = await self._call(self._services.verification.verify_card, who.ctx, name)
        return self._render("chain.html", who, name=name, report=report, checked_at=utcnow())

    async def _export(self, request: Request, who: Visitor) -> Response:
        name = request.path_params["name"]
        try:
            fmt = DocumentFormat(request.query_params.get("format", "pdf"))
        except ValueError:
            raise InvalidInput(
                f"The format is one of {', '.join(f.value for f in DocumentFormat)}."
            ) from None
        version_text = request.query_params.get("version")
        version = int(version_text) if version_text and version_text.isdigit() else None
        rendered = await self._call(
            self._services.documents.render_card, who.ctx, name, fmt, version
        )
        # An HTML export is a document to save, not a page of this site: it is downloaded.
        return Response(
            rendered.data,
            media_type=rendered.media_type,
            headers={"Content-Disposition": f'attachment; filename="{rendered.file_name}"'},
        )

    async def _evidence_pack(self, request: Request, who: Visitor) -> Response:
        group, number = request.path_params["group"], request.path_params["version"]
        pack = await self._call(
            self._services.evidence_packs.pack, who.ctx, f"{group}/{number}", _as_of(request)
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
        if text or _cursor(request):
            try:
                query = SearchQuery(
                    resource=resource,
                    expression=parse_filter(text, resource),
                    sort_by=property_name(resource, "modified") or "LastModifiedTime",
                    descending=True,
                    max_results=PAGE_SIZE,
                    next_token=_cursor(request),
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

    async def _card_status(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        name = request.path_params["name"]
        try:
            status = ModelCardStatus(fields.get("status", ""))
            await self._call(self._services.cards.update_model_card, who.ctx, name, status=status)
        except ValueError:
            return await self._card(request, who, refusal="Choose a status.", status=422)
        except CardinalError as refused:
            code = _STATUS.get(type(refused), 409)
            return await self._card(request, who, refusal=refused.message, status=code)
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

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
                since=_moment(given["since"], "From"),
                until=_moment(given["until"], "Until"),
                max_results=50,
                newest_first=True,
                next_token=_cursor(request),
            ),
        )
        return self._render(
            "audit.html", who, events=events.items, filters=given, actions=list(AuditAction),
            pages=pager(request.query_params, events.next_token),
        )  # fmt: skip

    # The account: the signed-in user's own tokens and access keys

    async def _account(
        self, request: Request, who: Visitor, *, issued: dict[str, str] | None = None
    ) -> Response:
        if who.principal is None:
            return self._render("account.html", who, principal=None, tokens=[], keys=[])
        ids, name = self._services.identities, who.principal.name
        tokens = await self._call(ids.list_tokens, who.ctx, name)
        keys = await self._call(ids.list_access_keys, who.ctx, name)
        return self._render(
            "account.html", who, principal=who.principal, tokens=tokens, keys=keys,
            issued=issued, now=utcnow(),
        )  # fmt: skip

    async def _new_token(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        principal = _signed_in(who)
        made = await self._call(
            self._services.identities.create_token,
            who.ctx, principal.name, fields.get("description", "")[:256],
        )  # fmt: skip
        shown = {"Token": made.token, "Export": f"export CARDINAL_TOKEN={made.token}"}
        return await self._account(request, who, issued=shown)

    async def _new_key(self, request: Request, who: Visitor) -> Response:
        await form_of(request, who)
        principal = _signed_in(who)
        made = await self._call(
            self._services.identities.create_access_key, who.ctx, principal.name
        )
        shown = {
            "Access key id": made.access_key_id,
            "Secret access key": made.secret_access_key,
            "Export": f"export AWS_ACCESS_KEY_ID={made.access_key_id} "
            f"AWS_SECRET_ACCESS_KEY={made.secret_access_key}",
        }
        return await self._account(request, who, issued=shown)

    async def _revoke(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        principal, ids = _signed_in(who), self._services.identities
        if fields.get("token"):
            await self._call(ids.revoke_token, who.ctx, principal.name, fields["token"])
        elif fields.get("key"):
            await self._call(ids.revoke_access_key, who.ctx, principal.name, fields["key"])
        return RedirectResponse("/account", status_code=303)


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


def _signed_in(who: Visitor) -> Principal:
    if who.principal is None:
        raise InvalidInput("Nobody is signed in here: open mode has no accounts.")
    return who.principal


def _moment(text: str, label: str) -> datetime | None:
    """A time typed in a form (``2026-03-01T09:30``, a date, or RFC 3339), read as UTC unless
    it names its offset."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{label} '{text}' is not a time; write it as 2026-03-01 or 2026-03-01T09:30 (UTC)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _as_of(request: Request) -> datetime | None:
    return _moment(request.query_params.get("as_of", "").strip(), "As of")


def _cursor(request: Request) -> str | None:
    return request.query_params.get("next") or None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)
