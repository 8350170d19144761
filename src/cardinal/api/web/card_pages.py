"""The model cards' pages: the list, a card and its versions, writing and editing one, its
diffs, history and hash chain, its status and its exports.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from cardinal.api.web.frame import (
    PAGE_SIZE,
    PageFrame,
    asked_as_of,
    asked_cursor,
    status_of,
)
from cardinal.api.web.pager import pager
from cardinal.api.web.security import (
    Visitor,
    form_of,
)
from cardinal.content.card_form import content_from_form, form_sections, form_values
from cardinal.documents.html_page import render_html_parts
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import (
    CardinalError,
    InvalidInput,
)
from cardinal.domain.identifiers import model_package_ref
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.paging import PageRequest, SortOrder
from cardinal.services.context import utcnow

EXPORT_FORMATS = [(DocumentFormat.PDF, "PDF"), (DocumentFormat.HTML, "HTML"),
                  (DocumentFormat.MARKDOWN, "Markdown"), (DocumentFormat.HUGGING_FACE,
                  "Hugging Face card")]  # fmt: skip


class CardPages(PageFrame):
    async def _cards(self, request: Request, who: Visitor) -> Response:
        found = await self._call(
            self._services.cards.list_model_cards,
            who.ctx,
            PageRequest(sort_by="Name", max_results=PAGE_SIZE, next_token=asked_cursor(request)),
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
                refusal=refused.message, status=status_of(refused),
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
            code = status_of(refused)
            return await self._card(request, who, refusal=refused.message, status=code)
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)

    async def _card(
        self, request: Request, who: Visitor, *, refusal: str | None = None, status: int = 200
    ) -> Response:
        name, wanted = request.path_params["name"], request.path_params.get("version")
        as_of = asked_as_of(request) if wanted is None else None
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
                "edit.html", who, status_of(refused), card=card.card,
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
                        max_results=PAGE_SIZE, next_token=asked_cursor(request)),
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

    async def _card_status(self, request: Request, who: Visitor) -> Response:
        fields = await form_of(request, who)
        name = request.path_params["name"]
        try:
            status = ModelCardStatus(fields.get("status", ""))
            await self._call(self._services.cards.update_model_card, who.ctx, name, status=status)
        except ValueError:
            return await self._card(request, who, refusal="Choose a status.", status=422)
        except CardinalError as refused:
            code = status_of(refused)
            return await self._card(request, who, refusal=refused.message, status=code)
        return RedirectResponse(f"/cards/{quote(name, safe='')}", status_code=303)
