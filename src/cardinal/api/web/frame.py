"""The frame every page of the web UI shares: who the visitor is, the templates, and a
service's refusal shown on the page in its own words (with the HTTP status that fits it).
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

from cardinal.api.auth_mode import AuthMode
from cardinal.api.web.links import resource_link
from cardinal.api.web.security import (
    CsrfRefused,
    Visitor,
    protect,
    visitor,
)
from cardinal.domain.errors import (
    AccessDenied,
    CardinalError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    StaleVersion,
    UnknownPageToken,
)
from cardinal.domain.identifiers import Scope
from cardinal.domain.identities import Principal
from cardinal.domain.model_cards import LinkedPackageNotFound
from cardinal.services.container import Services
from cardinal.services.context import RequestContext

HERE = Path(__file__).parent
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


class PageFrame:
    """What every page shares: the services, the sign-in mode, the templates; checking the
    visitor before a page runs, and showing a refusal in the service's own words."""

    def __init__(self, services: Services, mode: AuthMode, scope: Scope) -> None:
        self._services = services
        self._mode = mode
        self._scope = scope
        self._templates = _environment()

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
                status = status_of(error)
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

    async def _anonymous(self) -> RequestContext:
        return RequestContext(self._scope, "anonymous", "web-sign-in")


def status_of(error: CardinalError) -> int:
    """The HTTP status a page answers with when a service refused."""
    return _STATUS.get(type(error), 409)


def signed_in(who: Visitor) -> Principal:
    if who.principal is None:
        raise InvalidInput("Nobody is signed in here: open mode has no accounts.")
    return who.principal


def form_moment(text: str, label: str) -> datetime | None:
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


def asked_as_of(request: Request) -> datetime | None:
    return form_moment(request.query_params.get("as_of", "").strip(), "As of")


def asked_cursor(request: Request) -> str | None:
    return request.query_params.get("next") or None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)
