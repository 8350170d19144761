"""Signing in and out, and the signed-in user's own page: API tokens and access keys."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from cardinal.api.web.frame import (
    PageFrame,
    signed_in,
)
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
from cardinal.services.context import utcnow
from cardinal.services.identities import SESSION_LIFETIME


class AccountPages(PageFrame):
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
        principal = signed_in(who)
        made = await self._call(
            self._services.identities.create_token,
            who.ctx, principal.name, fields.get("description", "")[:256],
        )  # fmt: skip
        shown = {"Token": made.token, "Export": f"export CARDINAL_TOKEN={made.token}"}
        return await self._account(request, who, issued=shown)

    async def _new_key(self, request: Request, who: Visitor) -> Response:
        await form_of(request, who)
        principal = signed_in(who)
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
        principal, ids = signed_in(who), self._services.identities
        if fields.get("token"):
            await self._call(ids.revoke_token, who.ctx, principal.name, fields["token"])
        elif fields.get("key"):
            await self._call(ids.revoke_access_key, who.ctx, principal.name, fields["key"])
        return RedirectResponse("/account", status_code=303)
