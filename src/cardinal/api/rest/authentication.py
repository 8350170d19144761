"""Who calls the REST API: the bearer token of each request, checked before anything else.

With authentication on, every request under ``/api/v1`` but the API's own description
(``/openapi.json``, ``/docs`` and its assets) carries ``Authorization: Bearer crd_…``; anything else is answered
401 before the request is routed or its body read. The principal found is kept in the request's
state for :func:`cardinal.api.rest.context.context`.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from cardinal.api.auth_mode import AuthMode
from cardinal.api.rest.problems import problem_for
from cardinal.domain.errors import NotAuthenticated
from cardinal.services.identities import IdentityService

PRINCIPAL = "cardinal.principal"
_PUBLIC = ("/openapi.json", "/docs", "/docs/oauth2-redirect")
_PUBLIC_ASSETS = "/docs-assets/"
_NO_TOKEN = (
    "This API needs a token: send Authorization: Bearer crd_... (`cardinal tokens create` "
    "makes one, `cardinal login` stores it for the CLI)."
)


class Authenticate:
    def __init__(self, app: ASGIApp, identities: IdentityService, mode: AuthMode) -> None:
        self.app = app
        self.identities = identities
        self.mode = mode

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.mode is not AuthMode.ON or _public(scope):
            await self.app(scope, receive, send)
            return
        scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer" or not token.strip():
                raise NotAuthenticated(_NO_TOKEN)
            principal = await run_in_threadpool(self.identities.authenticate_token, token.strip())
        except NotAuthenticated as error:
            await problem_for(error)(scope, receive, send)
            return
        scope.setdefault("state", {})[PRINCIPAL] = principal
        await self.app(scope, receive, send)


def _public(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    inner = path[len(root) :] if root and path.startswith(root) else path
    return inner in _PUBLIC or inner.startswith(_PUBLIC_ASSETS)
