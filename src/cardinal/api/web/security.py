"""Who uses the web UI, and the protections every page carries.

With authentication on, a page belongs to a signed-in session (the ``cardinal_session`` cookie:
HttpOnly, SameSite=Lax, Secure over TLS); without one a visitor is sent to ``/login``. In open
mode and on a local store nobody signs in: the UI acts as a local user and says so.

Every state-changing POST carries the ``csrf`` form field (derived from the session, or a
double-submit cookie where there is no session) and, when the browser says where it comes from
(``Origin``, ``Sec-Fetch-Site``), must come from this site; anything else is refused with 403
before it reaches a service. Every answer carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from cardinal.api.access_log import note_actor
from cardinal.api.auth_mode import AuthMode
from cardinal.domain.api_tokens import csrf_matches, csrf_token
from cardinal.domain.errors import NotAuthenticated
from cardinal.domain.identifiers import Scope
from cardinal.domain.identities import Principal
from cardinal.services.container import Services
from cardinal.services.context import RequestContext

SESSION_COOKIE = "cardinal_session"
CSRF_COOKIE = "cardinal_csrf"
OPEN_MODE_ACTOR = "web:local"
MAX_FORM_BYTES = 256 * 1024

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True)
class Visitor:
    """The one using a page: the context its actions run in, and its forms' CSRF token."""

    ctx: RequestContext
    csrf: str
    signed_in: bool

    @property
    def principal(self) -> Principal | None:
        return self.ctx.principal


class CsrfRefused(Exception):
    """A state-changing request that does not prove it comes from this site's own page."""


async def visitor(
    request: Request, services: Services, mode: AuthMode, scope: Scope
) -> Visitor | None:
    """The visitor of ``request``; None when authentication is on and nobody is signed in."""
    request_id = secrets.token_hex(8)
    if mode is not AuthMode.ON:
        note_actor(request.scope, OPEN_MODE_ACTOR)
        ctx = RequestContext(scope, OPEN_MODE_ACTOR, request_id)
        return Visitor(ctx, double_submit_token(request), False)
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        return None
    try:
        principal = await run_in_threadpool(services.identities.session_principal, session)
    except NotAuthenticated:
        return None
    note_actor(request.scope, principal.name)
    ctx = RequestContext(scope, principal.name, request_id, principal)
    return Visitor(ctx, csrf_token(session), True)


async def form_of(request: Request, who: Visitor | None) -> dict[str, str]:
    """The submitted form, refused (CsrfRefused) unless it carries this visitor's CSRF token and
    comes from this site."""
    _same_site(request)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise CsrfRefused("The form is larger than this server accepts.")
    fields = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    given = fields.get("csrf", "")
    session = request.cookies.get(SESSION_COOKIE)
    if who is not None and who.signed_in and session:
        if not csrf_matches(session, given):
            raise CsrfRefused("The form's CSRF token is missing or wrong; reload the page.")
    elif not given or not hmac.compare_digest(request.cookies.get(CSRF_COOKIE, ""), given):
        raise CsrfRefused("The form's CSRF token is missing or wrong; reload the page.")
    return fields


def _same_site(request: Request) -> None:
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise CsrfRefused(f"A form sent from another site ({fetch_site}) is refused.")
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != own:
            raise CsrfRefused(f"A form sent from {origin} is refused.")


def double_submit_token(request: Request) -> str:
    """The CSRF token of a visitor without a session (signing in, open mode): the cookie's."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def protect(response: Response, request: Request, csrf_cookie: str | None = None) -> Response:
    """``response`` with the security headers, and the double-submit cookie when given."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if csrf_cookie is not None and request.cookies.get(CSRF_COOKIE) != csrf_cookie:
        response.set_cookie(
            CSRF_COOKIE, csrf_cookie, httponly=True, samesite="strict", secure=_tls(request)
        )
    return response


def start_session_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
        secure=_tls(request), path="/",
    )  # fmt: skip


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only, never another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    # Browsers read a backslash as a slash ("/\\host" is another site) and drop control
    # characters before reading the URL.
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    return target


def _tls(request: Request) -> bool:
    return request.url.scheme == "https"
